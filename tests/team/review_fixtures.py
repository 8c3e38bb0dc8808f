"""A team database for the review tests: the demo portfolio, roles installed, people added.

The demo inventory is assessed once into a .rdproj by the real `riskdesk assess` (with one
analyst decision), and each test copies its rows into a fresh PostgreSQL database set up by
`migrate.upgrade` + `roles.install`. The people are LOGIN roles on the session's server (roles are
cluster-wide, so every test uses the same names and memberships).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from riskdesk.io.project.audit import AuditEntry
from riskdesk.io.team import migrate, roles, tables
from riskdesk.io.team.users import add_user
from tests import pgserver

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo" / "demo_inventory.xlsx"
ROUND = "2024"  # the demo inventory's year
DECIDED = "PHOTORESIST"  # carries an analyst's override (engine: capability missing)
REASON = "日方出口管制后本土产线已停产，按能力破坏处理"
PEOPLE = {
    "alice": ["assessor"],
    "bob": ["assessor"],
    "frank": ["assessor", "approver"],  # may approve, but not what he submitted
    "carol": ["reviewer"],
    "dave": ["approver"],
    "erin": ["approver"],
    "rita": ["reader"],
    "adam": ["admin"],
}


def riskdesk(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RISKDESK_USER": "王五", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "riskdesk", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEMO.exists():
        pytest.skip("demo inventory not built")
    folder = tmp_path_factory.mktemp("demo")
    project = folder / "demo.rdproj"
    riskdesk("assess", str(DEMO), "--project", str(project), "--no-robustness", cwd=folder)
    riskdesk("decide", str(project), DECIDED, "--type", "destroyed", "--reason", REASON,
             cwd=folder)
    return project


def copy_project(rdproj: Path, conn: sa.Connection) -> None:
    """The project's rows into the team tables, one to one (the columns are the same)."""
    src = sqlite3.connect(rdproj)
    try:
        for table in tables.PROJECT_TABLES:
            present = {r[1] for r in src.execute(f"PRAGMA table_info({table.name})")}
            cols = [c.name for c in table.columns if c.name in present]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table.name}").fetchall()
            if rows:
                conn.execute(table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])
    finally:
        src.close()
    for table, column in (("runs", "id"), ("journal", "seq"), ("snapshots", "id"),
                          ("scenario_runs", "id")):  # rows came with their ids
        conn.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"(SELECT coalesce(max({column}), 0) + 1 FROM {table}), false)"))


@dataclass(frozen=True)
class TeamDb:
    server: pgserver.PgServer
    name: str

    def url(self, user: str | None = None) -> str:
        return self.server.url(self.name, user)

    def engine(self, user: str | None = None) -> sa.Engine:
        return sa.create_engine(self.url(user), poolclass=sa.pool.NullPool)


def add_people(conn: sa.Connection) -> None:
    for name, kinds in PEOPLE.items():
        add_user(conn, name, kinds, None, roles.Roles())


@pytest.fixture
def team_db(pg_server: pgserver.PgServer, pg_database: str, demo_project: Path) -> TeamDb:
    name = sa.engine.make_url(pg_database).database
    assert name is not None
    db = TeamDb(pg_server, name)
    engine = db.engine()
    with engine.begin() as conn:
        migrate.upgrade(conn, name)
        copy_project(demo_project, conn)
        roles.install(conn)
        add_people(conn)
    engine.dispose()
    return db


def client_append(conn: sa.Connection, who: str, entry: dict[str, str | None]) -> AuditEntry:
    """An audit entry appended the way a client does (Python hash, under the write lock)."""
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": roles.WRITE_LOCK_KEY})
    row = conn.execute(sa.text("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")).first()
    seq, prev = (0, "0" * 64) if row is None else (int(row[0]), str(row[1]))
    e = AuditEntry(seq=seq + 1, at="2026-12-02T08:00:00.000000+00:00", who=who,
                   prev_hash=prev, **entry)  # type: ignore[arg-type]
    e = e.model_copy(update={"hash": e.expected_hash()})
    conn.execute(tables.audit.insert(), [e.model_dump()])
    conn.execute(sa.text("UPDATE meta SET value = :v WHERE key = 'audit_head'"),
                 {"v": f"{e.seq}:{e.hash}"})
    return e


def audit_log(engine: sa.Engine) -> tuple[list[AuditEntry], str | None]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(tables.audit).order_by(tables.audit.c.seq)).mappings()
        log = [AuditEntry(**dict(r)) for r in rows]
        head = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'audit_head'")).scalar()
    return log, None if head is None else str(head)


def verify_by_hand(log: list[AuditEntry], head: str | None) -> list[str]:
    """hash_n = sha256(hash_{n-1} + canonical JSON), seq without gaps, head recorded: what
    docs/team.md tells an auditor to check, written out here rather than taken from audit.py."""
    problems = []
    prev = "0" * 64
    for n, e in enumerate(log, start=1):
        body = json.dumps({k: getattr(e, k) for k in ("seq", "at", "who", "action", "entity",
                                                      "round", "chain_id", "segment", "field",
                                                      "old", "new")},
                          sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if e.seq != n:
            problems.append(f"gap before {e.seq}")
        if e.prev_hash != prev:
            problems.append(f"{e.seq} does not follow")
        if hashlib.sha256((prev + body).encode("utf-8")).hexdigest() != e.hash:
            problems.append(f"{e.seq} altered")
        prev = e.hash
    if head != f"{len(log)}:{prev}":
        problems.append(f"head {head} != {len(log)}:{prev}")
    return problems
