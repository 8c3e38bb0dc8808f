"""Every rule at its boundary: a test here fails if a comparison flips between `<` and `<=`, if a
default threshold of SPEC §5/§11 moves, or if the weakest segment is chosen by the wrong type or
the wrong tie rule. Expected values are written from the SPEC (not read from the taxonomy files),
so a changed constant in taxonomy/ is caught too.

Exact boundaries are reached with values whose risks are exact in binary floating point (0.5,
0.25, 0.75: e.g. a level answer of 1.5 on 0–3, a response lag of 105 days on 30 → 180), and, in the
hypothesis tests, by setting a taxonomy threshold to the very score a chain gets (and to the next
float above it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskdesk.core.assess import assess_inventory, profile_of, values_of
from riskdesk.core.models import Outcome, RiskLevel, RiskType
from riskdesk.core.scoring import OUTCOME_ORDER, score_values
from riskdesk.core.taxonomy import Taxonomy

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# SPEC §5 / §11 defaults, written here on purpose
ASSIGN, LOW, MEDIUM, HIGH = 0.50, 0.30, 0.50, 0.75
GAP_MIN, EXPOSURE_MAX, DEPENDENCE_MIN, MIN_COVERAGE = 0.50, 0.30, 0.30, 0.50


def _one(make_inventory, taxonomy, **row):
    row.setdefault("chain_id", "c")
    row.setdefault("chain_name", "c")
    return assess_inventory(make_inventory([row]), taxonomy, robustness=False).chains[0]


def _response_at(risk_days: float, levels: float) -> dict[str, float]:
    """management_system with every indicator at one risk: early_warning, coordination,
    security_review at level `levels`, policy_response_days at `risk_days` days."""
    return {"early_warning": levels, "coordination": levels, "security_review": levels,
            "policy_response_days": risk_days}  # fmt: skip


def test_the_default_thresholds_are_the_specs(taxonomy):
    s = taxonomy.scoring
    assert (s.assign_threshold, s.levels.low, s.levels.medium, s.levels.high) == (
        ASSIGN, LOW, MEDIUM, HIGH,
    )  # fmt: skip
    assert (s.normal_dependence.gap_min, s.normal_dependence.exposure_max) == (
        GAP_MIN, EXPOSURE_MAX,
    )  # fmt: skip
    assert (s.dependence.minimum, s.min_coverage) == (DEPENDENCE_MIN, MIN_COVERAGE)
    assert (s.retained_position.rca_min, s.retained_position.tc_min) == (1.25, 0.5)


# --- assignment and levels ---------------------------------------------------------------------


def test_a_score_exactly_at_the_threshold_is_assigned_and_high(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **_response_at(105, 1.5))  # every risk 0.5
    assert r.type_scores[RiskType.RESPONSE] == 0.5
    assert r.primary_type == Outcome.RESPONSE
    assert r.risk_levels[RiskType.RESPONSE] == RiskLevel.HIGH


def test_a_score_just_below_the_threshold_is_not_assigned(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **_response_at(104.9, 1.5))
    assert r.type_scores[RiskType.RESPONSE] < 0.5
    assert r.primary_type == Outcome.MONITOR
    assert r.risk_levels[RiskType.RESPONSE] == RiskLevel.MEDIUM


def test_a_score_exactly_at_the_high_band_is_critical(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **_response_at(142.5, 0.75))  # every risk 0.75
    assert r.type_scores[RiskType.RESPONSE] == 0.75
    assert r.risk_levels[RiskType.RESPONSE] == RiskLevel.CRITICAL
    below = _one(make_inventory, taxonomy, **_response_at(142.4, 0.75))
    assert below.risk_levels[RiskType.RESPONSE] == RiskLevel.HIGH


def test_the_low_band_is_closed_below(make_inventory, taxonomy):
    quarter = taxonomy.with_changes(
        scoring=taxonomy.scoring.model_copy(
            update={"levels": taxonomy.scoring.levels.model_copy(update={"low": 0.25})}
        ).model_dump()
    )
    r = _one(make_inventory, quarter, **_response_at(67.5, 2.25))  # every risk 0.25
    assert r.type_scores[RiskType.RESPONSE] == 0.25
    assert r.risk_levels[RiskType.RESPONSE] == RiskLevel.MEDIUM
    # with the default bands 0.29 is low and 0.30 medium
    assert _one(make_inventory, taxonomy, **_response_at(73.5, 2.13)).risk_levels[
        RiskType.RESPONSE
    ] == RiskLevel.LOW


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_of_exactly_half_is_sufficient(make_inventory, taxonomy):
    # early_warning and policy_response_days: 0.25 + 0.25 of management_system's weight
    r = _one(make_inventory, taxonomy, early_warning=0, policy_response_days=180)
    dim = r.dimension_scores["management_system"]
    assert dim.coverage == 0.5
    assert dim.sufficient
    assert r.primary_type == Outcome.RESPONSE


def test_coverage_summed_from_inexact_weights_is_not_lost_to_rounding(make_inventory, taxonomy):
    # weights 0.1 + 0.1 + 0.1 + 0.3 sum to 0.6000000000000001 in binary: the lag's 0.3 is half of
    # it on paper and 0.4999999999999999 in floating point — still sufficient evidence
    weights = {"early_warning": 0.1, "coordination": 0.1, "security_review": 0.1,
               "policy_response_days": 0.3}  # fmt: skip
    indicators = [
        i.model_copy(update={"weights": {"management_system": weights[i.id]}})
        if i.id in weights else i
        for i in taxonomy.indicators
    ]  # fmt: skip
    edited = taxonomy.with_changes(indicators=[i.model_dump() for i in indicators])
    r = _one(make_inventory, edited, policy_response_days=180)
    dim = r.dimension_scores["management_system"]
    assert dim.coverage < 0.5  # 0.4999999999999999
    assert dim.coverage == pytest.approx(0.5)
    assert dim.sufficient
    assert r.primary_type == Outcome.RESPONSE


def test_coverage_below_half_is_insufficient(make_inventory, taxonomy):
    # lock_in: gvc_forward, gvc_backward, rca_index: .15 × 3 = .45
    r = _one(make_inventory, taxonomy, gvc_forward=0.1, gvc_backward=0.45, rca_index=0.5)
    assert r.dimension_scores["lock_in"].coverage == pytest.approx(0.45)
    assert not r.dimension_scores["lock_in"].sufficient
    assert r.primary_type == Outcome.INSUFFICIENT_EVIDENCE


# --- normal dependence: gap ≥ 0.50 and exposure < 0.30 ------------------------------------------

GAP_ONE = {"import_dependence": 0.9, "tc_index": -0.6, "rca_index": 0.5}  # lock_in = 1.0


def _exposure(nmp: float, geo: float) -> dict[str, float]:
    """exposure from non_market_pressure and geo_risk_share only (coverage .5): their mean risk."""
    return {"non_market_pressure": nmp, "geo_risk_share": geo}


def test_exposure_exactly_at_the_limit_is_not_normal_dependence(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **GAP_ONE, **_exposure(0.9, 0.25))  # risks 0.3 and 0.3
    assert r.exposure == 0.3
    assert not r.normal_dependence
    assert r.primary_type == Outcome.MISSING  # 1.0 × (0.4 + 0.6 × 0.3) = 0.58


def test_exposure_just_below_the_limit_is_normal_dependence(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **GAP_ONE, **_exposure(0.84, 0.24))  # 0.28, 0.28
    assert r.exposure == pytest.approx(0.28)
    assert r.primary_type == Outcome.NORMAL_DEPENDENCE


def test_exposure_above_a_moved_limit_is_exposure(make_inventory, taxonomy):
    # 0.32 must not be normal dependence (a limit moved to 0.35 would make it so)
    r = _one(make_inventory, taxonomy, **GAP_ONE, **_exposure(0.96, 0.26))
    assert r.exposure == pytest.approx(0.32)
    assert r.primary_type == Outcome.MISSING


# uneconomic_entry from supplier_count (.25, risk 1) and global_top3_share (.25, risk 0): exactly 0.5
GAP_HALF = {"supplier_count": 2, "global_top3_share": 0.5}


def test_a_gap_exactly_at_the_minimum_is_normal_dependence(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, **GAP_HALF, **_exposure(0, 0.1))  # exposure 0
    assert r.gap == 0.5
    assert r.primary_type == Outcome.NORMAL_DEPENDENCE


def test_a_gap_below_the_minimum_is_not_normal_dependence(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.57, tc_index=-0.2, **_exposure(0, 0.1))
    assert r.gap == pytest.approx((0.35 * 0.45 + 0.2 * 0.5) / 0.55)  # 0.468…
    assert r.primary_type == Outcome.MONITOR


# --- dependence precondition: import_dependence ≥ 0.30 ------------------------------------------

GAP_WITHOUT_IMPORTS = {"tc_index": -0.6, "rca_index": 0.5, "gvc_forward": 0.1, "gvc_backward": 0.45,
                       "risk_weighted_hhi": 0.3, "geo_risk_share": 0.6, "non_market_pressure": 3,
                       "substitutability": 0.2}  # fmt: skip


def test_dependence_exactly_at_the_precondition_allows_missing(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.30, **GAP_WITHOUT_IMPORTS)
    assert r.dependence_met is True
    assert r.primary_type == Outcome.MISSING  # lock_in 0.65 × g(1.0)


def test_dependence_just_below_the_precondition_blocks_missing(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.29, **GAP_WITHOUT_IMPORTS)
    assert r.dependence_met is False
    assert r.primary_type == Outcome.MONITOR
    assert r.type_scores[RiskType.MISSING] == pytest.approx(0.65)  # reported, not assigned


def test_no_dependence_also_blocks_normal_dependence(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.29, tc_index=-0.6, rca_index=0.5,
             gvc_forward=0.1, gvc_backward=0.45, **_exposure(0, 0.1))  # fmt: skip
    assert not r.normal_dependence
    assert r.primary_type == Outcome.MONITOR


# --- retained position: RCA ≥ 1.25 and TC > 0.5 ------------------------------------------------

RELOCATING = {"capacity_share_change": -0.15, "employment_change": -0.3, "firm_count_change": -0.2,
              "key_market_share_change": -0.15, "relocation_intent": 0.15}  # fmt: skip


@pytest.mark.parametrize(
    ("rca", "tc", "retained"),
    [(1.25, 0.51, True), (1.2499, 0.51, False), (1.3, 0.5, False), (1.3, 0.5001, True)],
)
def test_retained_position_boundaries(make_inventory, taxonomy, rca, tc, retained):
    r = _one(make_inventory, taxonomy, rca_index=rca, tc_index=tc, **RELOCATING)
    gate = r.gates["transfer"]
    assert gate.retained is retained
    # employment −30 % is evidence 1.0: full count, halved when the position is retained
    assert gate.factor == (0.5 if retained else 1.0)


@pytest.mark.parametrize(("nmp", "factor"), [(0, 0.0), (1, 0.5), (2, 1.0), (3, 1.0)])
def test_route_switch_counts_fully_from_level_two(make_inventory, taxonomy, nmp, factor):
    r = _one(make_inventory, taxonomy, alt_route_adoption=0.5, sep_share=0.05,
             non_market_pressure=nmp)  # fmt: skip
    assert r.gates["route_switch"].factor == pytest.approx(factor)


@pytest.mark.parametrize(("employment", "factor"), [(-0.075, 0.5), (-0.15, 1.0), (-0.3, 1.0)])
def test_transfer_counts_fully_from_half_the_evidence(make_inventory, taxonomy, employment, factor):
    r = _one(make_inventory, taxonomy, **{**RELOCATING, "employment_change": employment})
    assert r.gates["transfer"].factor == pytest.approx(factor)


# --- the same boundaries as properties: a threshold set to the very value a chain gets ---------


def _scoring(taxonomy: Taxonomy, **changes: object) -> Taxonomy:
    data = taxonomy.scoring.model_dump()
    for path, value in changes.items():
        node = data
        *parents, leaf = path.split("__")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return taxonomy.with_changes(scoring=data)


def _table(inv, taxonomy):
    return score_values(values_of(inv, taxonomy), profile_of(inv), taxonomy)


levels = st.sampled_from([0.0, 1.0, 2.0, 3.0])
days = st.floats(30, 180, allow_nan=False)


@SETTINGS
@given(ew=levels, co=levels, sr=levels, d=days)
def test_assignment_is_at_or_above_the_threshold(make_inventory, taxonomy, ew, co, sr, d):
    row = {"chain_id": "c", "chain_name": "c", "early_warning": ew, "coordination": co,
           "security_review": sr, "policy_response_days": d}  # fmt: skip
    inv = make_inventory([row])
    score = float(_table(inv, taxonomy).classification.type_score[0, 2])
    if not 0.01 < score < 0.99:
        return
    at = _scoring(taxonomy, assign_threshold=score)
    above = _scoring(taxonomy, assign_threshold=math.nextafter(score, 1.0))
    assert OUTCOME_ORDER[_table(inv, at).classification.outcome[0]] == Outcome.RESPONSE
    assert OUTCOME_ORDER[_table(inv, above).classification.outcome[0]] == Outcome.MONITOR
    for band in ("low", "medium", "high"):
        cuts = {"low": 0.001, "medium": 0.002, "high": 0.999}
        cuts[band] = score
        if not cuts["low"] < cuts["medium"] < cuts["high"]:
            continue
        lv = _scoring(taxonomy, levels__low=cuts["low"], levels__medium=cuts["medium"],
                      levels__high=cuts["high"])  # fmt: skip
        code = int(_table(inv, lv).classification.level[0, 2])
        assert code == ("low", "medium", "high").index(band) + 1


@SETTINGS
@given(nmp=st.floats(0, 3, allow_nan=False), geo=st.floats(0.1, 0.6, allow_nan=False))
def test_normal_dependence_needs_exposure_strictly_below_its_limit(make_inventory, taxonomy, nmp, geo):
    row = {"chain_id": "c", "chain_name": "c", **GAP_ONE, "non_market_pressure": nmp,
           "geo_risk_share": geo}  # fmt: skip
    inv = make_inventory([row])
    exposure = float(_table(inv, taxonomy).classification.exposure[0])
    if not 0.001 < exposure < 0.999:
        return
    at = _scoring(taxonomy, normal_dependence__exposure_max=exposure)
    above = _scoring(taxonomy, normal_dependence__exposure_max=math.nextafter(exposure, 1.0))
    assert not _table(inv, at).classification.normal_dependence[0]
    assert _table(inv, above).classification.normal_dependence[0]


@SETTINGS
@given(dep=st.floats(0.31, 0.9, allow_nan=False), tc=st.floats(-0.6, 0.2, allow_nan=False))
def test_normal_dependence_needs_the_gap_at_or_above_its_minimum(make_inventory, taxonomy, dep, tc):
    row = {"chain_id": "c", "chain_name": "c", "import_dependence": dep, "tc_index": tc,
           **_exposure(0, 0.1)}  # fmt: skip
    inv = make_inventory([row])
    gap = float(_table(inv, taxonomy).classification.gap[0])
    if not 0.001 < gap < 0.999:
        return
    at = _scoring(taxonomy, normal_dependence__gap_min=gap)
    above = _scoring(taxonomy, normal_dependence__gap_min=math.nextafter(gap, 1.0))
    assert _table(inv, at).classification.normal_dependence[0]
    assert not _table(inv, above).classification.normal_dependence[0]


@SETTINGS
@given(dep=st.floats(0.01, 0.99, allow_nan=False))
def test_dependence_precondition_is_at_or_above_its_minimum(make_inventory, taxonomy, dep):
    row = {"chain_id": "c", "chain_name": "c", "import_dependence": dep, **GAP_WITHOUT_IMPORTS}
    inv = make_inventory([row])
    at = _scoring(taxonomy, dependence__minimum=dep)
    above = _scoring(taxonomy, dependence__minimum=math.nextafter(dep, 1.0))
    assert _table(inv, at).classification.dependence_met[0]
    assert not _table(inv, above).classification.dependence_met[0]


@SETTINGS
@given(present=st.lists(st.booleans(), min_size=4, max_size=4))
def test_coverage_threshold_is_inclusive(make_inventory, taxonomy, present):
    ids = ("early_warning", "coordination", "security_review", "policy_response_days")
    values = dict(zip(ids, (1.0, 1.0, 1.0, 100.0), strict=True))
    row = {"chain_id": "c", "chain_name": "c",
           **{i: v for i, v, p in zip(ids, values.values(), present, strict=True) if p}}  # fmt: skip
    inv = make_inventory([row])
    col = taxonomy.capability_dimensions.index("management_system")
    coverage = float(_table(inv, taxonomy).coverage[0, col])
    if coverage == 0:
        return
    at = _scoring(taxonomy, min_coverage=round(coverage, 9))
    above = _scoring(taxonomy, min_coverage=min(1.0, round(coverage, 9) + 1e-6))
    assert _table(inv, at).sufficient[0, col]
    if coverage < 1.0:
        assert not _table(inv, above).sufficient[0, col]
    # the default rule: sufficient exactly from half the weight
    assert bool(_table(inv, taxonomy).sufficient[0, col]) == (sum(present) >= 2)


# --- weakest segment: the primary type's highest score; ties to the first listed --------------


def _segments(make_inventory, taxonomy, *rows):
    full = [{"chain_id": "S", "chain_name": "s", **r} for r in rows]
    return assess_inventory(make_inventory(full), taxonomy, robustness=False).chains[0]


BASIC_RESEARCH_GAP = {"tech_gap_years": 10, "core_patent_share": 0.05, "basic_research_share": 0.05,
                      "rd_intensity": 0.01}  # fmt: skip
DESTROYED_06 = {"alt_route_adoption": 0.34, "sep_share": 0.15, "non_market_pressure": 2}  # 0.62
MISSING_BLOCKED = {"import_dependence": 0.1, **GAP_WITHOUT_IMPORTS}


def test_weakest_segment_is_chosen_by_the_primary_type_not_any_score(make_inventory, taxonomy):
    route_064 = {"alt_route_adoption": 0.36, "sep_share": 0.15, "non_market_pressure": 2}
    chain = _segments(
        make_inventory, taxonomy,
        # destroyed 0.62 assigned, and a missing score of 0.94 that is no verdict (no dependence)
        {"segment": "both", **MISSING_BLOCKED, **DESTROYED_06, **BASIC_RESEARCH_GAP},
        {"segment": "route", **route_064},  # destroyed 0.64
    )  # fmt: skip
    both, route = chain.segments
    assert both.primary_type == route.primary_type == Outcome.DESTROYED
    assert both.type_scores[RiskType.MISSING] > route.type_scores[RiskType.DESTROYED]
    assert route.type_scores[RiskType.DESTROYED] > both.type_scores[RiskType.DESTROYED]
    assert chain.primary_type == Outcome.DESTROYED
    assert chain.weakest_segment == "route"


def test_a_monitored_segment_never_outranks_an_assigned_type(make_inventory, taxonomy):
    chain = _segments(
        make_inventory, taxonomy,
        {"segment": "no-dependence", **MISSING_BLOCKED},  # monitor, missing score 0.65
        {"segment": "false-chokepoint", **GAP_ONE, **_exposure(0, 0.1)},  # normal dep., gap 1.0
        {"segment": "route", **DESTROYED_06},  # destroyed 0.62
    )  # fmt: skip
    assert [s.primary_type for s in chain.segments] == [
        Outcome.MONITOR, Outcome.NORMAL_DEPENDENCE, Outcome.DESTROYED,
    ]  # fmt: skip
    assert chain.primary_type == Outcome.DESTROYED
    assert chain.weakest_segment == "route"


def test_without_an_assigned_type_normal_dependence_outranks_monitor(make_inventory, taxonomy):
    chain = _segments(
        make_inventory, taxonomy,
        {"segment": "no-dependence", **MISSING_BLOCKED},
        {"segment": "false-chokepoint", **GAP_ONE, **_exposure(0, 0.1)},
    )  # fmt: skip
    assert chain.primary_type == Outcome.NORMAL_DEPENDENCE
    assert chain.weakest_segment == "false-chokepoint"


ALL_RISK = {"response": _response_at(180, 0),
            "destroyed": {"capacity_share_change": -0.15, "employment_change": -0.3,
                          "firm_count_change": -0.2, "key_market_share_change": -0.15,
                          "relocation_intent": 0.15}}  # fmt: skip


def test_equal_scores_of_different_types_follow_the_type_order(make_inventory, taxonomy):
    # response 1.0 listed first, destroyed 1.0 second: the type order makes the chain destroyed
    chain = _segments(
        make_inventory, taxonomy,
        {"segment": "response", **ALL_RISK["response"]},
        {"segment": "destroyed", **ALL_RISK["destroyed"]},
    )  # fmt: skip
    first, second = chain.segments
    assert first.type_scores[RiskType.RESPONSE] == 1.0
    assert second.type_scores[RiskType.DESTROYED] == 1.0
    assert chain.primary_type == Outcome.DESTROYED
    assert chain.weakest_segment == "destroyed"


@SETTINGS
@given(order=st.permutations(["a", "b", "c", "d"]), top=st.integers(0, 3))
def test_weakest_segment_is_the_first_listed_among_equals(make_inventory, taxonomy, order, top):
    strong, weak = _response_at(180, 0), _response_at(60, 2)
    rows = [{"segment": s, **(strong if k >= top else weak)} for k, s in enumerate(order)]
    chain = _segments(make_inventory, taxonomy, *rows)
    assert chain.weakest_segment == order[top]
    assert [s.segment for s in chain.segments] == list(order)


def test_every_segment_result_is_its_own(make_inventory, taxonomy):
    chain = _segments(
        make_inventory, taxonomy,
        {"segment": "x", **_response_at(180, 0)}, {"segment": "y", **GAP_HALF},
    )  # fmt: skip
    x, y = chain.segments
    assert np.isclose(x.type_scores[RiskType.RESPONSE], 1.0)
    assert y.type_scores[RiskType.RESPONSE] is None
    assert chain.type_scores == x.type_scores
