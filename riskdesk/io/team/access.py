"""How the team store talks to its database: transactions, reads, versioned writes, NOTIFY.

One write transaction at a time per database: on PostgreSQL every write transaction first takes
the transaction-level advisory lock `WRITE_LOCK_KEY` (also what keeps the hash-chained audit log a
single chain when several clients append — anything else that appends to `audit` on the server,
such as a workflow function, must take the same lock first); on SQLite `BEGIN IMMEDIATE` does the
same. Edits are small, so serialising them costs little and makes every read inside a write
transaction current. Reads outside a transaction use a pooled connection of their own, so a window
can read while a worker thread writes.

On commit, PostgreSQL delivers `NOTIFY riskdesk_changes, '<chain id>'` for every chain the
transaction changed ('*' for round-wide changes), which other clients LISTEN to.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Executable,
    Row,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from riskdesk.io.project.schema import now_iso
from riskdesk.io.team import tables
from riskdesk.io.team.concurrency import StaleEditError, VersionBook, VersionKey

WRITE_LOCK_KEY = 0x5244_4B54  # "RDKT": pg_advisory_xact_lock key of team write transactions
CHANNEL = "riskdesk_changes"
ALL_CHAINS = "*"


def _backend_pid(conn: Connection) -> int:
    dbapi = conn.connection.dbapi_connection
    info = getattr(dbapi, "info", None)
    return int(getattr(info, "backend_pid", 0) or 0)


class TeamAccess:
    """Connection handling shared by the team store's parts."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine = engine
        self.user = user
        self.versions = VersionBook()
        self._writer = threading.RLock()
        self._tx: Connection | None = None
        self._tx_thread: int | None = None
        self._clock: int | None = None
        self._changed: set[str] = set()
        # server processes of this client's write transactions: a listener skips their NOTIFYs
        self.own_backends: set[int] = set()

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writer:
            if self._tx is not None:  # nested: part of the caller's transaction
                yield
                return
            with self.engine.connect() as conn:
                try:
                    with conn.begin():
                        if self.is_postgresql:
                            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                         {"key": WRITE_LOCK_KEY})
                            self.own_backends.add(_backend_pid(conn))
                        self._tx, self._tx_thread = conn, threading.get_ident()
                        self._clock, self._changed = None, set()
                        try:
                            yield
                            self._notify(conn)
                        finally:
                            self._tx = self._tx_thread = None
                except DBAPIError as exc:
                    self.versions.rollback()
                    # the server's role and frozen-chain refusals as sentences (workflow.py)
                    from riskdesk.io.team.workflow import refusal

                    said = refusal(exc, self.engine)
                    if said is None:
                        raise
                    raise said from None
                except BaseException:
                    self.versions.rollback()
                    raise
            self.versions.commit()

    def _in_transaction(self) -> bool:
        return self._tx is not None and self._tx_thread == threading.get_ident()

    def _notify(self, conn: Connection) -> None:
        if not self.is_postgresql or not self._changed:
            return
        payloads = [ALL_CHAINS] if ALL_CHAINS in self._changed else sorted(self._changed)
        for payload in payloads:
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": CHANNEL, "payload": payload})

    def changed(self, chain_id: str | None) -> None:
        """Mark a chain (None: the whole round or more) as changed by this transaction."""
        self._changed.add(chain_id or ALL_CHAINS)

    def version_now(self) -> int:
        """The version rows written by this transaction take: the seq its first audit entry
        will have (the audit head cannot move while we hold the write lock). Every transaction
        that writes versioned rows appends to the audit log (Project's edits all do), so no two
        transactions share a version."""
        if self._clock is None:
            head = self._scalar(select(func.coalesce(func.max(tables.audit.c.seq), 0)))
            self._clock = int(head or 0) + 1
        return self._clock

    # --- statements ------------------------------------------------------------------------

    def _rows(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> list[Any]:
        """All rows (tuples; typed Any: the columns are the statement's)."""
        rows: Sequence[Row[Any]]
        if self._in_transaction():
            assert self._tx is not None
            rows = self._tx.execute(stmt, params).all()
        else:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt, params).all()
                conn.rollback()
        return list(rows)

    def _one(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
        rows = self._rows(stmt, params)
        return rows[0] if rows else None

    def _scalar(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
        row = self._one(stmt, params)
        return None if row is None else row[0]

    def _exec(self, stmt: Executable, params: Any = None) -> CursorResult[Any]:
        """A write, inside the caller's transaction (or one of its own)."""
        if self._in_transaction():
            assert self._tx is not None
            return self._tx.execute(stmt, params)
        with self.transaction():
            assert self._tx is not None
            return self._tx.execute(stmt, params)

    @staticmethod
    def _inserted_id(result: CursorResult[Any]) -> int:
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _insert(self, table: Table) -> Any:
        """INSERT with ON CONFLICT support in this dialect."""
        return (postgresql.insert(table) if self.is_postgresql else sqlite.insert(table))

    def _upsert(self, table: Table, rows: list[dict[str, Any]], keys: Sequence[str],
                update: Sequence[str] | None = None) -> None:
        """Insert rows; on a key conflict update `update` columns (None: keep the old row)."""
        if not rows:
            return
        stmt = self._insert(table)
        if update is None:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
        else:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(keys), set_={c: stmt.excluded[c] for c in update})
        self._exec(stmt, rows)

    # --- versioned rows --------------------------------------------------------------------

    def saw(self, key: VersionKey, version: int) -> None:
        self.versions.saw(key, version, in_transaction=self._in_transaction())

    def audit_head(self) -> int:
        return int(self._scalar(select(func.coalesce(func.max(tables.audit.c.seq), 0))) or 0)

    def reading_round(self, kind: str, round: str) -> None:
        """Before a whole round of `kind` rows is read for display: what was there is recorded
        row by row; this records what was *not* there (see VersionBook.loaded_at)."""
        if not self._in_transaction():
            self.versions.saw_round(kind, round, self.audit_head())

    def guarded_write(self, table: Table, where: Mapping[str, Any], values: dict[str, Any] | None,
                      key: VersionKey, what: str) -> None:
        """Insert, update or delete (values None) one versioned row, refusing when the row is
        no longer at the version this client last read (`StaleEditError`; nothing written)."""
        cond = [table.c[name] == value for name, value in where.items()]
        current = self._one(select(table.c.version, table.c.updated_by, table.c.updated_at)
                            .where(*cond))
        actual = 0 if current is None else int(current[0])
        expected = self.versions.expected(key)
        loaded = self.versions.loaded_at(key)
        if expected is None and loaded is not None and actual > loaded:
            expected = 0  # absent when the round was read, written by someone since
        if expected is not None and expected != actual:
            self.versions.forget(key)
            raise StaleEditError(what, current[1] if current else None,
                                 current[2] if current else None)
        self.changed(str(where.get("chain_id") or "") or None)
        if values is None:
            if current is not None:
                self._exec(table.delete().where(*cond))
            self.versions.wrote(key, 0)
            return
        version = self.version_now()
        stamp = {"version": version, "updated_by": self.user, "updated_at": now_iso()}
        if current is None:
            self._exec(table.insert().values(**where, **values, **stamp))
        else:
            self._exec(table.update().where(*cond).values(**values, **stamp))
        self.versions.wrote(key, version)
