"""Vector score bars drawn with reportlab graphics: crisp, searchable and fast enough for a
1,000-chain portfolio (a matplotlib image per chain would dominate the build time)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from riskdesk.charts.style import INSUFFICIENT_COLOUR, TYPE_COLOURS
from riskdesk.core.models import RiskType
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports.templates import ReportText

ROW_H = 13.0
LABEL_W = 0.38
BAR_GAP = 6.0


class ScoreBars(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Type scores, then every key dimension with its coverage, then the exposure gate.

    A dimension with insufficient evidence is drawn grey with a dashed outline and says so; a
    score that does not exist is written as missing, never drawn as a zero-length bar. Drawn
    straight on the canvas in the report's font (reportlab's Drawing would pull in Helvetica).
    """

    def __init__(
        self, result: ChainResult, taxonomy: Taxonomy, text: ReportText, font: str, width: float
    ) -> None:
        super().__init__()
        self.rows = _rows(result, taxonomy, text)
        self.levels = taxonomy.scoring.levels
        self.font = font
        self.width = width
        self.height = ROW_H * len(self.rows) + 14

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return (self.width, self.height)

    def draw(self) -> None:
        c = self.canv
        label_w = self.width * LABEL_W
        bar_w = self.width * 0.27
        x0 = label_w + BAR_GAP
        top = self.height - 4
        grid = colors.HexColor("#d5d8dc")
        ink = colors.HexColor("#1c2833")
        muted = colors.HexColor("#7f8c8d")
        c.setLineWidth(0.4)
        for x in (0.0, self.levels.low, self.levels.medium, self.levels.high, 1.0):
            c.setStrokeColor(grid)
            c.setDash([2, 2] if 0 < x < 1 else [])
            c.line(x0 + bar_w * x, 10, x0 + bar_w * x, top)
            c.setFillColor(muted)
            c.setFont(self.font, 6)
            c.drawCentredString(x0 + bar_w * x, 2, f"{x:g}")
        n_types = len(RiskType)
        for i, (label, score, colour, ok, note) in enumerate(self.rows):
            y = top - (i + 1) * ROW_H + 3
            size = 7.6 if i < n_types else 6.8
            c.setFillColor(ink)
            c.setFont(self.font, size)
            c.drawRightString(label_w, y + 2, _fit(label, label_w, size))
            if score is not None:
                c.setFillColor(
                    colors.HexColor(colour) if ok else colors.HexColor(INSUFFICIENT_COLOUR)
                )
                if ok:
                    c.rect(x0, y, max(bar_w * score, 0.8), ROW_H - 4, stroke=0, fill=1)
                else:
                    c.setStrokeColor(muted)
                    c.setDash([1.5, 1.5])
                    c.rect(x0, y, max(bar_w * score, 0.8), ROW_H - 4, stroke=1, fill=1)
            c.setFillColor(ink if ok else muted)
            c.setFont(self.font, 6.8)
            note_x = x0 + bar_w + 6
            c.drawString(note_x, y + 2, _fit(note, self.width - note_x, 6.8))
            if i == n_types - 1:
                c.setDash([])
                c.setStrokeColor(colors.HexColor("#aab7b8"))
                c.line(0, y - 2.5, self.width, y - 2.5)
        c.setDash([])


def _rows(
    result: ChainResult, taxonomy: Taxonomy, text: ReportText
) -> list[tuple[str, float | None, str, bool, str]]:
    lang = text.lang
    rows: list[tuple[str, float | None, str, bool, str]] = []  # label, score, colour, ok, note
    for t in RiskType:
        score = result.type_scores.get(t)
        level = result.risk_levels.get(t)
        note = f"{score:.2f} {text.level(level)}" if score is not None else text.label("missing")
        rows.append((taxonomy.label(t, lang), score, TYPE_COLOURS[t], True, note))
    for dim in [*taxonomy.capability_dimensions, EXPOSURE]:
        ds = result.dimension_scores.get(dim)
        colour = TYPE_COLOURS[taxonomy.dimension_by_id[dim].type]
        label = "· " + taxonomy.label(dim, lang)
        if ds is None or ds.score is None:
            rows.append((label, None, colour, False, text.label("missing")))
            continue
        note = f"{ds.score:.2f} ({text.label('coverage')} {ds.coverage:.0%})"
        if not ds.sufficient:
            note += " · " + taxonomy.label("insufficient_evidence", lang)
        rows.append((label, ds.score, colour, ds.sufficient, note))
    return rows


def _fit(label: str, width: float, size: float) -> str:
    """Shorten a label that would overflow its column (CJK glyphs are about one em wide)."""
    limit = int(width / (size * 0.62))
    wide = sum(2 if ord(c) > 0x2E80 else 1 for c in label)
    if wide <= limit:
        return label
    out, used = "", 0
    for c in label:
        used += 2 if ord(c) > 0x2E80 else 1
        if used > limit - 1:
            break
        out += c
    return out + "…"
