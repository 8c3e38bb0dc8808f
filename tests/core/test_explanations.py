"""Explanations read like a memo and never contradict the rule (issue 10, points 8 and 9)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Outcome, RiskType
from riskdesk.core.text import cuts_for, fmt_compared, fmt_percent, fmt_value, no_data


def _one(make_inventory, taxonomy, **row):
    row.setdefault("chain_id", "c")
    row.setdefault("chain_name", "c")
    return assess_inventory(make_inventory([row]), taxonomy, robustness=False).chains[0]


# --- numbers stay on their side of every threshold ---------------------------------------------


def test_a_number_never_crosses_a_threshold_in_print():
    cuts = (0.30, 0.50, 0.75)
    assert fmt_compared(0.4979, cuts) == "0.498"  # 中, not "0.50"
    assert fmt_compared(0.5004, cuts) == "0.50"  # 高, and "0.50" is already ≥ 0.50
    assert fmt_compared(0.5, cuts) == "0.50"
    assert fmt_compared(0.29999, cuts) == "0.29999"
    assert fmt_compared(0.7499999999, cuts).startswith("0.749")
    assert fmt_percent(0.2996, cuts=(0.30,)) == "29.96%"
    assert fmt_percent(0.30, cuts=(0.30,)) == "30%"


@settings(max_examples=300, deadline=None)
@given(value=st.floats(-2, 2, allow_nan=False), cut=st.floats(-2, 2, allow_nan=False))
def test_printed_value_is_on_the_same_side_as_the_raw_value(value, cut):
    shown = float(fmt_compared(value, (cut,)))
    assert (shown >= cut) == (value >= cut)


@settings(max_examples=200, deadline=None)
@given(value=st.floats(0, 1, allow_nan=False), cut=st.floats(0, 1, allow_nan=False))
def test_percent_is_on_the_same_side_as_the_raw_value(value, cut):
    shown = float(fmt_percent(value, cuts=(cut,)).rstrip("%")) / 100
    assert (shown >= cut) == (value >= cut)


def test_a_score_between_two_prints_is_given_the_decimals_it_needs(make_inventory, taxonomy):
    # management_system risks .5, .5, .5 and a lag of 104.85 days: just below the 0.5 threshold
    r = _one(make_inventory, taxonomy, early_warning=1.5, coordination=1.5, security_review=1.5,
             policy_response_days=104.85)  # fmt: skip
    score = r.type_scores[RiskType.RESPONSE]
    assert score is not None and 0.4995 < score < 0.5
    assert r.primary_type == Outcome.MONITOR
    printed = fmt_compared(score, cuts_for(taxonomy, "score"))
    assert float(printed) < 0.5
    assert printed in r.explanation.zh
    assert "0.50（中）" not in r.explanation.zh


# --- sentences ----------------------------------------------------------------------------------


def test_units_are_said_once(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, tech_gap_years=15, basic_research_share=0.05,
             core_patent_share=0.05, rd_intensity=0.01)  # fmt: skip
    assert "技术差距(年) 15" in r.explanation.zh
    assert "15 年" not in r.explanation.zh
    assert "Technology gap (years) 15" in r.explanation.en
    assert "15 years" not in r.explanation.en
    years = taxonomy.indicator_by_id["tech_gap_years"]
    assert fmt_value(years, 15, "zh") == "15 年"  # a table cell without the name keeps its unit


def test_share_changes_are_percentage_points(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, key_market_share_change=-0.13, capacity_share_change=-0.12,
             employment_change=-0.3, firm_count_change=-0.02)  # fmt: skip
    assert "主要出口市场份额变化 -13 个百分点" in r.explanation.zh
    assert "Change in share of key export market -13 pp" in r.explanation.en
    assert "-13%" not in r.explanation.zh
    # the capacity share's name already says 百分点: the number follows without a second unit
    assert "全球产能份额变化(百分点) -12（" in r.explanation.zh
    assert "从业人数变化率 -30%" in r.explanation.zh  # a rate stays a percentage


def test_drivers_that_contribute_nothing_are_left_out(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, ttr_tts_ratio=2.5, inventory_days=60,
             qualified_alt_suppliers=3, single_source_share=0.7)  # fmt: skip
    names = [d.indicator for d in r.explanation.drivers]
    assert "inventory_days" not in names  # at its safe anchor: risk 0
    assert "qualified_alt_suppliers" not in names
    assert all(d.contribution > 0 for d in r.explanation.drivers)
    assert "贡献 0.00" not in r.explanation.zh
    assert "contribution 0.00" not in r.explanation.en


def test_normal_dependence_speaks_of_the_gap_without_a_contradicting_level(
    make_inventory, taxonomy
):
    r = _one(make_inventory, taxonomy, import_dependence=0.9, tc_index=-0.6, rca_index=0.5,
             gvc_forward=0.1, gvc_backward=0.45, risk_weighted_hhi=0.05, geo_risk_share=0.1,
             non_market_pressure=0, substitutability=0.8)  # fmt: skip
    assert r.primary_type == Outcome.NORMAL_DEPENDENCE
    zh, en = r.explanation.zh, r.explanation.en
    assert "能力缺失型得分" not in zh  # no "能力缺失型得分 0.58（高）" after the verdict
    assert "Capability missing scores" not in en
    assert "能力差距 1.00（≥ 0.50" in zh and "< 0.30）" in zh  # the rule's own comparison
    assert "(< 0.30)" in en


def test_monitor_is_said_once(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, early_warning=3, coordination=2, security_review=3,
             policy_response_days=40)  # fmt: skip
    assert r.primary_type == Outcome.MONITOR
    assert r.explanation.zh.count("暂无突出风险") == 1
    assert r.explanation.en.count("No dominant risk") == 1


def test_absent_data_is_no_data_never_missing(make_inventory, taxonomy):
    assert no_data("zh") == "无数据"
    assert no_data("en") == "no data"
    r = _one(make_inventory, taxonomy, import_dependence=0.9, tc_index=-0.6, rca_index=0.5)
    assert r.exposure is None
    ind = taxonomy.indicator_by_id["import_dependence"]
    assert fmt_value(ind, None, "zh") == "无数据"
    assert fmt_value(ind, math.nan, "en") == "no data"
    # 缺失 appears only as the type's name (能力缺失型), never for data
    assert re.sub("能力缺失型", "", r.explanation.zh).count("缺失") == 0
    assert re.sub("(?i)capability missing", "", r.explanation.en).count("missing") == 0


def test_dependence_sentences_use_the_rules_comparison(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, import_dependence=0.2996, tc_index=-0.6, rca_index=0.5,
             gvc_forward=0.1, gvc_backward=0.45)  # fmt: skip
    assert r.dependence_met is False
    assert "29.96% < 30%" in r.explanation.zh  # not "30% < 30%"


def test_gate_sentences_say_what_the_gate_did(make_inventory, taxonomy):
    r = _one(make_inventory, taxonomy, alt_route_adoption=0.5, sep_share=0.05,
             non_market_pressure=1)  # fmt: skip
    assert r.gates["route_switch"].factor == pytest.approx(0.5)
    assert "非市场驱动系数 0.50" in r.explanation.zh
    assert "non-market driver factor 0.50" in r.explanation.en


def test_segment_explanations_name_their_segment(make_inventory, taxonomy):
    rows = [
        {"chain_id": "S", "chain_name": "s", "segment": "设计", "early_warning": 0,
         "coordination": 0, "security_review": 0, "policy_response_days": 180},
        {"chain_id": "S", "chain_name": "s", "segment": "封装测试", "early_warning": 3,
         "coordination": 3, "security_review": 3, "policy_response_days": 30},
    ]  # fmt: skip
    chain = assess_inventory(make_inventory(rows), taxonomy, robustness=False).chains[0]
    assert chain.explanation.zh.startswith("按环节逐一评估")
    assert "最薄弱环节“设计”" in chain.explanation.zh
    assert "设计 能力响应型 1.00" in chain.explanation.zh
    assert "封装测试 暂无突出风险" in chain.explanation.zh
    for seg in chain.segments:
        assert seg.explanation.zh.startswith(f"环节“{seg.segment}”：")
        assert seg.explanation.en.startswith(f"Segment “{seg.segment}”: ")
