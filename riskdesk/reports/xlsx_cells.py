"""The one safe-cell writer every Excel sheet uses, and the cell styles it stamps.

openpyxl (like pandas' to_excel and xlsxwriter's default) turns any string starting with "=" into
a live formula, and Excel evaluates text starting with + - @ on re-entry. So user text that starts
with = + - @ or a control character is written as an inline string with Excel's quote prefix, and
characters XML 1.0 forbids are removed. Numbers stay numbers; None stays an empty cell.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray

RISKY_START = ("=", "+", "-", "@")
HEADER_FILL = "1B3A5C"


def clean_text(text: str) -> str:
    """Remove characters that XML 1.0 (and so xlsx) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(RISKY_START) or ord(text[0]) < 0x20)


class CellWriter:
    """Makes cells for one write-only sheet: user text safely, numbers with a format."""

    def __init__(self, ws: Any, font_name: str = "Microsoft YaHei") -> None:
        self.ws = ws
        self._styles: dict[str, StyleArray] = {}
        self.font_name = font_name
        self._define("text_safe", quote=True)
        self._define("header", header=True)
        self._define("wrap", wrap=True)
        self._define("score", number_format="0.00")
        self._define("value", number_format="#,##0.###")
        self._define("percent", number_format="0%")
        self._define("int", number_format="0")
        self._define("title", title=True)

    def _define(
        self,
        name: str,
        *,
        quote: bool = False,
        header: bool = False,
        wrap: bool = False,
        number_format: str | None = None,
        title: bool = False,
    ) -> None:
        cell: Any = Cell(self.ws, row=1, column=1)
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
        self._styles[name] = cell._style

    def styled(self, value: Any, style: str) -> Cell:
        cell = Cell(self.ws, row=1, column=1)
        cell._style = StyleArray(self._styles[style])  # type: ignore[attr-defined]
        self._assign(cell, value)
        return cell

    def text(self, value: str | None, style: str | None = None) -> Any:
        """User or data text: safe whatever it starts with."""
        if value is None:
            return None
        text = clean_text(str(value))
        if is_risky(text):
            cell: Any = Cell(self.ws, row=1, column=1)
            cell._style = StyleArray(self._styles["text_safe"])
            if style == "wrap":
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell._value = text
            cell.data_type = "s"  # never "f": the text is kept, not evaluated
            return cell
        if style is not None:
            return self.styled(text, style)
        return text

    def number(self, value: float | int | None, style: str | None = "score") -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if style is None:
            return value
        return self.styled(value, style)

    def header(self, labels: list[str]) -> list[Cell]:
        return [self.styled(clean_text(x), "header") for x in labels]

    @staticmethod
    def _assign(cell: Any, value: Any) -> None:
        if isinstance(value, str):
            text = clean_text(value)
            if is_risky(text):
                cell.quotePrefix = True
            cell._value = text
            cell.data_type = "s"
        else:
            cell.value = value
