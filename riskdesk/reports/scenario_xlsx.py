"""Scenario sheets of a workbook: the chains × scenarios matrix and the long-format results.

`add_scenario_sheets(wb, run, taxonomy, lang)` adds both sheets to any openpyxl workbook (normal or
write-only), so the main assessment workbook can include them; `write_scenario_xlsx` writes a
workbook of its own, atomically. Text from the scenario file or the inventory (names, ids) is
written as text, never as a formula: cells are built explicitly with data type "s" and Excel's
quote prefix when the text starts with = + - @.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from riskdesk.core.models import Lang
from riskdesk.core.scenario_run import NOTES, ScenarioOutcome, ScenarioRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.xlsx_cells import clean_text, is_risky

WORSENED = "▲"
_TEXT: dict[str, tuple[str, str]] = {
    "matrix": ("情景矩阵", "Scenario matrix"),
    "long": ("情景明细", "Scenario results"),
    "chain_id": ("产业链编号", "Chain id"),
    "chain_name": ("产业链名称", "Chain name"),
    "baseline": ("基线类型", "Baseline type"),
    "unmet": ("未满足需求占比", "unmet share"),
    "type": ("冲击下类型", "shocked type"),
    "segment": ("环节", "Segment"),
    "scenario": ("情景编号", "Scenario id"),
    "scenario_name": ("情景名称", "Scenario name"),
    "kind": ("情景类型", "Kind"),
    "applies": ("适用", "Applies"),
    "tts_days": ("生存时间TTS(天)", "TTS (days)"),
    "ttr_days": ("恢复时间TTR(天)", "TTR (days)"),
    "unmet_days": ("未满足需求(消费天数)", "Unmet demand (consumption-days)"),
    "unmet_share": ("未满足需求占比 值", "Unmet share"),
    "shortfall_days": ("累计缺口(消费天数)", "Cumulative shortfall (consumption-days)"),
    "expected": ("年化期望未满足(天)", "Expected unmet per year (days)"),
    "shocked_type": ("冲击下主类型", "Shocked primary type"),
    "strategy": ("冲击下战略", "Shocked strategy"),
    "changed": ("类型改变", "Type changed"),
    "worsened": ("恶化", "Worsened"),
    "drivers": ("驱动指标变化", "Driving indicator changes"),
    "notes": ("说明", "Notes"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def _cell(ws: Any, value: object, number_format: str | None = None) -> Any:
    """One cell; text is always text (data type "s"), numbers stay numbers, None is empty."""
    if isinstance(value, str):
        text = clean_text(value)
        cell = WriteOnlyCell(ws, value=None)
        cell.value = text
        cell.data_type = "s"
        if is_risky(text):
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _row(ws: Any, values: list[object], formats: dict[int, str] | None = None) -> None:
    formats = formats or {}
    ws.append([_cell(ws, v, formats.get(i)) for i, v in enumerate(values)])


def _drivers_text(outcome: ScenarioOutcome, taxonomy: Taxonomy, lang: Lang) -> str:
    parts = []
    for d in outcome.drivers:
        old = "—" if d.baseline is None else f"{d.baseline:.3g}"
        new = "∞" if d.shocked is None else f"{d.shocked:.3g}"
        mark = " *" if d.moved else ""
        parts.append(f"{taxonomy.label(d.indicator, lang)} {old}→{new}{mark}")
    return "; ".join(parts)


def add_scenario_sheets(wb: Workbook, run: ScenarioRun, taxonomy: Taxonomy, lang: Lang) -> None:
    """Add the matrix sheet (unmet share and shocked type per scenario, ▲ where the chain's
    priority worsened) and the long-format sheet (one row per chain × scenario)."""
    scenarios = run.library.scenarios
    baseline = run.portfolio.results()
    blocks = [run.chain_block(g) for g in range(len(run.chain_ids))]

    matrix = wb.create_sheet(_t("matrix", lang))
    header: list[object] = [_t("chain_id", lang), _t("chain_name", lang), _t("baseline", lang)]
    for sc in scenarios:
        header += [f"{sc.id} {_t('unmet', lang)}", f"{sc.id} {_t('type', lang)}"]
    _row(matrix, header)
    for result, block in zip(baseline, blocks, strict=True):
        values: list[object] = [
            result.chain_id,
            result.chain_name or "",
            taxonomy.label(result.primary_type.value, lang),
        ]
        formats: dict[int, str] = {}
        for sc in scenarios:
            o = block[sc.id]
            formats[len(values)] = "0.0%"
            label = taxonomy.label(o.primary_type.value, lang) if o.applies else "—"
            values += [o.unmet_share, label + (f" {WORSENED}" if o.worsened else "")]
        _row(matrix, values, formats)

    long = wb.create_sheet(_t("long", lang))
    keys = ("chain_id", "segment", "scenario", "scenario_name", "kind", "applies", "tts_days",
            "ttr_days", "unmet_days", "unmet_share", "shortfall_days", "expected", "baseline",
            "shocked_type", "strategy", "changed", "worsened", "drivers", "notes")  # fmt: skip
    _row(long, [_t(k, lang) for k in keys])
    yes, no = _t("yes", lang), _t("no", lang)
    for result, block in zip(baseline, blocks, strict=True):
        for sc in scenarios:
            o = block[sc.id]
            _row(
                long,
                [
                    result.chain_id,
                    o.segment or "",
                    sc.id,
                    sc.name,
                    sc.kind,
                    yes if o.applies else no,
                    o.tts_days,
                    o.ttr_days,
                    o.unmet_days,
                    o.unmet_share,
                    o.shortfall_days,
                    o.expected_unmet_days,
                    taxonomy.label(result.primary_type.value, lang),
                    taxonomy.label(o.primary_type.value, lang),
                    taxonomy.label(o.strategy, lang),
                    yes if o.changed else no,
                    yes if o.worsened else no,
                    _drivers_text(o, taxonomy, lang),
                    "; ".join(NOTES[c][0 if lang == "zh" else 1] for c in o.note_codes),
                ],
                {6: "0.0", 7: "0.0", 8: "0.0", 9: "0.0%", 10: "0.0", 11: "0.0"},
            )


def write_scenario_xlsx(path: Path, run: ScenarioRun, taxonomy: Taxonomy, lang: Lang) -> Path:
    """A workbook of the scenario sheets; the file appears only when complete."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "riskdesk"
    add_scenario_sheets(wb, run, taxonomy, lang)
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)
