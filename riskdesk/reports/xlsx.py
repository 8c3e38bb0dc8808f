"""Excel workbook export: Summary, Indicators, Scores, Strategies & measures, Data issues,
Methodology and the machine-readable Assessments sheet (documented in docs/reports.md).

Written with openpyxl's write-only mode (a 10,000-chain workbook in seconds); every text cell goes
through `xlsx_cells.SheetRows`, which has no formula path at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from riskdesk.charts.style import LEVEL_COLOURS
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER, RiskType
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports import xlsx_cells as cells
from riskdesk.reports import xlsx_layout as layout
from riskdesk.reports import xlsx_provenance
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.decisions import report_inputs
from riskdesk.reports.options import ChainDecision, ReportOptions
from riskdesk.reports.pdf import select_chains
from riskdesk.reports.templates import ReportText, load_report_text

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
    "engine_type",
    "overridden",
    "decision_reason",
    "decided_by",
    "decided_at",
    "measures_added",
    "review_status",
    "approved_by",
    "approved_at",
    "snapshot_sha256",
)
# The same colour-blind-safe yellow–orange–red scale for every risk and score column.
RISK_SCALE = layout.RISK_SCALE


def _rows_of(chains: list[ChainResult]) -> Iterator[ChainResult]:
    """Each chain, followed by its segments (the sheets have one row per chain or segment)."""
    for c in chains:
        yield c
        yield from c.segments


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
        # The run's time, not the clock's: the same run gives the same workbook properties.
        with contextlib.suppress(ValueError):
            stamp = dt.datetime.fromisoformat(run.assessed_at).replace(tzinfo=None)
            self.wb.properties.created = self.wb.properties.modified = stamp
        t = self.text
        layout.properties(
            self.wb.properties,
            title=options.title or t.h("portfolio_title"),
            subject=t.say("subject_many", count=len(self.rows), date=run.assessed_at[:10]),
            creator=options.author or f"riskdesk {run.riskdesk_version}",
            keywords=t.say("keywords"),
            description=t.say(
                "cover_generated",
                version=run.riskdesk_version,
                assessed_at=run.assessed_at,
                taxonomy=run.taxonomy.name,
            ),
        )
        self.styles = cells.CellStyles(self.wb)
        self._labels: dict[str, str] = {}
        self.sheet_rows: list[tuple[str, cells.SheetRows]] = []

    def sheet(
        self,
        key: str,
        *,
        title_rows: str | None = "1:1",
        title_cols: str | None = None,
        fit_width: bool = True,
        scale: int = 100,
    ) -> tuple[WriteOnlySheet, cells.SheetRows]:
        ws = self.wb.create_sheet(self.text.sheets[key])
        layout.print_setup(
            ws,
            marking=self.options.marking_text(self.text.label("default_marking")),
            page_label=self.text.label("page"),
            title_rows=title_rows,
            title_cols=title_cols,
            fit_width=fit_width,
            scale=scale,
        )
        rows = cells.SheetRows(self.styles)
        self.sheet_rows.append((ws.title, rows))
        return ws, rows

    def save(self, target: Path) -> None:
        """openpyxl writes the workbook around empty sheets; the rows are spliced in."""
        skeleton = io.BytesIO()
        self.wb.save(skeleton)
        with zipfile.ZipFile(skeleton) as src:
            parts = layout.sheet_parts(src)
            rows_by_part = {parts[title]: rows for title, rows in self.sheet_rows}
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
                for info in src.infolist():
                    data = src.read(info.filename)
                    rows = rows_by_part.get(info.filename)
                    if rows is not None:
                        data = rows.splice(data)
                    elif info.filename == "docProps/core.xml":
                        data = layout.modified_as_created(data)
                    elif info.filename == "docProps/app.xml":
                        data = layout.app_company(data, self.options.organisation)
                    # A fixed entry time: the same run gives the same bytes.
                    entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    dst.writestr(entry, data, zipfile.ZIP_DEFLATED, compresslevel=1)

    def label(self, key: str) -> str:
        # Cached: the taxonomy look-up walks several tables and runs ~10 times per row.
        text = self._labels.get(key)
        if text is None:
            text = self._labels[key] = self.tax.label(key, self.lang)
        return text

    def level(self, level: str | None) -> str | None:
        return self.text.levels[level] if level is not None else None

    def decision(self, r: ChainResult) -> ChainDecision | None:
        return self.options.decisions.get(r.chain_id) if r.segment is None else None

    def decision_cells(self, r: ChainResult) -> list[object]:
        """engine_type … snapshot_sha256 of the Assessments sheet (empty: nothing decided)."""
        d = self.decision(r)
        approval = self.options.approvals.get(r.chain_id) if r.segment is None else None
        review: list[object] = [None, None, None]
        if approval is not None:
            review = [cells.text(approval.approved_by), approval.approved_at,
                      approval.snapshot_sha256]
        status = approval.status if approval is not None else None
        if d is None:
            return [r.primary_type.value, False, None, None, None, None, status, *review]
        return [
            d.engine_type,
            d.overridden,
            cells.text(d.reason or None),
            cells.text(d.analyst),
            d.at,
            cells.text("\n".join(d.added_measures) or None),
            status or d.status,
            *review,
        ]

    def name(self, r: ChainResult) -> str:
        return r.chain_name

    # --- sheets ----------------------------------------------------------------------------

    def summary(self) -> None:
        ws, rows = self.sheet("summary", title_rows=None)
        layout.prepare_table(ws, rows, [34, 22, 11, 11, 11, 11, 11], freeze=False)
        t = self.text
        title = self.options.title or t.h("portfolio_title")
        rows.append([cells.Styled(title, "title")])
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
            (t.label("chains_total"), cells.number(len(self.chains), "count")),
        ]
        marking = self.options.marking_text(t.label("default_marking"))
        if marking:
            meta.insert(0, ("", marking))
        for k, v in meta:
            rows.append([cells.text(k), v if isinstance(v, cells.Styled) else cells.text(v)])
        rows.append([])
        notes = [
            t.say("xlsx_illustrative_note"),
            t.say("xlsx_insufficient_note", min_coverage=self.tax.scoring.min_coverage),
        ]
        for note in notes:
            rows.append([cells.text(note)])
        rows.append([])
        header_row = len(meta) + len(notes) + 4
        levels = [*LEVEL_ORDER, None]
        rows.append(
            cells.header(
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
            rows.append([cells.text(self.label(o)), *per, sum(per)])
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
        """One row per chain/segment (re-imported by riskdesk/io/reimport.py): each indicator's
        value, "†" after an illustrative one, then its risk score in the next column."""
        ws, rows = self.sheet("indicators", fit_width=False, title_cols="A:C", scale=65)
        t = self.text
        inds = self.tax.indicators
        layout.prepare_table(ws, rows, [12, 18, 10] + [12, 9] * len(inds))
        ws.freeze_panes = "D2"
        risk_suffix = f" · {t.label('risk')}"
        head = [t.label("chain_id"), t.label("chain_name"), t.label("segment")]
        for i in inds:
            head += [f"{i.name(self.lang)} ({i.unit})", i.name(self.lang) + risk_suffix]
        rows.append(cells.header(head))
        for r in self.rows:
            row: list[object] = [
                cells.text(r.chain_id),
                cells.text(r.chain_name),
                cells.text(r.segment),
            ]
            for ind in inds:
                res = r.indicators.get(ind.id)
                if res is None or res.value is None:
                    row += [None, None]
                    continue
                style = "value_illustrative" if res.illustrative else "value"
                row += [cells.number(res.value, style), cells.number(res.risk)]
            rows.append(row)
        n = len(self.rows) + 1
        risks = " ".join(layout.sqref(5 + 2 * k, [(2, n)]) for k in range(len(inds)))
        if risks:
            ws.conditional_formatting.add(risks, RISK_SCALE)
        layout.autofilter(ws, len(head), len(self.rows))

    def provenance(self) -> None:
        xlsx_provenance.provenance_sheet(self)

    def scores(self) -> None:
        """Type scores and levels, gap and exposure gate, then each dimension's score beside its
        coverage; a dimension below min_coverage is written "‡ (score)" in grey, outside the
        colour scale, because it does not count."""
        ws, rows = self.sheet("scores")
        t = self.text
        dims = [*self.tax.capability_dimensions, EXPOSURE]
        widths = [12, 18, 10, 16, 22] + [11] * 3 + [9] * 3 + [10, 10] + [10, 8] * len(dims)
        layout.prepare_table(ws, rows, [*widths, 10, 10, 48])
        head = [
            t.label("chain_id"),
            t.label("chain_name"),
            t.label("segment"),
            t.label("primary_type"),
            t.label("types"),
        ]
        head += [self.label(x) for x in RiskType]
        head += [f"{self.label(x)} · {t.label('level')}" for x in RiskType]
        head += [t.label("gap"), t.label("exposure_gate")]
        for d in dims:
            head += [
                f"{self.label(d)} · {t.label('score')}",
                f"{self.label(d)} · {t.label('dimension_coverage')}",
            ]
        head += [t.label("coverage"), t.label("robustness"), t.label("decision")]
        rows.append(cells.header(head))
        sep = "、" if self.lang == "zh" else ", "
        counted: dict[str, list[bool]] = {d: [] for d in dims}
        for r in self.rows:
            row: list[object] = [
                cells.text(r.chain_id),
                cells.text(r.chain_name),
                cells.text(r.segment),
                cells.text(self.label(r.primary_type)),
                cells.text(sep.join(self.label(x) for x in r.types)),
            ]
            row += [cells.number(r.type_scores.get(x)) for x in RiskType]
            row += [cells.text(self.level(r.risk_levels.get(x))) for x in RiskType]
            row += [cells.number(r.gap), cells.number(r.exposure)]
            for d in dims:
                ds = r.dimension_scores.get(d)
                ok = ds is not None and ds.sufficient and ds.score is not None
                counted[d].append(ok)
                if ds is None:
                    row += [None, None]
                    continue
                row.append(cells.number(ds.score, "score" if ds.sufficient else "insufficient"))
                row.append(cells.number(ds.coverage, "percent"))
            row.append(cells.number(r.evidence_coverage, "percent"))
            row.append(
                None
                if r.robustness is None
                else cells.number(r.robustness.primary_stability, "percent")
            )
            decision = self.decision(r)
            row.append(cells.text(decision.summary or None if decision else None, "wrap"))
            rows.append(row)
        n = len(self.rows) + 1
        ws.conditional_formatting.add(f"F2:H{n}", RISK_SCALE)
        ws.conditional_formatting.add(f"L2:M{n}", RISK_SCALE)
        for k, d in enumerate(dims):
            ref = layout.sqref(14 + 2 * k, layout.runs(counted[d]))
            if ref:
                ws.conditional_formatting.add(ref, RISK_SCALE)
        layout.autofilter(ws, len(head), len(self.rows))

    def strategies(self) -> None:
        ws, rows = self.sheet("strategies")
        layout.prepare_table(ws, rows, [12, 18, 10, 16, 16, 24, 60, 40])
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
        rows.append(cells.header(head))
        titles = {m.id: m.title(self.lang) for m in self.tax.measures}
        sep = "、" if self.lang == "zh" else ", "
        for r in self.rows:
            mode = self.label(r.priority_mode) if r.priority_mode else r.priority_note
            lines = [titles.get(m, m) for m in r.measures]
            decision = self.decision(r)
            if decision is not None:
                lines += [f"{x} ({t.label('analyst_measure')})" for x in decision.added_measures]
            measures = "\n".join(f"{k}. {line}" for k, line in enumerate(lines, 1))
            rows.append(
                [
                    cells.text(r.chain_id),
                    cells.text(r.chain_name),
                    cells.text(r.segment),
                    cells.text(self.label(r.strategy)),
                    cells.text(self.label(r.sub_strategy) if r.sub_strategy else None),
                    cells.text(mode),
                    cells.text(measures or None, "wrap"),
                    cells.text(sep.join(self.label(i) for i in r.data_to_collect) or None, "wrap"),
                ]
            )
        layout.autofilter(ws, len(head), len(self.rows))

    def issues(self) -> None:
        ws, rows = self.sheet("issues")
        layout.prepare_table(ws, rows, [10, 20, 60, 34, 30])
        t = self.text
        head = [t.label(k) for k in ("severity", "code", "message", "location", "value")]
        rows.append(cells.header(head))
        for issue in self.run.issues:
            rows.append(
                [
                    cells.text(t.severities.get(issue.severity.value, issue.severity.value)),
                    cells.text(issue.code),
                    cells.text(issue.message(self.lang), "wrap"),
                    cells.text(issue.location()),
                    cells.text(issue.value),
                ]
            )
        if not self.run.issues:
            rows.append([cells.text(t.say("issues_none"))])
        layout.autofilter(ws, len(head), max(len(self.run.issues), 1))

    def methodology(self) -> None:
        ws, rows = self.sheet("methodology")
        layout.prepare_table(ws, rows, [30, 34, 14, 60, 14], freeze=False)
        t = self.text
        tax = self.tax
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
                    *(self.label(d) for d in dims),
                    t.label("source"),
                ]
            )
        )
        for ind in tax.indicators:
            rows.append(
                [
                    cells.text(ind.id),
                    cells.text(ind.name(self.lang)),
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
                    cells.text(self.label(m.applies_to)),
                    cells.text(m.title(self.lang)),
                    cells.text(m.text(self.lang), "wrap"),
                    cells.text(m.source),
                ]
            )
        rows.append([])
        rows.append(cells.header([t.methodology.papers_heading]))
        for p in t.papers:
            rows.append([cells.text(f"[{p.id}] {p.citation}")])

    def assessments(self) -> None:
        ws, rows = self.sheet("assessments")
        layout.prepare_table(ws, rows, [12, 18, 10, 12] + [12] * (len(ASSESSMENT_COLUMNS) - 4))
        rows.append(cells.header(list(ASSESSMENT_COLUMNS)))
        sha, at = self.run.taxonomy.sha256, self.run.assessed_at
        for r in self.rows:
            rb = r.robustness
            rows.append(
                [
                    cells.text(r.chain_id),
                    cells.text(r.chain_name),
                    cells.text(r.segment),
                    cells.text(r.sector),
                    cells.text(r.tech_category),
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
                    cells.text(",".join(r.measures) or None),
                    cells.text(r.weakest_segment),
                    None if rb is None else rb.primary_stability,
                    cells.text(",".join(r.data_to_collect) or None),
                    sha,
                    at,
                    *self.decision_cells(r),
                ]
            )
        layout.autofilter(ws, len(ASSESSMENT_COLUMNS), len(self.rows))


def write_xlsx(
    run: AssessmentRun | EffectiveRun,
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
    run, options = report_inputs(run, options, taxonomy)
    chains = select_chains(run, options)
    export = WorkbookExport(run, options, taxonomy, chains)
    steps = (
        export.summary,
        export.indicators,
        export.scores,
        export.strategies,
        export.provenance,
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
        export.save(tmp)
    report(progress, 1.0, str(path))
    return path
