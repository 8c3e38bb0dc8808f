"""`riskdesk assess` of a 20,000-row inventory through the real command: every chain reaches the
JSON, the console summary and the workbook (which streamed them block by block). Memory is
measured by benchmarks/bench_memory.py, not here."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 20_000
# Two given indicators a chain (rows of Indicator sources); the rest of the taxonomy is missing.
HEADER = ["chain_id", "chain_name", "tech_category", "import_dependence", "rca_index"]


@pytest.mark.slow
def test_twenty_thousand_rows_reach_every_output(tmp_path: Path) -> None:
    source = tmp_path / "inv.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(N):
            w.writerow([f"C{i:05d}", f"chain {i}", "core", round(0.5 + (i % 50) / 100, 2), 0.4])
    out_json, out_xlsx = tmp_path / "run.json", tmp_path / "run.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "riskdesk", "assess", str(source), "--json", str(out_json),
         "--xlsx", str(out_xlsx), "--no-robustness", "--lang", "en"],
        check=False, capture_output=True, text=True, timeout=3600, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{N} chains; data issues: 0 errors" in done.stdout
    # The console table: a header, a rule and one line per chain, in input order.
    lines = done.stdout.splitlines()
    assert lines[2].startswith("C00000 ") and lines[N + 1].startswith(f"C{N - 1:05d} ")
    # The JSON (indent 2): each chain's id at six spaces, read line by line, not loaded whole.
    with out_json.open(encoding="utf-8") as fh:
        ids = [line.split('"')[3] for line in fh if line.startswith('      "chain_id": "')]
    assert ids == [f"C{i:05d}" for i in range(N)]
    book = openpyxl.load_workbook(out_xlsx, read_only=True)
    try:
        assessments = list(book["Assessments"].iter_rows(values_only=True))
        assert len(assessments) == N + 1
        assert assessments[-1][0] == f"C{N - 1:05d}"
        # import_dependence and rca_index of every chain
        assert sum(1 for _ in book["Indicator sources"].iter_rows(values_only=True)) == 2 * N + 1
        summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if len(r) > 1}
        assert summary["Chains assessed"] == N
    finally:
        book.close()
