"""Re-classification under a shock goes through the engine; the inventory is never changed."""

from __future__ import annotations

import numpy as np
import pytest

from riskdesk.core.assess import assess_portfolio
from riskdesk.core.models import Outcome
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY
from riskdesk.core.scenario_run import SHOCKED, run_scenarios
from riskdesk.core.scenarios import Scenario, ScenarioLibrary
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.inventory import read_inventory


@pytest.fixture(scope="module")
def demo(taxonomy):
    inventory = read_inventory(DEMO_INVENTORY, taxonomy)
    risk = CountryRiskList.load(DEMO_COUNTRY_RISK)
    return inventory, risk, assess_portfolio(inventory, taxonomy, country_risk=risk, robustness=False)


def _library(*raw: dict) -> ScenarioLibrary:
    return ScenarioLibrary.of([Scenario.model_validate(r) for r in raw], b"test")


def test_a_cut_of_a_partner_nobody_buys_from_changes_no_chain(demo):
    _inventory, risk, portfolio = demo
    lib = _library({"id": "BRA", "kind": "partner_cutoff", "duration_days": 180,
                    "shock": [{"partner": "BRA", "cut": 1.0}]})  # fmt: skip
    run = run_scenarios(portfolio, lib, country_risk=risk)
    assert not run.changed.any() and not run.worsened.any()
    np.testing.assert_array_equal(run.values[:, 0, :], portfolio.values.T)
    for g in range(len(run.chain_ids)):
        outcome = run.chain_outcome(0, g)
        assert outcome.drivers == [] and outcome.unmet_days in (None, 0.0)


def test_a_rating_shock_reclassifies_through_the_engine_with_drivers(demo, taxonomy):
    inventory, risk, portfolio = demo
    before = inventory.frame.copy()
    lib = _library({"id": "R", "kind": "rating_shock", "duration_days": 365,
                    "rating": [{"partner": "JPN", "rating": 0.95}]})  # fmt: skip
    run = run_scenarios(portfolio, lib, country_risk=risk)
    g = run.chain_ids.index("PEN-TIP")
    o = run.chain_outcome(0, g)
    assert run.baseline_outcome(g) == Outcome.NORMAL_DEPENDENCE
    assert o.changed and o.primary_type == Outcome.MISSING and o.strategy == "gradient_cultivation"
    # JPN holds 60 % of PEN-TIP's imports: geo_risk_share 0 → 0.6, rwhhi += 0.36 · (0.95 − 0.3)
    moved = {d.indicator: d for d in o.drivers}
    assert moved["geo_risk_share"].shocked == pytest.approx(0.6) and moved["geo_risk_share"].moved
    assert moved["risk_weighted_hhi"].delta == pytest.approx(0.36 * (0.95 - 0.3))
    assert set(moved) <= set(SHOCKED) and "source_hhi" not in moved
    # the engine's own verdict on those values, row by row
    alone = portfolio.values.copy()
    row = portfolio.inventory.row_of("PEN-TIP")
    for ind, d in moved.items():
        alone[row, taxonomy.indicator_ids.index(ind)] = d.shocked
    from riskdesk.core.scoring import score_values

    table = score_values(alone[[row]], portfolio.profile.take(np.array([row])), taxonomy)
    assert table.classification.outcome_ids() == [Outcome.MISSING]
    assert inventory.frame.equals(before)  # the input inventory is untouched


def test_a_segmented_chain_reports_the_segment_its_verdict_comes_from(demo, taxonomy):
    _inventory, risk, portfolio = demo
    lib = _library({"id": "D", "kind": "demand_surge", "duration_days": 120, "surge": 0.3,
                    "chains": ["IC", "AUTO-CHIP"]})  # fmt: skip
    run = run_scenarios(portfolio, lib, country_risk=risk)
    ic = run.chain_outcome(0, run.chain_ids.index("IC"))
    assert ic.applies and ic.segment in {"设计", "制造", "封装测试"}
    row = portfolio.inventory.row_of("IC", ic.segment)
    ir = portfolio.values[row, taxonomy.indicator_ids.index("import_dependence")]
    assert ic.indicators["import_dependence"] == pytest.approx((ir + 0.3) / 1.3)
    assert ic.shortfall_days == pytest.approx(0.3 * 120)  # surge x unmet every day
    # AUTO-CHIP: 10 days of stock, 0.3 a day short → TTS 33.3 d, unmet 36 − 10 = 26 d
    auto = run.chain_outcome(0, run.chain_ids.index("AUTO-CHIP"))
    assert auto.tts_days == pytest.approx(10 / 0.3)
    assert auto.unmet_days == pytest.approx(26.0)
    pen = run.chain_outcome(0, run.chain_ids.index("PEN-TIP"))
    assert not pen.applies and pen.missing == ["not_applied"] and not pen.changed
