"""Every format analysts bring: GBK / BOM / mixed-encoding csv, xlsm, xls and ods."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from import_files import csv_bytes, write_xlsx

from riskdesk.core.models import Severity
from riskdesk.io.inventory import read_inventory

ROWS = [
    ["产业链编号", "产业链名称", "环节", "技术类别", "对外依存度", "全球可供给方数量"],
    ["C01", "汽车芯片", "制造", "核心技术", "90%", "3"],
    ["C02", "圆珠笔笔头钢", "", "成熟技术", "0.2", "12"],
]


def _expect_rows(inv) -> None:
    assert inv.keys() == [("C01", "制造"), ("C02", None)]
    assert list(inv.frame["chain_name"]) == ["汽车芯片", "圆珠笔笔头钢"]
    assert list(inv.frame["import_dependence"]) == [0.9, 0.2]
    assert list(inv.frame["tech_category"]) == ["core", "mature"]
    assert [i for i in inv.issues if i.severity == Severity.ERROR] == []


def test_gbk_csv_is_detected_and_reported(tmp_path, taxonomy) -> None:
    path = tmp_path / "wps.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="gbk"))
    inv = read_inventory(path, taxonomy)
    _expect_rows(inv)
    assert inv.source.encoding == "gb18030"
    detected = [i for i in inv.issues if i.code == "encoding_detected"]
    assert detected
    assert detected[0].value == "gb18030"


def test_utf8_bom_csv(tmp_path, taxonomy) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(csv_bytes(ROWS, bom=True))
    inv = read_inventory(path, taxonomy)
    _expect_rows(inv)
    assert inv.source.encoding == "utf-8-sig"


def test_mixed_encodings_are_located(tmp_path, taxonomy) -> None:
    path = tmp_path / "mixed.csv"
    data = csv_bytes(ROWS[:2]) + csv_bytes(ROWS[2:], encoding="gbk")
    path.write_bytes(data)
    inv = read_inventory(path, taxonomy)
    _expect_rows(inv)
    item = next(i for i in inv.issues if i.code == "mixed_encoding")
    assert item.severity == Severity.WARNING
    assert "rows 1, 2 are UTF-8, rows 3" in item.message_en


def test_semicolon_csv_with_comma_decimals(tmp_path, taxonomy) -> None:
    path = tmp_path / "eu.csv"
    path.write_text("chain_id;chain_name;import_dependence\nC1;x;0,75\n", encoding="utf-8")
    inv = read_inventory(path, taxonomy)
    assert inv.frame["import_dependence"].iloc[0] == 0.75


def test_xlsm_is_read_and_nothing_runs(tmp_path, taxonomy) -> None:
    path = write_xlsx(tmp_path / "macro.xlsx", {"chains": ROWS}).rename(tmp_path / "macro.xlsm")
    _expect_rows(read_inventory(path, taxonomy))


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: xls/ods files cannot be made here")
    out = tmp_path_factory.mktemp("converted")
    src = write_xlsx(out / "inv.xlsx", {"产业链清单": ROWS})
    files = {}
    for fmt in ("xls", "ods"):
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{out}/profile",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        files[fmt] = out / f"inv.{fmt}"
    return files


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods(converted, taxonomy, fmt) -> None:
    inv = read_inventory(converted[fmt], taxonomy)
    _expect_rows(inv)
    assert inv.provenance(0, "import_dependence").cell == "E2"
    assert inv.source.sheet == "产业链清单"


def test_short_gbk_text_that_is_accidentally_valid_utf8_is_still_gbk(tmp_path, taxonomy) -> None:
    # "芯片" in GBK is D0BE C6AC: valid UTF-8 bytes (Cyrillic/Latin), but not Chinese.
    rows = [["产业链编号", "产业链名称"], ["C1", "芯片"], ["C2", "航空发动机"]]
    path = tmp_path / "short.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    inv = read_inventory(path, taxonomy)
    assert list(inv.frame["chain_name"]) == ["芯片", "航空发动机"]
    assert not [i for i in inv.issues if i.code == "mixed_encoding"]
