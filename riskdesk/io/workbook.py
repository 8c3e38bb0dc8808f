"""Raw sheets out of a file: python-calamine for xlsx/xlsm/xls/ods, the csv module for text.

A RawSheet keeps cells exactly as the parser gives them (float, int, str, bool, date…) with their
absolute positions — row 0 is the spreadsheet's row 1 — so every later message can name the cell.
Nothing here interprets headers or values.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import python_calamine as calamine
from charset_normalizer import from_bytes

from riskdesk.core.models import DataIssue, Severity
from riskdesk.io.issues import InventoryReadError, issue, row_list
from riskdesk.io.options import ImportOptions
from riskdesk.io.safety import FileFacts, encrypted_error, too_many_cells

Cell = object
Rows = list[list[Cell]]
MergedRange = tuple[tuple[int, int], tuple[int, int]]
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*(?<!/)>(?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?</c>', re.S
)
_HAS_VALUE = re.compile(rb"<v>[^<]")
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*\bt="e"[^>]*(?<!/)>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S
)
_SHEET_TARGET = re.compile(rb'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship [^>]*Target="([^"]*)"[^>]*Id="([^"]*)"')


@dataclass
class RawSheet:
    name: str | None  # None for csv
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)
    # Cells calamine shows as empty although they were not: a formula saved without its result
    # ("=") or an Excel error value ("#DIV/0!", "#N/A", …). Keyed by (row0, col0).
    hidden_cells: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class RawBook:
    path: Path
    kind: str
    sheet_names: list[str]
    encoding: str | None = None
    issues: list[DataIssue] = field(default_factory=list)
    _workbook: calamine.CalamineWorkbook | None = None
    _csv_sheet: RawSheet | None = None
    _formula_parts: dict[str, str] = field(default_factory=dict)

    def sheet(self, name: str | None, options: ImportOptions) -> RawSheet:
        if self._csv_sheet is not None:
            return self._csv_sheet
        assert self._workbook is not None
        assert name is not None
        part = self._formula_parts.get(name)
        if part is not None and not part.endswith(".xml"):
            part = None  # xlsb keeps cells in binary records; there is no XML to scan
        # The scan for hidden cells inflates the sheet's XML; zlib releases the GIL, so it runs
        # beside calamine's parse instead of after it.
        with ThreadPoolExecutor(max_workers=1) as pool:
            hidden = pool.submit(_hidden_cells, self.path, part) if part is not None else None
            try:
                sheet = self._workbook.get_sheet_by_name(name)
                if sheet.height * max(sheet.width, 1) > options.max_cells:
                    raise too_many_cells(self.path, name, sheet.height * sheet.width, options)
                rows = cast(Rows, sheet.to_python(skip_empty_area=False))
                merged = list(sheet.merged_cell_ranges or [])
            except calamine.PasswordError:
                raise encrypted_error(self.path) from None
            except calamine.CalamineError as exc:
                raise _unreadable(self.path, name, exc) from None
            raw = RawSheet(name=name, rows=rows, merged=merged)
            if hidden is not None:
                raw.hidden_cells = hidden.result()
        return raw


def _unreadable(path: Path, sheet: str | None, exc: Exception) -> InventoryReadError:
    where = f"工作表 {sheet}：" if sheet else ""
    where_en = f"sheet {sheet}: " if sheet else ""
    return InventoryReadError(
        issue(
            Severity.ERROR,
            "unreadable_workbook",
            f"{path.name} 无法读取（{where}{exc}）。文件可能已损坏；请在 Excel/WPS 中打开并另存",
            f"{path.name} cannot be read ({where_en}{exc}). It may be damaged; open it in "
            "Excel/WPS and save it again",
            file=str(path),
            sheet=sheet,
        )
    )


def open_book(path: Path, facts: FileFacts, options: ImportOptions) -> RawBook:
    """Open a file that passed `inspect_file`."""
    if facts.kind == "csv":
        sheet, encoding, issues = read_csv(path, options)
        return RawBook(
            path=path,
            kind="csv",
            sheet_names=[],
            encoding=encoding,
            issues=issues,
            _csv_sheet=sheet,
        )
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        names = [m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    except calamine.PasswordError:
        raise encrypted_error(path) from None
    except calamine.CalamineError as exc:
        raise _unreadable(path, None, exc) from None
    book = RawBook(
        path=path,
        kind=facts.kind,
        sheet_names=names or list(workbook.sheet_names),
        _workbook=workbook,
    )
    if facts.kind == "xlsx":
        book._formula_parts = _sheet_parts(path)
    return book


# --- formulas saved without a cached value ------------------------------------------------------
# calamine shows such a cell as empty; the user must learn that the value was a formula Excel
# never calculated (files written by scripts, or saved with calculation off).


def _sheet_parts(path: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return {}
    targets = dict(_REL.findall(rels))
    targets.update({rid: target for target, rid in _REL_ALT.findall(rels)})
    parts: dict[str, str] = {}
    for name, rid in _SHEET_TARGET.findall(workbook):
        target = targets.get(rid)
        if target is None:
            continue
        text = target.decode("utf-8", "replace").lstrip("/")
        parts[_xml_unescape(name.decode("utf-8", "replace"))] = (
            text if text.startswith("xl/") else "xl/" + text
        )
    return parts


def _xml_unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _hidden_cells(path: Path, part: str) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return found
    if b"<f" in data:
        for match in _FORMULA_CELL.finditer(data):
            if not _HAS_VALUE.search(match.group(0)):
                found[_position(match.group(1), match.group(2))] = "="
    if b't="e"' in data:
        for match in _ERROR_CELL.finditer(data):
            text = match.group(3).decode("utf-8", "replace")
            found[_position(match.group(1), match.group(2))] = text
    return found


def _position(letters: bytes, digits: bytes) -> tuple[int, int]:
    col = 0
    for ch in letters.decode():
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


# --- csv ------------------------------------------------------------------------------------

GB_FAMILY = {"gbk", "gb2312", "gb18030", "hz", "cp936"}


def read_csv(path: Path, options: ImportOptions) -> tuple[RawSheet, str, list[DataIssue]]:
    data = path.read_bytes()
    issues: list[DataIssue] = []
    text, encoding = _decode(path, data, options, issues)
    sample = text[:20_000]
    delimiter = _sniff_delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[Cell]] = [list(r) for r in reader]
    except csv.Error as exc:
        raise InventoryReadError(
            issue(
                Severity.ERROR,
                "bad_csv",
                f"CSV 文件格式错误：{exc}",
                f"the CSV file is malformed: {exc}",
                file=str(path),
            )
        ) from None
    return RawSheet(name=None, rows=rows), encoding, issues


def _decode(
    path: Path, data: bytes, options: ImportOptions, issues: list[DataIssue]
) -> tuple[str, str]:
    if options.encoding:
        try:
            return data.decode(options.encoding), options.encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InventoryReadError(
                issue(
                    Severity.ERROR,
                    "bad_encoding",
                    f"无法按指定编码 {options.encoding} 读取：{exc}",
                    f"cannot decode with the requested encoding {options.encoding}: {exc}",
                    file=str(path),
                )
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    utf8_rows: list[int] = []
    other_rows: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not line.isascii():
            (utf8_rows if _is_utf8_text(line) else other_rows).append(number)
    detected = _detect_encoding(data[:200_000])
    if utf8_rows and other_rows:
        utf8 = set(utf8_rows)
        decoded = [
            line.decode("utf-8") if n in utf8 else line.decode(detected, "replace")
            for n, line in enumerate(lines, start=1)
        ]
        issues.append(
            issue(
                Severity.WARNING,
                "mixed_encoding",
                f"文件混用了两种编码：第 {row_list(utf8_rows)} 行是 UTF-8，"
                f"第 {row_list(other_rows)} 行是 "
                f"{detected.upper()}。已逐行识别；请核对这些行的文字",
                f"the file mixes two encodings: rows {row_list(utf8_rows)} are UTF-8, rows "
                f"{row_list(other_rows)} are {detected.upper()}. Each row was decoded on its own; "
                "check the text of these rows",
                file=str(path),
                value=f"utf-8 + {detected}",
            )
        )
        return "\n".join(decoded), f"utf-8+{detected}"
    try:
        return data.decode(detected), detected
    except (UnicodeDecodeError, LookupError):
        issues.append(
            issue(
                Severity.WARNING,
                "undecodable_bytes",
                f"部分字节无法按 {detected.upper()} 解码，已替换为 �；请检查文件编码",
                f"some bytes are not valid {detected.upper()} and were replaced by �; check the "
                "file's encoding",
                file=str(path),
                value=detected,
            )
        )
        return data.decode(detected if detected else "gb18030", "replace"), detected


def _detect_encoding(sample: bytes) -> str:
    """charset-normalizer's guess, preferring the GB family when it reads the bytes as well.

    Short Chinese files are often equally plausible as Korean (cp949) or Japanese; the analysts
    who use riskdesk write GBK/GB18030 (WPS, Chinese Windows), so a tie goes to GB18030, a superset
    of GBK and GB2312.
    """
    matches = list(from_bytes(sample))
    if not matches:
        return "gb18030"
    best = matches[0]
    for match in matches:
        if (
            match.encoding.replace("_", "").lower() in GB_FAMILY
            and match.chaos <= best.chaos + 0.05
        ):
            return "gb18030"
    return str(best.encoding).lower()


def _is_utf8_text(line: bytes) -> bool:
    """A line that is UTF-8 Chinese, not GBK bytes that happen to form valid UTF-8.

    Short GBK text is often valid UTF-8 by accident ("芯片" in GBK decodes as Cyrillic/Latin);
    genuine Chinese UTF-8 decodes to CJK characters.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:10] if ln.strip()]
    counts = {d: sum(ln.count(d) for ln in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","
