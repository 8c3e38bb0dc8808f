"""Trade indicators against paper 000's definitions, by hand, and RCA against ecomplexity."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from riskdesk.core.inventory import SeriesPoint
from riskdesk.core.trade import (
    CountryRiskError,
    CountryRiskList,
    compute_trade_indicators,
    ls_slope,
    rca_index,
    tc_index,
)


def _table(rows):
    return pd.DataFrame(rows, columns=["product", "reporter", "partner", "year", "flow", "value"])


BASE = [
    # world and country totals (product TOTAL)
    ("TOTAL", "WLD", "WLD", 2022, "export", 1000.0),
    ("TOTAL", "CHN", "WLD", 2022, "export", 100.0),
    # product j: world exports 50, China exports 20 and imports 30
    ("j", "WLD", "WLD", 2022, "export", 50.0),
    ("j", "CHN", "WLD", 2022, "export", 20.0),
    ("j", "CHN", "WLD", 2022, "import", 30.0),
    # import partners of j (the WLD row above is the total; it never enters the shares)
    ("j", "CHN", "JPN", 2022, "import", 15.0),
    ("j", "CHN", "USA", 2022, "import", 9.0),
    ("j", "CHN", "DEU", 2022, "import", 6.0),
    # bilateral with USA: exports 4; world exports of j to USA 10
    ("j", "CHN", "USA", 2022, "export", 4.0),
    ("j", "WLD", "USA", 2022, "export", 10.0),
]


def test_tc_and_rca_follow_000_by_hand():
    out = compute_trade_indicators(_table(BASE), country="CHN")
    # TC = (X − M)/(X + M) = (20 − 30)/(20 + 30)
    assert out.latest[("j", "tc_index")].value == pytest.approx(-0.2)
    # RCA = (X_cj / X_wj) / (X_c / X_w) = (20/50) / (100/1000) = 4
    assert out.latest[("j", "rca_index")].value == pytest.approx(4.0)
    assert out.latest[("j", "rca_index")].provenance.kind == "computed"
    assert "RCA" in (out.latest[("j", "rca_index")].provenance.method or "")


def test_bilateral_variants_of_000():
    out = compute_trade_indicators(_table(BASE), country="CHN", partner="USA")
    # TC* = (X_cp − M_cp)/(X_cp + M_cp) = (4 − 9)/(4 + 9)
    assert out.latest[("j", "tc_star")].value == pytest.approx(-5 / 13)
    # RCA* = (X_cp,j / X_wp,j) / (X_cj / X_wj) = (4/10) / (20/50) = 1
    assert out.latest[("j", "rca_star")].value == pytest.approx(1.0)


def test_source_concentration_uses_partner_shares_and_the_risk_list():
    risk = CountryRiskList(ratings={"USA": 0.9, "DEU": 0.1})  # JPN unrated → 0.3
    out = compute_trade_indicators(_table(BASE), country="CHN", risk=risk)
    shares = {"JPN": 0.5, "USA": 0.3, "DEU": 0.2}
    assert out.latest[("j", "source_hhi")].value == pytest.approx(
        sum(s * s for s in shares.values())
    )
    assert out.latest[("j", "top_source_share")].value == pytest.approx(0.5)
    assert out.latest[("j", "risk_weighted_hhi")].value == pytest.approx(
        0.25 * 0.3 + 0.09 * 0.9 + 0.04 * 0.1
    )
    assert out.latest[("j", "geo_risk_share")].value == pytest.approx(0.3)  # only USA ≥ 0.7


def test_impossible_inputs_give_missing_values_with_reasons_not_crashes():
    rows = [
        ("k", "CHN", "WLD", 2022, "export", 0.0),
        ("k", "CHN", "WLD", 2022, "import", 0.0),
        ("k", "CHN", "JPN", 2022, "import", -5.0),
    ]
    out = compute_trade_indicators(_table(rows), country="CHN")
    tc = out.latest[("k", "tc_index")]
    assert tc.value is None and "X + M = 0" in (tc.reason or "")
    rca = out.latest[("k", "rca_index")]
    assert rca.value is None and "world" in (rca.reason or "")
    assert out.latest[("k", "source_hhi")].value is None
    assert {i.code for i in out.issues} == {"trade_indicator_missing"}
    assert all(i.message_zh and i.message_en for i in out.issues)


def test_latest_year_is_reported_and_the_series_kept_with_rca_trend():
    rows = []
    for k, year in enumerate((2019, 2020, 2021, 2022)):
        rows += [
            ("TOTAL", "WLD", "WLD", year, "export", 1000.0),
            ("TOTAL", "CHN", "WLD", year, "export", 100.0),
            ("j", "WLD", "WLD", year, "export", 100.0),
            ("j", "CHN", "WLD", year, "export", 20.0 - 2 * k),  # RCA 2.0, 1.8, 1.6, 1.4
            ("j", "CHN", "WLD", year, "import", 10.0),
        ]
    out = compute_trade_indicators(_table(rows), country="CHN")
    assert out.latest[("j", "rca_index")].year == 2022
    assert out.latest[("j", "rca_index")].value == pytest.approx(1.4)
    assert [p.year for p in out.series[("j", "rca_index")]] == [2019, 2020, 2021, 2022]
    assert out.latest[("j", "rca_trend")].value == pytest.approx(-0.2)


def test_ls_slope_needs_three_points():
    assert ls_slope([SeriesPoint(2020, 1.0), SeriesPoint(2021, 2.0)]) is None
    assert ls_slope([SeriesPoint(2020, 1.0), SeriesPoint(2021, 2.0), SeriesPoint(2022, 3.0)]) == 1.0


def test_scalar_helpers_guard_every_division():
    assert tc_index(-1.0, 5.0) == (None, "negative trade value")
    assert rca_index(1.0, 0.0, 1.0, 10.0)[0] is None
    assert rca_index(1.0, 10.0, 0.0, 10.0)[0] is None
    assert rca_index(None, 10.0, 1.0, 10.0)[0] is None


def test_rca_matches_an_independent_implementation():
    ecomplexity = pytest.importorskip("ecomplexity")
    data = {
        ("CHN", "a"): 10.0, ("CHN", "b"): 30.0, ("CHN", "c"): 5.0,
        ("USA", "a"): 50.0, ("USA", "b"): 10.0, ("USA", "c"): 20.0,
        ("DEU", "a"): 5.0, ("DEU", "b"): 25.0, ("DEU", "c"): 40.0,
    }  # fmt: skip
    long = pd.DataFrame(
        [{"year": 2022, "loc": c, "prod": p, "val": v} for (c, p), v in data.items()]
    )
    theirs = ecomplexity.ecomplexity(
        long, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    )
    rows = []
    for p in "abc":
        rows.append(
            (p, "WLD", "WLD", 2022, "export", sum(v for (c, q), v in data.items() if q == p))
        )
        rows.append((p, "CHN", "WLD", 2022, "export", data[("CHN", p)]))
    rows.append(("TOTAL", "WLD", "WLD", 2022, "export", sum(data.values())))
    rows.append(
        ("TOTAL", "CHN", "WLD", 2022, "export", sum(v for (c, _), v in data.items() if c == "CHN"))
    )
    ours = compute_trade_indicators(_table(rows), country="CHN")
    for p in "abc":
        expected = float(theirs[(theirs["loc"] == "CHN") & (theirs["prod"] == p)]["rca"].iloc[0])
        assert math.isclose(ours.latest[(p, "rca_index")].value, expected, rel_tol=1e-9)


def test_country_risk_list_file_is_validated_with_located_messages(tmp_path):
    good = tmp_path / "risk.csv"
    good.write_text("# my list\niso3,rating\nusa,0.9\nJPN,0.2\n", encoding="utf-8")
    risk = CountryRiskList.load(good)
    assert risk.rating("USA") == 0.9 and risk.rating("FRA") == 0.3
    bad = tmp_path / "bad.csv"
    bad.write_text("USA,0.9\nJPN,high\n", encoding="utf-8")
    with pytest.raises(CountryRiskError, match="row 2"):
        CountryRiskList.load(bad)
    out_of_range = tmp_path / "range.csv"
    out_of_range.write_text("USA,1.7\n", encoding="utf-8")
    with pytest.raises(CountryRiskError, match="outside"):
        CountryRiskList.load(out_of_range)


# --- trade honesty (issue 10, point 7) ----------------------------------------------------------


def test_a_missing_flow_is_missing_not_zero():
    imports_only = [r for r in BASE if not (r[0] == "j" and r[1] == "CHN" and r[4] == "export")]
    out = compute_trade_indicators(_table(imports_only), country="CHN")
    tc = out.latest[("j", "tc_index")]
    assert tc.value is None  # not −1
    assert "no export rows" in (tc.reason or "")
    messages = [i for i in out.issues if "tc_index" in i.message_en]
    assert messages and messages[0].severity == "warning"
    assert "而非零" in messages[0].message_zh
    exports_only = [r for r in BASE if not (r[0] == "j" and r[1] == "CHN" and r[4] == "import")]
    out = compute_trade_indicators(_table(exports_only), country="CHN")
    assert out.latest[("j", "tc_index")].value is None
    assert "no import rows" in (out.latest[("j", "tc_index")].reason or "")


def test_a_zero_flow_given_as_a_row_is_zero():
    rows = [*BASE, ("k", "CHN", "WLD", 2022, "export", 0.0), ("k", "CHN", "WLD", 2022, "import", 5.0)]
    out = compute_trade_indicators(_table(rows), country="CHN")
    assert out.latest[("k", "tc_index")].value == -1.0


def test_overlapping_product_codes_are_refused_with_their_rows():
    frame = pd.DataFrame(
        [
            ("IC", "CHN", "WLD", 2022, "import", 100.0, "85", "12"),
            ("IC", "CHN", "WLD", 2022, "import", 40.0, "8542", "13"),
            ("IC", "CHN", "WLD", 2022, "export", 30.0, "8542", "14"),
            ("OK", "CHN", "WLD", 2022, "import", 10.0, "8541", "15"),
            ("OK", "CHN", "WLD", 2022, "import", 5.0, "8542", "16"),
            ("OK", "CHN", "WLD", 2022, "export", 5.0, "8542", "17"),
        ],
        columns=["product", "reporter", "partner", "year", "flow", "value", "code", "source_row"],
    )
    out = compute_trade_indicators(frame, country="CHN")
    (issue,) = [i for i in out.issues if i.code == "trade_codes_overlap"]
    assert issue.severity == "error"
    assert issue.row == 12
    assert "85" in issue.message_en and "8542" in issue.message_en and "12, 13" in issue.message_en
    assert "重复计算" in issue.message_zh
    assert out.latest[("IC", "tc_index")].value is None
    assert "overlapping" in (out.latest[("IC", "tc_index")].reason or "")
    # codes of one level (8541 and 8542) are summed: TC = (5 − 15)/(5 + 15)
    assert out.latest[("OK", "tc_index")].value == pytest.approx(-0.5)


def test_trade_rows_can_name_a_segment():
    frame = pd.DataFrame(
        [
            ("IC", "CHN", "WLD", 2022, "import", 90.0, "设计"),
            ("IC", "CHN", "WLD", 2022, "export", 10.0, "设计"),
            ("IC", "CHN", "WLD", 2022, "import", 10.0, "封装测试"),
            ("IC", "CHN", "WLD", 2022, "export", 90.0, "封装测试"),
        ],
        columns=["product", "reporter", "partner", "year", "flow", "value", "segment"],
    )
    out = compute_trade_indicators(frame, country="CHN")
    assert out.targets["IC / 设计"] == ("IC", "设计")
    assert out.latest[("IC / 设计", "tc_index")].value == pytest.approx(-0.8)
    assert out.latest[("IC / 封装测试", "tc_index")].value == pytest.approx(0.8)


def test_segment_trade_rows_fill_only_their_segment(make_inventory, taxonomy):
    from riskdesk.core.assess import assess_inventory

    inv = make_inventory([
        {"chain_id": "IC", "chain_name": "ic", "segment": "设计"},
        {"chain_id": "IC", "chain_name": "ic", "segment": "封装测试"},
    ])  # fmt: skip
    inv.trade = pd.DataFrame(
        [("IC", "CHN", "WLD", 2022, "import", 90.0, "设计"),
         ("IC", "CHN", "WLD", 2022, "export", 10.0, "设计")],
        columns=["product", "reporter", "partner", "year", "flow", "value", "segment"],
    )  # fmt: skip
    chain = assess_inventory(inv, taxonomy, robustness=False).chains[0]
    design, packaging = chain.segments
    assert design.indicators["tc_index"].value == pytest.approx(-0.8)
    assert packaging.indicators["tc_index"].value is None


def test_a_partner_makes_the_bilateral_indicators_reachable(make_inventory, taxonomy):
    from riskdesk.core.assess import assess_inventory

    inv = make_inventory([{"chain_id": "j", "chain_name": "j"}])
    inv.trade = _table(BASE)
    chain = assess_inventory(inv, taxonomy, partner="USA", robustness=False).chains[0]
    assert chain.indicators["tc_star"].value == pytest.approx(-5 / 13)
    assert chain.indicators["rca_star"].value == pytest.approx(1.0)
    assert chain.indicators["tc_star"].risk is None  # information, not scored
    assert "USA" in chain.indicators["tc_star"].source
    without = assess_inventory(make_inventory([{"chain_id": "j", "chain_name": "j"}]), taxonomy,
                               robustness=False).chains[0]  # fmt: skip
    assert without.indicators["tc_star"].value is None


def test_tc_trend_comes_from_the_tc_series():
    rows = []
    for k, year in enumerate((2019, 2020, 2021, 2022)):
        rows += [
            ("j", "CHN", "WLD", year, "export", 60.0 - 10 * k),
            ("j", "CHN", "WLD", year, "import", 40.0 + 10 * k),
        ]  # TC 0.2, 0.0, −0.2, −0.4
    out = compute_trade_indicators(_table(rows), country="CHN")
    assert out.latest[("j", "tc_trend")].value == pytest.approx(-0.2)
    assert "TC" in (out.latest[("j", "tc_trend")].provenance.method or "")
