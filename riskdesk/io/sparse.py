"""How far a worksheet really reaches, measured before any parser sees it, and a sparse reader.

python-calamine builds a sheet as one dense grid over the bounding box of its cells: a 1.9 KB
workbook with one cell at XFD1048576 asks for 17 billion cells and the process aborts (a Rust
allocation failure Python cannot catch); a stray cell far below the table costs gigabytes. The
`<dimension>` element cannot be trusted (it may be absent or false), so `scan_extent` streams the
sheet XML and reads the cell references themselves. A sheet whose extent is much larger than its
number of cells is read here instead, cell by cell, so memory follows the cells, not the extent.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO
from xml.etree import ElementTree

import numpy as np

CHUNK = 8 * 1024 * 1024
SPARSE_MIN_EXTENT = 1_000_000
"""Below this many cells in the bounding box the dense parser is always fine."""
SPARSE_FACTOR = 4
"""Read sparsely when the bounding box holds more than this many times the cells present."""

_HIDDEN_ROW = re.compile(rb'<row r="(\d{1,7})"[^>]*\bhidden="(?:1|true)"')
_ROW = re.compile(rb'row r="(\d{1,7})"')
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass
class SheetExtent:
    rows: int = 0  # last row number used (1-based)
    columns: int = 0  # last column number used (1-based)
    cells: int = 0
    far_cell: str = ""  # the reference that sets the extent, e.g. "XFD1048576"
    # Cells a parser shows as empty although they were not (see `hidden_in`), by (row0, col0).
    hidden_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # 1-based numbers of hidden rows

    @property
    def extent(self) -> int:
        return self.rows * self.columns

    @property
    def sparse(self) -> bool:
        return self.extent > max(SPARSE_MIN_EXTENT, SPARSE_FACTOR * max(self.cells, 1))


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    carry = b""
    while True:
        block = stream.read(CHUNK)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block
        # Keep the last row (or tag) for the next round, so no cell straddles two chunks.
        cut = data.rfind(b"<row ")
        cut = cut if cut > 0 else data.rfind(b"<")
        if cut <= 0:
            carry = b""
            yield data
        else:
            carry = data[cut:]
            yield data[:cut]


_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*(?<!/)>(?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?</c>', re.S
)
_HAS_VALUE = re.compile(rb"<v>[^<]")
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*\bt="e"[^>]*(?<!/)>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S
)


def hidden_in(data: bytes) -> dict[tuple[int, int], str]:
    """Cells calamine shows as empty although they were not: a formula saved without its result
    ("=") or an Excel error value ("#DIV/0!", "#N/A", …), by (row0, col0)."""
    found: dict[tuple[int, int], str] = {}
    if b"<f" in data:
        for match in _FORMULA_CELL.finditer(data):
            if not _HAS_VALUE.search(match.group(0)):
                found[_cell_position(match.group(1), match.group(2))] = "="
    if b't="e"' in data:
        for match in _ERROR_CELL.finditer(data):
            text = match.group(3).decode("utf-8", "replace")
            found[_cell_position(match.group(1), match.group(2))] = text
    return found


def _cell_position(letters: bytes, digits: bytes) -> tuple[int, int]:
    return int(digits) - 1, column_number(letters.decode()) - 1


def _refs(data: bytes, odd: bool) -> tuple[int, int, int]:
    """(largest column, largest row, number of references) of the `r="A1"` attributes in `data`,
    vectorised: a python loop over 450,000 references would cost more than parsing them."""
    buf = np.frombuffer(data + b"\0" * 16, dtype=np.uint8)
    n = len(data)
    hits = np.flatnonzero(buf[1 : n + 1] == ord("r"))
    hits = hits[(buf[hits + 2] == ord("=")) & (buf[hits + 3] == ord('"'))]
    lead = buf[hits]
    keep = lead == 32
    if odd:
        keep |= (lead == 9) | (lead == 10) | (lead == 13)
    pos = hits[keep] + 4  # first character of the value
    if not len(pos):
        return 0, 0, 0
    window = buf[pos[:, None] + np.arange(10)]  # up to 3 letters + 7 digits
    letter = (window[:, :4] >= 65) & (window[:, :4] <= 90)
    n_letters = np.minimum(np.argmin(letter, axis=1), 3)
    refs = n_letters > 0
    if not refs.any():
        return 0, 0, 0
    window, n_letters = window[refs], n_letters[refs]
    col = np.zeros(len(window), dtype=np.int64)
    for k in range(3):
        take = n_letters > k
        col[take] = col[take] * 26 + (window[take, k].astype(np.int64) - 64)
    # Rows: only the references with the most digits can be the lowest; parse just those.
    digits = (window >= 48) & (window <= 57)
    first = np.arange(10) >= n_letters[:, None]
    run = np.cumprod(digits | ~first, axis=1).astype(bool) & first
    lengths = run.sum(axis=1)
    longest = lengths == lengths.max()
    sub, starts = window[longest], n_letters[longest]
    rows = np.zeros(len(sub), dtype=np.int64)
    for k in range(int(lengths.max())):
        rows = rows * 10 + (sub[np.arange(len(sub)), starts + k].astype(np.int64) - 48)
    return int(col.max()), int(rows.max()) if len(rows) else 0, int(refs.sum())


def scan_extent(archive: zipfile.ZipFile, part: str) -> SheetExtent:
    """The bounding box of the cells in a worksheet part, streamed in bounded memory (~0.1 s
    for 450,000 cells): row tags, cell references, and cells without a reference."""
    found = SheetExtent()
    with_ref = 0
    far_col = far_row = 0
    with archive.open(part) as stream:
        for data in _chunks(stream):
            cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
            if b":c " in data or b":c>" in data:  # a namespace prefix (<x:c …>): count them all
                cells = len(_CELL_OPEN.findall(data))
            found.cells += cells
            tags = [int(r) for r in _ROW.findall(data)]
            far_row = max(far_row, *tags) if tags else far_row
            # Attributes are separated by a space in every writer; other white space before
            # `r=` is legal XML, and a file that uses it is checked for that as well.
            odd = any(ws + b'r="' in data for ws in (b"\t", b"\n", b"\r"))
            col, row, refs = _refs(data, odd)
            found.hidden_cells.update(hidden_in(data))
            if b'hidden="' in data:
                found.hidden_rows.update(int(r) for r in _HIDDEN_ROW.findall(data))
            far_col, far_row, with_ref = max(far_col, col), max(far_row, row), with_ref + refs
    # A cell without a reference takes the next column: they can widen a row by their number.
    found.columns = far_col + max(0, found.cells - with_ref)
    found.rows = far_row
    found.far_cell = f"{column_letters(found.columns)}{found.rows}" if found.cells else ""
    return found


# --- the sparse reader ---------------------------------------------------------------------------


@dataclass
class SparseSheet:
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden_cells: dict[tuple[int, int], str] = field(default_factory=dict)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with stream:
        parts: list[str] = []
        skip = 0
        for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local(elem.tag)
            if name == "rPh":  # phonetic guide text is not part of the string
                skip += 1 if event == "start" else -1
            elif event == "end" and name == "t" and not skip:
                parts.append(elem.text or "")
            elif event == "end" and name == "si":
                strings.append("".join(parts))
                parts = []
                elem.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], bool]:
    """Indexes of cell styles that show a date, and whether the workbook uses the 1904 epoch."""
    date1904 = False
    try:
        workbook = archive.read("xl/workbook.xml")
        date1904 = b'date1904="1"' in workbook or b'date1904="true"' in workbook
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return set(), date1904
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "")
        for f in styles.iter(f"{_MAIN}numFmt")
    }
    dated: set[int] = set()
    xfs = styles.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        code = _QUOTED.sub("", custom.get(fmt, "")).lower()
        if fmt in _DATE_IDS or (fmt in custom and any(ch in code for ch in "dmyhs")):
            dated.add(index)
    return dated, date1904


def _position(ref: str | None, row0: int, next_col: int) -> tuple[int, int]:
    if not ref:
        return row0, next_col
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]) - 1, column_number(letters) - 1


def read_sparse(archive: zipfile.ZipFile, part: str) -> SparseSheet:
    """Cells of one worksheet part; empty rows share one empty list (never mutate them)."""
    strings = shared_strings(archive)
    dated, date1904 = _date_styles(archive)
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    by_row: dict[int, dict[int, object]] = {}
    sheet = SparseSheet(rows=[])
    row0, next_col = -1, 0
    with archive.open(part) as stream:
        for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local(elem.tag)
            if event == "start":
                if name == "row":
                    number = elem.get("r")
                    row0 = int(number) - 1 if number and number.isdigit() else row0 + 1
                    next_col = 0
                continue
            if name == "row":
                elem.clear()
                continue
            if name == "mergeCell":
                first, _, last = (elem.get("ref") or "").partition(":")
                if first and last:
                    sheet.merged.append((_position(first, 0, 0), _position(last, 0, 0)))
                continue
            if name != "c":
                continue
            r = elem.get("r")
            row, col = _position(r, max(row0, 0), next_col)
            next_col = col + 1
            value = _cell_value(elem, strings, dated, epoch)
            kind = elem.get("t", "n")
            if kind == "e":
                sheet.hidden_cells[(row, col)] = _text(elem, "v")
            elif elem.find(f"{_MAIN}f") is not None and not _text(elem, "v"):
                sheet.hidden_cells[(row, col)] = "="
            if value is not None:
                by_row.setdefault(row, {})[col] = value
            elem.clear()
    last_row = max(by_row, default=-1)
    empty: list[object] = []
    sheet.rows = [empty] * (last_row + 1)
    for row, cells in by_row.items():
        line: list[object] = [None] * (max(cells) + 1)
        for col, value in cells.items():
            line[col] = value
        sheet.rows[row] = line
    return sheet


def _text(elem: ElementTree.Element, child: str) -> str:
    found = elem.find(f"{_MAIN}{child}")
    return "" if found is None or found.text is None else found.text


def _cell_value(
    elem: ElementTree.Element, strings: list[str], dated: set[int], epoch: datetime
) -> object:
    kind = elem.get("t", "n")
    raw = _text(elem, "v")
    if kind == "inlineStr":
        node = elem.find(f"{_MAIN}is")
        return "".join(t.text or "" for t in node.iter(f"{_MAIN}t")) if node is not None else ""
    if kind == "e":
        return ""  # as calamine shows an error cell; the error itself is a hidden cell
    if raw == "":
        return None
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    try:
        number = float(raw)
    except ValueError:
        return raw
    if int(elem.get("s", "0")) in dated:
        try:
            return epoch + timedelta(days=number)
        except OverflowError:
            return number
    return number
