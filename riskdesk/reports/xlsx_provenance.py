"""The indicator-sources sheet of the Excel workbook (指标来源 / Indicator sources).

One row per chain/segment × indicator with a value: the value beside its risk score, its kind,
year and source, and "†" for an illustrative figure, so that no demonstration number reads as a
published statistic. Missing indicators have no row: the Scores sheet shows the coverage they
leave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskdesk.reports import xlsx_cells as cells
from riskdesk.reports import xlsx_layout as layout

if TYPE_CHECKING:
    from riskdesk.reports.xlsx import WorkbookExport


def provenance_sheet(export: WorkbookExport) -> None:
    ws, rows = export.sheet("provenance")
    t = export.text
    layout.prepare_table(ws, rows, [12, 18, 10, 30, 18, 10, 12, 9, 5, 10, 7, 52])
    head = [
        t.label("chain_id"),
        t.label("chain_name"),
        t.label("segment"),
        t.label("indicator"),
        t.label("dimension"),
        t.label("unit"),
        t.label("value"),
        t.label("risk"),
        "†",
        t.label("kind"),
        t.label("year"),
        t.label("source"),
    ]
    rows.append(cells.header(head))
    sep = "、" if export.lang == "zh" else ", "
    meta = [
        (
            ind,
            cells.text(ind.name(export.lang), "wrap"),
            cells.text(
                sep.join(export.label(d) for d, w in ind.weights.items() if w) or None, "wrap"
            ),
        )
        for ind in export.tax.indicators
    ]
    kinds = {k: t.label(f"kind_{k}") for k in ("imported", "computed", "expert")}
    n = 0
    for r in export.rows:
        chain = [cells.text(r.chain_id), cells.text(r.chain_name), cells.text(r.segment)]
        for ind, name, dims in meta:
            res = r.indicators.get(ind.id)
            if res is None or res.value is None:
                continue
            n += 1
            rows.append(
                [
                    *chain,
                    name,
                    dims,
                    cells.text(res.unit or ind.unit),
                    cells.number(res.value, "value"),
                    cells.number(res.risk),
                    "†" if res.illustrative else None,
                    cells.text(kinds.get(res.kind) if res.kind else None),
                    cells.number(res.year, "count"),
                    cells.text(res.source or None, "wrap"),
                ]
            )
    ws.conditional_formatting.add(f"H2:H{max(n, 1) + 1}", layout.RISK_SCALE)
    layout.autofilter(ws, len(head), n)
