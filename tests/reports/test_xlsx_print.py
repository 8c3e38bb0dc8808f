"""The workbook a reviewer prints (issue 12): provenance and coverage beside the numbers, unique
headers, numbers stored as numbers, properties, print set-up, row heights, a colour-blind-safe
scale — each read back from the saved file with openpyxl, and LibreOffice printing it."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from riskdesk.core.inventory import Inventory
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.xlsx import write_xlsx
from riskdesk.reports.xlsx_cells import INSUFFICIENT_FORMAT, LINE_HEIGHT
from riskdesk.reports.xlsx_layout import SCALE_HIGH, SCALE_LOW, SCALE_MID

TABLES = ("指标", "得分", "战略与措施", "指标来源", "数据问题", "评估记录")
OPTIONS = ReportOptions(lang="zh", organisation="产业安全研究所", author="张三", marking="内部资料")


@pytest.fixture(scope="module")
def book(
    demo: tuple[AssessmentRun, Inventory],
    taxonomy: Taxonomy,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    run, inventory = demo
    path = tmp_path_factory.mktemp("xlsx_print") / "demo.xlsx"
    return write_xlsx(run, path, OPTIONS, inventory=inventory, taxonomy=taxonomy)


def _rows(ws: Worksheet) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))


def _in_colour_scale(ws: Worksheet, ref: str) -> bool:
    return any(
        ref in cf.sqref and any(rule.type == "colorScale" for rule in cf.rules)
        for cf in ws.conditional_formatting
    )


# --- 1. provenance and coverage ----------------------------------------------------------------


def test_every_value_has_its_source_year_kind_and_illustrative_flag(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, book: Path
) -> None:
    run, _ = demo
    wb = openpyxl.load_workbook(book)
    rows = _rows(wb["指标来源"])
    head = list(rows[0])
    col = {k: head.index(k) for k in ("指标", "数值", "风险分", "†", "数据类型", "年份", "来源")}
    assert col["风险分"] == col["数值"] + 1
    names = {ind.name("zh"): ind.id for ind in taxonomy.indicators}
    kinds = {"imported": "导入", "computed": "计算", "expert": "专家判断"}
    by_key = {(c.chain_id, c.segment): c for ch in run.chains for c in (ch, *ch.segments)}
    expected = sum(
        1 for c in by_key.values() for res in c.indicators.values() if res.value is not None
    )
    assert len(rows) - 1 == expected
    illustrative = 0
    for row in rows[1:]:
        r = by_key[(row[0], row[2])]
        res = r.indicators[names[row[col["指标"]]]]
        assert row[col["数值"]] == pytest.approx(res.value)
        assert row[col["来源"]] == (res.source or None)
        assert row[col["年份"]] == res.year
        assert row[col["数据类型"]] == (kinds[res.kind] if res.kind else None)
        assert row[col["†"]] == ("†" if res.illustrative else None)
        illustrative += res.illustrative
    assert illustrative > 0  # the demo's figures are illustrative, and say so
    # The re-importable matrix marks an illustrative value too, keeping it a number.
    matrix = wb["指标"]
    first = run.chains[0]
    for k, ind in enumerate(taxonomy.indicators):
        res = first.indicators[ind.id]
        cell = matrix.cell(row=2, column=4 + 2 * k)
        if res.value is not None:
            assert isinstance(cell.value, (int, float))
            assert cell.number_format.endswith('" †"') == res.illustrative


def test_coverage_per_dimension_and_insufficient_ones_are_not_coloured(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, book: Path
) -> None:
    run, _ = demo
    ws = openpyxl.load_workbook(book)["得分"]
    head = list(_rows(ws)[0])
    dims = [*taxonomy.capability_dimensions, EXPOSURE]
    chain_rows = {c.chain_id: k + 2 for k, c in enumerate(_row_results(run)) if c.segment is None}
    saw_insufficient = saw_counted = False
    for d in dims:
        label = taxonomy.label(d, "zh")
        score_col = head.index(f"{label} · 得分") + 1
        assert head[score_col] == f"{label} · 覆盖率"  # coverage right beside the score
        for r in _row_results(run):
            if r.segment is not None:
                continue
            ds = r.dimension_scores[d]
            row = chain_rows[r.chain_id]
            score = ws.cell(row=row, column=score_col)
            coverage = ws.cell(row=row, column=score_col + 1)
            assert coverage.value == pytest.approx(ds.coverage)
            if ds.score is None:
                assert score.value is None
                continue
            assert score.value == pytest.approx(ds.score)  # still a number
            if ds.sufficient:
                assert _in_colour_scale(ws, score.coordinate), (r.chain_id, d)
                saw_counted = True
            else:
                assert score.number_format == INSUFFICIENT_FORMAT
                assert score.font.color is not None and score.font.i
                assert not _in_colour_scale(ws, score.coordinate), (r.chain_id, d)
                saw_insufficient = True
    assert saw_insufficient and saw_counted
    # The example: AERO-ENG basic research 1.00 at 30 % coverage does not count.
    aero = next(c for c in run.chains if c.chain_id == "AERO-ENG")
    if not aero.dimension_scores["basic_research"].sufficient:
        col = head.index(f"{taxonomy.label('basic_research', 'zh')} · 得分") + 1
        assert ws.cell(row=chain_rows["AERO-ENG"], column=col).number_format == INSUFFICIENT_FORMAT


def _row_results(run: AssessmentRun) -> list[ChainResult]:
    return [c for ch in run.chains for c in (ch, *ch.segments)]


# --- 2. headers, numbers, properties -----------------------------------------------------------


def test_headers_are_unique_and_numbers_are_numbers(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for name in TABLES:
        head = [v for v in _rows(wb[name])[0] if v is not None]
        dupes = {h for h in head if head.count(h) > 1}
        assert not dupes, (name, dupes)
    # A number written as text (an id with a leading zero such as paper "003" is text).
    numeric = re.compile(r"^[+-]?(0|[1-9]\d*)(\.\d+)?%?$")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not numeric.match(cell.value), (ws.title, cell.coordinate, cell.value)
    summary = _rows(wb["摘要"])
    total = next(r for r in summary if r[0] == "评估链条数")
    assert isinstance(total[1], int)


def test_workbook_properties(book: Path) -> None:
    props = openpyxl.load_workbook(book).properties
    assert props.title == "产业链安全评估报告"
    assert props.subject and props.subject != props.title and "产业链" in props.subject
    assert props.creator == "张三"
    assert props.keywords and "产业链安全评估" in props.keywords
    with zipfile.ZipFile(book) as z:
        assert "<Company>产业安全研究所</Company>" in z.read("docProps/app.xml").decode()


# --- 3. printing --------------------------------------------------------------------------------


def test_every_sheet_prints_landscape_a4_with_titles_marking_and_page_numbers(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert len(wb.sheetnames) == 8
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 9, ws.title  # A4
        if ws.title == "指标":  # 90 indicator columns: across pages, ids repeated on each
            assert (ws.print_title_cols or "").replace("$", "") == "A:C"
            assert int(setup.scale) == 65
        else:
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), ws.title
        if ws.title != "摘要":
            assert (ws.print_title_rows or "").replace("$", "") == "1:1", ws.title
        assert ws.page_margins.left > 0 and ws.page_margins.top > 0
        assert "内部资料" in (ws.oddHeader.right.text or "")
        footer = ws.oddFooter.center.text or ""
        assert "&P" in footer and "&N" in footer, ws.title
    with zipfile.ZipFile(book) as z:  # the settings really are in the saved sheet XML
        xml = z.read("xl/worksheets/sheet3.xml").decode()
        assert (
            '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"' in xml
        )
        assert "<headerFooter>" in xml and '<pageSetUpPr fitToPage="1"' in xml
        assert "_xlnm.Print_Titles" in z.read("xl/workbook.xml").decode()


def test_wrapped_headers_and_multi_line_measures_get_row_heights(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    scores = wb["得分"]
    assert (scores.row_dimensions[1].height or 0) >= 2 * LINE_HEIGHT
    plans = wb["战略与措施"]
    col = list(_rows(plans)[0]).index("措施") + 1
    checked = 0
    for r in range(2, plans.max_row + 1):
        text = plans.cell(row=r, column=col).value
        if isinstance(text, str) and text.count("\n") >= 2:
            lines = text.count("\n") + 1
            assert (plans.row_dimensions[r].height or 0) >= lines * LINE_HEIGHT, r
            checked += 1
    assert checked > 0


# --- 4. colour ------------------------------------------------------------------------------------


def test_colour_scales_are_colour_blind_safe_yellow_to_red(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    scales = 0
    for ws in wb.worksheets:
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                if rule.type != "colorScale":
                    continue
                colours = [c.rgb[-6:] for c in rule.colorScale.color]
                assert colours == [SCALE_LOW, SCALE_MID, SCALE_HIGH], ws.title
                assert [float(v.val) for v in rule.colorScale.cfvo] == [0, 0.5, 1]
                scales += 1
    assert scales >= 3


def test_yl_or_rd_gets_darker_monotonically() -> None:
    """Lightness alone carries the order, so it survives red–green colour blindness."""

    def luminance(hex_rgb: str) -> float:
        r, g, b = (int(hex_rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    low, mid, high = (luminance(c) for c in (SCALE_LOW, SCALE_MID, SCALE_HIGH))
    assert low > mid > high
    assert low - high > 0.4


# --- 5. a real spreadsheet program prints it ----------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_prints_it_on_few_pages(book: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists(), result.stderr
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 30  # 26 now; 64 before the print set-up
    text = "".join((p.extract_text() or "") for p in reader.pages)
    # (LibreOffice's PDF of CJK text does not extract reliably; the ids are ASCII.)
    assert "AERO-ENG" in text and "PEN-TIP" in text
