"""One chain's section of a PDF: summary box, profile, classification with charts and words,
indicator table, segments, trends, strategy and measures, data to collect, notes and sign-off."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, TableStyle

from riskdesk.charts import (
    LEVEL_COLOURS,
    OUTCOME_COLOURS,
    exposure_figure,
    radar_figure,
    render_png,
    trend_figure,
)
from riskdesk.core.inventory import Inventory, SeriesPoint
from riskdesk.core.models import Lang, RiskType
from riskdesk.core.results import ChainResult, IndicatorResult
from riskdesk.core.taxonomy import Indicator, Taxonomy
from riskdesk.reports.decisions import approval_line
from riskdesk.reports.drawings import ScoreBars
from riskdesk.reports.pdf_base import BODY_W, NAVY, CellText, ReportPdf, _escape
from riskdesk.reports.templates import ReportText

HEADER_BG = NAVY
ZEBRA = colors.HexColor("#f2f4f6")
GRID_COLOUR = colors.HexColor("#c5ccd3")
TREND_INDICATORS = ("tc_index", "rca_index")
ILLUSTRATIVE_MARK = "†"


def format_value(value: float | None, indicator: Indicator | None, text: ReportText) -> str:
    """Display a value by its kind; a missing value reads as missing, never as 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text.label("missing")
    kind = indicator.kind if indicator is not None else "index"
    if kind in ("share", "rate", "share_delta"):
        return f"{value:.1%}"
    if kind in ("count", "days", "years", "level"):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:.2f}"


def format_score(score: float | None, text: ReportText) -> str:
    return text.label("missing") if score is None else f"{score:.2f}"


def table_style(header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID_COLOUR),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG))
    if zebra:
        commands += [
            ("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(header_rows + 1, rows, 2)
        ]
    return TableStyle(commands)


def _tint(hex_colour: str, alpha: float = 0.28) -> colors.Color:
    c = colors.HexColor(hex_colour)
    return colors.Color(
        1 - alpha * (1 - c.red), 1 - alpha * (1 - c.green), 1 - alpha * (1 - c.blue)
    )


class ChainSection:
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

    # --- small helpers -------------------------------------------------------------------------

    def p(self, text: str, style: ParagraphStyle | None = None) -> CellText:
        return CellText(text, style or self.st.cell)

    def head(self, labels: Sequence[str]) -> list[CellText]:
        return [CellText(x, self.st.cell_head) for x in labels]

    def outcome_label(self, r: ChainResult) -> str:
        return self.tax.label(r.primary_type, self.lang)

    def strategy_line(self, r: ChainResult) -> str:
        parts = [self.tax.label(r.strategy, self.lang)]
        if r.sub_strategy:
            parts.append(self.tax.label(r.sub_strategy, self.lang))
        if r.priority_mode:
            parts.append(self.tax.label(r.priority_mode, self.lang))
        return " · ".join(parts)

    def robustness_text(self, r: ChainResult) -> str:
        rb = r.robustness
        if rb is None:
            return self.text.say("robustness_none")
        out = self.text.say(
            "robustness", draws=rb.draws, spread=rb.spread, share=rb.primary_stability
        )
        out += " " + self.text.say(
            "robustness_solid" if rb.primary_stability >= 0.8 else "robustness_borderline"
        )
        if rb.alternatives:
            alts = "、" if self.lang == "zh" else ", "
            out += " " + self.text.say(
                "robustness_alternatives",
                alternatives=alts.join(
                    f"{self.tax.label(k, self.lang)} {v:.0%}"
                    for k, v in sorted(rb.alternatives.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
            )
        return out

    def drivers_text(self, r: ChainResult, limit: int = 3) -> str:
        drivers = sorted(r.explanation.drivers, key=lambda d: -d.contribution)[:limit]
        if not drivers:
            return self.text.label("not_applicable")
        sep = "；" if self.lang == "zh" else "; "
        return sep.join(
            self.text.say(
                "driver_line",
                indicator=self.tax.label(d.indicator, self.lang),
                dimension=self.tax.label(d.dimension, self.lang),
                contribution=d.contribution,
            )
            for d in drivers
        )

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
        out += self.trends(r, level + 1, key)
        out += self.strategy(r, level + 1, key, full_measures=rich)
        out += self.notes_and_signoff(r, level + 1, key)
        return out

    def summary_box(self, r: ChainResult) -> Flowable:
        t = self.text
        level = r.primary_level
        types = (
            "、".join(self.tax.label(x, self.lang) for x in r.types)
            if self.lang == "zh"
            else ", ".join(self.tax.label(x, self.lang) for x in r.types)
        )
        rows = [
            (t.label("primary_type"), self.outcome_label(r)),
            (t.label("types"), types or t.label("not_applicable")),
            (t.label("level"), t.level(level)),
            (
                t.label("score"),
                format_score(r.primary_score, t)
                if r.primary_type.value in {t.value for t in RiskType}
                else t.label("not_applicable"),
            ),
            (t.label("strategy"), self.strategy_line(r)),
            (t.label("drivers"), self.drivers_text(r)),
            (t.label("robustness"), self.robustness_text(r)),
            (t.label("coverage"), f"{r.evidence_coverage:.0%}"),
        ]
        decision = self.pdf.options.decisions.get(r.chain_id) if r.segment is None else None
        if decision is not None and decision.summary:
            rows.insert(1, (t.label("decision"), decision.summary))
        approval = self.pdf.options.approvals.get(r.chain_id) if r.segment is None else None
        if approval is not None:
            rows.append((t.label("approval"), approval_line(approval, t)))
        data = [[self.p(a), self.p(b)] for a, b in rows]
        accent = OUTCOME_COLOURS.get(r.primary_type.value, "#7f8c8d")
        table = self.pdf.table(data, colWidths=[32 * mm, BODY_W - 32 * mm])
        style = TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _tint(accent, 0.10)),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(accent)),
                ("LINEBEFORE", (0, 0), (0, -1), 5, colors.HexColor(accent)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
        if level is not None:
            at = [a for a, _ in rows].index(t.label("level"))
            style.add("BACKGROUND", (1, at), (1, at), _tint(LEVEL_COLOURS[level], 0.45))
        table.setStyle(style)
        return table

    def profile(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        t = self.text
        chain = None
        if self.inventory is not None:
            try:
                chain = self.inventory.chain(self.inventory.row_of(r.chain_id, r.segment))
            except KeyError:
                chain = None
        tech = r.tech_category or (
            chain.tech_category.value if chain and chain.tech_category else None
        )
        fields: list[tuple[str, str | None]] = [
            (t.label("chain_id"), r.chain_id),
            (t.label("chain_name"), r.chain_name),
            (t.label("segment"), r.segment),
            (t.label("sector"), r.sector),
            (t.label("tech_category"), t.tech_categories.get(tech, tech) if tech else None),
            (
                t.label("strategic_value"),
                None if r.strategic_value is None else str(r.strategic_value),
            ),
            (t.label("generality"), None if r.generality is None else str(r.generality)),
        ]
        if chain is not None:
            fields += [
                (t.label("owner"), chain.owner),
                (t.label("year"), None if chain.year is None else str(chain.year)),
                (t.label("description"), chain.description),
            ]
        shown = [
            (a, b if b else t.label("missing"))
            for a, b in fields
            if b is not None or a != t.label("segment")
        ]
        data = [[self.p(a), self.p(b)] for a, b in shown]
        table = self.pdf.table(data, colWidths=[38 * mm, BODY_W - 38 * mm])
        table.setStyle(table_style(header_rows=0, rows=len(data)))
        return [self.pdf.heading(t.h("profile"), level, f"{key}-profile"), table]

    def classification(self, r: ChainResult, level: int, key: str, rich: bool) -> list[Flowable]:
        t = self.text
        out: list[Flowable] = [self.pdf.heading(t.h("classification"), level, f"{key}-class")]
        out.append(ScoreBars(r, self.tax, t, self.pdf.font.pdf_name, BODY_W))
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
            radar = _image(render_png(radar_fig, dpi=160), 62 * mm)
            expo = _image(render_png(expo_fig, dpi=160), BODY_W - 66 * mm)
            pair = self.pdf.table([[radar, expo]], colWidths=[66 * mm, BODY_W - 66 * mm])
            pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            out.append(pair)
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
                        _tint(LEVEL_COLOURS[_level_of(res, self.tax)], 0.5),
                    )
                )
        widths = [44 * mm, 20 * mm, 17 * mm, 14 * mm, BODY_W - 110 * mm, 15 * mm]
        table = self.pdf.table(rows, colWidths=widths, repeatRows=1)
        style = table_style(rows=len(rows))
        for cmd in styles:
            style.add(*cmd)
        table.setStyle(style)
        out: list[Flowable] = [
            self.pdf.heading(t.h("indicators"), level, f"{key}-ind"),
            table,
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
        out: list[Flowable] = [self.pdf.heading(t.h("segments"), level, f"{key}-seg"), table]
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
            self.pdf.heading(self.text.h("trends"), level, f"{key}-trend"),
            _image(render_png(fig, dpi=160), BODY_W * 0.9),
        ]

    def strategy(
        self, r: ChainResult, level: int, key: str, *, full_measures: bool = True
    ) -> list[Flowable]:
        t = self.text
        out: list[Flowable] = [self.pdf.heading(t.h("strategy"), level, f"{key}-strat")]
        spec = self.tax.strategy_by_id.get(r.strategy)
        rows = [
            (
                t.label("strategy"),
                self.tax.label(r.strategy, self.lang)
                + (
                    f" — {spec.summary_zh if self.lang == 'zh' else spec.summary_en}"
                    if spec
                    else ""
                ),
            )
        ]
        if r.sub_strategy:
            sub = self.tax.sub_strategy_by_id[r.sub_strategy]
            rows.append(
                (
                    t.label("sub_strategy"),
                    f"{sub.name(self.lang)} — "
                    + (sub.summary_zh if self.lang == "zh" else sub.summary_en),
                )
            )
        if r.priority_mode:
            mode = {m.id: m for m in self.tax.priority_modes}[r.priority_mode]
            rows.append(
                (
                    t.label("priority_mode"),
                    f"{mode.name(self.lang)} — "
                    + (mode.summary_zh if self.lang == "zh" else mode.summary_en),
                )
            )
        elif r.priority_note:
            rows.append(
                (t.label("priority_mode"), t.say("priority_undetermined", note=r.priority_note))
            )
        table = self.pdf.table(
            [[self.p(a), self.p(b)] for a, b in rows], colWidths=[28 * mm, BODY_W - 28 * mm]
        )
        table.setStyle(table_style(header_rows=0, rows=len(rows)))
        out.append(table)
        out.append(Spacer(1, 2 * mm))
        out.append(self.pdf.para(t.strategies[r.strategy]))
        out.append(self.pdf.heading(t.h("measures"), level + 1, f"{key}-measures"))
        tail: list[Flowable] = []
        decision = self.pdf.options.decisions.get(r.chain_id) if r.segment is None else None
        added = decision.added_measures if decision is not None else []
        reworded = decision.reworded if decision is not None else {}
        for n, extra in enumerate(added, start=len(r.measures) + 1):
            tail.append(self.pdf.para(f"{n}. {extra}（{t.label('analyst_measure')}）"
                                      if self.lang == "zh"
                                      else f"{n}. {extra} ({t.label('analyst_measure')})"))
        if not r.measures and not added:
            out.append(self.pdf.para(t.say("no_measures")))
        for mid in r.measures:
            if mid not in self.used_measures:
                self.used_measures.append(mid)
        if r.measures and not full_measures:
            # Large selections: titles here, each measure's text once in the catalogue.
            titles: list[list[Any]] = [
                [self.p(f"{n}. {self._measure_title(mid)}")]
                for n, mid in enumerate(r.measures, start=1)
            ]
            table = self.pdf.table(titles, colWidths=[BODY_W])
            table.setStyle(table_style(header_rows=0, rows=len(titles)))
            out += [table, *tail, self.pdf.para(t.say("measures_in_catalogue"), self.st.note)]
            return out
        for n, mid in enumerate(r.measures, start=1):
            m = self.measure_by_id.get(mid)
            if m is None:
                out.append(self.pdf.para(f"{n}. {mid}"))
                continue
            src = (
                f"（{m.source}）"
                if self.lang == "zh" and m.source
                else (f" ({m.source})" if m.source else "")
            )
            body = reworded.get(mid) or m.text(self.lang)
            out.append(
                Paragraph(
                    f'<font color="#1b3a5c">{n}. {_escape(m.title(self.lang))}</font>'
                    f" {_escape(body)}{_escape(src)}",
                    self.st.body,
                )
            )
        return out + tail

    def _measure_title(self, mid: str) -> str:
        m = self.measure_by_id.get(mid)
        return m.title(self.lang) if m is not None else mid

    def measure_catalogue(self, level: int) -> list[Flowable]:
        """Every measure recommended in the report, with its full text, once."""
        out: list[Flowable] = [
            self.pdf.heading(self.text.h("measure_catalogue"), level, "measures")
        ]
        for mid in self.used_measures:
            m = self.measure_by_id.get(mid)
            if m is None:
                continue
            src = f" ({m.source})" if m.source else ""
            out.append(
                Paragraph(
                    f'<font color="#1b3a5c">{_escape(m.title(self.lang))}</font> '
                    f"{_escape(m.text(self.lang))}{_escape(src)}",
                    self.st.body,
                )
            )
        return out

    def notes_and_signoff(self, r: ChainResult, level: int, key: str) -> list[Flowable]:
        t = self.text
        note = self.pdf.options.notes.get(r.chain_id)
        out: list[Flowable] = [self.pdf.heading(t.h("notes"), level, f"{key}-notes")]
        out.append(
            self.pdf.para(note) if note else self.pdf.para(t.say("notes_blank"), self.st.note)
        )
        rows = [self.head([t.label("prepared_by"), t.label("reviewed_by"), t.label("approved_by")])]
        rows.append(
            [
                self.p(
                    f"{t.label('signature')}：" if self.lang == "zh" else f"{t.label('signature')}:"
                )
                for _ in range(3)
            ]
        )
        rows.append(
            [
                self.p(
                    f"{t.label('sign_date')}：" if self.lang == "zh" else f"{t.label('sign_date')}:"
                )
                for _ in range(3)
            ]
        )
        if self.pdf.options.author:
            rows[1][0] = self.p(f"{t.label('signature')}: {self.pdf.options.author}")
        table = self.pdf.table(rows, colWidths=[BODY_W / 3] * 3, rowHeights=[None, 12 * mm, 8 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
                    ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ]
            )
        )
        out.append(
            KeepTogether([self.pdf.heading(t.h("signoff"), level + 1, f"{key}-sign"), table])
        )
        return out


def _level_of(res: IndicatorResult, taxonomy: Taxonomy) -> str:
    levels = taxonomy.scoring.levels
    risk = res.risk or 0.0
    if risk < levels.low:
        return "low"
    if risk < levels.medium:
        return "medium"
    if risk < levels.high:
        return "high"
    return "critical"


def _image(png: bytes, width: float) -> Image:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)
