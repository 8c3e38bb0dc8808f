"""The tamper-evident audit trail: every change as who / when / what / old → new, hash-chained.

Entry n stores hash_n = sha256(hash_{n-1} + canonical JSON of entry n) (hash_0 = 64 zeros) and
the database refuses UPDATE and DELETE on the table (triggers). Anyone who edits the file with
another tool can drop the triggers, but then `verify()` finds the first entry whose stored hash no
longer matches, a gap in the sequence (a deleted row), or a head that disagrees with the head
recorded in `meta` (a truncated tail). It is evidence of tampering, not a signature: someone who
rewrites every later hash and the recorded head is not detected (say so in the methodology).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

GENESIS = "0" * 64
AUDIT_FIELDS = ("seq", "at", "who", "action", "entity", "round", "chain_id", "segment", "field",
                "old", "new")


class AuditEntry(BaseModel):
    seq: int
    at: str
    who: str
    action: str = Field(description="set, clear, import, run, round, migrate, undo, redo, …")
    entity: str = Field(description="value, override, status, measures, note, chain, run, round…")
    round: str | None = None
    chain_id: str | None = None
    segment: str | None = None
    field: str | None = None
    old: str | None = Field(default=None, description="JSON of the value before")
    new: str | None = Field(default=None, description="JSON of the value after")
    prev_hash: str = GENESIS
    hash: str = ""

    def canonical(self) -> str:
        body = {k: getattr(self, k) for k in AUDIT_FIELDS}
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def expected_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode("utf-8")).hexdigest()

    def summary(self) -> str:
        where = " ".join(p for p in (self.round, self.chain_id, self.segment, self.field) if p)
        change = ""
        if self.old is not None or self.new is not None:
            change = f": {_short(self.old)} → {_short(self.new)}"
        return f"#{self.seq} {self.at} {self.who} {self.action} {self.entity} {where}{change}"


def _short(text: str | None, limit: int = 80) -> str:
    if text is None:
        return "—"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AuditProblem(BaseModel):
    seq: int | None
    problem_en: str
    problem_zh: str


class AuditVerification(BaseModel):
    entries: int
    problems: list[AuditProblem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def to_json(value: Any) -> str | None:
    """The audit's text form of a value (pydantic models via their JSON dump)."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    elif isinstance(value, list):
        value = [v.model_dump(mode="json", exclude_none=True) if isinstance(v, BaseModel) else v
                 for v in value]
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(conn: sqlite3.Connection, entry: AuditEntry) -> AuditEntry:
    """Chain the entry to the current head and insert it (inside the caller's transaction)."""
    seq, prev = head(conn)
    chained = entry.model_copy(update={"seq": seq + 1, "prev_hash": prev})
    chained = chained.model_copy(update={"hash": chained.expected_hash()})
    values = [getattr(chained, k) for k in (*AUDIT_FIELDS, "prev_hash", "hash")]
    conn.execute(
        f"INSERT INTO audit({', '.join((*AUDIT_FIELDS, 'prev_hash', 'hash'))}) "
        f"VALUES ({', '.join('?' * len(values))})",
        values,
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{chained.seq}:{chained.hash}",),
    )
    return chained


def entries(
    conn: sqlite3.Connection, chain_id: str | None = None, limit: int | None = None
) -> list[AuditEntry]:
    cols = ", ".join((*AUDIT_FIELDS, "prev_hash", "hash"))
    sql = f"SELECT {cols} FROM audit"
    args: list[object] = []
    if chain_id is not None:
        sql += " WHERE chain_id = ?"
        args.append(chain_id)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    names = (*AUDIT_FIELDS, "prev_hash", "hash")
    return [AuditEntry(**dict(zip(names, row, strict=True))) for row in conn.execute(sql, args)]


def verify(conn: sqlite3.Connection) -> AuditVerification:
    """Walk the whole chain; report every entry that was changed, removed or inserted."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    return check(entries(conn), str(row[0]) if row else None)


def check(log: Iterable[AuditEntry], recorded_head: str | None) -> AuditVerification:
    """Verify a log read from any store against the head the store recorded ("seq:hash")."""
    problems: list[AuditProblem] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for e in log:
        count += 1
        if e.seq != expected_seq:
            problems.append(AuditProblem(
                seq=e.seq,
                problem_en=f"entries {expected_seq}–{e.seq - 1} are missing (deleted)",
                problem_zh=f"第 {expected_seq}–{e.seq - 1} 条记录缺失（已被删除）",
            ))
        if e.prev_hash != prev:
            problems.append(AuditProblem(
                seq=e.seq,
                problem_en=f"entry {e.seq} does not follow the entry before it",
                problem_zh=f"第 {e.seq} 条记录与前一条记录不衔接",
            ))
        if e.hash != e.expected_hash():
            problems.append(AuditProblem(
                seq=e.seq,
                problem_en=f"entry {e.seq} was altered after it was written",
                problem_zh=f"第 {e.seq} 条记录在写入后被篡改",
            ))
        prev = e.hash
        expected_seq = e.seq + 1
    recorded = recorded_head or "0:" + GENESIS
    actual = f"{expected_seq - 1}:{prev}"
    if recorded != actual:
        last, said = actual.split(":", maxsplit=1)[0], recorded.split(":", maxsplit=1)[0]
        problems.append(AuditProblem(
            seq=None,
            problem_en=f"the log ends at entry {last} but the project recorded {said} "
            "(entries removed from the end?)",
            problem_zh=f"日志止于第 {last} 条，但项目记录为第 {said} 条（末尾记录被删除？）",
        ))
    return AuditVerification(entries=count, problems=problems)
