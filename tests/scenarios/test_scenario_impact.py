"""The closed-form impact model: the issue's worked example by hand, and its invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskdesk.core.impact import NO_SHARES, NO_STOCK, ScenarioArrays, shortfall
from riskdesk.core.scenarios import Scenario

PARTNERS = ("KOR", "JPN", "DEU", "VNM", "USA")


def _scenario(cut: float = 1.0, ramps: tuple[tuple[str, float, float], ...] = (),
              partner: str = "KOR", duration: float = 180.0) -> Scenario:
    return Scenario.model_validate({
        "id": "S", "kind": "export_ban", "duration_days": duration,
        "shock": [{"partner": partner, "cut": cut}],
        "substitution": [{"partner": p, "extra": x, "from_day": d} for p, x, d in ramps],
    })  # fmt: skip


def _impact(sc: Scenario, shares: list[float], ir: float, stock: float, ttr: float = np.nan):
    arrays = ScenarioArrays.compile([sc], PARTNERS)
    return shortfall(
        arrays,
        shares=np.array([shares], dtype=float),
        has_shares=np.array([sum(shares) > 0]),
        import_dependence=np.array([ir]),
        stock_days=np.array([stock]),
        ttr_days=np.array([ttr]),
        applies=np.ones((1, 1), dtype=bool),
    )


def test_the_issues_worked_example_by_hand():
    # IR 0.8, S 45 d, shares KOR .60 / JPN .25 / DEU .15; KOR cut for 180 d;
    # +0.10 (VNM) from day 60 and +0.20 (USA) from day 90.
    ir, stock = 0.8, 45.0
    r1 = ir * (0.60 - 0.0)  # 0.48 on [0, 60)
    r2 = ir * (0.60 - 0.10)  # 0.40 on [60, 90)
    r3 = ir * (0.60 - 0.30)  # 0.24 on [90, 180)
    c60, c90 = r1 * 60, r1 * 60 + r2 * 30  # 28.8, 40.8: the stock lasts past day 90
    tts = 90 + (stock - c90) / r3  # 107.5
    unmet = c90 + r3 * 90 - stock  # 62.4 − 45 = 17.4
    assert (round(r1, 10), round(r2, 10), round(r3, 10)) == (0.48, 0.40, 0.24)
    assert c60 == pytest.approx(28.8)
    assert tts == pytest.approx(107.5)
    assert unmet == pytest.approx(17.4)

    sc = _scenario(ramps=(("VNM", 0.10, 60.0), ("USA", 0.20, 90.0)))
    out = _impact(sc, [0.60, 0.25, 0.15, 0.0, 0.0], ir, stock)
    np.testing.assert_allclose(out.rate[0, 0], [0.48, 0.40, 0.24])
    assert out.tts_days[0, 0] == pytest.approx(107.5)
    assert out.unmet_days[0, 0] == pytest.approx(17.4)
    assert out.unmet_share[0, 0] == pytest.approx(17.4 / 180)
    assert round(float(out.unmet_share[0, 0]) * 100, 2) == 9.67
    assert out.ttr_days[0, 0] == 180.0
    # post-ramp shares: KOR gone; JPN .25, DEU .15, VNM .10, USA .20 of a 0.70 total
    np.testing.assert_allclose(out.post_shares[0, 0], [0, 0.25 / 0.7, 0.15 / 0.7, 0.1 / 0.7, 0.2 / 0.7])


def test_ttr_is_the_chains_own_when_longer():
    out = _impact(_scenario(), [0.6, 0.4, 0, 0, 0], 0.8, 45.0, ttr=400.0)
    assert out.ttr_days[0, 0] == 400.0


def test_missing_inputs_give_none_with_a_reason_never_a_number():
    no_stock = _impact(_scenario(), [0.6, 0.4, 0, 0, 0], 0.8, np.nan)
    assert np.isnan(no_stock.unmet_days[0, 0]) and np.isnan(no_stock.tts_days[0, 0])
    assert no_stock.reason[0, 0] == NO_STOCK
    assert no_stock.shortfall_days[0, 0] == pytest.approx(0.8 * 0.6 * 180)
    no_shares = _impact(_scenario(), [0, 0, 0, 0, 0], 0.8, 45.0)
    assert no_shares.reason[0, 0] == NO_SHARES and np.isnan(no_shares.unmet_days[0, 0])


share_vectors = st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(
    lambda xs: sum(xs) > 0
).map(lambda xs: [x / sum(xs) for x in xs] + [0.0, 0.0])
ir_values = st.floats(0.0, 1.0)
stocks = st.floats(0.0, 200.0)
cuts = st.floats(0.01, 1.0)


@settings(max_examples=60, deadline=None)
@given(share_vectors, ir_values, stocks, cuts)
def test_a_cut_of_a_partner_the_chain_does_not_buy_from_changes_nothing(shares, ir, stock, cut):
    out = _impact(_scenario(cut, (("USA", cut / 2, 10.0),), partner="VNM"), shares, ir, stock)
    assert out.unmet_days[0, 0] == 0.0
    assert np.isnan(out.tts_days[0, 0])
    assert out.lost[0, 0] == 0.0
    np.testing.assert_allclose(out.post_shares[0, 0], shares)


@settings(max_examples=60, deadline=None)
@given(share_vectors, ir_values, stocks, cuts, cuts)
def test_more_cut_never_lowers_unmet_demand(shares, ir, stock, a, b):
    low, high = sorted((a, b))
    u_low = _impact(_scenario(low), shares, ir, stock).unmet_days[0, 0]
    u_high = _impact(_scenario(high), shares, ir, stock).unmet_days[0, 0]
    assert u_high >= u_low - 1e-9


@settings(max_examples=60, deadline=None)
@given(share_vectors, ir_values, stocks, stocks, cuts)
def test_more_stock_never_lowers_tts(shares, ir, a, b, cut):
    small, large = sorted((a, b))
    sc = _scenario(cut, (("VNM", cut / 3, 50.0),))
    t_small = _impact(sc, shares, ir, small).tts_days[0, 0]
    t_large = _impact(sc, shares, ir, large).tts_days[0, 0]
    inf = float("inf")
    assert (inf if np.isnan(t_large) else t_large) >= (inf if np.isnan(t_small) else t_small) - 1e-9


@settings(max_examples=60, deadline=None)
@given(share_vectors, ir_values, stocks, cuts)
def test_a_ramp_covering_the_whole_cut_from_day_0_leaves_nothing_unmet(shares, ir, stock, cut):
    out = _impact(_scenario(cut, (("VNM", cut, 0.0),)), shares, ir, stock)
    assert out.unmet_days[0, 0] == 0.0
    assert np.isnan(out.tts_days[0, 0])


def test_demand_surge_and_plant_outage_terms():
    surge = Scenario.model_validate(
        {"id": "D", "kind": "demand_surge", "duration_days": 100, "surge": 0.2}
    )
    outage = Scenario.model_validate(
        {"id": "O", "kind": "plant_outage", "duration_days": 100, "outage": 0.5}
    )
    arrays = ScenarioArrays.compile([surge, outage], PARTNERS)
    out = shortfall(
        arrays, shares=np.zeros((1, 5)), has_shares=np.array([False]),
        import_dependence=np.array([0.6]), stock_days=np.array([10.0]),
        ttr_days=np.array([np.nan]), applies=np.ones((2, 1), dtype=bool),
    )  # fmt: skip
    # surge: 0.2 of consumption a day → 20 over 100 d, stock 10 → TTS 50, unmet 10
    assert out.tts_days[0, 0] == pytest.approx(50.0)
    assert out.unmet_days[0, 0] == pytest.approx(10.0)
    # outage: (1 − 0.6) · 0.5 = 0.2 a day, the same numbers
    assert out.tts_days[1, 0] == pytest.approx(50.0)
    assert out.unmet_days[1, 0] == pytest.approx(10.0)
