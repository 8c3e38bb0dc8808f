"""The numeric model of a taxonomy the engine evaluates: anchors, weights, rule parameters and
the fixed layout (which indicator feeds which dimension, the gates' indicators, the types).

Every numeric parameter is an array with trailing broadcast axes, so the same engine evaluates
one assessment (shape (1,)), robustness draws (draws, 1) or per-row thresholds (rows,).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import numpy.typing as npt

from riskdesk.core.models import RiskType, TechCategory
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TYPE_ORDER: tuple[RiskType, ...] = tuple(RiskType)
TECH_ORDER: tuple[TechCategory, ...] = tuple(TechCategory)
STRATEGY_ORDER = ("gradient_cultivation", "defence", "reconstruction", "monitor")
NONE = -1
ROUTE_SWITCH = "route_switch"
TRANSFER = "transfer"
PROFILE_SOURCES = ("strategic_value", "generality")


def _param(value: float) -> FloatArray:
    return np.array([value], dtype=np.float64)


@dataclass(frozen=True)
class RuleParams:
    """The numeric thresholds and gate parameters of the rules (taxonomy `[scoring]`).

    Each field broadcasts against the batch: shape (1,) by default."""

    assign: FloatArray
    level_low: FloatArray
    level_medium: FloatArray
    level_high: FloatArray
    gap_min: FloatArray
    exposure_max: FloatArray
    dependence_min: FloatArray
    damping_base: FloatArray
    damping_slope: FloatArray
    unknown_exposure: FloatArray
    route_full_at: FloatArray
    route_unknown: FloatArray
    transfer_full_at: FloatArray
    transfer_unknown: FloatArray
    retained_rca_min: FloatArray
    retained_tc_min: FloatArray
    retained_factor: FloatArray
    importance_unknown: FloatArray
    priority_base: FloatArray
    priority_slope: FloatArray

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> RuleParams:
        s = taxonomy.scoring
        return cls(
            assign=_param(s.assign_threshold),
            level_low=_param(s.levels.low),
            level_medium=_param(s.levels.medium),
            level_high=_param(s.levels.high),
            gap_min=_param(s.normal_dependence.gap_min),
            exposure_max=_param(s.normal_dependence.exposure_max),
            dependence_min=_param(s.dependence.minimum),
            damping_base=_param(s.exposure_damping.base),
            damping_slope=_param(s.exposure_damping.slope),
            unknown_exposure=_param(s.exposure_damping.unknown_exposure),
            route_full_at=_param(s.route_switch_gate.full_at),
            route_unknown=_param(s.route_switch_gate.unknown),
            transfer_full_at=_param(s.transfer_gate.full_at),
            transfer_unknown=_param(s.transfer_gate.unknown),
            retained_rca_min=_param(s.retained_position.rca_min),
            retained_tc_min=_param(s.retained_position.tc_min),
            retained_factor=_param(s.retained_position.factor),
            importance_unknown=_param(s.importance.unknown),
            priority_base=_param(s.priority_score.base),
            priority_slope=_param(s.priority_score.slope),
        )

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))


@dataclass(frozen=True)
class Layout:
    """What the taxonomy fixes about the computation (never perturbed): which indicators feed
    which dimension, the gates' indicators, the types' dimensions."""

    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]  # the seven capability dimensions, then "exposure"
    feeds: tuple[tuple[int, ...], ...]  # per dimension: indicator rows with a positive weight
    type_columns: tuple[tuple[int, ...], ...]  # per type: its dimension columns
    aggregation: tuple[str, ...]  # per type
    damped: tuple[bool, ...]  # per type: multiplied by g(exposure)
    exposure: int
    route_column: int | None
    transfer_column: int | None
    route_gate: tuple[int, ...]
    route_combine: str
    transfer_gate: tuple[int, ...]
    transfer_combine: str
    rca: int | None
    tc: int | None
    dependence: int | None
    supplier_count: int | None
    importance_sources: tuple[str | int, ...]  # a profile field or an indicator row
    importance_low: FloatArray
    importance_span: FloatArray
    type_strategy: IntArray  # per type: index into STRATEGY_ORDER
    taxonomy: Taxonomy  # for the strategy rules (sub-strategy, priority mode)

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> Layout:
        dims = (*taxonomy.capability_dimensions, EXPOSURE)
        ids = taxonomy.indicator_ids
        index = {ind: j for j, ind in enumerate(ids)}
        rules = taxonomy.scoring
        feeds = tuple(
            tuple(j for j, ind in enumerate(taxonomy.indicators) if ind.weights.get(d, 0.0) > 0)
            for d in dims
        )
        specs = [taxonomy.type_by_id[t] for t in TYPE_ORDER]
        imp = rules.importance.inputs
        return cls(
            indicators=ids,
            dimensions=dims,
            feeds=feeds,
            type_columns=tuple(tuple(dims.index(d) for d in s.dimensions) for s in specs),
            aggregation=tuple(s.aggregation for s in specs),
            damped=tuple(s.damped_by_exposure for s in specs),
            exposure=dims.index(EXPOSURE),
            route_column=dims.index(ROUTE_SWITCH) if ROUTE_SWITCH in dims else None,
            transfer_column=dims.index(TRANSFER) if TRANSFER in dims else None,
            route_gate=tuple(index[i] for i in rules.route_switch_gate.indicators),
            route_combine=rules.route_switch_gate.combine,
            transfer_gate=tuple(index[i] for i in rules.transfer_gate.indicators),
            transfer_combine=rules.transfer_gate.combine,
            rca=index.get(rules.retained_position.rca_indicator),
            tc=index.get(rules.retained_position.tc_indicator),
            dependence=index.get(rules.dependence.indicator),
            supplier_count=index.get("supplier_count"),
            importance_sources=tuple(
                i.source if i.source in PROFILE_SOURCES else index[i.source] for i in imp
            ),
            importance_low=np.array([i.low for i in imp], dtype=np.float64),
            importance_span=np.array([i.high - i.low for i in imp], dtype=np.float64),
            type_strategy=np.array(
                [STRATEGY_ORDER.index(s.strategy) for s in specs], dtype=np.int64
            ),
            taxonomy=taxonomy,
        )

    def column(self, dimension: str) -> int:
        return self.dimensions.index(dimension)


@dataclass(frozen=True)
class WeightModel:
    """The numeric part of a taxonomy: anchors, weights and rule parameters.

    Arrays carry trailing broadcast axes: safe (indicators, *P), weights (indicators,
    dimensions, *P), where P is (1,) for one evaluation and (draws, 1) for robustness draws."""

    layout: Layout
    safe: FloatArray
    span: FloatArray  # critical − safe
    weights: FloatArray
    dimension_weights: tuple[FloatArray, ...]  # per type, over its dimensions
    route_gate_weights: FloatArray
    transfer_gate_weights: FloatArray
    importance_weights: FloatArray
    rules: RuleParams
    min_coverage: float
    taxonomy_sha256: str

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> WeightModel:
        layout = Layout.of(taxonomy)
        inds = taxonomy.indicators
        weights = np.array(
            [[i.weights.get(d, 0.0) for d in layout.dimensions] for i in inds], dtype=np.float64
        )
        rules = taxonomy.scoring
        return cls(
            layout=layout,
            safe=np.array([i.safe for i in inds], dtype=np.float64)[:, None],
            span=np.array([i.critical - i.safe for i in inds], dtype=np.float64)[:, None],
            weights=weights[:, :, None],
            dimension_weights=tuple(
                np.array(
                    [taxonomy.type_by_id[t].dimension_weights.get(d, 1.0) for d in spec.dimensions],
                    dtype=np.float64,
                )[:, None]
                for t, spec in ((t, taxonomy.type_by_id[t]) for t in TYPE_ORDER)
            ),
            route_gate_weights=np.array(
                list(rules.route_switch_gate.indicators.values()), dtype=np.float64
            )[:, None],
            transfer_gate_weights=np.array(
                list(rules.transfer_gate.indicators.values()), dtype=np.float64
            )[:, None],
            importance_weights=np.array(
                [i.weight for i in rules.importance.inputs], dtype=np.float64
            )[:, None],
            rules=RuleParams.from_taxonomy(taxonomy),
            min_coverage=rules.min_coverage,
            taxonomy_sha256=taxonomy.sha256,
        )

    @property
    def indicators(self) -> tuple[str, ...]:
        return self.layout.indicators

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.layout.dimensions

    def column(self, dimension: str) -> int:
        return self.layout.column(dimension)

    def base_weight(self, indicator: int, dimension: int) -> float:
        return float(self.weights[indicator, dimension].reshape(-1)[0])

    def with_rules(self, **changes: FloatArray) -> WeightModel:
        return replace(self, rules=replace(self.rules, **changes))


@dataclass
class Profile:
    """The profile columns the rules need, as arrays (one entry per row)."""

    tech_category: IntArray  # index into TECH_ORDER, NONE when unknown
    generality: FloatArray
    strategic_value: FloatArray
    supplier_count: FloatArray

    @classmethod
    def from_columns(
        cls,
        tech_category: npt.ArrayLike,
        generality: npt.ArrayLike,
        strategic_value: npt.ArrayLike,
        supplier_count: npt.ArrayLike,
    ) -> Profile:
        lookup = {t.value: k for k, t in enumerate(TECH_ORDER)}
        tech = np.array(
            [
                lookup.get(str(v), NONE) if isinstance(v, str) else NONE
                for v in np.asarray(tech_category)
            ],
            dtype=np.int64,
        )
        return cls(
            tech_category=tech,
            generality=np.asarray(generality, dtype=np.float64),
            strategic_value=np.asarray(strategic_value, dtype=np.float64),
            supplier_count=np.asarray(supplier_count, dtype=np.float64),
        )

    def take(self, rows: IntArray) -> Profile:
        """The profile of some rows."""
        return Profile(
            tech_category=self.tech_category[rows],
            generality=self.generality[rows],
            strategic_value=self.strategic_value[rows],
            supplier_count=self.supplier_count[rows],
        )
