"""Client processes for the team-mode tests (run as `python -m tests.team.workers …`).

increment URL USER N CHAIN IND  — read the value, write value + 1, N times; a stale write is
    reloaded and retried (what an analyst does after "changed by … ; reload"); prints
    "refused K" at the end.
die-mid-edit URL USER CHAIN IND — commit one edit (prints "committed"), then open a transaction,
    write, print "writing" and wait to be killed.
"""

from __future__ import annotations

import sys
import time

from riskdesk.core.commands import ChainRef
from riskdesk.io.project import Project
from riskdesk.io.team.concurrency import StaleEditError

ROUND = "2025"


def increment(url: str, user: str, n: int, chain: str, indicator: str) -> None:
    refused = 0
    with Project.connect(url, user=user) as project:
        ref = ChainRef(round=ROUND, chain_id=chain)
        done = 0
        while done < n:
            current = project.get_value(ref, indicator)
            assert current is not None and current.value is not None
            try:
                project.set_value(ROUND, chain, indicator, current.value + 1)
            except StaleEditError:
                refused += 1
                continue
            done += 1
    print(f"refused {refused}", flush=True)


def die_mid_edit(url: str, user: str, chain: str, indicator: str) -> None:
    project = Project.connect(url, user=user)
    project.set_value(ROUND, chain, indicator, 41.0)
    print("committed", flush=True)
    ref = ChainRef(round=ROUND, chain_id=chain)
    with project.store.transaction():
        project.store.put_value(ref, indicator, None)
        project.set_note(ROUND, chain, "never committed")
        print("writing", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    command, url, user, *rest = sys.argv[1:]
    if command == "increment":
        increment(url, user, int(rest[0]), rest[1], rest[2])
    elif command == "die-mid-edit":
        die_mid_edit(url, user, rest[0], rest[1])
    else:
        raise SystemExit(f"unknown command {command}")
