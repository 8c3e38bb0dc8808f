"""Whole-command memory benchmark (SPEC §9, §11): the command a user runs, not an engine function.

Generates inventories of N chain rows × 40 indicator columns (xlsx and csv) and runs the real
`riskdesk assess FILE --json OUT --xlsx OUT [--no-robustness]` as a child process, measuring the
peak resident memory of the whole process tree (the child and anything it starts, polled from
/proc every 20 ms; GNU time's %M is reported beside it when /usr/bin/time exists) and the wall
time. Targets: 20,000 rows ≤ 400 MiB, 100,000 rows ≤ 1 GiB.

    python benchmarks/bench_memory.py [--rows 20000 100000] [--formats xlsx csv]
        [--variants robust fast] [--json OUT] [--keep DIR] [--root BEFORE AFTER]

`--root` takes one or more source trees (e.g. `/work/main` and a branch's checkout): every case
runs on each, on the same input, so before and after come from one run. A run that fails is
reported with its peak and error instead of stopping the benchmark.

`--stages` additionally measures, in this process, how much each stage of the command adds
(read, assess, JSON, workbook) with tracemalloc-free RSS deltas, to see where memory goes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import build_workbook  # the same synthetic inventory

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MIB = {20_000: 400, 100_000: 1024}
POLL_SECONDS = 0.02


def build_csv(xlsx: Path, target: Path) -> None:
    """The same rows as the workbook, as UTF-8 csv."""
    import python_calamine as calamine

    rows = calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("chains").to_python()
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kib(pid)
        todo += tree.get(pid, [])
    return total


def run_command(args: list[str], root: Path = ROOT) -> dict[str, Any]:
    """Run the CLI as a child; peak tree RSS (MiB, polled) and wall time (s)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.Popen([*timer, sys.executable, "-m", "riskdesk", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    last = err.strip().splitlines()[-1] if err.strip() else ""
    gnu = int(last) if timer and last.isdigit() else 0
    figures: dict[str, Any] = {"peak_mib": round(max(peak, gnu) / 1024, 1),
                               "gnu_time_mib": round(gnu / 1024, 1), "wall_s": round(wall, 2)}
    if proc.returncode != 0:
        problem = [x for x in err.splitlines() if x.startswith("riskdesk")] or [err[-300:]]
        figures["error"] = f"exit {proc.returncode}: {problem[-1][:200]}"
    return figures


def stages(path: Path, robustness: bool) -> list[tuple[str, float]]:
    """RSS after each stage of `assess` as the command runs them, in this process (MiB)."""
    from riskdesk.cli.common import streamed_json, write_json
    from riskdesk.core.assess import assess_portfolio
    from riskdesk.core.taxonomy import default_taxonomy
    from riskdesk.io.inventory import read_inventory
    from riskdesk.reports.options import ReportOptions
    from riskdesk.reports.xlsx import blocks_of, write_xlsx_blocks

    def rss() -> float:
        return _rss_kib(os.getpid()) / 1024

    out: list[tuple[str, float]] = [("start", rss())]
    taxonomy = default_taxonomy()
    inventory = read_inventory(path, taxonomy)
    out.append(("read_inventory", rss()))
    portfolio = assess_portfolio(inventory, taxonomy, robustness=robustness)
    del inventory
    out.append(("assess_portfolio", rss()))
    header = portfolio.run_header()
    with tempfile.TemporaryDirectory() as tmp:
        blocks = write_xlsx_blocks(header, blocks_of(portfolio.iter_results()),
                                   Path(tmp) / "r.xlsx", ReportOptions(), taxonomy=taxonomy)
        write_json(Path(tmp) / "r.json",
                   streamed_json(header, (c for b in blocks for c in b), taxonomy))
        out.append(("JSON + workbook streamed", rss()))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"], choices=["xlsx", "csv"])
    parser.add_argument("--variants", nargs="+", default=["robust", "fast"],
                        choices=["robust", "fast"])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--keep", type=Path, help="keep the generated inputs in this folder")
    parser.add_argument("--stages", action="store_true", help="per-stage RSS, in process")
    parser.add_argument("--root", type=Path, nargs="+", default=[ROOT],
                        help="riskdesk source trees to run, each case on each (before / after)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="riskdesk-bench-memory-"))
    results = []
    try:
        print(f"{'rows':>8} {'format':>6} {'variant':>8} {'tree':>14} {'peak MiB':>9} "
              f"{'wall s':>7}  target")
        for rows in args.rows:
            xlsx = work / f"inv_{rows}.xlsx"
            build_workbook(xlsx, rows)
            files = {"xlsx": xlsx}
            if "csv" in args.formats:
                files["csv"] = work / f"inv_{rows}.csv"
                build_csv(xlsx, files["csv"])
            for fmt in args.formats:
                for variant in args.variants:
                    cmd = ["assess", str(files[fmt]), "--json", str(work / "r.json"),
                           "--xlsx", str(work / "r.xlsx"), "--lang", "en"]
                    if variant == "fast":
                        cmd.append("--no-robustness")
                    for root in args.root:
                        figures = run_command(cmd, root)
                        target = TARGETS_MIB.get(rows)
                        verdict = "" if target is None else (
                            f"≤ {target} MiB: "
                            + ("met" if figures["peak_mib"] <= target else "NOT met"))
                        if "error" in figures:
                            verdict = f"FAILED ({figures['error']})"
                        print(f"{rows:>8} {fmt:>6} {variant:>8} {root.name[-14:]:>14} "
                              f"{figures['peak_mib']:>9} {figures['wall_s']:>7}  {verdict}",
                              flush=True)
                        results.append({"rows": rows, "format": fmt, "variant": variant,
                                        "root": str(root), **figures, "target_mib": target})
            if args.stages:
                for name, mib in stages(xlsx, robustness=False):
                    print(f"    {name:<24} {mib:8.1f} MiB")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for f in work.glob("inv_*"):
                shutil.copy2(f, args.keep / f.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
