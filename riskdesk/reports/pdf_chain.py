"""One chain's section of a PDF: summary box, profile, classification with charts and words,
indicator table, segments, trends, strategy and measures, data to collect, notes and sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from riskdesk.charts import (
    LEVEL_COLOURS,
    OUTCOME_COLOURS,
    exposure_figure,
    radar_figure,
    render_png,
    trend_figure,
)
from riskdesk.core.inventory import Inventory, SeriesPoint
from riskdesk.core.models import Lang
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.chain_words import ChainWords
from riskdesk.reports.drawings import ScoreBars
from riskdesk.reports.narrative import source_line, supplier_breakdown, supplier_cells
from riskdesk.reports.narrative_words import say
from riskdesk.reports.pdf_base import BODY_W, CellText, ReportPdf
from riskdesk.reports.pdf_measures import ChainStrategy
from riskdesk.reports.pdf_parts import (
    ILLUSTRATIVE_MARK,
    chart_image,
    format_score,
    format_value,
    level_of,
    table_style,
    tint,
)

TREND_INDICATORS = ("tc_index", "rca_index")


class ChainSection(ChainStrategy):
    """Builds the flowables for one chain result (and its segments) inside a report."""

    def __init__(self, pdf: ReportPdf, inventory: Inventory | None) -> None:
        self.pdf = pdf
        self.text = pdf.text
        self.tax: Taxonomy = pdf.taxonomy
        self.lang: Lang = pdf.lang
        self.st = pdf.styles
        self.inventory = inventory
        self.measure_by_id = {m.id: m for m in self.tax.measures}
        self.used_measures: list[str] = []
        self.words = ChainWords(pdf.text, pdf.taxonomy, pdf.options, inventory)

    # --- small helpers -------------------------------------------------------------------------

    def p(self, text: str, style: ParagraphStyle | None = None) -> CellText:
        return CellText(text, style or self.st.cell)

    def head(self, labels: Sequence[str]) -> list[CellText]:
        return [CellText(x, self.st.cell_head) for x in labels]

    def outcome_label(self, r: ChainResult) -> str:
        return self.tax.label(r.primary_type, self.lang)

    def strategy_line(self, r: ChainResult) -> str:
        return self.words.strategy_line(r)

    def robustness_text(self, r: ChainResult) -> str:
        return self.words.robustness_text(r)

    def drivers_text(self, r: ChainResult, limit: int = 3) -> str:
        return self.words.drivers_text(r, limit)

    # --- the section -------------------------------------------------------------------------

    def build(self, r: ChainResult, *, level: int, rich: bool, number: int) -> list[Flowable]:
        key = f"chain-{number}"
        title = r.chain_name if r.segment is None else f"{r.chain_name} · {r.segment}"
        title_full = f"{title}（{r.chain_id}）" if self.lang == "zh" else f"{title} ({r.chain_id})"
        out: list[Flowable] = [self.pdf.heading(title_full, level, key)]
        out.append(self.summary_box(r))
        out += self.profile(r, level + 1, key)
        out += self.classification(r, level + 1, key, rich)
        out += self.indicator_table(r, level + 1, key)
        out += self.segments(r, level + 1, key)
        out += self.suppliers(r, level + 1, key)
        out += self.trends(r, level + 1, key)
        out += self.strategy(r, level + 1, key, full_measures=rich)
        out += self.notes_and_signoff(r, level + 1, key)
        return out

    def summary_box(self, r: ChainResult) -> Flowable:
        t = self.text
        level = r.primary_level
        rows = self.words.summary_rows(r)
        data = [[self.p(a), self.p(b)] for a, b in rows]
        accent = OUTCOME_COLOURS.get(r.primary_type.value, "#7f8c8d")
        table = self.pdf.table(data, colWidths=[32 * mm, BODY_W - 32 * mm])
        style = TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), tint(accent, 0.10)),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(accent)),
                ("LINEBEFORE", (0, 0), (0, -1), 5, colors.HexColor(accent)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
        if level is not None:
            at = [a for a, _ in rows].index(t.label("level"))
            style.add("BACKGROUND", (1, at), (1, at), tint(LEVEL_COLOURS[level], 0.45))
        table.setStyle(style)
        return table

    def profile(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        t = self.text
        shown = self.words.profile_rows(r)
        data = [[self.p(a), self.p(b)] for a, b in shown]
        table = self.pdf.table(data, colWidths=[38 * mm, BODY_W - 38 * mm])
        table.setStyle(table_style(header_rows=0, rows=len(data)))
        return [self.pdf.heading(t.h("profile"), level, f"{key}-profile"), table]

    def classification(self, r: ChainResult, level: int, key: str, rich: bool) -> list[Flowable]:
        t = self.text
        out: list[Flowable] = []
        bars = ScoreBars(r, self.tax, t, self.pdf.font.pdf_name, BODY_W)
        heading = self.pdf.heading(t.h("classification"), level, f"{key}-class")
        out.append(self.pdf.figure(bars, say("fig_scores", self.lang, name=self.name(r)),
                                   lead=[heading]))
        if rich:
            # Fixed margins instead of constrained layout: the page size is known, and the
            # layout pass would cost about a third of a dossier's build time.
            radar_fig = radar_figure(r, self.tax, self.lang)
            radar_fig.set_layout_engine("none")
            radar_fig.axes[0].set_position((0.2, 0.16, 0.6, 0.64))
            expo_fig = exposure_figure(r, self.tax, self.lang)
            expo_fig.set_layout_engine("none")
            if expo_fig.axes:  # an empty chart ("no data") has no axes to place
                expo_fig.axes[0].set_position((0.5, 0.2, 0.47, 0.6))
            radar = chart_image(render_png(radar_fig, dpi=160), 62 * mm)
            expo = chart_image(render_png(expo_fig, dpi=160), BODY_W - 66 * mm)
            pair = self.pdf.table([[radar, expo]], colWidths=[66 * mm, BODY_W - 66 * mm])
            pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            out.append(self.pdf.figure(pair, say("fig_radar", self.lang, name=self.name(r))))
        out.append(self.pdf.heading(t.h("explanation"), level + 1, f"{key}-why"))
        out.append(self.pdf.para(r.explanation.text(self.lang)))
        if r.tie:
            out.append(self.pdf.para(t.say("tie")))
        if r.normal_dependence or r.primary_type == "normal_dependence":
            out.append(self.pdf.para(t.say("normal_dependence")))
        elif r.primary_type == "monitor":
            out.append(self.pdf.para(t.say("monitor")))
        elif r.primary_type == "insufficient_evidence":
            out.append(self.pdf.para(t.say("insufficient")))
        return out

    def indicator_table(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        t = self.text
        head = self.head(
            [t.label(k) for k in ("indicator", "value", "unit", "risk", "source", "year")]
        )
        rows: list[list[Any]] = [head]
        styles: list[tuple[object, ...]] = []
        any_illustrative = False
        for ind in self.tax.indicators:
            res = r.indicators.get(ind.id)
            if res is None:
                continue
            value = format_value(res.value, ind, t)
            if res.illustrative:
                value += " " + ILLUSTRATIVE_MARK
                any_illustrative = True
            source = res.source if res.value is not None else t.label("not_applicable")
            rows.append(
                [
                    self.p(ind.name(self.lang)),
                    self.p(value),
                    self.p(res.unit or ind.unit),
                    self.p(
                        format_score(res.risk, t)
                        if res.value is not None
                        else t.label("not_applicable")
                    ),
                    self.p(source, self.st.small),
                    self.p(str(res.year) if res.year is not None else t.label("not_applicable")),
                ]
            )
            row = len(rows) - 1
            if res.value is None:
                styles.append(("TEXTCOLOR", (0, row), (-1, row), colors.HexColor("#7f8c8d")))
            elif res.risk is not None:
                styles.append(
                    (
                        "BACKGROUND",
                        (3, row),
                        (3, row),
                        tint(LEVEL_COLOURS[level_of(res, self.tax)], 0.5),
                    )
                )
        widths = [44 * mm, 20 * mm, 17 * mm, 14 * mm, BODY_W - 110 * mm, 15 * mm]
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        style = table_style(rows=len(rows))
        for cmd in styles:
            style.add(*cmd)
        table.setStyle(style)
        out: list[Flowable] = self.pdf.long_table(
            [
                self.pdf.heading(t.h("indicators"), level, f"{key}-ind"),
                self.pdf.table_caption(say("tab_indicators", self.lang, name=self.name(r))),
            ],
            table,
            self.pdf.source(),
        )
        out += [
            Spacer(1, 2 * mm),
            self.pdf.para(t.say("missing_note"), self.st.note),
        ]
        if any_illustrative:
            out.append(
                self.pdf.para(
                    f"{ILLUSTRATIVE_MARK} {t.label('illustrative')}: " + t.say("illustrative_note"),
                    self.st.note,
                )
            )
        if r.data_to_collect:
            sep = "、" if self.lang == "zh" else ", "
            out.append(self.pdf.heading(t.h("data_to_collect"), level + 1, f"{key}-collect"))
            out.append(
                self.pdf.para(sep.join(self.tax.label(i, self.lang) for i in r.data_to_collect))
            )
        return out

    def segments(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        if not r.segments:
            return []
        t = self.text
        rows: list[list[Any]] = [
            self.head(
                [
                    t.label("segment"),
                    *(self.tax.label(x, self.lang) for x in ("missing", "destroyed", "response")),
                    t.label("primary_type"),
                    t.label("level"),
                ]
            )
        ]
        weakest_row = None
        for s in r.segments:
            rows.append(
                [
                    self.p(s.segment or t.label("not_applicable")),
                    *(
                        self.p(format_score(s.type_scores.get(x), t))  # type: ignore[call-overload]
                        for x in ("missing", "destroyed", "response")
                    ),
                    self.p(self.outcome_label(s)),
                    self.p(t.level(s.primary_level)),
                ]
            )
            if s.segment is not None and s.segment == r.weakest_segment:
                weakest_row = len(rows) - 1
        widths = [BODY_W * w for w in (0.22, 0.13, 0.13, 0.13, 0.24, 0.15)]
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        style = table_style(rows=len(rows))
        if weakest_row is not None:
            style.add("BOX", (0, weakest_row), (-1, weakest_row), 1.2, colors.HexColor("#b8312f"))
        table.setStyle(style)
        out: list[Flowable] = [
            self.pdf.heading(t.h("segments"), level, f"{key}-seg"),
            self.pdf.table_caption(say("tab_segments", self.lang, name=self.name(r))),
            table,
            self.pdf.source(),
        ]
        if r.weakest_segment is not None and r.primary_type in ("missing", "destroyed", "response"):
            seg = next((s for s in r.segments if s.segment == r.weakest_segment), None)
            score = seg.type_scores.get(r.primary_type) if seg else None  # type: ignore[call-overload]
            out.append(Spacer(1, 2 * mm))
            out.append(
                self.pdf.para(
                    t.say(
                        "weakest_segment",
                        segment=r.weakest_segment,
                        type=self.outcome_label(r),
                        score=format_score(score, t),
                    )
                )
            )
        return out

    def name(self, r: ChainResult) -> str:
        return r.chain_name if r.segment is None else f"{r.chain_name} · {r.segment}"

    def suppliers(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        """Supplier countries with their import shares and country-risk ratings; when no trade
        data by partner were given the section says the breakdown is missing."""
        out: list[Flowable] = [self.pdf.heading(say("suppliers_heading", self.lang), level,
                                                f"{key}-suppliers")]
        rows = supplier_breakdown(r, self.tax)
        if not rows:
            out.append(self.pdf.para(say("suppliers_missing", self.lang), self.st.note))
            return out
        data: list[list[Any]] = [
            self.head([say(k, self.lang) for k in ("col_country", "col_share", "col_rating")])
        ]
        data += [[self.p(c) for c in cells] for cells in supplier_cells(rows, self.tax, self.lang)]
        table = self.pdf.table(data, colWidths=[40 * mm, 30 * mm, BODY_W - 70 * mm],
                               repeatRows=1)
        style = table_style(rows=len(data))
        style.add("ALIGN", (1, 1), (1, -1), "RIGHT")
        table.setStyle(style)
        out += [
            self.pdf.table_caption(say("tab_suppliers", self.lang, name=self.name(r))),
            table,
            self.pdf.source(source_line(self.pdf.run, self.lang, trade=True)),
        ]
        return out

    def trend_series(self, r: ChainResult) -> dict[str, list[SeriesPoint]]:
        if self.inventory is None:
            return {}
        series = self.inventory.series
        return {
            ind: series[(r.chain_id, r.segment, ind)]
            for ind in TREND_INDICATORS
            if series.get((r.chain_id, r.segment, ind))
        }

    def trends(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        series = self.trend_series(r)
        if not series:
            return []
        fig = trend_figure(series, self.tax, self.lang)
        return [
            self.pdf.figure(
                chart_image(render_png(fig, dpi=160), BODY_W * 0.9),
                say("fig_trends", self.lang, name=self.name(r)),
                source_line(self.pdf.run, self.lang, trade=True),
                lead=[self.pdf.heading(self.text.h("trends"), level, f"{key}-trend")],
            ),
        ]
