"""Bad input, kind by kind: each gets a located message (file/sheet/row/column/value), no crash.

Every file is built inside the test. The README's list of handled kinds (docs/import.md) follows
this file; `KINDS` below counts them.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from import_files import HEADER

from riskdesk.core.models import DataIssue, Severity
from riskdesk.io.inventory import read_inventory
from riskdesk.io.issues import InventoryReadError
from riskdesk.io.options import ImportOptions


def only(issues: list[DataIssue], code: str) -> DataIssue:
    found = [i for i in issues if i.code == code]
    assert len(found) == 1, [(i.code, i.message_en) for i in issues]
    item = found[0]
    assert item.message_zh
    assert item.message_en
    return item


def test_missing_required_column(xlsx, taxonomy) -> None:
    inv = read_inventory(xlsx({"chains": [["chain_id", "环节"], ["C1", "设计"]]}), taxonomy)
    item = only(inv.issues, "missing_column")
    assert (item.severity, item.sheet, item.row, item.column) == (
        Severity.ERROR,
        "chains",
        1,
        "chain_name",
    )
    assert len(inv) == 0


def test_duplicate_chain_id(xlsx, taxonomy) -> None:
    path = xlsx({"chains": [["chain_id", "chain_name"], ["C1", "a"], ["C2", "b"], ["C1", "c"]]})
    inv = read_inventory(path, taxonomy)
    item = only(inv.issues, "duplicate_chain_id")
    assert (item.row, item.column, item.value) == (4, "A chain_id", "C1")
    assert "row 2" in item.message_en
    assert inv.keys() == [("C1", None), ("C2", None)]


def test_duplicate_chain_id_and_segment(xlsx, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "segment"],
        ["C1", "a", "设计"],
        ["C1", "a", "制造"],
        ["C1", "a", "设计"],
    ]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "duplicate_chain_segment")
    assert (item.row, item.value) == (4, "C1")
    assert "设计" in item.message_zh
    assert len(inv) == 2


def test_empty_file(tmp_path, taxonomy) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        path = tmp_path / name
        path.write_bytes(b"")
        with pytest.raises(InventoryReadError) as err:
            read_inventory(path, taxonomy)
        assert err.value.issue.code == "empty_file"
        assert err.value.issue.file == str(path)


def test_empty_sheet(xlsx, taxonomy) -> None:
    inv = read_inventory(xlsx({"chains": []}), taxonomy)
    item = only(inv.issues, "empty_sheet")
    assert item.sheet == "chains"
    assert len(inv) == 0


def test_only_a_header(xlsx, taxonomy) -> None:
    inv = read_inventory(xlsx({"chains": [HEADER]}), taxonomy)
    item = only(inv.issues, "no_data_rows")
    assert (item.severity, item.row) == (Severity.ERROR, 1)


def test_no_recognisable_header(csv_file, taxonomy) -> None:
    inv = read_inventory(csv_file([["foo", "bar"], ["1", "2"]]), taxonomy)
    item = only(inv.issues, "no_header_row")
    assert "chain_id" in item.message_en


def test_header_not_on_row_one(xlsx, taxonomy) -> None:
    rows = [["某省产业链清单"], [], ["chain_id", "chain_name", "对外依存度"], ["C1", "a", 0.4]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "header_not_first_row")
    assert (item.severity, item.row) == (Severity.ASSUMPTION, 3)
    assert inv.frame["import_dependence"].iloc[0] == 0.4
    assert inv.source_rows[("C1", None)] == 4


def test_merged_cells_fill_the_chain_over_its_segments(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "segment"], ["C1", "芯片", "设计"], [None, None, "制造"]]
    path = xlsx({"chains": rows}, merges={"chains": ["A2:A3", "B2:B3"]})
    inv = read_inventory(path, taxonomy)
    assert inv.keys() == [("C1", "设计"), ("C1", "制造")]
    assert list(inv.frame["chain_name"]) == ["芯片", "芯片"]
    merged = [i for i in inv.issues if i.code == "merged_cells"]
    assert {i.column for i in merged} == {"A", "B"}
    assert all(i.row == 2 and i.severity == Severity.ASSUMPTION for i in merged)


def test_text_in_a_number_column(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "对外依存度"], ["C1", "a", "很高"], ["C2", "b", 0.5]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "not_a_number")
    assert (item.row, item.column, item.value) == (2, "C 对外依存度", "很高")
    assert math.isnan(inv.frame["import_dependence"].iloc[0])
    assert inv.frame["import_dependence"].iloc[1] == 0.5


@pytest.mark.parametrize("value", [1.7, -0.2])
def test_share_out_of_range(xlsx, taxonomy, value) -> None:
    rows = [["chain_id", "chain_name", "import_dependence"], ["C1", "a", value], ["C2", "b", 0.3]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "share_out_of_range")
    assert (item.row, item.column, item.value) == (2, "C import_dependence", f"{value:g}")
    assert "90%" in item.message_en
    assert math.isnan(inv.frame["import_dependence"].iloc[0])


def test_nan_and_inf(csv_file, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "import_dependence", "tech_gap_years"],
        ["C1", "a", "NaN", "inf"],
    ]
    inv = read_inventory(csv_file(rows), taxonomy)
    nan = only(inv.issues, "nan_value")
    assert (nan.severity, nan.row, nan.column, nan.value) == (
        Severity.WARNING,
        2,
        "C import_dependence",
        "NaN",
    )
    inf = only(inv.issues, "not_finite")
    assert (inf.severity, inf.row, inf.column, inf.value) == (
        Severity.ERROR,
        2,
        "D tech_gap_years",
        "inf",
    )
    assert inv.frame[["import_dependence", "tech_gap_years"]].isna().all(axis=None)


def test_date_in_a_number_column(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "inventory_days"], ["C1", "a", date(2024, 3, 1)]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "date_in_number")
    assert (item.row, item.column, item.value) == (2, "C inventory_days", "2024-03-01")


def test_formula_without_cached_value(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", "=2+3"], ["C2", "b", 4]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "formula_no_value")
    assert (item.row, item.column) == (2, "C supplier_count")
    assert "Excel" in item.message_en
    assert inv.frame["supplier_count"].iloc[1] == 4


def test_excel_error_value(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", "#DIV/0!"]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "excel_error")
    assert (item.row, item.value) == (2, "#DIV/0!")


def test_boolean_in_a_number_column(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", True]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "boolean")
    assert (item.row, item.value) == (2, "True")


def test_number_stored_as_text_is_read_and_reported(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", "12"], ["C2", "b", 3]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "number_stored_as_text")
    assert (item.severity, item.row, item.column) == (Severity.ASSUMPTION, 2, "C supplier_count")
    assert list(inv.frame["supplier_count"]) == [12.0, 3.0]


def test_negative_count(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "qualified_alt_suppliers"], ["C1", "a", -2]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "negative_count")
    assert (item.row, item.column, item.value) == (2, "C qualified_alt_suppliers", "-2")


def test_level_out_of_range(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "风险预警机制成熟度"], ["C1", "a", 5]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "out_of_range")
    assert (item.row, item.value) == (2, "5")
    assert "0.0–3.0" in item.message_en


def test_profile_level_out_of_range(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "战略价值"], ["C1", "a", 7]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "out_of_range")
    assert (item.row, item.column, item.value) == (2, "C 战略价值", "7")


def test_unknown_tech_category(xlsx, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "tech_category"],
        ["C1", "a", "量子"],
        ["C2", "b", "成熟技术"],
    ]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "bad_tech_category")
    assert (item.row, item.value) == (2, "量子")
    assert list(inv.frame["tech_category"]) == [None, "mature"]


def test_row_without_chain_id(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], [None, "a", 3], ["C2", "b", 4]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "missing_key")
    assert (item.row, item.column) == (2, "A chain_id")
    assert inv.keys() == [("C2", None)]


def test_thousands_or_decimal_comma(csv_file, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "inventory_days", "import_dependence"],
        ["C1", "a", "1,234", "0,45"],
    ]
    inv = read_inventory(csv_file(rows), taxonomy)
    item = only(inv.issues, "thousands_separator")
    assert (item.severity, item.row, item.column, item.value) == (
        Severity.ASSUMPTION,
        2,
        "C inventory_days",
        "1234",
    )
    assert inv.frame["inventory_days"].iloc[0] == 1234
    assert inv.frame["import_dependence"].iloc[0] == 0.45  # "0,45": a decimal comma, unambiguous


def test_shares_given_as_0_to_100_are_scaled_and_reported(xlsx, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "对外依存度"],
        ["C1", "a", 90],
        ["C2", "b", 45],
        ["C3", "c", 0.5],
    ]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "percent_scale")
    assert item.severity == Severity.ASSUMPTION
    assert item.column == "C 对外依存度"
    assert list(inv.frame["import_dependence"]) == [0.9, 0.45, 0.005]


def test_unknown_column_is_kept_and_reported(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "联系人"], ["C1", "a", "张三"]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "unknown_column")
    assert (item.severity, item.row, item.column, item.value) == (
        Severity.WARNING,
        1,
        "C",
        "联系人",
    )
    assert inv.extra_columns == ["联系人"]


def test_duplicate_column(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "对外依存度", "import_dependence"], ["C1", "a", 0.2, 0.9]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "duplicate_column")
    assert item.column == "D"
    assert inv.frame["import_dependence"].iloc[0] == 0.2


def test_wrong_sheet_name_gets_a_hint(xlsx, taxonomy) -> None:
    path = xlsx({"说明": [["x"]], "chains": [["chain_id", "chain_name"], ["C1", "a"]]})
    with pytest.raises(InventoryReadError) as err:
        read_inventory(path, taxonomy, options=ImportOptions(sheet="chain"))
    item = err.value.issue
    assert (item.code, item.sheet) == ("sheet_not_found", "chain")
    assert "did you mean 'chains'" in item.message_en


def test_misspelt_optional_sheet_is_named_with_a_hint(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [["chain_id", "chain_name"], ["C1", "a"]],
            "timeserie": [["chain_id", "indicator", "year", "value"]],
        }
    )
    item = only(read_inventory(path, taxonomy).issues, "sheet_ignored")
    assert item.sheet == "timeserie"
    assert "timeseries" in item.message_en


def test_chains_sheet_with_another_name_is_used_and_said(xlsx, taxonomy) -> None:
    path = xlsx({"Sheet1": [["chain_id", "chain_name"], ["C1", "a"]]})
    inv = read_inventory(path, taxonomy)
    assert only(inv.issues, "chains_sheet_guessed").value == "Sheet1"
    assert len(inv) == 1


def test_bad_trade_rows_are_located(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [["chain_id", "chain_name"], ["C1", "a"]],
            "trade": [
                ["product", "reporter", "partner", "year", "flow", "value"],
                ["C1", "CHN", "USA", 2020, "re-export", 5],
                ["C1", "CHN", "USA", 2020, "import", -5],
            ],
        }
    )
    inv = read_inventory(path, taxonomy)
    bad = [i for i in inv.issues if i.code == "bad_trade_row"]
    assert [(i.sheet, i.row, i.column) for i in bad] == [
        ("trade", 2, "E flow"),
        ("trade", 3, "F value"),
    ]
    assert inv.trade is not None
    assert len(inv.trade) == 0


def test_timeseries_unknown_indicator_and_bad_year(xlsx, taxonomy) -> None:
    path = xlsx(
        {
            "chains": [["chain_id", "chain_name"], ["C1", "a"]],
            "timeseries": [
                ["chain_id", "indicator", "year", "value"],
                ["C1", "GDP", 2020, 1],
                ["C1", "rca_index", "去年", 1],
            ],
        }
    )
    inv = read_inventory(path, taxonomy)
    assert only(inv.issues, "unknown_indicator").row == 2
    year = only(inv.issues, "bad_year")
    assert (year.row, year.column, year.value) == (3, "C year", "去年")
    assert inv.series == {}


def test_zero_time_to_survive(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "ttr_days", "tts_days"], ["C1", "a", 30, 0]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    item = only(inv.issues, "bad_ttr_tts")
    assert (item.row, item.column) == (2, "D tts_days")
    assert math.isnan(inv.frame["ttr_tts_ratio"].iloc[0])


def test_missing_markers_are_missing_not_zero(csv_file, taxonomy) -> None:
    rows = [
        ["chain_id", "chain_name", "supplier_count"],
        ["C1", "a", "—"],
        ["C2", "b", "N/A"],
        ["C3", "c", "无数据"],
        ["C4", "d", ""],
    ]
    inv = read_inventory(csv_file(rows), taxonomy)
    assert inv.frame["supplier_count"].isna().all()
    assert [i for i in inv.issues if i.severity != Severity.ASSUMPTION] == []


def test_missing_file(tmp_path: Path, taxonomy) -> None:
    with pytest.raises(InventoryReadError) as err:
        read_inventory(tmp_path / "nope.xlsx", taxonomy)
    assert err.value.issue.code == "file_not_found"


def test_na_error_cell_is_missing_with_a_warning(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", "#N/A"]]
    item = only(read_inventory(xlsx({"chains": rows}), taxonomy).issues, "na_error")
    assert (item.severity, item.row, item.value) == (Severity.WARNING, 2, "#N/A")


def test_merged_cells_in_a_value_column_are_named(xlsx, taxonomy) -> None:
    rows = [["chain_id", "chain_name", "supplier_count"], ["C1", "a", 3], ["C2", "b", None]]
    inv = read_inventory(xlsx({"chains": rows}, merges={"chains": ["C2:C3"]}), taxonomy)
    item = only(inv.issues, "merged_cells")
    assert (item.severity, item.row, item.column) == (Severity.WARNING, 2, "C")
    assert "C2:C3" in item.message_en
    assert math.isnan(inv.frame["supplier_count"].iloc[1])  # not copied into a value column


def test_header_with_line_break_and_unit(xlsx, taxonomy) -> None:
    rows = [["产业链\n编号", "产业链名称 ", "对外依存度\n（%）"], ["C1", "a", 85]]
    inv = read_inventory(xlsx({"chains": rows}), taxonomy)
    assert inv.frame["import_dependence"].iloc[0] == 0.85
    assert only(inv.issues, "percent_scale").column == "C 对外依存度\n（%）"
