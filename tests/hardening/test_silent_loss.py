"""Finding 3: nothing is lost silently — every cell the reader cannot turn into a value, every
row a quote swallowed and every value without a header becomes a located issue."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hostile import HEADER, ROWS, raw_xlsx, rows_xml, run_cli

from riskdesk.core.models import Severity
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.io.issues import InventoryReadError

PROFILE = ["chain_id", "chain_name", "tech_category", "strategic_value", "generality", "year",
           "import_dependence"]  # fmt: skip


def _codes(inv: object) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for i in inv.issues:  # type: ignore[attr-defined]
        found.setdefault(i.code, []).append(i)
    return found


def test_an_unclosed_quote_that_swallows_rows_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        "chain_id,chain_name,description,import_dependence\n"
        "A,芯片,ok,0.5\n"
        'B,电池,"unclosed,0.4\n'
        "C,稀土,x,0.3\n"
        "D,软件,y,0.2\n"
        "E,光刻胶,z,0.9\n",
        encoding="utf-8",
    )
    proc = run_cli(["assess", path, "--no-robustness", "--lang", "en"])
    assert proc.returncode == 1
    assert "quote is not closed" in proc.stderr and "lines 3–6" in proc.stderr


def test_line_breaks_in_quoted_text_are_an_assumption_not_an_error(tmp_path: Path,
                                                                     taxonomy: Taxonomy) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('chain_id,chain_name,description\nA,芯片,"two\nlines"\nB,电池,x\n',
                    encoding="utf-8")
    inv = read_inventory(path, taxonomy)
    assert len(inv) == 2
    assert "multi_line_cell" in _codes(inv) and "unclosed_quote" not in _codes(inv)


def test_short_rows_and_data_beyond_the_header_in_csv(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("chain_id,chain_name,,import_dependence\n"
                    "A,芯片,lost,0.5,extra\n"
                    "B,电池\n"
                    "C,稀土,,0.3\n", encoding="utf-8")  # fmt: skip
    inv = read_inventory(path, taxonomy)
    codes = _codes(inv)
    assert len(inv) == 3
    headless = codes["data_without_header"]
    assert {i.column for i in headless} == {"C", "E"}  # type: ignore[attr-defined]
    assert codes["csv_short_rows"][0].row == 3  # type: ignore[attr-defined]


def test_a_field_over_the_csv_limit_names_its_row(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "long.csv"
    path.write_text("chain_id,chain_name,description\nA,x,short\nB,y," + "字" * 140_000 + "\n",
                    encoding="utf-8")
    with pytest.raises(InventoryReadError) as info:
        read_inventory(path, taxonomy)
    assert info.value.issue.row == 3 and "131072" in info.value.message("en")
    proc = run_cli(["validate", path, "--lang", "en"])
    assert proc.returncode == 1 and "row 3" in proc.stdout


def _error_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="e"><v>{value}</v></c>'


def test_error_values_and_formulas_without_results_become_located_issues(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    body = rows_xml([PROFILE])
    body += ('<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c>'
             '<c r="B2" t="inlineStr"><is><t>芯片</t></is></c>'
             '<c r="C2" t="e"><f>core</f><v>#NAME?</v></c>'
             + _error_cell("D2", "#DIV/0!") + _error_cell("E2", "#REF!")
             + '<c r="F2"><f>YEAR(NOW())</f></c>' + _error_cell("G2", "#N/A") + "</row>")
    body += ('<row r="3"><c r="A3" t="inlineStr"><is><t>B</t></is></c>'
             '<c r="B3" t="inlineStr"><is><t>电池</t></is></c><c r="C3"><f>core</f></c>'
             '<c r="G3"><f>1/0</f><v></v></c></row>')
    path = raw_xlsx(tmp_path / "errors.xlsx", {"chains": body})
    inv = read_inventory(path, taxonomy)
    located = {(i.row, i.column.split()[0]): i for i in inv.issues if i.row and i.column}
    for cell in ("C2", "D2", "E2", "F2", "G2", "C3", "G3"):
        key = (int(cell[1:]), cell[0])
        assert key in located, (cell, [i.model_dump() for i in inv.issues])
    assert located[(2, "G")].severity == Severity.WARNING  # #N/A: the analyst's "no data"
    assert located[(2, "D")].severity == Severity.ERROR
    assert located[(3, "C")].code == "formula_no_value"


def test_a_second_chains_sheet_hidden_rows_and_hidden_sheets_are_reported(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    main = rows_xml([HEADER, *ROWS]).replace('<row r="3">', '<row r="3" hidden="1">')
    path = raw_xlsx(tmp_path / "two.xlsx",
                    {"chains": main, "产业链清单": rows_xml([HEADER, ["Z9", "隐藏链"]]),
                     "trade": rows_xml([["product"]])},
                    hidden=["trade"])  # fmt: skip
    inv = read_inventory(path, taxonomy)
    codes = _codes(inv)
    assert codes["second_chains_sheet"][0].value == "产业链清单"  # type: ignore[attr-defined]
    assert codes["hidden_rows"][0].row == 3  # type: ignore[attr-defined]
    assert codes["hidden_sheet"][0].value == "trade"  # type: ignore[attr-defined]


def test_utf16_with_a_stray_byte_or_a_lone_surrogate(tmp_path: Path, taxonomy: Taxonomy) -> None:
    text = "chain_id,chain_name\nA,芯片\nB,电池\n"
    for name, tail in (("stray.csv", b"\x41"), ("surrogate.csv", "C,".encode("utf-16-le")
                                                  + b"\x00\xd8" + "x\n".encode("utf-16-le"))):
        path = tmp_path / name
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") + tail)
        inv = read_inventory(path, taxonomy)
        ids = [key[0] for key in inv.keys()]  # noqa: SIM118 - Inventory.keys() is a list
        assert ids[:2] == ["A", "B"]
        assert "undecodable_bytes" in _codes(inv)
        proc = run_cli(["validate", path, "--lang", "en"])
        assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
