"""PDF reports: content a reader searches for, embedded fonts, structure, safety, determinism."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskdesk.core.inventory import Inventory
from riskdesk.core.progress import Cancelled
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf import ReportError, write_pdf
from riskdesk.reports.pdf_parts import format_score
from riskdesk.reports.templates import load_report_text

from .helpers import needs_poppler, pdf_fonts, pdf_text

pytestmark = needs_poppler


def _squash(text: str) -> str:
    """pdftotext may break a line inside a CJK run; compare without any whitespace."""
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dossier_text_has_chain_type_strategy_and_figures(
    demo_pdfs: dict[str, Path],
    demo: tuple[AssessmentRun, Inventory],
    taxonomy: Taxonomy,
    lang: str,
) -> None:
    run, _ = demo
    chain = run.chains[0]
    text = _squash(pdf_text(demo_pdfs[f"dossier_{lang}"]))
    words = load_report_text(lang)  # type: ignore[arg-type]
    assert _squash(chain.chain_name) in text
    assert _squash(taxonomy.label(chain.primary_type, lang)) in text  # type: ignore[arg-type]
    assert _squash(taxonomy.label(chain.strategy, lang)) in text  # type: ignore[arg-type]
    assert format_score(chain.primary_score, words) in text
    assert _squash(words.label("missing")) in text  # missing indicators are shown as missing
    assert _squash(words.h("methodology")) in text
    assert run.taxonomy.sha256 in text
    assert run.input is not None and run.input.sha256 in text
    for paper in ("[000]", "[001]", "[002]", "[003]", "[004]"):
        assert paper in text


def test_dossier_flags_illustrative_figures(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory]
) -> None:
    run, _ = demo
    assert any(r.illustrative for r in run.chains[0].indicators.values())
    assert "示意数据" in _squash(pdf_text(demo_pdfs["dossier_zh"]))
    assert "illustrative" in pdf_text(demo_pdfs["dossier_en"])


def test_portfolio_names_every_chain_and_its_type(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy
) -> None:
    run, _ = demo
    text = _squash(pdf_text(demo_pdfs["portfolio_zh"]))
    for chain in run.chains:
        assert _squash(chain.chain_name) in text
        assert _squash(taxonomy.label(chain.primary_type, "zh")) in text
    for heading in ("总体概览", "风险矩阵", "重点风险产业链"):
        assert heading in text


def test_segment_table_names_weakest_segment(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory]
) -> None:
    run, _ = demo
    chain = next(c for c in run.chains if c.segments)
    assert chain.weakest_segment is not None
    text = _squash(pdf_text(demo_pdfs["portfolio_zh"]))
    assert f"最薄弱环节为“{chain.weakest_segment}”" in text


@pytest.mark.parametrize("name", ["dossier_zh", "dossier_en", "portfolio_zh"])
def test_every_font_is_embedded(demo_pdfs: dict[str, Path], name: str) -> None:
    fonts = pdf_fonts(demo_pdfs[name])
    assert fonts, "the PDF uses no font at all"
    for row in fonts:
        # columns: name type [subtype] encoding emb sub uni object-id gen
        assert row[-5] == "yes", f"font not embedded: {row}"
    assert all("WenQuanYi" in row[0] for row in fonts)


def test_page_numbers_outline_and_metadata(demo_pdfs: dict[str, Path]) -> None:
    reader = PdfReader(demo_pdfs["portfolio_zh"])
    pages = len(reader.pages)
    assert 10 <= pages <= 120
    assert f"第 {pages} / {pages} 页" in reader.pages[-1].extract_text()
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "总体概览" in titles
    assert reader.metadata is not None
    assert reader.metadata.title == "产业链安全评估报告"
    dossier = PdfReader(demo_pdfs["dossier_en"])
    assert 3 <= len(dossier.pages) <= 15
    assert dossier.metadata is not None and dossier.metadata.author == "张三"


@pytest.mark.parametrize(
    ("name", "marking"), [("dossier_zh", "内部资料"), ("dossier_en", "Internal")]
)
def test_default_marking_on_every_page(demo_pdfs: dict[str, Path], name: str, marking: str) -> None:
    reader = PdfReader(demo_pdfs[name])
    for page in reader.pages:
        assert marking in page.extract_text()


def test_configured_marking_replaces_default(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    options = ReportOptions(lang="zh", chains=[run.chains[1].chain_id], marking="秘密★1年")
    path = write_pdf(run, tmp_path / "m.pdf", options, inventory=inventory, taxonomy=taxonomy)
    pages = PdfReader(path).pages
    assert all("秘密★1年" in p.extract_text() and "内部资料" not in p.extract_text() for p in pages)


def test_same_input_gives_identical_bytes(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    options = ReportOptions(lang="zh", chains=[run.chains[3].chain_id])
    a = write_pdf(run, tmp_path / "a.pdf", options, inventory=inventory, taxonomy=taxonomy)
    b = write_pdf(run, tmp_path / "b.pdf", options, inventory=inventory, taxonomy=taxonomy)
    assert a.read_bytes() == b.read_bytes()


def test_cancel_leaves_existing_file_and_no_temp(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # stop in the middle of the build

    with pytest.raises(Cancelled):
        write_pdf(
            run, target, ReportOptions(), inventory=inventory, taxonomy=taxonomy, cancel=cancel
        )
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_unknown_chain_is_refused(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    with pytest.raises(ReportError, match="NO-SUCH-CHAIN"):
        write_pdf(
            run,
            tmp_path / "x.pdf",
            ReportOptions(chains=["NO-SUCH-CHAIN"]),
            inventory=inventory,
            taxonomy=taxonomy,
        )
    assert not list(tmp_path.iterdir())


def test_user_text_is_not_markup(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    chain = run.chains[0]
    note = "<b>风险</b> & <font size=40>x</font>"
    options = ReportOptions(
        chains=[chain.chain_id], notes={chain.chain_id: note}, organisation="A&B <研究所>"
    )
    path = write_pdf(run, tmp_path / "n.pdf", options, inventory=inventory, taxonomy=taxonomy)
    text = pdf_text(path)
    assert "<b>风险</b> & <font size=40>x</font>" in text
    assert "A&B <研究所>" in text


def _scaled(run: AssessmentRun, n: int) -> AssessmentRun:
    chains = [
        c.model_copy(update={"chain_id": f"{c.chain_id}-{k}", "chain_name": f"{c.chain_name}{k}"})
        for k in range(n)
        for c in [run.chains[k % len(run.chains)]]
    ]
    return run.model_copy(update={"chains": chains})


def _portfolio_with_progress(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path, n: int
) -> tuple[Path, list[float]]:
    run, inventory = demo
    seen: list[float] = []
    path = write_pdf(
        _scaled(run, n),
        tmp_path / f"p{n}.pdf",
        ReportOptions(lang="en"),
        inventory=inventory,
        taxonomy=taxonomy,
        progress=lambda f, _m: seen.append(f),
    )
    return path, seen


def test_large_selection_uses_compact_sections_and_reports_progress(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    path, seen = _portfolio_with_progress(demo, taxonomy, tmp_path, 30)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 30
    text = pdf_text(path)
    assert "Measures in full" in text  # each measure's text once, not 30 times
    assert len(PdfReader(path).pages) >= 30


@pytest.mark.slow
def test_thousand_chain_portfolio_completes(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    path, seen = _portfolio_with_progress(demo, taxonomy, tmp_path, 1000)
    assert seen[-1] == 1.0 and len(seen) > 1000
    reader = PdfReader(path)
    assert len(reader.pages) > 1000
    assert "998" in reader.pages[-1].extract_text() or len(reader.pages) > 1000


@pytest.mark.parametrize("name", ["dossier_zh", "portfolio_zh"])
def test_zh_appendix_has_no_configuration_keys(demo_pdfs: dict[str, Path], name: str) -> None:
    text = pdf_text(demo_pdfs[name])
    for key in (
        "min_coverage",
        "assign_threshold",
        "segment_rollup",
        "unknown_exposure",
        "gap_min",
    ):
        assert key not in text
    assert "分环节汇总规则" in _squash(text)


def test_english_table_cells_wrap_between_words(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    path = write_pdf(
        run, tmp_path / "en.pdf", ReportOptions(lang="en"), inventory=inventory, taxonomy=taxonomy
    )
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    lines = [line.strip() for line in raw.splitlines()]
    # CJK wrapping used to break English labels inside a word ("destroye" / "d").
    for broken in ("destroye", "missin", "borderli", "dependenc"):
        assert not [line for line in lines if line.endswith(broken)], broken
    assert "Capability destroyed" in raw or "destroyed" in lines
