"""The cases of issue 10, each with the verdict the papers give — not what the engine printed.

* footwear moving to Southeast Asia while China keeps TC 0.9 / RCA 3.0 (001 table 2: footwear's
  share of US imports −17.36 pp): low-value assembly moves, the position stays — 003 does not call
  that capability destroyed, and it must not rank with lithography;
* fuel cars → NEVs: a route switch China leads, with no non-market driver — 003: a lost route
  contest under market conditions is not a security problem;
* ball-point pen-tip steel (002 case 1): in 2010 a large gap with a reliable supplier list is a
  false chokepoint (normal dependence), the same gap with Japan rated high-risk is capability
  missing; in 2017 about 10 % is imported — no dependence, so no dependence verdict at all;
* a chain whose segment A is normal dependence and segment B monitor must not become missing;
* an import-only product has no TC (missing, not −1).
"""

from __future__ import annotations

import pandas as pd
import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Outcome, RiskLevel, RiskType
from riskdesk.core.trade import CountryRiskList


def _run(make_inventory, taxonomy, rows, *, trade=None, risk=None, robustness=False):
    inv = make_inventory(rows)
    if trade is not None:
        inv.trade = pd.DataFrame(
            trade, columns=["product", "reporter", "partner", "year", "flow", "value"]
        )
    return assess_inventory(inv, taxonomy, country_risk=risk, robustness=robustness)


FOOTWEAR = {
    "chain_id": "FOOTWEAR",
    "chain_name": "鞋类",
    "tech_category": "mature",
    "strategic_value": 2,
    "generality": 2,
    "tc_index": 0.9,
    "rca_index": 3.0,
    "capacity_share_change": -0.10,
    "relocation_intent": 0.12,
    "employment_change": -0.20,
    "firm_count_change": -0.15,
    "key_market_share_change": -0.1736,  # 001 table 2, HS 64–67
    "rca_trend": 0.0,  # RCA kept
}
EXPOSED = {
    "risk_weighted_hhi": 0.25,
    "geo_risk_share": 0.6,
    "non_market_pressure": 3,
    "substitutability": 0.1,
}
LITHOGRAPHY = {
    "chain_id": "LITHO",
    "chain_name": "光刻机",
    "tech_category": "core",
    "strategic_value": 5,
    "generality": 5,
    "import_dependence": 0.95,
    "tc_index": -0.8,
    "rca_index": 0.2,
    "tech_gap_years": 15,
    "core_patent_share": 0.02,
    "basic_research_share": 0.05,
    "rd_intensity": 0.02,
    "supplier_count": 1,
    "global_top3_share": 0.95,
    **EXPOSED,
}
AERO_ENGINES = {  # the demo's figures (003: lock-in by the division of labour)
    "chain_id": "AERO",
    "chain_name": "航空发动机",
    "tech_category": "core",
    "strategic_value": 5,
    "generality": 4,
    "import_dependence": 0.85,
    "tc_index": -0.62,
    "rca_index": 0.35,
    "gvc_forward": 0.136,
    "gvc_backward": 0.32,
    "tech_gap_years": 12,
    "supplier_count": 3,
    "risk_weighted_hhi": 0.20,
    "geo_risk_share": 0.55,
    "non_market_pressure": 2,
    "substitutability": 0.2,
}
EDA = {  # 001: 95 % of design software imported; 003: three firms hold ~90 %
    "chain_id": "EDA",
    "chain_name": "工业软件与EDA",
    "tech_category": "core",
    "strategic_value": 5,
    "generality": 5,
    "import_dependence": 0.95,
    "global_top3_share": 0.90,
    "core_patent_share": 0.03,
    "rd_intensity": 0.015,
    "basic_research_share": 0.05,
    "tech_gap_years": 10,
    "supplier_count": 3,
    **EXPOSED,
}
AIRLINERS = {
    "chain_id": "AIRLINER",
    "chain_name": "干线客机",
    "tech_category": "core",
    "strategic_value": 5,
    "generality": 4,
    "import_dependence": 0.6,
    "tc_index": -0.7,
    "rca_index": 0.3,
    "gvc_backward": 0.4,
    "tech_gap_years": 10,
    "core_patent_share": 0.05,
    "basic_research_share": 0.06,
    "risk_weighted_hhi": 0.2,
    "geo_risk_share": 0.5,
    "non_market_pressure": 2,
    "substitutability": 0.2,
}


def test_footwear_relocation_is_not_critical_capability_destruction(make_inventory, taxonomy):
    (shoes,) = _run(make_inventory, taxonomy, [FOOTWEAR]).chains
    assert shoes.risk_levels[RiskType.DESTROYED] != RiskLevel.CRITICAL
    assert shoes.primary_type != Outcome.DESTROYED
    gate = shoes.gates["transfer"]
    assert gate.retained  # RCA 3.0 ≥ 1.25 and TC 0.9 > 0.5
    assert gate.factor < 1.0
    assert "RCA 3.00 ≥ 1.25" in shoes.explanation.zh
    assert "TC 0.90 > 0.50" in shoes.explanation.en


def test_footwear_ranks_below_lithography_aero_engines_eda_and_airliners(make_inventory, taxonomy):
    run = _run(make_inventory, taxonomy, [FOOTWEAR, LITHOGRAPHY, AERO_ENGINES, EDA, AIRLINERS])
    by_id = {c.chain_id: c for c in run.chains}
    for chain_id in ("LITHO", "AERO", "EDA", "AIRLINER"):
        assert by_id[chain_id].primary_type == Outcome.MISSING, chain_id
        assert by_id["FOOTWEAR"].priority_score < by_id[chain_id].priority_score, chain_id
    assert by_id["FOOTWEAR"].importance < by_id["LITHO"].importance


NEV_SWITCH = {
    "chain_id": "ICE-NEV",
    "chain_name": "燃油车→新能源车",
    "tech_category": "mature",
    "strategic_value": 4,
    "generality": 4,
    "alt_route_adoption": 0.5,  # the new route is widely adopted
    "sep_share": 0.05,  # the old route's standards were never ours
}


def test_market_led_route_switch_is_not_capability_destruction(make_inventory, taxonomy):
    """China leads the new route; nothing non-market drives it (non-market pressure 0)."""
    (car,) = _run(
        make_inventory, taxonomy, [{**NEV_SWITCH, "non_market_pressure": 0, "standard_push": 0}]
    ).chains
    # (.4·1 + .35·1 + .25·0 + .25·0) / 1.25: the switch itself is far advanced …
    assert car.dimension_scores["route_switch"].score == pytest.approx(0.6)
    # … but with no non-market driver it does not count
    assert car.gates["route_switch"].factor == 0.0
    assert car.type_scores[RiskType.DESTROYED] == 0.0
    assert car.primary_type != Outcome.DESTROYED


def test_route_switch_without_a_known_driver_is_neutral_and_says_so(make_inventory, taxonomy):
    (car,) = _run(make_inventory, taxonomy, [NEV_SWITCH]).chains
    gate = car.gates["route_switch"]
    assert gate.score is None
    assert gate.assumed == 0.5
    assert gate.factor == pytest.approx(0.75)  # 0.5 / (2/3)
    assert car.type_scores[RiskType.DESTROYED] == pytest.approx(1.0 * 0.75)  # (.4+.35)/.75 = 1
    assert "中性假设" in car.explanation.zh
    assert "neutral driver" in car.explanation.en


def test_route_switch_pushed_by_sanctions_is_capability_destruction(make_inventory, taxonomy):
    (ran,) = _run(
        make_inventory, taxonomy, [{**NEV_SWITCH, "non_market_pressure": 3, "standard_push": 3}]
    ).chains
    assert ran.primary_type == Outcome.DESTROYED
    assert ran.strategy == "defence"


PEN_TIP = {
    "chain_id": "PEN",
    "chain_name": "圆珠笔笔尖钢",
    "tech_category": "foundational",
    "strategic_value": 1,
    "generality": 2,
    "segment_market_share": 0.001,  # 002: one month of one mill covers ten years of world demand
    "global_top3_share": 0.9,
    "supplier_count": 3,
    "non_market_pressure": 0,
    "substitutability": 0.7,
}
PEN_TRADE = [  # imports by partner (002: Switzerland and Japan hold the technology)
    ("PEN", "CHN", "WLD", 2010, "import", 100.0),
    ("PEN", "CHN", "JPN", 2010, "import", 60.0),
    ("PEN", "CHN", "CHE", 2010, "import", 25.0),
    ("PEN", "CHN", "DEU", 2010, "import", 15.0),
]
RELIABLE = CountryRiskList(ratings={"JPN": 0.2, "CHE": 0.1, "DEU": 0.2})
JAPAN_HIGH_RISK = CountryRiskList(ratings={"JPN": 0.8, "CHE": 0.1, "DEU": 0.2})


def test_pen_tip_steel_2010_with_reliable_suppliers_is_normal_dependence(make_inventory, taxonomy):
    """002: the 2010 price rise was not a chokepoint — supply stayed reliable."""
    (pen,) = _run(
        make_inventory, taxonomy, [{**PEN_TIP, "import_dependence": 0.9}],
        trade=PEN_TRADE, risk=RELIABLE,
    ).chains  # fmt: skip
    assert pen.primary_type == Outcome.NORMAL_DEPENDENCE
    assert pen.exposure is not None and pen.exposure < 0.3
    assert pen.gap is not None and pen.gap >= 0.5
    assert pen.strategy == "monitor"
    assert any(m.startswith("normal_dependence.") for m in pen.measures)


def test_pen_tip_steel_2010_with_japan_high_risk_is_capability_missing(make_inventory, taxonomy):
    (pen,) = _run(
        make_inventory, taxonomy, [{**PEN_TIP, "import_dependence": 0.9}],
        trade=PEN_TRADE, risk=JAPAN_HIGH_RISK,
    ).chains  # fmt: skip
    assert pen.primary_type == Outcome.MISSING
    assert pen.indicators["geo_risk_share"].value == pytest.approx(0.6)
    assert pen.explanation.driving_dimensions["missing"] == "uneconomic_entry"
    assert pen.sub_strategy == "asymmetric_advantage"  # foundational: 003's long boards


@pytest.mark.parametrize("risk", [RELIABLE, JAPAN_HIGH_RISK], ids=["reliable", "japan-high-risk"])
def test_pen_tip_steel_2017_has_no_dependence_verdict(make_inventory, taxonomy, risk):
    """After TISCO's breakthrough about 10 % is imported: the gap is reported, nothing more."""
    (pen,) = _run(
        make_inventory, taxonomy, [{**PEN_TIP, "import_dependence": 0.10}],
        trade=[(p, r, q, 2017, f, v) for p, r, q, _, f, v in PEN_TRADE], risk=risk,
    ).chains  # fmt: skip
    assert pen.primary_type == Outcome.MONITOR
    assert pen.dependence_met is False
    assert RiskType.MISSING not in pen.types
    assert not pen.normal_dependence
    assert pen.gap is not None and pen.gap >= 0.5  # the gap is still reported …
    assert "能力差距" in pen.explanation.zh and "10% < 30%" in pen.explanation.zh
    assert "capability gap" in pen.explanation.en


def test_unknown_dependence_allows_the_verdict_with_a_note(make_inventory, taxonomy):
    row = {"chain_id": "X", "chain_name": "x", "tc_index": -0.6, "rca_index": 0.5,
           "gvc_forward": 0.1, "gvc_backward": 0.45, **EXPOSED}  # fmt: skip
    (chain,) = _run(make_inventory, taxonomy, [row]).chains
    assert chain.dependence_met is None
    assert chain.primary_type == Outcome.MISSING
    assert "对外依存度无数据" in chain.explanation.zh
    assert "Import dependence is no data" in chain.explanation.en


MIXED = [
    {  # segment A: a large gap, reliable supply → normal dependence
        "chain_id": "MIX", "chain_name": "混合链", "segment": "A",
        "import_dependence": 0.9, "tc_index": -0.6, "rca_index": 0.5,
        "risk_weighted_hhi": 0.05, "geo_risk_share": 0.05, "non_market_pressure": 0,
        "substitutability": 0.8,
    },
    {  # segment B: exposed supply, little gap → monitor
        "chain_id": "MIX", "chain_name": "混合链", "segment": "B",
        "import_dependence": 0.35, "tc_index": 0.2, "rca_index": 1.3,
        "risk_weighted_hhi": 0.3, "geo_risk_share": 0.6, "non_market_pressure": 3,
        "substitutability": 0.2,
    },
]  # fmt: skip


def test_mixed_segments_do_not_combine_one_gap_with_another_exposure(make_inventory, taxonomy):
    (chain,) = _run(make_inventory, taxonomy, MIXED).chains
    a, b = chain.segments
    assert (a.segment, a.primary_type) == ("A", Outcome.NORMAL_DEPENDENCE)
    assert (b.segment, b.primary_type) == ("B", Outcome.MONITOR)
    assert chain.primary_type == Outcome.NORMAL_DEPENDENCE  # not missing from A's gap × B's exposure
    assert chain.weakest_segment == "A"
    assert chain.exposure == a.exposure  # A's own exposure, not B's
    assert chain.type_scores == a.type_scores
    assert chain.indicators == a.indicators
    assert chain.strategies == a.strategies
    assert "“A”" in chain.explanation.zh and "常态化" in chain.explanation.zh


def test_import_only_product_has_no_tc_and_a_warning(make_inventory, taxonomy):
    trade = [
        ("TOTAL", "WLD", "WLD", 2022, "export", 1000.0),
        ("TOTAL", "CHN", "WLD", 2022, "export", 100.0),
        ("P", "WLD", "WLD", 2022, "export", 50.0),
        ("P", "CHN", "WLD", 2022, "import", 30.0),
    ]
    run = _run(
        make_inventory, taxonomy, [{"chain_id": "P", "chain_name": "p"}], trade=trade
    )
    (chain,) = run.chains
    assert chain.indicators["tc_index"].value is None  # missing, never −1
    assert chain.indicators["rca_index"].value is None
    warnings = [i for i in run.issues if i.code == "trade_indicator_missing" and "tc_index" in i.message_en]
    assert warnings
    assert "not zero" in warnings[0].message_en and "而非零" in warnings[0].message_zh
