"""Column-wise reading of the chains sheet: numbers, categories, ranges, percent scale, TTR/TTS.

Each function turns one column of the kept rows into a typed array and records every cell it had
to refuse as a located DataIssue (row, column letter + header, the value as written).
"""

from __future__ import annotations

import numpy as np

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Provenance, Severity
from riskdesk.core.taxonomy import Indicator
from riskdesk.io.context import ChainsContext, ChainsTable, RowBlock, text_of
from riskdesk.io.headers import HeaderMatch, normalise, tech_category_lookup
from riskdesk.io.issues import column_letter, row_list
from riskdesk.io.values import CellProblem, ParsedColumn, parse_numeric_column, problem_text
from riskdesk.io.workbook import RawSheet

PERCENT_KINDS = ("share", "share_delta")
PERCENT_HINT_KINDS = ("share", "share_delta", "rate")
LEVEL_RANGE = (1, 5)
YEAR_RANGE = (1900, 2100)


def _where(table: ChainsTable, i: int) -> int:
    return table.row_numbers[i]


def _col(m: HeaderMatch) -> str:
    return f"{column_letter(m.index)} {m.text}"


def hidden_problems(raw: RawSheet, m: HeaderMatch, table: ChainsTable) -> list[CellProblem]:
    """Cells of column `m` the parser showed as empty that held a formula without a saved
    result or an Excel error value (xlsx: found in the sheet XML)."""
    if not raw.hidden_cells:
        return []
    found = []
    for i, number in enumerate(table.row_numbers):
        hidden = raw.hidden_cells.get((number - 1, m.index))
        if hidden is not None:
            found.append(_hidden_problem(i, hidden))
    return found


def tech_categories(
    block: RowBlock,
    m: HeaderMatch | None,
    ctx: ChainsContext,
    table: ChainsTable,
    raw: RawSheet | None = None,
) -> np.ndarray:
    out = np.array([None] * len(block), dtype=object)
    if m is None:
        return out
    if raw is not None:
        cells_shown = block.cells(m.index)
        hidden = [p for p in hidden_problems(raw, m, table) if text_of(cells_shown[p.index]) is None]
        cell_problems(ParsedColumn(np.empty(0), problems=hidden), m, ctx, table)
    lookup = tech_category_lookup(ctx.taxonomy)
    memo: dict[str, str | None] = {}
    for i, cell in enumerate(block.cells(m.index)):
        text = text_of(cell)
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


def integer_field(
    name: str,
    block: RowBlock,
    m: HeaderMatch | None,
    ctx: ChainsContext,
    table: ChainsTable,
    raw: RawSheet | None = None,
) -> np.ndarray:
    if m is None:
        return np.full(len(block), np.nan)
    cells = block.cells(m.index)
    parsed = parse_numeric_column(cells, ctx.text_source)
    if raw is not None:
        parsed.problems += hidden_problems(raw, m, table)
    cell_problems(parsed, m, ctx, table)
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


def cell_problems(
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
    if parsed.unit_cells:
        rows = [_where(table, i) for i in parsed.unit_cells]
        ctx.add(
            Severity.ASSUMPTION,
            "unit_text_removed",
            f"列「{m.text}」中数字后的单位文字（如“30天”“3家”）已去掉（第 {row_list(rows)} 行）",
            f"column '{m.text}': unit words after numbers (e.g. '30天', '3家') were dropped "
            f"(rows {row_list(rows)})",
            row=rows[0],
            column=_col(m),
        )
    if parsed.thousands_cells:
        rows = [_where(table, i) for i in parsed.thousands_cells]
        first = parsed.thousands_cells[0]
        ctx.add(
            Severity.ASSUMPTION,
            "thousands_separator",
            f"列「{m.text}」中形如 1,234 的数值按千位分隔符读作 1234（第 {row_list(rows)} 行）",
            f"column '{m.text}': values like 1,234 were read with a thousands separator as 1234 "
            f"(rows {row_list(rows)})",
            row=rows[0],
            column=_col(m),
            value=f"{parsed.values[first]:g}",
        )
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


def indicator_column(
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
    parsed.problems += hidden_problems(raw, m, table)
    cell_problems(parsed, m, ctx, table)
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


def ttr_tts(
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
    cell_problems(ttr, ttr_m, ctx, table)
    cell_problems(tts, tts_m, ctx, table)
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
