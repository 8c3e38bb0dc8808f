"""Hand-computed scores and the classification rules of SPEC §5, on small inventories."""

from __future__ import annotations

import math

import pytest

from riskdesk.core.assess import Portfolio, assess_inventory
from riskdesk.core.models import Outcome, RiskLevel, RiskType


def _one(make_inventory, taxonomy, **row):
    row.setdefault("chain_id", "c1")
    row.setdefault("chain_name", "test chain")
    run = assess_inventory(make_inventory([row]), taxonomy, robustness=False)
    return run.chains[0]


def test_anchor_mapping_is_linear_clipped_and_follows_direction(make_inventory, taxonomy):
    # import_dependence: safe 0.30 → critical 0.90 (higher is worse)
    # rd_intensity: safe 0.05 → critical 0.01 (lower is worse)
    r = _one(make_inventory, taxonomy, import_dependence=0.60, rd_intensity=0.0, tc_index=0.5)
    assert r.indicators["import_dependence"].risk == pytest.approx(0.5)
    assert r.indicators["rd_intensity"].risk == 1.0  # below the critical anchor: clipped
    assert r.indicators["tc_index"].risk == 0.0  # better than safe: clipped to 0
    assert r.indicators["basic_research_share"].risk is None  # missing stays missing


def test_dimension_is_weighted_mean_of_present_indicators_with_coverage(make_inventory, taxonomy):
    # lock_in weights: import_dependence .35, tc .20, rca .15, gvc_forward .15, gvc_backward .15
    r = _one(make_inventory, taxonomy, import_dependence=0.90, tc_index=0.2, gvc_forward=0.20)
    lock_in = r.dimension_scores["lock_in"]
    # risks: 1.0, 0.0, 0.5 ; weights .35 .20 .15 → (0.35 + 0 + 0.075) / 0.70
    assert lock_in.score == pytest.approx(0.425 / 0.70)
    assert lock_in.coverage == pytest.approx(0.70)
    assert lock_in.sufficient


def test_low_coverage_dimension_is_shown_but_does_not_classify(make_inventory, taxonomy):
    # one stray indicator: alt_route_adoption at its critical anchor covers 40 % of route_switch
    r = _one(make_inventory, taxonomy, alt_route_adoption=0.9)
    dim = r.dimension_scores["route_switch"]
    assert dim.score == 1.0
    assert not dim.sufficient
    assert r.type_scores[RiskType.DESTROYED] is None
    assert r.primary_type == Outcome.INSUFFICIENT_EVIDENCE
    assert r.strategy == "monitor"
    assert r.data_to_collect  # says what to collect first
    assert "sep_share" in r.data_to_collect


def test_missing_type_is_damped_by_exposure(make_inventory, taxonomy):
    gap_row = {
        "import_dependence": 0.90,
        "tc_index": -0.6,
        "rca_index": 0.5,
    }  # lock_in = 1.0, cov .70
    exposed = _one(
        make_inventory,
        taxonomy,
        **gap_row,
        risk_weighted_hhi=0.30,
        geo_risk_share=0.60,
        non_market_pressure=3,
    )
    assert exposed.exposure == pytest.approx(1.0)
    assert exposed.type_scores[RiskType.MISSING] == pytest.approx(1.0)  # g(1) = 1
    half = _one(
        make_inventory,
        taxonomy,
        **gap_row,
        risk_weighted_hhi=0.175,
        geo_risk_share=0.35,
        non_market_pressure=1.5,
    )
    assert half.exposure == pytest.approx(0.5)
    assert half.type_scores[RiskType.MISSING] == pytest.approx(0.4 + 0.6 * 0.5)
    assert half.risk_levels[RiskType.MISSING] == RiskLevel.HIGH


def test_unknown_exposure_uses_the_neutral_assumption_not_zero_or_full(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.90, tc_index=-0.6, rca_index=0.5)
    assert r.exposure is None
    assert r.type_scores[RiskType.MISSING] == pytest.approx(0.4 + 0.6 * 0.5)
    assert "neutral" in r.explanation.en


def test_gap_with_safe_supply_is_normal_dependence(make_inventory, taxonomy):
    r = _one(
        make_inventory,
        taxonomy,
        import_dependence=0.90,
        tc_index=-0.6,
        rca_index=0.5,
        risk_weighted_hhi=0.05,
        geo_risk_share=0.05,
        non_market_pressure=0,
        substitutability=0.8,
    )
    assert r.normal_dependence
    assert r.primary_type == Outcome.NORMAL_DEPENDENCE
    assert RiskType.MISSING not in r.types
    assert r.strategy == "monitor"
    assert "normal_dependence.no_localisation" in r.measures or any(
        m.startswith("normal_dependence") for m in r.measures
    )


def test_no_type_above_threshold_is_monitor(make_inventory, taxonomy):
    r = _one(
        make_inventory,
        taxonomy,
        early_warning=3,
        coordination=2,
        security_review=3,
        policy_response_days=40,
    )
    assert r.type_scores[RiskType.RESPONSE] is not None
    assert r.type_scores[RiskType.RESPONSE] < 0.5
    assert r.primary_type == Outcome.MONITOR
    assert r.strategy == "monitor"


def test_multi_label_primary_is_highest_and_ties_follow_type_order(make_inventory, taxonomy):
    row = {
        # destroyed via route_switch = 1.0
        "alt_route_adoption": 0.5,
        "sep_share": 0.05,
        "non_market_pressure": 3,
        # response via management_system = 1.0
        "early_warning": 0,
        "coordination": 0,
        "security_review": 0,
        "policy_response_days": 200,
    }
    r = _one(make_inventory, taxonomy, **row)
    assert set(r.types) == {RiskType.DESTROYED, RiskType.RESPONSE}
    assert r.primary_type == Outcome.DESTROYED  # tie at 1.0 → order missing, destroyed, response
    assert r.tie
    assert "order" in r.explanation.en
    r2 = _one(make_inventory, taxonomy, **{**row, "policy_response_days": 30})
    assert r2.type_scores[RiskType.RESPONSE] == pytest.approx(0.75)
    assert r2.primary_type == Outcome.DESTROYED and not r2.tie


@pytest.mark.parametrize(
    ("tech", "generality", "strategic", "suppliers", "sub", "mode"),
    [
        ("emerging", 5, 5, 2, "leadership", "government_led"),
        ("core", 5, 4, None, "domestic_substitution", "government_led"),  # unknown suppliers pass
        ("foundational", 2, 5, 2, "asymmetric_advantage", "market_led"),
        ("mature", 5, 5, 1, "domestic_substitution", "government_led"),  # ensure local substitution
        ("mature", 3, 5, 1, None, "market_led"),
        ("core", None, 5, 2, "domestic_substitution", None),  # generality unknown: undetermined
    ],
)
def test_sub_strategy_and_priority_rule(
    make_inventory, taxonomy, tech, generality, strategic, suppliers, sub, mode
):
    r = _one(
        make_inventory,
        taxonomy,
        import_dependence=0.9,
        tc_index=-0.6,
        rca_index=0.5,
        risk_weighted_hhi=0.3,
        geo_risk_share=0.6,
        non_market_pressure=3,
        tech_category=tech,
        generality=generality,
        strategic_value=strategic,
        supplier_count=suppliers,
    )
    assert r.primary_type == Outcome.MISSING
    assert r.strategy == "gradient_cultivation"
    assert r.sub_strategy == sub
    assert r.priority_mode == mode
    if mode is None:
        assert r.priority_note


def test_explanation_names_driving_dimension_and_top_three_contributions(make_inventory, taxonomy):
    r = _one(
        make_inventory,
        taxonomy,
        ttr_tts_ratio=2.5,
        inventory_days=7,
        qualified_alt_suppliers=0,
        single_source_share=0.5,
        logistics_concentration=0.5,
    )
    assert r.primary_type == Outcome.RESPONSE
    drivers = [d for d in r.explanation.drivers if d.type == RiskType.RESPONSE]
    assert len(drivers) == 3
    assert [d.indicator for d in drivers] == [
        "ttr_tts_ratio",
        "inventory_days",
        "qualified_alt_suppliers",
    ]
    # contribution = weight × r / Σ present weights: .25 × 1 / (.25+.15+.15+.15+.10)
    assert drivers[0].contribution == pytest.approx(0.25 / 0.80)
    assert "TTR/TTS" in r.explanation.zh or "恢复时间" in r.explanation.zh
    assert "Time-to-recover" in r.explanation.en
    assert r.explanation.driving_dimensions["response"] == "own_capacity"


def test_segments_roll_up_to_max_and_name_the_weakest(make_inventory, taxonomy):
    # 001's chip chain: design riskier than manufacturing, packaging & test the safest
    common = {"chain_id": "chip", "chain_name": "集成电路", "tech_category": "core"}
    rows = [
        {
            **common,
            "segment": "封装测试",
            "early_warning": 2,
            "coordination": 2,
            "security_review": 2,
            "policy_response_days": 60,
        },
        {
            **common,
            "segment": "设计",
            "early_warning": 0,
            "coordination": 1,
            "security_review": 0,
            "policy_response_days": 150,
        },
        {
            **common,
            "segment": "制造",
            "early_warning": 1,
            "coordination": 1,
            "security_review": 1,
            "policy_response_days": 120,
        },
    ]
    run = assess_inventory(make_inventory(rows), taxonomy, robustness=False)
    (chain,) = run.chains
    seg = {s.segment: s.type_scores[RiskType.RESPONSE] for s in chain.segments}
    assert chain.type_scores[RiskType.RESPONSE] == max(seg.values())
    assert chain.weakest_segment == "设计"
    assert seg["设计"] > seg["制造"] > seg["封装测试"]
    assert chain.primary_type == Outcome.RESPONSE
    assert "设计" in chain.explanation.zh


def test_robustness_is_seeded_and_flags_borderline_cases(make_inventory, taxonomy):
    rows = [
        {
            "chain_id": "solid",
            "chain_name": "s",
            "early_warning": 0,
            "coordination": 0,
            "security_review": 0,
            "policy_response_days": 180,
        },
        # response exactly near the threshold: weights moving by ±25 % flip it
        {
            "chain_id": "edge",
            "chain_name": "e",
            "early_warning": 0,
            "coordination": 3,
            "security_review": 3,
            "policy_response_days": 180,
        },
    ]
    portfolio = Portfolio(make_inventory(rows), taxonomy)
    a = portfolio.measure_robustness(draws=200)
    b = Portfolio(make_inventory(rows), taxonomy).measure_robustness(draws=200)
    assert list(a.stability) == list(b.stability)
    stability = dict(zip(portfolio.groups.chain_ids, a.stability, strict=True))
    assert stability["solid"] == 1.0
    assert 0.1 < stability["edge"] < 0.9
    edge = portfolio.chain_result(portfolio.group_index("edge"))
    assert edge.robustness is not None
    assert edge.robustness.alternatives  # names what it flips to


def test_all_scores_are_finite_or_none(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.5)
    for value in r.type_scores.values():
        assert value is None or (0.0 <= value <= 1.0 and math.isfinite(value))
