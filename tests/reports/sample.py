"""Hand-made assessment results for report tests (independent of the engine).

Values are drawn from a seeded generator and scored with the taxonomy's anchors and weights in a
plain, slow way; the engine's exact rules are not needed to test what the reports show.
"""

from __future__ import annotations

import random

from riskdesk.core.inventory import Inventory, SeriesPoint
from riskdesk.core.models import (
    Chain,
    DataIssue,
    IndicatorValue,
    InputSource,
    Provenance,
    RiskLevel,
    RiskType,
    Severity,
    TechCategory,
)
from riskdesk.core.results import (
    AssessmentRun,
    ChainResult,
    DimensionScore,
    Driver,
    Explanation,
    IndicatorResult,
    RobustnessResult,
    TaxonomyRef,
)
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy

NAMES = [
    "车规级芯片",
    "工业软件",
    "航空发动机",
    "光刻胶",
    "锂电池材料",
    "纺织服装",
    "稀土永磁",
    "高端数控机床",
]
SEGMENTS = ["设计", "制造", "封装测试"]


def _level(score: float | None, tax: Taxonomy) -> RiskLevel | None:
    if score is None:
        return None
    lv = tax.scoring.levels
    if score < lv.low:
        return RiskLevel.LOW
    if score < lv.medium:
        return RiskLevel.MEDIUM
    if score < lv.high:
        return RiskLevel.HIGH
    return RiskLevel.CRITICAL


def make_result(
    tax: Taxonomy,
    rng: random.Random,
    chain_id: str,
    name: str,
    *,
    segment: str | None = None,
    present: float = 0.7,
    illustrative: bool = False,
) -> tuple[ChainResult, dict[str, float]]:
    values: dict[str, float] = {}
    indicators: dict[str, IndicatorResult] = {}
    for ind in tax.indicators:
        if rng.random() > present:
            indicators[ind.id] = IndicatorResult(value=None, risk=None, source="", unit=ind.unit)
            continue
        lo, hi = sorted((ind.safe, ind.critical))
        span = hi - lo
        v = round(rng.uniform(lo - 0.2 * span, hi + 0.2 * span), 3)
        if ind.valid_min is not None:
            v = max(v, ind.valid_min)
        if ind.valid_max is not None:
            v = min(v, ind.valid_max)
        values[ind.id] = v
        indicators[ind.id] = IndicatorResult(
            value=v,
            risk=ind.risk(v),
            source=f"inventory.xlsx 清单!{ind.id[:1].upper()}7",
            unit=ind.unit,
            year=2023,
            kind="imported",
            illustrative=illustrative,
        )
    dims: dict[str, DimensionScore] = {}
    for dim in [*tax.capability_dimensions, EXPOSURE]:
        feeding = [i for i in tax.indicators if i.weights.get(dim, 0) > 0]
        total = sum(i.weights[dim] for i in feeding)
        got = [(i.weights[dim], i.risk(values[i.id])) for i in feeding if i.id in values]
        w = sum(x for x, _ in got)
        score = sum(x * r for x, r in got) / w if w else None
        dims[dim] = DimensionScore(
            score=score, coverage=w / total, sufficient=w / total >= tax.scoring.min_coverage
        )
    expo = dims[EXPOSURE].score if dims[EXPOSURE].sufficient else None
    type_scores: dict[RiskType, float | None] = {}
    driving: dict[str, str | None] = {}
    for t in RiskType:
        ok = [(dims[d].score, d) for d in tax.type_by_id[t].dimensions if dims[d].sufficient]
        best = max(ok, default=None, key=lambda x: x[0] or 0.0)
        driving[t.value] = best[1] if best else None
        s = best[0] if best else None
        if s is not None and t is RiskType.MISSING:
            e = expo if expo is not None else tax.scoring.exposure_damping.unknown_exposure
            s *= tax.scoring.exposure_damping.base + tax.scoring.exposure_damping.slope * e
        type_scores[t] = s
    assigned = sorted(
        (t for t in RiskType if (type_scores[t] or 0) >= 0.5), key=lambda t: -(type_scores[t] or 0)
    )
    primary = (
        assigned[0].value
        if assigned
        else (
            "monitor"
            if any(v is not None for v in type_scores.values())
            else "insufficient_evidence"
        )
    )
    strategy = tax.type_by_id[RiskType(primary)].strategy if assigned else "monitor"
    drivers = []
    if assigned:
        dim = driving[primary]
        drivers += [
            Driver(
                type=RiskType(primary),
                dimension=dim,
                indicator=ind.id,
                value=values[ind.id],
                risk=ind.risk(values[ind.id]),
                contribution=ind.weights[dim] * ind.risk(values[ind.id]),
            )
            for ind in tax.indicators
            if dim and ind.weights.get(dim, 0) > 0 and ind.id in values
        ]
    gap_dims = [
        dims[d].score for d in tax.type_by_id[RiskType.MISSING].dimensions if dims[d].sufficient
    ]
    measures = [m.id for m in tax.measures if m.applies_to == (driving.get(primary) or "monitor")]
    result = ChainResult(
        chain_id=chain_id,
        chain_name=name,
        segment=segment,
        sector="电子信息",
        tech_category="core",
        strategic_value=5,
        generality=4,
        primary_type=primary,
        types=assigned,
        type_scores=type_scores,
        risk_levels={t: _level(type_scores[t], tax) for t in RiskType},
        gap=max((g for g in gap_dims if g is not None), default=None),
        dimension_scores=dims,
        exposure=expo,
        exposure_coverage=dims[EXPOSURE].coverage,
        strategy=strategy,
        sub_strategy="domestic_substitution" if primary == "missing" else None,
        priority_mode="government_led" if primary == "missing" else None,
        measures=measures,
        explanation=Explanation(
            zh=f"{name}的主要风险为{tax.label(primary, 'zh')}。",
            en=f"The main risk of {chain_id} is {tax.label(primary, 'en')}.",
            drivers=drivers,
            driving_dimensions=driving,
        ),
        indicators=indicators,
        robustness=RobustnessResult(
            primary_stability=0.87, draws=300, alternatives={"destroyed": 0.13}
        ),
        data_to_collect=[k for k, v in indicators.items() if v.value is None][:4],
    )
    return result, values


def sample_run(
    tax: Taxonomy, n: int = 3, *, seed: int = 7, segments: bool = True, illustrative: bool = True
) -> tuple[AssessmentRun, Inventory]:
    rng = random.Random(seed)
    results: list[ChainResult] = []
    chains: list[Chain] = []
    values: list[tuple[str, str | None, IndicatorValue]] = []
    for k in range(n):
        cid = f"C{k + 1:04d}"
        name = NAMES[k % len(NAMES)] + ("" if k < len(NAMES) else f" {k + 1}")
        res, vals = make_result(tax, rng, cid, name, illustrative=illustrative and k == 0)
        if segments and k == 0:
            segs = [make_result(tax, rng, cid, name, segment=s)[0] for s in SEGMENTS]
            best = max(segs, key=lambda s: s.type_scores.get(RiskType.MISSING) or 0)
            res = res.model_copy(update={"segments": segs, "weakest_segment": best.segment})
        results.append(res)
        chains.append(
            Chain(
                chain_id=cid,
                chain_name=name,
                sector="电子信息",
                tech_category=TechCategory.CORE,
                strategic_value=5,
                generality=4,
                owner="产业安全处",
                year=2023,
                description="示例链条",
            )
        )
        values += [
            (
                cid,
                None,
                IndicatorValue(
                    indicator=i,
                    value=v,
                    provenance=Provenance(kind="imported", file="inventory.xlsx"),
                ),
            )
            for i, v in vals.items()
        ]
    inv = Inventory.from_records(tax, chains, values)
    inv.series[("C0001", None, "tc_index")] = [
        SeriesPoint(y, -0.5 + 0.05 * (y - 2016)) for y in range(2016, 2023)
    ]
    inv.series[("C0001", None, "rca_index")] = [
        SeriesPoint(y, 0.6 + 0.08 * (y - 2016)) for y in range(2016, 2023)
    ]
    issue = DataIssue(
        severity=Severity.WARNING,
        code="out_of_range",
        message_zh="数值超出范围",
        message_en="value out of range",
        file="inventory.xlsx",
        sheet="清单",
        row=7,
        column="D",
        value='=HYPERLINK("http://x")',
    )
    run = AssessmentRun(
        riskdesk_version="0.1.0",
        taxonomy=TaxonomyRef(name=tax.name, sha256=tax.sha256),
        input=InputSource(path="/data/inventory.xlsx", sha256="ab" * 32, sheet="清单"),
        assessed_at="2026-11-22T04:00:00+00:00",
        chains=results,
        issues=[issue],
    )
    return run, inv
