"""Shared look of every chart: colours by type and level, the CJK font, rendering to bytes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from riskdesk.core.models import Lang, Outcome, RiskLevel, RiskType

# Colours are shared with the reports' vector drawings, so a type looks the same everywhere.
TYPE_COLOURS: dict[str, str] = {
    RiskType.MISSING: "#b03a2e",
    RiskType.DESTROYED: "#ca6f1e",
    RiskType.RESPONSE: "#1f618d",
    "exposure": "#6c3483",
}
OUTCOME_COLOURS: dict[str, str] = {
    **{t.value: TYPE_COLOURS[t] for t in RiskType},
    Outcome.NORMAL_DEPENDENCE: "#1e8449",
    Outcome.MONITOR: "#7f8c8d",
    Outcome.INSUFFICIENT_EVIDENCE: "#bfc9ca",
}
LEVEL_COLOURS: dict[str, str] = {
    RiskLevel.LOW: "#58a55c",
    RiskLevel.MEDIUM: "#e6c229",
    RiskLevel.HIGH: "#e07b24",
    RiskLevel.CRITICAL: "#b8312f",
}
INSUFFICIENT_COLOUR = "#c8c8c8"
INK = "#1c2833"
GRID = "#d5d8dc"

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
