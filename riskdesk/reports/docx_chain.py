"""One chain's section of the Word report: the PDF's section (pdf_chain.py) with the same words
(chain_words.py), laid out as editable Word: summary box, profile, type and dimension scores
with the charts as pictures, explanation, indicator table, segments, trends, strategy and
measures, data to collect, notes and sign-off."""

from __future__ import annotations

from riskdesk.charts import (
    LEVEL_COLOURS,
    OUTCOME_COLOURS,
    exposure_figure,
    radar_figure,
    render_png,
    trend_figure,
)
from riskdesk.core.inventory import Inventory, SeriesPoint
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.chain_words import TREND_INDICATORS, ChainWords, chain_title
from riskdesk.reports.docx_base import BODY_W_MM, Cell, DocxBuilder, TableSpec
from riskdesk.reports.narrative import source_line, supplier_breakdown, supplier_cells
from riskdesk.reports.narrative_words import say

CHART_DPI = 200
MUTED = "7F8C8D"


def tint(hex_colour: str, alpha: float) -> str:
    """`hex_colour` mixed with white (a light fill that keeps black text readable)."""
    c = hex_colour.lstrip("#")
    rgb = [int(c[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - alpha * (255 - v)):02X}" for v in rgb)


class ChainDocx:
    """Writes chain sections into a `DocxBuilder`."""

    def __init__(self, out: DocxBuilder, words: ChainWords, taxonomy: Taxonomy,
                 inventory: Inventory | None, run: AssessmentRun) -> None:  # fmt: skip
        self.out = out
        self.run = run
        self.words = words
        self.text = words.text
        self.tax = taxonomy
        self.lang = words.lang
        self.inventory = inventory
        self.used_measures: list[str] = []

    def build(self, r: ChainResult, *, level: int, rich: bool) -> None:
        """`level`: the chain heading's level (1 in a dossier, 2 in a portfolio)."""
        self.out.heading(chain_title(r, self.lang), level)
        self.summary_box(r)
        sub = level + 1
        self.profile(r, sub)
        self.classification(r, sub, rich)
        self.indicators(r, sub)
        self.segments(r, sub)
        self.suppliers(r, sub)
        self.trends(r, sub)
        self.strategy(r, sub, full_measures=rich)
        self.notes_and_signoff(r, sub)

    def name(self, r: ChainResult) -> str:
        return r.chain_name if r.segment is None else f"{r.chain_name} · {r.segment}"

    def source(self, *, trade: bool = False) -> str:
        return source_line(self.run, self.lang, trade=trade)

    def summary_box(self, r: ChainResult) -> None:
        t = self.text
        accent = OUTCOME_COLOURS.get(r.primary_type.value, "#7f8c8d")
        rows = self.words.summary_rows(r)
        level_label = t.label("level")
        cells = []
        for label, value in rows:
            fill = None
            if label == level_label and r.primary_level is not None:
                fill = tint(LEVEL_COLOURS[r.primary_level], 0.45)
            cells.append([Cell(label, fill=tint(accent, 0.25)), Cell(value, fill=fill)])
        self.out.table(TableSpec(widths_mm=[32, BODY_W_MM - 32], rows=cells, zebra=False))

    def profile(self, r: ChainResult, level: int) -> None:
        self.out.heading(self.text.h("profile"), level)
        self.out.pairs(self.words.profile_rows(r), 38)

    def classification(self, r: ChainResult, level: int, rich: bool) -> None:
        t = self.text
        self.out.heading(t.h("classification"), level)
        rows = []
        for row in self.words.score_rows(r):
            label = row.label if row.is_type else f"· {row.label}"
            colour = None if row.sufficient or row.is_type else MUTED
            fill = None
            if row.level is not None:
                fill = tint(LEVEL_COLOURS[row.level], 0.45)
            rows.append([Cell(label, colour=colour), Cell(row.note, colour=colour, fill=fill)])
        # The PDF's score bars, as an editable table with the same numbers and notes.
        self.out.table_caption(say("fig_scores", self.lang, name=self.name(r)))
        self.out.table(TableSpec(widths_mm=[70, BODY_W_MM - 70], rows=rows, zebra=False))
        self.out.note(self.source())
        if rich:
            # Side by side as in the PDF, with the same fixed margins.
            radar_fig = radar_figure(r, self.tax, self.lang)
            radar_fig.set_layout_engine("none")
            radar_fig.axes[0].set_position((0.2, 0.16, 0.6, 0.64))
            expo_fig = exposure_figure(r, self.tax, self.lang)
            expo_fig.set_layout_engine("none")
            if expo_fig.axes:  # an empty chart ("no data") has no axes to place
                expo_fig.axes[0].set_position((0.5, 0.2, 0.47, 0.6))
            self.out.pictures_side_by_side([(render_png(radar_fig, dpi=CHART_DPI), 60),
                                            (render_png(expo_fig, dpi=CHART_DPI), 102)])
            self.out.figure_caption(say("fig_radar", self.lang, name=self.name(r)), self.source())
        self.out.heading(t.h("explanation"), level + 1)
        for sentence in self.words.explanation(r):
            self.out.para(sentence)

    def indicators(self, r: ChainResult, level: int) -> None:
        t = self.text
        lines = self.words.indicator_rows(r)
        rows = []
        for row in lines:
            colour = MUTED if row.missing else None
            risk_fill = None if row.level is None else tint(LEVEL_COLOURS[row.level], 0.5)
            rows.append(
                [
                    Cell(row.name, colour=colour),
                    Cell(row.value, colour=colour),
                    Cell(row.unit, colour=colour),
                    Cell(row.risk, colour=colour, fill=risk_fill),
                    Cell(row.source, colour=colour),
                    Cell(row.year, colour=colour),
                ]
            )
        self.out.heading(t.h("indicators"), level)
        self.out.table_caption(say("tab_indicators", self.lang, name=self.name(r)))
        widths = [44, 20, 17, 14, BODY_W_MM - 110, 15]
        self.out.table(TableSpec(widths_mm=widths, head=self.words.indicator_head(), rows=rows))
        self.out.note(self.source())
        self.out.note(t.say("missing_note"))
        if any(row.illustrative for row in lines):
            self.out.note(self.words.illustrative_note())
        if r.data_to_collect:
            self.out.heading(t.h("data_to_collect"), level + 1)
            self.out.para(self.words.data_to_collect(r))

    def segments(self, r: ChainResult, level: int) -> None:
        if not r.segments:
            return
        self.out.heading(self.text.h("segments"), level)
        self.out.table_caption(say("tab_segments", self.lang, name=self.name(r)))
        rows = [[Cell(x) for x in row] for row in self.words.segment_rows(r)]
        widths = [BODY_W_MM * w for w in (0.22, 0.13, 0.13, 0.13, 0.24, 0.15)]
        self.out.table(TableSpec(widths_mm=widths, head=self.words.segment_head(), rows=rows))
        self.out.note(self.source())
        sentence = self.words.weakest_segment(r)
        if sentence is not None:
            self.out.para(sentence)

    def suppliers(self, r: ChainResult, level: int) -> None:
        """Supplier countries with their import shares and country-risk ratings; without trade
        data by partner the section says the breakdown is missing."""
        self.out.heading(say("suppliers_heading", self.lang), level)
        rows = supplier_breakdown(r, self.tax)
        if not rows:
            self.out.note(say("suppliers_missing", self.lang))
            return
        self.out.table_caption(say("tab_suppliers", self.lang, name=self.name(r)))
        head = [say(k, self.lang) for k in ("col_country", "col_share", "col_rating")]
        cells = [[Cell(c) for c in row] for row in supplier_cells(rows, self.tax, self.lang)]
        self.out.table(TableSpec(widths_mm=[40, 30, BODY_W_MM - 70], head=head, rows=cells))
        self.out.note(self.source(trade=True))

    def trend_series(self, r: ChainResult) -> dict[str, list[SeriesPoint]]:
        if self.inventory is None:
            return {}
        series = self.inventory.series
        return {
            ind: series[(r.chain_id, r.segment, ind)]
            for ind in TREND_INDICATORS
            if series.get((r.chain_id, r.segment, ind))
        }

    def trends(self, r: ChainResult, level: int) -> None:
        series = self.trend_series(r)
        if not series:
            return
        self.out.heading(self.text.h("trends"), level)
        fig = trend_figure(series, self.tax, self.lang)
        self.out.picture(render_png(fig, dpi=CHART_DPI), BODY_W_MM * 0.9)
        self.out.figure_caption(say("fig_trends", self.lang, name=self.name(r)),
                                self.source(trade=True))  # fmt: skip

    def strategy(self, r: ChainResult, level: int, *, full_measures: bool) -> None:
        t = self.text
        self.out.heading(t.h("strategy"), level)
        self.out.pairs(self.words.strategy_rows(r), 28)
        self.out.para(t.strategies[r.strategy])
        self.out.heading(t.h("measures"), level + 1)
        for mid in r.measures:
            if mid not in self.used_measures:
                self.used_measures.append(mid)
        lines = self.words.measures(r)
        if not lines:
            self.out.para(t.say("no_measures"))
            return
        if r.measures and not full_measures:
            # Large selections: titles here, each measure's text once in the catalogue.
            for n, mid in enumerate(r.measures, start=1):
                self.out.para(f"{n}. {self.words.measure_title(mid)}")
            for extra in self.words.added_measures(r):
                self.out.para(f"{extra.number}. {extra.body}")
            self.out.note(t.say("measures_in_catalogue"))
            return
        for line in lines:
            if line.title is None:
                self.out.para(f"{line.number}. {line.body}")
            else:
                self.out.titled(f"{line.number}. {line.title}", line.body)

    def measure_catalogue(self, level: int) -> None:
        """Every measure recommended in the report, with its full text, once."""
        self.out.heading(self.text.h("measure_catalogue"), level)
        for mid in self.used_measures:
            m = self.words.measure_by_id.get(mid)
            if m is None:
                continue
            self.out.titled(m.title(self.lang), m.text(self.lang) + self.words.measure_source(m.source))

    def notes_and_signoff(self, r: ChainResult, level: int) -> None:
        t = self.text
        self.out.heading(t.h("notes"), level)
        note = self.words.note(r)
        if note:
            self.out.para(note)
        else:
            self.out.note(t.say("notes_blank"))
        self.out.heading(t.h("signoff"), level + 1)
        head, *rows = self.words.signoff_rows()
        # Room to sign: the signature row is tall, like the PDF's.
        cells = [[Cell(x) for x in row] for row in rows]
        cells[0] = [Cell(f"{x}\n\n") for x in rows[0]]
        self.out.table(TableSpec(widths_mm=[BODY_W_MM / 3] * 3, head=head, rows=cells,
                                 zebra=False))  # fmt: skip
