"""The chains sheet: header mapping, row keys, profile fields and indicator columns → Inventory.

Rows whose key cannot be formed (no chain_id / chain_name, a duplicate key) cannot be kept and are
listed as errors. A cell that cannot be read, or lies outside its indicator's valid range, becomes
missing with an error naming row, column and value; the row itself stays unless the caller asked
to skip invalid rows. Every assumption (percent scale, header row, merged cells) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from riskdesk.core.inventory import NUMERIC_PROFILE, ColumnOrigin, Inventory
from riskdesk.core.models import PROFILE_FIELDS, DataIssue, Provenance, Severity
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.taxonomy import Indicator, Taxonomy
from riskdesk.io.headers import (
    REQUIRED,
    HeaderMatch,
    find_header_row,
    inventory_vocabulary,
    normalise,
    tech_category_lookup,
)
from riskdesk.io.issues import column_letter, issue, row_list
from riskdesk.io.options import ImportOptions
from riskdesk.io.values import CellProblem, ParsedColumn, parse_numeric_column, problem_text
from riskdesk.io.workbook import RawSheet

TEXT_FIELDS = ("chain_id", "chain_name", "segment", "sector", "description", "owner")
PERCENT_KINDS = ("share", "share_delta")
PERCENT_HINT_KINDS = ("share", "share_delta", "rate")
LEVEL_RANGE = (1, 5)
YEAR_RANGE = (1900, 2100)


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
    ) -> None:
        self.issues.append(
            issue(
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
        )


@dataclass
class ChainsTable:
    """What the chains sheet yielded; `error_rows` are spreadsheet row numbers with an error."""

    inventory: Inventory
    header_row: int | None  # 1-based
    error_rows: set[int] = field(default_factory=set)
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row of each frame row
    file_kind: str = ""  # xlsx / xls / ods / csv


def _text(cell: object) -> str | None:
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


def read_chains_sheet(
    raw: RawSheet,
    ctx: ChainsContext,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ChainsTable:
    taxonomy = ctx.taxonomy
    empty = ChainsTable(Inventory(frame=Inventory.empty_frame(taxonomy)), None)
    rows = raw.rows
    if not any(any(_text(c) for c in row) for row in rows):
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
        text = _text(cell)
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
        if _text(value) is None:
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


def _cell(row: list[object], c: int) -> object:
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
    for r0 in range(header0 + 1, len(raw.rows)):
        row = raw.rows[r0]
        if not any(_text(c) is not None for c in row):
            continue
        number = r0 + 1
        chain_id, name = _text(_cell(row, id_col)), _text(_cell(row, name_col))
        segment = _text(_cell(row, seg.index)) if seg is not None else None
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
        if key in seen:
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
            )
            continue
        seen[key] = number
        kept.append(row)
        row_numbers.append(number)
    checkpoint(cancel)
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
            [None] * n if m is None else [_text(c) for c in block.cells(m.index)], dtype=object
        )
    data["tech_category"] = _tech_categories(block, columns.get("tech_category"), ctx, table)
    for f in ("strategic_value", "generality", "year"):
        data[f] = _integer_field(f, block, columns.get(f), ctx, table)
    indicators = [(ind, columns[ind.id]) for ind in taxonomy.indicators if ind.id in columns]
    for k, (ind, m) in enumerate(indicators):
        data[ind.id] = _indicator_column(ind, block=block, m=m, raw=raw, ctx=ctx, table=table)
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
    _ttr_tts(inv, columns, block, ctx, table)
    inv.extra_columns = list(ctx.extra_columns)
    return table


def _as_column(name: str, values: object) -> pd.Series:
    if name in NUMERIC_PROFILE:
        return pd.Series(values, dtype=float)
    if name in PROFILE_FIELDS:
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=float)


def _where(table: ChainsTable, i: int) -> int:
    return table.row_numbers[i]


def _col(m: HeaderMatch) -> str:
    return f"{column_letter(m.index)} {m.text}"


def _tech_categories(
    block: RowBlock, m: HeaderMatch | None, ctx: ChainsContext, table: ChainsTable
) -> np.ndarray:
    out = np.array([None] * len(block), dtype=object)
    if m is None:
        return out
    lookup = tech_category_lookup(ctx.taxonomy)
    memo: dict[str, str | None] = {}
    for i, cell in enumerate(block.cells(m.index)):
        text = _text(cell)
        if text is None:
            continue
        if text not in memo:
            found = lookup.get(normalise(text))
            memo[text] = None if found is None else found.value
        category = memo[text]
        if category is None:
            choices = (
                "emerging 新兴技术 / core 核心技术 / "
                "foundational 基础零部件与材料 / mature 成熟技术"
            )
            ctx.add(
                Severity.ERROR,
                "bad_tech_category",
                f"技术类别「{text}」无法识别；可用：{choices}",
                f"tech category '{text}' is not recognised; use one of: {choices}",
                row=_where(table, i),
                column=_col(m),
                value=text,
            )
            table.error_rows.add(_where(table, i))
            continue
        out[i] = category
    return out


def _integer_field(
    name: str,
    block: RowBlock,
    m: HeaderMatch | None,
    ctx: ChainsContext,
    table: ChainsTable,
) -> np.ndarray:
    if m is None:
        return np.full(len(block), np.nan)
    cells = block.cells(m.index)
    parsed = parse_numeric_column(cells, ctx.text_source)
    _cell_problems(parsed, m, ctx, table)
    low, high = YEAR_RANGE if name == "year" else LEVEL_RANGE
    values = parsed.values
    for i in np.flatnonzero(~np.isnan(values)):
        v = float(values[i])
        if not v.is_integer() or not low <= v <= high:
            ctx.add(
                Severity.ERROR,
                "out_of_range",
                f"{name} 应为 {low}–{high} 之间的整数，却是 {v:g}",
                f"{name} must be a whole number from {low} to {high}, not {v:g}",
                row=_where(table, int(i)),
                column=_col(m),
                value=cells[int(i)],
            )
            table.error_rows.add(_where(table, int(i)))
            values[i] = np.nan
    return values


def _cell_problems(
    parsed: ParsedColumn, m: HeaderMatch, ctx: ChainsContext, table: ChainsTable
) -> None:
    for p in parsed.problems:
        severity, zh, en = problem_text(p.code)
        number = _where(table, p.index)
        ctx.add(
            Severity(severity),
            p.code,
            f"第 {number} 行「{m.text}」：{zh}",
            f"row {number}, '{m.text}': {en}",
            row=number,
            column=_col(m),
            value=p.raw,
        )
        if severity == "error":
            table.error_rows.add(number)
    if parsed.text_numbers:
        rows = [_where(table, i) for i in parsed.text_numbers]
        ctx.add(
            Severity.ASSUMPTION,
            "number_stored_as_text",
            f"列「{m.text}」有 {len(rows)} 个以文本形式存储的数字"
            f"（第 {row_list(rows)} 行），已按数字读取",
            f"column '{m.text}' has {len(rows)} number(s) stored as text (rows {row_list(rows)}); "
            "read as numbers",
            row=rows[0],
            column=_col(m),
        )


def _indicator_column(
    ind: Indicator,
    *,
    block: RowBlock,
    m: HeaderMatch,
    raw: RawSheet,
    ctx: ChainsContext,
    table: ChainsTable,
) -> np.ndarray:
    cells = block.cells(m.index)
    parsed = parse_numeric_column(cells, ctx.text_source)
    if raw.hidden_cells:
        for i, number in enumerate(table.row_numbers):
            hidden = raw.hidden_cells.get((number - 1, m.index))
            if hidden is not None:
                parsed.problems.append(_hidden_problem(i, hidden))
    _cell_problems(parsed, m, ctx, table)
    values = parsed.values
    _resolve_percent_scale(ind, m, parsed, ctx, table)
    _range_check(ind, m=m, values=values, cells=cells, ctx=ctx, table=table)
    return values


def _hidden_problem(i: int, hidden: str) -> CellProblem:
    if hidden == "=":
        return CellProblem(i, "formula_no_value", "=…")
    return CellProblem(i, "na_error" if hidden.upper() == "#N/A" else "excel_error", hidden)


def _resolve_percent_scale(
    ind: Indicator, m: HeaderMatch, parsed: ParsedColumn, ctx: ChainsContext, table: ChainsTable
) -> None:
    values = parsed.values
    plain = np.ones(len(values), dtype=bool)
    plain[parsed.percent_cells] = False
    plain &= ~np.isnan(values)
    if not plain.any():
        return
    hint = (m.unit_hint or "").replace(" ", "")
    said_percent = ind.kind in PERCENT_HINT_KINDS and ("%" in hint or "百分" in hint)
    magnitudes = np.abs(values[plain])
    big = int(((magnitudes > 1) & (magnitudes <= 100)).sum())
    inferred = (
        ind.kind in PERCENT_KINDS
        and big >= 2
        and 2 * big >= len(magnitudes)
        and bool((magnitudes <= 100).all())
    )
    if not (said_percent or inferred):
        return
    values[plain] = values[plain] / 100.0
    rows = [_where(table, int(i)) for i in np.flatnonzero(plain)]
    if said_percent:
        zh = f"列「{m.text}」的单位标为 %，数值已除以 100（如 90 → 0.90）"
        en = f"column '{m.text}' is marked as %: values were divided by 100 (90 → 0.90)"
    else:
        zh = (
            f"列「{m.text}」（{ind.unit}）的数值多在 1–100 之间，判断为百分数，已除以 100"
            f"（如 90 → 0.90）；如不是百分数请检查"
        )
        en = (
            f"column '{m.text}' ({ind.unit}) holds values mostly between 1 and 100, read as "
            "percent and divided by 100 (90 → 0.90); check if that is not meant"
        )
    ctx.add(
        Severity.ASSUMPTION,
        "percent_scale",
        zh,
        en,
        row=rows[0],
        column=_col(m),
        value=f"{len(rows)} cells",
    )


def _range_check(
    ind: Indicator,
    *,
    m: HeaderMatch,
    values: np.ndarray,
    cells: list[object],
    ctx: ChainsContext,
    table: ChainsTable,
) -> None:
    low = -np.inf if ind.valid_min is None else ind.valid_min
    high = np.inf if ind.valid_max is None else ind.valid_max
    with np.errstate(invalid="ignore"):
        bad = (values < low) | (values > high)
    if not bad.any():
        return
    span = (
        f"{ind.valid_min if ind.valid_min is not None else '−∞'}–"
        f"{ind.valid_max if ind.valid_max is not None else '∞'}"
    )
    for i in np.flatnonzero(bad):
        number = _where(table, int(i))
        v = float(values[i])
        if ind.kind == "count" and v < 0:
            code, zh, en = (
                "negative_count",
                f"{ind.name_zh}是个数，不能为负（{v:g}）",
                f"{ind.name_en} is a count and cannot be negative ({v:g})",
            )
        elif ind.kind in PERCENT_KINDS:
            code = "share_out_of_range"
            zh = (
                f"{ind.name_zh}是比例，应在 {span} 之间，却是 {v:g}；"
                "百分数请写成 90% 或在列名中注明 (%)"
            )
            en = (
                f"{ind.name_en} is a share and must lie within {span}, not {v:g}; write "
                "percentages as 90% or mark the header with (%)"
            )
        else:
            code = "out_of_range"
            zh = f"{ind.name_zh}应在 {span} 之间，却是 {v:g}"
            en = f"{ind.name_en} must lie within {span}, not {v:g}"
        ctx.add(
            Severity.ERROR,
            code,
            f"第 {number} 行：{zh}，按缺失处理",
            f"row {number}: {en}; read as missing",
            row=number,
            column=_col(m),
            value=cells[i],
        )
        table.error_rows.add(number)
        values[i] = np.nan


def _ttr_tts(
    inv: Inventory,
    columns: dict[str, HeaderMatch],
    block: RowBlock,
    ctx: ChainsContext,
    table: ChainsTable,
) -> None:
    ttr_m, tts_m = columns.get("ttr_days"), columns.get("tts_days")
    if ttr_m is None or tts_m is None:
        return
    ttr = parse_numeric_column(block.cells(ttr_m.index), ctx.text_source)
    tts = parse_numeric_column(block.cells(tts_m.index), ctx.text_source)
    _cell_problems(ttr, ttr_m, ctx, table)
    _cell_problems(tts, tts_m, ctx, table)
    given = inv.frame["ttr_tts_ratio"].to_numpy()
    computed = 0
    for i in range(len(block)):
        a, b = ttr.values[i], tts.values[i]
        if np.isnan(a) or np.isnan(b) or not np.isnan(given[i]):
            continue
        number = table.row_numbers[i]
        if b <= 0 or a < 0:
            ctx.add(
                Severity.ERROR,
                "bad_ttr_tts",
                f"第 {number} 行：恢复时间 {a:g} 天 / 生存时间 {b:g} 天"
                "无法计算比值（生存时间须大于 0）",
                f"row {number}: TTR {a:g} days / TTS {b:g} days gives no ratio (TTS must be > 0)",
                row=number,
                column=_col(tts_m),
                value=b,
            )
            table.error_rows.add(number)
            continue
        prov = Provenance(
            kind="computed",
            file=ctx.file,
            sheet=ctx.sheet,
            cell=f"{column_letter(ttr_m.index)}{number}/{column_letter(tts_m.index)}{number}",
            computed_from="ttr_days, tts_days",
            method="ttr_tts_ratio = ttr_days / tts_days",
        )
        inv.set_value(i, "ttr_tts_ratio", float(a / b), prov)
        computed += 1
    if computed:
        ctx.add(
            Severity.ASSUMPTION,
            "computed_ttr_tts",
            f"{computed} 行的 TTR/TTS 由恢复时间与生存时间计算得出",
            f"TTR/TTS computed from time-to-recover and time-to-survive for {computed} row(s)",
            column=_col(tts_m),
        )
