"""Figures of a scenario run: the chains × scenarios heat map and TTS against TTR.

Both take plain cells (`ScenarioCell`), so the report, a future GUI page and tests build them the
same way. Colour is the unmet share on ColorBrewer's YlOrRd (colour-blind safe: it reads by
lightness alone, pale to dark); a cell whose share cannot be computed is grey and hatched with "n/a", never a
colour of the scale, because a missing input is not "no shortfall".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from riskdesk.charts.labels import PointLabel, place_labels
from riskdesk.charts.style import (
    EDGE,
    GRID,
    INK,
    MUTED,
    NOT_AVAILABLE_EDGE,
    NOT_AVAILABLE_FACE,
    SHARE_SCALE,
    SHORTFALL_SHADE,
    chart_style,
    new_figure,
    no_data,
    wrap_label,
)
from riskdesk.core.models import Lang

SCALE = SHARE_SCALE  # ColorBrewer, colour-blind safe: 0 = pale cream, more unmet = darker red
MISSING_FACE = NOT_AVAILABLE_FACE
NA = "n/a"
WORSENED = "▲"
COMPACT_COLUMNS = 7
_CHANGE = {True: ("^", INK), False: ("o", "white")}  # priority raised → filled dark triangle
_WORDS: dict[str, tuple[str, str]] = {
    "share": ("未满足需求占比", "unmet share"),
    "na": (
        "n/a：缺少输入，无法计算（原因见图下说明）",
        "n/a: inputs missing, not computable (why: below)",
    ),
    "not_applied": ("—：情景未包含该链", "—: the scenario does not name this chain"),
    "worsened": ("▲：冲击下优先级上升", "▲: the chain's priority rose under the shock"),
    "label": ("格内文字：冲击下的主类型", "cell text: the primary type under the shock"),
    "tts": ("生存时间 TTS（天）", "time to survive, TTS (days)"),
    "ttr": ("恢复时间 TTR（天）", "time to recover, TTR (days)"),
    "above": ("对角线上方：库存先于恢复耗尽", "above the diagonal: stock runs out before recovery"),
    "below": ("对角线下方：库存撑到恢复", "below: stock lasts until recovery"),
    "same": ("优先级未上升", "priority not raised"),
}


def _w(key: str, lang: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class ScenarioCell:
    """One chain under one scenario, as the figures draw it."""

    applies: bool
    unmet_share: float | None
    type_label: str
    worsened: bool
    tts_days: float | None = None
    type_code: str = ""  # one or two letters for a map too narrow for the label
    ttr_days: float | None = None


def _wrap(label: str, width: int = 13) -> str:
    """Break a long scenario id after its separators so column labels never overlap."""
    lines, line = [], ""
    for part in re.split(r"(?<=[-_.])", label):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    return "\n".join([*lines, line])


def _label(cell: ScenarioCell, compact: bool) -> str:
    return cell.type_code if compact and cell.type_code else cell.type_label


def _text_colour(rgba: tuple[float, float, float, float]) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else INK


def scenario_heatmap_figure(
    chains: Sequence[str],
    scenarios: Sequence[str],
    cells: Sequence[Sequence[ScenarioCell]],
    lang: Lang,
    *,
    width_in: float = 6.9,
) -> Figure:
    """`cells[i][j]` is chain i under scenario j. With more than `COMPACT_COLUMNS` scenarios a
    cell shows its type's code (`type_code`); the caller explains the codes under the map."""
    n_rows, n_cols = len(chains), len(scenarios)
    compact = n_cols > COMPACT_COLUMNS
    with chart_style():
        row_in = min(0.3, 6.6 / max(n_rows, 1))  # a long map stays within one A4 page
        fig = new_figure(width_in, 1.5 + row_in * max(n_rows, 1))
        if not n_rows or not n_cols:
            return no_data(fig, lang)
        fig.set_layout_engine("none")
        shares = [c.unmet_share for row in cells for c in row if c.applies]
        top = max((s for s in shares if s is not None), default=0.0)
        vmax = max(0.1, math.ceil(top * 10 - 1e-9) / 10)
        norm = Normalize(0.0, vmax)
        cmap = colormaps[SCALE]
        # fixed margins in inches: the label column and the legend rows stay readable
        height = fig.get_figheight()
        left = 1.25 / width_in
        right = 1 - 0.95 / width_in
        bottom = 0.62 / height
        top_margin = 1 - 0.45 / height
        ax = fig.add_axes((left, bottom, right - left, top_margin - bottom))
        size = 7.5 if n_cols <= 6 else (6.5 if n_cols <= 10 else 5.5)
        size = min(size, 7.5 if row_in >= 0.27 else 6.0)
        for i, row in enumerate(cells):
            for j, c in enumerate(row):
                face: str | tuple[float, float, float, float]
                if not c.applies:
                    face, hatch, text = "white", None, "—"
                elif c.unmet_share is None:
                    face, hatch, text = MISSING_FACE, "///", f"{NA}\n{_label(c, compact)}"
                else:
                    face, hatch = cmap(norm(min(c.unmet_share, vmax))), None
                    text = f"{c.unmet_share:.1%}\n{_label(c, compact)}"
                if c.applies and c.worsened:
                    text += f" {WORSENED}"
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white",
                                       hatch=hatch, linewidth=1.2))  # fmt: skip
                colour = _text_colour(face) if not isinstance(face, str) else INK
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=size,
                        color=colour, linespacing=1.15)  # fmt: skip
        ax.set_xlim(0, n_cols)
        ax.set_ylim(n_rows, 0)
        ax.set_xticks([j + 0.5 for j in range(n_cols)], [_wrap(s) for s in scenarios],
                      fontsize=size)  # fmt: skip
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(n_rows)], list(chains), fontsize=min(7.5, size + 1))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        cax = fig.add_axes((right + 0.25 / width_in, bottom, 0.14 / width_in,
                            top_margin - bottom))  # fmt: skip
        bar = fig.colorbar(_mappable(cmap, norm), cax=cax, format=lambda x, _pos: f"{x:.0%}")
        bar.set_label(_w("share", lang), fontsize=7.5)
        bar.ax.tick_params(labelsize=7)
        handles = [
            Patch(
                facecolor=MISSING_FACE,
                hatch="///",
                edgecolor=NOT_AVAILABLE_EDGE,
                label=_w("na", lang),
            ),
            Patch(facecolor="white", edgecolor=NOT_AVAILABLE_EDGE, label=_w("not_applied", lang)),
            Patch(facecolor="white", edgecolor="white", label=_w("worsened", lang)),
            Patch(
                facecolor="white",
                edgecolor="white",
                label=_w("label", lang),
            ),
        ]
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.005), ncols=2,
                   fontsize=7, frameon=False, handlelength=1.6, columnspacing=1.2)  # fmt: skip
        return fig


def _mappable(cmap: Colormap, norm: Normalize) -> ScalarMappable:
    return ScalarMappable(norm=norm, cmap=cmap)


def tts_ttr_figure(
    points: Sequence[tuple[str, ScenarioCell]],
    lang: Lang,
    *,
    size: tuple[float, float] = (6.4, 3.9),
    labelled: int = 12,
) -> Figure:
    """One point per chain × scenario whose stock runs out (finite TTS); the `labelled` with the
    largest TTR − TTS gap carry their name (none when there are more than 3 × `labelled`)."""
    drawn = [(name, c) for name, c in points if c.tts_days is not None and c.ttr_days is not None]
    with chart_style():
        fig = new_figure(*size)
        if not drawn:
            return no_data(fig, lang)
        ax = fig.add_subplot()
        xs = [float(c.tts_days or 0.0) for _, c in drawn]
        ys = [float(c.ttr_days or 0.0) for _, c in drawn]
        hi = max(*xs, *ys, 1.0) * 1.12
        ax.fill_between([0, hi], [0, hi], [hi, hi], color=SHORTFALL_SHADE, linewidth=0, zorder=0)
        ax.plot([0, hi], [0, hi], color=MUTED, linewidth=0.8, linestyle="--", zorder=1)
        # Raised priority vs not: dark triangle vs open circle, told apart by shape and lightness.
        for worsened, (marker, face) in _CHANGE.items():
            ks = [k for k, (_, c) in enumerate(drawn) if c.worsened == worsened]
            if ks:
                ax.scatter([xs[k] for k in ks], [ys[k] for k in ks], s=30, marker=marker,
                           c=face, edgecolors=EDGE, linewidths=0.7, zorder=3)  # fmt: skip
        ax.set_xlim(0, hi)
        ax.set_ylim(0, hi)
        ax.set_xlabel(_w("tts", lang))
        ax.set_ylabel(_w("ttr", lang))
        ax.grid(color=GRID, linewidth=0.5)
        handles = [
            Patch(facecolor=SHORTFALL_SHADE, label=_w("above", lang)),
            Patch(facecolor="white", edgecolor=MUTED, label=_w("below", lang)),
            *(
                Line2D([], [], marker=marker, linestyle="", markerfacecolor=face,
                       markeredgecolor=EDGE, label=_w("worsened" if w else "same", lang))
                for w, (marker, face) in _CHANGE.items()
            ),
        ]  # fmt: skip
        fig.legend(handles=handles, fontsize=7, frameon=False, loc="outside lower center",
                   ncols=2)  # fmt: skip
        # names only while they can be read: a crowded chart keeps its points unnamed
        count = labelled if len(drawn) <= 3 * labelled else 0
        order = sorted(range(len(drawn)), key=lambda k: -(ys[k] - xs[k]))[:count]
        place_labels(
            ax,
            [
                PointLabel(wrap_label(drawn[k][0], 24), xs[k], ys[k], f"tts-label:{k}")
                for k in order
            ],
            points=list(zip(xs, ys, strict=True)),
            fontsize=7,
        )
        return fig


__all__ = ["ScenarioCell", "scenario_heatmap_figure", "tts_ttr_figure"]
