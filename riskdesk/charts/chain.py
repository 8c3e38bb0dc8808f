"""Figures about one chain: type scores, dimension scores with coverage, exposure, radar, trends."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from riskdesk.charts.style import (
    GRID,
    INK,
    INSUFFICIENT_COLOUR,
    TYPE_COLOURS,
    chart_style,
    new_figure,
    no_data,
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
                ax.text(0.01, i, _t("no_score", lang), va="center", color="#7f8c8d")
                continue
            ax.barh(i, score, color=TYPE_COLOURS[t], height=0.6)
            ax.text(min(score + 0.01, 0.9), i, f"{score:.2f}", va="center", color=INK)
        _level_guides(ax, taxonomy)
        ax.set_yticks(range(len(types)), labels)
        ax.invert_yaxis()
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
                ax.text(0.01, i, _t("missing", lang), va="center", color="#7f8c8d")
                continue
            if ds.sufficient:
                ax.barh(i, ds.score, color=colour, height=0.6)
            else:
                ax.barh(
                    i,
                    ds.score,
                    color=INSUFFICIENT_COLOUR,
                    edgecolor="#909497",
                    hatch="///",
                    height=0.6,
                )
            note = f"{ds.score:.2f}  {_t('coverage', lang)} {ds.coverage:.0%}"
            if not ds.sufficient:
                note += f" · {_t('insufficient', lang)}"
            ax.text(min(ds.score + 0.01, 0.55), i, note, va="center", fontsize=7.5, color=INK)
        _level_guides(ax, taxonomy)
        ax.set_yticks(range(len(dims)), [taxonomy.label(d, lang) for d in dims], fontsize=7.5)
        ax.invert_yaxis()
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
        for k, ind in enumerate(ids):
            res = result.indicators.get(ind)
            if res is None or res.risk is None:
                ax.text(0.01, k, _t("missing", lang), va="center", color="#7f8c8d", fontsize=7.5)
                continue
            ax.barh(k, res.risk, color=TYPE_COLOURS[EXPOSURE], alpha=0.8, height=0.6)
            ax.text(
                min(res.risk + 0.01, 0.92), k, f"{res.risk:.2f}", va="center", fontsize=7, color=INK
            )
        if result.exposure is not None:
            ax.axvline(result.exposure, color=INK, linewidth=1.4)
            ax.text(
                result.exposure,
                -0.7,
                f"{_t('gate', lang)} {result.exposure:.2f}",
                ha="center",
                fontsize=7.5,
                color=INK,
            )
        ax.set_yticks(range(len(ids)), [taxonomy.label(i, lang) for i in ids], fontsize=7.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel(_t("risk", lang))
        ax.set_title(_t("exposure", lang), pad=14)
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
            taxonomy.label(t, lang) + ("" if s is not None else f"\n({_t('missing', lang)})")
            for t, s in zip(types, scores, strict=True)
        ]
        ax.set_xticks(angles, labels)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.3, 0.5, 0.75], ["0.3", "0.5", "0.75"], fontsize=7, color="#7f8c8d")
        present = [(a, s) for a, s in zip(angles, scores, strict=True) if s is not None]
        if len(present) == len(types):
            xs = [a for a, _ in present] + [present[0][0]]
            ys = [s for _, s in present] + [present[0][1]]
            ax.fill(xs, ys, color="#1f618d", alpha=0.2)
            ax.plot(xs, ys, color="#1f618d", linewidth=1.5)
        for (a, s), t in zip(
            present, [t for t, s in zip(types, scores, strict=True) if s is not None], strict=True
        ):
            ax.plot([a], [s], "o", color=TYPE_COLOURS[t])
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
            ax.plot(years, [p.value for p in points], "o-", color="#1f618d", markersize=3)
            for y in _TREND_GUIDES.get(ind, ()):
                ax.axhline(y, color="#909497", linewidth=0.8, linestyle="--")
            ax.set_title(taxonomy.label(ind, lang), fontsize=8.5)
            ax.set_xticks(sorted(set(years)))
            ax.tick_params(axis="x", labelrotation=45, labelsize=7)
            ax.grid(axis="y", color=GRID, linewidth=0.5)
        fig.suptitle(_t("trend", lang), fontsize=9.5)
        return fig
