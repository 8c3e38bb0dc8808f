"""Hostile or broken files are refused before any parser sees them, fast and without big memory."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from import_files import write_xlsx

from riskdesk.core.progress import Cancelled
from riskdesk.io.inventory import read_inventory
from riskdesk.io.isolated import read_inventory_isolated
from riskdesk.io.issues import InventoryReadError
from riskdesk.io.options import ImportOptions

SMALL = ImportOptions(max_uncompressed_bytes=1_000_000, ratio_floor_bytes=100_000)
CHAINS = {"chains": [["chain_id", "chain_name", "import_dependence"], ["C1", "a", 0.5]]}


def rejected(path: Path, taxonomy, options: ImportOptions | None = None) -> InventoryReadError:
    start = time.perf_counter()
    with pytest.raises(InventoryReadError) as err:
        read_inventory(path, taxonomy, options=options)
    assert time.perf_counter() - start < 2.0
    issue = err.value.issue
    assert issue.file == str(path)
    assert issue.message_zh
    assert issue.message_en
    return err.value


def rebuild(
    src: Path, dst: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None
) -> Path:
    """Copy a workbook's zip, replacing or adding members (stored with deflate)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def test_encrypted_workbook(tmp_path, taxonomy) -> None:
    # An encrypted OOXML file is an OLE compound file whose directory names these streams.
    path = tmp_path / "secret.xlsx"
    directory = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory + b"\0" * 2048)
    err = rejected(path, taxonomy)
    assert err.issue.code == "encrypted_workbook"
    assert "password" in err.issue.message_en


def test_damaged_old_excel_file(tmp_path, taxonomy) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 3000)
    assert rejected(path, taxonomy).issue.code == "unreadable_workbook"


def test_text_file_renamed_xlsx(tmp_path, taxonomy) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("chain_id,chain_name\nC1,a\n", encoding="utf-8")
    err = rejected(path, taxonomy)
    assert err.issue.code == "not_a_workbook"
    assert "CSV renamed" in err.issue.message_en


def test_web_page_saved_as_xls(tmp_path, taxonomy) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>chain_id</td></tr></table></html>", encoding="utf-8")
    err = rejected(path, taxonomy)
    assert err.issue.code == "not_a_workbook"
    assert "web page" in err.issue.message_en


def test_word_document_renamed_xlsx(tmp_path, taxonomy) -> None:
    path = tmp_path / "memo.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word document" in rejected(path, taxonomy).issue.message_en


def test_truncated_zip(tmp_path, taxonomy) -> None:
    full = write_xlsx(tmp_path / "full.xlsx", CHAINS).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(full[: len(full) // 2])
    err = rejected(path, taxonomy)
    assert err.issue.code == "corrupt_zip"
    assert "truncated" in err.issue.message_en


def test_corrupted_member(tmp_path, taxonomy) -> None:
    full = bytearray(write_xlsx(tmp_path / "full.xlsx", CHAINS).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(full))) as z:
        info = z.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename)
    full[start : start + 40] = b"\xff" * 40
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes(full))
    assert rejected(path, taxonomy).issue.code in {"corrupt_zip", "unreadable_workbook"}


def test_zip_bomb_by_total_size(tmp_path, taxonomy) -> None:
    src = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    path = rebuild(src, tmp_path / "bomb.xlsx", {}, {"xl/media/pad.bin": b"\0" * 1_200_000})
    err = rejected(path, taxonomy, SMALL)
    assert err.issue.code == "zip_bomb"
    assert "zip bomb" in err.issue.message_en


def test_zip_bomb_by_ratio(tmp_path, taxonomy) -> None:
    src = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    path = rebuild(src, tmp_path / "ratio.xlsx", {}, {"xl/media/pad.bin": b"\0" * 400_000})
    err = rejected(path, taxonomy, SMALL)
    assert err.issue.code == "zip_bomb"
    assert "ratio" in err.issue.value


def test_default_limits_reject_a_bomb_without_inflating_it(tmp_path, taxonomy) -> None:
    # 32 MiB of zeros deflate ~1000:1; the central directory says so before anything inflates
    # (a 1 GiB member is refused the same way, just slower to build in a test).
    src = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    path = tmp_path / "gb.xlsx"
    rebuild(src, path, {})
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as member,
    ):
        block = b"\0" * (1 << 24)
        for _ in range(2):
            member.write(block)
    assert rejected(path, taxonomy).issue.code == "zip_bomb"


def test_too_many_members(tmp_path, taxonomy) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    err = rejected(path, taxonomy, ImportOptions(max_members=3))
    assert err.issue.code == "zip_too_many_members"


def test_cell_limit_from_the_declared_sheet_size(tmp_path, taxonomy) -> None:
    rows = [["chain_id", "chain_name"]] + [[f"C{i}", "x"] for i in range(20)]
    path = write_xlsx(tmp_path / "cells.xlsx", {"chains": rows})
    err = rejected(path, taxonomy, ImportOptions(max_cells=30))
    assert err.issue.code == "too_many_cells"
    assert err.issue.value == "42"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol3;</t></si></sst>"""


def test_billion_laughs_inside_an_xlsx(tmp_path, taxonomy) -> None:
    src = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    path = rebuild(src, tmp_path / "lol.xlsx", {}, {"xl/sharedStrings.xml": BILLION_LAUGHS})
    err = rejected(path, taxonomy)
    assert err.issue.code == "xml_entities"
    assert err.issue.value == "xl/sharedStrings.xml"


def test_isolated_reader_returns_the_same_inventory(tmp_path, taxonomy) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    seen: list[float] = []
    inv = read_inventory_isolated(path, taxonomy, progress=lambda f, _m: seen.append(f))
    direct = read_inventory(path, taxonomy)
    assert inv.frame.equals(direct.frame)
    assert inv.source_rows == direct.source_rows
    assert seen[-1] == 1.0


def test_isolated_reader_passes_rejections_through(tmp_path, taxonomy) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InventoryReadError) as err:
        read_inventory_isolated(path, taxonomy)
    assert err.value.issue.code == "not_a_workbook"


def test_a_parser_that_dies_cannot_take_the_caller_down(tmp_path, taxonomy) -> None:
    # A sheet that passes the zip checks (limits raised, as a lying file would) but needs more
    # memory than the child may use: calamine aborts the child (SIGABRT); we get a located error.
    src = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    with zipfile.ZipFile(src) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    cell = b'<c r="A%d" t="inlineStr"><is><t>' + b"x" * 200 + b"</t></is></c>"
    body = b"".join(b'<row r="%d">' % r + cell % r + b"</row>" for r in range(3, 200_003))
    path = rebuild(
        src,
        tmp_path / "big.xlsx",
        {"xl/worksheets/sheet1.xml": head + body + b"</sheetData>" + tail},
    )
    options = ImportOptions(
        max_uncompressed_bytes=10**10, max_compression_ratio=1e9, memory_limit_bytes=32 * 2**20
    )
    with pytest.raises(InventoryReadError) as err:
        read_inventory_isolated(path, taxonomy, options=options)
    assert err.value.issue.code in {"parser_crashed", "import_failed"}
    assert err.value.issue.file == str(path)


def test_isolated_reader_times_out_and_cancels(tmp_path, taxonomy) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", CHAINS)
    with pytest.raises(InventoryReadError) as err:
        read_inventory_isolated(path, taxonomy, options=ImportOptions(timeout_seconds=0.05))
    assert err.value.issue.code == "import_timeout"
    with pytest.raises(Cancelled):
        read_inventory_isolated(path, taxonomy, cancel=lambda: True)
