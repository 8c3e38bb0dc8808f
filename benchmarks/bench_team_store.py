"""Team store benchmark: the same work on a .rdproj file and on a PostgreSQL team database.

For N chains × all indicators of the bundled taxonomy: the import (one transaction), single
edits through Project.set_value (each one audited transaction: p50 / p95 latency), reading the
round back (what a window does when it opens or refreshes), then `db push` of the file into an
empty team database and `db pull` back out, with the audit trail verified on both sides.

Without --db it starts a throw-away server from the distribution's binaries (tests/pgserver.py).

    python benchmarks/bench_team_store.py [--chains 5000] [--edits 300] [--db URL] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Chain, IndicatorValue, Provenance
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project import Project
from riskdesk.io.team.store import TeamStore
from riskdesk.io.team.transfer import pull_to_file, push_file

ROUND = "2025"


def inventory(taxonomy: Taxonomy, n: int) -> Inventory:
    chains = [Chain(chain_id=f"C{i:05d}", chain_name=f"链 {i}", sector="半导体") for i in range(n)]
    values = [
        (c.chain_id, None, IndicatorValue(
            indicator=ind, value=round(((i * 7 + j * 3) % 100) / 100, 2),
            provenance=Provenance(kind="imported", file="inv.xlsx", sheet="chains",
                                  cell=f"R{i + 2}C{j + 2}")))
        for i, c in enumerate(chains) for j, ind in enumerate(taxonomy.indicator_ids)
    ]
    return Inventory.from_records(taxonomy, chains, values)


def timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(open_project: Callable[[], Project], inv: Inventory, taxonomy: Taxonomy,
            edits: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with open_project() as p:
        out["import_s"] = timed(lambda: p.import_inventory(inv, ROUND, taxonomy))
        keys = [k for k, _ in zip(inv.keys(), range(edits), strict=False)]
        latencies = []
        for i, (chain_id, _) in enumerate(keys):
            latencies.append(timed(lambda c=chain_id, i=i: p.set_value(
                ROUND, c, taxonomy.indicator_ids[i % 5], 0.5 + i / 10_000)))
        out["edit_p50_ms"] = statistics.median(latencies) * 1000
        out["edit_p95_ms"] = statistics.quantiles(latencies, n=20)[-1] * 1000
        out["read_round_s"] = timed(lambda: (p.inventory(ROUND, taxonomy), p.judgements(ROUND)))
        out["verify_s"] = timed(p.verify)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--db", default=None, help="an empty PostgreSQL database (default: a "
                                                   "throw-away server)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    taxonomy = default_taxonomy()
    inv = inventory(taxonomy, args.chains)
    server = None
    try:
        if args.db is None:
            from tests import pgserver

            server = pgserver.start()
            databases = [server.create_database(n) for n in ("bench_edit", "bench_push")]
            edit_db, push_db = (server.url(d) for d in databases)
        else:
            edit_db = push_db = args.db
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            path = folder / "bench.rdproj"
            results: dict[str, Any] = {"chains": args.chains,
                                       "values": args.chains * len(taxonomy.indicator_ids)}
            results["file"] = measure(lambda: Project.create(path, user="bench"), inv,
                                      taxonomy, args.edits)
            results["postgresql"] = measure(lambda: Project.connect(edit_db, user="bench"),
                                            inv, taxonomy, args.edits)
            store = TeamStore.open(push_db if args.db is None else edit_db, user="bench")
            try:
                if args.db is None:
                    results["push_s"] = timed(lambda: push_file(path, store))
                pulled = folder / "pulled.rdproj"
                results["pull_s"] = timed(lambda: pull_to_file(store, pulled))
                results["team_audit_ok"] = store.verify_audit().ok
            finally:
                store.close()
            with Project.open(pulled, read_only=True) as p:
                results["pulled_audit_ok"] = p.verify().ok
    finally:
        if server is not None:
            from tests import pgserver

            pgserver.stop(server)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if results["team_audit_ok"] and results["pulled_audit_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
