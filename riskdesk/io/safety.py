"""Checks a file must pass before any parser sees it (SPEC §7.3).

python-calamine aborts the whole process on a zip bomb (a failed Rust allocation, no exception)
and openpyxl grows to gigabytes, so the zip central directory — a few hundred bytes at the end of
the file — is read first: member count, total uncompressed size and per-member compression ratio.
XML members must not declare a DTD (no OOXML or ODF file needs one; entity expansion is how the
billion-laughs attack works). OLE compound files are told apart: old .xls vs. an encrypted OOXML
workbook. Everything is rejected with one located, bilingual message.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from riskdesk.core.models import Severity
from riskdesk.io.issues import InventoryReadError, issue
from riskdesk.io.options import ImportOptions
from riskdesk.io.sparse import SheetExtent, scan_extent

FileKind = Literal["xlsx", "xls", "ods", "csv"]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ENCRYPTION_MARKERS = (
    "EncryptionInfo".encode("utf-16-le"),
    "EncryptedPackage".encode("utf-16-le"),
)
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".ods", ".xlsb"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
XML_PROLOG_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileFacts:
    kind: FileKind
    size: int
    members: int = 0
    uncompressed: int = 0
    extents: dict[str, SheetExtent] = field(default_factory=dict)  # xlsx: worksheet part → extent
    real: str = ""  # what the content is: xlsx, xlsb, xls or ods


def _reject(path: Path, code: str, zh: str, en: str, value: object = None) -> InventoryReadError:
    return InventoryReadError(issue(Severity.ERROR, code, zh, en, file=str(path), value=value))


def inspect_file(path: Path, options: ImportOptions) -> FileFacts:
    """Decide what the file is and reject anything unsafe or unreadable, without parsing it."""
    if not path.exists():
        raise _reject(path, "file_not_found", f"找不到文件：{path}", f"file not found: {path}")
    if path.is_dir():
        raise _reject(
            path, "not_a_file", f"{path} 是文件夹，不是文件", f"{path} is a folder, not a file"
        )
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise _reject(
                path,
                "not_a_regular_file",
                f"{path} 不是普通文件（而是设备、管道或套接字），不能作为电子表格读取",
                f"{path} is not an ordinary file (it is a device, a pipe or a socket) and cannot "
                "be read as a spreadsheet",
            )
        size = st.st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise _reject(
            path,
            "permission_denied",
            f"没有读取 {path} 的权限；请检查文件权限，或将文件复制到自己的文件夹",
            f"no permission to read {path}; check the file's permissions or copy it to a "
            "folder of your own",
        ) from None
    except OSError as exc:
        raise _reject(
            path,
            "cannot_read",
            f"无法读取 {path}（{exc.strerror or exc}）",
            f"{path} cannot be read ({exc.strerror or exc})",
        ) from None
    if size == 0 and head:
        raise _reject(
            path,
            "not_a_regular_file",
            f"{path} 是系统生成的特殊文件（报告大小为 0 却有内容，如 /proc 下的文件），不是电子表格",
            f"{path} is a special system file (its size shows as 0 but it has content, like the "
            "files under /proc), not a spreadsheet",
        )
    if size == 0:
        raise _reject(path, "empty_file", "文件是空的（0 字节）", "the file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGICS):
        facts = _inspect_zip(path, size, options)
        _check_named_as(path, suffix, facts.real)
        return facts
    if head.startswith(OLE_MAGIC):
        _check_ole(path)
        _check_named_as(path, suffix, "xls")
        return FileFacts(kind="xls", size=size)
    if suffix in WORKBOOK_SUFFIXES:
        raise _not_a_workbook(path, head)
    if size > options.max_csv_bytes:
        raise _reject(
            path,
            "file_too_large",
            f"文件大小 {size} 字节超过上限 {options.max_csv_bytes} 字节",
            f"the file is {size} bytes, above the limit of {options.max_csv_bytes} bytes",
            value=size,
        )
    _check_csv_cost(path, options)
    return FileFacts(kind="csv", size=size)


# Memory a csv costs once read and assessed, measured on 20,000-row inventories of 45 columns
# (benchmarks/bench_memory.py inputs; 2.4 and 7.3 bytes a cell): ~55 bytes a cell plus ~11 bytes
# a byte of the file (the text kept as strings, the value matrix, provenance and arrays).
CSV_CELL_COST = 55
CSV_BYTE_COST = 11
SEPARATORS = (b",", b";", b"\t", b"\n")


def csv_cost(path: Path) -> tuple[int, int]:
    """(predicted bytes of memory, cells) of reading and assessing a csv, from one pass that
    counts separators (an overestimate when quoted text holds separators: on the safe side)."""
    cells = size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(4 * 1024 * 1024):
            size += len(chunk)
            cells += sum(chunk.count(sep) for sep in SEPARATORS)
    return CSV_CELL_COST * cells + CSV_BYTE_COST * size, cells


def _check_csv_cost(path: Path, options: ImportOptions) -> None:
    need, cells = csv_cost(path)
    if need <= options.csv_memory_budget_bytes:
        return
    mib = 1024 * 1024
    share = options.csv_memory_budget_bytes / need
    raise _reject(
        path,
        "csv_too_large",
        f"这个 CSV 约有 {cells:,} 个单元格，读取和评估约需 {need // mib:,} MiB 内存，超过上限 "
        f"{options.csv_memory_budget_bytes // mib:,} MiB；请把它拆分成若干个文件，每个不超过现在的 "
        f"{share:.0%}",
        f"this csv has about {cells:,} cells and would need about {need // mib:,} MiB of memory "
        f"to read and assess, above the limit of {options.csv_memory_budget_bytes // mib:,} MiB; "
        f"split it into files of at most {share:.0%} of its present size",
        value=need,
    )


_WHAT = {
    "xlsx": ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)", ".xlsx"),
    "xlsb": ("Excel 二进制工作簿（.xlsb）", "an Excel binary workbook (.xlsb)", ".xlsb"),
    "xls": ("Excel 97–2003 工作簿（.xls）", "an Excel 97–2003 workbook (.xls)", ".xls"),
    "ods": ("OpenDocument 表格（.ods）", "an OpenDocument spreadsheet (.ods)", ".ods"),
}
_NAMED = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xltx": "xlsx", ".xltm": "xlsx",
    ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods",
}  # fmt: skip


def _check_named_as(path: Path, suffix: str, real: str) -> None:
    """The parsers go by the file name: a workbook named as another format cannot be read, so
    say what it really is (a valid xlsx renamed .xlsb / .xls / .ods / .csv)."""
    if _NAMED.get(suffix) == real:
        return
    what_zh, what_en, proper = _WHAT[real]
    raise _reject(
        path,
        "misnamed_workbook",
        f"{path.name} 的扩展名是 {path.suffix or '（无）'}，内容却是{what_zh}。"
        f"请将扩展名改为 {proper} 后再导入",
        f"{path.name} is named {path.suffix or '(no extension)'} but is really {what_en}. "
        f"Rename it to {proper} and import it again",
        value=path.suffix,
    )


def _not_a_workbook(path: Path, head: bytes) -> InventoryReadError:
    low = head.lower()
    if low.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        what_zh, what_en = "网页（HTML/XML）", "a web page (HTML/XML)"
    elif head.startswith(b"%PDF"):
        what_zh, what_en = "PDF 文件", "a PDF file"
    elif _looks_like_text(head):
        what_zh, what_en = (
            "文本文件（可能是改了扩展名的 CSV）",
            "a text file (perhaps a CSV renamed)",
        )
    else:
        what_zh, what_en = "未知格式的文件", "a file of unknown format"
    return _reject(
        path,
        "not_a_workbook",
        f"{path.name} 不是电子表格：扩展名为 {path.suffix}，内容却是{what_zh}。"
        "请在 Excel/WPS 中打开并另存为 xlsx，或将 CSV 的扩展名改回 .csv",
        f"{path.name} is not a spreadsheet: it is named {path.suffix} but contains {what_en}. "
        "Open it in Excel/WPS and save as xlsx, or give a CSV its .csv name back",
        value=head[:8].hex(" "),
    )


def _looks_like_text(head: bytes) -> bool:
    return bool(head) and all(b >= 0x20 or b in b"\t\r\n" for b in head)


def _check_ole(path: Path) -> None:
    # The directory of a compound file sits in its first sectors; an encrypted OOXML workbook
    # names its streams EncryptionInfo / EncryptedPackage there (MS-OFFCRYPTO).
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    if any(marker in data for marker in ENCRYPTION_MARKERS):
        raise encrypted_error(path)


def encrypted_error(path: Path) -> InventoryReadError:
    return _reject(
        path,
        "encrypted_workbook",
        f"{path.name} 设置了打开密码（已加密），无法读取。请在 Excel/WPS 中取消密码后另存再导入",
        f"{path.name} is password-protected (encrypted) and cannot be read. Remove the password in "
        "Excel/WPS, save, and import again",
    )


def _inspect_zip(path: Path, size: int, options: ImportOptions) -> FileFacts:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(
            path,
            "corrupt_zip",
            f"{path.name} 已损坏或不完整（压缩结构无法读取：{exc}）。请重新下载或从 Excel 重新保存",
            f"{path.name} is damaged or truncated (its zip structure cannot be read: {exc}). "
            "Download it again or re-save it from Excel",
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > options.max_members:
            raise _reject(
                path,
                "zip_too_many_members",
                f"压缩包内有 {len(infos)} 个部件，超过上限 {options.max_members}",
                f"the workbook has {len(infos)} parts, above the limit of {options.max_members}",
                value=len(infos),
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise encrypted_error(path)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > options.ratio_floor_bytes and ratio > options.max_compression_ratio:
                raise _bomb(path, info.filename, f"ratio {ratio:.0f}:1", options)
        if total > options.max_uncompressed_bytes:
            raise _bomb(path, "", f"{total} bytes", options)
        names = {i.filename for i in infos}
        kind = _zip_kind(path, archive, names)
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and info.file_size:
                _check_prolog(path, archive, info)
        extents = _check_extents(path, archive, infos, options) if kind == "xlsx" else {}
    real = "xlsb" if "xl/workbook.bin" in names else kind
    return FileFacts(kind=kind, size=size, members=len(infos), uncompressed=total,
                     extents=extents, real=real)


def _bomb(path: Path, member: str, measure: str, options: ImportOptions) -> InventoryReadError:
    where = f"（部件 {member}）" if member else ""
    where_en = f" (part {member})" if member else ""
    return _reject(
        path,
        "zip_bomb",
        f"{path.name} 解压后过大{where}：{measure}，上限为 {options.max_uncompressed_bytes} 字节、"
        f"压缩比 {options.max_compression_ratio:.0f}:1。这类文件可能是“压缩炸弹”，已拒绝",
        f"{path.name} expands too much{where_en}: {measure}; the limits are "
        f"{options.max_uncompressed_bytes} bytes and a "
        f"{options.max_compression_ratio:.0f}:1 ratio. "
        "Files like this can be zip bombs and are refused",
        value=measure,
    )


def _zip_kind(path: Path, archive: zipfile.ZipFile, names: set[str]) -> FileKind:
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:200]
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.endswith(".docx") or n.startswith("word/") for n in names):
        what_zh, what_en = "Word 文档", "a Word document"
    elif any(n.startswith("ppt/") for n in names):
        what_zh, what_en = "PowerPoint 演示文稿", "a PowerPoint presentation"
    else:
        what_zh, what_en = "普通 zip 压缩包", "a plain zip archive"
    raise _reject(
        path,
        "not_a_workbook",
        f"{path.name} 不是电子表格，而是{what_zh}",
        f"{path.name} is not a spreadsheet but {what_en}",
    )


def _check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with archive.open(info) as member:
            prolog = member.read(XML_PROLOG_BYTES)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise _reject(
            path,
            "corrupt_zip",
            f"{path.name} 已损坏：部件 {info.filename} 无法解压（{exc}）",
            f"{path.name} is damaged: part {info.filename} cannot be decompressed ({exc})",
        ) from None
    if _DTD.search(prolog):
        raise _reject(
            path,
            "xml_entities",
            f"{path.name} 的部件 {info.filename} 含有 XML 实体/DTD 声明。正常的工作簿不会有，"
            "这可能是“十亿笑声”攻击，已拒绝",
            f"part {info.filename} of {path.name} declares XML entities (a DTD). "
            "No normal workbook does; this can be a billion-laughs attack and is refused",
            value=info.filename,
        )


def _check_extents(
    path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], options: ImportOptions
) -> dict[str, SheetExtent]:
    """Measure each worksheet from its cell references (never from `<dimension>`, which may be
    absent or false) and refuse a sheet the parsers could not hold."""
    extents: dict[str, SheetExtent] = {}
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        try:
            extent = scan_extent(archive, info.filename)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError):
            continue  # a damaged part was already reported by the prolog check
        if extent.cells > options.max_cells or (
            not extent.sparse and extent.extent > options.max_cells
        ):
            raise too_many_cells(path, info.filename, max(extent.cells, extent.extent), options)
        extents[info.filename] = extent
    return extents


def too_many_cells(
    path: Path, sheet: str, cells: int, options: ImportOptions
) -> InventoryReadError:
    return _reject(
        path,
        "too_many_cells",
        f"{path.name} 的工作表 {sheet} 有 {cells} 个单元格，超过上限 {options.max_cells}",
        f"sheet {sheet} of {path.name} has {cells} cells, above the limit of {options.max_cells}",
        value=cells,
    )
