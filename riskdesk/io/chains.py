"""The chains sheet: header mapping, row keys, profile fields and indicator columns → Inventory.

Rows whose key cannot be formed (no chain_id / chain_name, a duplicate key) cannot be kept and are
listed as errors. A cell that cannot be read, or lies outside its indicator's valid range, becomes
missing with an error naming row, column and value (riskdesk/io/columns.py); the row itself stays
unless the caller asked to skip invalid rows. Every assumption (percent scale, header row, merged
cells) is reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskdesk.core.inventory import NUMERIC_PROFILE, ColumnOrigin, Inventory
from riskdesk.core.models import PROFILE_FIELDS, Severity
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.io.columns import indicator_column, integer_field, tech_categories, ttr_tts
from riskdesk.io.context import ChainsContext, ChainsTable, RowBlock, cell_at, text_of
from riskdesk.io.headers import REQUIRED, HeaderMatch, find_header_row, inventory_vocabulary
from riskdesk.io.issues import column_letter, row_list
from riskdesk.io.workbook import RawSheet

__all__ = ["ChainsContext", "ChainsTable", "read_chains_sheet"]

TEXT_FIELDS = ("chain_id", "chain_name", "segment", "sector", "description", "owner")


def read_chains_sheet(
    raw: RawSheet,
    ctx: ChainsContext,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ChainsTable:
    taxonomy = ctx.taxonomy
    empty = ChainsTable(Inventory(frame=Inventory.empty_frame(taxonomy)), None)
    rows = raw.rows
    if not any(any(text_of(c) for c in row) for row in rows):
        ctx.add(Severity.ERROR, "empty_sheet", "工作表是空的，没有任何内容", "the sheet is empty")
        return empty
    found = find_header_row(rows, inventory_vocabulary(taxonomy), ctx.options.header_search_rows)
    if found is None:
        ctx.add(
            Severity.ERROR,
            "no_header_row",
            f"前 {ctx.options.header_search_rows} 行中找不到表头："
            "需要至少包含 chain_id（产业链编号）和 chain_name（产业链名称）两列。"
            "请用模板（riskdesk template）核对列名",
            f"no header row in the first {ctx.options.header_search_rows} rows: at least the "
            "columns chain_id (产业链编号) and chain_name (产业链名称) are needed. Compare the "
            "column names with the template (riskdesk template)",
            row=1,
        )
        return empty
    header0, matches = found
    if ctx.forced_columns:
        header_cells = rows[header0]
        matches = [m for m in matches if m.index not in ctx.forced_columns]
        matches += [
            HeaderMatch(i, f, str(header_cells[i]).strip(), None)
            for i, f in ctx.forced_columns.items()
            if i < len(header_cells)
        ]
        matches.sort(key=lambda m: m.index)
    if header0 > 0:
        ctx.add(
            Severity.ASSUMPTION,
            "header_not_first_row",
            f"表头在第 {header0 + 1} 行；上方 {header0} 行（标题等）未作为数据读取",
            f"the header is on row {header0 + 1}; the {header0} row(s) above it (a title, …) "
            "are not read as data",
            row=header0 + 1,
        )
    columns = _map_columns(rows[header0], matches, ctx, header0 + 1)
    empty.header_row = header0 + 1
    for required in REQUIRED:
        if required not in columns:
            zh_name = taxonomy.columns.aliases.get(required, [required])[0]
            ctx.add(
                Severity.ERROR,
                "missing_column",
                f"缺少必填列 {required}（{zh_name}）",
                f"required column {required} ({zh_name}) is missing",
                row=header0 + 1,
                column=required,
            )
    if any(r not in columns for r in REQUIRED):
        return empty
    _fill_merged(raw, header0, columns, ctx)
    return _read_rows(
        raw, header0=header0, columns=columns, ctx=ctx, progress=progress, cancel=cancel
    )


def _map_columns(
    header: list[object], matches: list[HeaderMatch], ctx: ChainsContext, header_row: int
) -> dict[str, HeaderMatch]:
    columns: dict[str, HeaderMatch] = {}
    matched = set()
    for m in matches:
        if m.field in columns:
            first = columns[m.field]
            ctx.add(
                Severity.WARNING,
                "duplicate_column",
                f"列 {column_letter(m.index)}「{m.text}」与"
                f"列 {column_letter(first.index)}「{first.text}」都对应 {m.field}；只读取第一列",
                f"column {column_letter(m.index)} '{m.text}' and column "
                f"{column_letter(first.index)} '{first.text}' both mean {m.field}; only the "
                "first is read",
                row=header_row,
                column=column_letter(m.index),
                value=m.text,
            )
            continue
        columns[m.field] = m
        matched.add(m.index)
    extras = []
    for c, cell in enumerate(header):
        text = text_of(cell)
        if text is None or c in matched or any(m.index == c for m in matches):
            continue
        if ctx.derived_marker is not None and ctx.derived_marker in text:
            continue
        extras.append((c, text))
    if extras:
        ctx.extra_columns = [t for _, t in extras]
        for c, text in extras:
            ctx.add(
                Severity.WARNING,
                "unknown_column",
                f"列 {column_letter(c)}「{text}」不是已知的列名，已保留但不参与评估",
                f"column {column_letter(c)} '{text}' is not a known column; it is kept but not "
                "used in the assessment",
                row=header_row,
                column=column_letter(c),
                value=text,
            )
    return columns


def _fill_merged(
    raw: RawSheet, header0: int, columns: dict[str, HeaderMatch], ctx: ChainsContext
) -> None:
    """A merged block in a profile column (a name over its segment rows) applies to each row."""
    profile_cols = {m.index for f, m in columns.items() if f in PROFILE_FIELDS}
    for (r0, c0), (r1, c1) in raw.merged:
        if r1 <= header0 or r0 <= header0:
            continue
        rows = raw.rows
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        if text_of(value) is None:
            continue
        filled = False
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c in profile_cols and c < len(rows[r]) and (r, c) != (r0, c0):
                    rows[r][c] = value
                    filled = True
        if filled or c0 not in profile_cols:
            span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            if c0 in profile_cols:
                ctx.add(
                    Severity.ASSUMPTION,
                    "merged_cells",
                    f"合并单元格 {span} 的值「{value}」用于第 {r0 + 1}–{r1 + 1} 行",
                    f"merged cells {span}: the value '{value}' applies to rows {r0 + 1}–{r1 + 1}",
                    row=r0 + 1,
                    column=column_letter(c0),
                    value=value,
                )
            else:
                ctx.add(
                    Severity.WARNING,
                    "merged_cells",
                    f"合并单元格 {span} 位于指标列，只有第 {r0 + 1} 行有值，其余行按缺失处理",
                    f"merged cells {span} lie in an indicator column: only row {r0 + 1} has "
                    "the value, the other rows are missing",
                    row=r0 + 1,
                    column=column_letter(c0),
                    value=value,
                )


def _read_rows(
    raw: RawSheet,
    *,
    header0: int,
    columns: dict[str, HeaderMatch],
    ctx: ChainsContext,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> ChainsTable:
    taxonomy = ctx.taxonomy
    id_col, name_col = columns["chain_id"].index, columns["chain_name"].index
    seg = columns.get("segment")
    has_segment = seg is not None
    kept: list[list[object]] = []
    row_numbers: list[int] = []
    seen: dict[tuple[str, str | None], int] = {}
    policy = ctx.options.duplicate_ids
    dropped: set[tuple[str, str | None]] = set()
    for r0 in range(header0 + 1, len(raw.rows)):
        row = raw.rows[r0]
        if not any(text_of(c) is not None for c in row):
            continue
        number = r0 + 1
        chain_id, name = text_of(cell_at(row, id_col)), text_of(cell_at(row, name_col))
        segment = text_of(cell_at(row, seg.index)) if seg is not None else None
        if chain_id is None or name is None:
            missing = "chain_id" if chain_id is None else "chain_name"
            col = id_col if chain_id is None else name_col
            ctx.add(
                Severity.ERROR,
                "missing_key",
                f"第 {number} 行缺少 {missing}（必填），该行无法导入",
                f"row {number} has no {missing} (required); the row cannot be imported",
                row=number,
                column=f"{column_letter(col)} {columns[missing].text}",
            )
            continue
        key = (chain_id, segment)
        if key in seen and policy == "suffix":
            renamed = _free_id(chain_id, segment, seen)
            ctx.add(
                Severity.ASSUMPTION,
                "duplicate_renamed",
                f"产业链编号 {chain_id} 重复（首次出现在第 {seen[key]} 行），本行按要求以 "
                f"{renamed} 导入",
                f"chain_id {chain_id} appears again (first on row {seen[key]}); this row is "
                f"imported as {renamed}, as chosen",
                row=number,
                column=f"{column_letter(id_col)} {columns['chain_id'].text}",
                value=chain_id,
            )
            row = list(row)
            while len(row) <= id_col:
                row.append(None)
            row[id_col] = renamed
            key = (renamed, segment)
        elif key in seen:
            if policy == "skip":
                dropped.add(key)
            if has_segment and segment is not None:
                code = "duplicate_chain_segment"
                zh = f"产业链 {chain_id} 的环节「{segment}」重复（首次出现在第 {seen[key]} 行）"
                en = (
                    f"chain {chain_id} segment '{segment}' appears again (first on row {seen[key]})"
                )
            else:
                code = "duplicate_chain_id"
                zh = f"产业链编号 {chain_id} 重复（首次出现在第 {seen[key]} 行）"
                en = f"chain_id {chain_id} appears again (first on row {seen[key]})"
            ctx.add(
                Severity.ERROR,
                code,
                zh + "，该行未导入",
                en + "; this row is not imported",
                row=number,
                column=f"{column_letter(id_col)} {columns['chain_id'].text}",
                value=chain_id,
                resolution=None if policy is None else "excluded",
            )
            continue
        seen[key] = number
        kept.append(row)
        row_numbers.append(number)
    if dropped:
        kept, row_numbers = _drop_duplicated(kept, row_numbers, dropped, seen, ctx,
                                             f"{column_letter(id_col)} {columns['chain_id'].text}")
    checkpoint(cancel)
    hidden = sorted(n for n in row_numbers if n in raw.hidden_rows) if raw.hidden_rows else []
    if hidden:
        ctx.add(
            Severity.WARNING,
            "hidden_rows",
            f"第 {row_list(hidden)} 行在工作表中是隐藏的，仍已导入；请确认它们应参与评估",
            f"rows {row_list(hidden)} are hidden in the sheet and were imported anyway; check "
            "that they belong in the assessment",
            row=hidden[0],
            value=f"{len(hidden)} rows",
        )
    kept = _unheaded_data(raw.rows[header0], columns, kept, row_numbers, ctx)
    n = len(kept)
    block = RowBlock(kept)
    table = ChainsTable(
        Inventory(frame=Inventory.empty_frame(taxonomy, 0)), header0 + 1, row_numbers=row_numbers
    )
    if n == 0:
        ctx.add(
            Severity.ERROR,
            "no_data_rows",
            "表头下方没有数据行",
            "there are no data rows below the header",
            row=header0 + 1,
        )
        return table
    data: dict[str, object] = {}
    for f in TEXT_FIELDS:
        m = columns.get(f)
        data[f] = np.array(
            [None] * n if m is None else [text_of(c) for c in block.cells(m.index)], dtype=object
        )
    data["tech_category"] = tech_categories(block, columns.get("tech_category"), ctx, table, raw)
    for f in ("strategic_value", "generality", "year"):
        data[f] = integer_field(f, block, columns.get(f), ctx, table, raw)
    indicators = [(ind, columns[ind.id]) for ind in taxonomy.indicators if ind.id in columns]
    for k, (ind, m) in enumerate(indicators):
        data[ind.id] = indicator_column(ind, block=block, m=m, raw=raw, ctx=ctx, table=table)
        if k % 4 == 3:
            checkpoint(cancel)
            report(progress, (k + 1) / max(len(indicators), 1), "indicators")
    for ind in taxonomy.indicators:
        data.setdefault(ind.id, np.full(n, np.nan))
    frame = pd.DataFrame(
        {c: _as_column(c, data[c]) for c in Inventory.empty_frame(taxonomy).columns}
    )
    inv = table.inventory
    inv.frame = frame
    for ind, m in indicators:
        inv.origins[ind.id] = ColumnOrigin(ctx.file, ctx.sheet, column_letter(m.index), m.text)
    ids, segs = data["chain_id"], data["segment"]
    for i in range(n):
        inv.source_rows[(ids[i], segs[i])] = row_numbers[i]  # type: ignore[index]
    ttr_tts(inv, columns, block, ctx, table)
    inv.extra_columns = list(ctx.extra_columns)
    return table


def _unheaded_data(
    header: list[object],
    columns: dict[str, HeaderMatch],
    kept: list[list[object]],
    row_numbers: list[int],
    ctx: ChainsContext,
) -> list[list[object]]:
    """Values under a blank header cell or beyond the last header are not read: say where they
    are (nothing is dropped silently), and cut the rows to the header's width."""
    width = max([i + 1 for i, c in enumerate(header) if text_of(c) is not None]
                + [m.index + 1 for m in columns.values()])  # fmt: skip
    blank = [c for c in range(min(width, len(header))) if text_of(header[c]) is None]
    blank += range(len(header), width)
    found: dict[int, list[int]] = {}
    for row, number in zip(kept, row_numbers, strict=True):
        extra = [c for c in blank if c < len(row)]
        if len(row) > width:
            extra += range(width, len(row))
        for c in extra:
            if text_of(row[c]) is not None:
                found.setdefault(c, []).append(number)
    for c in sorted(found)[:20]:
        rows = found[c]
        beyond = c >= width
        where_zh = "超出表头范围" if beyond else "表头为空"
        where_en = "lies beyond the last header" if beyond else "has a blank header"
        ctx.add(
            Severity.WARNING,
            "data_without_header",
            f"列 {column_letter(c)} {where_zh}，但第 {row_list(rows)} 行有数据；这些值未读取。"
            "如需使用，请为该列填写表头",
            f"column {column_letter(c)} {where_en} but holds data in rows {row_list(rows)}; "
            "those values were not read. Give the column a header to use them",
            row=rows[0],
            column=column_letter(c),
            value=f"{len(rows)} cells",
        )
    if len(found) > 20:
        ctx.add(Severity.WARNING, "data_without_header",
                f"另有 {len(found) - 20} 列无表头的数据未读取",
                f"{len(found) - 20} more columns without a header hold data that was not read")  # fmt: skip
    return [row[:width] if len(row) > width else row for row in kept]


def _as_column(name: str, values: object) -> pd.Series:
    if name in NUMERIC_PROFILE:
        return pd.Series(values, dtype=float)
    if name in PROFILE_FIELDS:
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=float)


def _free_id(chain_id: str, segment: str | None, seen: dict[tuple[str, str | None], int]) -> str:
    """ID-2, ID-3 …: the first suffix not yet used by any row."""
    k = 2
    while (f"{chain_id}-{k}", segment) in seen:
        k += 1
    return f"{chain_id}-{k}"


def _drop_duplicated(
    kept: list[list[object]],
    row_numbers: list[int],
    dropped: set[tuple[str, str | None]],
    seen: dict[tuple[str, str | None], int],
    ctx: ChainsContext,
    column: str,
) -> tuple[list[list[object]], list[int]]:
    """`skip`: the first row of a repeated ID goes too (which of the rows is right is unknown)."""
    first_rows = {seen[key]: key for key in dropped}
    out_rows: list[list[object]] = []
    out_numbers: list[int] = []
    for row, number in zip(kept, row_numbers, strict=True):
        key = first_rows.get(number)
        if key is None:
            out_rows.append(row)
            out_numbers.append(number)
            continue
        ctx.add(
            Severity.ERROR,
            "duplicate_skipped",
            f"产业链编号 {key[0]} 在多行出现，按要求全部未导入（第 {number} 行）",
            f"chain_id {key[0]} appears on several rows; as chosen, none of them is imported "
            f"(row {number})",
            row=number,
            column=column,
            value=key[0],
            resolution="excluded",
        )
    return out_rows, out_numbers
