"""Segment roll-up rules (SPEC §3, §11): the weakest segment's whole result, or 001's
value-weighted overall index."""

from __future__ import annotations

import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Outcome, RiskType

# 001: the chip chain's risk index by segment and overall (design 58.8, manufacturing 44.1,
# packaging & test 16.5, overall 41.3). 001 does not publish the weights; these value shares
# reproduce its overall index from its segment indices.
CHIP = {"设计": (0.588, 0.30), "制造": (0.441, 0.44), "封装测试": (0.165, 0.26)}


def _response_at(risk: float) -> dict[str, float]:
    """management_system with every indicator at the same risk (levels 0–3, lag 30 → 180 days)."""
    level = 3 * (1 - risk)
    return {"early_warning": level, "coordination": level, "security_review": level,
            "policy_response_days": 30 + 150 * risk}  # fmt: skip


def _chip_rows() -> list[dict[str, object]]:
    return [
        {"chain_id": "IC", "chain_name": "集成电路", "segment": seg,
         "segment_value_share": share, **_response_at(index)}
        for seg, (index, share) in CHIP.items()
    ]  # fmt: skip


def _value_weighted(taxonomy):
    scoring = taxonomy.scoring.model_dump()
    scoring["segment_rollup"] = "value_weighted"
    return taxonomy.with_changes(scoring=scoring)


def test_value_shares_reproduce_001s_overall_chip_index():
    overall = sum(index * share for index, share in CHIP.values())
    assert round(overall * 100, 1) == 41.3


def test_weakest_rule_takes_the_design_segment_and_reports_the_overall_index(
    make_inventory, taxonomy
):
    (ic,) = assess_inventory(make_inventory(_chip_rows()), taxonomy, robustness=False).chains
    assert ic.segment_rollup == "weakest"
    assert ic.weakest_segment == "设计"
    assert ic.type_scores[RiskType.RESPONSE] == pytest.approx(0.588)
    assert ic.primary_type == Outcome.RESPONSE
    assert ic.overall_index is not None
    assert round(ic.overall_index[RiskType.RESPONSE], 3) == 0.413


def test_value_weighted_rule_classifies_from_001s_overall_index(make_inventory, taxonomy):
    weighted = _value_weighted(taxonomy)
    (ic,) = assess_inventory(make_inventory(_chip_rows()), weighted, robustness=False).chains
    assert ic.segment_rollup == "value_weighted"
    assert round(ic.type_scores[RiskType.RESPONSE], 3) == 0.413
    assert ic.primary_type == Outcome.MONITOR  # 0.413 < 0.50, although design alone is 0.588
    assert ic.weakest_segment == "设计"  # its explanation and indicators are still shown
    assert ic.strategy == "monitor"
    assert "0.41" in ic.explanation.zh and "001" in ic.explanation.zh
    assert ic.priority_score == pytest.approx(0.413 * (0.4 + 0.6 * 0.5), abs=1e-3)


def test_value_weighted_rule_needs_every_share(make_inventory, taxonomy):
    rows = _chip_rows()
    del rows[2]["segment_value_share"]
    (ic,) = assess_inventory(make_inventory(rows), _value_weighted(taxonomy), robustness=False).chains
    assert ic.segment_rollup == "weakest"
    assert ic.overall_index is None
    assert ic.primary_type == Outcome.RESPONSE
    assert "改按最薄弱环节规则" in ic.explanation.zh


def test_a_type_blocked_in_every_segment_does_not_return_through_averaging(
    make_inventory, taxonomy
):
    # two segments without dependence: each has a large gap but no missing verdict
    gap = {"import_dependence": 0.1, "tc_index": -0.6, "rca_index": 0.5, "gvc_forward": 0.1,
           "gvc_backward": 0.45, "risk_weighted_hhi": 0.3, "geo_risk_share": 0.6,
           "non_market_pressure": 3}  # fmt: skip
    rows = [{"chain_id": "G", "chain_name": "g", "segment": s, "segment_value_share": 0.5, **gap}
            for s in ("a", "b")]  # fmt: skip
    (chain,) = assess_inventory(make_inventory(rows), _value_weighted(taxonomy),
                                robustness=False).chains  # fmt: skip
    assert chain.overall_index[RiskType.MISSING] >= 0.5
    assert chain.primary_type == Outcome.MONITOR
    assert RiskType.MISSING not in chain.types
