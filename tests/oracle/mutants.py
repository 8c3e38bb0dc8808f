"""Mutation check of the rule comparisons: apply one mutant at a time, run the boundary and case
tests, restore the file, print KILLED or SURVIVED. Not collected by pytest; run it by hand:

    PYTHONPATH=. python tests/oracle/mutants.py [mutant numbers]

Every mutant must be KILLED: a comparison flipped between < and <=, a moved default threshold,
the weakest segment chosen by the wrong type or tie rule, a number printed across a threshold.
"""

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
TESTS = [
    "tests/core/test_boundaries.py",
    "tests/core/test_cases.py",
    "tests/core/test_rollup.py",
    "tests/core/test_explanations.py",
    "tests/test_demo_cases.py",
]
M = [
    (
        "coverage >= → >",
        "riskdesk/core/scoring.py",
        "sufficient = np.round(coverage, COVERAGE_DIGITS) >= model.min_coverage",
        "sufficient = np.round(coverage, COVERAGE_DIGITS) > model.min_coverage",
    ),
    (
        "coverage rounding removed",
        "riskdesk/core/scoring.py",
        "sufficient = np.round(coverage, COVERAGE_DIGITS) >= model.min_coverage",
        "sufficient = coverage >= model.min_coverage",
    ),
    (
        "retained RCA >= → >",
        "riskdesk/core/scoring.py",
        "(values[lay.rca] >= p.retained_rca_min)",
        "(values[lay.rca] > p.retained_rca_min)",
    ),
    (
        "retained TC > → >=",
        "riskdesk/core/scoring.py",
        "values[lay.tc] > p.retained_tc_min",
        "values[lay.tc] >= p.retained_tc_min",
    ),
    (
        "dependence >= → >",
        "riskdesk/core/scoring.py",
        "(dep >= p.dependence_min)",
        "(dep > p.dependence_min)",
    ),
    ("gap_min >= → >", "riskdesk/core/scoring.py", "(gap >= p.gap_min)", "(gap > p.gap_min)"),
    (
        "exposure_max < → <=",
        "riskdesk/core/scoring.py",
        "(exposure < p.exposure_max)",
        "(exposure <= p.exposure_max)",
    ),
    (
        "assign >= → >",
        "riskdesk/core/scoring.py",
        "assigned = type_score >= p.assign",
        "assigned = type_score > p.assign",
    ),
    (
        "level low >= → >",
        "riskdesk/core/scoring.py",
        "(type_score >= p.level_low)",
        "(type_score > p.level_low)",
    ),
    (
        "level medium >= → >",
        "riskdesk/core/scoring.py",
        "(type_score >= p.level_medium)",
        "(type_score > p.level_medium)",
    ),
    (
        "level high >= → >",
        "riskdesk/core/scoring.py",
        "(type_score >= p.level_high)",
        "(type_score > p.level_high)",
    ),
    (
        "route gate full from driver ≥ full_at removed (no cap)",
        "riskdesk/core/scoring.py",
        "route_factor = np.minimum(\n        1.0,",
        "route_factor = np.maximum(\n        0.0,",
    ),
    (
        "unknown route driver read as 0",
        "riskdesk/core/scoring.py",
        "np.where(np.isnan(route_driver), p.route_unknown, route_driver)",
        "np.where(np.isnan(route_driver), 0.0, route_driver)",
    ),
    (
        "dependence precondition dropped for missing",
        "riskdesk/core/scoring.py",
        "blocked = normal | ~dependence_met",
        "blocked = normal",
    ),
    (
        "TOML exposure_max 0.3 → 0.35",
        "taxonomy/taxonomy.toml",
        "gap_min = 0.5\nexposure_max = 0.3",
        "gap_min = 0.5\nexposure_max = 0.35",
    ),
    (
        "TOML exposure_max 0.3 → 0.25",
        "taxonomy/taxonomy.toml",
        "gap_min = 0.5\nexposure_max = 0.3",
        "gap_min = 0.5\nexposure_max = 0.25",
    ),
    (
        "TOML gap_min 0.5 → 0.55",
        "taxonomy/taxonomy.toml",
        "gap_min = 0.5\nexposure_max",
        "gap_min = 0.55\nexposure_max",
    ),
    (
        "TOML gap_min 0.5 → 0.45",
        "taxonomy/taxonomy.toml",
        "gap_min = 0.5\nexposure_max",
        "gap_min = 0.45\nexposure_max",
    ),
    (
        "TOML min_coverage 0.5 → 0.55",
        "taxonomy/taxonomy.toml",
        "min_coverage = 0.5",
        "min_coverage = 0.55",
    ),
    (
        "TOML min_coverage 0.5 → 0.45",
        "taxonomy/taxonomy.toml",
        "min_coverage = 0.5",
        "min_coverage = 0.45",
    ),
    ("TOML dependence 0.30 → 0.25", "taxonomy/taxonomy.toml", "minimum = 0.30", "minimum = 0.25"),
    ("TOML dependence 0.30 → 0.35", "taxonomy/taxonomy.toml", "minimum = 0.30", "minimum = 0.35"),
    (
        "weakest by any-type max (not the primary type)",
        "riskdesk/core/rollup.py",
        "    strength = np.where(\n        klass == 3.0,\n        ev.top,",
        "    strength = np.where(\n        klass == 3.0,\n        np.fmax.reduce(ev.type_score, axis=0),",
    ),
    (
        "weakest ignores assignment (class key dropped)",
        "riskdesk/core/rollup.py",
        "return groups.first_best([klass, strength, type_rank])",
        "return groups.first_best([strength, type_rank])",
    ),
    (
        "weakest ties: type order ignored",
        "riskdesk/core/rollup.py",
        "return groups.first_best([klass, strength, type_rank])",
        "return groups.first_best([klass, strength])",
    ),
    (
        "weakest ties: last listed wins",
        "riskdesk/core/rollup.py",
        "first = np.minimum.reduceat(positions, self.starts, axis=-1)",
        "positions = np.where(alive, np.arange(n, dtype=np.int64), -1)\n        first = np.maximum.reduceat(positions, self.starts, axis=-1)",
    ),
    (
        "weakest ties: name order",
        "riskdesk/core/rollup.py",
        'order = np.argsort(codes, kind="stable").astype(np.int64)',
        "order = np.lexsort((np.unique(frame['segment'].astype(object).fillna('').astype(str).to_numpy(), return_inverse=True)[1], codes)).astype(np.int64)",
    ),
    (
        "display: side test >= → >",
        "riskdesk/core/text.py",
        "return all((shown >= c) == (value >= c) for c in cuts)",
        "return all((shown > c) == (value > c) for c in cuts)",
    ),
    (
        "display: no extra decimals",
        "riskdesk/core/text.py",
        "    for d in range(digits, MAX_DIGITS + 1):",
        "    for d in range(digits, digits + 1):",
    ),
]
only = sys.argv[1:]
for k, (name, path, old, new) in enumerate(M):
    if only and str(k) not in only:
        continue
    f = ROOT / path
    orig = f.read_text(encoding="utf-8")
    assert orig.count(old) == 1, (name, orig.count(old))
    try:
        f.write_text(orig.replace(old, new), encoding="utf-8")
        r = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        lines = r.stdout.splitlines()
        tail = [x for x in lines if x.startswith(("FAILED", "E ")) or "passed" in x]
        status = "KILLED" if r.returncode != 0 else "SURVIVED"
        print(f"{k:2d} {status:8s} {name} :: {tail[0] if tail else ''}", flush=True)
    finally:
        f.write_text(orig, encoding="utf-8")
