"""The scenario chapter of a PDF ("情景分析 / Scenario analysis") and a standalone scenario PDF.

`scenario_chapter(pdf, run, taxonomy, level=…)` returns flowables for any `ReportPdf`: the model in
words, the library, the chains × scenarios heat map, the ranked impact table, where inputs are
missing and TTS against TTR. Every figure and table is numbered and names its source (the library
file and the first 12 hex digits of its sha256). A value the model could not compute is printed
as "n/a" with the reason, never as 0. `write_scenario_pdf` writes a title block and the chapter,
atomically. Its words are in `scenario_words` (zh and en side by side).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from riskdesk import __version__
from riskdesk.charts import render_png
from riskdesk.charts.scenarios import (
    COMPACT_COLUMNS,
    NA,
    ScenarioCell,
    scenario_heatmap_figure,
    tts_ttr_figure,
)
from riskdesk.core.models import Lang
from riskdesk.core.progress import CancelFn, ProgressFn, report
from riskdesk.core.results import AssessmentRun, TaxonomyRef
from riskdesk.core.scenario_run import NOTES, ScenarioOutcome, ScenarioRun
from riskdesk.core.scenarios import Scenario
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf_base import (
    BODY_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE_H,
    CellText,
    ReportPdf,
    _escape,
)
from riskdesk.reports.pdf_parts import chart_image as _image
from riskdesk.reports.pdf_parts import table_style
from riskdesk.reports.pdf_text import ReportParagraph
from riskdesk.reports.scenario_words import TEXT, short_type, text

WORSENED = "▲"
# a table section starts on a new page unless its heading, caption and first rows fit here
TABLE_START = 45 * mm
MAX_FIGURE_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 40 * mm


def _days(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return NA
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _share(x: float | None) -> str:
    return NA if x is None else f"{x:.2%}"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _chain_names(run: ScenarioRun) -> dict[str, str]:
    """Chain id → its first non-blank name in the inventory (no per-chain results are built)."""
    frame = run.portfolio.inventory.frame
    if "chain_name" not in frame.columns:
        return {}
    names: dict[str, str] = {}
    for cid, name in zip(frame["chain_id"].astype(str), frame["chain_name"], strict=True):
        if isinstance(name, str) and name.strip():
            names.setdefault(cid, name.strip())
    return names


class _Chapter:
    """Builds the chapter; numbering of figures and tables is local to it."""

    def __init__(self, pdf: ReportPdf, run: ScenarioRun, taxonomy: Taxonomy, level: int,
                 limit: int, heat_rows: int, heat_cols: int) -> None:  # fmt: skip
        self.pdf, self.run, self.tax, self.level = pdf, run, taxonomy, level
        self.lang: Lang = pdf.lang
        self.limit, self.heat_rows, self.heat_cols = limit, heat_rows, heat_cols
        self.st = pdf.styles
        self.figures = 0
        self.tables = 0
        lib = run.library
        self.library_name = Path(lib.source).name if lib.source else "—"
        self.sha = lib.sha256[:12]
        self.scenarios = list(lib.scenarios)
        self.blocks = [run.chain_block(g) for g in range(len(run.chain_ids))]
        self.names = _chain_names(run)

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def source(self) -> ReportParagraph:
        src = self.run.portfolio.inventory.source
        name = (
            "—" if src is None else self.t("input", name=Path(src.path).name, sha=src.sha256[:12])
        )
        text = self.t("source", version=__version__, library=self.library_name, sha=self.sha,
                      input=name)  # fmt: skip
        return self.pdf.para(text, self.st.note)

    def caption(self, kind: str, text: str) -> ReportParagraph:
        if kind == "figure":
            self.figures += 1
            n = self.figures
        else:
            self.tables += 1
            n = self.tables
        sep = "  " if self.lang == "zh" else ". "
        return self.pdf.para(f"{self.t(kind, n=n)}{sep}{text}", self.st.small)

    def head(self, keys: list[str]) -> list[object]:
        return [CellText(self.t(k), self.st.cell_head) for k in keys]

    def cell(self, text: str) -> CellText:
        return CellText(text, self.st.cell)

    def chain_text(self, chain_id: str, o: ScenarioOutcome) -> str:
        name = self.names.get(chain_id)
        text = chain_id if not name or name == chain_id else f"{chain_id} {name}"
        return text if o.segment is None else f"{text} · {o.segment}"

    # --- the parts ------------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        pdf, lvl = self.pdf, self.level
        out: list[Flowable] = [pdf.heading(self.t("heading"), lvl, "scenarios")]
        out.append(pdf.para(self.t(
            "intro", library=self.library_name, sha=self.sha, scenarios=len(self.scenarios),
            chains=len(self.blocks),
        )))  # fmt: skip
        out.append(pdf.para(self.t("model")))
        out += self.library_table()
        out += self.heatmap()
        out += self.ranked()
        out += self.missing()
        out += self.tts_ttr()
        return out

    def shock_text(self, sc: Scenario) -> str:
        parts = [self.t("cut", partner=s.partner, cut=_pct(s.cut)) for s in sc.shocks]
        parts += [self.t("ramp", partner=r.partner, extra=_pct(r.extra), day=f"{r.from_day:g}")
                  for r in sc.substitutions]  # fmt: skip
        parts += [self.t("rating", partner=r.partner, rating=f"{r.rating:g}") for r in sc.ratings]
        if sc.surge is not None:
            parts.append(self.t("surge", x=_pct(sc.surge)))
        if sc.outage is not None:
            parts.append(self.t("outage", x=_pct(sc.outage)))
        chains = (self.t("chains_all") if sc.chains == ("*",)
                  else self.t("chains_some", chains=", ".join(sc.chains)))  # fmt: skip
        return self.t("shock_line", parts=self.t("sep").join(parts), chains=chains)

    def library_table(self) -> list[Flowable]:
        rows: list[list[object]] = [self.head(
            ["col_scenario", "col_name", "col_kind", "col_duration", "col_shock", "col_prob"]
        )]  # fmt: skip
        rows += [
            [CellText(sc.id, self.st.small), self.cell(sc.name or "—"), self.cell(self.t(f"kind.{sc.kind}")),
             self.cell(f"{sc.duration_days:g}"), CellText(self.shock_text(sc), self.st.small),
             self.cell("—" if sc.probability is None else f"{sc.probability:g}")]
            for sc in self.scenarios
        ]  # fmt: skip
        widths = [30 * mm, 40 * mm, 23 * mm, 12 * mm, BODY_W - 117 * mm, 12 * mm]
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(rows=len(rows)))
        return [
            self.pdf.heading(self.t("library"), self.level + 1, "scenarios-library"),
            self.caption("table", self.t("cap_library")),
            table,
            self.source(),
        ]

    def heatmap(self) -> list[Flowable]:
        lang, run = self.lang, self.run
        n_chains, n_sc = len(self.blocks), len(self.scenarios)
        cols = list(range(min(n_sc, self.heat_cols)))
        rows = list(range(n_chains))
        if n_chains > self.heat_rows:

            def worst(g: int) -> tuple[float, bool]:
                block = self.blocks[g]
                shares = [block[self.scenarios[s].id].unmet_share for s in cols]
                return (max((x for x in shares if x is not None), default=-1.0),
                        any(block[self.scenarios[s].id].worsened for s in cols))  # fmt: skip

            rows = sorted(rows, key=worst, reverse=True)[: self.heat_rows]
            rows.sort()
        cells = [[self.scenario_cell(self.blocks[g][self.scenarios[s].id]) for s in cols]
                 for g in rows]  # fmt: skip
        used = sorted(
            {c.type_code: c.type_label for row in cells for c in row if c.type_code}.items()
        )
        fig = scenario_heatmap_figure(
            [run.chain_ids[g] for g in rows], [self.scenarios[s].id for s in cols], cells, lang
        )
        image = _image(render_png(fig, dpi=170), BODY_W)
        if image.drawHeight > MAX_FIGURE_H:  # with its heading and caption, it fits one page
            image.drawWidth *= MAX_FIGURE_H / image.drawHeight
            image.drawHeight = MAX_FIGURE_H
        heading = self.pdf.heading(self.t("heatmap"), self.level + 1, "scenarios-heatmap")
        caption = self.caption("figure", self.t("cap_heatmap"))
        out: list[Flowable] = [KeepTogether([heading, image, caption, self.source()])]
        if len(cols) > COMPACT_COLUMNS and used:
            codes = self.t("sep").join(f"{code} = {label}" for code, label in used)
            out.append(self.pdf.para(self.t("codes", codes=codes), self.st.note))
        if len(rows) < n_chains or len(cols) < n_sc:
            out.append(self.pdf.para(self.t("heat_cut", rows=len(rows), chains=n_chains,
                                             cols=len(cols), scenarios=n_sc), self.st.note))  # fmt: skip
        counts: dict[str, int] = defaultdict(int)
        for block in self.blocks:
            for o in block.values():
                if o.applies and o.unmet_share is None:
                    for code in o.missing or ["unknown"]:
                        counts[code] += 1
        if counts:
            sep = "；" if lang == "zh" else "; "
            words = sep.join(
                self.t("na_count", count=n, reason=NOTES[c][0 if lang == "zh" else 1]
                       if c in NOTES else c)
                for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            )  # fmt: skip
            out.append(self.pdf.para(self.t("na_reasons", reasons=words)))
        else:
            out.append(self.pdf.para(self.t("no_na")))
        return out

    def scenario_cell(self, o: ScenarioOutcome) -> ScenarioCell:
        return ScenarioCell(
            applies=o.applies, unmet_share=o.unmet_share,
            type_label=short_type(o.primary_type.value, self.tax, self.lang),
            type_code=text(f"code.{o.primary_type.value}", self.lang)
            if f"code.{o.primary_type.value}" in TEXT
            else "",
            worsened=o.worsened, tts_days=o.tts_days, ttr_days=o.ttr_days,
        )  # fmt: skip

    def pairs(self) -> list[tuple[int, int, ScenarioOutcome]]:
        return [(g, s, block[sc.id]) for g, block in enumerate(self.blocks)
                for s, sc in enumerate(self.scenarios) if block[sc.id].applies]  # fmt: skip

    def drivers_text(self, o: ScenarioOutcome) -> str:
        parts = []
        for d in o.drivers[:3]:
            old = NA if d.baseline is None else f"{d.baseline:.3g}"
            new = "∞" if d.shocked is None else f"{d.shocked:.3g}"
            parts.append(f"{self.tax.label(d.indicator, self.lang)} {old}→{new}"
                         + (" *" if d.moved else ""))  # fmt: skip
        if "exposure_falls_supply_short" in o.note_codes:
            parts.append(self.t("exposure_note"))
        return self.t("sep").join(parts) or "—"

    def ranked(self) -> list[Flowable]:
        lang, tax = self.lang, self.tax
        computed = [p for p in self.pairs() if p[2].unmet_share is not None]
        computed.sort(key=lambda p: (
            -(p[2].unmet_share or 0.0), -(p[2].unmet_days or 0.0),
            p[2].tts_days if p[2].tts_days is not None else math.inf, not p[2].worsened,
            self.run.chain_ids[p[0]], self.scenarios[p[1]].id,
        ))  # fmt: skip
        shown = computed[: self.limit]
        out: list[Flowable] = [
            CondPageBreak(TABLE_START),
            self.pdf.heading(self.t("ranked"), self.level + 1, "scenarios-ranked"),
        ]
        if not shown:
            return [*out, self.pdf.para(self.t("none_ranked"))]
        rows: list[list[object]] = [self.head(
            ["col_rank", "col_chain", "col_scenario", "col_tts", "col_ttr", "col_unmet",
             "col_share", "col_type", "col_strategy", "col_drivers"]
        )]  # fmt: skip
        for n, (g, s, o) in enumerate(shown, start=1):
            before = short_type(self.run.baseline_outcome(g).value, tax, lang)
            after = short_type(o.primary_type.value, tax, lang)
            tts = _days(o.tts_days) if o.tts_days is not None else self.t("lasts")
            rows.append([
                self.cell(str(n)), CellText(self.chain_text(self.run.chain_ids[g], o), self.st.small),
                CellText(self.scenarios[s].id, self.st.small), self.cell(tts),
                self.cell(_days(o.ttr_days)),
                self.cell(_days(o.unmet_days)), self.cell(_share(o.unmet_share)),
                CellText(
                        f"{before} → {after}" + (f" {WORSENED}" if o.worsened else ""), self.st.small
                    ),
                CellText(tax.label(o.strategy, lang), self.st.small),
                CellText(self.drivers_text(o), self.st.small),
            ])  # fmt: skip
        widths = [6 * mm, 22 * mm, 20 * mm, 11 * mm, 10 * mm, 11 * mm, 13 * mm, 25 * mm, 23 * mm]
        widths.append(BODY_W - sum(widths))
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(rows=len(rows)))
        table.setStyle(TableStyle([("ALIGN", (3, 1), (6, -1), "RIGHT")]))
        out += [self.caption("table", self.t("cap_ranked", shown=len(shown),
                                             total=len(computed))), table, self.source()]  # fmt: skip
        if len(computed) > len(shown):
            out.append(self.pdf.para(self.t("more_rows", count=len(computed) - len(shown)),
                                     self.st.note))  # fmt: skip
        return out

    def missing(self) -> list[Flowable]:
        lang = self.lang
        groups: dict[tuple[int, str], list[tuple[str, ScenarioOutcome]]] = defaultdict(list)
        for g, s, o in self.pairs():
            if o.unmet_share is None:
                code = o.missing[0] if o.missing else "unknown"
                groups[(g, code)].append((self.scenarios[s].id, o))
        out: list[Flowable] = [
            CondPageBreak(TABLE_START),
            self.pdf.heading(self.t("missing_h"), self.level + 1, "scenarios-missing"),
        ]
        if not groups:
            return [*out, self.pdf.para(self.t("none_missing"))]
        rows: list[list[object]] = [
            self.head(["col_chain", "col_scenarios", "col_values", "col_why"])
        ]
        items = sorted(groups.items())
        limit = max(self.limit, 40)
        for (g, code), members in items[:limit]:
            why = NOTES[code][0 if lang == "zh" else 1] if code in NOTES else code
            known = [(sid, o.shortfall_days) for sid, o in members if o.shortfall_days]
            if known:
                sep = "；" if lang == "zh" else "; "
                why += sep + ", ".join(
                    f"{sid}: {self.t('shortfall', days=_days(d))}" for sid, d in known
                )
            rows.append([
                self.cell(self.chain_text(self.run.chain_ids[g], members[0][1])),
                CellText(", ".join(sid for sid, _ in members), self.st.small),
                self.cell(f"{NA} / {NA}"), CellText(why, self.st.small),
            ])  # fmt: skip
        widths = [30 * mm, 48 * mm, 20 * mm, BODY_W - 98 * mm]
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(rows=len(rows)))
        out += [self.caption("table", self.t("cap_missing")), table, self.source()]
        if len(items) > limit:
            out.append(self.pdf.para(self.t("more_rows", count=len(items) - limit), self.st.note))
        return out

    def tts_ttr(self) -> list[Flowable]:
        points, lasts, unknown = [], 0, 0
        for g, s, o in self.pairs():
            if o.tts_days is not None:
                label = f"{self.run.chain_ids[g]} / {self.scenarios[s].id}"
                points.append((label, self.scenario_cell(o)))
            elif o.unmet_days is not None:
                lasts += 1
            else:
                unknown += 1
        fig = tts_ttr_figure(points, self.lang)
        image = _image(render_png(fig, dpi=170), BODY_W * 0.92)
        heading = self.pdf.heading(self.t("tts_ttr"), self.level + 1, "scenarios-tts")
        return [
            KeepTogether(
                [heading, image, self.caption("figure", self.t("cap_tts")), self.source()]
            ),
            self.pdf.para(self.t("tts_rest", lasts=lasts, unknown=unknown), self.st.note),
        ]


def scenario_chapter(
    pdf: ReportPdf,
    run: ScenarioRun,
    taxonomy: Taxonomy,
    *,
    level: int,
    limit: int = 25,
    heat_rows: int = 30,
    heat_cols: int = 14,
) -> list[Flowable]:
    """The "情景分析 / Scenario analysis" chapter for any report, its heading at `level`; at most
    `limit` ranked rows and a heat map of at most `heat_rows` × `heat_cols` cells."""
    return _Chapter(pdf, run, taxonomy, level, limit, heat_rows, heat_cols).build()


class ScenarioPdf(ReportPdf):
    """A PDF of its own: a title block, then the chapter."""

    def __init__(self, scenario_run: ScenarioRun, options: ReportOptions, taxonomy: Taxonomy, *,
                 country: str = "CHN", progress: ProgressFn | None = None,
                 cancel: CancelFn | None = None) -> None:  # fmt: skip
        # The base class reads only the run's identity (version, time, taxonomy) for the page
        # decoration and metadata: no per-chain results are built for it.
        p = scenario_run.portfolio
        header = AssessmentRun(
            riskdesk_version=__version__,
            taxonomy=TaxonomyRef(name=p.taxonomy.name, sha256=p.taxonomy.sha256),
            input=p.inventory.source,
            assessed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            country=country,
            chains=[],
        )
        super().__init__(header, options, taxonomy, progress=progress, cancel=cancel)
        self.scenario_run = scenario_run

    def title(self) -> str:
        return self.options.title or text("title", self.lang)

    def story(self) -> list[Flowable]:
        lang, st, o = self.lang, self.styles, self.options
        lib = self.scenario_run.library
        out: list[Flowable] = [Spacer(1, 6 * mm), ReportParagraph(_escape(self.title()), st.cover_title)]
        out.append(ReportParagraph(_escape(text(
            "subtitle", lang, scenarios=len(lib.scenarios),
            chains=len(self.scenario_run.chain_ids),
        )), st.cover_sub))  # fmt: skip
        t = self.text
        info = [(t.label("organisation"), o.organisation), (t.label("author"), o.author),
                (t.label("date"), self.report_date())]  # fmt: skip
        data = [[self.para(a), self.para(b or t.label("not_applicable"))] for a, b in info]
        table = self.table(data, colWidths=[35 * mm, 80 * mm])
        table.setStyle(table_style(header_rows=0, zebra=False))
        table.hAlign = "CENTER"
        out += [table, Spacer(1, 3 * mm)]
        out.append(self.para(text(
            "generated", lang, version=self.run.riskdesk_version, at=self.run.assessed_at,
            taxonomy=self.run.taxonomy.sha256[:12], library=lib.sha256[:12],
        ), st.note))  # fmt: skip
        out.append(Spacer(1, 4 * mm))
        out += scenario_chapter(self, self.scenario_run, self.taxonomy, level=0)
        return out


def write_scenario_pdf(
    path: Path,
    run: ScenarioRun,
    taxonomy: Taxonomy,
    options: ReportOptions,
    *,
    country: str = "CHN",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """A scenario PDF; the file appears only when complete (cancel leaves any old file)."""
    report(progress, 0.0, "PDF")
    pdf = ScenarioPdf(run, options, taxonomy, country=country, progress=progress, cancel=cancel)
    path = Path(path)
    with atomic_path(path) as tmp:
        pdf.build(tmp)
    report(progress, 1.0, str(path))
    return path


__all__ = ["ScenarioPdf", "scenario_chapter", "short_type", "write_scenario_pdf"]
