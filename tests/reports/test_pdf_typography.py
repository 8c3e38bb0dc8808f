"""Typography a reviewer checks (issue 12): no line starts with closing punctuation, a number stays
with its symbol or unit, and no page is less than a third full except the cover, the contents and
the last page (explanations and sign-off blocks follow the charts instead of sitting alone).
Read back from the demo PDFs as poppler extracts and renders them."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

from riskdesk.reports.fonts import ensure_fonts
from riskdesk.reports.pdf_text import ReportParagraph

from .helpers import needs_poppler, pdf_page_texts

# GB/T 15834 marks that close a phrase, and their ASCII cousins, plus unit signs.
CLOSING = set("，。、；：？！）］｝」』”’》〉】〕…,.;:?!)]}%‰")


def _lines(path: Path) -> list[str]:
    return [
        line.strip() for page in pdf_page_texts(path) for line in page.splitlines() if line.strip()
    ]


@needs_poppler
@pytest.mark.parametrize("name", ["portfolio_zh", "portfolio_en", "dossier_zh", "dossier_en"])
def test_no_line_starts_with_closing_punctuation(demo_pdfs: dict[str, Path], name: str) -> None:
    lines = _lines(demo_pdfs[name])
    bad = [line for line in lines if line[0] in CLOSING]
    assert not bad, bad[:5]
    # a relation or unit is never left at a line's end or start without its number
    split = [
        line for line in lines if re.search(r"(^|\s)[=≥≤]$", line) or re.match(r"^[=≥≤%]", line)
    ]
    assert not split, split[:5]


def _bare(text: str) -> str:
    return "".join(text.split())


def _wrapped(text: str, width: float) -> list[str]:
    font = ensure_fonts(None).pdf_name
    style = ParagraphStyle("t", fontName=font, fontSize=10, leading=13, wordWrap="CJK")
    para = ReportParagraph(text, style)
    para.wrap(width, 10_000)
    return ["".join(w.text for w in line.words) for line in para.blPara.lines]


def test_line_breaking_keeps_numbers_with_units_and_punctuation_off_line_starts() -> None:
    text = (
        "暴露门 g = 0.77，覆盖率 30\u00a0%，稳健性 ≥ 0.6。“进入不经济”的链条（光刻胶）占 0.4\u00a0%；"
        "Response lagging (score 0.88)、Capability destroyed。"
    )
    for width in range(90, 300, 3):  # the widest unbreakable run is about 80 pt
        lines = _wrapped(text, width)
        assert _bare("".join(lines)) == _bare(text), width  # nothing lost
        for line in lines[1:]:
            assert line.lstrip()[0] not in CLOSING, (width, lines)
            assert not line.lstrip().startswith(("=", "≥", "0.77", "0.6")), (width, lines)
        for line in lines:
            assert not line.rstrip().endswith(("“", "（", "(", "g =", "=", "≥", "30")), (
                width,
                lines,
            )
            # English words stay whole when the line can hold them
            assert not re.search(r"lagg$|destroye$|Respons$", line), (width, lines)


def _fill(path: Path, out_dir: Path, dpi: int = 30) -> list[float]:
    """Per page: how far down the body area (inside header and footer rules) ink reaches."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), str(out_dir / "p")], check=True)
    out = []
    for page in sorted(out_dir.glob("p-*.pgm")):
        # binary PGM: "P5\n<w> <h>\n255\n" then w*h bytes
        magic, size, _depth, pixels = page.read_bytes().split(b"\n", 3)
        assert magic == b"P5"
        w, h = (int(x) for x in size.split())
        per_mm = h / 297.0
        top, bottom = int(22 * per_mm), int(277 * per_mm)
        left, right = int(18 * per_mm), w - int(18 * per_mm)
        inked = [y for y in range(top, bottom) if min(pixels[y * w + left : y * w + right]) < 200]
        out.append(((inked[-1] - top) / (bottom - top)) if inked else 0.0)
    return out


@needs_poppler
@pytest.mark.parametrize("name", ["portfolio_zh", "portfolio_en"])
def test_no_page_is_less_than_a_third_full(
    demo_pdfs: dict[str, Path], name: str, tmp_path: Path
) -> None:
    path = demo_pdfs[name]
    pages = pdf_page_texts(path)
    fills = _fill(path, tmp_path)
    assert len(fills) == len(pages)
    contents = {
        i
        for i, text in enumerate(pages)
        if {"目录", "Contents"} & {line.strip() for line in text.splitlines()[:4]}
    }
    short = [
        (i + 1, round(f, 2))
        for i, f in enumerate(fills)
        if f < 1 / 3 and i != 0 and i != len(fills) - 1 and i not in contents
    ]
    assert not short, short


def _word_boxes(path: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, baseline, xMin, xMax, text) of every word poppler finds."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (page, round(float(m[3]), 1), float(m[1]), float(m[2]), m[4])
        for page, body in enumerate(xml.split("<page ")[1:], start=1)
        for m in word.finditer(body)
    ]


@needs_poppler
@pytest.mark.parametrize("name", ["portfolio_zh", "portfolio_en", "dossier_zh", "dossier_en"])
def test_no_text_is_drawn_over_other_text(demo_pdfs: dict[str, Path], name: str) -> None:
    """A line with a closing mark hung in the margin was squeezed by a negative word spacing on
    its no-break spaces: "得分 0.94" and "战略 · 国产化" were drawn over each other."""
    lines: dict[tuple[int, float], list[tuple[float, float, str]]] = {}
    for page, base, x0, x1, text in _word_boxes(demo_pdfs[name]):
        lines.setdefault((page, base), []).append((x0, x1, text))
    overlaps = []
    for (page, _), words in lines.items():
        words.sort()
        for (_a0, a1, a), (b0, _b1, b) in itertools.pairwise(words):
            if b0 < a1 - 0.5:
                overlaps.append((page, a, b, round(a1 - b0, 1)))
    assert not overlaps, overlaps[:5]
