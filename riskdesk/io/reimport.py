"""Re-import of riskdesk's own Excel export (SPEC §7.1 round trip).

The export (riskdesk/reports/xlsx.py) has no `chains` sheet: indicator values sit in its
Indicators sheet (指标; chain id, name and segment in columns A–C, then one column per indicator,
then derived risk columns "… · risk") and the chain profile in the machine-readable Assessments
sheet (评估记录; stable ids in row 1). Re-importing reads the values from the first and the profile
from the second, leaves out the roll-up row the export writes above a segmented chain's segments
(it is derived from them), and says so. `read_previous_assessments` returns the Assessments sheet
itself, for comparing a new round with the last one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from riskdesk.core.models import Severity
from riskdesk.io.context import ChainsContext, ChainsTable, text_of
from riskdesk.io.headers import normalise
from riskdesk.io.options import ImportOptions
from riskdesk.io.safety import inspect_file
from riskdesk.io.values import parse_numeric_column
from riskdesk.io.workbook import RawBook, RawSheet, open_book

EXPORT_SHEETS = {
    "indicators": ("indicators", "指标"),
    "assessments": ("assessments", "评估记录", "评估结果"),
}
PROFILE_FROM_ASSESSMENTS = ("sector", "tech_category", "strategic_value", "generality")
LAYOUT = {0: "chain_id", 1: "chain_name", 2: "segment"}
DERIVED_MARKER = " · "


def _find(book: RawBook, kind: str) -> str | None:
    wanted = {normalise(a) for a in EXPORT_SHEETS[kind]}
    return next((n for n in book.sheet_names if normalise(n) in wanted), None)


def export_sheets(book: RawBook, options: ImportOptions) -> tuple[str, str] | None:
    """(indicators sheet, assessments sheet) when the workbook is a riskdesk export."""
    if book.kind == "csv":
        return None
    indicators, assessments = _find(book, "indicators"), _find(book, "assessments")
    if indicators is None or assessments is None:
        return None
    header = _header(book.sheet(assessments, options))
    if not {"chain_id", "primary_type", "taxonomy_sha256"} <= set(header):
        return None
    return indicators, assessments


def _header(raw: RawSheet) -> list[str]:
    return [str(c).strip() for c in raw.rows[0]] if raw.rows else []


def prepare_context(ctx: ChainsContext) -> None:
    ctx.forced_columns = dict(LAYOUT)
    ctx.derived_marker = DERIVED_MARKER


def complete_from_export(table: ChainsTable, raw: RawSheet, ctx: ChainsContext) -> None:
    """Drop derived roll-up rows and fill the profile from the Assessments sheet."""
    inv = table.inventory
    keys = inv.keys()
    segmented = {chain_id for chain_id, segment in keys if segment is not None}
    keep = [i for i, (cid, seg) in enumerate(keys) if seg is not None or cid not in segmented]
    dropped = len(keys) - len(keep)
    if dropped:
        dropped_keys = {keys[i] for i in range(len(keys)) if i not in set(keep)}
        sub = inv.subset(keep)
        sub.source_rows = {k: v for k, v in inv.source_rows.items() if k not in dropped_keys}
        sub.cell_provenance = {
            k: v for k, v in inv.cell_provenance.items() if (k[0], k[1]) not in dropped_keys
        }
        table.row_numbers = [table.row_numbers[i] for i in keep]
        table.inventory = inv = sub
    header = _header(raw)
    col = {name: i for i, name in enumerate(header)}
    row_of = {key: i for i, key in enumerate(inv.keys())}
    filled = 0
    for row in raw.rows[1:]:
        chain_id = text_of(row[col["chain_id"]]) if "chain_id" in col else None
        segment = text_of(row[col["segment"]]) if "segment" in col else None
        i = row_of.get((chain_id or "", segment))
        if i is None:
            continue
        for name in PROFILE_FROM_ASSESSMENTS:
            if name not in col:
                continue
            value = row[col[name]]
            if text_of(value) is None or not _blank(inv.frame.at[i, name]):
                continue
            if name in ("strategic_value", "generality"):
                number = parse_numeric_column([value]).values[0]
                if np.isnan(number):
                    continue
                inv.frame.at[i, name] = float(number)
            else:
                inv.frame.at[i, name] = str(value).strip()
            filled += 1
    ctx.add(
        Severity.ASSUMPTION,
        "riskdesk_export",
        f"这是 riskdesk 导出的工作簿：指标值取自「{ctx.sheet}」表，产业链属性取自「{raw.name}」表"
        f"（补入 {filled} 项）；分环节产业链的汇总行（由各环节推导）共 {dropped} 行未导入",
        f"this is a workbook exported by riskdesk: indicator values come from sheet '{ctx.sheet}', "
        f"the chain profile from sheet '{raw.name}' ({filled} fields filled); {dropped} roll-up "
        "row(s) of segmented chains (derived from their segments) were left out",
        value=raw.name,
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value == ""


def read_previous_assessments(
    path: Path, options: ImportOptions | None = None
) -> pd.DataFrame | None:
    """The Assessments sheet of a riskdesk export as a DataFrame (stable column ids), else None."""
    options = options or ImportOptions()
    path = Path(path)
    book = open_book(path, inspect_file(path, options), options)
    sheets = export_sheets(book, options)
    if sheets is None:
        return None
    raw = book.sheet(sheets[1], options)
    header = _header(raw)
    body = [r for r in raw.rows[1:] if any(text_of(c) for c in r)]
    return pd.DataFrame(
        {
            name: pd.Series([None if r[i] == "" else r[i] for r in body], dtype=object)
            for i, name in enumerate(header)
            if name
        }
    )
