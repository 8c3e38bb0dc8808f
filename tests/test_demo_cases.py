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
# The top-level strategy fields are the primary block's: sub-strategies belong to gradient
# cultivation only, so AUTO-CHIP and CRIT-MIN (response primary, missing secondary) have none at
# the top level and carry it in their missing block (test below).
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
    "AUTO-CHIP": (Outcome.RESPONSE, "own_capacity", "reconstruction", None),
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
    "CRIT-MIN": (Outcome.RESPONSE, "own_capacity", "reconstruction", None),
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


@pytest.mark.parametrize(
    ("chain_id", "missing_sub"),
    [("AUTO-CHIP", "domestic_substitution"), ("CRIT-MIN", "asymmetric_advantage")],
)
def test_intertwined_chains_carry_one_strategy_block_per_type(demo_run, chain_id, missing_sub):
    """003: a response-lagging chain that also lacks capability gets reconstruction first and
    gradient cultivation (with its own sub-strategy) second — not a sub-strategy of 梯度培育
    attached to 重构."""
    chain = demo_run.chain(chain_id)
    assert [b.type for b in chain.strategies] == [Outcome.RESPONSE, Outcome.MISSING]
    response, missing = chain.strategies
    assert (response.strategy, response.sub_strategy, response.priority_mode) == (
        "reconstruction", None, None,
    )  # fmt: skip
    assert missing.strategy == "gradient_cultivation"
    assert missing.sub_strategy == missing_sub
    assert missing.priority_mode == "government_led"  # generality ≥ 4, strategic value 5
    assert chain.measures[: len(response.measures)] == response.measures
    assert set(missing.measures) <= set(chain.measures)


@pytest.mark.parametrize("chain_id", ["TEXTILE", "PHONE-ASSY"])
def test_relocation_cases_are_destroyed_on_evidence_that_capability_leaves(demo_run, chain_id):
    """SPEC §11.1: destroyed only where the data show capability leaving (004's figures)."""
    chain = demo_run.chain(chain_id)
    gate = chain.gates["transfer"]
    assert gate.score is not None  # evidence, not the neutral assumption
    assert gate.factor == 1.0
    assert not gate.retained
    evidence = "004" in chain.indicators["employment_change"].source
    assert evidence or "004" in chain.indicators["key_line_relocation"].source


def test_textile_evidence_cites_004_with_provenance(demo_run):
    ind = demo_run.chain("TEXTILE").indicators
    assert ind["employment_change"].value == pytest.approx(-0.402)
    assert "7.508" in ind["employment_change"].source
    assert not ind["employment_change"].illustrative
    assert "001" in ind["key_market_share_change"].source


def test_route_switch_cases_name_their_non_market_driver(demo_run):
    for chain_id in ("5G-RAN", "OPTICAL"):
        gate = demo_run.chain(chain_id).gates["route_switch"]
        assert gate.score is not None and gate.score >= 2 / 3
        assert gate.factor == 1.0


def test_chip_chain_lists_every_segment_and_001s_overall_index(demo_run):
    ic = demo_run.chain("IC")
    assert [s.segment for s in ic.segments] == ["设计", "制造", "封装测试"]
    assert ic.segment_rollup == "weakest"
    assert ic.indicators == ic.segments[0].indicators  # the weakest segment's own indicators
    assert ic.dimension_scores == ic.segments[0].dimension_scores
    shares = {"设计": 0.30, "制造": 0.44, "封装测试": 0.26}
    assert ic.overall_index is not None
    for rt in RiskType:
        given = [(s.type_scores[rt], shares[s.segment]) for s in ic.segments
                 if s.type_scores[rt] is not None]  # fmt: skip
        expected = sum(x * w for x, w in given) / sum(w for _, w in given) if given else None
        assert ic.overall_index[rt] == pytest.approx(expected)


def test_every_chain_has_importance_and_a_priority_score(demo_run):
    for chain in demo_run.chains:
        assert chain.importance is not None and 0 <= chain.importance <= 1
        assert 0 <= chain.priority_score <= 1
    by_priority = sorted(demo_run.chains, key=lambda c: -c.priority_score)
    top = [c.chain_id for c in by_priority[:4]]
    assert "EDA-SW" in top
    assert by_priority[-1].chain_id in ("EV-BATTERY", "PEN-TIP")


def test_every_demo_chain_has_robustness_v2(demo_run):
    for chain in demo_run.chains:
        r = chain.robustness
        assert r is not None
        assert 0 <= r.primary_stability <= 1
        assert {"weights", "anchors", "thresholds", "gates", "values"} <= set(r.varied)
        # ratings move only where the trade table gave the rating indicators
        assert ("ratings" in r.varied) == (chain.indicators["geo_risk_share"].kind == "computed")
        if r.flip is not None:
            assert r.flip.zh and r.flip.en


def test_pen_tip_verdict_flips_with_japans_rating(demo_run):
    """The true/false chokepoint verdict hangs on one country rating — and says so (issue 10)."""
    flip = demo_run.chain("PEN-TIP").robustness.flip
    assert flip is not None
    assert flip.input == "rating:JPN"
    assert flip.becomes == Outcome.MISSING
    assert "日本" in flip.zh and "JPN" in flip.en
