"""The one safe-cell writer of every Excel sheet: rows serialised straight to sheet XML.

openpyxl (like pandas' to_excel and xlsxwriter's default) turns any string starting with "=" into
a live formula, and Excel evaluates text starting with + - @ on re-entry. Here no formula can be
written at all: every string is an inline string (`t="inlineStr"`), text that starts with
= + - @ or a control character also carries Excel's quote prefix, and characters XML 1.0 forbids
are removed. Numbers stay numbers; None stays an empty cell.

Serialising rows ourselves instead of through openpyxl cell objects makes a 10,000-chain
workbook several times faster; openpyxl still writes the workbook around them (styles, views,
filters, conditional formats, charts) — see `SheetRows.write_into`. The rows do not stay in
memory: every 256 K characters of row XML go to a temporary file, and saving copies it into the zip
entry in chunks, so a 100,000-chain workbook costs the same memory as a small one.
"""

from __future__ import annotations

import math
import re
import tempfile
from typing import IO, Any, NamedTuple

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

RISKY_START = ("=", "+", "-", "@")
HEADER_FILL = "1B3A5C"
MUTED_COLOUR = "808080"
# The score stays a number; the cell shows it in brackets after a mark (see docs/reports.md).
INSUFFICIENT_FORMAT = '"‡ ("0.00")"'
# Row heights for wrapped text: points per line of 11-pt text, and the padding of a row.
LINE_HEIGHT = 15.0
ROW_PADDING = 3.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit
WRAPPED = frozenset({"header", "wrap", "wrap_safe"})
# Excel's last row: a sheet holds at most this many rows, header included.
MAX_SHEET_ROWS = 1_048_576
# Row XML kept in memory before it is spilled to the temporary file (characters; the row
# strings cost up to 4 bytes a character).
SPILL_CHARS = 1 << 18
# The per-text caches are emptied when they hold this many entries: chain ids and names are
# different on every row, so unbounded caches would grow with the workbook.
CACHE_ENTRIES = 4096
COPY_CHUNK = 1 << 20
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
# East-Asian wide and full-width characters (Hangul, CJK, kana, full-width forms).
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]"
)


def clean_text(text: str) -> str:
    """Remove characters that XML 1.0 (and so xlsx) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(RISKY_START) or ord(text[0]) < 0x20)


class Styled(NamedTuple):
    """A cell value with a named style (see `CellStyles`)."""

    value: object
    style: str


class CellStyles:
    """Named cell styles registered in the workbook's style table; `id(name)` is the xf index."""

    def __init__(self, wb: Workbook, font_name: str = "Microsoft YaHei") -> None:
        self.wb = wb
        self.font_name = font_name
        self._ids: dict[str, int] = {}
        probe = wb.create_sheet("_styles")  # cells need a sheet to register formats
        # Every data cell sits at the top of its row, so a row made tall by a wrapped cell
        # still reads across (Excel's default is the bottom).
        self._define(probe, "plain")
        self._define(probe, "text_safe", quote=True)
        self._define(probe, "header", header=True)
        self._define(probe, "wrap", wrap=True)
        self._define(probe, "wrap_safe", wrap=True, quote=True)
        self._define(probe, "score", number_format="0.00")
        self._define(probe, "value", number_format="#,##0.###")
        self._define(probe, "percent", number_format="0%")
        self._define(probe, "title", title=True)
        self._define(probe, "count", number_format="0")
        self._define(probe, "value_illustrative", number_format='#,##0.###" †"')
        # A dimension below the sufficiency threshold: grey italic, its score shown but marked.
        self._define(probe, "insufficient", number_format=INSUFFICIENT_FORMAT, muted=True)
        wb.remove(probe)

    def _define(
        self,
        ws: Any,
        name: str,
        *,
        quote: bool = False,
        header: bool = False,
        wrap: bool = False,
        number_format: str | None = None,
        title: bool = False,
        muted: bool = False,
    ) -> None:
        cell = Cell(ws, row=1, column=1)
        cell.alignment = Alignment(vertical="top")
        if quote:
            cell.quotePrefix = True
        if header:
            cell.font = Font(name=self.font_name, color="FFFFFF", bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if wrap:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        if number_format:
            cell.number_format = number_format
        if title:
            cell.font = Font(name=self.font_name, size=14, color=HEADER_FILL)
        if muted:
            cell.font = Font(color=MUTED_COLOUR, italic=True)
        self._ids[name] = self.wb._cell_styles.add(cell._style)  # type: ignore[attr-defined]

    def id(self, name: str) -> int:
        return self._ids[name]

    def attribute(self, name: str | None) -> str:
        """The ` s="n"` attribute of a cell in this style ('' for the default style)."""
        return "" if name is None else f' s="{self._ids[name]}"'

    def attributes(self) -> dict[str | None, str]:
        return {name: self.attribute(name) for name in (None, *self._ids)}


class SheetRows:
    """Rows of one sheet as XML, written through the single safe path in `_cell`."""

    def __init__(self, styles: CellStyles) -> None:
        self.styles = styles
        self._attr = styles.attributes()
        self._attr[None] = styles.attribute("plain")
        self.parts: list[str] = []
        self.n_rows = 0
        self.n_cols = 0
        self._letters: list[str] = []
        self.widths: list[float] = []
        # Sources, names and measures repeat from row to row: each text is measured and
        # serialised once (a 10,000-chain workbook has ~2 million cells).
        self._lines: dict[tuple[int, str], int] = {}
        self._texts: dict[tuple[str | None, str], str] = {}
        self._pending = 0  # characters in `parts`
        self._spill: IO[bytes] | None = None
        self._spilled = 0  # bytes in the spill file

    def close(self) -> None:
        """Drop the temporary file (saving reads it; the export closes every sheet after)."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def lines(self, col: int, value: str) -> int:
        """How many lines a wrapped text needs in column `col` (0-based) at its width."""
        n = self._lines.get((col, value))
        if n is None:
            if len(self._lines) >= CACHE_ENTRIES:
                self._lines.clear()
            width = self.widths[col] if col < len(self.widths) else 8.43
            n = self._lines[col, value] = sum(_lines(x, width) for x in value.split("\n"))
        return n

    def _letter(self, col: int) -> str:
        while len(self._letters) <= col:
            self._letters.append(get_column_letter(len(self._letters) + 1))
        return self._letters[col]

    def append(self, values: list[Any]) -> None:
        self.n_rows += 1
        r = str(self.n_rows)
        if len(values) > len(self._letters):
            self._letter(len(values) - 1)
        letters = self._letters
        cell = self._cell
        cells: list[str] = []
        most = 1  # lines of the tallest wrapped cell
        for c, v in enumerate(values):
            if v is None:
                continue
            if type(v) is Styled and v[1] in WRAPPED and type(v[0]) is str:
                most = max(most, self.lines(c, v[0]))
            cells.append(cell(letters[c] + r, v))
        self.n_cols = max(self.n_cols, len(values))
        ht = None if most == 1 else min(most * LINE_HEIGHT + ROW_PADDING, MAX_ROW_HEIGHT)
        attr = "" if ht is None else f' ht="{ht:g}" customHeight="1"'
        xml = f'<row r="{r}"{attr}>{"".join(cells)}</row>'
        self.parts.append(xml)
        self._pending += len(xml)
        if self._pending >= SPILL_CHARS:
            self._flush()

    def _flush(self) -> None:
        """Move the rows held in memory to the temporary file."""
        if not self.parts:
            return
        if self._spill is None:
            # Closed by `close` (the export's), not here: rows keep coming after each flush.
            self._spill = tempfile.TemporaryFile(prefix="riskdesk-xlsx-")  # noqa: SIM115
        data = "".join(self.parts).encode("utf-8")
        self._spill.write(data)
        self._spilled += len(data)
        self.parts.clear()
        self._pending = 0

    def _cell(self, ref: str, value: Any) -> str:
        name: str | None = None
        kind = type(value)
        if kind is Styled:
            value, name = value
            if value is None:
                return f'<c r="{ref}"{self._attr[name]}/>'
            kind = type(value)
        if kind is str:
            tail = self._texts.get((name, value))
            if tail is None:
                if len(self._texts) >= CACHE_ENTRIES:
                    self._texts.clear()
                tail = self._texts[name, value] = self._text_tail(name, value)
            return f'<c r="{ref}"{tail}' if tail else ""
        if kind is float:
            if not math.isfinite(value):
                return ""  # NaN is missing data: an empty cell, never a number
            return f'<c r="{ref}"{self._attr[name]}><v>{value!r}</v></c>'
        if kind is int:
            return f'<c r="{ref}"{self._attr[name]}><v>{value!r}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{self._attr[name]} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):  # numpy and other number types
            return self._cell(ref, Styled(float(value), name) if name else float(value))
        if isinstance(value, str):  # a str enum: its value, as text
            plain = str.__str__(value)
            return self._cell(ref, Styled(plain, name) if name else plain)
        return self._cell(ref, Styled(str(value), name) if name else str(value))

    def _text_tail(self, name: str | None, value: str) -> str:
        """A text cell's XML after `<c r="…"` ('' for no cell at all)."""
        text = clean_text(value)
        if not text:  # empty text is an empty cell, as a spreadsheet shows it
            return f"{self._attr[name]}/>" if name else ""
        if is_risky(text):
            name = "wrap_safe" if name == "wrap" else "text_safe"
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{self._attr[name]} t="inlineStr"><is><t{space}>{_xml(text)}</t></is></c>'

    def dimension(self) -> str:
        return f"A1:{self._letter(max(self.n_cols, 1) - 1)}{max(self.n_rows, 1)}"

    def write_into(self, sheet_xml: bytes, dst: Any, entry: Any) -> None:
        """Write the sheet with its rows into the zip entry `entry` of `dst` (a ZipFile), the
        rows copied from the temporary file in chunks."""
        head, tail = self._around(sheet_xml)
        self._flush()
        # The exact size up front: the entry gets a zip64 header only when it needs one, as
        # ZipFile.writestr decides, so a small workbook's bytes do not change.
        entry.file_size = len(head) + len(tail) + self._spilled
        with dst.open(entry, "w") as out:
            out.write(head)
            if self._spill is not None:
                self._spill.seek(0)
                while chunk := self._spill.read(COPY_CHUNK):
                    out.write(chunk)
            out.write(tail)

    def _around(self, sheet_xml: bytes) -> tuple[bytes, bytes]:
        """The sheet XML before and after its rows: `<sheetData>` opened and closed around them,
        and the dimension set to what the rows cover."""
        m = _SHEET_DATA.search(sheet_xml)
        if m is None:
            raise ValueError("sheet XML without an empty sheetData element")
        ref = f'<dimension ref="{self.dimension()}"/>'.encode()
        head = _DIMENSION.sub(lambda _m: ref, sheet_xml[: m.start()], count=1)
        return head + b"<sheetData>", b"</sheetData>" + sheet_xml[m.end():]


def text_width(text: str) -> float:
    """Width in Excel column units (one "0"): a Latin character 0.9, an East-Asian wide one 1.8 (as
    LibreOffice sets 11-pt CJK text)."""
    wide = len(_WIDE.findall(text))
    return 0.9 * (len(text) - wide) + 1.8 * wide


def _lines(line: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)  # the cell's inner margins
    return max(1, math.ceil(text_width(line) / usable))


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def text(value: object, style: str | None = None) -> Any:
    """User or data text (made safe when serialised); None stays an empty cell."""
    if value is None:
        return None
    return Styled(str(value), style) if style else str(value)


def number(value: float | int | None, style: str = "score") -> Styled | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Styled(value, style)


def header(labels: list[str]) -> list[Styled]:
    return [Styled(x, "header") for x in labels]
