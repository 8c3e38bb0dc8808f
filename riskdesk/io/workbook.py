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
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from xml.etree import ElementTree

import python_calamine as calamine
from charset_normalizer import from_bytes

from riskdesk.core.models import DataIssue, Severity
from riskdesk.io.issues import InventoryReadError, column_letter, issue, row_list
from riskdesk.io.options import ImportOptions
from riskdesk.io.safety import FileFacts, encrypted_error, too_many_cells
from riskdesk.io.sparse import SheetExtent, hidden_in, read_sparse

Cell = object
Rows = list[list[Cell]]
MergedRange = tuple[tuple[int, int], tuple[int, int]]
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
    # Set when the sheet's cells reach far beyond its content (read cell by cell, see sparse.py).
    sparse_extent: SheetExtent | None = None
    hidden: bool = False  # the sheet is hidden in the workbook
    hidden_rows: set[int] = field(default_factory=set)  # 1-based (xlsx)


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
    extents: dict[str, SheetExtent] = field(default_factory=dict)
    hidden_sheets: set[str] = field(default_factory=set)

    def release_csv(self) -> None:
        """Drop a csv's rows once they were read (a csv has nothing else to read)."""
        if self._csv_sheet is not None:
            self._csv_sheet = RawSheet(name=None, rows=[])

    def sheet(self, name: str | None, options: ImportOptions) -> RawSheet:
        if self._csv_sheet is not None:
            return self._csv_sheet
        assert self._workbook is not None
        assert name is not None
        part = self._formula_parts.get(name)
        if part is not None and not part.endswith(".xml"):
            part = None  # xlsb keeps cells in binary records; there is no XML to scan
        extent = self.extents.get(part) if part is not None else None
        if part is not None and extent is not None and extent.sparse:
            raw = self._sparse_sheet(name, part, extent)
        else:
            raw = self._dense_sheet(name, part, options)
        raw.hidden = name in self.hidden_sheets
        if extent is not None:
            raw.hidden_rows = extent.hidden_rows
        return raw

    def _sparse_sheet(self, name: str, part: str, extent: SheetExtent) -> RawSheet:
        try:
            with zipfile.ZipFile(self.path) as archive:
                sparse = read_sparse(archive, part)
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError,
                ElementTree.ParseError, ValueError) as exc:
            raise _unreadable(self.path, name, exc) from None
        return RawSheet(name=name, rows=sparse.rows, merged=sparse.merged,
                        hidden_cells=sparse.hidden_cells, sparse_extent=extent)

    def _dense_sheet(self, name: str, part: str | None, options: ImportOptions) -> RawSheet:
        assert self._workbook is not None
        # The scan for hidden cells inflates the sheet's XML; zlib releases the GIL, so it runs
        # beside calamine's parse instead of after it.
        extent = self.extents.get(part) if part is not None else None
        if extent is not None:  # the safety scan already read the sheet's XML
            part = None
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
            if extent is not None:
                raw.hidden_cells = extent.hidden_cells
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
        extents=facts.extents,
        hidden_sheets={
            m.name for m in workbook.sheets_metadata if not str(m.visible).endswith("Visible")
        },
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
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return {}
    return hidden_in(data)


# --- csv ------------------------------------------------------------------------------------

GB_FAMILY = {"gbk", "gb2312", "gb18030", "hz", "cp936"}


STREAM_CHUNK = 16 * 1024 * 1024


def _utf8_throughout(path: Path) -> str | None:
    """'utf-8' or 'utf-8-sig' when the whole file is valid UTF-8 (checked in chunks, nothing
    kept), else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        first = fh.read(STREAM_CHUNK)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None
        encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
        block = first
        try:
            while block:
                decoder.decode(block)
                block = fh.read(STREAM_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return encoding


def read_csv(path: Path, options: ImportOptions) -> tuple[RawSheet, str, list[DataIssue]]:
    """Rows of a csv. A UTF-8 file (the common case) is parsed straight from disk, so only the
    rows are held in memory; other encodings are decoded whole (see `_decode`)."""
    issues: list[DataIssue] = []
    encoding = None if options.encoding else _utf8_throughout(path)
    if encoding is not None:
        with path.open(encoding=encoding, newline="") as fh:
            delimiter = _sniff_delimiter(fh.read(20_000))
            fh.seek(0)
            return _parse_csv(path, fh, delimiter, encoding, issues)
    data = path.read_bytes()
    text, encoding = _decode(path, data, options, issues)
    del data
    delimiter = _sniff_delimiter(text[:20_000])
    return _parse_csv(path, io.StringIO(text, newline=""), delimiter, encoding, issues)


def _parse_csv(
    path: Path, source: Iterable[str], delimiter: str, encoding: str, issues: list[DataIssue]
) -> tuple[RawSheet, str, list[DataIssue]]:
    reader = csv.reader(source, delimiter=delimiter)
    rows: list[list[Cell]] = []
    lines: list[int] = []  # the physical line each record starts on
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _bad_csv(path, len(rows) + 1, start, exc) from None
        rows.append(list(record))
        lines.append(start)
    issues += csv_shape_issues(path, rows, lines, delimiter)
    return RawSheet(name=None, rows=rows), encoding, issues


def _bad_csv(path: Path, row: int, line: int, exc: csv.Error) -> InventoryReadError:
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        zh = (f"第 {row} 行（文件第 {line} 行起）有一个单元格超过 {limit} 个字符，无法读取；"
              "这通常是某个引号没有闭合")
        en = (f"row {row} (from line {line} of the file) has a cell longer than {limit} "
              "characters and cannot be read; usually a quote was not closed")
        code = "csv_field_too_long"
    else:
        zh = f"第 {row} 行（文件第 {line} 行起）CSV 格式错误：{exc}"
        en = f"row {row} (from line {line} of the file): the CSV is malformed: {exc}"
        code = "bad_csv"
    return InventoryReadError(issue(Severity.ERROR, code, zh, en, file=str(path), row=row))


def csv_shape_issues(
    path: Path, rows: list[list[Cell]], lines: list[int], delimiter: str
) -> list[DataIssue]:
    """Quoting problems the csv module forgives silently: a cell that swallowed what look like
    rows (an unclosed quote), line breaks inside cells, rows with fewer fields than the rest."""
    found: list[DataIssue] = []
    widths = Counter(len(r) for r in rows if any(str(c).strip() for c in r))
    common = widths.most_common(1)[0][0] if widths else 0
    short: list[int] = []
    multi: list[int] = []
    for index, row in enumerate(rows):
        number = index + 1
        if 0 < len(row) < common and any(str(c).strip() for c in row):
            short.append(number)
        next_line = lines[index + 1] if index + 1 < len(lines) else None
        if next_line is not None and next_line - lines[index] <= 1:
            continue  # a record on one line has no line break in any cell
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or "\n" not in cell:
                continue
            tail = cell.split("\n")[1:]
            swallowed = [t for t in tail if t.count(delimiter) >= max(1, common - 2)]
            if swallowed:
                end = (lines[index + 1] - 1 if index + 1 < len(lines)
                       else lines[index] + cell.rstrip("\r\n").count("\n"))
                found.append(issue(
                    Severity.ERROR,
                    "unclosed_quote",
                    f"第 {number} 行第 {c + 1} 列的引号没有闭合：文件第 {lines[index]}–{end} 行"
                    f"（其中 {len(swallowed)} 行看起来是独立的数据行）被读成了这一个单元格。"
                    "请检查该处的引号",
                    f"row {number}, column {c + 1}: a quote is not closed, so lines "
                    f"{lines[index]}–{end} of the file ({len(swallowed)} of which look like rows "
                    "of their own) were read into this one cell. Check the quotes there",
                    file=str(path), row=number, column=column_letter(c), value=cell,
                ))
            else:
                multi.append(number)
    if multi:
        found.append(issue(
            Severity.ASSUMPTION,
            "multi_line_cell",
            f"第 {row_list(multi)} 行有单元格内含换行（带引号的多行文字），已按一个单元格读取",
            f"rows {row_list(multi)} have cells with line breaks (quoted multi-line text); each "
            "was read as one cell",
            file=str(path), row=multi[0],
        ))
    if short:
        found.append(issue(
            Severity.WARNING,
            "csv_short_rows",
            f"第 {row_list(short)} 行的字段数少于其他行（{common} 个）；缺少的字段按空白读取",
            f"rows {row_list(short)} have fewer fields than the other rows ({common}); the "
            "missing fields were read as blank",
            file=str(path), row=short[0], value=f"{len(short)} rows",
        ))
    return found


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
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            text = data.decode("utf-16", "replace")
            row = text[: max(0, exc.start // 2)].count("\n") + 1
            issues.append(
                issue(
                    Severity.WARNING,
                    "undecodable_bytes",
                    f"UTF-16 文件第 {row} 行附近有无法解码的字节（单个多余字节或孤立代理项），"
                    "已替换为 �；请核对该行",
                    f"the UTF-16 file has bytes that cannot be decoded near row {row} (a stray "
                    "byte or a lone surrogate); they were replaced by �. Check that row",
                    file=str(path), row=row, value=exc.reason,
                )
            )
            return text, "utf-16"
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
