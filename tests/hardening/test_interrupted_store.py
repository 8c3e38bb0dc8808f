"""Finding 12: a killed `riskdesk assess --project` leaves no half round — every round the project
lists has its run, the audit trail verifies, and the next run stores normally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import HEADER, ROOT, run_cli, write_csv

from riskdesk.io.project import Project

KILLS = 8


def _inventory(path: Path, n: int) -> Path:
    rows = [
        [f"C{i:04d}", f"链{i}", "core", 0.1 + (i % 9) / 10, -0.5, 0.2, 0.3, i % 4] for i in range(n)
    ]
    return write_csv(path, rows, HEADER)


def _assess(inv: Path, project: Path, round_name: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "riskdesk", "assess", str(inv), "--project", str(project),
         "--round", round_name, "--no-robustness"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
def test_a_killed_store_leaves_no_round_without_its_run(tmp_path: Path) -> None:
    inv = _inventory(tmp_path / "inv.csv", 1500)
    project = tmp_path / "p.rdproj"
    # A full, uninterrupted run tells how long one takes on this machine.
    start = time.monotonic()
    proc = run_cli(["assess", inv, "--project", project, "--round", "R0", "--no-robustness"],
                   timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    full = time.monotonic() - start
    wal = project.with_name(project.name + "-wal")
    killed = 0
    for k in range(1, KILLS + 1):
        before = wal.stat().st_size if wal.exists() else -1
        child = _assess(inv, project, f"R{k}")
        # The kill lands at a different moment of the write each time: a delay after the project
        # file first changes (the child has reached the store), spread over a full run's length.
        deadline = time.monotonic() + 4 * full + 30
        while child.poll() is None and time.monotonic() < deadline:
            if (wal.stat().st_size if wal.exists() else -1) != before:
                break
            time.sleep(0.002)
        time.sleep(full * 0.4 * (k - 1) / KILLS)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        child.wait(timeout=60)
        with Project.open(project, read_only=True) as p:
            rounds = p.round_names()
            runs = {r.round for r in p.runs()}
            assert set(rounds) <= runs, f"rounds without a run after kill {k}: {set(rounds) - runs}"
            assert p.store.verify_audit().ok
    assert killed >= KILLS // 2  # the loop really interrupted runs
    proc = run_cli(["assess", inv, "--project", project, "--round", "after", "--no-robustness"],
                   timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with Project.open(project, read_only=True) as p:
        assert "after" in p.round_names()
        assert {r.round for r in p.runs()} >= set(p.round_names())
    verify = run_cli(["history", project, "--verify"])
    assert verify.returncode == 0, verify.stderr
