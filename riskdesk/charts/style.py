"""Shared look of every chart: colours by type and level, the CJK font, rendering to bytes."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from riskdesk.core.models import Lang, Outcome, RiskLevel, RiskType

# One palette for every chart, the reports' vector drawings and the GUI, so a colour means one
# thing everywhere. Outcomes and types: Okabe & Ito's colour-blind-safe set (vermillion, yellow,
# blue, bluish green, sky blue, grey) plus Paul Tol's wine for the exposure gate; every pair stays
# at least ΔE76 20 apart under simulated deuteranopia and protanopia (tests/reports/
# test_charts_colour.py). Levels: four steps of matplotlib's magma, pale to dark, so they read by
# lightness alone and share no colour with a type. Each outcome also has its own marker shape, so
# nothing relies on hue.
TYPE_COLOURS: dict[str, str] = {
    RiskType.MISSING: "#D55E00",
    RiskType.DESTROYED: "#F0E442",
    RiskType.RESPONSE: "#0072B2",
    "exposure": "#882255",
}
OUTCOME_COLOURS: dict[str, str] = {
    **{t.value: TYPE_COLOURS[t] for t in RiskType},
    Outcome.NORMAL_DEPENDENCE: "#009E73",
    Outcome.MONITOR: "#56B4E9",
    Outcome.INSUFFICIENT_EVIDENCE: "#CCCCCC",
}
LEVEL_COLOURS: dict[str, str] = {
    RiskLevel.LOW: "#FDE7A9",
    RiskLevel.MEDIUM: "#F9795D",
    RiskLevel.HIGH: "#B73779",
    RiskLevel.CRITICAL: "#5C167F",
}
NO_LEVEL_COLOUR = "#FFFFFF"  # drawn hatched: a chain without a level is not a pale level
INSUFFICIENT_COLOUR = "#E3E3E3"  # bars whose evidence is insufficient: hatched, not a type colour
INK = "#1c2833"
MUTED = "#7f8c8d"
GRID = "#d5d8dc"
EDGE = "#1c2833"  # outline of bars and markers, so the pale yellow and grey read on white
HATCH_EDGE = "#909497"  # outline and hatching of insufficient-evidence bars; reference lines
RULE = "#aab7b8"  # separating rules in drawings
# Continuous values (an unmet share, a risk sub-score) use ColorBrewer YlOrRd: it reads by
# lightness alone, pale to dark. A value that cannot be computed is grey and hatched instead.
SHARE_SCALE = "YlOrRd"
NOT_AVAILABLE_FACE = "#D9D9D9"
NOT_AVAILABLE_EDGE = "#8C8C8C"
SHORTFALL_SHADE = "#EDE3F0"  # the TTS/TTR region where stock runs out first: a pale neutral


def tint(hex_colour: str, amount: float) -> str:
    """`hex_colour` mixed with white: `amount` 1 keeps it, 0 gives white (table backgrounds)."""
    rgb = [int(hex_colour.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02X}" for c in rgb)


def text_on(hex_colour: str) -> str:
    """Ink or white, whichever reads on a fill of `hex_colour` (the pale yellow needs ink)."""
    r, g, b = (int(hex_colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4))
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else INK


class Marker(NamedTuple):
    """A shape drawn by matplotlib (`code`) and by the reports' canvas (`polygon`, unit-sized
    vertices around the centre; empty for a circle)."""

    code: str
    polygon: tuple[tuple[float, float], ...]


_S3 = math.sqrt(3) / 2
MARKERS: dict[str, Marker] = {
    Outcome.MISSING: Marker("^", ((0.0, 1.0), (-_S3, -0.5), (_S3, -0.5))),
    Outcome.DESTROYED: Marker(
        "X",
        tuple(
            (r * math.cos(math.radians(a)), r * math.sin(math.radians(a)))
            for k in range(4)
            for r, a in ((1.0, 45 + 90 * k - 20), (1.0, 45 + 90 * k + 20), (0.35, 90 + 90 * k))
        ),
    ),
    Outcome.RESPONSE: Marker("s", ((-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8))),
    Outcome.NORMAL_DEPENDENCE: Marker("o", ()),
    Outcome.MONITOR: Marker("D", ((0.0, 1.0), (0.8, 0.0), (0.0, -1.0), (-0.8, 0.0))),
    Outcome.INSUFFICIENT_EVIDENCE: Marker(
        "h",
        tuple(
            (math.cos(math.radians(90 + 60 * k)), math.sin(math.radians(90 + 60 * k)))
            for k in range(6)
        ),
    ),
    "exposure": Marker("v", ((0.0, -1.0), (_S3, 0.5), (-_S3, 0.5))),
}


def marker_code(kind: str) -> str:
    return MARKERS[kind].code


def wrap_label(text: str, width: int) -> str:
    """Break a label into lines of at most `width` columns (a CJK character counts two).

    Latin text breaks between words and is never cut; a single word longer than the line stays
    whole. CJK text breaks between characters, but not before closing or after opening punctuation. Lines are
    balanced: as narrow as the line count allows.
    """
    lines = label_lines(text, width)
    # Balanced: the narrowest width that needs no more lines (no orphan "池" on a line alone).
    while width > 4 and len(label_lines(text, width - 1)) == len(lines):
        width -= 1
        lines = label_lines(text, width)
    return "\n".join(lines)


_OPENING = set("（《「『“‘([{")
_CLOSING = set("，。、；：！？）》」』”’)]}.,;:!?%")


def _wide(ch: str) -> bool:
    return ord(ch) > 0x2E80


def _cols(text: str) -> int:
    return sum(2 if _wide(c) else 1 for c in text)


def label_lines(text: str, width: int) -> list[str]:
    tokens: list[str] = []  # words, spaces and single CJK characters
    for ch in text:
        if tokens and tokens[-1][-1] in _OPENING and ch != " ":
            tokens[-1] += ch  # opening punctuation stays with what it opens
        elif _wide(ch) or ch == " " or not tokens or tokens[-1] == " " or _wide(tokens[-1][-1]):
            if ch in _CLOSING and tokens and tokens[-1] != " ":
                tokens[-1] += ch  # closing punctuation stays with what it closes
            else:
                tokens.append(ch)
        else:
            tokens[-1] += ch
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line and _cols(line) + _cols(tok.rstrip()) > width and tok != " ":
            lines.append(line.rstrip())
            line = ""
        if tok == " " and not line:
            continue
        line += tok
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


_families: list[str] = []


def use_font(path: Path) -> str:
    """Register a TrueType/TrueType-collection font with matplotlib; return its family name.

    A .ttc is read by FreeType directly (its first face), so no extraction is needed.
    """
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    if name not in _families:
        _families.insert(0, name)
    return name


@contextmanager
def chart_style() -> Iterator[None]:
    """rc settings in force while a figure is built (text picks its font at creation)."""
    params: Any = {
        # Concrete family names, not the generic "sans-serif": text resolves a generic family
        # when drawn, after this context has ended.
        "font.family": [*_families, "DejaVu Sans"],
        "axes.unicode_minus": False,  # the CJK font has no U+2212; use the ASCII hyphen
        "font.size": 9,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "svg.hashsalt": "riskdesk",
        "svg.fonttype": "path",
    }
    with mpl.rc_context(params):
        yield


def new_figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def render_png(fig: Figure, dpi: int = 200) -> bytes:
    """PNG bytes; no timestamp or software tag, so the same figure gives the same bytes."""
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def render_svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def no_data(fig: Figure, lang: Lang) -> Figure:
    """An honest empty chart: says that there is nothing to draw instead of drawing zeros."""
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        "无数据" if lang == "zh" else "no data",
        ha="center",
        va="center",
        color="#7f8c8d",
        fontsize=11,
        transform=ax.transAxes,
    )
    return fig
