"""Figures about a selection of chains: distribution by type and level, the risk matrix."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure

from riskdesk.charts.style import (
    GRID,
    INK,
    LEVEL_COLOURS,
    OUTCOME_COLOURS,
    chart_style,
    new_figure,
    no_data,
)
from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER, Lang
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import Taxonomy

_LEVEL_LABELS = {
    "low": ("低", "low"),
    "medium": ("中", "medium"),
    "high": ("高", "high"),
    "critical": ("极高", "critical"),
    None: ("无等级", "no level"),
}


def _level_label(level: str | None, lang: Lang) -> str:
    zh, en = _LEVEL_LABELS[level]
    return zh if lang == "zh" else en


def distribution_figure(
    results: Sequence[ChainResult],
    taxonomy: Taxonomy,
    lang: Lang,
    *,
    size: tuple[float, float] = (6.4, 3.0),
) -> Figure:
    """Stacked bars: chains per primary outcome, split by the primary type's risk level."""
    with chart_style():
        fig = new_figure(*size)
        if not results:
            return no_data(fig, lang)
        counts = Counter((r.primary_type.value, r.primary_level) for r in results)
        outcomes = [o.value for o in OUTCOME_ORDER if any(k[0] == o.value for k in counts)]
        ax = fig.add_subplot()
        bottoms = [0] * len(outcomes)
        for level in [*LEVEL_ORDER, None]:
            heights = [counts.get((o, level), 0) for o in outcomes]
            if not any(heights):
                continue
            colour = LEVEL_COLOURS[level] if level is not None else "#bfc9ca"
            ax.bar(
                range(len(outcomes)),
                heights,
                bottom=bottoms,
                color=colour,
                label=_level_label(level, lang),
                width=0.6,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for x, total in enumerate(bottoms):
            ax.text(x, total, str(total), ha="center", va="bottom", fontsize=8, color=INK)
        # Wrapped, not rotated: the last label ("No dominant risk; monitor") ran off the frame.
        labels = [textwrap.fill(taxonomy.label(o, lang), 16) for o in outcomes]
        ax.set_xticks(range(len(outcomes)), labels, fontsize=7.5)
        ax.set_ylabel("链条数" if lang == "zh" else "chains")
        ax.set_ylim(0, max(bottoms) * 1.18 + 0.5)
        ax.legend(fontsize=7.5, frameon=False, ncols=5, loc="upper right")
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ax.set_title(
            "按主要类型和风险等级分布" if lang == "zh" else "Chains by primary type and risk level"
        )
        return fig


def risk_matrix_figure(
    results: Sequence[ChainResult],
    taxonomy: Taxonomy,
    lang: Lang,
    *,
    size: tuple[float, float] = (6.4, 4.2),
    max_labels: int = 25,
) -> Figure:
    """Capability gap (x) against supply exposure (y); the normal-dependence corner is marked.

    Chains lacking either value are not plotted (the caption counts them); only the
    `max_labels` highest-scoring points are labelled so a large portfolio stays readable.
    """
    with chart_style():
        fig = new_figure(*size)
        plotted = [r for r in results if r.gap is not None and r.exposure is not None]
        if not plotted:
            return no_data(fig, lang)
        ax = fig.add_subplot()
        rule = taxonomy.scoring.normal_dependence
        ax.axvline(rule.gap_min, color=GRID, linestyle="--", linewidth=0.9)
        ax.axhline(rule.exposure_max, color=GRID, linestyle="--", linewidth=0.9)
        # Captions sit at the inner corner of their quadrant, where points are rarest.
        ax.text(
            rule.gap_min + 0.01,
            0.01,
            taxonomy.label("normal_dependence", lang),
            ha="left",
            va="bottom",
            fontsize=7.5,
            color="#1e8449",
        )
        ax.text(
            rule.gap_min + 0.01,
            1.0,
            "卡脖子风险区" if lang == "zh" else "chokepoint zone",
            ha="left",
            va="top",
            fontsize=7.5,
            color="#b03a2e",
        )
        for outcome in OUTCOME_ORDER:
            pts = [r for r in plotted if r.primary_type == outcome]
            if pts:
                ax.scatter(
                    [r.gap or 0.0 for r in pts],
                    [r.exposure or 0.0 for r in pts],
                    s=28,
                    color=OUTCOME_COLOURS[outcome],
                    label=taxonomy.label(outcome, lang),
                    edgecolors="white",
                    linewidths=0.5,
                    zorder=3,
                )
        ranked = sorted(plotted, key=lambda r: (-(r.primary_score or 0.0), r.chain_id))
        for r in ranked[:max_labels]:
            name = r.chain_name if r.segment is None else f"{r.chain_name}·{r.segment}"
            ax.annotate(
                name,
                (r.gap or 0.0, r.exposure or 0.0),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=6.5,
                color=INK,
            )
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(
            "能力缺口（能力缺失型最高维度）"
            if lang == "zh"
            else "Capability gap (highest 'missing' dimension)"
        )
        ax.set_ylabel(taxonomy.label("exposure", lang))
        ax.legend(fontsize=7, frameon=False, loc="upper left")
        left_out = len(results) - len(plotted)
        title = (
            "风险矩阵：能力缺口 × 供给暴露"
            if lang == "zh"
            else "Risk matrix: capability gap × exposure"
        )
        if left_out:
            title += (
                f"（{left_out} 条缺少数据未绘出）"
                if lang == "zh"
                else f" ({left_out} without data not shown)"
            )
        ax.set_title(title)
        return fig
