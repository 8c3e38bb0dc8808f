"""The method's rules applied to one row at a time in plain Python — a test oracle.

It imports nothing from riskdesk: the taxonomy is read from its TOML files with tomllib, and every
rule of SPEC §5 and §11 (gates, dependence precondition, normal dependence, importance, priority,
segment roll-up) is written out again here, row by row. It performs the floating-point
operations in the same order as the vectorised engine, so both give identical numbers bit for
bit; tests compare them on random inventories and the engine benchmark measures its speed-up
over this.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES = ("missing", "destroyed", "response")
OUTCOMES = (*TYPES, "normal_dependence", "monitor", "insufficient_evidence")
EXPOSURE = "exposure"
COVERAGE_DIGITS = 9  # coverage is compared with its threshold at nine decimals
TAXONOMY_DIR = Path(__file__).resolve().parents[2] / "taxonomy"
_OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


@dataclass(frozen=True)
class Ind:
    id: str
    safe: float
    critical: float
    weights: dict[str, float]


@dataclass
class Rules:
    """The taxonomy as plain data, read straight from its TOML files."""

    indicators: list[Ind]
    type_dims: dict[str, list[str]]
    type_strategy: dict[str, str]
    aggregation: dict[str, str]
    dimension_weights: dict[str, dict[str, float]]
    damped: dict[str, bool]
    scoring: dict[str, Any]
    sub_by_tech: dict[str, str]
    priority_conditions: list[dict[str, Any]]
    mature_substitution: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path = TAXONOMY_DIR) -> Rules:
        data: dict[str, Any] = {}
        for name in ("taxonomy.toml", "indicators.toml", "strategies.toml"):
            data |= tomllib.loads((directory / name).read_text(encoding="utf-8"))
        types = {t["id"]: t for t in data["types"]}
        return cls(
            indicators=[
                Ind(i["id"], float(i["safe"]), float(i["critical"]), dict(i.get("weights", {})))
                for i in data["indicators"]
            ],
            type_dims={t: list(types[t]["dimensions"]) for t in TYPES},
            type_strategy={t: types[t]["strategy"] for t in TYPES},
            aggregation={t: types[t].get("aggregation", "max") for t in TYPES},
            dimension_weights={t: dict(types[t].get("dimension_weights", {})) for t in TYPES},
            damped={t: bool(types[t].get("damped_by_exposure", False)) for t in TYPES},
            scoring=data["scoring"],
            sub_by_tech={
                tech: s["id"] for s in data["sub_strategies"] for tech in s["tech_categories"]
            },
            priority_conditions=list(data["priority_rule"]["conditions"]),
            mature_substitution=bool(
                data["priority_rule"].get("mature_substitution_when_government_led", True)
            ),
        )

    @property
    def dimensions(self) -> list[str]:
        return [d for t in TYPES for d in self.type_dims[t]] + [EXPOSURE]

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.scoring[name])


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
    route_factor: float
    transfer_factor: float
    dependence_met: bool
    normal_dependence: bool
    importance: float
    priority_score: float
    priority_risk: float
    top: float | None


def _absent(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _gate(risk: dict[str, float], gate: dict[str, Any]) -> float | None:
    ids = list(gate["indicators"])
    present = [risk[i] for i in ids if i in risk]
    if not present:
        return None
    if gate.get("combine", "max") == "max":
        return max(present)
    num = den = 0.0
    for i, w in gate["indicators"].items():
        if i in risk:
            num += risk[i] * w
            den += w
    return num / den


def assess_row(
    values: dict[str, float | None], profile: dict[str, object], rules: Rules
) -> RowOutcome:
    s = rules.scoring
    risk: dict[str, float] = {}
    for ind in rules.indicators:
        v = values.get(ind.id)
        if _absent(v):
            continue
        r = (float(v) - ind.safe) / (ind.critical - ind.safe)  # type: ignore[arg-type]
        risk[ind.id] = min(1.0, max(0.0, r))

    dim_score: dict[str, float | None] = {}
    coverage: dict[str, float] = {}
    effective: dict[str, float | None] = {}
    for dim in rules.dimensions:
        num = den = total = 0.0
        for ind in rules.indicators:
            w = ind.weights.get(dim, 0.0)
            if w <= 0:
                continue
            total += w
            if ind.id in risk:
                num += risk[ind.id] * w
                den += w
        dim_score[dim] = num / den if den > 0 else None
        coverage[dim] = den / total
        sufficient = round(coverage[dim], COVERAGE_DIGITS) >= s["min_coverage"]
        effective[dim] = dim_score[dim] if sufficient else None

    # gates (SPEC §11): route switching by its non-market driver, relocation by the evidence that
    # capability leaves, damped by a strong retained position
    route, transfer = s["route_switch_gate"], s["transfer_gate"]
    driver = _gate(risk, route)
    route_factor = min(1.0, (route["unknown"] if driver is None else driver) / route["full_at"])
    evidence = _gate(risk, transfer)
    transfer_factor = min(
        1.0, (transfer["unknown"] if evidence is None else evidence) / transfer["full_at"]
    )
    kept = s["retained_position"]
    rca, tc = values.get(kept["rca_indicator"]), values.get(kept["tc_indicator"])
    if not _absent(rca) and not _absent(tc) and rca >= kept["rca_min"] and tc > kept["tc_min"]:  # type: ignore[operator]
        transfer_factor = transfer_factor * kept["factor"]
    if effective.get("route_switch") is not None:
        effective["route_switch"] = effective["route_switch"] * route_factor  # type: ignore[operator]
    if effective.get("transfer") is not None:
        effective["transfer"] = effective["transfer"] * transfer_factor  # type: ignore[operator]

    exposure = effective[EXPOSURE]
    damping = s["exposure_damping"]
    scores: list[float | None] = []
    gap: float | None = None
    for t in TYPES:
        given = [(effective[d], rules.dimension_weights[t].get(d, 1.0))
                 for d in rules.type_dims[t] if effective[d] is not None]  # fmt: skip
        agg: float | None
        if not given:
            agg = None
        elif rules.aggregation[t] == "max":
            agg = max(x for x, _ in given)  # type: ignore[type-var]
        else:
            num = den = 0.0
            for x, w in given:
                num += x * w  # type: ignore[operator]
                den += w
            agg = num / den
        if rules.damped[t]:
            gap = agg
            e = damping["unknown_exposure"] if exposure is None else exposure
            agg = None if agg is None else agg * (damping["base"] + damping["slope"] * e)
        scores.append(agg)

    dependence = s["dependence"]
    dep = values.get(dependence["indicator"])
    dependence_met = _absent(dep) or dep >= dependence["minimum"]  # type: ignore[operator]
    nd = s["normal_dependence"]
    normal = (
        dependence_met
        and gap is not None
        and gap >= nd["gap_min"]
        and exposure is not None
        and exposure < nd["exposure_max"]
    )
    blocked = normal or not dependence_met
    threshold = s["assign_threshold"]
    assigned = [
        t for t, x in zip(TYPES, scores, strict=True)
        if x is not None and x >= threshold and not (t == "missing" and blocked)
    ]  # fmt: skip
    top: float | None = None
    if assigned:
        best = max(assigned, key=lambda t: (scores[TYPES.index(t)], -TYPES.index(t)))
        outcome = best
        top = scores[TYPES.index(best)]
        strategy = rules.type_strategy[best]
    else:
        if normal:
            outcome = "normal_dependence"
        elif any(effective[d] is not None for d in rules.dimensions if d != EXPOSURE):
            outcome = "monitor"
        else:
            outcome = "insufficient_evidence"
        strategy = "monitor"

    sub: str | None = None
    mode: str | None = None
    if outcome == "missing":
        mode = _priority(values, profile, rules)
        sub = rules.sub_by_tech.get(str(profile.get("tech_category")))
        if (
            sub is None
            and profile.get("tech_category") == "mature"
            and mode == "government_led"
            and rules.mature_substitution
        ):
            sub = "domestic_substitution"

    importance = _importance(values, profile, rules)
    below = [x for x in scores if x is not None and x < threshold]
    risk_for_priority = top if top is not None else (max(below) if below else 0.0)
    prio = s["priority_score"]
    priority = risk_for_priority * (prio["base"] + prio["slope"] * importance)

    return RowOutcome(
        type_scores=(scores[0], scores[1], scores[2]),
        gap=gap,
        exposure=exposure,
        levels=(_level(scores[0], s), _level(scores[1], s), _level(scores[2], s)),
        assigned=tuple(assigned),
        outcome=outcome,
        strategy=strategy,
        sub_strategy=sub,
        priority_mode=mode,
        dimension_scores=dim_score,
        coverage=coverage,
        route_factor=route_factor,
        transfer_factor=transfer_factor,
        dependence_met=bool(dependence_met),
        normal_dependence=bool(normal),
        importance=importance,
        priority_score=priority,
        priority_risk=risk_for_priority,
        top=top,
    )


def _level(score: float | None, s: dict[str, Any]) -> str | None:
    if score is None:
        return None
    lv = s["levels"]
    if score < lv["low"]:
        return "low"
    if score < lv["medium"]:
        return "medium"
    if score < lv["high"]:
        return "high"
    return "critical"


def _importance(values: dict[str, float | None], profile: dict[str, object], rules: Rules) -> float:
    rule = rules.scoring["importance"]
    num = den = 0.0
    for item in rule["inputs"]:
        src = item["source"]
        raw = profile.get(src) if src in ("strategic_value", "generality") else values.get(src)
        if _absent(raw):
            continue
        x = (float(raw) - item["low"]) / (item["high"] - item["low"])  # type: ignore[arg-type]
        num += min(1.0, max(0.0, x)) * item["weight"]
        den += item["weight"]
    return num / den if den > 0 else float(rule["unknown"])


def _priority(
    values: dict[str, float | None], profile: dict[str, object], rules: Rules
) -> str | None:
    failed = unknown = False
    for cond in rules.priority_conditions:
        raw = (
            values.get(cond["field"])
            if cond["field"] == "supplier_count"
            else profile.get(cond["field"])
        )
        known = not _absent(raw)
        ok = known and bool(_OPS[cond["op"]](float(raw), cond["value"]))  # type: ignore[arg-type]
        when = cond.get("when_unknown", "undetermined")
        if when == "fail":
            failed |= not ok
        else:
            failed |= known and not ok
            if when == "undetermined":
                unknown |= not known
    if failed:
        return "market_led"
    return None if unknown else "government_led"


def weakest_segment(outcomes: list[RowOutcome]) -> int:
    """The segment (by input position) whose whole result the chain takes: the highest assigned
    score (ties by type order), else normal dependence (largest gap), else monitor (highest score
    below the threshold), else insufficient evidence; ties go to the segment listed first."""

    def key(k: int) -> tuple[float, float, float, int]:
        o = outcomes[k]
        if o.outcome in TYPES:
            assert o.top is not None
            return (3.0, o.top, -TYPES.index(o.outcome), -k)
        if o.outcome == "normal_dependence":
            return (2.0, o.gap if o.gap is not None else -math.inf, 0.0, -k)
        if o.outcome == "monitor":
            return (1.0, o.priority_risk, 0.0, -k)
        return (0.0, 0.0, 0.0, -k)

    return max(range(len(outcomes)), key=key)
