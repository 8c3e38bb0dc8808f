"""The indicator-sources sheet of the Excel workbook (指标来源 / Indicator sources).

One row per chain/segment × indicator with a value: the value beside its risk score, its kind,
year and source, and "†" for an illustrative figure, so that no demonstration number reads as a
published statistic. Missing indicators have no row: the Scores sheet shows the coverage they
leave.

A sheet holds at most 1,048,576 rows (Excel's limit); a large run (20,000 segmented chains give
1.6 million source rows) continues on "Indicator sources (2)", "(3)" … placed right after the
first, each with the header row, its colour scale and its filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from riskdesk.core.results import ChainResult
from riskdesk.reports import xlsx_cells as cells
from riskdesk.reports import xlsx_layout as layout

if TYPE_CHECKING:
    from riskdesk.reports.xlsx import WorkbookExport

WIDTHS = [12, 18, 10, 30, 18, 10, 12, 9, 5, 10, 7, 52]


class ProvenanceSheets:
    """The indicator-sources rows of a workbook, over as many sheets as Excel's limit needs."""

    def __init__(self, export: WorkbookExport) -> None:
        self.export = export
        t = export.text
        self.title = t.sheets["provenance"]
        self.head = [
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
        sep = "、" if export.lang == "zh" else ", "
        self.meta = [
            (
                ind,
                cells.text(ind.name(export.lang), "wrap"),
                cells.text(
                    sep.join(export.label(d) for d, w in ind.weights.items() if w) or None, "wrap"
                ),
            )
            for ind in export.tax.indicators
        ]
        self.kinds = {k: t.label(f"kind_{k}") for k in ("imported", "computed", "expert")}
        # (sheet, rows, data rows written) of each sheet, the last one being filled.
        self.sheets: list[tuple[Any, cells.SheetRows, int]] = []
        self._new_sheet()

    def _new_sheet(self) -> None:
        index = None
        title = None
        if self.sheets:  # a continuation, right after the previous part
            previous = self.sheets[-1][0]
            index = self.export.wb.worksheets.index(previous) + 1
            title = f"{self.title} ({len(self.sheets) + 1})"
        ws, rows = self.export.sheet("provenance", title=title, index=index)
        layout.prepare_table(ws, rows, WIDTHS)
        rows.append(cells.header(self.head))
        self.sheets.append((ws, rows, 0))

    def add(self, r: ChainResult) -> None:
        """The source rows of one chain or segment."""
        chain = [cells.text(r.chain_id), cells.text(r.chain_name), cells.text(r.segment)]
        for ind, name, dims in self.meta:
            res = r.indicators.get(ind.id)
            if res is None or res.value is None:
                continue
            ws, rows, n = self.sheets[-1]
            if n + 1 >= cells.MAX_SHEET_ROWS:
                self._new_sheet()
                ws, rows, n = self.sheets[-1]
            rows.append(
                [
                    *chain,
                    name,
                    dims,
                    cells.text(res.unit or ind.unit),
                    cells.number(res.value, "value"),
                    cells.number(res.risk),
                    "†" if res.illustrative else None,
                    cells.text(self.kinds.get(res.kind) if res.kind else None),
                    cells.number(res.year, "count"),
                    cells.text(res.source or None, "wrap"),
                ]
            )
            self.sheets[-1] = (ws, rows, n + 1)

    def finish(self) -> None:
        for ws, _rows, n in self.sheets:
            ws.conditional_formatting.add(f"H2:H{max(n, 1) + 1}", layout.RISK_SCALE)
            layout.autofilter(ws, len(self.head), n)
