"""Moving a portfolio between a .rdproj file and a team database, audit trail included.

Rows are copied one to one (the tables are the same, tables.py); the audit log travels verbatim —
same sequence numbers, same hashes — so `riskdesk history --verify` checks it on either side, and
each move adds one entry of its own ("push" / "pull") at the end of the chain.

* push: a .rdproj into an *empty* team database (two hash chains cannot be merged without
  rewriting one of them, which is what the chain exists to prevent). The file's log is verified
  first: a tampered project is not pushed.
* pull: the whole team portfolio, or some chains of it, into a new .rdproj for offline work. The
  whole audit log is carried even for a subset (a cut log would not verify).

Either way the undo history and autosaved drafts stay where they were made (an undo applies to
the place it was done in), and holds stay in the team database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Table, func, insert, select, text

from riskdesk.io.project import audit as audit_log
from riskdesk.io.project.audit import AuditEntry, to_json
from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.schema import create_schema, now_iso, verify_schema
from riskdesk.io.project.store import connect
from riskdesk.io.team import tables as t
from riskdesk.io.team.store import TeamStore

TEAM_ONLY_COLUMNS = {"version", "updated_by", "updated_at"}
_NOT_MOVED = {"journal", "drafts"}  # undo history and autosaved drafts stay where they were made
_SERIAL = (("runs", "id"), ("snapshots", "id"), ("journal", "seq"), ("scenario_runs", "id"))
_BATCH = 5000


class TransferSummary(BaseModel):
    """What a push or pull moved (rows per table) and the audit entry that records it."""

    rows: dict[str, int]
    audit_entries: int
    chains: list[str] | None = None

    def describe(self, lang: str = "en") -> str:
        chains = self.rows.get("chains", 0)
        values = self.rows.get("indicator_values", 0)
        if lang == "zh":
            return (f"已传输 {chains} 条产业链记录、{values} 个指标值、"
                    f"{self.audit_entries} 条审计记录")
        return (f"moved {chains} chain rows, {values} indicator values and "
                f"{self.audit_entries} audit entries")


def file_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in TEAM_ONLY_COLUMNS]


def _order(table: Table) -> list[Any]:
    if table is t.rounds:
        return [t.rounds.c.created_at, t.rounds.c.name]  # a round comes after the one it carries
    return list(table.primary_key.columns)


def _entry(who: str, action: str, where: str, chains: Sequence[str] | None) -> AuditEntry:
    return AuditEntry(seq=0, at=now_iso(), who=who, action=action, entity="project",
                      field=where, new=to_json({"chains": list(chains)} if chains else None))


# --- pull: team database → .rdproj ----------------------------------------------------------


def pull_to_file(store: TeamStore, target: Path, chains: Iterable[str] | None = None
                 ) -> TransferSummary:
    """Write the team portfolio (or the chains named) into a new project file at `target`."""
    wanted = sorted(set(chains)) if chains is not None else None
    if target.exists():
        raise ProjectError(f"{target} already exists", f"{target} 已存在")
    if wanted is not None:
        known = {c for c, in store._rows(select(t.chains.c.chain_id).distinct())}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ProjectError(f"no chain {', '.join(unknown)} in {store.where}",
                               f"{store.where} 中没有产业链 {', '.join(unknown)}")
    conn = connect(target)
    try:
        rows: dict[str, int] = {}
        conn.execute("BEGIN IMMEDIATE")
        create_schema(conn)
        with store.engine.connect() as source:
            if store.is_postgresql:  # one consistent view of the whole database
                source.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, "
                                    "READ ONLY"))
            for table in t.PROJECT_TABLES:
                if table.name in _NOT_MOVED:
                    continue
                rows[table.name] = _copy_to_file(source, conn, table, wanted)
            source.rollback()
        audit_log.append(conn, _entry(store.user, "pull", store.where, wanted))
        conn.execute("COMMIT")
        count = int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        raise
    conn.close()
    return TransferSummary(rows=rows, audit_entries=count, chains=wanted)


def _copy_to_file(source: Any, conn: sqlite3.Connection, table: Table,
                  chains: list[str] | None) -> int:
    columns = file_columns(table)
    stmt = select(*(table.c[c] for c in columns)).order_by(*_order(table))
    if chains is not None and "chain_id" in table.c and table is not t.audit:
        stmt = stmt.where(table.c.chain_id.in_(chains))
    sql = (f"INSERT OR REPLACE INTO {table.name}({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    moved = 0
    for batch in source.execute(stmt).partitions(_BATCH):
        conn.executemany(sql, [tuple(r) for r in batch])
        moved += len(batch)
    return moved


# --- push: .rdproj → team database ----------------------------------------------------------


def push_file(source: Path, store: TeamStore) -> TransferSummary:
    """Copy a whole project file into the (empty) team database, in one transaction."""
    if not source.is_file():
        raise ProjectError(f"{source}: no such project file", f"{source}：项目文件不存在")
    conn = connect(source, read_only=True)
    try:
        verify_schema(conn, source, read_only=True)
        from riskdesk.io.project.schema import SCHEMA_VERSION, schema_version

        if schema_version(conn) != SCHEMA_VERSION:
            raise ProjectError(
                f"{source.name} uses an older project format; open it once in riskdesk to "
                "upgrade it, then push",
                f"{source.name} 使用旧版项目格式；请先在 riskdesk 中打开一次以升级，再推送")
        checked = audit_log.verify(conn)
        if not checked.ok:
            first = checked.problems[0]
            raise ProjectError(
                f"{source.name}: its audit trail does not verify ({first.problem_en}); "
                "it is not pushed",
                f"{source.name}：审计记录校验未通过（{first.problem_zh}），未推送")
        rows: dict[str, int] = {}
        with store.transaction():
            present = int(store._scalar(select(func.count()).select_from(t.audit)) or 0)
            if present or store.rounds():
                raise ProjectError(
                    f"{store.where} already holds a portfolio ({present} audit entries); push "
                    "into an empty team database (audit trails cannot be merged)",
                    f"{store.where} 中已有项目数据（{present} 条审计记录）；请推送到空的团队"
                    "数据库（审计链无法合并）")
            version = store.version_now() + int(
                conn.execute("SELECT count(*) FROM audit").fetchone()[0])
            for table in t.PROJECT_TABLES:
                if table.name not in _NOT_MOVED:
                    rows[table.name] = _copy_to_team(conn, store, table, version)
            if store.is_postgresql:
                for name, column in _SERIAL:
                    store._exec(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                        f"(SELECT coalesce(max({column}), 0) + 1 FROM {name}), false)"))
            store.append_audit(_entry(store.user, "push", source.name, None))
            store.changed(None)
        return TransferSummary(rows=rows, audit_entries=len(store.audit_entries()))
    finally:
        conn.close()


def _copy_to_team(conn: sqlite3.Connection, store: TeamStore, table: Table, version: int) -> int:
    columns = file_columns(table)
    order = ", ".join(c.name for c in _order(table))
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {table.name} ORDER BY {order}")
    stamp = ({"version": version, "updated_by": store.user}
             if "version" in table.c else {})
    moved = 0
    while batch := cursor.fetchmany(_BATCH):
        store._exec(insert(table), [{**dict(zip(columns, r, strict=True)), **stamp}
                                    for r in batch])
        moved += len(batch)
    return moved
