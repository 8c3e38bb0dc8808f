"""Storage of a project: a narrow interface (`ProjectStore`) and its SQLite implementation.

`Project` speaks only to `ProjectStore`, so a shared database server could serve a team later by
implementing the same methods. `SqliteStore` is the embedded default: the standard library's
sqlite3 (no extra dependency, and the SQL here is small enough that SQLAlchemy Core would add a
layer without removing any). Every connection runs with WAL, synchronous=FULL (a committed edit
survives a power cut), foreign keys on and a busy timeout; each write happens in an explicit
`BEGIN IMMEDIATE … COMMIT` transaction opened by `transaction()`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from riskdesk.core.commands import (
    ChainRef,
    Judgement,
    Override,
    SelectedMeasure,
    StatusRecord,
)
from riskdesk.core.models import Chain, DataIssue, IndicatorValue, Provenance, Status
from riskdesk.core.results import ChainResult
from riskdesk.core.rounds import ResultDigest
from riskdesk.io.project import audit
from riskdesk.io.project.audit import AuditEntry, AuditVerification
from riskdesk.io.project.bulk import LocatedValue, RawValue
from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.record_tables import JournalEntry, RecordTables

ValueRow = tuple[str, str | None, IndicatorValue]
JUDGEMENT_COLUMNS = ("override_decision, override_outcome, override_reason, override_by, "
                     "override_at, status, status_by, status_at, measures, note, carried_over")
ChainKey = tuple[str, str | None]


class RoundInfo(BaseModel):
    name: str
    created_at: str
    created_by: str
    carried_from: str | None = None
    input_path: str | None = None
    input_sha256: str | None = None


class RunInfo(BaseModel):
    id: int
    round: str
    taxonomy_sha256: str
    input_sha256: str | None
    assessed_at: str
    riskdesk_version: str
    stored_by: str
    stored_at: str
    chains: int


class Draft(BaseModel):
    key: str
    payload: str
    saved_at: str
    saved_by: str


class ProjectStore(Protocol):
    """What a project needs from its storage. All writes happen inside `transaction()`."""

    def transaction(self) -> AbstractContextManager[None]: ...
    def close(self) -> None: ...
    def backup_to(self, target: Path) -> None: ...
    def integrity_ok(self) -> bool: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def append_audit(self, entry: AuditEntry) -> AuditEntry: ...
    def audit_entries(self, chain_id: str | None = None) -> list[AuditEntry]: ...
    def verify_audit(self) -> AuditVerification: ...
    def rounds(self) -> list[RoundInfo]: ...
    def add_round(self, info: RoundInfo) -> None: ...
    def set_round_input(self, round: str, path: str | None, sha256: str | None) -> None: ...
    def copy_round(self, from_round: str, to_round: str) -> int: ...
    def chains(self, round: str) -> list[Chain]: ...
    def has_chain(self, ref: ChainRef, *, exact: bool = False) -> bool: ...
    def put_chain(self, round: str, chain: Chain) -> None: ...
    def put_chains(self, round: str, chains: list[Chain]) -> None: ...
    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None: ...
    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None: ...
    def put_values(self, round: str, rows: list[ValueRow]) -> None: ...
    def values(self, round: str) -> list[ValueRow]: ...
    def put_value_rows(self, round: str, rows: list[RawValue]) -> None: ...
    def value_rows(self, round: str) -> list[RawValue]: ...
    def located_value_rows(self, round: str) -> list[LocatedValue]: ...
    def value_table(self, round: str) -> dict[ChainKey, dict[str, float | None]]: ...
    def expert_cells(self, round: str) -> set[tuple[str, str | None, str]]: ...
    def get_judgement(self, ref: ChainRef) -> Judgement: ...
    def judgements(self, round: str) -> dict[ChainKey, Judgement]: ...
    def put_judgement(self, ref: ChainRef, judgement: Judgement) -> None: ...
    def put_taxonomy(self, sha256: str, name: str, canonical: str, at: str) -> None: ...
    def get_taxonomy(self, sha256: str) -> str | None: ...
    def add_run(self, round: str, header: dict[str, object], results: list[ChainResult],
                stored_by: str, stored_at: str) -> int: ...
    def runs(self, round: str | None = None) -> list[RunInfo]: ...
    def run_header(self, run_id: int) -> dict[str, object]: ...
    def run_results(self, run_id: int) -> list[ChainResult]: ...
    def run_digests(self, run_id: int) -> dict[ChainKey, ResultDigest]: ...
    def chain_results(self, chain_id: str) -> list[tuple[RunInfo, ChainResult]]: ...
    def put_draft(self, draft: Draft) -> None: ...
    def drafts(self) -> list[Draft]: ...
    def delete_draft(self, key: str) -> None: ...
    def get_profile(self, ref: ChainRef) -> dict[str, Any] | None: ...
    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None: ...
    def snapshot_round(self, round: str, at: str) -> int: ...
    def restore_round(self, round: str, snapshot: int) -> None: ...
    def new_snapshot(self, round: str, at: str, source: tuple[str, str] | None,
                     chains: list[Chain], rows: list[RawValue], issues: list[DataIssue],
                     base: int | None = None, data: dict[str, str] | None = None) -> int: ...
    def round_data(self, round: str) -> dict[str, str]: ...
    def snapshot_chain_ids(self, snapshot: int) -> set[ChainKey]: ...
    def carry_analyst_values(self, from_snapshot: int, to_snapshot: int) -> None: ...
    def put_issues(self, round: str, issues: list[DataIssue]) -> None: ...
    def issues(self, round: str) -> list[DataIssue]: ...
    def journal_push(self, entry: JournalEntry) -> int: ...
    def journal_top(self, state: str) -> JournalEntry | None: ...
    def journal_set_state(self, seq: int, state: str) -> None: ...
    def journal_drop_undone(self) -> None: ...
    def journal_count(self) -> int: ...
    def replace_results(self, run_id: int, results: list[ChainResult]) -> None: ...



def connect(path: Path, *, read_only: bool = False, wal: bool = True) -> sqlite3.Connection:
    """Open with the project's safety settings. Autocommit mode: transactions are explicit.
    `wal=False` leaves the file's journal mode alone (before a migration's backup is taken).

    `trusted_schema = OFF`: functions with side effects cannot run from a view, trigger, default
    or check stored in the file (the schema itself is verified by `schema.verify_schema`).
    Read-only opening works on a read-only file or folder: SQLite then cannot create the shared
    memory file a WAL reader needs, so such a file is opened as immutable when no write-ahead
    log is pending, and refused with a sentence when one is."""
    # The GUI may write from its one worker thread while the window reads: SQLite is built
    # serialized (sqlite3.threadsafety == 3) and SqliteStore serialises transactions itself.
    try:
        if read_only:
            conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None,
                                   check_same_thread=False, factory=GuardedConnection)
        else:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   factory=GuardedConnection)
    except sqlite3.Error as exc:
        raise _unusable(path, exc) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if "unsafe use of" not in str(exc):
                raise
            # SQLite before 3.45 counts json_valid(), which riskdesk's own CHECK constraints
            # use, as unsafe and then cannot load the schema at all. Loading it runs nothing;
            # `schema.verify_schema` is what keeps planted triggers and views out.
            conn.execute("PRAGMA trusted_schema = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA synchronous = FULL")
        if wal and not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise _unusable(path, exc) from None
    return conn


def _read_only_uri(path: Path) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    folder_writable = os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)
    if folder_writable:
        return uri
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(
            f"{path.name} was not closed cleanly and its folder is read-only, so its last saved "
            "changes cannot be read; copy the project (with its -wal file) to a writable folder",
            f"{path.name} 上次未正常关闭，且所在文件夹只读，无法读取最后保存的修改；"
            "请将项目（连同 -wal 文件）复制到可写的文件夹",
            code="read_only_pending_log", file=str(path),
        )
    return uri + "&immutable=1"


def _unusable(path: Path, exc: sqlite3.Error) -> ProjectError:
    text = str(exc)
    if "not a database" in text or "file is encrypted" in text:
        return ProjectError(
            f"{path.name} is not a riskdesk project (it is not an SQLite database)",
            f"{path.name} 不是 riskdesk 项目文件（不是 SQLite 数据库）",
            code="not_a_project", file=str(path),
        )
    if "readonly" in text or "read-only" in text:
        return ProjectError(
            f"{path.name} cannot be written ({text}); open it read-only or copy it to a writable "
            "folder",
            f"{path.name} 无法写入（{text}）；请以只读方式打开，或复制到可写的文件夹",
            code="project_read_only", file=str(path),
        )
    return ProjectError(
        f"{path.name} cannot be opened ({text}); it may be damaged — restore it from a backup",
        f"{path.name} 无法打开（{text}），可能已损坏；请从备份恢复",
        code="project_unusable", file=str(path),
    )


def _seg(segment: str | None) -> str:
    return segment or ""


def _unseg(segment: str) -> str | None:
    return segment or None


def _dump(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                      sort_keys=True)


class _GuardedCursor(sqlite3.Cursor):
    """A cursor whose row fetches hold its connection's guard (see GuardedConnection)."""

    def _guard(self) -> threading.RLock:
        conn = self.connection
        assert isinstance(conn, GuardedConnection)
        return conn.guard

    def fetchone(self) -> Any:
        with self._guard():
            return super().fetchone()

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        with self._guard():
            return super().fetchmany(size if size is not None else self.arraysize)

    def fetchall(self) -> list[Any]:
        with self._guard():
            return super().fetchall()

    def __next__(self) -> Any:
        with self._guard():
            return super().__next__()


class GuardedConnection(sqlite3.Connection):
    """A connection that one thread can close while another reads, without a crash.

    SQLite (serialized) makes single calls thread-safe, but closing a connection while another
    thread steps one of its statements frees what that thread is using: the window read its
    drafts while the worker closed the project after Save As, and the process died (SIGSEGV).
    Every statement, row fetch and the close take one re-entrant guard; a read after the close
    gets sqlite3.ProgrammingError (a Python error) instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = threading.RLock()

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        with self.guard:
            return self.cursor(_GuardedCursor).execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        with self.guard:
            return self.cursor(_GuardedCursor).executemany(sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        with self.guard:
            return super().executescript(script)

    def commit(self) -> None:
        with self.guard:
            super().commit()

    def rollback(self) -> None:
        with self.guard:
            super().rollback()

    def close(self) -> None:
        with self.guard:
            super().close()


class SqliteStore(RecordTables):
    """The embedded store over one sqlite3 connection (one writer per project; see lock.py)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._writer = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writer:
            if self.conn.in_transaction:  # nested: part of the caller's transaction
                yield
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:  # SQLite may already have rolled back (disk full)
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the database in a new file (SQLite's online backup API)."""
        dest = sqlite3.connect(target)
        try:
            with self._writer:
                self.conn.backup(dest)
        finally:
            dest.close()

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    # --- meta and audit ----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def append_audit(self, entry: AuditEntry) -> AuditEntry:
        return audit.append(self.conn, entry)

    def audit_entries(self, chain_id: str | None = None) -> list[AuditEntry]:
        return audit.entries(self.conn, chain_id)

    def verify_audit(self) -> AuditVerification:
        return audit.verify(self.conn)

    # --- rounds and chains -----------------------------------------------------------------

    def rounds(self) -> list[RoundInfo]:
        rows = self.conn.execute(
            "SELECT name, created_at, created_by, carried_from, input_path, input_sha256 "
            "FROM rounds ORDER BY created_at, name"
        ).fetchall()
        names = ("name", "created_at", "created_by", "carried_from", "input_path", "input_sha256")
        return [RoundInfo(**dict(zip(names, r, strict=True))) for r in rows]

    def add_round(self, info: RoundInfo) -> None:
        self.conn.execute(
            "INSERT INTO rounds(name, created_at, created_by, carried_from, input_path, "
            "input_sha256) VALUES (?, ?, ?, ?, ?, ?)",
            (info.name, info.created_at, info.created_by, info.carried_from, info.input_path,
             info.input_sha256),
        )

    def set_round_input(self, round: str, path: str | None, sha256: str | None) -> None:
        self.conn.execute(
            "UPDATE rounds SET input_path = ?, input_sha256 = ? WHERE name = ?",
            (path, sha256, round),
        )

    def copy_round(self, from_round: str, to_round: str) -> int:
        """Copy chains, values and judgements, marked carried over; status restarts at draft."""
        n = self.conn.execute(
            "INSERT INTO chains(round, chain_id, segment, position, profile, carried_over) "
            "SELECT ?, chain_id, segment, position, profile, 1 FROM chains WHERE round = ?",
            (to_round, from_round),
        ).rowcount
        self.conn.execute(
            "INSERT INTO indicator_values(round, chain_id, segment, indicator, value, unit, year, "
            "provenance, carried_over) SELECT ?, chain_id, segment, indicator, value, unit, year, "
            "provenance, 1 FROM indicator_values WHERE round = ?",
            (to_round, from_round),
        )
        self.conn.execute(
            "INSERT INTO judgements(round, chain_id, segment, override_decision, override_outcome, "
            "override_reason, override_by, override_at, status, measures, note, carried_over) "
            "SELECT ?, chain_id, segment, override_decision, override_outcome, override_reason, "
            "override_by, override_at, 'draft', measures, note, 1 FROM judgements WHERE round = ?",
            (to_round, from_round),
        )
        return int(n)

    def chains(self, round: str) -> list[Chain]:
        rows = self.conn.execute(
            "SELECT profile FROM chains WHERE round = ? ORDER BY position, chain_id, segment",
            (round,),
        ).fetchall()
        return [Chain.model_validate_json(r[0]) for r in rows]

    def has_chain(self, ref: ChainRef, *, exact: bool = False) -> bool:
        """The chain (or segment) is in the round. Unless `exact`, a chain held only as segment
        rows counts as present (whole-chain judgements apply to it)."""
        if ref.segment is None and not exact:
            row = self.conn.execute(
                "SELECT 1 FROM chains WHERE round = ? AND chain_id = ? LIMIT 1",
                (ref.round, ref.chain_id),
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT 1 FROM chains WHERE round = ? AND chain_id = ? AND segment = ?",
                (ref.round, ref.chain_id, _seg(ref.segment)),
            ).fetchone()
        return row is not None

    def put_chain(self, round: str, chain: Chain) -> None:
        seg = _seg(chain.segment)
        position = self.conn.execute(
            "SELECT coalesce((SELECT position FROM chains WHERE round = ? AND chain_id = ? AND "
            "segment = ?), (SELECT coalesce(max(position) + 1, 0) FROM chains WHERE round = ?))",
            (round, chain.chain_id, seg, round),
        ).fetchone()[0]
        self.conn.execute(
            "INSERT INTO chains(round, chain_id, segment, position, profile) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(round, chain_id, segment) DO UPDATE SET profile = excluded.profile, "
            "carried_over = 0",
            (round, chain.chain_id, seg, position, _dump(chain)),
        )

    def put_chains(self, round: str, chains: list[Chain]) -> None:
        """Insert or update many chains; new ones go after the round's existing chains."""
        existing = dict(self.conn.execute(
            "SELECT chain_id || char(0) || segment, position FROM chains WHERE round = ?",
            (round,),
        ).fetchall())
        next_position = max(existing.values(), default=-1) + 1
        rows = []
        for chain in chains:
            key = f"{chain.chain_id}\0{_seg(chain.segment)}"
            position = existing.get(key)
            if position is None:
                position = existing[key] = next_position
                next_position += 1
            rows.append((round, chain.chain_id, _seg(chain.segment), position, _dump(chain)))
        self.conn.executemany(
            "INSERT INTO chains(round, chain_id, segment, position, profile) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(round, chain_id, segment) DO UPDATE SET profile = excluded.profile, "
            "carried_over = 0",
            rows,
        )

    # --- indicator values -----------------------------------------------------------------

    def put_value_rows(self, round: str, rows: list[RawValue]) -> None:
        self.conn.executemany(
            "INSERT INTO indicator_values(round, chain_id, segment, indicator, value, unit, year, "
            "provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(round, chain_id, segment, indicator) DO UPDATE SET "
            "value = excluded.value, unit = excluded.unit, year = excluded.year, "
            "provenance = excluded.provenance, carried_over = 0",
            [(round, *row) for row in rows],
        )

    def value_rows(self, round: str) -> list[RawValue]:
        return [
            (str(c), str(s), str(i), v, u, y, str(p))
            for c, s, i, v, u, y, p in self.conn.execute(
                "SELECT chain_id, segment, indicator, value, unit, year, provenance "
                "FROM indicator_values WHERE round = ?",
                (round,),
            )
        ]

    def located_value_rows(self, round: str) -> list[LocatedValue]:
        """Values with plain imported locations split out by SQLite, so rebuilding a large
        inventory needs no JSON parsing or model per cell."""
        return self.conn.execute(
            "SELECT chain_id, segment, indicator, value, year, "
            "json_extract(provenance, '$.file'), json_extract(provenance, '$.sheet'), "
            "json_extract(provenance, '$.cell'), NULL FROM indicator_values "
            "WHERE round = ?1 AND json_extract(provenance, '$.kind') = 'imported' "
            "AND NOT coalesce(json_extract(provenance, '$.illustrative'), 0) "
            "AND json_remove(provenance, '$.kind', '$.file', '$.sheet', '$.cell', "
            "'$.illustrative') = '{}' "
            "UNION ALL SELECT chain_id, segment, indicator, value, year, NULL, NULL, NULL, "
            "provenance FROM indicator_values WHERE round = ?1 AND NOT ("
            "json_extract(provenance, '$.kind') = 'imported' "
            "AND NOT coalesce(json_extract(provenance, '$.illustrative'), 0) "
            "AND json_remove(provenance, '$.kind', '$.file', '$.sheet', '$.cell', "
            "'$.illustrative') = '{}')",
            (round,),
        ).fetchall()

    def value_table(self, round: str) -> dict[ChainKey, dict[str, float | None]]:
        """Every chain of the round with its numeric values (what a diff compares)."""
        table: dict[ChainKey, dict[str, float | None]] = {
            (str(c), _unseg(str(s))): {}
            for c, s in self.conn.execute(
                "SELECT chain_id, segment FROM chains WHERE round = ?", (round,)
            )
        }
        for c, s, i, v in self.conn.execute(
            "SELECT chain_id, segment, indicator, value FROM indicator_values WHERE round = ?",
            (round,),
        ):
            table.setdefault((str(c), _unseg(str(s))), {})[str(i)] = v
        return table

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        row = self.conn.execute(
            "SELECT value, unit, year, provenance FROM indicator_values WHERE round = ? AND "
            "chain_id = ? AND segment = ? AND indicator = ?",
            (ref.round, ref.chain_id, _seg(ref.segment), indicator),
        ).fetchone()
        if row is None:
            return None
        return IndicatorValue(indicator=indicator, value=row[0], unit=row[1], year=row[2],
                              provenance=Provenance.model_validate_json(row[3]))

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        key = (ref.round, ref.chain_id, _seg(ref.segment), indicator)
        if value is None:
            self.conn.execute(
                "DELETE FROM indicator_values WHERE round = ? AND chain_id = ? AND segment = ? "
                "AND indicator = ?",
                key,
            )
            return
        self.conn.execute(
            "INSERT INTO indicator_values(round, chain_id, segment, indicator, value, unit, year, "
            "provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(round, chain_id, segment, indicator) DO UPDATE SET "
            "value = excluded.value, "
            "unit = excluded.unit, year = excluded.year, provenance = excluded.provenance, "
            "carried_over = 0",
            (*key, value.value, value.unit, value.year, _dump(value.provenance)),
        )

    def put_values(self, round: str, rows: list[ValueRow]) -> None:
        self.conn.executemany(
            "INSERT INTO indicator_values(round, chain_id, segment, indicator, value, unit, year, "
            "provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(round, chain_id, segment, indicator) DO UPDATE SET "
            "value = excluded.value, "
            "unit = excluded.unit, year = excluded.year, provenance = excluded.provenance, "
            "carried_over = 0",
            [
                (round, cid, _seg(seg), v.indicator, v.value, v.unit, v.year, _dump(v.provenance))
                for cid, seg, v in rows
            ],
        )

    def values(self, round: str) -> list[ValueRow]:
        rows = self.conn.execute(
            "SELECT chain_id, segment, indicator, value, unit, year, provenance "
            "FROM indicator_values WHERE round = ? ORDER BY chain_id, segment, indicator",
            (round,),
        ).fetchall()
        return [
            (cid, _unseg(seg), IndicatorValue(indicator=ind, value=v, unit=unit, year=year,
                                             provenance=Provenance.model_validate_json(prov)))
            for cid, seg, ind, v, unit, year, prov in rows
        ]

    def expert_cells(self, round: str) -> set[tuple[str, str | None, str]]:
        """Cells holding the analyst's own values (expert or computed) entered in this round,
        which imports keep; values carried over from last round give way to fresh data."""
        rows = self.conn.execute(
            "SELECT chain_id, segment, indicator FROM indicator_values WHERE round = ? AND "
            "json_extract(provenance, '$.kind') != 'imported' AND carried_over = 0",
            (round,),
        ).fetchall()
        return {(c, _unseg(s), i) for c, s, i in rows}

    # --- judgements ---------------------------------------------------------------------------

    def get_judgement(self, ref: ChainRef) -> Judgement:
        row = self.conn.execute(
            f"SELECT {JUDGEMENT_COLUMNS} "
            "FROM judgements WHERE round = ? AND chain_id = ? AND segment = ?",
            (ref.round, ref.chain_id, _seg(ref.segment)),
        ).fetchone()
        return Judgement() if row is None else judgement_of_row(row)

    def judgements(self, round: str) -> dict[ChainKey, Judgement]:
        """Every stored judgement of a round (chains without one are absent: all defaults)."""
        rows = self.conn.execute(
            f"SELECT chain_id, segment, {JUDGEMENT_COLUMNS} FROM judgements WHERE round = ?",
            (round,),
        ).fetchall()
        return {(str(r[0]), _unseg(str(r[1]))): judgement_of_row(r[2:]) for r in rows}

    def put_judgement(self, ref: ChainRef, judgement: Judgement) -> None:
        o = judgement.override
        s = judgement.status
        measures = None if judgement.measures is None else json.dumps(
            [m.model_dump(mode="json", exclude_none=True) for m in judgement.measures],
            ensure_ascii=False,
        )
        self.conn.execute(
            "INSERT OR REPLACE INTO judgements(round, chain_id, segment, override_decision, "
            "override_outcome, override_reason, override_by, override_at, status, status_by, "
            "status_at, measures, note, carried_over) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            (
                ref.round, ref.chain_id, _seg(ref.segment),
                o.decision if o else None, o.outcome.value if o else None,
                o.reason if o else None, o.by if o else None,
                o.at.isoformat() if o and o.at else None,
                s.status.value, s.by, s.at.isoformat() if s.at else None,
                measures, judgement.note, int(judgement.carried_over),
            ),
        )

    # --- taxonomies and runs --------------------------------------------------------------

    def put_taxonomy(self, sha256: str, name: str, canonical: str, at: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO taxonomies(sha256, name, canonical, stored_at) "
            "VALUES (?, ?, ?, ?)",
            (sha256, name, canonical, at),
        )

    def get_taxonomy(self, sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT canonical FROM taxonomies WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return None if row is None else str(row[0])

    def add_run(self, round: str, header: dict[str, object], results: list[ChainResult],
                stored_by: str, stored_at: str) -> int:
        taxonomy = header["taxonomy"]
        source = header.get("input")
        assert isinstance(taxonomy, dict)
        cur = self.conn.execute(
            "INSERT INTO runs(round, taxonomy_sha256, input_sha256, assessed_at, riskdesk_version, "
            "stored_by, stored_at, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                round, taxonomy["sha256"],
                source.get("sha256") if isinstance(source, dict) else None,
                header["assessed_at"], header["riskdesk_version"], stored_by, stored_at,
                json.dumps(header, ensure_ascii=False, sort_keys=True),
            ),
        )
        run_id = int(cur.lastrowid or 0)
        self.conn.executemany(
            "INSERT INTO assessments(run_id, position, chain_id, segment, result) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (run_id, i, r.chain_id, _seg(r.segment), r.model_dump_json())
                for i, r in enumerate(results)
            ],
        )
        return run_id

    def run_digests(self, run_id: int) -> dict[ChainKey, ResultDigest]:
        rows = self.conn.execute(
            "SELECT chain_id, segment, json_extract(result, '$.primary_type'), "
            "json_extract(result, '$.strategy'), json_extract(result, '$.type_scores') "
            "FROM assessments WHERE run_id = ?",
            (run_id,),
        ).fetchall()
        return {
            (str(c), _unseg(str(s))): ResultDigest(
                primary_type=p, strategy=st, type_scores=json.loads(scores)
            )
            for c, s, p, st, scores in rows
        }

    _RUN_COLS = ("runs.id, runs.round, taxonomy_sha256, input_sha256, assessed_at, "
                 "riskdesk_version, stored_by, stored_at, "
                 "(SELECT count(*) FROM assessments a WHERE a.run_id = runs.id)")

    @staticmethod
    def _run_info(row: tuple[object, ...]) -> RunInfo:
        names = ("id", "round", "taxonomy_sha256", "input_sha256", "assessed_at",
                 "riskdesk_version", "stored_by", "stored_at", "chains")
        return RunInfo.model_validate(dict(zip(names, row, strict=True)))

    def runs(self, round: str | None = None) -> list[RunInfo]:
        sql = f"SELECT {self._RUN_COLS} FROM runs"
        args: tuple[str, ...] = ()
        if round is not None:
            sql += " WHERE round = ?"
            args = (round,)
        return [self._run_info(r) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def run_header(self, run_id: int) -> dict[str, object]:
        row = self.conn.execute("SELECT header FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(run_id)
        header: dict[str, object] = json.loads(row[0])
        return header

    def run_results(self, run_id: int) -> list[ChainResult]:
        rows = self.conn.execute(
            "SELECT result FROM assessments WHERE run_id = ? ORDER BY position", (run_id,)
        ).fetchall()
        return [ChainResult.model_validate_json(r[0]) for r in rows]

    def chain_results(self, chain_id: str) -> list[tuple[RunInfo, ChainResult]]:
        rows = self.conn.execute(
            f"SELECT {self._RUN_COLS}, a.result FROM assessments a JOIN runs ON runs.id = a.run_id "
            "WHERE a.chain_id = ? ORDER BY runs.id, a.position",
            (chain_id,),
        ).fetchall()
        return [(self._run_info(r[:-1]), ChainResult.model_validate_json(r[-1])) for r in rows]

    # --- autosaved drafts ---------------------------------------------------------------------

    def put_draft(self, draft: Draft) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO drafts(key, payload, saved_at, saved_by) VALUES (?, ?, ?, ?)",
            (draft.key, draft.payload, draft.saved_at, draft.saved_by),
        )

    def drafts(self) -> list[Draft]:
        rows = self.conn.execute(
            "SELECT key, payload, saved_at, saved_by FROM drafts ORDER BY saved_at"
        ).fetchall()
        return [Draft(key=k, payload=p, saved_at=a, saved_by=b) for k, p, a, b in rows]

    def delete_draft(self, key: str) -> None:
        self.conn.execute("DELETE FROM drafts WHERE key = ?", (key,))


def judgement_of_row(row: tuple[Any, ...]) -> Judgement:
    """A judgement from the values of `JUDGEMENT_COLUMNS` (every backend stores it so)."""
    decision, outcome, reason, o_by, o_at, status, s_by, s_at, measures, note, carried = row
    override = None
    if decision is not None:
        override = Override(decision=decision, outcome=outcome, reason=reason or "", by=o_by,
                            at=o_at)
    return Judgement(
        override=override,
        status=StatusRecord(status=Status.parse(status), by=s_by, at=s_at),
        measures=None if measures is None else [
            SelectedMeasure.model_validate(m) for m in json.loads(measures)
        ],
        note=note,
        carried_over=bool(carried),
    )
