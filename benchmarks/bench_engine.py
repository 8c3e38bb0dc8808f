"""Engine benchmark (SPEC §9, §11): vectorised scoring vs the row-by-row oracle, robustness v2,
memory.

    python benchmarks/bench_engine.py [--rows 100000] [--json OUT] [--quick]

Both implementations run side by side in one process on the same synthetic inventory; the script
checks they give identical type scores, outcomes, strategies, sub-strategies, priority modes and
priority scores before it reports the speed-up. The oracle lives in tests/oracle (it is not part
of the installed package). Robustness is the full v2 measure — Monte Carlo over weights, anchors,
thresholds, gates, values and ratings, plus the one-at-a-time flip search. Peak memory is measured
in a child process so it counts only the assessment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from oracle.reference import Rules, assess_row

from riskdesk.core.assess import Portfolio, profile_of, values_of
from riskdesk.core.inventory import Inventory
from riskdesk.core.rollup import ChainGroups, roll_up
from riskdesk.core.scoring import (
    OUTCOME_ORDER,
    PRIORITY_ORDER,
    STRATEGY_ORDER,
    SUB_STRATEGY_ORDER,
    WeightModel,
    score_values,
)
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.core.trade import PartnerShares

TARGETS = {"score_100k_s": 1.0, "speedup": 50.0, "robustness_1k_s": 5.0, "peak_rss_mib": 1024.0}


def synthetic_inventory(
    taxonomy: Taxonomy, n: int, seed: int = 7, present: float = 0.7
) -> Inventory:
    """n chains with random values spread around each indicator's anchors; ~30 % missing."""
    rng = np.random.default_rng(seed)
    frame = Inventory.empty_frame(taxonomy, n)
    frame["chain_id"] = [f"C{i:06d}" for i in range(n)]
    frame["chain_name"] = [f"chain {i}" for i in range(n)]
    frame["tech_category"] = rng.choice(np.array(["emerging", "core", "foundational", "mature"]), n)
    frame["generality"] = rng.integers(1, 6, n).astype(float)
    frame["strategic_value"] = rng.integers(1, 6, n).astype(float)
    for ind in taxonomy.indicators:
        lo, hi = sorted((ind.safe, ind.critical))
        span = hi - lo
        values = rng.uniform(lo - 0.2 * span, hi + 0.2 * span, n)
        values[rng.random(n) > present] = np.nan
        frame[ind.id] = values
    return Inventory(frame=frame)


def synthetic_shares(n: int, seed: int, partners: int = 12) -> PartnerShares:
    """Import partner shares for every row (a few partners each), so the robustness draws also
    move country ratings and re-derive the rating indicators, as with a real trade table."""
    rng = np.random.default_rng(seed)
    raw = rng.random((n, partners)) * (rng.random((n, partners)) < 0.35)
    raw[:, 0] += 0.01  # every row imports something
    shares = raw / raw.sum(axis=1, keepdims=True)
    return PartnerShares(
        partners=tuple(f"P{k:02d}" for k in range(partners)),
        shares=shares,
        rwhhi_rows=np.ones(n, dtype=bool),
        geo_rows=np.ones(n, dtype=bool),
        ratings=rng.uniform(0.1, 0.9, partners),
        high_risk=0.7,
    )


def best_of(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def vectorised(inv: Inventory, taxonomy: Taxonomy) -> Any:
    values = values_of(inv, taxonomy)
    groups = ChainGroups.of(inv.frame)
    profile = profile_of(inv, groups)
    model = WeightModel.from_taxonomy(taxonomy)
    table = score_values(values, profile, taxonomy, model)
    chains = roll_up(table.evaluation, groups, model)
    return table, chains


def row_by_row(inv: Inventory, rules: Rules, ids: tuple[str, ...]) -> list[Any]:
    records = inv.frame.to_dict("records")
    out = []
    for rec in records:
        values = {i: (None if pd.isna(rec[i]) else float(rec[i])) for i in ids}
        profile = {
            "tech_category": rec["tech_category"],
            "generality": None if pd.isna(rec["generality"]) else rec["generality"],
            "strategic_value": None if pd.isna(rec["strategic_value"]) else rec["strategic_value"],
        }
        out.append(assess_row(values, profile, rules))
    return out


def _code(order: tuple[str, ...], k: int) -> str | None:
    return None if k < 0 else order[k]


def identical(table: Any, reference: list[Any]) -> bool:
    c = table.classification
    for k, ref in enumerate(reference):
        got = tuple(None if np.isnan(x) else float(x) for x in c.type_score[k])
        if got != ref.type_scores:
            return False
        if (
            OUTCOME_ORDER[c.outcome[k]].value != ref.outcome
            or STRATEGY_ORDER[c.strategy[k]] != ref.strategy
            or _code(SUB_STRATEGY_ORDER, int(c.sub_strategy[k])) != ref.sub_strategy
            or _code(PRIORITY_ORDER, int(c.priority[k])) != ref.priority_mode
            or float(c.priority_score[k]) != ref.priority_score
        ):
            return False
    return True


def peak_rss_child(rows: int) -> float:
    here = str(Path(__file__).parent)
    code = (
        f"import resource, sys; sys.path.insert(0, {here!r})\n"
        "from bench_engine import synthetic_inventory\n"
        "from riskdesk.core.assess import Portfolio\n"
        "from riskdesk.core.taxonomy import default_taxonomy\n"
        f"t = default_taxonomy(); inv = synthetic_inventory(t, {rows})\n"
        "p = Portfolio(inv, t); r = p.chain_result(0)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # Linux reports KiB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--robustness-chains", type=int, default=1_000)
    ap.add_argument("--draws", type=int, default=300)
    ap.add_argument("--quick", action="store_true", help="10,000 rows (a smoke run)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows = 10_000 if args.quick else args.rows
    taxonomy = default_taxonomy()
    inv = synthetic_inventory(taxonomy, rows)

    t_vec, (table, _) = best_of(lambda: vectorised(inv, taxonomy))
    rules = Rules.load()
    t0 = time.perf_counter()
    reference = row_by_row(inv, rules, taxonomy.indicator_ids)
    t_ref = time.perf_counter() - t0
    same = identical(table, reference)

    small = synthetic_inventory(taxonomy, args.robustness_chains, seed=11)
    portfolio = Portfolio(small, taxonomy, partner_shares=synthetic_shares(len(small), seed=11))
    t_rob, _ = best_of(lambda: portfolio.measure_robustness(draws=args.draws), repeat=1)
    rss = peak_rss_child(rows)

    results = {
        "machine": f"{platform.machine()} {platform.python_version()} cpus={os.cpu_count()}",
        "rows": rows,
        "score_classify_strategy_s": round(t_vec, 4),
        "row_by_row_s": round(t_ref, 3),
        "speedup": round(t_ref / t_vec, 1),
        "identical_results": same,
        "robustness_chains": args.robustness_chains,
        "robustness_draws": args.draws,
        "robustness_s": round(t_rob, 3),
        "peak_rss_mib": round(rss, 1),
    }
    checks = [
        ("score + classify + strategy", f"{t_vec:.3f} s", f"≤ {TARGETS['score_100k_s']} s",
         t_vec <= TARGETS["score_100k_s"] or rows != 100_000),
        ("row by row (plain Python)", f"{t_ref:.2f} s", "", True),
        ("speed-up", f"{t_ref / t_vec:.0f}×", f"≥ {TARGETS['speedup']:.0f}×", t_ref / t_vec >= TARGETS["speedup"]),
        ("identical results", str(same), "True", same),
        (f"robustness {args.robustness_chains} × {args.draws}", f"{t_rob:.2f} s",
         f"≤ {TARGETS['robustness_1k_s']} s", t_rob <= TARGETS["robustness_1k_s"]),
        (f"peak RSS, {rows} rows assessed", f"{rss:.0f} MiB", f"≤ {TARGETS['peak_rss_mib']:.0f} MiB",
         rss <= TARGETS["peak_rss_mib"]),
    ]  # fmt: skip
    print(f"riskdesk engine benchmark — {rows} rows — {results['machine']}")
    for name, value, target, ok in checks:
        print(f"  {name:<34} {value:>12}  {target:<12} {'ok' if ok else 'MISSED'}")
    results["all_targets_met"] = all(ok for *_, ok in checks)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if results["all_targets_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
