"""Finding 2: a 1.9 KB xlsx with one cell at XFD1048576 must not kill the CLI; sparse sheets cost
memory in proportion to their cells, not to their extent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import HEADER, ROWS, memory_cap, raw_xlsx, rows_xml, run_cli, write_csv

from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory

FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
CAP = 1536 * 1024 * 1024  # far below the 550 GB a dense grid would ask for


@pytest.mark.parametrize("dimension", [None, "A1", "A1:XFD1048576"])
def test_one_far_cell_through_the_real_cli(tmp_path: Path, dimension: str | None) -> None:
    path = raw_xlsx(tmp_path / "far.xlsx", {"chains": FAR}, dimension=dimension)
    assert path.stat().st_size < 2500
    ok = write_csv(tmp_path / "ok.csv")
    for args in (["validate", path], ["assess", path], ["assess", ok, "--trade", path]):
        proc = run_cli([*args, "--lang", "en"], preexec=memory_cap(CAP), timeout=120)
        assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
        assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
        shown = proc.stdout + proc.stderr
        assert "far.xlsx" in shown and "header" in shown


def test_stray_cell_far_from_a_real_table_is_read_and_reported(tmp_path: Path,
                                                               taxonomy: Taxonomy) -> None:
    body = rows_xml([HEADER, *ROWS]) + '<row r="900000"><c r="ZZ900000"><v>7</v></c></row>'
    path = raw_xlsx(tmp_path / "stray.xlsx", {"chains": body})
    inv = read_inventory(path, taxonomy)
    assert inv.keys() == [("A1", None), ("B2", None)]
    far = [i for i in inv.issues if i.code == "far_cell"]
    assert far and far[0].value == "ZZ900000" and far[0].row == 900000
    stray = [i for i in inv.issues if i.code == "missing_key"]
    assert stray and stray[0].row == 900000
    proc = run_cli(["assess", path, "--skip-invalid-rows", "--no-robustness", "--lang", "en"],
                   preexec=memory_cap(768 * 1024 * 1024))
    assert proc.returncode == 0, proc.stderr


def test_data_beyond_the_header_in_a_data_row_is_reported(tmp_path: Path,
                                                          taxonomy: Taxonomy) -> None:
    body = rows_xml([HEADER, *ROWS]).replace(
        "</row>", '<c r="XFD2"><v>5</v></c></row>', 2
    ).replace('<c r="XFD2"><v>5</v></c></row>', "</row>", 1)
    path = raw_xlsx(tmp_path / "wide.xlsx", {"chains": body})
    inv = read_inventory(path, taxonomy)
    assert len(inv) == 2
    beyond = [i for i in inv.issues if i.code == "data_without_header"]
    assert beyond and beyond[0].column == "XFD" and beyond[0].row == 2
