"""Excel workbook export: Summary, Indicators, Scores, Strategies & measures, Data issues,
Methodology and the machine-readable Assessments sheet (documented in docs/reports.md).

Written with openpyxl's write-only mode (a 10,000-chain workbook in seconds); every text cell goes
through `xlsx_cells.SheetRows`, which has no formula path at all. Chains arrive in blocks
(`WorkbookExport.add`) and each block's rows go straight to the sheets' temporary files, so the
command line can stream a 100,000-chain run without holding every result (`write_xlsx_blocks`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
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
from riskdesk.reports import xlsx_provenance, xlsx_reference
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
# Chains per block of a streamed output: a chain's result with its JSON form is ~100 KB, so a
# block costs ~20 MB (1,000 chains cost 100 MB more at the peak, and were no faster).
BLOCK = 200
# The same colour-blind-safe yellow–orange–red scale for every risk and score column.
RISK_SCALE = layout.RISK_SCALE


def _rows_of(chains: Iterable[ChainResult]) -> Iterator[ChainResult]:
    """Each chain, followed by its segments (the sheets have one row per chain or segment)."""
    for c in chains:
        yield c
        yield from c.segments


def blocks_of(chains: Iterable[ChainResult], size: int = BLOCK) -> Iterator[list[ChainResult]]:
    """Chains in lists of `size` (the unit every streaming output works in)."""
    block: list[ChainResult] = []
    for c in chains:
        block.append(c)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


class WorkbookExport:
    """The workbook, built from chains given in blocks.

    Every sheet is created up front (in the order the workbook shows them) with its header;
    `add` appends a block's rows to the per-chain sheets (Indicators, Scores, Strategies,
    Indicator sources, Assessments) and keeps only what the end needs: the counts per type and
    level, and which dimension scores count. `finish` writes the Summary, Data issues and
    Methodology sheets, the colour scales and the filters; `save` writes the file.
    """

    def __init__(self, run: AssessmentRun, options: ReportOptions, taxonomy: Taxonomy) -> None:
        self.run = run
        self.options = options
        self.tax = taxonomy
        self.lang = options.lang
        self.text: ReportText = load_report_text(options.lang)
        self.n_chains = 0
        self.n_rows = 0  # chains and segments
        self.counts: Counter[tuple[str, str | None]] = Counter()
        self.wb = Workbook(write_only=True)
        # The run's time, not the clock's: the same run gives the same workbook properties.
        with contextlib.suppress(ValueError):
            stamp = dt.datetime.fromisoformat(run.assessed_at).replace(tzinfo=None)
            self.wb.properties.created = self.wb.properties.modified = stamp
        self.styles = cells.CellStyles(self.wb)
        self._labels: dict[str, str] = {}
        self.sheet_rows: list[tuple[str, cells.SheetRows]] = []
        self._sep = "、" if self.lang == "zh" else ", "
        self._measure_titles = {m.id: m.title(self.lang) for m in taxonomy.measures}
        self._dims = [*taxonomy.capability_dimensions, EXPOSURE]
        # Per Scores row and dimension: whether its score counts (gets the colour scale).
        self._counted: dict[str, bytearray] = {d: bytearray() for d in self._dims}
        self._summary = self.sheet("summary", title_rows=None)
        self._indicators = self.indicators_sheet()
        self._scores = self.scores_sheet()
        self._strategies = self.strategies_sheet()
        self._provenance = xlsx_provenance.ProvenanceSheets(self)
        self._issues = self.sheet("issues")
        self._methodology = self.sheet("methodology")
        self._assessments = self.assessments_sheet()

    def sheet(
        self,
        key: str,
        *,
        title_rows: str | None = "1:1",
        title_cols: str | None = None,
        fit_width: bool = True,
        scale: int = 100,
        title: str | None = None,
        index: int | None = None,
    ) -> tuple[WriteOnlySheet, cells.SheetRows]:
        ws = self.wb.create_sheet(title or self.text.sheets[key], index)
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

    def add(self, chains: Iterable[ChainResult]) -> None:
        """Append the rows of these chains (each followed by its segments) to every sheet."""
        for c in chains:
            self.n_chains += 1
            self.counts[c.primary_type.value, c.primary_level] += 1
            for r in _rows_of([c]):
                self.n_rows += 1
                self._indicators[1].append(self.indicator_row(r))
                self._scores[1].append(self.score_row(r))
                self._strategies[1].append(self.strategy_row(r))
                self._provenance.add(r)
                self._assessments[1].append(self.assessment_row(r))

    def finish(self) -> None:
        """What needs every chain: the Summary, the sheets that do not depend on the chains,
        the colour scales, the filters and the document properties."""
        t, run = self.text, self.run
        layout.properties(
            self.wb.properties,
            title=self.options.title or t.h("portfolio_title"),
            subject=t.say("subject_many", count=self.n_rows, date=run.assessed_at[:10]),
            creator=self.options.author or f"riskdesk {run.riskdesk_version}",
            keywords=t.say("keywords"),
            description=t.say(
                "cover_generated",
                version=run.riskdesk_version,
                assessed_at=run.assessed_at,
                taxonomy=run.taxonomy.name,
            ),
        )
        self.summary()
        n = self.n_rows + 1
        ws = self._indicators[0]
        risks = " ".join(layout.sqref(5 + 2 * k, [(2, n)]) for k in range(len(self.tax.indicators)))
        if risks:
            ws.conditional_formatting.add(risks, RISK_SCALE)
        layout.autofilter(ws, self._indicators[1].n_cols, self.n_rows)
        ws = self._scores[0]
        ws.conditional_formatting.add(f"F2:H{n}", RISK_SCALE)
        ws.conditional_formatting.add(f"L2:M{n}", RISK_SCALE)
        for k, d in enumerate(self._dims):
            ref = layout.sqref(14 + 2 * k, layout.runs(map(bool, self._counted[d])))
            if ref:
                ws.conditional_formatting.add(ref, RISK_SCALE)
        layout.autofilter(ws, self._scores[1].n_cols, self.n_rows)
        layout.autofilter(self._strategies[0], self._strategies[1].n_cols, self.n_rows)
        self._provenance.finish()
        xlsx_reference.issues_sheet(self, *self._issues)
        xlsx_reference.methodology_sheet(self, *self._methodology)
        layout.autofilter(self._assessments[0], len(ASSESSMENT_COLUMNS), self.n_rows)

    def save(self, target: Path, cancel: CancelFn | None = None) -> None:
        """openpyxl writes the workbook around empty sheets; the rows are copied in (a cancel
        is honoured between parts)."""
        skeleton = io.BytesIO()
        self.wb.save(skeleton)
        with zipfile.ZipFile(skeleton) as src:
            parts = layout.sheet_parts(src)
            rows_by_part = {parts[title]: rows for title, rows in self.sheet_rows}
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
                for info in src.infolist():
                    checkpoint(cancel)
                    data = src.read(info.filename)
                    # A fixed entry time: the same run gives the same bytes.
                    entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    rows = rows_by_part.get(info.filename)
                    if rows is not None:
                        entry.compress_type = zipfile.ZIP_DEFLATED
                        entry._compresslevel = 1  # type: ignore[attr-defined]
                        rows.write_into(data, dst, entry)
                        continue
                    if info.filename == "docProps/core.xml":
                        data = layout.modified_as_created(data)
                    elif info.filename == "docProps/app.xml":
                        data = layout.app_company(data, self.options.organisation)
                    dst.writestr(entry, data, zipfile.ZIP_DEFLATED, compresslevel=1)

    def close(self) -> None:
        """Remove the sheets' temporary files."""
        for _title, rows in self.sheet_rows:
            rows.close()

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
        ws, rows = self._summary
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
            (t.label("chains_total"), cells.number(self.n_chains, "count")),
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
        counts = self.counts
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

    def indicators_sheet(self) -> tuple[WriteOnlySheet, cells.SheetRows]:
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
        return ws, rows

    def indicator_row(self, r: ChainResult) -> list[object]:
        row: list[object] = [cells.text(r.chain_id), cells.text(r.chain_name), cells.text(r.segment)]
        for ind in self.tax.indicators:
            res = r.indicators.get(ind.id)
            if res is None or res.value is None:
                row += [None, None]
                continue
            style = "value_illustrative" if res.illustrative else "value"
            row += [cells.number(res.value, style), cells.number(res.risk)]
        return row

    def scores_sheet(self) -> tuple[WriteOnlySheet, cells.SheetRows]:
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
        return ws, rows

    def score_row(self, r: ChainResult) -> list[object]:
        row: list[object] = [
            cells.text(r.chain_id),
            cells.text(r.chain_name),
            cells.text(r.segment),
            cells.text(self.label(r.primary_type)),
            cells.text(self._sep.join(self.label(x) for x in r.types)),
        ]
        row += [cells.number(r.type_scores.get(x)) for x in RiskType]
        row += [cells.text(self.level(r.risk_levels.get(x))) for x in RiskType]
        row += [cells.number(r.gap), cells.number(r.exposure)]
        for d in self._dims:
            ds = r.dimension_scores.get(d)
            ok = ds is not None and ds.sufficient and ds.score is not None
            self._counted[d].append(ok)
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
        return row

    def strategies_sheet(self) -> tuple[WriteOnlySheet, cells.SheetRows]:
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
        return ws, rows

    def strategy_row(self, r: ChainResult) -> list[object]:
        mode = self.label(r.priority_mode) if r.priority_mode else r.priority_note
        lines = [self._measure_titles.get(m, m) for m in r.measures]
        decision = self.decision(r)
        if decision is not None:
            analyst = self.text.label("analyst_measure")
            lines += [f"{x} ({analyst})" for x in decision.added_measures]
        measures = "\n".join(f"{k}. {line}" for k, line in enumerate(lines, 1))
        return [
            cells.text(r.chain_id),
            cells.text(r.chain_name),
            cells.text(r.segment),
            cells.text(self.label(r.strategy)),
            cells.text(self.label(r.sub_strategy) if r.sub_strategy else None),
            cells.text(mode),
            cells.text(measures or None, "wrap"),
            cells.text(self._sep.join(self.label(i) for i in r.data_to_collect) or None, "wrap"),
        ]

    def assessments_sheet(self) -> tuple[WriteOnlySheet, cells.SheetRows]:
        ws, rows = self.sheet("assessments")
        layout.prepare_table(ws, rows, [12, 18, 10, 12] + [12] * (len(ASSESSMENT_COLUMNS) - 4))
        rows.append(cells.header(list(ASSESSMENT_COLUMNS)))
        return ws, rows

    def assessment_row(self, r: ChainResult) -> list[object]:
        """The Assessments row, in ASSESSMENT_COLUMNS order (stable ids, machine-readable)."""
        rb = r.robustness
        return [
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
            self.run.taxonomy.sha256,
            self.run.assessed_at,
            *self.decision_cells(r),
        ]


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
    export = WorkbookExport(run, options, taxonomy)
    try:
        for k, block in enumerate(blocks_of(chains)):
            checkpoint(cancel)
            report(progress, 0.9 * k * BLOCK / max(len(chains), 1), "rows")
            export.add(block)
        return _finish(export, path, progress, cancel)
    finally:
        export.close()


def write_xlsx_blocks(
    header: AssessmentRun,
    blocks: Iterable[list[ChainResult]],
    path: Path,
    options: ReportOptions,
    *,
    taxonomy: Taxonomy,
    cancel: CancelFn | None = None,
) -> Iterator[list[ChainResult]]:
    """The streaming workbook: every block of `blocks` is added to the workbook and passed on
    (so one pass over the results can feed other outputs too); the file is written when the
    blocks are exhausted. `header` is the run without its chains (its issues are listed);
    `options.chains` is ignored — the caller streams the chains it wants."""
    export = WorkbookExport(header, options, taxonomy)
    try:
        for block in blocks:
            checkpoint(cancel)
            export.add(block)
            yield block
        _finish(export, path, None, cancel)
    finally:
        export.close()


def _finish(
    export: WorkbookExport, path: Path, progress: ProgressFn | None, cancel: CancelFn | None
) -> Path:
    checkpoint(cancel)
    report(progress, 0.9, "xlsx")
    export.finish()
    path = Path(path)
    with atomic_path(path) as tmp:
        export.save(tmp, cancel)
    report(progress, 1.0, str(path))
    return path
