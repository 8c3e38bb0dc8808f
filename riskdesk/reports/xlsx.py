"""Excel workbook export: Summary, Indicators, Scores, Strategies & measures, Data issues,
Methodology and the machine-readable Assessments sheet (documented in docs/reports.md).

Written with openpyxl's write-only mode (a 10,000-chain workbook in seconds); every text cell goes
through `CellWriter.text`, so no user text can become a formula.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from riskdesk.charts.style import LEVEL_COLOURS
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER, RiskType
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf import select_chains
from riskdesk.reports.templates import ReportText, load_report_text
from riskdesk.reports.xlsx_cells import CellWriter

# openpyxl's stubs lack most attributes of a write-only sheet (widths, filters, charts).
WriteOnlySheet = Any

# Column layout of the Assessments sheet: stable ids in row 1, one row per chain or segment.
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "chain_id",
    "chain_name",
    "segment",
    "sector",
    "tech_category",
    "strategic_value",
    "generality",
    "primary_type",
    "types",
    "primary_level",
    "primary_score",
    "score_missing",
    "score_destroyed",
    "score_response",
    "level_missing",
    "level_destroyed",
    "level_response",
    "gap",
    "exposure",
    "evidence_coverage",
    "normal_dependence",
    "tie",
    "strategy",
    "sub_strategy",
    "priority_mode",
    "measures",
    "weakest_segment",
    "robustness",
    "data_to_collect",
    "taxonomy_sha256",
    "assessed_at",
)
# Red when high: the same green–amber–red scale for every risk and score column.
RISK_SCALE = ColorScaleRule(  # type: ignore[no-untyped-call]
    start_type="num",
    start_value=0,
    start_color="63BE7B",
    mid_type="num",
    mid_value=0.5,
    mid_color="FFEB84",
    end_type="num",
    end_value=1,
    end_color="F8696B",
)


def _rows_of(chains: list[ChainResult]) -> Iterator[ChainResult]:
    """Each chain, followed by its segments (the sheets have one row per chain or segment)."""
    for c in chains:
        yield c
        yield from c.segments


def _prepare_table(ws: WriteOnlySheet, widths: Sequence[float], *, freeze: bool = True) -> None:
    """Widths and frozen header; a write-only sheet writes these before its first row."""
    if freeze:
        ws.freeze_panes = "A2"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _filter(ws: WriteOnlySheet, n_cols: int, n_rows: int) -> None:
    last = get_column_letter(max(n_cols, 1))
    ws.auto_filter.ref = f"A1:{last}{max(n_rows + 1, 1)}"


class WorkbookExport:
    def __init__(
        self,
        run: AssessmentRun,
        options: ReportOptions,
        taxonomy: Taxonomy,
        chains: list[ChainResult],
    ) -> None:
        self.run = run
        self.options = options
        self.tax = taxonomy
        self.lang = options.lang
        self.text: ReportText = load_report_text(options.lang)
        self.chains = chains
        self.rows = list(_rows_of(chains))
        self.wb = Workbook(write_only=True)

    def sheet(self, key: str) -> tuple[WriteOnlySheet, CellWriter]:
        ws = self.wb.create_sheet(self.text.sheets[key])
        return ws, CellWriter(ws)

    def label(self, key: str) -> str:
        return self.tax.label(key, self.lang)

    def level(self, level: str | None) -> str | None:
        return self.text.levels[level] if level is not None else None

    def name(self, r: ChainResult) -> str:
        return r.chain_name

    # --- sheets ----------------------------------------------------------------------------

    def summary(self) -> None:
        ws, w = self.sheet("summary")
        _prepare_table(ws, [34, 22, 11, 11, 11, 11, 11], freeze=False)
        t = self.text
        title = self.options.title or t.h("portfolio_title")
        ws.append([w.styled(title, "title")])
        run = self.run
        meta = [
            (t.label("organisation"), self.options.organisation),
            (t.label("author"), self.options.author),
            (t.label("assessed_at"), run.assessed_at),
            (t.label("taxonomy"), run.taxonomy.name),
            (t.label("taxonomy_hash"), run.taxonomy.sha256),
            (t.label("input_file"), Path(run.input.path).name if run.input else None),
            (t.label("input_hash"), run.input.sha256 if run.input else None),
            (t.label("software"), f"riskdesk {run.riskdesk_version}"),
            (t.label("chains_total"), str(len(self.chains))),
        ]
        if self.options.marking:
            meta.insert(0, ("", self.options.marking))
        for k, v in meta:
            ws.append([w.text(k), w.text(v)])
        ws.append([])
        header_row = len(meta) + 3
        levels = [*LEVEL_ORDER, None]
        ws.append(
            w.header(
                [
                    t.label("primary_type"),
                    *(self.level(x) or t.label("not_applicable") for x in levels),
                    t.label("count"),
                ]
            )
        )
        counts = Counter((c.primary_type.value, c.primary_level) for c in self.chains)
        outcomes = [o for o in OUTCOME_ORDER if any(k[0] == o.value for k in counts)]
        for o in outcomes:
            per = [counts.get((o.value, lv), 0) for lv in levels]
            ws.append([w.text(self.label(o)), *per, sum(per)])
        if outcomes:
            chart = BarChart()
            chart.type = "col"
            chart.grouping = "stacked"
            chart.overlap = 100
            chart.title = t.say("xlsx_chart_title")
            chart.y_axis.title = t.label("count")
            first, last = header_row + 1, header_row + len(outcomes)
            data = Reference(
                ws, min_col=2, max_col=1 + len(levels), min_row=header_row, max_row=last
            )
            cats = Reference(ws, min_col=1, min_row=first, max_row=last)
            chart.add_data(data, titles_from_data=True)
            for series, lv in zip(chart.series, levels, strict=True):
                colour = LEVEL_COLOURS[lv] if lv is not None else "#BFC9CA"
                series.graphicalProperties.solidFill = colour.lstrip("#").upper()
                series.graphicalProperties.line.noFill = True
            chart.set_categories(cats)
            chart.height, chart.width = 8, 16
            ws.add_chart(chart, f"I{header_row}")

    def indicators(self) -> None:
        ws, w = self.sheet("indicators")
        t = self.text
        inds = self.tax.indicators
        _prepare_table(ws, [12, 18, 10] + [14] * (2 * len(inds)))
        risk_suffix = f" · {t.label('risk')}"
        head = [t.label("chain_id"), t.label("chain_name"), t.label("segment")]
        head += [f"{i.name(self.lang)} ({i.unit})" for i in inds]
        head += [i.name(self.lang) + risk_suffix for i in inds]
        ws.append(w.header(head))
        n = len(inds)
        for r in self.rows:
            values: list[object] = [w.text(r.chain_id), w.text(r.chain_name), w.text(r.segment)]
            risks: list[object] = []
            for ind in inds:
                res = r.indicators.get(ind.id)
                values.append(None if res is None else res.value)
                risks.append(None if res is None or res.value is None else res.risk)
            ws.append(values + risks)
        first_risk = get_column_letter(4 + n)
        last_risk = get_column_letter(3 + 2 * n)
        ws.conditional_formatting.add(f"{first_risk}2:{last_risk}{len(self.rows) + 1}", RISK_SCALE)
        _filter(ws, 3 + 2 * n, len(self.rows))

    def scores(self) -> None:
        ws, w = self.sheet("scores")
        t = self.text
        dims = [*self.tax.capability_dimensions, EXPOSURE]
        widths = [12, 18, 10, 16, 22] + [11] * 3 + [9] * 3 + [10] * (2 + len(dims)) + [10, 10]
        _prepare_table(ws, widths)
        head = [
            t.label("chain_id"),
            t.label("chain_name"),
            t.label("segment"),
            t.label("primary_type"),
            t.label("types"),
        ]
        head += [self.label(x) for x in RiskType]
        head += [f"{self.label(x)} · {t.label('level')}" for x in RiskType]
        head += [t.label("gap"), t.label("exposure")]
        head += [self.label(d) for d in dims]
        head += [t.label("coverage"), t.label("robustness")]
        ws.append(w.header(head))
        sep = "、" if self.lang == "zh" else ", "
        for r in self.rows:
            row: list[object] = [
                w.text(r.chain_id),
                w.text(r.chain_name),
                w.text(r.segment),
                w.text(self.label(r.primary_type)),
                w.text(sep.join(self.label(x) for x in r.types)),
            ]
            row += [w.number(r.type_scores.get(x)) for x in RiskType]
            row += [w.text(self.level(r.risk_levels.get(x))) for x in RiskType]
            row += [w.number(r.gap), w.number(r.exposure)]
            for d in dims:
                ds = r.dimension_scores.get(d)
                row.append(None if ds is None else w.number(ds.score))
            row.append(w.number(r.evidence_coverage, "percent"))
            row.append(
                None
                if r.robustness is None
                else w.number(r.robustness.primary_stability, "percent")
            )
            ws.append(row)
        n = len(self.rows) + 1
        ws.conditional_formatting.add(f"F2:H{n}", RISK_SCALE)
        first = get_column_letter(12)
        last = get_column_letter(13 + len(dims))
        ws.conditional_formatting.add(f"{first}2:{last}{n}", RISK_SCALE)
        _filter(ws, len(head), len(self.rows))

    def strategies(self) -> None:
        ws, w = self.sheet("strategies")
        _prepare_table(ws, [12, 18, 10, 16, 16, 24, 60, 40])
        t = self.text
        head = [
            t.label("chain_id"),
            t.label("chain_name"),
            t.label("segment"),
            t.label("strategy"),
            t.label("sub_strategy"),
            t.label("priority_mode"),
            t.label("measure"),
            t.h("data_to_collect"),
        ]
        ws.append(w.header(head))
        titles = {m.id: m.title(self.lang) for m in self.tax.measures}
        sep = "、" if self.lang == "zh" else ", "
        for r in self.rows:
            mode = self.label(r.priority_mode) if r.priority_mode else r.priority_note
            measures = "\n".join(f"{k}. {titles.get(m, m)}" for k, m in enumerate(r.measures, 1))
            ws.append(
                [
                    w.text(r.chain_id),
                    w.text(r.chain_name),
                    w.text(r.segment),
                    w.text(self.label(r.strategy)),
                    w.text(self.label(r.sub_strategy) if r.sub_strategy else None),
                    w.text(mode),
                    w.text(measures or None, "wrap"),
                    w.text(sep.join(self.label(i) for i in r.data_to_collect) or None),
                ]
            )
        _filter(ws, len(head), len(self.rows))

    def issues(self) -> None:
        ws, w = self.sheet("issues")
        _prepare_table(ws, [10, 20, 60, 34, 30])
        t = self.text
        head = [t.label(k) for k in ("severity", "code", "message", "location", "value")]
        ws.append(w.header(head))
        for issue in self.run.issues:
            ws.append(
                [
                    w.text(t.severities.get(issue.severity.value, issue.severity.value)),
                    w.text(issue.code),
                    w.text(issue.message(self.lang), "wrap"),
                    w.text(issue.location()),
                    w.text(issue.value),
                ]
            )
        if not self.run.issues:
            ws.append([w.text(t.say("issues_none"))])
        _filter(ws, len(head), max(len(self.run.issues), 1))

    def methodology(self) -> None:
        ws, w = self.sheet("methodology")
        _prepare_table(ws, [30, 34, 14, 60, 14], freeze=False)
        t = self.text
        tax = self.tax
        sc = tax.scoring
        ws.append(w.header([t.label("taxonomy"), tax.name]))
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
            ws.append([w.text(k), w.text(v) if isinstance(v, str) else v])
        ws.append([])
        dims = [*tax.capability_dimensions, EXPOSURE]
        ws.append(
            w.header(
                [
                    "id",
                    t.label("indicator"),
                    t.label("unit"),
                    t.label("safe_anchor"),
                    t.label("critical_anchor"),
                    *(self.label(d) for d in dims),
                    t.label("source"),
                ]
            )
        )
        for ind in tax.indicators:
            ws.append(
                [
                    w.text(ind.id),
                    w.text(ind.name(self.lang)),
                    w.text(ind.unit),
                    ind.safe,
                    ind.critical,
                    *(ind.weights.get(d) for d in dims),
                    w.text(ind.source),
                ]
            )
        ws.append([])
        ws.append(
            w.header(
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
            ws.append(
                [
                    w.text(m.id),
                    w.text(self.label(m.applies_to)),
                    w.text(m.title(self.lang)),
                    w.text(m.text(self.lang), "wrap"),
                    w.text(m.source),
                ]
            )
        ws.append([])
        ws.append(w.header([t.methodology.papers_heading]))
        for p in t.papers:
            ws.append([w.text(f"[{p.id}] {p.citation}")])

    def assessments(self) -> None:
        ws, w = self.sheet("assessments")
        _prepare_table(ws, [12, 18, 10, 12] + [12] * (len(ASSESSMENT_COLUMNS) - 4))
        ws.append(w.header(list(ASSESSMENT_COLUMNS)))
        sha, at = self.run.taxonomy.sha256, self.run.assessed_at
        for r in self.rows:
            rb = r.robustness
            ws.append(
                [
                    w.text(r.chain_id),
                    w.text(r.chain_name),
                    w.text(r.segment),
                    w.text(r.sector),
                    w.text(r.tech_category),
                    r.strategic_value,
                    r.generality,
                    r.primary_type.value,
                    ",".join(x.value for x in r.types),
                    r.primary_level.value if r.primary_level else None,
                    r.primary_score,
                    *(r.type_scores.get(x) for x in RiskType),
                    *((lv.value if (lv := r.risk_levels.get(x)) else None) for x in RiskType),
                    r.gap,
                    r.exposure,
                    r.evidence_coverage,
                    r.normal_dependence,
                    r.tie,
                    r.strategy,
                    r.sub_strategy,
                    r.priority_mode,
                    w.text(",".join(r.measures) or None),
                    w.text(r.weakest_segment),
                    None if rb is None else rb.primary_stability,
                    w.text(",".join(r.data_to_collect) or None),
                    sha,
                    at,
                ]
            )
        _filter(ws, len(ASSESSMENT_COLUMNS), len(self.rows))


def write_xlsx(
    run: AssessmentRun,
    path: Path,
    options: ReportOptions,
    *,
    inventory: Inventory | None,
    taxonomy: Taxonomy,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """Write the Excel workbook for the selected chains; the file appears only when complete.

    `inventory` is accepted for symmetry with `write_pdf`; the workbook is built from the run.
    """
    del inventory
    chains = select_chains(run, options)
    export = WorkbookExport(run, options, taxonomy, chains)
    steps = (
        export.summary,
        export.indicators,
        export.scores,
        export.strategies,
        export.issues,
        export.methodology,
        export.assessments,
    )
    for k, step in enumerate(steps):
        checkpoint(cancel)
        report(progress, k / (len(steps) + 1), step.__name__)
        step()
    path = Path(path)
    with atomic_path(path) as tmp:
        checkpoint(cancel)
        report(progress, len(steps) / (len(steps) + 1), "xlsx")
        export.wb.save(tmp)
    report(progress, 1.0, str(path))
    return path
