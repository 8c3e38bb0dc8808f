"""The reference sheets of the Excel workbook: Data issues (数据问题) and Methodology (方法说明).

Neither depends on the chains, so the streaming export writes them at the end (`finish`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from riskdesk.core.taxonomy import EXPOSURE
from riskdesk.reports import xlsx_cells as cells
from riskdesk.reports import xlsx_layout as layout

if TYPE_CHECKING:
    from riskdesk.reports.xlsx import WorkbookExport


def issues_sheet(export: WorkbookExport, ws: Any, rows: cells.SheetRows) -> None:
    """Every data issue of the run, located (or one line saying there are none)."""
    layout.prepare_table(ws, rows, [10, 20, 60, 34, 30])
    t = export.text
    head = [t.label(k) for k in ("severity", "code", "message", "location", "value")]
    rows.append(cells.header(head))
    for issue in export.run.issues:
        rows.append(
            [
                cells.text(t.severities.get(issue.severity.value, issue.severity.value)),
                cells.text(issue.code),
                cells.text(issue.message(export.lang), "wrap"),
                cells.text(issue.location()),
                cells.text(issue.value),
            ]
        )
    if not export.run.issues:
        rows.append([cells.text(t.say("issues_none"))])
    layout.autofilter(ws, len(head), max(len(export.run.issues), 1))


def methodology_sheet(export: WorkbookExport, ws: Any, rows: cells.SheetRows) -> None:
    """The taxonomy's parameters, indicators with anchors and weights, measures and papers."""
    layout.prepare_table(ws, rows, [30, 34, 14, 60, 14], freeze=False)
    t = export.text
    tax = export.tax
    sc = tax.scoring
    rows.append(cells.header([t.label("taxonomy"), tax.name]))
    params = [
        (t.label("taxonomy_hash"), tax.sha256),
        ("min_coverage", sc.min_coverage),
        ("assign_threshold", sc.assign_threshold),
        ("level low <", sc.levels.low),
        ("level medium <", sc.levels.medium),
        ("level high <", sc.levels.high),
        ("g(e) base", sc.exposure_damping.base),
        ("g(e) slope", sc.exposure_damping.slope),
        ("unknown_exposure", sc.exposure_damping.unknown_exposure),
        ("normal_dependence gap_min", sc.normal_dependence.gap_min),
        ("normal_dependence exposure_max", sc.normal_dependence.exposure_max),
        ("robustness draws", tax.robustness.draws),
        ("robustness spread", tax.robustness.spread),
        ("robustness seed", tax.robustness.seed),
    ]
    for k, v in params:
        rows.append([cells.text(k), cells.text(v) if isinstance(v, str) else v])
    rows.append([])
    dims = [*tax.capability_dimensions, EXPOSURE]
    rows.append(
        cells.header(
            [
                "id",
                t.label("indicator"),
                t.label("unit"),
                t.label("safe_anchor"),
                t.label("critical_anchor"),
                *(export.label(d) for d in dims),
                t.label("source"),
            ]
        )
    )
    for ind in tax.indicators:
        rows.append(
            [
                cells.text(ind.id),
                cells.text(ind.name(export.lang)),
                cells.text(ind.unit),
                ind.safe,
                ind.critical,
                *(ind.weights.get(d) for d in dims),
                cells.text(ind.source),
            ]
        )
    rows.append([])
    rows.append(
        cells.header(
            [
                "id",
                t.label("dimension"),
                t.label("measure"),
                t.label("measure_text"),
                t.label("source"),
            ]
        )
    )
    for m in tax.measures:
        rows.append(
            [
                cells.text(m.id),
                cells.text(export.label(m.applies_to)),
                cells.text(m.title(export.lang)),
                cells.text(m.text(export.lang), "wrap"),
                cells.text(m.source),
            ]
        )
    rows.append([])
    rows.append(cells.header([t.methodology.papers_heading]))
    for p in t.papers:
        rows.append([cells.text(f"[{p.id}] {p.citation}")])
