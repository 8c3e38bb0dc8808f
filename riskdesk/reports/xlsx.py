"""Excel workbook export: Summary, Indicators, Scores, Strategies & measures, Data issues,
Methodology and the machine-readable Assessments sheet (documented in docs/reports.md).

Written with openpyxl's write-only mode (a 10,000-chain workbook in seconds); every text cell goes
through `xlsx_cells.SheetRows`, which has no formula path at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from riskdesk.charts.style import LEVEL_COLOURS
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER, RiskType
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports import xlsx_cells as cells
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


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the package (via workbook.xml and its relationships)."""
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {
        rid: target
        for target, rid in re.findall(
            r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels
        )
    }
    out: dict[str, str] = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets[rid].lstrip("/")
        out[html.unescape(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _modified_as_created(core_xml: bytes) -> bytes:
    """openpyxl stamps "modified" with the clock on save; use the run's time like "created"."""
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>", core_xml)
    if created is None:
        return core_xml
    stamp = created.group(1)
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        lambda m: m.group(1) + stamp + m.group(2),
        core_xml,
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
        # The run's time, not the clock's: the same run gives the same workbook properties.
        with contextlib.suppress(ValueError):
            stamp = dt.datetime.fromisoformat(run.assessed_at).replace(tzinfo=None)
            self.wb.properties.created = self.wb.properties.modified = stamp
        self.wb.properties.creator = f"riskdesk {run.riskdesk_version}"
        self.styles = cells.CellStyles(self.wb)
        self._labels: dict[str, str] = {}
        self.sheet_rows: list[tuple[str, cells.SheetRows]] = []

    def sheet(self, key: str) -> tuple[WriteOnlySheet, cells.SheetRows]:
        ws = self.wb.create_sheet(self.text.sheets[key])
        rows = cells.SheetRows(self.styles)
        self.sheet_rows.append((ws.title, rows))
        return ws, rows

    def save(self, target: Path) -> None:
        """openpyxl writes the workbook around empty sheets; the rows are spliced in."""
        skeleton = io.BytesIO()
        self.wb.save(skeleton)
        with zipfile.ZipFile(skeleton) as src:
            parts = _sheet_parts(src)
            rows_by_part = {parts[title]: rows for title, rows in self.sheet_rows}
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
                for info in src.infolist():
                    data = src.read(info.filename)
                    rows = rows_by_part.get(info.filename)
                    if rows is not None:
                        data = rows.splice(data)
                    elif info.filename == "docProps/core.xml":
                        data = _modified_as_created(data)
                    # A fixed entry time: the same run gives the same bytes.
                    entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                    dst.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)

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
        """engine_type … review_status of the Assessments sheet (empty: nothing decided)."""
        d = self.decision(r)
        if d is None:
            return [r.primary_type.value, False, None, None, None, None, None]
        return [
            d.engine_type,
            d.overridden,
            cells.text(d.reason or None),
            cells.text(d.analyst),
            d.at,
            cells.text("\n".join(d.added_measures) or None),
            d.status,
        ]

    def name(self, r: ChainResult) -> str:
        return r.chain_name

    # --- sheets ----------------------------------------------------------------------------

    def summary(self) -> None:
        ws, rows = self.sheet("summary")
        _prepare_table(ws, [34, 22, 11, 11, 11, 11, 11], freeze=False)
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
            (t.label("chains_total"), str(len(self.chains))),
        ]
        marking = self.options.marking_text(t.label("default_marking"))
        if marking:
            meta.insert(0, ("", marking))
        for k, v in meta:
            rows.append([cells.text(k), cells.text(v)])
        rows.append([])
        header_row = len(meta) + 3
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
        ws, rows = self.sheet("indicators")
        t = self.text
        inds = self.tax.indicators
        _prepare_table(ws, [12, 18, 10] + [14] * (2 * len(inds)))
        risk_suffix = f" · {t.label('risk')}"
        head = [t.label("chain_id"), t.label("chain_name"), t.label("segment")]
        head += [f"{i.name(self.lang)} ({i.unit})" for i in inds]
        head += [i.name(self.lang) + risk_suffix for i in inds]
        rows.append(cells.header(head))
        n = len(inds)
        for r in self.rows:
            values: list[object] = [
                cells.text(r.chain_id),
                cells.text(r.chain_name),
                cells.text(r.segment),
            ]
            risks: list[object] = []
            for ind in inds:
                res = r.indicators.get(ind.id)
                values.append(None if res is None else cells.number(res.value, "value"))
                risks.append(None if res is None or res.value is None else cells.number(res.risk))
            rows.append(values + risks)
        first_risk = get_column_letter(4 + n)
        last_risk = get_column_letter(3 + 2 * n)
        ws.conditional_formatting.add(f"{first_risk}2:{last_risk}{len(self.rows) + 1}", RISK_SCALE)
        _filter(ws, 3 + 2 * n, len(self.rows))

    def scores(self) -> None:
        ws, rows = self.sheet("scores")
        t = self.text
        dims = [*self.tax.capability_dimensions, EXPOSURE]
        widths = [12, 18, 10, 16, 22] + [11] * 3 + [9] * 3 + [10] * (2 + len(dims)) + [10, 10, 48]
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
        head += [t.label("coverage"), t.label("robustness"), t.label("decision")]
        rows.append(cells.header(head))
        sep = "、" if self.lang == "zh" else ", "
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
                row.append(None if ds is None else cells.number(ds.score))
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
        first = get_column_letter(12)
        last = get_column_letter(13 + len(dims))
        ws.conditional_formatting.add(f"{first}2:{last}{n}", RISK_SCALE)
        _filter(ws, len(head), len(self.rows))

    def strategies(self) -> None:
        ws, rows = self.sheet("strategies")
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
                    cells.text(sep.join(self.label(i) for i in r.data_to_collect) or None),
                ]
            )
        _filter(ws, len(head), len(self.rows))

    def issues(self) -> None:
        ws, rows = self.sheet("issues")
        _prepare_table(ws, [10, 20, 60, 34, 30])
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
        _filter(ws, len(head), max(len(self.run.issues), 1))

    def methodology(self) -> None:
        ws, rows = self.sheet("methodology")
        _prepare_table(ws, [30, 34, 14, 60, 14], freeze=False)
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
        _prepare_table(ws, [12, 18, 10, 12] + [12] * (len(ASSESSMENT_COLUMNS) - 4))
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
        _filter(ws, len(ASSESSMENT_COLUMNS), len(self.rows))


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
