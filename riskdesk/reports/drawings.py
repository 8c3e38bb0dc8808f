"""Vector score bars drawn with reportlab graphics: crisp, searchable and fast enough for a
1,000-chain portfolio (a matplotlib image per chain would dominate the build time)."""

from __future__ import annotations

from typing import NamedTuple

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from riskdesk.charts.style import (
    EDGE,
    GRID,
    INK,
    INSUFFICIENT_COLOUR,
    MARKERS,
    MUTED,
    OUTCOME_COLOURS,
    RULE,
    TYPE_COLOURS,
    label_lines,
)
from riskdesk.core.models import RiskType
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.reports.templates import ReportText

ROW_H = 13.0
LABEL_W = 0.38
MARKER_W = 10.0
BAR_GAP = 4.0
LEADING = 1.18


class ScoreBars(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Type scores, then every key dimension with its coverage, then the exposure gate.

    A dimension with insufficient evidence is drawn grey with a dashed outline and says so; a
    score that does not exist is written as missing, never drawn as a zero-length bar. Each row
    carries its type's marker shape beside the bar, so the colour is never the only cue; labels
    and notes wrap onto more lines rather than being cut. Drawn straight on the canvas in the
    report's font (reportlab's Drawing would pull in Helvetica).
    """

    def __init__(
        self, result: ChainResult, taxonomy: Taxonomy, text: ReportText, font: str, width: float
    ) -> None:
        super().__init__()
        self.levels = taxonomy.scoring.levels
        self.font = font
        self.width = width
        self.label_w = width * LABEL_W
        self.x0 = self.label_w + MARKER_W + BAR_GAP
        self.bar_w = width * 0.27
        self.note_x = self.x0 + self.bar_w + 6
        n_types = len(RiskType)
        self.rows: list[_Row] = []
        for i, (label, score, kind, ok, note) in enumerate(_rows(result, taxonomy, text)):
            size = 7.6 if i < n_types else 6.8
            label_lines = fit_lines(label, font, size, self.label_w)
            note_lines = fit_lines(note, font, 6.8, width - self.note_x)
            lines = max(len(label_lines), len(note_lines))
            height = max(ROW_H, lines * size * LEADING + 4.5)
            self.rows.append(_Row(label_lines, note_lines, size, height, score, kind, ok))
        self.height = sum(r.height for r in self.rows) + 14

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return (self.width, self.height)

    def draw(self) -> None:
        c = self.canv
        x0, bar_w = self.x0, self.bar_w
        top = self.height - 4
        grid = colors.HexColor(GRID)
        ink = colors.HexColor(INK)
        muted = colors.HexColor(MUTED)
        c.setLineWidth(0.4)
        for x in (0.0, self.levels.low, self.levels.medium, self.levels.high, 1.0):
            c.setStrokeColor(grid)
            c.setDash([2, 2] if 0 < x < 1 else [])
            c.line(x0 + bar_w * x, 10, x0 + bar_w * x, top)
            c.setFillColor(muted)
            c.setFont(self.font, 6)
            c.drawCentredString(x0 + bar_w * x, 2, f"{x:g}")
        n_types = len(RiskType)
        y_top = top
        for i, row in enumerate(self.rows):
            y_top -= row.height
            mid = y_top + row.height / 2  # the bar and the marker are centred on the row
            c.setDash([])
            c.setFillColor(ink)
            c.setFont(self.font, row.size)
            _lines_centred(c, row.label, self.label_w, mid, row.size, right=True)
            draw_marker(c, row.kind, self.label_w + MARKER_W / 2 + 1, mid, 3.2)
            bar_h = ROW_H - 4
            if row.score is not None:
                c.setFillColor(
                    colors.HexColor(TYPE_COLOURS[row.kind])
                    if row.ok
                    else colors.HexColor(INSUFFICIENT_COLOUR)
                )
                c.setStrokeColor(colors.HexColor(EDGE) if row.ok else muted)
                c.setDash([] if row.ok else [1.5, 1.5])
                c.rect(x0, mid - bar_h / 2, max(bar_w * row.score, 0.8), bar_h, stroke=1, fill=1)
            c.setDash([])
            c.setFillColor(ink if row.ok else muted)
            c.setFont(self.font, 6.8)
            _lines_centred(c, row.note, self.note_x, mid, 6.8, right=False)
            if i == n_types - 1:
                c.setStrokeColor(colors.HexColor(RULE))
                c.line(0, y_top - 0.5, self.width, y_top - 0.5)
        c.setDash([])


class _Row(NamedTuple):
    label: list[str]
    note: list[str]
    size: float
    height: float
    score: float | None
    kind: str  # the type whose colour and marker the row carries
    ok: bool


def _lines_centred(
    c: Canvas, lines: list[str], x: float, mid: float, size: float, *, right: bool
) -> None:
    step = size * LEADING
    first = mid + (len(lines) - 1) * step / 2 - size * 0.35
    for k, line in enumerate(lines):
        y = first - k * step
        if right:
            c.drawRightString(x, y, line)
        else:
            c.drawString(x, y, line)


def draw_marker(c: Canvas, kind: str, x: float, y: float, radius: float) -> None:
    """The outcome's marker shape (as in the charts' legends), filled with its colour."""
    marker = MARKERS[kind]
    c.saveState()
    c.setDash([])
    c.setLineWidth(0.5)
    c.setStrokeColor(colors.HexColor(EDGE))
    c.setFillColor(colors.HexColor(OUTCOME_COLOURS.get(kind, TYPE_COLOURS.get(kind, MUTED))))
    if not marker.polygon:
        c.circle(x, y, radius * 0.85, stroke=1, fill=1)
    else:
        path = c.beginPath()
        (px, py), *rest = marker.polygon
        path.moveTo(x + px * radius, y + py * radius)
        for px, py in rest:
            path.lineTo(x + px * radius, y + py * radius)
        path.close()
        c.drawPath(path, stroke=1, fill=1)
    c.restoreState()


def _rows(
    result: ChainResult, taxonomy: Taxonomy, text: ReportText
) -> list[tuple[str, float | None, str, bool, str]]:
    lang = text.lang
    rows: list[tuple[str, float | None, str, bool, str]] = []  # label, score, type, ok, note
    for t in RiskType:
        score = result.type_scores.get(t)
        level = result.risk_levels.get(t)
        note = f"{score:.2f} {text.level(level)}" if score is not None else text.label("missing")
        rows.append((taxonomy.label(t, lang), score, t.value, True, note))
    for dim in [*taxonomy.capability_dimensions, EXPOSURE]:
        ds = result.dimension_scores.get(dim)
        kind = str(taxonomy.dimension_by_id[dim].type)
        label = "· " + taxonomy.label(dim, lang)
        if ds is None or ds.score is None:
            rows.append((label, None, kind, False, text.label("missing")))
            continue
        note = f"{ds.score:.2f} ({text.label('coverage')} {ds.coverage:.0%})"
        if not ds.sufficient:
            note += " · " + taxonomy.label("insufficient_evidence", lang)
        rows.append((label, ds.score, kind, ds.sufficient, note))
    return rows


def fit_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped (never cut) into lines no wider than `width` points in `font`.

    Only a single word wider than the column stays wider; it is kept whole.
    """
    cols = max(4, int(width / (size * 0.45)) + 2)
    while True:
        lines = label_lines(text, cols)
        if cols <= 4 or all(stringWidth(line, font, size) <= width for line in lines):
            return lines
        cols -= 1
