"""Builders for real input files written inside each test (openpyxl, csv bytes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

SheetRows = Sequence[Sequence[Any]]
HEADER = [
    "chain_id",
    "chain_name",
    "segment",
    "tech_category",
    "import_dependence",
    "supplier_count",
]


def write_xlsx(
    path: Path, sheets: dict[str, SheetRows], merges: dict[str, list[str]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for span in (merges or {}).get(name, []):
            ws.merge_cells(span)
    wb.save(path)
    return path


def csv_bytes(rows: SheetRows, encoding: str = "utf-8", bom: bool = False) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
