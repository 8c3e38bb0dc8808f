"""Scenario benchmark (issue 13, SPEC §11): 1,000 chains × 50 scenarios ≤ 2 s for the engine.

    python benchmarks/bench_scenarios.py [--chains 1000] [--scenarios 50] [--loop-chains 200]

The vectorised run (`run_scenarios`: impact, shocked indicators, re-classification by the engine,
one-at-a-time drivers) and a per-chain plain-Python loop (the same impact model written with
scalars, the same shocked indicators, and tests/oracle's row-by-row engine) run in the same process
on the same synthetic portfolio. The loop runs on `--loop-chains` chains (all scenarios) and is
scaled to the whole portfolio per chain × scenario; its outcomes are compared with the engine's.
Not a unit test.
"""

from __future__ import annotations

import argparse
import itertools
import math
import string
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import synthetic_inventory
from oracle.reference import Rules, assess_row

from riskdesk.core.assess import Portfolio
from riskdesk.core.models import OUTCOME_ORDER
from riskdesk.core.scenario_run import run_scenarios
from riskdesk.core.scenarios import Scenario, ScenarioLibrary
from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.core.trade import CountryRiskList, PartnerShares

TARGET_S = 2.0
PARTNERS = tuple("".join(p) for p in itertools.islice(
    itertools.product(string.ascii_uppercase, repeat=3), 12))  # fmt: skip


def synthetic_portfolio(n: int, seed: int) -> tuple[Portfolio, CountryRiskList]:
    taxonomy = default_taxonomy()
    inv = synthetic_inventory(taxonomy, n, seed=seed)
    rng = np.random.default_rng(seed)
    inv.frame["import_dependence"] = rng.uniform(0.1, 1.0, n)
    inv.frame["inventory_days"] = rng.uniform(0.0, 90.0, n)
    raw = rng.random((n, len(PARTNERS))) * (rng.random((n, len(PARTNERS))) < 0.4)
    raw[:, 0] += 0.01
    shares = raw / raw.sum(axis=1, keepdims=True)
    ratings = {p: float(r) for p, r in zip(PARTNERS, rng.uniform(0, 1, len(PARTNERS)), strict=True)}
    risk = CountryRiskList(ratings=ratings)
    ps = PartnerShares(
        partners=PARTNERS,
        shares=shares,
        rwhhi_rows=np.ones(n, dtype=bool),
        geo_rows=np.ones(n, dtype=bool),
        ratings=np.array([risk.rating(p) for p in PARTNERS]),
        high_risk=risk.high_risk,
    )
    # the concentration indicators as the trade table would give them
    inv.frame["source_hhi"] = (shares**2).sum(axis=1)
    inv.frame["top_source_share"] = shares.max(axis=1)
    inv.frame["risk_weighted_hhi"] = (shares**2) @ ps.ratings
    inv.frame["geo_risk_share"] = shares @ (ps.ratings >= risk.high_risk)
    return Portfolio(inv, taxonomy, partner_shares=ps), risk


def synthetic_library(m: int, seed: int) -> ScenarioLibrary:
    rng = np.random.default_rng(seed)
    kinds = ("partner_cutoff", "export_ban", "logistics_block", "rating_shock", "demand_surge",
             "plant_outage")  # fmt: skip
    out = []
    for s in range(m):
        kind = kinds[s % len(kinds)]
        raw: dict[str, Any] = {"id": f"S{s:03d}", "kind": kind,
                               "duration_days": float(rng.integers(30, 366))}  # fmt: skip
        picked = [str(p) for p in rng.choice(PARTNERS, 4, replace=False)]
        if kind in ("partner_cutoff", "export_ban", "logistics_block"):
            cut_partners = picked[:1] if kind != "logistics_block" else picked[:3]
            cuts = [{"partner": p, "cut": float(rng.uniform(0.3, 1.0))} for p in cut_partners]
            raw["shock"] = cuts
            total = sum(c["cut"] for c in cuts)
            raw["substitution"] = [
                {"partner": picked[3], "extra": round(total * 0.3, 3),
                 "from_day": float(rng.integers(0, int(raw["duration_days"])))},
            ]  # fmt: skip
            raw["probability"] = 0.05
        elif kind == "rating_shock":
            raw["rating"] = [{"partner": picked[0], "rating": 0.95}]
        elif kind == "demand_surge":
            raw["surge"] = float(rng.uniform(0.05, 0.5))
        else:
            raw["outage"] = float(rng.uniform(0.1, 0.9))
        out.append(Scenario.model_validate(raw))
    return ScenarioLibrary.of(out, b"bench")


def loop_one(values: dict[str, float | None], shares: dict[str, float], sc: Scenario,
             risk: CountryRiskList) -> dict[str, float | None]:  # fmt: skip
    """One chain under one scenario with scalars: the shocked indicator values."""
    ir = values.get("import_dependence")
    stock = values.get("inventory_days")
    cut = {x.partner: x.cut for x in sc.shocks}
    lost = sum(s * cut.get(p, 0.0) for p, s in shares.items()) if sc.shocks else 0.0
    starts = sorted({0.0, *(r.from_day for r in sc.substitutions)})
    bounds = [*starts, sc.duration_days]
    c, tts = 0.0, None
    for a, b in itertools.pairwise(bounds):
        extra = sum(r.extra for r in sc.substitutions if r.from_day <= a)
        ir0 = ir or 0.0
        rate = ir0 * max(0.0, lost - extra) + (sc.surge or 0.0) + (1 - ir0) * (sc.outage or 0.0)
        area = rate * (b - a)
        if tts is None and stock is not None and rate > 0 and c <= stock < c + area:
            tts = a + (stock - c) / rate
        c += area
    out = dict(values)
    if lost > 0:
        ramp_total = sum(r.extra for r in sc.substitutions)
        scale = min(1.0, lost / ramp_total) if ramp_total > 0 else 0.0
        volume = {p: s * (1 - cut.get(p, 0.0)) for p, s in shares.items()}
        for r in sc.substitutions:
            volume[r.partner] = volume.get(r.partner, 0.0) + scale * r.extra
        total = sum(volume.values()) + max(0.0, 1 - sum(shares.values()))
        post = {p: v / total for p, v in volume.items()}
        rho = {p: risk.rating(p) for p in post}
        out["source_hhi"] = sum(v * v for v in post.values())
        out["top_source_share"] = max(post.values())
        out["risk_weighted_hhi"] = sum(v * v * rho[p] for p, v in post.items())
        out["geo_risk_share"] = sum(v for p, v in post.items() if rho[p] >= risk.high_risk)
    elif sc.ratings:
        new = {x.partner: x.rating for x in sc.ratings}
        if any(p in new and s > 0 for p, s in shares.items()):
            rho = {p: new.get(p, risk.rating(p)) for p in shares}
            out["risk_weighted_hhi"] = sum(s * s * rho[p] for p, s in shares.items())
            out["geo_risk_share"] = sum(s for p, s in shares.items() if rho[p] >= risk.high_risk)
    if ir is not None and sc.surge:
        out["import_dependence"] = (ir + sc.surge) / (1 + sc.surge)
    if ir is not None and sc.outage:
        out["import_dependence"] = ir + (1 - ir) * sc.outage
    if tts is not None:
        ratio = sc.duration_days / tts if tts > 0 else math.inf
        base = values.get("ttr_tts_ratio")
        out["ttr_tts_ratio"] = ratio if base is None else max(ratio, base)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chains", type=int, default=1000)
    ap.add_argument("--scenarios", type=int, default=50)
    ap.add_argument("--loop-chains", type=int, default=200)
    args = ap.parse_args()
    portfolio, risk = synthetic_portfolio(args.chains, seed=13)
    lib = synthetic_library(args.scenarios, seed=5)

    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        run = run_scenarios(portfolio, lib, country_risk=risk)
        times.append(time.perf_counter() - t0)
    t_engine = min(times)
    t0 = time.perf_counter()
    run_scenarios(portfolio, lib, country_risk=risk, drivers=False)
    t_nodrivers = time.perf_counter() - t0

    t0 = time.perf_counter()
    for g in range(len(run.chain_ids)):
        run.chain_block(g)
    t_blocks = time.perf_counter() - t0

    rules = Rules.load()
    tax = portfolio.taxonomy
    ids = tax.indicator_ids
    k = min(args.loop_chains, args.chains)
    frame = portfolio.inventory.frame
    assert portfolio.partner_shares is not None
    share_rows = portfolio.partner_shares.shares
    same = total = 0
    t0 = time.perf_counter()
    for row in range(k):
        values = {i: (None if np.isnan(v) else float(v)) for i, v in zip(ids, portfolio.values[row], strict=True)}
        shares = {p: float(s) for p, s in zip(PARTNERS, share_rows[row], strict=True) if s > 0}
        profile = {"tech_category": frame.at[row, "tech_category"],
                   "generality": frame.at[row, "generality"],
                   "strategic_value": frame.at[row, "strategic_value"]}  # fmt: skip
        for s, sc in enumerate(lib.scenarios):
            shocked = loop_one(values, shares, sc, risk)
            outcome = assess_row(shocked, profile, rules).outcome
            total += 1
            same += outcome == OUTCOME_ORDER[int(run.outcome[s, row])].value
    t_loop_sample = time.perf_counter() - t0
    t_loop = t_loop_sample * args.chains / k

    cells = args.chains * args.scenarios
    print(f"portfolio: {args.chains} chains × {args.scenarios} scenarios = {cells} cells")
    print(f"engine (run_scenarios, with drivers): {t_engine:.3f} s  (target ≤ {TARGET_S} s: "
          f"{'OK' if t_engine <= TARGET_S else 'MISSED'})")  # fmt: skip
    print(f"engine without drivers:               {t_nodrivers:.3f} s")
    print(f"materialise every chain × scenario block (JSON/xlsx): {t_blocks:.2f} s")
    print(f"per-chain plain-Python loop:          {t_loop:.2f} s "
          f"(measured on {k} chains: {t_loop_sample:.2f} s, scaled ×{args.chains / k:g})")  # fmt: skip
    print(f"ratio loop / engine:                  {t_loop / t_engine:.1f}×")
    print(f"same primary outcome, loop vs engine: {same}/{total}")
    print(f"classification changed in {int(run.changed.sum())} of {cells} cells")
    return 0 if t_engine <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
