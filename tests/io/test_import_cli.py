"""`riskdesk validate` and `riskdesk template`, including a hand-filled template round trip."""

from __future__ import annotations

import json

import openpyxl
import pytest
from import_files import write_xlsx

from riskdesk.cli.main import main
from riskdesk.io.inventory import read_inventory


def test_validate_prints_every_problem_and_exits_1(tmp_path, capsys) -> None:
    path = write_xlsx(
        tmp_path / "inv.xlsx",
        {
            "chains": [
                ["chain_id", "chain_name", "import_dependence"],
                ["C1", "a", "abc"],
                ["C1", "b", 0.5],
            ]
        },
    )
    out_json = tmp_path / "problems.json"
    code = main(["validate", str(path), "--lang", "en", "--json", str(out_json)])
    assert code == 1
    out = capsys.readouterr().out
    assert "not_a_number" not in out  # messages, not codes
    assert "a number is expected but the cell holds text" in out
    assert "appears again (first on row 2)" in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["counts"]["error"] == 2
    located = {(i["code"], i["row"], i["column"], i["value"]) for i in data["issues"]}
    assert ("not_a_number", 2, "C import_dependence", "abc") in located


def test_validate_clean_file_exits_0_in_chinese(tmp_path, capsys) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", {"chains": [["chain_id", "chain_name"], ["C1", "a"]]})
    assert main(["validate", str(path)]) == 0
    assert "共 0 个错误" in capsys.readouterr().out


def test_validate_unreadable_file_exits_1(tmp_path, capsys) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == 1
    assert "not a spreadsheet" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_filled_in_by_hand_imports_without_errors(tmp_path, taxonomy, lang) -> None:
    out = tmp_path / f"template_{lang}.xlsx"
    assert main(["template", str(out), "--lang", lang]) == 0
    wb = openpyxl.load_workbook(out)
    chains = wb.worksheets[0]
    assert chains.freeze_panes == "A2"
    headers = [c.value for c in chains[1]]
    assert chains.cell(row=1, column=1).comment is not None
    lists = [dv for dv in chains.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    categories = lists[0].formula1.strip('"').split(",")
    ranges = [dv for dv in chains.data_validations.dataValidation if dv.type == "decimal"]
    assert any(dv.formula1 == "0" and dv.formula2 == "1" for dv in ranges)
    assert "instructions" in wb.sheetnames or "填写说明" in wb.sheetnames
    # An analyst types two rows: a share as a percentage, a level, a count, the category from the list.
    values = {0: "C01", 1: "汽车芯片", 2: "制造", 4: categories[1], 5: 4, 6: 5, 9: 2024}
    for offset, header in enumerate(headers):
        if header in (taxonomy.indicator_by_id["import_dependence"].name(lang),):
            values[offset] = 0.9
        if header == taxonomy.indicator_by_id["early_warning"].name(lang):
            values[offset] = 2
        if header == taxonomy.indicator_by_id["supplier_count"].name(lang):
            values[offset] = 3
    for col, value in values.items():
        chains.cell(row=2, column=col + 1, value=value)
    chains.cell(row=3, column=1, value="C02")
    chains.cell(row=3, column=2, value="圆珠笔笔头钢")
    wb.save(out)
    inv = read_inventory(out, taxonomy)
    assert [i for i in inv.issues if i.severity != "assumption"] == []
    assert inv.keys() == [("C01", "制造"), ("C02", None)]
    assert inv.frame["import_dependence"].iloc[0] == 0.9
    assert inv.frame["early_warning"].iloc[0] == 2
    assert inv.frame["tech_category"].iloc[0] == "core"
    assert inv.frame["strategic_value"].iloc[0] == 4


def test_template_refuses_a_non_excel_name(tmp_path, capsys) -> None:
    assert main(["template", str(tmp_path / "t.csv")]) == 2
