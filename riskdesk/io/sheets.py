"""The optional long sheets: `sources` (evidence), `timeseries` and `trade` (SPEC §7.1–7.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskdesk.core.inventory import CellKey, Inventory, SeriesPoint
from riskdesk.core.models import Provenance, Severity
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.context import ChainsContext, text_of
from riskdesk.io.headers import (
    HeaderVocabulary,
    find_header_row,
    fixed_vocabulary,
    inventory_vocabulary,
    normalise,
)
from riskdesk.io.issues import column_letter
from riskdesk.io.values import parse_numeric_column, problem_text
from riskdesk.io.workbook import RawSheet

SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "chains": ("chains", "产业链清单"),
    "sources": ("sources", "数据来源"),
    "timeseries": ("timeseries", "指标时间序列", "time series"),
    "trade": ("trade", "贸易数据"),
    "assessments": ("assessments", "评估结果"),
    "instructions": ("instructions", "填写说明", "说明"),
}
TRADE_COLUMNS = ("product", "reporter", "partner", "year", "flow", "value")
FLOWS = {
    "export": "export",
    "exports": "export",
    "x": "export",
    "出口": "export",
    "import": "import",
    "imports": "import",
    "m": "import",
    "进口": "import",
}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "对", "示意", "x", "✓"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "不是", ""}


def _profile_aliases(taxonomy: Taxonomy, name: str) -> list[str]:
    return list(taxonomy.columns.aliases.get(name, []))


def _vocab(taxonomy: Taxonomy, sheet: str) -> HeaderVocabulary:
    base: dict[str, Sequence[str]] = {
        "chain_id": _profile_aliases(taxonomy, "chain_id"),
        "segment": _profile_aliases(taxonomy, "segment"),
        "indicator": ["指标", "指标编号", "指标名称", "indicator id", "indicator name"],
        "year": ["年份", "年度"],
    }
    if sheet == "sources":
        base |= {
            "evidence": ["证据", "依据", "来源", "出处", "数据出处", "evidence note", "source"],
            "illustrative": ["示意", "示意数据", "是否示意", "illustrative value"],
        }
    elif sheet == "timeseries":
        base |= {"value": ["数值", "值", "指标值"]}
    else:
        base = {
            "product": ["产品", "产品代码", "商品", "商品编码", "product code", "hs", "cmdcode"],
            "reporter": ["报告国", "申报国", "reporter iso", "reporteriso", "reporter code"],
            "partner": ["伙伴国", "贸易伙伴", "partner iso", "partneriso", "partner code"],
            "year": ["年份", "年度", "period"],
            "flow": ["流向", "贸易流向", "trade flow", "flowdesc", "flow code"],
            "value": [
                "金额",
                "贸易额",
                "贸易额(美元)",
                "trade value",
                "primaryvalue",
                "value (usd)",
                "usd",
            ],
        }
    return fixed_vocabulary(base)


@dataclass
class LongSheet:
    header0: int
    columns: dict[str, int]


def _open_long(
    raw: RawSheet, ctx: ChainsContext, kind: str, required: Sequence[str]
) -> LongSheet | None:
    found = find_header_row(raw.rows, _vocab(ctx.taxonomy, kind), ctx.options.header_search_rows)
    if found is None:
        if any(any(text_of(c) for c in row) for row in raw.rows):
            ctx.add(
                Severity.ERROR,
                "no_header_row",
                f"工作表 {raw.name} 找不到表头；需要列：{', '.join(required)}",
                f"sheet {raw.name} has no header row; it needs the columns {', '.join(required)}",
                row=1,
            )
        return None
    header0, matches = found
    columns: dict[str, int] = {}
    for m in matches:
        columns.setdefault(m.field, m.index)
    missing = [r for r in required if r not in columns]
    if missing:
        ctx.add(
            Severity.ERROR,
            "missing_column",
            f"工作表 {raw.name} 缺少必填列：{', '.join(missing)}；该表未读取",
            f"sheet {raw.name} lacks the required column(s) {', '.join(missing)}; it was not read",
            row=header0 + 1,
            column=", ".join(missing),
        )
        return None
    return LongSheet(header0, columns)


def _rows(raw: RawSheet, sheet: LongSheet) -> list[tuple[int, list[object]]]:
    out = []
    for r0 in range(sheet.header0 + 1, len(raw.rows)):
        row = raw.rows[r0]
        if any(text_of(c) for c in row):
            out.append((r0 + 1, row))
    return out


def _get(row: list[object], sheet: LongSheet, name: str) -> object:
    c = sheet.columns.get(name)
    return row[c] if c is not None and c < len(row) else None


def _loc(sheet: LongSheet, name: str) -> str:
    return column_letter(sheet.columns[name]) + " " + name


def _indicator(ctx: ChainsContext, cell: object, number: int, sheet: LongSheet) -> str | None:
    text = text_of(cell)
    found = inventory_vocabulary(ctx.taxonomy).match(text) if text else None
    if found is None or found[0] not in ctx.taxonomy.indicator_by_id:
        ctx.add(
            Severity.WARNING,
            "unknown_indicator",
            f"第 {number} 行的指标「{text or ''}」不在指标目录中，该行未使用",
            f"row {number}: indicator '{text or ''}' is not in the taxonomy; the row is not used",
            row=number,
            column=_loc(sheet, "indicator"),
            value=text,
        )
        return None
    return found[0]


def _year(
    ctx: ChainsContext, cell: object, number: int, sheet: LongSheet, required: bool
) -> int | None:
    if text_of(cell) is None and not required:
        return None
    parsed = parse_numeric_column([cell], ctx.text_source)
    v = float(parsed.values[0])
    if np.isnan(v) or not v.is_integer() or not 1900 <= v <= 2100:
        ctx.add(
            Severity.ERROR,
            "bad_year",
            f"第 {number} 行的年份「{cell}」无效（应为 1900–2100 的整数）",
            f"row {number}: year '{cell}' is not valid (a whole number 1900–2100 is expected)",
            row=number,
            column=_loc(sheet, "year"),
            value=cell,
        )
        return None
    return int(v)


def read_sources(
    raw: RawSheet, inv: Inventory, ctx: ChainsContext, chains_sheet: str | None
) -> None:
    """Evidence notes and illustrative flags for values of the chains sheet."""
    sheet = _open_long(raw, ctx, "sources", ("chain_id", "indicator"))
    if sheet is None:
        return
    for number, row in _rows(raw, sheet):
        chain_id = text_of(_get(row, sheet, "chain_id"))
        segment = text_of(_get(row, sheet, "segment"))
        indicator = _indicator(ctx, _get(row, sheet, "indicator"), number, sheet)
        if chain_id is None or indicator is None:
            continue
        src_row = inv.source_rows.get((chain_id, segment))
        if src_row is None:
            ctx.add(
                Severity.WARNING,
                "unknown_chain",
                f"第 {number} 行的产业链 {chain_id}{'/' + segment if segment else ''}"
                "不在产业链清单中",
                f"row {number}: chain {chain_id}{'/' + segment if segment else ''} is not in the "
                "chains sheet",
                row=number,
                column=_loc(sheet, "chain_id"),
                value=chain_id,
            )
            continue
        flag_cell = _get(row, sheet, "illustrative")
        flag = normalise(text_of(flag_cell) or "")
        if flag not in TRUE_WORDS and flag not in FALSE_WORDS:
            ctx.add(
                Severity.WARNING,
                "bad_flag",
                f"第 {number} 行的示意标记「{flag_cell}」应为 是/否 或 yes/no，按“否”处理",
                f"row {number}: illustrative flag '{flag_cell}' should be yes/no (是/否); "
                "read as no",
                row=number,
                column=_loc(sheet, "illustrative"),
                value=flag_cell,
            )
        key: CellKey = (chain_id, segment, indicator)
        origin = inv.origins.get(indicator)
        existing = inv.cell_provenance.get(key)
        prov = Provenance(
            kind=existing.kind if existing is not None else "imported",
            file=ctx.file,
            sheet=chains_sheet,
            cell=(
                existing.cell
                if existing is not None
                else f"{origin.column}{src_row}"
                if origin is not None
                else None
            ),
            computed_from=existing.computed_from if existing is not None else None,
            method=existing.method if existing is not None else None,
            evidence=text_of(_get(row, sheet, "evidence")),
            illustrative=flag in TRUE_WORDS,
        )
        inv.cell_provenance[key] = prov
        year = _year(ctx, _get(row, sheet, "year"), number, sheet, required=False)
        if year is not None:
            inv.cell_years[key] = year


def read_timeseries(raw: RawSheet, inv: Inventory, ctx: ChainsContext) -> None:
    """Yearly values, long (`year`, `value` columns) or wide (one column per year: 2019, 2020, …)."""
    sheet = _open_long(raw, ctx, "timeseries", ("chain_id", "indicator"))
    if sheet is None:
        return
    wide = {} if "year" in sheet.columns else _year_columns(raw.rows[sheet.header0])
    if not wide and not {"year", "value"} <= set(sheet.columns):
        ctx.add(
            Severity.ERROR,
            "missing_column",
            f"工作表 {raw.name} 需要 year 与 value 两列，或每年一列（如 2019、2020）；该表未读取",
            f"sheet {raw.name} needs year and value columns, or one column per year (2019, "
            "2020, …); it was not read",
            row=sheet.header0 + 1,
            column="year, value",
        )
        return
    points: dict[CellKey, dict[int, float]] = {}
    for number, row in _rows(raw, sheet):
        chain_id = text_of(_get(row, sheet, "chain_id"))
        segment = text_of(_get(row, sheet, "segment"))
        indicator = _indicator(ctx, _get(row, sheet, "indicator"), number, sheet)
        cells: list[tuple[int | None, object, str]]
        if wide:
            cells = [(year, row[c] if c < len(row) else None, column_letter(c) + f" {year}")
                     for c, year in wide.items()]  # fmt: skip
        else:
            year_cell = _year(ctx, _get(row, sheet, "year"), number, sheet, required=True)
            cells = [(year_cell, _get(row, sheet, "value"), _loc(sheet, "value"))]
        for year_of, cell, where in cells:
            parsed = parse_numeric_column([cell], ctx.text_source)
            for p in parsed.problems:
                severity, zh, en = problem_text(p.code)
                ctx.add(Severity(severity), p.code, f"第 {number} 行：{zh}", f"row {number}: {en}",
                        row=number, column=where, value=cell)  # fmt: skip
            value = float(parsed.values[0])
            if chain_id is None or indicator is None or year_of is None or np.isnan(value):
                continue
            series = points.setdefault((chain_id, segment, indicator), {})
            if year_of in series:
                ctx.add(
                    Severity.WARNING,
                    "duplicate_year",
                    f"第 {number} 行：{chain_id} 的 {indicator} 在 {year_of} 年已有数值，以此行为准",
                    f"row {number}: {chain_id} {indicator} already has a value for {year_of}; "
                    "this row wins",
                    row=number,
                    column=where,
                    value=year_of,
                )
            series[year_of] = value
    for key, by_year in points.items():
        inv.series[key] = [SeriesPoint(y, by_year[y]) for y in sorted(by_year)]


def _year_columns(header: list[object]) -> dict[int, int]:
    """Header cells that are years (2019, "2019", "2019年") → {column index: year}."""
    found: dict[int, int] = {}
    for c, cell in enumerate(header):
        text = (text_of(cell) or "").removesuffix("年").removesuffix(".0")
        if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100:
            found[c] = int(text)
    return found


def read_trade(raw: RawSheet, ctx: ChainsContext) -> pd.DataFrame | None:
    """The long trade table with canonical columns and types (SPEC §7.2)."""
    sheet = _open_long(raw, ctx, "trade", TRADE_COLUMNS)
    if sheet is None:
        return None
    records: dict[str, list[object]] = {c: [] for c in TRADE_COLUMNS}
    for number, row in _rows(raw, sheet):
        product = text_of(_get(row, sheet, "product"))
        reporter = (text_of(_get(row, sheet, "reporter")) or "").upper()
        partner = (text_of(_get(row, sheet, "partner")) or "").upper()
        flow_cell = _get(row, sheet, "flow")
        flow = FLOWS.get(normalise(text_of(flow_cell) or ""))
        year = _year(ctx, _get(row, sheet, "year"), number, sheet, required=True)
        value_cell = _get(row, sheet, "value")
        parsed = parse_numeric_column([value_cell], ctx.text_source)
        value = float(parsed.values[0])
        bad: list[tuple[str, object, str, str]] = []
        if product is None:
            bad.append(("product", None, "产品为空", "product is empty"))
        for name, code in (("reporter", reporter), ("partner", partner)):
            if not (len(code) == 3 and code.isalpha() and code.isascii()):
                bad.append(
                    (
                        name,
                        code,
                        f"{name} 应为三位 ISO 国家代码（如 CHN、WLD）",
                        f"{name} must be a three-letter ISO code (e.g. CHN, WLD)",
                    )
                )
        if flow is None:
            bad.append(
                (
                    "flow",
                    flow_cell,
                    "流向应为 export/import（出口/进口、X/M）",
                    "flow must be export/import (出口/进口, X/M)",
                )
            )
        if parsed.problems or np.isnan(value) or value < 0:
            bad.append(
                (
                    "value",
                    value_cell,
                    "贸易额应为非负数字（美元）",
                    "value must be a non-negative number (USD)",
                )
            )
        if bad or year is None:
            for name, shown, zh, en in bad:
                ctx.add(
                    Severity.ERROR,
                    "bad_trade_row",
                    f"第 {number} 行：{zh}，该行未使用",
                    f"row {number}: {en}; the row is not used",
                    row=number,
                    column=_loc(sheet, name),
                    value=shown,
                )
            continue
        for name, item in zip(
            TRADE_COLUMNS, (product, reporter, partner, year, flow, value), strict=True
        ):
            records[name].append(item)
    return pd.DataFrame(
        {
            "product": pd.Series(records["product"], dtype=object),
            "reporter": pd.Series(records["reporter"], dtype=object),
            "partner": pd.Series(records["partner"], dtype=object),
            "year": pd.Series(records["year"], dtype="int64"),
            "flow": pd.Series(records["flow"], dtype=object),
            "value": pd.Series(records["value"], dtype=float),
        }
    )
