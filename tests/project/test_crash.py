"""Kill a writing process with SIGKILL at random moments: the project always opens intact.

A child process writes in a loop — single edits, drafts, whole inventory imports and runs (large
transactions) — and prints a line only after each commit returned. After each SIGKILL the parent
opens the project: integrity_check is ok, the audit chain verifies, and every write the child
acknowledged is there.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from riskdesk.core.commands import ChainRef
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
sys.path.insert(0, sys.argv[2])
from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.io.project import Project
from tests.project.builders import ROUND, make_inventory, make_result, make_run
from riskdesk.core.models import Outcome
taxonomy = default_taxonomy()
ind = taxonomy.indicator_ids[0]
project = Project.open(sys.argv[1], user="writer")
start = int(sys.argv[3])
big = make_inventory(taxonomy, n=150, scale=0.5)
run = make_run(taxonomy, [make_result(f"C{i}", Outcome.MISSING, 0.5) for i in range(150)])
print("ready", flush=True)
for i in range(start, start + 100000):
    project.autosave_draft(f"k{i}", str(i))
    print("draft", i, flush=True)
    project.set_value(ROUND, "C0", ind, i / 1e6)
    print("value", i, flush=True)
    if i % 3 == 0:
        project.import_inventory(big, ROUND, taxonomy)
        project.save_run(run, ROUND, taxonomy)
        print("run", i, flush=True)
"""

KILLS = 16


def _collect(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        if line.endswith("\n"):  # a line cut short by the kill acknowledges nothing
            lines.append(line.strip())  # noqa: PERF401 - the main thread watches it grow


def test_sigkill_during_writes_never_loses_committed_work(tmp_path: Path,
                                                          taxonomy: Taxonomy) -> None:
    path = tmp_path / "crash.rdproj"
    with Project.create(path, user="setup") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    rng = random.Random(20261122)
    acked_drafts: set[int] = set()
    last_value = 0
    runs_acked = 0
    start = 1
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(ROOT), str(start)],
            stdout=subprocess.PIPE, text=True, env=env,
        )
        lines: list[str] = []
        reader = threading.Thread(target=_collect, args=(child.stdout, lines))
        reader.start()
        deadline = time.monotonic() + 30
        while "ready" not in lines and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join()
        assert "ready" in lines, "child never got going"
        for line in lines[1:]:
            kind, number = line.split()
            if kind == "draft":
                acked_drafts.add(int(number))
            elif kind == "value":
                last_value = max(last_value, int(number))
            else:
                runs_acked += 1
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        with Project.open(path, user="checker") as p:
            assert p.recovery is not None  # the killed session is noticed
            assert p.verify().ok
            stored = {int(d.payload) for d in p.recovered_drafts()}
            assert acked_drafts <= stored
            value = p.get_value(ChainRef(round=ROUND, chain_id="C0"), taxonomy.indicator_ids[0])
            assert value is not None
            assert value.value is not None
            assert value.value >= last_value / 1e6
            assert len(p.runs(ROUND)) >= runs_acked
            start = max(stored | {0}) + 1
    assert len(acked_drafts) >= KILLS  # the loop really wrote between kills
