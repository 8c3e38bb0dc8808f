"""The papers' typical cases (003's table, 002's pen-tip steel) classify as the papers say."""

from __future__ import annotations

import pytest

from riskdesk.cli.demo import DEMO_COUNTRY_RISK, DEMO_INVENTORY
from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Outcome, RiskType
from riskdesk.core.results import AssessmentRun
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.inventory import read_inventory

# chain id → (primary outcome, driving dimension of the primary type or None, strategy, sub-strategy)
EXPECTED = {
    "AERO-ENG": (Outcome.MISSING, "lock_in", "gradient_cultivation", "domestic_substitution"),
    "EDA-SW": (Outcome.MISSING, "basic_research", "gradient_cultivation", "domestic_substitution"),
    "PHOTORESIST": (
        Outcome.MISSING,
        "uneconomic_entry",
        "gradient_cultivation",
        "asymmetric_advantage",
    ),
    "IC": (Outcome.MISSING, None, "gradient_cultivation", "domestic_substitution"),
    "AUTO-CHIP": (Outcome.RESPONSE, "own_capacity", "reconstruction", "domestic_substitution"),
    "5G-RAN": (Outcome.DESTROYED, "route_switch", "defence", None),
    "OPTICAL": (Outcome.DESTROYED, "route_switch", "defence", None),
    "TEXTILE": (Outcome.DESTROYED, "transfer", "defence", None),
    "PHONE-ASSY": (Outcome.DESTROYED, "transfer", "defence", None),
    "EV-BATTERY": (Outcome.MONITOR, None, "monitor", None),
    "BIO-ENZYME": (
        Outcome.MISSING,
        "basic_research",
        "gradient_cultivation",
        "domestic_substitution",
    ),
    "CRIT-MIN": (Outcome.RESPONSE, "own_capacity", "reconstruction", "asymmetric_advantage"),
    "PEN-TIP": (Outcome.NORMAL_DEPENDENCE, None, "monitor", None),
}


@pytest.fixture(scope="module")
def demo_run(taxonomy) -> AssessmentRun:
    inventory = read_inventory(DEMO_INVENTORY, taxonomy)
    assert not [i for i in inventory.issues if i.severity == "error"]
    risk = CountryRiskList.load(DEMO_COUNTRY_RISK)
    return assess_inventory(inventory, taxonomy, country_risk=risk)


def test_demo_has_every_case_once(demo_run):
    assert [c.chain_id for c in demo_run.chains] == list(EXPECTED)


@pytest.mark.parametrize("chain_id", list(EXPECTED))
def test_papers_cases_classify_as_the_papers_say(demo_run, chain_id):
    primary, dimension, strategy, sub = EXPECTED[chain_id]
    chain = demo_run.chain(chain_id)
    assert chain.primary_type == primary
    assert chain.strategy == strategy
    assert chain.sub_strategy == sub
    if dimension is not None:
        assert chain.explanation.driving_dimensions[primary.value] == dimension


def test_chip_chain_weakest_segment_is_design_as_in_001(demo_run):
    ic = demo_run.chain("IC")
    assert ic.weakest_segment == "设计"
    scores = {s.segment: s.type_scores[RiskType.MISSING] for s in ic.segments}
    assert scores["设计"] > scores["制造"] > scores["封装测试"]
    assert ic.type_scores[RiskType.MISSING] == scores["设计"]


def test_pen_tip_steel_is_a_false_chokepoint(demo_run):
    pen = demo_run.chain("PEN-TIP")
    assert pen.gap is not None and pen.gap >= 0.5
    assert pen.exposure is not None and pen.exposure < 0.3
    assert "笔尖钢" in pen.explanation.zh or "pen-tip" in pen.explanation.en
    assert any(m.startswith("normal_dependence") for m in pen.measures)


def test_intertwined_types_are_multi_label(demo_run):
    auto = demo_run.chain("AUTO-CHIP")
    assert auto.types == [RiskType.RESPONSE, RiskType.MISSING]


def test_trade_table_feeds_concentration_indicators_with_provenance(demo_run):
    pen = demo_run.chain("PEN-TIP").indicators
    # partner shares JPN .60, CHE .25, DEU .15 → HHI = .36 + .0625 + .0225
    assert pen["source_hhi"].value == pytest.approx(0.445)
    assert pen["top_source_share"].value == pytest.approx(0.60)
    assert pen["source_hhi"].kind == "computed"
    assert pen["source_hhi"].illustrative  # the demo's trade table is illustrative


def test_paper_figures_are_not_marked_illustrative_and_gaps_are(demo_run):
    eda = demo_run.chain("EDA-SW").indicators
    assert not eda["import_dependence"].illustrative
    assert "001" in eda["import_dependence"].source
    assert eda["tech_gap_years"].illustrative


def test_textile_rca_trend_comes_from_the_000_series(demo_run):
    trend = demo_run.chain("TEXTILE").indicators["rca_trend"]
    assert trend.kind == "computed"
    assert trend.value == pytest.approx(-0.0425, abs=1e-4)
    assert trend.year == 2022
