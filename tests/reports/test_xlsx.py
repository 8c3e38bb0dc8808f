"""Excel workbook: read back cell by cell, formula injection stays text, a real spreadsheet
program opens it."""

from __future__ import annotations

import math
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, RiskType, Severity
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.templates import load_report_text
from riskdesk.reports.xlsx import ASSESSMENT_COLUMNS, write_xlsx
from riskdesk.reports.xlsx_cells import clean_text

INJECTIONS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rcarriage=1",
    "bell\x07inside",
    "=1+1\x00",
]


@pytest.fixture(scope="module")
def workbook_zh(
    demo: tuple[AssessmentRun, Inventory],
    taxonomy: Taxonomy,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    run, inventory = demo
    path = tmp_path_factory.mktemp("xlsx") / "demo_zh.xlsx"
    return write_xlsx(run, path, ReportOptions(lang="zh"), inventory=inventory, taxonomy=taxonomy)


def _close(a: object, b: float | None) -> bool:
    if b is None:
        return a is None
    return isinstance(a, (int, float)) and math.isclose(float(a), b, rel_tol=1e-12)


def test_sheets_named_in_language(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, workbook_zh: Path, tmp_path: Path
) -> None:
    assert openpyxl.load_workbook(workbook_zh).sheetnames == list(
        load_report_text("zh").sheets.values()
    )
    run, inventory = demo
    en = write_xlsx(
        run, tmp_path / "en.xlsx", ReportOptions(lang="en"), inventory=inventory, taxonomy=taxonomy
    )
    assert openpyxl.load_workbook(en).sheetnames == [
        "Summary",
        "Indicators",
        "Scores",
        "Strategies & measures",
        "Indicator sources",
        "Data issues",
        "Methodology",
        "Assessments",
    ]


def test_assessments_sheet_reads_back_cell_by_cell(
    demo: tuple[AssessmentRun, Inventory], workbook_zh: Path
) -> None:
    run, _ = demo
    ws = openpyxl.load_workbook(workbook_zh)["评估记录"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ASSESSMENT_COLUMNS
    col = {name: i for i, name in enumerate(ASSESSMENT_COLUMNS)}
    expected = [c for chain in run.chains for c in (chain, *chain.segments)]
    assert len(rows) - 1 == len(expected)
    for row, r in zip(rows[1:], expected, strict=True):
        assert row[col["chain_id"]] == r.chain_id
        assert row[col["chain_name"]] == r.chain_name
        assert row[col["segment"]] == r.segment
        assert row[col["primary_type"]] == r.primary_type.value
        assert row[col["types"]] == (",".join(t.value for t in r.types) or None)
        assert row[col["strategy"]] == r.strategy
        assert row[col["measures"]] == (",".join(r.measures) or None)
        assert _close(row[col["primary_score"]], r.primary_score)
        for t in RiskType:
            assert _close(row[col[f"score_{t.value}"]], r.type_scores.get(t))
        assert _close(row[col["exposure"]], r.exposure)
        assert row[col["taxonomy_sha256"]] == run.taxonomy.sha256


def test_indicator_values_and_risks_read_back_missing_stays_empty(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, workbook_zh: Path
) -> None:
    """Each indicator's value sits right before its risk score; missing stays an empty cell."""
    run, _ = demo
    ws = openpyxl.load_workbook(workbook_zh)["指标"]
    rows = list(ws.iter_rows(values_only=True))
    first = run.chains[0]
    row = rows[1]
    assert row[0] == first.chain_id
    saw_missing = False
    for k, ind in enumerate(taxonomy.indicators):
        res = first.indicators[ind.id]
        assert rows[0][3 + 2 * k] == f"{ind.name('zh')} ({ind.unit})"
        assert rows[0][4 + 2 * k] == f"{ind.name('zh')} · 风险分"
        assert _close(row[3 + 2 * k], res.value)
        assert _close(row[4 + 2 * k], res.risk if res.value is not None else None)
        saw_missing |= res.value is None
    assert saw_missing  # the demo chain has gaps: they must be empty cells, never 0


def test_layout_frozen_filtered_formatted_with_native_chart(workbook_zh: Path) -> None:
    wb = openpyxl.load_workbook(workbook_zh)
    assert wb["指标"].freeze_panes == "D2"  # ids stay in view while scrolling indicators
    for name in ("指标", "得分", "战略与措施", "指标来源", "数据问题", "评估记录"):
        ws = wb[name]
        assert ws.freeze_panes in ("A2", "D2")
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    assert len(wb["指标"].conditional_formatting) >= 1
    assert len(wb["得分"].conditional_formatting) >= 1
    assert wb["得分"]["F2"].number_format == "0.00"
    assert wb["指标"].column_dimensions["B"].width == 18
    with zipfile.ZipFile(workbook_zh) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_injection_stays_text(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path, text: str
) -> None:
    run, inventory = demo
    chain = run.chains[0].model_copy(update={"chain_name": text, "sector": text})
    issue = DataIssue(
        severity=Severity.WARNING, code="bad_value", message_zh=text, message_en=text, value=text
    )
    hostile = run.model_copy(update={"chains": [chain], "issues": [issue]})
    path = write_xlsx(
        hostile,
        tmp_path / "h.xlsx",
        ReportOptions(lang="en"),
        inventory=inventory,
        taxonomy=taxonomy,
    )
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    wb = openpyxl.load_workbook(path)
    expected = clean_text(text)
    cells = [
        wb["Assessments"]["B2"],
        wb["Assessments"]["D2"],
        wb["Data issues"]["C2"],
        wb["Data issues"]["E2"],
        wb["Scores"]["B2"],
    ]
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.value == expected
    assert "\x00" not in expected and "\x07" not in expected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_workbook(workbook_zh: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(workbook_zh),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    csvs = sorted(tmp_path.glob("*.csv"))
    assert csvs, result.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in csvs)
    assert "评估记录" in "".join(p.name for p in csvs) or "AERO-ENG" in text
    assert "航空发动机" in text


def test_same_run_gives_identical_workbook(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    a = write_xlsx(
        run, tmp_path / "a.xlsx", ReportOptions(), inventory=inventory, taxonomy=taxonomy
    )
    time.sleep(1.1)  # openpyxl stamps the save time; it must not reach the file
    b = write_xlsx(
        run, tmp_path / "b.xlsx", ReportOptions(), inventory=inventory, taxonomy=taxonomy
    )
    assert a.read_bytes() == b.read_bytes()


def test_cancelled_export_keeps_the_old_workbook(
    demo: tuple[AssessmentRun, Inventory], taxonomy: Taxonomy, tmp_path: Path
) -> None:
    run, inventory = demo
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old workbook")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 7  # after building the sheets, before the file is complete

    from riskdesk.core.progress import Cancelled

    with pytest.raises(Cancelled):
        write_xlsx(
            run, target, ReportOptions(), inventory=inventory, taxonomy=taxonomy, cancel=cancel
        )
    assert target.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]
