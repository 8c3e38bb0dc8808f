"""The scoring rules applied to one row at a time in plain Python — an oracle, not a code path.

It follows SPEC §5 directly and performs the floating-point operations in the same order as the
vectorised engine, so both give identical numbers bit for bit. Tests compare the two on random
inventories (hypothesis) and the benchmark measures the engine's speed-up over this.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from riskdesk.core.models import OUTCOME_ORDER, Outcome, RiskType, TechCategory
from riskdesk.core.scoring import COVERAGE_EPS
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

_OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


@dataclass(frozen=True)
class RowOutcome:
    type_scores: tuple[float | None, float | None, float | None]
    gap: float | None
    exposure: float | None
    levels: tuple[str | None, str | None, str | None]
    assigned: tuple[str, ...]
    outcome: str
    strategy: str
    sub_strategy: str | None
    priority_mode: str | None
    dimension_scores: dict[str, float | None]
    coverage: dict[str, float]


def assess_row(
    values: dict[str, float | None], profile: dict[str, object], taxonomy: Taxonomy
) -> RowOutcome:
    rules = taxonomy.scoring
    risk: dict[str, float] = {}
    for ind in taxonomy.indicators:
        v = values.get(ind.id)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        r = (v - ind.safe) / (ind.critical - ind.safe)
        risk[ind.id] = min(1.0, max(0.0, r))

    dim_score: dict[str, float | None] = {}
    coverage: dict[str, float] = {}
    effective: dict[str, float | None] = {}
    for dim in (*taxonomy.capability_dimensions, EXPOSURE):
        num = den = total = 0.0
        for ind in taxonomy.indicators:
            w = ind.weights.get(dim, 0.0)
            if w <= 0:
                continue
            total += w
            if ind.id in risk:
                num += risk[ind.id] * w
                den += w
        dim_score[dim] = num / den if den > 0 else None
        coverage[dim] = den / total
        sufficient = coverage[dim] >= rules.min_coverage - COVERAGE_EPS
        effective[dim] = dim_score[dim] if sufficient else None

    exposure = effective[EXPOSURE]
    scores: list[float | None] = []
    gap: float | None = None
    for rt in RiskType:
        spec = taxonomy.type_by_id[rt]
        present = [(effective[d], spec.dimension_weights.get(d, 1.0)) for d in spec.dimensions]
        given = [(s, w) for s, w in present if s is not None]
        agg: float | None
        if not given:
            agg = None
        elif spec.aggregation == "max":
            agg = max(s for s, _ in given)
        else:
            num = den = 0.0
            for s, w in given:
                num += s * w
                den += w
            agg = num / den
        if spec.damped_by_exposure:
            gap = agg
            damping = rules.exposure_damping
            e = damping.unknown_exposure if exposure is None else exposure
            agg = None if agg is None else agg * (damping.base + damping.slope * e)
        scores.append(agg)

    levels = tuple(_level(s, taxonomy) for s in scores)
    normal = (
        gap is not None
        and exposure is not None
        and gap >= rules.normal_dependence.gap_min
        and exposure < rules.normal_dependence.exposure_max
    )
    assigned = [
        rt
        for rt, s in zip(RiskType, scores, strict=True)
        if s is not None and s >= rules.assign_threshold and not (rt == RiskType.MISSING and normal)
    ]
    if assigned:
        best = max(
            assigned, key=lambda rt: (scores[list(RiskType).index(rt)], -list(RiskType).index(rt))
        )
        outcome = Outcome(best.value)
        strategy = taxonomy.type_by_id[best].strategy
    else:
        if normal:
            outcome = Outcome.NORMAL_DEPENDENCE
        elif any(effective[d] is not None for d in taxonomy.capability_dimensions):
            outcome = Outcome.MONITOR
        else:
            outcome = Outcome.INSUFFICIENT_EVIDENCE
        strategy = "monitor"

    sub: str | None = None
    mode: str | None = None
    if RiskType.MISSING in assigned:
        mode = _priority(values, profile, taxonomy)
        tech = profile.get("tech_category")
        for sub_spec in taxonomy.sub_strategies:
            if tech in {t.value for t in sub_spec.tech_categories}:
                sub = sub_spec.id
        if (
            sub is None
            and tech == TechCategory.MATURE.value
            and mode == "government_led"
            and taxonomy.priority_rule.mature_substitution_when_government_led
        ):
            sub = "domestic_substitution"
    assert outcome in OUTCOME_ORDER
    return RowOutcome(
        type_scores=(scores[0], scores[1], scores[2]),
        gap=gap,
        exposure=exposure,
        levels=(levels[0], levels[1], levels[2]),
        assigned=tuple(a.value for a in assigned),
        outcome=outcome.value,
        strategy=strategy,
        sub_strategy=sub,
        priority_mode=mode,
        dimension_scores=dim_score,
        coverage=coverage,
    )


def _level(score: float | None, taxonomy: Taxonomy) -> str | None:
    if score is None:
        return None
    lv = taxonomy.scoring.levels
    if score < lv.low:
        return "low"
    if score < lv.medium:
        return "medium"
    if score < lv.high:
        return "high"
    return "critical"


def _priority(
    values: dict[str, float | None], profile: dict[str, object], taxonomy: Taxonomy
) -> str | None:
    failed = unknown = False
    for cond in taxonomy.priority_rule.conditions:
        raw = values.get(cond.field) if cond.field == "supplier_count" else profile.get(cond.field)
        known = raw is not None and not (isinstance(raw, float) and math.isnan(raw))
        ok = known and bool(_OPS[cond.op](float(raw), cond.value))  # type: ignore[arg-type]
        if cond.when_unknown == "pass":
            failed |= known and not ok
        elif cond.when_unknown == "fail":
            failed |= not ok
        else:
            failed |= known and not ok
            unknown |= not known
    if failed:
        return "market_led"
    return None if unknown else "government_led"
