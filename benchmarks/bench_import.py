"""Import benchmark (SPEC §9): 10,000 chain rows × 40 indicator columns from xlsx.

Times `riskdesk.io.inventory.read_inventory` (safety checks, python-calamine parse, header
mapping, value parsing, range checks — everything an import does) against
`pandas.read_excel(engine="openpyxl")` (a bare parse, no validation) on the same file, in one
run. Targets: read_inventory ≤ 1 s and ≥ 5× faster than pandas/openpyxl.

    python benchmarks/bench_import.py [--rows 10000] [--repeat 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.io.inventory import read_inventory

N_INDICATORS = 40
TARGET_SECONDS = 1.0
TARGET_RATIO = 5.0


def build_workbook(path: Path, rows: int) -> list[str]:
    """Profile columns + 40 indicator columns (all 37 ids, then ttr/tts days and an extra)."""
    taxonomy = default_taxonomy()
    indicators = list(taxonomy.indicator_ids)
    columns = [*indicators, "ttr_days", "tts_days", "备注"][:N_INDICATORS]
    rnd = random.Random(20221115)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("chains")
    ws.append(["chain_id", "chain_name", "segment", "tech_category", "strategic_value", *columns])
    categories = ["core", "emerging", "foundational", "mature"]
    for i in range(rows):
        values: list[object] = []
        for name in columns:
            ind = taxonomy.indicator_by_id.get(name)
            if ind is None:
                values.append(rnd.randint(1, 300) if name != "备注" else f"note {i}")
                continue
            low = ind.valid_min if ind.valid_min is not None else 0.0
            high = ind.valid_max if ind.valid_max is not None else 100.0
            values.append(round(rnd.uniform(low, high), 4))
        ws.append([f"C{i:06d}", f"chain {i}", "design", categories[i % 4], 1 + i % 5, *values])
    wb.save(path)
    return columns


def best_of(repeat: int, run: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    taxonomy = default_taxonomy()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        build_workbook(path, args.rows)
        inventory = read_inventory(path, taxonomy)
        assert len(inventory) == args.rows, "every row must be imported"
        errors = [i for i in inventory.issues if i.severity == "error"]
        assert not errors, errors[:3]
        ours = best_of(args.repeat, lambda: read_inventory(path, taxonomy))
        theirs = best_of(max(1, args.repeat - 1),
                         lambda: pd.read_excel(path, engine="openpyxl"))  # fmt: skip
        size = path.stat().st_size
    ours_s, theirs_s = min(ours), min(theirs)
    ratio = theirs_s / ours_s
    result = {
        "rows": args.rows,
        "indicator_columns": N_INDICATORS,
        "file_bytes": size,
        "read_inventory_s": round(ours_s, 4),
        "read_inventory_median_s": round(statistics.median(ours), 4),
        "pandas_openpyxl_s": round(theirs_s, 4),
        "speedup": round(ratio, 2),
        "target_seconds": TARGET_SECONDS,
        "target_speedup": TARGET_RATIO,
        "meets_targets": ours_s <= TARGET_SECONDS and ratio >= TARGET_RATIO,
    }
    print(
        f"import of {args.rows:,} rows × {N_INDICATORS} indicator columns ({size / 1e6:.1f} MB xlsx)"
    )
    print(f"{'reader':<36}{'best (s)':>10}{'median (s)':>12}")
    print(
        f"{'riskdesk read_inventory (validated)':<36}{ours_s:>10.3f}{statistics.median(ours):>12.3f}"
    )
    print(f"{'pandas.read_excel(engine=openpyxl)':<36}{theirs_s:>10.3f}"
          f"{statistics.median(theirs):>12.3f}")  # fmt: skip
    print(f"speed-up {ratio:.1f}× (target ≥ {TARGET_RATIO:g}×); "
          f"read_inventory {ours_s:.3f} s (target ≤ {TARGET_SECONDS:g} s): "
          f"{'met' if result['meets_targets'] else 'NOT met'}")  # fmt: skip
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
