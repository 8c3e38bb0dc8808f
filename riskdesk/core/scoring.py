"""The vectorised engine: anchors → risk sub-scores → dimensions → gates → types → outcome.

Every step works on whole numpy arrays; there is no Python loop over chains. Loops run over the
taxonomy (indicators × dimensions, a few dozen pairs) with elementwise operations only, so a row's
result depends on that row alone — bit for bit, whatever else is in the file or in which order
(SPEC §5 properties).

Arrays are laid out component first: values are (indicators, *batch), dimension scores
(dimensions, *batch), type scores (3, *batch). The batch is (rows,) for an assessment and
(draws, rows) for the robustness draws; every numeric rule parameter is an array that broadcasts
against the batch — shape (1,) normally, (draws, 1) when each draw perturbs it, (rows,) when each
row has its own (the one-at-a-time sensitivity search). One engine serves all three.

tests/oracle/reference.py applies the same rules row by row in plain Python, in the same order of
floating-point operations, as an oracle for tests and the benchmark.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from riskdesk.core.models import OUTCOME_ORDER, Outcome, RiskType
from riskdesk.core.strategy import (
    PRIORITY_ORDER,
    SUB_STRATEGY_ORDER,
    priority_mode_codes,
    sub_strategy_codes,
)
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.weights import (
    NONE,
    PROFILE_SOURCES,
    STRATEGY_ORDER,
    TECH_ORDER,
    TYPE_ORDER,
    BoolArray,
    FloatArray,
    IntArray,
    Layout,
    Profile,
    RuleParams,
    WeightModel,
)

ScalarT = TypeVar("ScalarT", bound=np.generic)
MISSING = TYPE_ORDER.index(RiskType.MISSING)
# Coverage is compared with its threshold at this many decimals, so a share of weight that is 0.5
# on paper but 0.4999999999999999 in binary (weights like 0.1 + 0.2 + 0.2 + 0.5) still counts.
COVERAGE_DIGITS = 9

__all__ = [
    "COVERAGE_DIGITS",
    "MISSING",
    "NONE",
    "OUTCOME_ORDER",
    "PRIORITY_ORDER",
    "PROFILE_SOURCES",
    "STRATEGY_ORDER",
    "SUB_STRATEGY_ORDER",
    "TECH_ORDER",
    "TYPE_ORDER",
    "BoolArray",
    "Classification",
    "Evaluation",
    "FloatArray",
    "IntArray",
    "Layout",
    "Profile",
    "RuleParams",
    "ScoreTable",
    "WeightModel",
    "evaluate",
    "outcome_only",
    "score_values",
]


@dataclass
class Evaluation:
    """Everything the rules decide, component first: (components, *batch)."""

    risk: FloatArray  # (indicators, *B); NaN = missing
    dim_score: FloatArray  # (dimensions, *B): partial score even when insufficient
    coverage: FloatArray
    sufficient: BoolArray
    route_driver: FloatArray  # (*B) gate score; NaN when no driver indicator is given
    route_factor: FloatArray
    transfer_evidence: FloatArray
    transfer_factor: FloatArray  # includes the retained-position damping
    retained: BoolArray
    type_score: FloatArray  # (3, *B), NaN = no score
    driving: IntArray  # (3, *B) dimension column driving each type, NONE if none
    gap: FloatArray
    exposure: FloatArray  # NaN when the gate lacks evidence
    dependence_known: BoolArray
    dependence_met: BoolArray  # met or unknown
    level: IntArray  # (3, *B)
    assigned: BoolArray  # (3, *B)
    normal_dependence: BoolArray
    outcome: IntArray  # index into OUTCOME_ORDER
    tie: BoolArray
    top: FloatArray  # the primary type's score; -inf when no type is assigned
    strategy: IntArray
    sub_strategy: IntArray  # of the primary block (gradient cultivation only) or NONE
    priority: IntArray
    priority_undetermined: BoolArray
    importance: FloatArray
    priority_risk: FloatArray
    priority_score: FloatArray


def _weighted_mean(
    parts: Iterable[tuple[FloatArray, FloatArray]], shape: tuple[int, ...]
) -> FloatArray:
    """Σ x·w / Σ w over the parts present (x not NaN); NaN when none is present."""
    num = np.zeros(shape)
    den = np.zeros(shape)
    for x, w in parts:
        present = ~np.isnan(x)
        num = num + np.where(present, x * w, 0.0)
        den = den + np.where(present, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _first_argmax(block: FloatArray) -> IntArray:
    """Row (component) of the highest non-NaN value, first on ties; NONE when all are NaN."""
    filled = np.where(np.isnan(block), -np.inf, block)
    idx = np.argmax(filled, axis=0).astype(np.int64)
    return np.where(np.all(np.isnan(block), axis=0), NONE, idx)


def _gate(
    risk: FloatArray,
    rows: tuple[int, ...],
    weights: FloatArray,
    combine: str,
    shape: tuple[int, ...],
) -> FloatArray:
    """A gate's score from the risks of its indicators (NaN when none is present)."""
    if not rows:
        return np.full(shape, np.nan)
    if combine == "max":
        return np.asarray(np.fmax.reduce(risk[list(rows)], axis=0), dtype=np.float64)
    return _weighted_mean(((risk[j], weights[k]) for k, j in enumerate(rows)), shape)


def _fit(x: FloatArray, lead: int, batch_dims: int) -> FloatArray:
    """A parameter array (*components, *P) padded so P lines up with a batch of `batch_dims` axes."""
    missing = batch_dims - (x.ndim - lead)
    if missing <= 0:
        return x
    return x.reshape(x.shape[:lead] + (1,) * missing + x.shape[lead:])


def evaluate(values: FloatArray, profile: Profile, model: WeightModel) -> Evaluation:
    """Apply every rule to a value array of shape (indicators, *batch)."""
    lay, p = model.layout, model.rules
    shape = values.shape[1:]
    nb = len(shape)
    model = replace(
        model,
        safe=_fit(model.safe, 1, nb),
        span=_fit(model.span, 1, nb),
        weights=_fit(model.weights, 2, nb),
        dimension_weights=tuple(_fit(w, 1, nb) for w in model.dimension_weights),
        route_gate_weights=_fit(model.route_gate_weights, 1, nb),
        transfer_gate_weights=_fit(model.transfer_gate_weights, 1, nb),
        importance_weights=_fit(model.importance_weights, 1, nb),
    )
    with np.errstate(invalid="ignore"):
        risk = np.clip((values - model.safe) / model.span, 0.0, 1.0)
    present = ~np.isnan(risk)
    risk0 = np.where(present, risk, 0.0)  # a missing value adds exactly 0.0 (x + 0.0 == x)
    presence = present.astype(np.float64)

    # dimension = weighted mean of the risks present; coverage = present weight / total weight
    n_dims = len(lay.dimensions)
    dim_score = np.full((n_dims, *shape), np.nan)
    coverage = np.zeros((n_dims, *shape))
    for d, rows in enumerate(lay.feeds):
        num = np.zeros(shape)
        den = np.zeros(shape)
        total: FloatArray | float = 0.0
        for j in rows:
            w = model.weights[j, d]
            total = total + w
            num = num + risk0[j] * w
            den = den + presence[j] * w
        with np.errstate(invalid="ignore", divide="ignore"):
            dim_score[d] = np.where(den > 0, num / den, np.nan)
        coverage[d] = den / total
    sufficient = np.round(coverage, COVERAGE_DIGITS) >= model.min_coverage
    effective = np.where(sufficient, dim_score, np.nan)

    # gates: route switching counts with its non-market driver, relocation with the evidence
    # that capability leaves, damped by a strong retained position (003 §3; taxonomy comments)
    route_driver = _gate(risk, lay.route_gate, model.route_gate_weights, lay.route_combine, shape)
    route_factor = np.minimum(
        1.0, np.where(np.isnan(route_driver), p.route_unknown, route_driver) / p.route_full_at
    )
    evidence = _gate(
        risk, lay.transfer_gate, model.transfer_gate_weights, lay.transfer_combine, shape
    )
    transfer_factor = np.minimum(
        1.0, np.where(np.isnan(evidence), p.transfer_unknown, evidence) / p.transfer_full_at
    )
    retained = np.zeros(shape, dtype=bool)
    if lay.rca is not None and lay.tc is not None:
        with np.errstate(invalid="ignore"):
            retained = (values[lay.rca] >= p.retained_rca_min) & (
                values[lay.tc] > p.retained_tc_min
            )
        transfer_factor = np.where(retained, transfer_factor * p.retained_factor, transfer_factor)
    if lay.route_column is not None:
        effective[lay.route_column] = effective[lay.route_column] * route_factor
    if lay.transfer_column is not None:
        effective[lay.transfer_column] = effective[lay.transfer_column] * transfer_factor

    # type scores
    n_types = len(TYPE_ORDER)
    type_score = np.full((n_types, *shape), np.nan)
    driving = np.full((n_types, *shape), NONE, dtype=np.int64)
    exposure = effective[lay.exposure]
    gap = np.full(shape, np.nan)
    for k in range(n_types):
        cols = lay.type_columns[k]
        block = effective[list(cols)]
        if lay.aggregation[k] == "max":
            agg = np.asarray(np.fmax.reduce(block, axis=0), dtype=np.float64)
        else:
            weights = model.dimension_weights[k]
            agg = _weighted_mean(((block[c], weights[c]) for c in range(len(cols))), shape)
        local = _first_argmax(block)
        driving[k] = np.where(local == NONE, NONE, np.asarray(cols, dtype=np.int64)[local])
        if lay.damped[k]:
            gap = agg
            e = np.where(np.isnan(exposure), p.unknown_exposure, exposure)
            agg = agg * (p.damping_base + p.damping_slope * e)
        type_score[k] = agg

    # classification (SPEC §5.5–5.6, §11: dependence precondition)
    with np.errstate(invalid="ignore"):
        if lay.dependence is None:
            dependence_known = np.zeros(shape, dtype=bool)
            dependence_met = np.ones(shape, dtype=bool)
        else:
            dep = values[lay.dependence]
            dependence_known = ~np.isnan(dep)
            dependence_met = ~dependence_known | (dep >= p.dependence_min)
        normal = (
            dependence_met & (gap >= p.gap_min) & ~np.isnan(exposure) & (exposure < p.exposure_max)
        )
        assigned = type_score >= p.assign
        level = (
            (type_score >= p.level_low).astype(np.int64)
            + (type_score >= p.level_medium)
            + (type_score >= p.level_high)
        )
    level = np.where(np.isnan(type_score), NONE, level)
    blocked = normal | ~dependence_met
    assigned[MISSING] &= ~blocked
    masked = np.where(assigned, type_score, -np.inf)
    best = np.argmax(masked, axis=0).astype(np.int64)
    top = np.max(masked, axis=0)
    any_assigned = assigned.any(axis=0)
    tie = any_assigned & ((masked == top).sum(axis=0) > 1)
    n_cap = len(lay.dimensions) - 1
    any_sufficient = sufficient[:n_cap].any(axis=0)
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
    is_type = outcome < n_types
    strategy = np.where(
        is_type,
        lay.type_strategy[np.minimum(outcome, n_types - 1)],
        STRATEGY_ORDER.index("monitor"),
    ).astype(np.int64)

    # sub-strategy and priority mode: gradient cultivation only (the primary block's fields)
    suppliers = (
        values[lay.supplier_count] if lay.supplier_count is not None else profile.supplier_count
    )
    mode, undetermined = priority_mode_codes(
        lay.taxonomy, profile.generality, profile.strategic_value, suppliers
    )
    primary_missing = outcome == MISSING
    sub = sub_strategy_codes(lay.taxonomy, profile.tech_category, mode)
    sub_strategy = np.where(primary_missing, sub, NONE).astype(np.int64)
    priority = np.where(primary_missing, mode, NONE).astype(np.int64)

    # importance and the portfolio priority score
    importance = _importance(values, profile, model, shape)
    # a chain without an assigned type ranks by its highest score below the threshold
    with np.errstate(invalid="ignore"):
        eligible = np.where(type_score < p.assign, type_score, -np.inf)
    fallback = np.max(eligible, axis=0)
    priority_risk = np.where(any_assigned, top, np.where(np.isfinite(fallback), fallback, 0.0))
    priority_score = priority_risk * (p.priority_base + p.priority_slope * importance)

    return Evaluation(
        risk=risk,
        dim_score=dim_score,
        coverage=coverage,
        sufficient=sufficient,
        route_driver=route_driver,
        route_factor=np.broadcast_to(route_factor, shape).copy(),
        transfer_evidence=evidence,
        transfer_factor=np.broadcast_to(transfer_factor, shape).copy(),
        retained=np.broadcast_to(retained, shape).copy(),
        type_score=type_score,
        driving=driving,
        gap=gap,
        exposure=exposure,
        dependence_known=np.broadcast_to(dependence_known, shape).copy(),
        dependence_met=np.broadcast_to(dependence_met, shape).copy(),
        level=level,
        assigned=assigned,
        normal_dependence=normal,
        outcome=outcome,
        tie=tie,
        top=top,
        strategy=strategy,
        sub_strategy=sub_strategy,
        priority=priority,
        priority_undetermined=primary_missing & undetermined,
        importance=importance,
        priority_risk=priority_risk,
        priority_score=priority_score,
    )


def _importance(
    values: FloatArray, profile: Profile, model: WeightModel, shape: tuple[int, ...]
) -> FloatArray:
    """Weighted mean of the importance inputs given, each clipped to [0, 1]."""
    lay = model.layout
    parts = []
    for k, source in enumerate(lay.importance_sources):
        raw = getattr(profile, source) if isinstance(source, str) else values[source]
        with np.errstate(invalid="ignore"):
            x = np.clip((raw - lay.importance_low[k]) / lay.importance_span[k], 0.0, 1.0)
        parts.append((np.broadcast_to(x, shape), model.importance_weights[k]))
    mean = _weighted_mean(parts, shape)
    return np.where(np.isnan(mean), model.rules.importance_unknown, mean)


@dataclass
class Classification:
    """Outcome arrays, one entry per row (or chain), row first — the public view."""

    type_score: FloatArray  # (n × 3), NaN = no score
    gap: FloatArray
    exposure: FloatArray
    level: IntArray  # (n × 3)
    assigned: BoolArray  # (n × 3)
    normal_dependence: BoolArray
    dependence_met: BoolArray
    outcome: IntArray
    tie: BoolArray
    strategy: IntArray
    sub_strategy: IntArray
    priority: IntArray
    priority_undetermined: BoolArray
    importance: FloatArray
    priority_score: FloatArray

    def outcome_ids(self) -> list[Outcome]:
        return [OUTCOME_ORDER[k] for k in self.outcome]


@dataclass
class ScoreTable:
    """Row-level results (one row per chain or chain × segment), row first."""

    risk: FloatArray  # (n × indicators), NaN = missing
    dim_score: FloatArray  # (n × dimensions)
    coverage: FloatArray
    sufficient: BoolArray
    driving: IntArray  # (n × 3)
    classification: Classification
    evaluation: Evaluation  # the component-first arrays behind the views above


def _rows_first(x: npt.NDArray[ScalarT]) -> npt.NDArray[ScalarT]:
    return np.moveaxis(x, 0, -1)


def table_of(ev: Evaluation) -> ScoreTable:
    """Row-first views of a one-batch-axis evaluation."""
    c = Classification(
        type_score=_rows_first(ev.type_score),
        gap=ev.gap,
        exposure=ev.exposure,
        level=_rows_first(ev.level),
        assigned=_rows_first(ev.assigned),
        normal_dependence=ev.normal_dependence,
        dependence_met=ev.dependence_met,
        outcome=ev.outcome,
        tie=ev.tie,
        strategy=ev.strategy,
        sub_strategy=ev.sub_strategy,
        priority=ev.priority,
        priority_undetermined=ev.priority_undetermined,
        importance=ev.importance,
        priority_score=ev.priority_score,
    )
    return ScoreTable(
        risk=_rows_first(ev.risk),
        dim_score=_rows_first(ev.dim_score),
        coverage=_rows_first(ev.coverage),
        sufficient=_rows_first(ev.sufficient),
        driving=_rows_first(ev.driving),
        classification=c,
        evaluation=ev,
    )


def score_values(
    values: FloatArray, profile: Profile, taxonomy: Taxonomy, model: WeightModel | None = None
) -> ScoreTable:
    """Score, classify and recommend for every row of an (n × indicators) value matrix."""
    model = model or WeightModel.from_taxonomy(taxonomy)
    return table_of(evaluate(np.asarray(values, dtype=np.float64).T, profile, model))


def outcome_only(
    values: FloatArray, profile: Profile, taxonomy: Taxonomy, model: WeightModel
) -> IntArray:
    """Just the primary outcome per row."""
    return score_values(values, profile, taxonomy, model).classification.outcome
