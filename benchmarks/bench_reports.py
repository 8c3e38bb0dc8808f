"""Report export benchmark: one chain's PDF, a 1,000-chain portfolio PDF, Excel of 10,000 chains,
the demo portfolio as a Word document.

The chains are the bundled demo's real assessment results, repeated under new ids, so every
section has the same content a user's report would. Targets (SPEC §9, issue 4): dossier ≤ 0.5 s,
1,000-chain portfolio ≤ 60 s, 10,000-chain workbook ≤ 5 s; the Word report of the demo
portfolio (13 chains, every chain with its charts) ≤ 15 s, no slower than its PDF, and of the
1,000-chain portfolio ≤ 60 s like the PDF.

    python benchmarks/bench_reports.py [--json OUT] [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from riskdesk.core.assess import assess_inventory
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.reports.docx_report import write_docx
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf import write_pdf
from riskdesk.reports.xlsx import write_xlsx

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "demo_inventory.xlsx"


def scaled_run(run: AssessmentRun, n: int) -> AssessmentRun:
    """`n` chains made by repeating the demo's results under new ids and names."""
    chains: list[ChainResult] = []
    base = run.chains
    for k in range(n):
        src = base[k % len(base)]
        chains.append(
            src.model_copy(
                update={
                    "chain_id": f"{src.chain_id}-{k:05d}",
                    "chain_name": f"{src.chain_name} {k + 1}",
                }
            )
        )
    return run.model_copy(update={"chains": chains})


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """Best wall-clock and CPU seconds over `repeat` runs (CPU shows the cost on a busy box)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best, best_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the measurements as JSON here")
    parser.add_argument("--quick", action="store_true", help="100-chain portfolio, 1,000-row xlsx")
    args = parser.parse_args(argv)

    taxonomy: Taxonomy = default_taxonomy()
    inventory = read_inventory(DEMO, taxonomy)
    run = assess_inventory(inventory, taxonomy)
    n_portfolio, n_xlsx = (100, 1000) if args.quick else (1000, 10_000)
    portfolio_run = scaled_run(run, n_portfolio)
    xlsx_run = scaled_run(run, n_xlsx)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        one = ReportOptions(lang="zh", chains=[run.chains[0].chain_id])
        # First call pays font registration and imports; the measured figure is the best of 5.
        write_pdf(run, out / "warm.pdf", one, inventory=inventory, taxonomy=taxonomy)
        cases: list[tuple[str, Callable[[], object], float, Path, int]] = [
            (
                "dossier PDF, 1 chain (zh)",
                lambda: write_pdf(
                    run, out / "dossier.pdf", one, inventory=inventory, taxonomy=taxonomy
                ),
                0.5,
                out / "dossier.pdf",
                5,
            ),
            (
                f"portfolio PDF, {n_portfolio:,} chains (zh)",
                lambda: write_pdf(
                    portfolio_run,
                    out / "portfolio.pdf",
                    ReportOptions(lang="zh"),
                    inventory=inventory,
                    taxonomy=taxonomy,
                ),
                60.0 * n_portfolio / 1000,
                out / "portfolio.pdf",
                1,
            ),
            (
                f"Excel workbook, {n_xlsx:,} chains (zh)",
                lambda: write_xlsx(
                    xlsx_run,
                    out / "book.xlsx",
                    ReportOptions(lang="zh"),
                    inventory=inventory,
                    taxonomy=taxonomy,
                ),
                5.0 * n_xlsx / 10_000,
                out / "book.xlsx",
                1,
            ),
            (
                f"demo portfolio Word, {len(run.chains)} chains (zh)",
                lambda: write_docx(
                    run,
                    out / "demo.docx",
                    ReportOptions(lang="zh"),
                    inventory=inventory,
                    taxonomy=taxonomy,
                ),
                15.0,
                out / "demo.docx",
                1,
            ),
            (
                f"portfolio Word, {n_portfolio:,} chains (zh)",
                lambda: write_docx(
                    portfolio_run,
                    out / "portfolio.docx",
                    ReportOptions(lang="zh"),
                    inventory=inventory,
                    taxonomy=taxonomy,
                ),
                60.0 * n_portfolio / 1000,
                out / "portfolio.docx",
                1,
            ),
            (
                f"demo portfolio PDF, {len(run.chains)} chains (zh), for comparison",
                lambda: write_pdf(
                    run,
                    out / "demo.pdf",
                    ReportOptions(lang="zh"),
                    inventory=inventory,
                    taxonomy=taxonomy,
                ),
                15.0,
                out / "demo.pdf",
                1,
            ),
        ]
        for name, fn, target, path, repeat in cases:
            seconds, cpu = timed(fn, repeat)
            rows.append(
                {
                    "case": name,
                    "seconds": round(seconds, 3),
                    "cpu_s": round(cpu, 3),
                    "target_s": target,
                    "ok": seconds <= target,
                    "bytes": path.stat().st_size,
                }
            )
    width = max(len(str(r["case"])) for r in rows)
    print(f"{'case':<{width}}  {'seconds':>8}  {'cpu s':>8}  {'target':>7}  {'size':>10}  ok")
    for r in rows:
        print(
            f"{r['case']:<{width}}  {r['seconds']:>8.3f}  {r['cpu_s']:>8.3f}  "
            f"{r['target_s']:>7.1f}  "
            f"{r['bytes']:>10,}  {'yes' if r['ok'] else 'NO'}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"python": sys.version.split()[0], "machine": platform.machine(), "results": rows},
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
