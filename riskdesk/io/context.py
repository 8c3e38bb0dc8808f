"""What the readers of one file share: the issue sink with its location, the result table, rows.

`ChainsContext` carries file, sheet, taxonomy and options and collects every DataIssue;
`ChainsTable` is what the chains sheet yielded (the inventory plus the spreadsheet row of each
frame row and the rows with errors); `RowBlock` gives the kept rows column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, Severity
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.issues import issue
from riskdesk.io.options import ImportOptions


@dataclass
class ChainsContext:
    file: str
    sheet: str | None
    taxonomy: Taxonomy
    options: ImportOptions
    text_source: bool  # csv: numbers arrive as text, which is normal there
    issues: list[DataIssue] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    # Re-import of riskdesk's own workbook: columns fixed by its layout, derived columns to skip.
    forced_columns: dict[int, str] = field(default_factory=dict)
    derived_marker: str | None = None

    def add(
        self,
        severity: Severity,
        code: str,
        zh: str,
        en: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        resolution: str | None = None,
    ) -> None:
        found = issue(
            severity,
            code,
            zh,
            en,
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=column,
            value=value,
        )
        if resolution is not None:
            found = found.model_copy(update={"resolution": resolution})
        self.issues.append(found)


@dataclass
class ChainsTable:
    """What the chains sheet yielded; `error_rows` are spreadsheet row numbers with an error."""

    inventory: Inventory
    header_row: int | None  # 1-based
    error_rows: set[int] = field(default_factory=set)
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row of each frame row
    file_kind: str = ""  # xlsx / xls / ods / csv


def text_of(cell: object) -> str | None:
    if cell.__class__ is str:
        return cell.strip() or None
    if cell is None:
        return None
    if isinstance(cell, float):
        if np.isnan(cell):
            return None
        return str(int(cell)) if cell.is_integer() else repr(cell)
    text = str(cell).strip()
    return text or None


def cell_at(row: list[object], c: int) -> object:
    return row[c] if c < len(row) else None


class RowBlock:
    """The kept data rows, read column-wise (transposed once, at C speed)."""

    def __init__(self, rows: list[list[object]]) -> None:
        self.n = len(rows)
        width = max((len(r) for r in rows), default=0)
        if any(len(r) != width for r in rows):
            rows = [r + [None] * (width - len(r)) for r in rows]
        self._columns: list[tuple[object, ...]] = list(zip(*rows, strict=True)) if rows else []

    def __len__(self) -> int:
        return self.n

    def cells(self, index: int) -> list[object]:
        if index < len(self._columns):
            return list(self._columns[index])
        return [None] * self.n
