"""Strategy blocks: what to do about one assigned type of one chain (SPEC §2.1, §11).

The engine classifies vectorised; the strategy of each assigned type, and the strategy that
follows from an analyst's decided type, come from here — one rule for both, so an override gets
exactly the strategy the engine would have given that type. Sub-strategy and priority mode belong
to gradient cultivation only (the strategy of `missing`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from riskdesk.core.models import Outcome, RiskType, TechCategory
from riskdesk.core.results import (
    ChainResult,
    DimensionScore,
    PriorityModeId,
    StrategyBlock,
    SubStrategyId,
)
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
MONITOR_OUTCOMES = (Outcome.NORMAL_DEPENDENCE, Outcome.MONITOR, Outcome.INSUFFICIENT_EVIDENCE)


@dataclass(frozen=True)
class StrategyInputs:
    """What the strategy rules read of one chain (or segment)."""

    dimensions: Mapping[str, DimensionScore]
    tech_category: str | None = None
    generality: float | None = None
    strategic_value: float | None = None
    supplier_count: float | None = None
    normal_dependence: bool = False
    gate_factors: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, result: ChainResult) -> StrategyInputs:
        suppliers = result.indicators.get("supplier_count")
        return cls(
            dimensions=result.dimension_scores,
            tech_category=result.tech_category,
            generality=None if result.generality is None else float(result.generality),
            strategic_value=(
                None if result.strategic_value is None else float(result.strategic_value)
            ),
            supplier_count=None if suppliers is None else suppliers.value,
            normal_dependence=result.normal_dependence,
            gate_factors={d: g.factor for d, g in result.gates.items()},
        )


PRIORITY_ORDER: tuple[PriorityModeId, ...] = ("government_led", "market_led")
SUB_STRATEGY_ORDER: tuple[SubStrategyId, ...] = (
    "leadership",
    "domestic_substitution",
    "asymmetric_advantage",
)
TECH_ORDER: tuple[TechCategory, ...] = tuple(TechCategory)
NONE = -1

_OPS: dict[str, Callable[[FloatArray, float], BoolArray]] = {
    ">=": np.greater_equal,
    "<=": np.less_equal,
    ">": np.greater,
    "<": np.less,
    "==": np.equal,
}


def priority_mode_codes(
    taxonomy: Taxonomy,
    generality: npt.ArrayLike,
    strategic_value: npt.ArrayLike,
    supplier_count: npt.ArrayLike,
) -> tuple[IntArray, BoolArray]:
    """The priority mode of gradient cultivation, vectorised (index into PRIORITY_ORDER).

    Government-led when every condition of the taxonomy's rule passes, market-led when one fails,
    else undetermined (NONE, with the flag): a condition's field is unknown and its rule says so.
    """
    columns = {
        "generality": np.asarray(generality, dtype=np.float64),
        "strategic_value": np.asarray(strategic_value, dtype=np.float64),
        "supplier_count": np.asarray(supplier_count, dtype=np.float64),
    }
    shape = np.broadcast_shapes(*(c.shape for c in columns.values()))
    failed = np.zeros(shape, dtype=bool)
    unknown = np.zeros(shape, dtype=bool)
    for cond in taxonomy.priority_rule.conditions:
        values = columns[cond.field]
        known = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            ok = np.asarray(_OPS[cond.op](values, cond.value), dtype=bool)
        if cond.when_unknown == "fail":
            failed = failed | ~(known & ok)
        else:
            failed = failed | (known & ~ok)
            if cond.when_unknown == "undetermined":
                unknown = unknown | ~known
    mode = np.where(failed, 1, np.where(unknown, NONE, 0)).astype(np.int64)
    return mode, ~failed & unknown


def sub_strategy_codes(
    taxonomy: Taxonomy, tech_category: npt.ArrayLike, mode: npt.ArrayLike
) -> IntArray:
    """Sub-strategy by technology category (emerging → leadership, core → domestic substitution,
    foundational → asymmetric advantage); mature only when government-led (index or NONE)."""
    by_tech = np.full(len(TECH_ORDER) + 1, NONE, dtype=np.int64)  # last slot: unknown category
    for sub in taxonomy.sub_strategies:
        for category in sub.tech_categories:
            by_tech[TECH_ORDER.index(category)] = SUB_STRATEGY_ORDER.index(sub.id)
    tech_codes = np.asarray(tech_category, dtype=np.int64)
    codes = by_tech[np.where(tech_codes == NONE, len(TECH_ORDER), tech_codes)]
    if taxonomy.priority_rule.mature_substitution_when_government_led:
        mature = tech_codes == TECH_ORDER.index(TechCategory.MATURE)
        gov = np.asarray(mode) == PRIORITY_ORDER.index("government_led")
        codes = np.where(
            mature & gov & (codes == NONE), SUB_STRATEGY_ORDER.index("domestic_substitution"), codes
        )
    return np.asarray(codes, dtype=np.int64)


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def priority_mode(taxonomy: Taxonomy, inputs: StrategyInputs) -> tuple[PriorityModeId | None, bool]:
    """One chain's priority mode and whether it is undetermined (the rule of
    `priority_mode_codes`, applied to one chain)."""
    mode, undetermined = priority_mode_codes(
        taxonomy,
        [_number(inputs.generality)],
        [_number(inputs.strategic_value)],
        [_number(inputs.supplier_count)],
    )
    code = int(mode[0])
    return (None if code == NONE else PRIORITY_ORDER[code]), bool(undetermined[0])


def sub_strategy(
    taxonomy: Taxonomy, tech_category: str | None, mode: PriorityModeId | None
) -> SubStrategyId | None:
    """One chain's sub-strategy (the rule of `sub_strategy_codes`)."""
    tech = {t.value: k for k, t in enumerate(TECH_ORDER)}.get(tech_category or "", NONE)
    mode_code = NONE if mode is None else PRIORITY_ORDER.index(mode)
    code = int(sub_strategy_codes(taxonomy, [tech], [mode_code])[0])
    return None if code == NONE else SUB_STRATEGY_ORDER[code]


def target_dimensions(
    taxonomy: Taxonomy,
    risk_type: RiskType,
    dimensions: Mapping[str, DimensionScore],
    gate_factors: Mapping[str, float] | None = None,
) -> list[str]:
    """The dimensions whose measures a type's strategy carries: its highest sufficient dimension
    and every other sufficient one at or above the assignment threshold, each as it counts after
    its gate (`gate_factors`, dimension -> factor). A type decided by the analyst without
    sufficient evidence falls back to its dimensions with a partial score, then to all of them,
    so the decided type always comes with measures."""
    threshold = taxonomy.scoring.assign_threshold
    own = taxonomy.type_by_id[risk_type].dimensions
    scored = [d for d in own if d in dimensions and dimensions[d].score is not None]
    sufficient = [d for d in scored if dimensions[d].sufficient]
    pool = sufficient or scored
    if not pool:
        return list(own)

    gates = gate_factors or {}

    def counted(d: str) -> float:
        # the score as it enters the type (after the route-switch or transfer gate)
        return float(dimensions[d].score or 0.0) * float(gates.get(d, 1.0))

    ranked = sorted(pool, key=lambda d: (-counted(d), own.index(d)))
    return [d for n, d in enumerate(ranked) if n == 0 or counted(d) >= threshold]


def strategy_block(taxonomy: Taxonomy, outcome: Outcome, inputs: StrategyInputs) -> StrategyBlock:
    """The strategy block for one type (or the monitor block for a non-type outcome)."""
    if outcome in MONITOR_OUTCOMES:
        targets = ["monitor"]
        if outcome == Outcome.NORMAL_DEPENDENCE or inputs.normal_dependence:
            targets.insert(0, "normal_dependence")
        return StrategyBlock(
            type=outcome, strategy="monitor", measures=measure_ids(taxonomy, targets)
        )
    risk_type = RiskType(outcome.value)
    spec = taxonomy.type_by_id[risk_type]
    strategy = taxonomy.strategy_by_id[spec.strategy].id
    targets = target_dimensions(taxonomy, risk_type, inputs.dimensions, inputs.gate_factors)
    sub: SubStrategyId | None = None
    mode: PriorityModeId | None = None
    note: str | None = None
    if strategy == "gradient_cultivation":
        mode, undetermined = priority_mode(taxonomy, inputs)
        sub = sub_strategy(taxonomy, inputs.tech_category, mode)
        if undetermined:
            from riskdesk.core.text import frame

            note = frame("en", "priority_undetermined")
        targets += [t for t in (sub, mode) if t is not None]
        exposure = inputs.dimensions.get(EXPOSURE)
        if (
            exposure is not None
            and exposure.sufficient
            and exposure.score is not None
            and exposure.score >= taxonomy.scoring.assign_threshold
        ):
            targets.append(EXPOSURE)
    return StrategyBlock(
        type=outcome,
        strategy=strategy,
        sub_strategy=sub,
        priority_mode=mode,
        priority_note=note,
        measures=measure_ids(taxonomy, targets),
    )


def strategy_blocks(
    taxonomy: Taxonomy, types: Iterable[Outcome], inputs: StrategyInputs
) -> list[StrategyBlock]:
    """One block per type, in the order given (primary first); a monitor block when empty."""
    blocks = [strategy_block(taxonomy, t, inputs) for t in dict.fromkeys(types)]
    return blocks or [strategy_block(taxonomy, Outcome.MONITOR, inputs)]


def measure_ids(taxonomy: Taxonomy, targets: Iterable[str]) -> list[str]:
    """Measure ids of the targets (dimension, sub-strategy, mode, 'monitor', …), de-duplicated."""
    seen: dict[str, None] = {}
    for target in targets:
        for m in taxonomy.measures_for(target):
            seen.setdefault(m.id)
    return list(seen)


def combined_measures(blocks: Iterable[StrategyBlock]) -> list[str]:
    """The chain's measure list: every block's measures, primary block first, de-duplicated."""
    seen: dict[str, None] = {}
    for block in blocks:
        for m in block.measures:
            seen.setdefault(m)
    return list(seen)
