"""The strategy part of a chain's PDF section: strategy, sub-strategy and priority mode, the
measures (in full, or titles with a catalogue of full texts for large selections), analyst notes
and the sign-off block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from riskdesk.core.models import Lang
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import Measure, Taxonomy
from riskdesk.reports.chain_words import ChainWords
from riskdesk.reports.pdf_base import BODY_W, CellText, ReportPdf, _escape
from riskdesk.reports.pdf_parts import GRID_COLOUR, table_style
from riskdesk.reports.pdf_styles import NAVY
from riskdesk.reports.pdf_text import ReportParagraph
from riskdesk.reports.templates import ReportText


class ChainStrategy:
    """Strategy, measures, notes and sign-off; mixed into `ChainSection`."""

    pdf: ReportPdf
    text: ReportText
    tax: Taxonomy
    lang: Lang
    st: Any
    measure_by_id: dict[str, Measure]
    used_measures: list[str]
    words: ChainWords

    def p(self, text: str, style: ParagraphStyle | None = None) -> CellText:
        return CellText(text, style or self.st.cell)

    def head(self, labels: Sequence[str]) -> list[CellText]:
        return [CellText(x, self.st.cell_head) for x in labels]

    def strategy(
        self, r: ChainResult, level: int, key: str, *, full_measures: bool = True
    ) -> list[Flowable]:
        t = self.text
        out: list[Flowable] = [self.pdf.heading(t.h("strategy"), level, f"{key}-strat")]
        rows = self.words.strategy_rows(r)
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
                ReportParagraph(
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
                ReportParagraph(
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
