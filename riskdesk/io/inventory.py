"""Reading an inventory file (xlsx, xlsm, xls, ods, csv) into `riskdesk.core.inventory.Inventory`.

Order of work: safety checks on the raw bytes (nothing parses a file that failed them), parse with
python-calamine or the csv module, find the chains sheet and its header row, read the rows, then
the optional `sources`, `timeseries` and `trade` sheets. A file with problems still yields the
rows that could be read plus every problem as a located DataIssue; only a file that cannot be read
at all raises `InventoryReadError`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, InputSource, Severity
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report, sub_progress
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.chains import ChainsContext, ChainsTable, read_chains_sheet
from riskdesk.io.headers import closest, find_header_row, inventory_vocabulary, normalise
from riskdesk.io.issues import InventoryReadError, issue
from riskdesk.io.options import ImportOptions
from riskdesk.io.reimport import complete_from_export, export_sheets, prepare_context
from riskdesk.io.safety import inspect_file
from riskdesk.io.sheets import (
    SHEET_ALIASES,
    TRADE_COLUMNS,
    read_sources,
    read_timeseries,
    read_trade,
)
from riskdesk.io.workbook import RawBook, RawSheet, open_book

__all__ = [
    "ImportOptions",
    "InventoryReadError",
    "read_inventory",
    "read_inventory_table",
    "read_trade_file",
]


def read_inventory(
    path: Path,
    taxonomy: Taxonomy,
    *,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Inventory:
    """Read an inventory file; problems are in `inventory.issues` (see module docstring)."""
    return read_inventory_table(
        path, taxonomy, options=options, progress=progress, cancel=cancel
    ).inventory


def read_inventory_table(
    path: Path,
    taxonomy: Taxonomy,
    *,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ChainsTable:
    """`read_inventory` plus what a preview needs: header row and the rows with errors."""
    options = options or ImportOptions()
    path = Path(path)
    report(progress, 0.0, "checking file")
    facts = inspect_file(path, options)
    checkpoint(cancel)
    report(progress, 0.05, "parsing")
    book = open_book(path, facts, options)
    checkpoint(cancel)
    file = str(path)
    export = _riskdesk_export(book, options)
    sheet_name = export[0] if export else _chains_sheet(book, taxonomy, options)
    ctx = ChainsContext(
        file=file,
        sheet=sheet_name,
        taxonomy=taxonomy,
        options=options,
        text_source=facts.kind == "csv",
        issues=list(book.issues),
    )
    if export:
        prepare_context(ctx)
    else:
        _note_sheet_choice(book, sheet_name, options, ctx)
    raw = book.sheet(sheet_name, options)
    sheet_notes(raw, ctx)
    checkpoint(cancel)
    report(progress, 0.5, "reading rows")
    table = read_chains_sheet(raw, ctx, sub_progress(progress, 0.5, 0.9), cancel)
    del raw  # the raw cells are no longer needed: free them before the optional sheets
    book.release_csv()
    if export:
        complete_from_export(table, book.sheet(export[1], options), ctx)
    inv = table.inventory
    table.file_kind = facts.kind
    inv.source = InputSource.of_file(path, sheet=sheet_name, encoding=book.encoding)
    if facts.kind == "csv" and book.encoding not in ("utf-8", None):
        ctx.add(
            Severity.ASSUMPTION,
            "encoding_detected",
            f"CSV 文件编码识别为 {book.encoding.upper()}",
            f"the CSV file's encoding was detected as {book.encoding.upper()}",
            value=book.encoding,
        )
    report(progress, 0.9, "optional sheets")
    if not export:
        _optional_sheets(book, inv, ctx, sheet_name, options)
    checkpoint(cancel)
    if options.skip_invalid_rows and table.error_rows:
        _skip_rows(table, ctx)
    table.inventory.issues = ctx.issues
    report(progress, 1.0, "done")
    return table


def sheet_notes(raw: RawSheet, ctx: ChainsContext) -> None:
    """What the analyst must know about a sheet as a whole: hidden, or reaching far beyond its
    content (a stray cell, e.g. at XFD1048576)."""
    if raw.hidden:
        ctx.add(
            Severity.WARNING,
            "hidden_sheet",
            f"工作表「{raw.name}」在工作簿中是隐藏的，仍已读取；请确认它的内容应参与评估",
            f"sheet '{raw.name}' is hidden in the workbook and was read anyway; check that its "
            "content belongs in the assessment",
            value=raw.name,
        )
    extent = raw.sparse_extent
    if extent is not None:
        far = extent.far_cell
        letters = far.rstrip("0123456789")
        ctx.add(
            Severity.WARNING,
            "far_cell",
            f"工作表「{raw.name}」只有 {extent.cells} 个单元格，却延伸到 {far}"
            f"（{extent.rows} 行 × {extent.columns} 列）；已逐个单元格读取。"
            f"请检查并删除远离表格的单元格",
            f"sheet '{raw.name}' holds {extent.cells} cells but reaches {far} ({extent.rows} rows "
            f"× {extent.columns} columns); it was read cell by cell. Check for and delete cells "
            "far away from the table",
            row=extent.rows,
            column=letters,
            value=far,
        )


def _riskdesk_export(book: RawBook, options: ImportOptions) -> tuple[str, str] | None:
    if book.kind == "csv" or options.sheet is not None:
        return None
    chains = {normalise(a) for a in SHEET_ALIASES["chains"]}
    if any(normalise(n) in chains for n in book.sheet_names):
        return None
    return export_sheets(book, options)


def _chains_sheet(book: RawBook, taxonomy: Taxonomy, options: ImportOptions) -> str | None:
    if book.kind == "csv":
        return None
    names = book.sheet_names
    if not names:
        raise InventoryReadError(
            issue(
                Severity.ERROR,
                "no_sheets",
                "工作簿中没有工作表",
                "the workbook has no worksheets",
                file=str(book.path),
            )
        )
    if options.sheet is not None:
        for name in names:
            if normalise(name) == normalise(options.sheet):
                return name
        hint = closest(options.sheet, names)
        hint_zh = f"，是否想用「{hint}」？" if hint else ""
        hint_en = f"; did you mean '{hint}'?" if hint else ""
        raise InventoryReadError(
            issue(
                Severity.ERROR,
                "sheet_not_found",
                f"找不到工作表「{options.sheet}」（现有：{', '.join(names)}）{hint_zh}",
                f"there is no sheet '{options.sheet}' "
                f"(the workbook has: {', '.join(names)}){hint_en}",
                file=str(book.path),
                sheet=options.sheet,
                value=options.sheet,
            )
        )
    wanted = {normalise(a) for a in SHEET_ALIASES["chains"]}
    for name in names:
        if normalise(name) in wanted:
            return name
    others = {normalise(a) for k, v in SHEET_ALIASES.items() if k != "chains" for a in v}
    candidates = [n for n in names if normalise(n) not in others]
    return candidates[0] if candidates else names[0]


def _note_sheet_choice(
    book: RawBook, sheet: str | None, options: ImportOptions, ctx: ChainsContext
) -> None:
    if sheet is None or options.sheet is not None:
        return
    if normalise(sheet) in {normalise(a) for a in SHEET_ALIASES["chains"]}:
        return
    hint = closest("chains", [n for n in book.sheet_names if n != sheet])
    hint_zh = f"；工作表「{hint}」名称相近，如它才是清单请改名为 chains" if hint else ""
    hint_en = (
        f"; sheet '{hint}' has a similar name — rename it to chains if it is the list"
        if hint
        else ""
    )
    ctx.add(
        Severity.ASSUMPTION,
        "chains_sheet_guessed",
        f"没有名为 chains（产业链清单）的工作表，已读取「{sheet}」{hint_zh}",
        f"no sheet is named chains (产业链清单); read '{sheet}'{hint_en}",
        value=sheet,
    )


def _optional_sheets(
    book: RawBook, inv: Inventory, ctx: ChainsContext, chains: str | None, options: ImportOptions
) -> None:
    if book.kind == "csv":
        return
    known = {kind: {normalise(a) for a in aliases} for kind, aliases in SHEET_ALIASES.items()}
    for name in book.sheet_names:
        if name == chains:
            continue
        key = normalise(name)
        kind = next((k for k, keys in known.items() if key in keys), None)
        if kind == "chains":
            ctx.add(
                Severity.WARNING,
                "second_chains_sheet",
                f"工作簿中还有一个产业链清单工作表「{name}」；只读取了「{chains}」，"
                f"「{name}」中的内容未导入。请合并两个表，或用 --sheet 选择",
                f"the workbook has a second chains sheet '{name}'; only '{chains}' was read and "
                f"the content of '{name}' was not imported. Merge them, or choose one with "
                "--sheet",
                value=name,
            )
            continue
        if kind in ("instructions", "assessments"):
            continue
        sub = replace(ctx, sheet=name)
        if kind is None:
            guess = closest(
                name, [a for k in ("sources", "timeseries", "trade") for a in SHEET_ALIASES[k]]
            )
            raw = book.sheet(name, options)
            looks_used = find_header_row(
                raw.rows, inventory_vocabulary(ctx.taxonomy), options.header_search_rows
            )
            if guess is not None or looks_used is not None:
                hint_zh = f"；是否应命名为「{guess}」？" if guess else ""
                hint_en = f"; should it be named '{guess}'?" if guess else ""
                sub.add(
                    Severity.WARNING,
                    "sheet_ignored",
                    f"工作表「{name}」的名称不是已知的表名，未读取{hint_zh}",
                    f"sheet '{name}' does not have a known name and was not read{hint_en}",
                    value=name,
                )
            continue
        raw = book.sheet(name, options)
        sheet_notes(raw, sub)
        if kind == "sources":
            read_sources(raw, inv, sub, chains)
        elif kind == "timeseries":
            read_timeseries(raw, inv, sub)
        elif kind == "trade":
            inv.trade = read_trade(raw, sub)


def _skip_rows(table: ChainsTable, ctx: ChainsContext) -> None:
    inv = table.inventory
    keep = [i for i, n in enumerate(table.row_numbers) if n not in table.error_rows]
    for number in sorted(table.error_rows):
        ctx.add(
            Severity.WARNING,
            "row_skipped",
            f"第 {number} 行有错误，按要求未导入",
            f"row {number} has errors and was skipped as requested",
            row=number,
        )
    skipped_keys = {inv.key(i) for i, n in enumerate(table.row_numbers) if n in table.error_rows}
    subset = inv.subset(keep)
    subset.source_rows = {k: v for k, v in inv.source_rows.items() if k not in skipped_keys}
    subset.cell_provenance = {
        k: v for k, v in inv.cell_provenance.items() if (k[0], k[1]) not in skipped_keys
    }
    subset.cell_years = {
        k: v for k, v in inv.cell_years.items() if (k[0], k[1]) not in skipped_keys
    }
    subset.series = {k: v for k, v in inv.series.items() if (k[0], k[1]) not in skipped_keys}
    table.inventory = subset
    table.row_numbers = [table.row_numbers[i] for i in keep]


def read_trade_file(
    path: Path, taxonomy: Taxonomy, *, options: ImportOptions | None = None
) -> tuple[pd.DataFrame, list[DataIssue]]:
    """A trade table kept in its own csv/xlsx (SPEC §7.2): sheet `trade` / `贸易数据` or the first.

    Returns the canonical long table (as `Inventory.trade`) and the located problems; an
    unreadable file raises InventoryReadError. Assign it with `inventory.trade = table`.
    """
    options = options or ImportOptions()
    path = Path(path)
    facts = inspect_file(path, options)
    book = open_book(path, facts, options)
    sheet: str | None = None
    if book.kind != "csv":
        wanted = {normalise(a) for a in SHEET_ALIASES["trade"]}
        sheet = next((n for n in book.sheet_names if normalise(n) in wanted), book.sheet_names[0])
    ctx = ChainsContext(file=str(path), sheet=sheet, taxonomy=taxonomy, options=options,
                        text_source=facts.kind == "csv", issues=list(book.issues))  # fmt: skip
    table = read_trade(book.sheet(sheet, options), ctx)
    if table is None:
        table = pd.DataFrame({c: pd.Series([], dtype=object) for c in TRADE_COLUMNS})
    return table, ctx.issues
