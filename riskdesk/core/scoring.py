"""The vectorised engine: anchors → risk sub-scores → dimensions → exposure gate → types → outcome.

Every step works on whole numpy columns; there is no Python loop over chains. Loops run over the
taxonomy (indicators × dimensions, a few dozen pairs) with elementwise operations only, so a row's
result depends on that row alone — bit for bit, whatever else is in the file or in which order
(SPEC §5 properties). `riskdesk.core.reference` applies the same rules row by row in plain Python,
in the same order of floating-point operations, as an oracle for tests and the benchmark.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from riskdesk.core.models import OUTCOME_ORDER, Outcome, RiskType, TechCategory
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TYPE_ORDER: tuple[RiskType, ...] = tuple(RiskType)
TECH_ORDER: tuple[TechCategory, ...] = tuple(TechCategory)
STRATEGY_ORDER = ("gradient_cultivation", "defence", "reconstruction", "monitor")
SUB_STRATEGY_ORDER = ("leadership", "domestic_substitution", "asymmetric_advantage")
PRIORITY_ORDER = ("government_led", "market_led")
NONE = -1
# Relative tolerance when comparing a coverage with the threshold, so 0.5 written as a sum of
# weights like 0.35 + 0.15 is not lost to rounding.
COVERAGE_EPS = 1e-9

_OPS: dict[str, Callable[[FloatArray, float], object]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True)
class WeightModel:
    """The numeric part of a taxonomy: anchors and weights, in fixed indicator/dimension order."""

    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]  # the seven capability dimensions, then "exposure"
    safe: FloatArray
    span: FloatArray  # critical − safe
    weights: FloatArray  # (indicators × dimensions)
    dimension_weights: dict[RiskType, FloatArray]  # per type, over its dimensions

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> WeightModel:
        dims = (*taxonomy.capability_dimensions, EXPOSURE)
        inds = taxonomy.indicators
        weights = np.array([[i.weights.get(d, 0.0) for d in dims] for i in inds], dtype=np.float64)
        dim_weights = {
            t.id: np.array(
                [t.dimension_weights.get(d, 1.0) for d in t.dimensions], dtype=np.float64
            )
            for t in taxonomy.types
        }
        return cls(
            indicators=taxonomy.indicator_ids,
            dimensions=dims,
            safe=np.array([i.safe for i in inds], dtype=np.float64),
            span=np.array([i.critical - i.safe for i in inds], dtype=np.float64),
            weights=weights,
            dimension_weights=dim_weights,
        )

    def perturbed(self, rng: np.random.Generator, spread: float) -> WeightModel:
        """Every positive weight multiplied by a factor drawn from U[1 − spread, 1 + spread]."""
        factors = rng.uniform(1.0 - spread, 1.0 + spread, size=self.weights.shape)
        dim_weights = {
            t: w * rng.uniform(1.0 - spread, 1.0 + spread, size=w.shape)
            for t, w in self.dimension_weights.items()
        }
        return replace(self, weights=self.weights * factors, dimension_weights=dim_weights)

    def column(self, dimension: str) -> int:
        return self.dimensions.index(dimension)


@dataclass
class Profile:
    """The profile columns the strategy rules need, as arrays."""

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


@dataclass
class Classification:
    """Outcome arrays, for rows or rolled-up chains."""

    type_score: FloatArray  # (n × 3), NaN = no score
    gap: FloatArray
    exposure: FloatArray  # NaN when the gate lacks evidence
    level: IntArray  # (n × 3) index into LEVEL_ORDER, NONE when no score
    assigned: BoolArray  # (n × 3)
    normal_dependence: BoolArray
    outcome: IntArray  # index into OUTCOME_ORDER
    tie: BoolArray
    strategy: IntArray  # index into STRATEGY_ORDER
    sub_strategy: IntArray  # index into SUB_STRATEGY_ORDER or NONE
    priority: IntArray  # index into PRIORITY_ORDER or NONE (not applicable or undetermined)
    priority_undetermined: BoolArray

    def outcome_ids(self) -> list[Outcome]:
        return [OUTCOME_ORDER[k] for k in self.outcome]


@dataclass
class ScoreTable:
    """Row-level results (one row per chain or chain × segment)."""

    risk: FloatArray  # (n × indicators), NaN = missing
    dim_score: FloatArray  # (n × dimensions), partial score even when insufficient
    coverage: FloatArray
    sufficient: BoolArray
    driving: IntArray  # (n × 3) dimension column driving each type, NONE if none
    classification: Classification


def risk_scores(values: FloatArray, model: WeightModel) -> FloatArray:
    """Linear risk between the anchors, clipped to [0, 1]; NaN stays NaN (missing is not zero)."""
    with np.errstate(invalid="ignore"):
        r = (values - model.safe) / model.span
        return np.clip(r, 0.0, 1.0)


def dimension_scores(risk: FloatArray, model: WeightModel) -> tuple[FloatArray, FloatArray]:
    """Weighted mean of present risks per dimension, and coverage = present weight / total weight."""
    n, n_dims = risk.shape[0], len(model.dimensions)
    present = ~np.isnan(risk)
    # One contiguous row per indicator; a missing value contributes exactly 0.0 (x + 0.0 == x).
    # (A column-major input makes these transposes free.)
    risk_by_indicator = np.ascontiguousarray(np.where(present, risk, 0.0).T)
    present_by_indicator = np.ascontiguousarray(present.T, dtype=np.float64)
    score = np.full((n, n_dims), np.nan)
    coverage = np.zeros((n, n_dims))
    for d in range(n_dims):
        num = np.zeros(n)
        den = np.zeros(n)
        total = 0.0
        for j in np.flatnonzero(model.weights[:, d] > 0):
            w = float(model.weights[j, d])
            total += w
            num += risk_by_indicator[j] * w
            den += present_by_indicator[j] * w
        with np.errstate(invalid="ignore", divide="ignore"):
            score[:, d] = np.where(den > 0, num / den, np.nan)
        coverage[:, d] = den / total
    return score, coverage


def _aggregate(values: FloatArray, weights: FloatArray, how: str) -> FloatArray:
    """Aggregate dimension scores (NaN = no evidence) into a type score."""
    if how == "max":
        return np.fmax.reduce(values, axis=1) if values.shape[1] else np.full(len(values), np.nan)
    num = np.zeros(len(values))
    den = np.zeros(len(values))
    for k in range(values.shape[1]):
        ok = ~np.isnan(values[:, k])
        num += np.where(ok, values[:, k] * weights[k], 0.0)
        den += np.where(ok, weights[k], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _first_argmax(values: FloatArray) -> IntArray:
    """Column of the highest non-NaN value (first on ties), NONE when the row is all NaN."""
    filled = np.where(np.isnan(values), -np.inf, values)
    idx = np.argmax(filled, axis=1).astype(np.int64)
    return np.where(np.all(np.isnan(values), axis=1), NONE, idx)


def type_scores(
    effective: FloatArray, model: WeightModel, taxonomy: Taxonomy
) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
    """Type scores (n × 3), the capability gap, the exposure used, and each type's driving column.

    `effective` holds dimension scores with insufficient ones set to NaN.
    """
    n = effective.shape[0]
    scores = np.full((n, len(TYPE_ORDER)), np.nan)
    driving = np.full((n, len(TYPE_ORDER)), NONE, dtype=np.int64)
    exposure = effective[:, model.column(EXPOSURE)]
    gap = np.full(n, np.nan)
    damping = taxonomy.scoring.exposure_damping
    for k, t in enumerate(TYPE_ORDER):
        spec = taxonomy.type_by_id[t]
        cols = [model.column(d) for d in spec.dimensions]
        block = effective[:, cols]
        agg = _aggregate(block, model.dimension_weights[t], spec.aggregation)
        local = _first_argmax(block)
        driving[:, k] = np.where(local == NONE, NONE, np.asarray(cols, dtype=np.int64)[local])
        if spec.damped_by_exposure:
            gap = agg
            e = np.where(np.isnan(exposure), damping.unknown_exposure, exposure)
            agg = agg * (damping.base + damping.slope * e)
        scores[:, k] = agg
    return scores, gap, exposure, driving


def risk_levels(scores: FloatArray, taxonomy: Taxonomy) -> IntArray:
    lv = taxonomy.scoring.levels
    with np.errstate(invalid="ignore"):
        code = (scores >= lv.low).astype(np.int64) + (scores >= lv.medium) + (scores >= lv.high)
    return np.where(np.isnan(scores), NONE, code)


def _priority(profile: Profile, taxonomy: Taxonomy) -> tuple[IntArray, BoolArray]:
    """Government-led when every condition passes; market-led when one fails; else undetermined."""
    n = len(profile.generality)
    failed = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    for cond in taxonomy.priority_rule.conditions:
        values = getattr(profile, cond.field)
        known = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            ok = np.asarray(_OPS[cond.op](values, cond.value), dtype=bool)
        if cond.when_unknown == "pass":
            failed |= known & ~ok
        elif cond.when_unknown == "fail":
            failed |= ~(known & ok)
        else:
            failed |= known & ~ok
            unknown |= ~known
    mode = np.where(failed, 1, np.where(unknown, NONE, 0)).astype(np.int64)
    return mode, ~failed & unknown


def classify(
    scores: FloatArray,
    gap: FloatArray,
    exposure: FloatArray,
    any_sufficient: BoolArray,
    profile: Profile,
    taxonomy: Taxonomy,
) -> Classification:
    """SPEC §5.5–5.8: levels, assigned types, primary outcome, strategy, sub-strategy, priority."""
    rules = taxonomy.scoring
    n = len(gap)
    with np.errstate(invalid="ignore"):
        assigned = scores >= rules.assign_threshold
        normal = (
            (gap >= rules.normal_dependence.gap_min)
            & ~np.isnan(exposure)
            & (exposure < rules.normal_dependence.exposure_max)
        )
    missing = TYPE_ORDER.index(RiskType.MISSING)
    assigned[:, missing] &= ~normal
    masked = np.where(assigned, scores, -np.inf)
    best = np.argmax(masked, axis=1).astype(np.int64)
    top = masked[np.arange(n), best]
    any_assigned = assigned.any(axis=1)
    tie = any_assigned & ((masked == top[:, None]).sum(axis=1) > 1)
    outcome = np.where(
        any_assigned,
        best,
        np.where(
            normal,
            OUTCOME_ORDER.index(Outcome.NORMAL_DEPENDENCE),
            np.where(
                any_sufficient,
                OUTCOME_ORDER.index(Outcome.MONITOR),
                OUTCOME_ORDER.index(Outcome.INSUFFICIENT_EVIDENCE),
            ),
        ),
    ).astype(np.int64)

    type_strategy = np.array(
        [STRATEGY_ORDER.index(taxonomy.type_by_id[t].strategy) for t in TYPE_ORDER], dtype=np.int64
    )
    strategy = np.where(
        outcome < len(TYPE_ORDER),
        type_strategy[np.minimum(outcome, len(TYPE_ORDER) - 1)],
        STRATEGY_ORDER.index("monitor"),
    ).astype(np.int64)

    # Sub-strategy and priority mode apply whenever `missing` is assigned (primary or secondary).
    has_missing = assigned[:, missing]
    mode, undetermined = _priority(profile, taxonomy)
    priority = np.where(has_missing, mode, NONE).astype(np.int64)
    by_tech = np.full(len(TECH_ORDER) + 1, NONE, dtype=np.int64)  # last slot: unknown category
    for sub in taxonomy.sub_strategies:
        for tech in sub.tech_categories:
            by_tech[TECH_ORDER.index(tech)] = SUB_STRATEGY_ORDER.index(sub.id)
    sub_strategy = by_tech[
        np.where(profile.tech_category == NONE, len(TECH_ORDER), profile.tech_category)
    ]
    if taxonomy.priority_rule.mature_substitution_when_government_led:
        mature = profile.tech_category == TECH_ORDER.index(TechCategory.MATURE)
        gov = priority == PRIORITY_ORDER.index("government_led")
        sub_strategy = np.where(
            mature & gov & (sub_strategy == NONE),
            SUB_STRATEGY_ORDER.index("domestic_substitution"),
            sub_strategy,
        )
    sub_strategy = np.where(has_missing, sub_strategy, NONE).astype(np.int64)

    return Classification(
        type_score=scores,
        gap=gap,
        exposure=exposure,
        level=risk_levels(scores, taxonomy),
        assigned=assigned,
        normal_dependence=normal,
        outcome=outcome,
        tie=tie,
        strategy=strategy,
        sub_strategy=sub_strategy,
        priority=priority,
        priority_undetermined=has_missing & undetermined,
    )


def score_values(
    values: FloatArray, profile: Profile, taxonomy: Taxonomy, model: WeightModel | None = None
) -> ScoreTable:
    """Score, classify and recommend for every row of an (n × indicators) value matrix."""
    model = model or WeightModel.from_taxonomy(taxonomy)
    risk = risk_scores(values, model)
    dim_score, coverage = dimension_scores(risk, model)
    sufficient = coverage >= taxonomy.scoring.min_coverage - COVERAGE_EPS
    effective = np.where(sufficient, dim_score, np.nan)
    scores, gap, exposure, driving = type_scores(effective, model, taxonomy)
    n_cap = len(taxonomy.capability_dimensions)
    classification = classify(
        scores, gap, exposure, np.asarray(sufficient[:, :n_cap].any(axis=1)), profile, taxonomy
    )
    return ScoreTable(
        risk=risk,
        dim_score=dim_score,
        coverage=coverage,
        sufficient=sufficient,
        driving=driving,
        classification=classification,
    )


def outcome_only(
    values: FloatArray, profile: Profile, taxonomy: Taxonomy, model: WeightModel
) -> IntArray:
    """Just the primary outcome per row (used by the robustness draws)."""
    return score_values(values, profile, taxonomy, model).classification.outcome
