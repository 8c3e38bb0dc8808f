"""Figures about a selection of chains: distribution by type and level, the risk matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure

from riskdesk.charts.labels import PointLabel, guide_boxes, place_labels
from riskdesk.charts.style import (
    EDGE,
    GRID,
    INK,
    LEVEL_COLOURS,
    MUTED,
    NO_LEVEL_COLOUR,
    OUTCOME_COLOURS,
    chart_style,
    marker_code,
    new_figure,
    no_data,
    wrap_label,
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
            ax.bar(
                range(len(outcomes)),
                heights,
                bottom=bottoms,
                color=LEVEL_COLOURS[level] if level is not None else NO_LEVEL_COLOUR,
                hatch=None if level is not None else "///",
                edgecolor=EDGE,
                linewidth=0.4,
                label=_level_label(level, lang),
                width=0.6,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for x, total in enumerate(bottoms):
            ax.text(x, total, str(total), ha="center", va="bottom", fontsize=8, color=INK)
        # Wrapped, not rotated: the last label ("No dominant risk; monitor") ran off the frame.
        labels = [wrap_label(taxonomy.label(o, lang), 16) for o in outcomes]
        ax.set_xticks(range(len(outcomes)), labels, fontsize=7.5)
        ax.set_ylabel("链条数" if lang == "zh" else "chains")
        ax.set_ylim(0, max(bottoms) * 1.18 + 0.5)
        # Beside the plot, most severe on top as in the stacks; it never covers a bar or a count.
        handles, names = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], names[::-1], fontsize=7.5, frameon=False,
                   loc="outside right upper")  # fmt: skip
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ax.set_title(
            "按主要类型和风险等级分布" if lang == "zh" else "Chains by primary type and risk level"
        )
        return fig


def _spot(r: ChainResult) -> tuple[float, float]:
    """Where a chain is drawn, to the half-percent: chains closer than that share one marker."""
    return round((r.gap or 0.0) * 200) / 200, round((r.exposure or 0.0) * 200) / 200


def _point_labels(ranked: Sequence[ChainResult], limit: int, lang: Lang) -> list[PointLabel]:
    """Names of the `limit` highest-ranked points. Chains drawn on the same spot are one point:
    the highest-ranked one's name says how many chains are there, and the label's gid lists
    them all."""
    groups: dict[tuple[float, float], list[ChainResult]] = {}
    for r in ranked:
        spot = _spot(r)
        if spot in groups:
            groups[spot].append(r)
        elif len(groups) < limit:
            groups[spot] = [r]
    out: list[PointLabel] = []
    for members in groups.values():
        first, count = members[0], len(members)
        name = first.chain_name if first.segment is None else f"{first.chain_name}·{first.segment}"
        if count > 1:
            name += f" 等 {count} 条" if lang == "zh" else f" and {count - 1} more"
        ids = ",".join(r.chain_id + ("" if r.segment is None else f":{r.segment}") for r in members)
        out.append(
            PointLabel(
                wrap_label(name, 16 if lang == "zh" else 18),
                first.gap or 0.0,
                first.exposure or 0.0,
                "matrix-label:" + ids,
            )
        )
    return out


def risk_matrix_figure(
    results: Sequence[ChainResult],
    taxonomy: Taxonomy,
    lang: Lang,
    *,
    size: tuple[float, float] = (6.4, 4.2),
    max_labels: int = 25,
) -> Figure:
    """Capability gap (x) against supply exposure (y); the normal-dependence corner is marked.

    Chains lacking either value are not plotted (the title counts them). Each outcome has its
    colour and its marker shape. The `max_labels` highest-scoring points are named, placed clear
    of each other, the frame and the guide lines; the placed names are Texts whose gid is
    `matrix-label:<chain id>[:<segment>],…` (chains on one spot share one name that counts
    them); the rest of the chains are left to a table.
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
        captions = [
            ax.text(rule.gap_min + 0.01, 0.01, taxonomy.label("normal_dependence", lang),
                    ha="left", va="bottom", fontsize=7.5, color=MUTED, style="italic"),
            ax.text(rule.gap_min + 0.01, 1.0,
                    "卡脖子风险区" if lang == "zh" else "chokepoint zone",
                    ha="left", va="top", fontsize=7.5, color=MUTED, style="italic"),
        ]  # fmt: skip
        for outcome in OUTCOME_ORDER:
            pts = [r for r in plotted if r.primary_type == outcome]
            if pts:
                ax.scatter(
                    [r.gap or 0.0 for r in pts],
                    [r.exposure or 0.0 for r in pts],
                    s=30,
                    marker=marker_code(outcome),
                    color=OUTCOME_COLOURS[outcome],
                    label=taxonomy.label(outcome, lang),
                    edgecolors=EDGE,
                    linewidths=0.5,
                    zorder=3,
                )
        # A little room beyond 0 and 1, so a point on the edge is drawn whole inside the frame.
        ax.set_xlim(-0.03, 1.04)
        ax.set_ylim(-0.03, 1.04)
        ax.set_xlabel(
            "能力缺口（能力缺失型最高维度）"
            if lang == "zh"
            else "Capability gap (highest 'missing' dimension)"
        )
        ax.set_ylabel(taxonomy.label("exposure", lang))
        # Outside the plot, below it: the legend (with each outcome's shape) covers no point.
        fig.legend(fontsize=7, frameon=False, loc="outside lower center", ncols=3,
                   handletextpad=0.3, columnspacing=1.0)  # fmt: skip
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
        ax.set_title(title, pad=8)
        ranked = sorted(plotted, key=lambda r: (-(r.primary_score or 0.0), r.chain_id))
        place_labels(
            ax,
            _point_labels(ranked, max_labels, lang),
            points=[(r.gap or 0.0, r.exposure or 0.0) for r in plotted],
            obstacles=lambda: [
                *guide_boxes(ax, [rule.gap_min], [rule.exposure_max]),
                *(c.get_window_extent() for c in captions),
            ],
        )
        return fig
