"""PDF navigation read back as a reviewer meets it: bookmarks that open their page, a contents
page with the right page numbers, every chain in the summary, and honest metadata."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from riskdesk.core.inventory import Inventory
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf import write_pdf
from riskdesk.reports.templates import load_report_text

from .helpers import needs_poppler, pdf_page_texts

pytestmark = needs_poppler


def _squash(text: str) -> str:
    return "".join(text.split())


def _heading(chain: ChainResult, lang: str) -> str:
    """A chain section's heading as the report prints it: name (id)."""
    name = chain.chain_name if chain.segment is None else f"{chain.chain_name} · {chain.segment}"
    return f"{name}（{chain.chain_id}）" if lang == "zh" else f"{name} ({chain.chain_id})"


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every outline entry, in document order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                page = reader.get_destination_page_number(item)
                out.append((level, str(item.title), page + 1))

    walk(reader.outline, 0)
    return out


@pytest.mark.parametrize("name", ["portfolio_zh", "portfolio_en", "dossier_zh"])
def test_every_bookmark_lands_on_a_page_showing_its_heading(
    demo_pdfs: dict[str, Path], name: str
) -> None:
    path = demo_pdfs[name]
    pages = [_squash(p) for p in pdf_page_texts(path)]
    outline = _outline(PdfReader(path))
    assert len(outline) > 10
    for _level, title, page in outline:
        assert _squash(title) in pages[page - 1], f"bookmark {title!r} opens page {page}"
    assert len({page for _, _, page in outline}) > 3  # not every entry on one page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_chain_bookmark_opens_its_own_section(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory], lang: str
) -> None:
    run, _ = demo
    path = demo_pdfs[f"portfolio_{lang}"]
    pages = [_squash(p) for p in pdf_page_texts(path)]
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    seen: list[int] = []
    for chain in run.chains:
        title = _heading(chain, lang)
        assert title in by_title, f"no bookmark for {chain.chain_id}"
        page = by_title[title]
        assert _squash(title) in pages[page - 1]
        seen.append(page)
    assert seen == sorted(seen) and len(set(seen)) == len(run.chains)
    # The destination is the heading's height on the page, not the whole page.
    reader = PdfReader(path)
    assert all(d.typ == "/XYZ" for d in reader.outline if isinstance(d, Destination))


def _contents_entries(text: str) -> dict[str, int]:
    """Title -> page number of each entry of a contents page. Layout mode keeps an entry's
    lines together; a wrapped entry's number is on its last line, so lines without a number
    are carried into the next one (a blank line starts afresh)."""
    out: dict[str, int] = {}
    pending = ""
    for line in text.splitlines():
        m = re.match(r"\s*(.+?)\s+(\d+)\s*$", line)
        if m:
            out[pending + _squash(m.group(1))] = int(m.group(2))
            pending = ""
        else:
            pending = pending + _squash(line) if line.strip() else ""
    return out


def _listed_at(entries: dict[str, int], title: str) -> int | None:
    """The page a contents entry gives for `title` (an entry may carry the page title before
    it, e.g. "Contents" on the line above the first entry)."""
    found = [page for text, page in entries.items() if text.endswith(_squash(title))]
    return found[0] if len(found) == 1 else None


@pytest.mark.parametrize("name", ["portfolio_zh", "portfolio_en", "dossier_en"])
def test_contents_page_follows_the_cover_with_right_page_numbers(
    demo_pdfs: dict[str, Path], name: str
) -> None:
    path = demo_pdfs[name]
    lang = name.rsplit("_", 1)[1]
    contents = load_report_text(lang).h("contents")  # type: ignore[arg-type]
    texts = pdf_page_texts(path, layout=True)
    assert contents in [line.strip() for line in texts[1].splitlines()]
    entries = _contents_entries(texts[1])
    outline = _outline(PdfReader(path))
    assert (0, contents, 2) in outline  # right after the cover
    listed = [(t, p) for level, t, p in outline if level <= 1 and p > 2]
    assert listed
    for title, page in listed:
        assert _listed_at(entries, title) == page, f"contents: {title!r} should say {page}"


def test_contents_lists_every_chain(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory]
) -> None:
    run, _ = demo
    path = demo_pdfs["portfolio_zh"]
    entries = _contents_entries(pdf_page_texts(path, layout=True)[1])
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    for chain in run.chains:
        title = _heading(chain, "zh")
        assert _listed_at(entries, title) == by_title[title]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_lists_every_chain_and_names_those_off_the_matrix(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory], lang: str
) -> None:
    run, _ = demo
    words = load_report_text(lang)  # type: ignore[arg-type]
    path = demo_pdfs[f"portfolio_{lang}"]
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    first, after = by_title[words.h("overview")], by_title[words.h("chains")]
    summary = "".join(_squash(p) for p in pdf_page_texts(path)[first - 1 : after - 1])
    assert len(run.chains) == 13
    assert _squash(words.h("all_chains")) in summary
    for chain in run.chains:
        assert chain.chain_id in summary, f"{chain.chain_id} missing from the summary"
    left_off = [c for c in run.chains if c.gap is None or c.exposure is None]
    assert left_off  # the demo has chains without a gap or exposure value
    note = summary[summary.index(_squash(words.say("matrix_left_off", count=0, names="")[:8])) :]
    for chain in left_off:
        assert chain.chain_id in note


def _pdf_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def test_metadata_has_run_date_and_a_real_subject(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory]
) -> None:
    run, _ = demo
    expected = _pdf_date(dt.datetime.fromisoformat(run.assessed_at))
    for name in ("portfolio_zh", "dossier_en"):
        info = PdfReader(demo_pdfs[name]).trailer["/Info"].get_object()
        assert info["/CreationDate"] == expected
        assert not str(info["/CreationDate"]).startswith("D:2000")
        assert info["/Subject"] != info["/Title"]
    info = PdfReader(demo_pdfs["portfolio_zh"]).trailer["/Info"].get_object()
    assert "13 条" in info["/Subject"] and run.assessed_at[:10] in info["/Subject"]
    dossier = PdfReader(demo_pdfs["dossier_en"]).trailer["/Info"].get_object()
    assert run.chains[0].chain_id in dossier["/Subject"]
    assert run.chains[0].chain_id in dossier["/Keywords"]
    assert "产业链安全评估" in info["/Keywords"] and run.taxonomy.sha256 in info["/Keywords"]


def test_source_date_epoch_sets_the_creation_date(
    demo: tuple[AssessmentRun, Inventory],
    taxonomy: Taxonomy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, inventory = demo
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = ReportOptions(lang="en", chains=[run.chains[2].chain_id])
    a = write_pdf(run, tmp_path / "a.pdf", options, inventory=inventory, taxonomy=taxonomy)
    b = write_pdf(run, tmp_path / "b.pdf", options, inventory=inventory, taxonomy=taxonomy)
    assert a.read_bytes() == b.read_bytes()
    info = PdfReader(a).trailer["/Info"].get_object()
    assert info["/CreationDate"] == _pdf_date(dt.datetime.fromtimestamp(1_700_000_000, dt.UTC))


def test_running_header_names_the_chain(
    demo_pdfs: dict[str, Path], demo: tuple[AssessmentRun, Inventory]
) -> None:
    run, _ = demo
    path = demo_pdfs["portfolio_zh"]
    pages = [_squash(p) for p in pdf_page_texts(path)]
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    for chain in run.chains[1:4]:
        title = _heading(chain, "zh")
        # The section's second page carries no heading of its own, only the running header.
        assert _squash(f"产业链安全评估报告 · {title}") in pages[by_title[title]]


def test_long_contents_runs_over_pages_with_right_numbers(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    chains = [
        # Names long enough to wrap: 40 two-line entries need a second contents page.
        c.model_copy(
            update={
                "chain_id": f"{c.chain_id}-{k}",
                "chain_name": f"{c.chain_name}{k} " + "with a long descriptive name " * 4,
            }
        )
        for k in range(40)
        for c in [run.chains[k % len(run.chains)]]
    ]
    big = run.model_copy(update={"chains": chains})
    path = write_pdf(
        big, tmp_path / "big.pdf", ReportOptions(lang="en"), inventory=inventory, taxonomy=taxonomy
    )
    texts = pdf_page_texts(path, layout=True)
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    first_chain = by_title[_heading(chains[0], "en")]
    entries: dict[str, int] = {}
    for text in texts[1 : first_chain - 1]:
        entries |= _contents_entries(text)
    assert by_title["Contents"] == 2 and by_title["Overview"] >= 4  # contents took 2+ pages
    for chain in chains:
        title = _heading(chain, "en")
        assert _listed_at(entries, title) == by_title[title]


def test_many_chains_off_the_matrix_are_marked_in_the_table(
    demo: tuple[AssessmentRun, Inventory],
    taxonomy: Taxonomy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run, inventory = demo
    monkeypatch.setattr("riskdesk.reports.pdf.MATRIX_NAMED", 2)  # the demo leaves 4 off
    path = write_pdf(
        run, tmp_path / "p.pdf", ReportOptions(lang="en"), inventory=inventory, taxonomy=taxonomy
    )
    words = load_report_text("en")
    by_title = {title: page for _, title, page in _outline(PdfReader(path))}
    texts = pdf_page_texts(path)[by_title["Overview"] - 1 : by_title["Chain by chain"] - 1]
    summary = _squash(" ".join(texts))
    marker = _squash(words.label("off_matrix"))
    assert "4chainslack" in summary
    for chain in run.chains:
        off = chain.gap is None or chain.exposure is None
        assert (chain.chain_id + marker in summary) == off, chain.chain_id
