"""The editable Word report (issue 12 item 3), read back as a reviewer's tools read it: python-docx
for the styles, tables and pictures, the package's XML for what Word decides fonts and fields by,
and LibreOffice for proof that the file opens and the Chinese text is there.

Expected words are the demo inventory's chain ids and names and the template's labels, never the
writer's own output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document

from riskdesk.core.commands import Judgement, Override
from riskdesk.core.effective import effective_run
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Outcome
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.docx_report import write_docx
from riskdesk.reports.options import ReportOptions

from .helpers import pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
DEMO_INVENTORY = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"

# The demo inventory's 13 chains (assets/demo/demo_inventory.xlsx).
DEMO_IDS = {
    "AERO-ENG", "EDA-SW", "PHOTORESIST", "IC", "AUTO-CHIP", "5G-RAN", "OPTICAL", "TEXTILE",
    "PHONE-ASSY", "EV-BATTERY", "BIO-ENZYME", "CRIT-MIN", "PEN-TIP",
}  # fmt: skip
DEMO_NAMES_ZH = ("航空发动机", "半导体光刻胶", "集成电路", "纺织服装", "圆珠笔笔尖")


@pytest.fixture(scope="module")
def portfolio(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    run, inventory = demo
    out = tmp_path_factory.mktemp("docx")
    return {
        lang: write_docx(
            run, out / f"portfolio_{lang}.docx",
            ReportOptions(lang=lang, organisation="产业安全研究所", author="张三"),
            inventory=inventory, taxonomy=taxonomy,
        )
        for lang in ("zh", "en")
    }  # fmt: skip


def _xml(path: Path, member: str) -> ElementTree.Element:
    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read(member))


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_headings_are_words_own_heading_styles(portfolio: dict[str, Path]) -> None:
    doc = Document(str(portfolio["zh"]))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert {"Heading 1", "Heading 2", "Heading 3"} <= set(by_style)
    assert "总体概览" in by_style["Heading 1"] and "分链评估" in by_style["Heading 1"]
    assert "附录：方法说明" in by_style["Heading 1"]
    chain_headings = [h for h in by_style["Heading 2"] if h.endswith("）")]
    # Every chain has its own Heading 2, "name（ID）", so the navigation pane lists it.
    assert {h.rsplit("（", 1)[1].rstrip("）") for h in chain_headings} >= DEMO_IDS
    assert "航空发动机（AERO-ENG）" in by_style["Heading 2"]
    # Headings are outline levels 0-2 in the styles (what the navigation pane reads).
    styles = _xml(portfolio["zh"], "word/styles.xml")
    levels = {
        s.get(f"{W}styleId"): s.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val")  # type: ignore[union-attr]
        for s in styles.iter(f"{W}style")
        if s.get(f"{W}styleId") in ("Heading1", "Heading2", "Heading3")
    }
    assert levels == {"Heading1": "0", "Heading2": "1", "Heading3": "2"}


def test_all_chains_table_lists_every_chain_with_widths_and_repeated_header(
    portfolio: dict[str, Path],
) -> None:
    doc = Document(str(portfolio["zh"]))
    tables = [t for t in doc.tables if _cells(t)[0][:3] == ["序号", "产业链", "主要类型"]]
    every = next(t for t in tables if len(_cells(t)[0]) == 8)  # rank … robustness
    rows = _cells(every)
    assert rows[0] == ["序号", "产业链", "主要类型", "风险等级", "得分", "优先级", "治理战略", "判定稳健性"]
    assert len(rows) == 1 + 13
    ids = {cell.split("\n")[1].split(" ")[0] for cell in (r[1] for r in rows[1:])}
    assert ids == DEMO_IDS
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 14)]
    tbl = every._tbl
    # Explicit widths: the table, each grid column and each cell, in twips (A4 body 174 mm).
    width = tbl.find(f"{W}tblPr/{W}tblW")
    assert width.get(f"{W}type") == "dxa" and abs(int(width.get(f"{W}w")) - 174 * 56.7) < 10
    grid = [int(c.get(f"{W}w")) for c in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert len(grid) == 8 and abs(sum(grid) - 174 * 56.7) < 10
    first_row = tbl.findall(f"{W}tr")[1]
    assert [int(c.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for c in first_row.findall(f"{W}tc")] == grid
    # The header row repeats on every page.
    header = tbl.findall(f"{W}tr")[0]
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in tbl.findall(f"{W}tr")[1:])


def test_charts_are_png_pictures(portfolio: dict[str, Path]) -> None:
    doc = Document(str(portfolio["zh"]))
    # Distribution and risk matrix, then radar and exposure for each of the 13 chains (≤ 20
    # chains: every chain has its charts, as in the PDF); trend charts where a series exists.
    assert len(doc.inline_shapes) >= 2 + 2 * 13
    with zipfile.ZipFile(portfolio["zh"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


def test_styles_name_the_east_asian_font_and_fields_update_on_open(
    portfolio: dict[str, Path],
) -> None:
    styles = _xml(portfolio["zh"], "word/styles.xml")
    fonts = {
        s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}rFonts")
        for s in styles.iter(f"{W}style")
    }
    for style_id in ("Normal", "Heading1", "Heading2", "Heading3", "Caption", "TableText",
                     "TableHeading", "TOC1", "Header", "Footer"):  # fmt: skip
        rfonts = fonts[style_id]
        assert rfonts is not None, style_id
        assert rfonts.get(f"{W}eastAsia") in ("SimSun", "SimHei"), style_id
        assert rfonts.get(f"{W}eastAsiaTheme") is None, style_id  # the theme's is empty
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert default.find(f"{W}rFonts").get(f"{W}eastAsia") == "SimSun"
    assert default.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    settings = _xml(portfolio["zh"], "word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"
    body = _xml(portfolio["zh"], "word/document.xml")
    instructions = [t.text or "" for t in body.iter(f"{W}instrText")]
    assert any(i.strip().startswith('TOC \\o "1-2" \\h \\z \\u') for i in instructions)


def test_contents_list_the_sections_before_word_updates_them(portfolio: dict[str, Path]) -> None:
    doc = Document(str(portfolio["en"]))
    toc = [p.text for p in doc.paragraphs if p.style.name.startswith("toc ")]
    assert toc[:2] == ["Executive summary", "Overview"]
    assert "Appendix: method" in toc
    assert sum(x.endswith(")") and x.rsplit("(", 1)[1][:-1] in DEMO_IDS for x in toc) == 13


def test_narrative_sections_as_in_the_pdf(portfolio: dict[str, Path]) -> None:
    """Executive summary first, numbered captions with a source line, a supplier section per
    chain, limitations, data sources with the input's SHA-256, GB/T 7714 references."""
    doc = Document(str(portfolio["zh"]))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    h1 = [text for style, text in paragraphs if style == "Heading 1"]
    assert h1[0] == "执行摘要"
    assert h1.index("局限性说明") < h1.index("附录：方法说明")
    summary = paragraphs[paragraphs.index(("Heading 1", "执行摘要")) + 1][1]
    assert "13" in summary  # the count of chains assessed
    captions = [text for style, text in paragraphs if style == "Caption"]
    figures = [c for c in captions if c.startswith("图")]
    tables = [c for c in captions if c.startswith("表")]
    # Numbered in order, without gaps: 图 1, 图 2, … and 表 1, 表 2, …
    assert [int(c.split("\u00a0")[1]) for c in figures] == list(range(1, len(figures) + 1))
    assert [int(c.split("\u00a0")[1]) for c in tables] == list(range(1, len(tables) + 1))
    assert figures[0].endswith("各类型产业链数量及风险等级")
    notes = [text for style, text in paragraphs if style == "Report Note"]
    assert sum(n.startswith("资料来源：") for n in notes) >= len(figures) + len(tables) - 1
    h3 = [text for style, text in paragraphs if style == "Heading 3"]
    assert h3.count("供应国构成") == 13
    # The data-sources table names the inventory with its SHA-256 (computed here).
    digest = hashlib.sha256(DEMO_INVENTORY.read_bytes()).hexdigest()
    sources = next(t for t in doc.tables if _cells(t)[0] == ["用途", "文件", "SHA-256"])
    assert ["demo_inventory.xlsx", digest] in [row[1:] for row in _cells(sources)]
    references = [text for _, text in paragraphs if text.startswith("[00")]
    assert len(references) == 5 and all("[J]" in r for r in references)


def test_marking_in_the_header_and_page_numbers_in_the_footer(portfolio: dict[str, Path]) -> None:
    doc = Document(str(portfolio["zh"]))
    section = doc.sections[0]
    assert "内部资料" in section.header.paragraphs[0].text
    assert "产业链安全评估报告" in section.header.paragraphs[0].text
    assert "内部资料" in section.first_page_header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p
    fields = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "产业安全研究所" in section.footer.paragraphs[0].text


def test_indicator_tables_show_missing_values_as_missing(portfolio: dict[str, Path]) -> None:
    for lang, head, missing in (("zh", "指标", "缺失"), ("en", "Indicator", "missing")):
        doc = Document(str(portfolio[lang]))
        # The indicator tables: indicator, value, unit, risk, source, year.
        tables = [_cells(t) for t in doc.tables
                  if _cells(t)[0][0] == head and len(_cells(t)[0]) == 6]  # fmt: skip
        assert len(tables) >= 13  # one per chain (and per segment)
        values = [row[1] for t in tables for row in t[1:]]
        assert missing in values  # the demo has data gaps; never printed as 0
        assert any(v.endswith("†") for v in values)  # illustrative figures are marked
        sources = [row[4] for t in tables for row in t[1:] if row[1] != missing]
        assert all(sources)


def test_core_properties_and_reproducible_bytes(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    run, inventory = demo
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    options = ReportOptions(lang="zh", chains=["PEN-TIP"], author="张三",
                            organisation="产业安全研究所")
    a = write_docx(run, tmp_path / "a.docx", options, inventory=inventory, taxonomy=taxonomy)
    b = write_docx(run, tmp_path / "b.docx", options, inventory=inventory, taxonomy=taxonomy)
    assert a.read_bytes() == b.read_bytes()
    props = Document(str(a)).core_properties
    assert props.title == "产业链安全评估档案：圆珠笔笔尖钢"
    assert props.subject and props.subject != props.title and "PEN-TIP" in props.subject
    assert props.author == "张三"
    assert "PEN-TIP" in props.keywords
    assert props.created == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    app = _xml(a, "docProps/app.xml")
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{ns}Company") == "产业安全研究所"
    assert (app.findtext(f"{ns}Application") or "").startswith("riskdesk")
    # A dossier's contents go three levels deep (a portfolio's two: sections and chains).
    instructions = [t.text or "" for t in _xml(a, "word/document.xml").iter(f"{W}instrText")]
    assert any(i.strip() == 'TOC \\o "1-3" \\h \\z \\u' for i in instructions)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    c = write_docx(run, tmp_path / "c.docx", options, inventory=inventory, taxonomy=taxonomy)
    assert Document(str(c)).core_properties.created >= before


def test_dossier_summary_box_prints_the_analysts_decision(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    reason = "日方出口管制后本土产线已停产，按能力破坏处理"
    override = Override(decision="overridden", outcome=Outcome.DESTROYED, reason=reason, by="王五")
    effective = effective_run(run, {("PHOTORESIST", None): Judgement(override=override)}, taxonomy)
    path = write_docx(effective, tmp_path / "d.docx", ReportOptions(lang="zh", chains=["PHOTORESIST"]),
                      inventory=inventory, taxonomy=taxonomy)  # fmt: skip
    doc = Document(str(path))
    box = _cells(doc.tables[1])  # after the cover's table
    labels = [r[0] for r in box]
    assert labels[:2] == ["主要类型", "分析人员判断"]
    assert box[0][1] == "能力破坏型"  # the decided type, not the engine's
    assert reason in box[1][1] and "王五" in box[1][1] and "能力缺失型" in box[1][1]


def _libreoffice_pdf(docx: Path, out: Path) -> Path:
    """LibreOffice's PDF of `docx`. The bundled CJK font is put on fontconfig's path: the test
    machine has no Chinese font of its own, as a reviewer's machine would."""
    conf = out / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS_DIR}</dir><cachedir>{out}/fc-cache</cachedir></fontconfig>",
        encoding="utf-8",
    )
    import os

    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(out), str(docx)],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip
    pdf = out / (docx.stem + ".pdf")
    assert pdf.exists(), result.stderr
    return pdf


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (writer) or poppler not installed",
)
def test_libreoffice_opens_it_and_the_chinese_text_is_there(
    portfolio: dict[str, Path], tmp_path: Path
) -> None:
    pdf = _libreoffice_pdf(portfolio["zh"], tmp_path)
    text = pdf_text(pdf)
    flat = "".join(text.split())
    for name in DEMO_NAMES_ZH:
        assert name in flat
    for chain_id in DEMO_IDS:
        assert chain_id in text
    assert "内部资料" in flat and "方法说明" in flat


def test_reference_document_is_what_its_script_builds() -> None:
    """assets/reports/reference.docx is reproducible from scripts/build_reference_docx.py (a
    hand edit in Word would be lost the next time the script runs)."""
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "build_reference_docx", root / "scripts" / "build_reference_docx.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.build() == (root / "assets" / "reports" / "reference.docx").read_bytes()
