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
