"""Team-mode load check (issue 14): analysts in separate processes editing a shared portfolio.

    python benchmarks/bench_team.py [--analysts 10] [--chains 5000] [--seconds 60] [--json OUT]

Starts a throw-away PostgreSQL (tests/pgserver.py, the distribution's binaries), sets it up as
`riskdesk db init` does (migrations, roles, grants, guards), imports a synthetic inventory of
`--chains` chains, creates one LOGIN role per analyst (member of the assessor group, so the
server's grants and guards are on the path), then lets each analyst process enter expert values
through `Project.connect(…).set_value` — the GUI's and CLI's edit path: one transaction with the
value, its audit entry and the undo journal — on random chains for `--seconds`.

Reported: acknowledged edits per second, latency percentiles per edit, stale edits refused. Then
the books are checked, from the database alone:
* every acknowledged edit has exactly one audit entry by its analyst (no lost, no duplicated);
* the audit holds no value entry that no analyst acknowledged;
* every edited cell holds the value of its last audit entry (no lost update);
* the hash chain verifies.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from riskdesk.core.inventory import Inventory  # noqa: E402
from riskdesk.core.models import Chain, IndicatorValue, InputSource, Provenance  # noqa: E402
from riskdesk.core.taxonomy import default_taxonomy  # noqa: E402

ROUND = "2025"


def synthetic_inventory(n: int) -> Inventory:
    taxonomy = default_taxonomy()
    ids = taxonomy.indicator_ids
    chains = [Chain(chain_id=f"C{i:05d}", chain_name=f"链 {i}", sector="半导体")
              for i in range(n)]
    values = [
        (c.chain_id, None, IndicatorValue(
            indicator=ids[j], value=round(((i * 7 + j * 13) % 100) / 100, 2),
            provenance=Provenance(kind="imported", file="inv.xlsx", sheet="chains",
                                  cell=f"{chr(70 + j)}{i + 2}")))
        for i, c in enumerate(chains) for j in range(3)
    ]
    return Inventory.from_records(taxonomy, chains, values,
                                  source=InputSource(path="inv.xlsx", sha256="ab" * 32))


def set_up(url: str, analysts: list[str], chains: int) -> float:
    """Schema, roles and the portfolio; returns the import's duration."""
    from riskdesk.io.project import Project
    from riskdesk.io.team import migrate, roles
    from riskdesk.io.team.users import add_user

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migrate.upgrade(conn, "bench")
        groups = roles.install(conn)
        for name in analysts:
            add_user(conn, name, ["assessor"], None, groups)
    engine.dispose()
    start = time.perf_counter()
    with Project.connect(url) as project:
        project.import_inventory(synthetic_inventory(chains), ROUND, default_taxonomy())
    seconds = time.perf_counter() - start
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # grants for rows the import's sequences created
        roles.install(conn)
    engine.dispose()
    return seconds


def analyst(url: str, name: str, chains: int, seconds: float, start_at: float,
            queue: Any) -> None:
    """One analyst: random expert values on random chains until the time is up."""
    from riskdesk.io.project import Project, ProjectError

    rng = random.Random(name)
    indicators = default_taxonomy().indicator_ids
    done: list[tuple[str, str, float]] = []
    latencies: list[float] = []
    refused = 0
    with Project.connect(url, create=False) as project:
        while time.time() < start_at:
            time.sleep(0.01)
        deadline = start_at + seconds
        n = 0
        while time.time() < deadline:
            chain = f"C{rng.randrange(chains):05d}"
            indicator = rng.choice(indicators)
            n += 1
            value = round(rng.random(), 6) + n * 1e-9  # unique per analyst and edit
            t0 = time.perf_counter()
            try:
                project.set_value(ROUND, chain, indicator, value)
            except ProjectError:
                refused += 1
                continue
            latencies.append(time.perf_counter() - t0)
            done.append((chain, indicator, value))
    queue.put({"name": name, "done": done, "latencies": latencies, "refused": refused})


def check_books(url: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    from riskdesk.io.project.audit import AuditEntry, check

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT seq, at, who, action, entity, round, chain_id, segment, field, old, new, "
            "prev_hash, hash FROM audit ORDER BY seq")).mappings().all()
        log = [AuditEntry(**dict(r)) for r in rows]
        head = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'audit_head'")).scalar()
        cells = {(str(c), str(i)): v for c, i, v in conn.execute(sa.text(
            "SELECT chain_id, indicator, value FROM indicator_values WHERE round = :r"),
            {"r": ROUND})}
    engine.dispose()
    names = {r["name"] for r in results}
    acknowledged = Counter((r["name"], c, i, v) for r in results for c, i, v in r["done"])
    audited: Counter[tuple[str, str, str, float]] = Counter()
    last: dict[tuple[str, str], float] = {}
    for e in log:
        if e.who in names and e.action == "set" and e.entity == "value" and e.new is not None:
            value = float(json.loads(e.new)["value"])
            audited[(e.who, str(e.chain_id), str(e.field), value)] += 1
            last[(str(e.chain_id), str(e.field))] = value
    lost = acknowledged - audited
    unacknowledged = audited - acknowledged
    duplicated = sum(n - 1 for n in audited.values() if n > 1)
    wrong_cells = sum(1 for key, value in last.items() if cells.get(key) != value)
    verification = check(log, None if head is None else str(head))
    return {
        "audit_entries": len(log),
        "lost_edits": sum(lost.values()),
        "unacknowledged_in_audit": sum(unacknowledged.values()),
        "duplicated_edits": duplicated,
        "cells_edited": len(last),
        "cells_not_holding_their_last_edit": wrong_cells,
        "audit_chain_ok": verification.ok,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analysts", type=int, default=10)
    parser.add_argument("--chains", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from tests import pgserver

    server = pgserver.start()
    try:
        server.create_database("bench")
        url = server.url("bench")
        names = [f"analyst{i:02d}" for i in range(1, args.analysts + 1)]
        import_s = set_up(url, names, args.chains)
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        start_at = time.time() + 5.0  # every process connected before the clock starts
        procs = [ctx.Process(target=analyst, args=(server.url("bench", n), n, args.chains,
                                                   args.seconds, start_at, queue))
                 for n in names]
        for p in procs:
            p.start()
        results = [queue.get(timeout=args.seconds + 600) for _ in procs]
        for p in procs:
            p.join()
        latencies = sorted(x for r in results for x in r["latencies"])
        edits = len(latencies)
        q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) >= 2 else [0.0] * 99
        report: dict[str, Any] = {
            "analysts": args.analysts, "chains": args.chains, "seconds": args.seconds,
            "import_s": round(import_s, 1),
            "edits": edits, "edits_per_s": round(edits / args.seconds, 1),
            "latency_ms": {"p50": round(q[49] * 1000, 1), "p95": round(q[94] * 1000, 1),
                           "p99": round(q[98] * 1000, 1),
                           "max": round(max(latencies, default=0.0) * 1000, 1)},
            "stale_edits_refused": sum(r["refused"] for r in results),
            "per_analyst": {r["name"]: len(r["done"]) for r in results},
            **check_books(url, results),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                       f"PostgreSQL {server.bin_dir.parent.name} (fsync off)",
        }
    finally:
        pgserver.stop(server)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    ok = (report["lost_edits"] == 0 and report["duplicated_edits"] == 0
          and report["unacknowledged_in_audit"] == 0
          and report["cells_not_holding_their_last_edit"] == 0 and report["audit_chain_ok"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
