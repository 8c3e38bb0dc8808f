"""Large workbooks: past Excel's row limit the Indicator sources continue on further sheets
(20,000 segmented chains crashed the export), and the streamed workbook is the same file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import MultiCellRange

from riskdesk.core.inventory import Inventory
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports import xlsx_cells
from riskdesk.reports import xlsx_layout as layout
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.xlsx import blocks_of, write_xlsx, write_xlsx_blocks

N_CHAINS = 1000
ROW_LIMIT = 700  # stands in for Excel's 1,048,576: header + 699 source rows per sheet


def _chains(run: AssessmentRun, n: int) -> list[ChainResult]:
    """n unsegmented chains, each with exactly three indicator values (three source rows)."""
    model = next(c for c in run.chains if not c.segments)
    given = [k for k, v in model.indicators.items() if v.value is not None][:3]
    assert len(given) == 3
    indicators = {k: model.indicators[k] for k in given}
    return [
        model.model_copy(update={"chain_id": f"C{i:05d}", "indicators": indicators})
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def big_run(demo: tuple[AssessmentRun, Inventory]) -> AssessmentRun:
    run, _inventory = demo
    return run.model_copy(update={"chains": _chains(run, N_CHAINS)})


def test_sources_continue_on_further_sheets_past_the_row_limit(
    big_run: AssessmentRun, taxonomy: Taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_cells, "MAX_SHEET_ROWS", ROW_LIMIT)
    path = write_xlsx(big_run, tmp_path / "big.xlsx", ReportOptions(lang="en"), inventory=None,
                      taxonomy=taxonomy)  # fmt: skip
    wb = openpyxl.load_workbook(path)  # not read-only: ranges and filters are parsed too
    # 3,000 source rows at 699 a sheet: four full sheets and one of 204 rows.
    parts = ["Indicator sources", *(f"Indicator sources ({k})" for k in range(2, 6))]
    names = wb.sheetnames
    first = names.index("Indicator sources")
    assert names[first : first + 5] == parts
    assert names[first + 5] == "Data issues"
    sizes = [wb[p].max_row for p in parts]
    assert sizes == [700] * 4 + [205]
    header = [c.value for c in wb[parts[0]][1]]
    for p in parts:
        ws = wb[p]
        assert [c.value for c in ws[1]] == header
        assert ws.auto_filter.ref == f"A1:L{ws.max_row}"
        (scale,) = list(ws.conditional_formatting)
        assert str(scale.sqref) == f"H2:H{ws.max_row}"
    # The 700th source row (the first of sheet 2) is chain 233's first indicator (3 a chain).
    second = wb[parts[1]]
    assert second["A2"].value == "C00233"
    assert second["D2"].value == wb[parts[0]]["D2"].value
    assert wb[parts[-1]]["A205"].value == "C00999"
    # Every other chain sheet holds all 1,000 chains under one header.
    assert wb["Indicators"].max_row == N_CHAINS + 1
    assert wb["Assessments"].max_row == N_CHAINS + 1


def test_scores_colour_ranges_of_twenty_thousand_alternating_rows_are_valid() -> None:
    flags = [i % 2 == 0 for i in range(20_000)]  # rows 2, 4, …, 20,000 count
    ref = layout.sqref(14, layout.runs(flags))
    ranges = MultiCellRange(ref)
    assert len(ranges.ranges) == 10_000
    assert {r.coord for r in ranges.ranges} >= {"N2", "N20000"}
    assert "N3" not in {r.coord for r in ranges.ranges}


def test_streamed_workbook_is_the_same_file(
    big_run: AssessmentRun, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    options = ReportOptions(lang="zh", organisation="研究所")
    whole = write_xlsx(big_run, tmp_path / "whole.xlsx", options, inventory=None,
                       taxonomy=taxonomy)  # fmt: skip
    header = big_run.model_copy(update={"chains": []})
    streamed = tmp_path / "streamed.xlsx"
    blocks = write_xlsx_blocks(
        header, blocks_of(big_run.chains, 300), streamed, options, taxonomy=taxonomy
    )
    passed = [c.chain_id for block in blocks for c in block]
    assert passed == [c.chain_id for c in big_run.chains]
    assert streamed.read_bytes() == whole.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed.xlsx", "whole.xlsx"]
