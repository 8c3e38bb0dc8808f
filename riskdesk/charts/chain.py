"""Figures about one chain: type scores, dimension scores with coverage, exposure, radar, trends."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from riskdesk.charts.style import (
    EDGE,
    GRID,
    HATCH_EDGE,
    INK,
    INSUFFICIENT_COLOUR,
    MUTED,
    TYPE_COLOURS,
    chart_style,
    marker_code,
    new_figure,
    no_data,
    wrap_label,
)
from riskdesk.core.inventory import SeriesPoint
from riskdesk.core.models import Lang, RiskType
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

_T = {
    "type_scores": ("三类能力风险得分", "Scores of the three capability types"),
    "dimensions": ("关键维度得分与证据覆盖", "Key-dimension scores and evidence coverage"),
    "exposure": ("供给风险暴露", "Supply exposure"),
    "radar": ("类型得分雷达图", "Type-score radar"),
    "trend": ("贸易竞争力指标变化", "Trade indicators over time"),
    "no_score": ("无得分", "no score"),
    "insufficient": ("证据不足", "insufficient evidence"),
    "coverage": ("覆盖", "coverage"),
    "missing": ("缺失", "missing"),
    "gate": ("暴露门", "gate"),
    "score": ("得分", "score"),
    "risk": ("风险分", "risk"),
    "year": ("年份", "year"),
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _T[key]
    return zh if lang == "zh" else en


def _level_guides(ax: object, taxonomy: Taxonomy, *, vertical: bool = True) -> None:
    levels = taxonomy.scoring.levels
    for x in (levels.low, levels.medium, levels.high):
        if vertical:
            ax.axvline(x, color=GRID, linewidth=0.8, linestyle="--", zorder=0)  # type: ignore[attr-defined]
        else:
            ax.axhline(x, color=GRID, linewidth=0.8, linestyle="--", zorder=0)  # type: ignore[attr-defined]


def _tick_labels(ax: Axes, labels: Sequence[str], kinds: Sequence[str], size: float) -> None:
    """Wrapped y tick labels, each followed by its type's marker shape (hue is never alone)."""
    ax.set_yticks(range(len(labels)), [wrap_label(lb, 24) for lb in labels], fontsize=size)
    ax.tick_params(axis="y", pad=11, length=0)
    left = blended_transform_factory(ax.transAxes, ax.transData)
    for i, kind in enumerate(kinds):
        ax.plot([-0.022], [i], marker=marker_code(kind), markersize=5.5, linestyle="",
                color=TYPE_COLOURS[kind], markeredgecolor=EDGE, markeredgewidth=0.5,
                transform=left, clip_on=False)  # fmt: skip


def _value_column(ax: Axes, i: float, text: str, size: float, colour: str = INK) -> None:
    """A bar's value in a column right of the frame: never under a guide line or the frame."""
    right = blended_transform_factory(ax.transAxes, ax.transData)
    ax.text(1.02, i, text, va="center", ha="left", fontsize=size, color=colour, transform=right)


def type_scores_figure(
    result: ChainResult, taxonomy: Taxonomy, lang: Lang, *, size: tuple[float, float] = (5.2, 2.0)
) -> Figure:
    """Horizontal bars of the three type scores; a type without a score says so, never 0."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        types = list(RiskType)
        labels = [taxonomy.label(t, lang) for t in types]
        for i, t in enumerate(types):
            score = result.type_scores.get(t)
            if score is None:
                _value_column(ax, i, _t("no_score", lang), 8.5, MUTED)
                continue
            ax.barh(i, score, color=TYPE_COLOURS[t], height=0.6, edgecolor=EDGE, linewidth=0.4)
            _value_column(ax, i, f"{score:.2f}", 8.5)
        _level_guides(ax, taxonomy)
        _tick_labels(ax, labels, [t.value for t in types], 8.5)
        ax.set_ylim(len(types) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_xlabel(_t("score", lang))
        ax.set_title(_t("type_scores", lang))
        return fig


def dimension_scores_figure(
    result: ChainResult, taxonomy: Taxonomy, lang: Lang, *, size: tuple[float, float] = (6.0, 3.2)
) -> Figure:
    """Bars per key dimension (and the exposure gate); insufficient evidence hatched in grey."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        dims = [*taxonomy.capability_dimensions, EXPOSURE]
        for i, dim in enumerate(dims):
            ds = result.dimension_scores.get(dim)
            owner = taxonomy.dimension_by_id[dim].type
            colour = TYPE_COLOURS[owner]
            if ds is None or ds.score is None:
                _value_column(ax, i, _t("missing", lang), 7.5, MUTED)
                continue
            if ds.sufficient:
                ax.barh(i, ds.score, color=colour, height=0.6, edgecolor=EDGE, linewidth=0.4)
            else:
                ax.barh(
                    i,
                    ds.score,
                    color=INSUFFICIENT_COLOUR,
                    edgecolor=HATCH_EDGE,
                    hatch="///",
                    height=0.6,
                )
            note = f"{ds.score:.2f}  {_t('coverage', lang)} {ds.coverage:.0%}"
            if not ds.sufficient:
                note += f" · {_t('insufficient', lang)}"
            _value_column(ax, i, note, 7.5, INK if ds.sufficient else MUTED)
        _level_guides(ax, taxonomy)
        owners = [str(taxonomy.dimension_by_id[d].type) for d in dims]
        _tick_labels(ax, [taxonomy.label(d, lang) for d in dims], owners, 7.5)
        ax.set_ylim(len(dims) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_title(_t("dimensions", lang))
        return fig


def exposure_figure(
    result: ChainResult, taxonomy: Taxonomy, lang: Lang, *, size: tuple[float, float] = (5.2, 2.4)
) -> Figure:
    """Risk sub-scores of the exposure indicators, with the gate value as a line."""
    with chart_style():
        fig = new_figure(*size)
        ids = [i.id for i in taxonomy.indicators if i.weights.get(EXPOSURE, 0) > 0]
        if result.exposure is None and not any(
            (r := result.indicators.get(i)) is not None and r.risk is not None for i in ids
        ):
            return no_data(fig, lang)
        ax = fig.add_subplot()
        labels: list[str] = []
        for k, ind in enumerate(ids):
            res = result.indicators.get(ind)
            # The value ends its label (left of the axis): nothing is written over the bars,
            # the gate line or the frame, whatever margins the caller gives the axes.
            if res is None or res.risk is None:
                value = _t("missing", lang)
            else:
                value = f"{res.risk:.2f}"
                ax.barh(k, res.risk, color=TYPE_COLOURS[EXPOSURE], height=0.6, edgecolor=EDGE,
                        linewidth=0.4)  # fmt: skip
            labels.append(f"{wrap_label(taxonomy.label(ind, lang), 22)}  {value}")
        title = _t("exposure", lang)
        if result.exposure is not None:
            # The gate's value is said in the title, not written over the bars or the title.
            dash = (0, (4, 1.5))
            ax.axvline(result.exposure, color=INK, linewidth=1.4, linestyle=dash)
            title += (
                f"（虚线：{_t('gate', lang)} {result.exposure:.2f}）"
                if lang == "zh"
                else f" (dashed: {_t('gate', lang)} {result.exposure:.2f})"
            )
        ax.set_yticks(range(len(ids)), labels, fontsize=7.5)
        ax.set_ylim(len(ids) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_xlabel(_t("risk", lang))
        ax.set_title(title)
        return fig


def radar_figure(
    result: ChainResult, taxonomy: Taxonomy, lang: Lang, *, size: tuple[float, float] = (3.2, 3.2)
) -> Figure:
    """Radar of the three type scores; the polygon is drawn only when all three exist."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot(projection="polar")
        types = list(RiskType)
        angles = [math.pi / 2 + 2 * math.pi * k / len(types) for k in range(len(types))]
        scores = [result.type_scores.get(t) for t in types]
        labels = [
            wrap_label(taxonomy.label(t, lang), 12)
            + ("" if s is not None else f"\n({_t('missing', lang)})")
            for t, s in zip(types, scores, strict=True)
        ]
        ax.set_xticks(angles, labels)
        # Each name grows away from the circle (left of the left corner, right of the right one)
        # instead of being centred on it, so a wrapped name does not run over the frame.
        ax.tick_params(axis="x", pad=2, labelsize=7.5)
        for angle, tick in zip(angles, ax.get_xticklabels(), strict=True):
            dx, dy = math.cos(angle), math.sin(angle)
            tick.set_horizontalalignment("left" if dx > 0.2 else "right" if dx < -0.2 else "center")
            tick.set_verticalalignment("bottom" if dy > 0.2 else "top" if dy < -0.2 else "center")
        ax.set_ylim(0, 1)
        ax.set_yticks([0.3, 0.5, 0.75], ["0.3", "0.5", "0.75"], fontsize=7, color=MUTED)
        present = [(a, s) for a, s in zip(angles, scores, strict=True) if s is not None]
        if len(present) == len(types):
            xs = [a for a, _ in present] + [present[0][0]]
            ys = [s for _, s in present] + [present[0][1]]
            ax.fill(xs, ys, color=MUTED, alpha=0.15)
            ax.plot(xs, ys, color=INK, linewidth=1.2)
        for (a, s), t in zip(
            present, [t for t, s in zip(types, scores, strict=True) if s is not None], strict=True
        ):
            ax.plot([a], [s], marker=marker_code(t), markersize=7, linestyle="",
                    color=TYPE_COLOURS[t], markeredgecolor=EDGE, markeredgewidth=0.6)  # fmt: skip
        ax.set_title(_t("radar", lang), pad=12)
        return fig


# Reference bands of paper 000: RCA > 1.25 advantage, 0.8–1.25 average; TC > 0 net exporter.
_TREND_GUIDES: dict[str, tuple[float, ...]] = {"tc_index": (0.0,), "rca_index": (0.8, 1.25)}


def trend_figure(
    series: Mapping[str, Sequence[SeriesPoint]],
    taxonomy: Taxonomy,
    lang: Lang,
    *,
    size: tuple[float, float] = (6.0, 2.6),
) -> Figure:
    """One panel per indicator with yearly points (TC, RCA, …); years without data stay gaps."""
    with chart_style():
        fig = new_figure(*size)
        items = [(k, sorted(v, key=lambda p: p.year)) for k, v in series.items() if v]
        if not items:
            return no_data(fig, lang)
        axes = fig.subplots(1, len(items), squeeze=False)[0]
        for ax, (ind, points) in zip(axes, items, strict=True):
            years = [p.year for p in points]
            ax.plot(years, [p.value for p in points], "o-", color=INK, markersize=3)
            for y in _TREND_GUIDES.get(ind, ()):
                ax.axhline(y, color=HATCH_EDGE, linewidth=0.8, linestyle="--")
            ax.set_title(wrap_label(taxonomy.label(ind, lang), 30), fontsize=8.5)
            ax.set_xticks(sorted(set(years)))
            ax.tick_params(axis="x", labelrotation=45, labelsize=7)
            ax.grid(axis="y", color=GRID, linewidth=0.5)
        fig.suptitle(_t("trend", lang), fontsize=9.5)
        return fig
