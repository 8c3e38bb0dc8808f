"""The .rdproj SQLite schema, its version, and explicit migrations from older versions.

The version lives in `PRAGMA user_version` (read without parsing any table). Opening a file:
version == SCHEMA_VERSION → use it; older → copy the file to a dated backup next to it, then run
the migration functions one version at a time, each in its own transaction; newer → refuse with a
clear message (an older riskdesk must not half-understand a newer project).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.layout import (
    Layout,
    differences,
    expected_layout,
    read_layout,
    refuse,
    verify_v0,
)

SCHEMA_VERSION = 2
APPLICATION_ID = 0x52444B50  # "RDKP": lets `file`-style tools and we ourselves spot an rdproj

SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE rounds (
    name         TEXT PRIMARY KEY CHECK (length(trim(name)) > 0),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    carried_from TEXT REFERENCES rounds(name),
    input_path   TEXT,
    input_sha256 TEXT
);
CREATE TABLE chains (
    round        TEXT NOT NULL REFERENCES rounds(name) ON DELETE CASCADE,
    chain_id     TEXT NOT NULL CHECK (length(chain_id) > 0),
    segment      TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    profile      TEXT NOT NULL CHECK (json_valid(profile)),
    carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
    PRIMARY KEY (round, chain_id, segment)
);
CREATE TABLE indicator_values (
    round        TEXT NOT NULL,
    chain_id     TEXT NOT NULL,
    segment      TEXT NOT NULL DEFAULT '',
    indicator    TEXT NOT NULL,
    value        REAL,
    unit         TEXT,
    year         INTEGER,
    provenance   TEXT NOT NULL CHECK (json_valid(provenance)),
    carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
    PRIMARY KEY (round, chain_id, segment, indicator),
    FOREIGN KEY (round, chain_id, segment) REFERENCES chains(round, chain_id, segment)
        ON DELETE CASCADE
);
CREATE TABLE judgements (
    round           TEXT NOT NULL,
    chain_id        TEXT NOT NULL,
    segment         TEXT NOT NULL DEFAULT '',
    override_decision TEXT CHECK (override_decision IN ('accepted', 'overridden')),
    override_outcome  TEXT,
    override_reason   TEXT,
    override_by       TEXT,
    override_at       TEXT,
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'assessed', 'reviewed')),
    status_by       TEXT,
    status_at       TEXT,
    measures        TEXT CHECK (measures IS NULL OR json_valid(measures)),
    note            TEXT,
    carried_over    INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
    PRIMARY KEY (round, chain_id, segment),
    -- segment '' is the whole chain, which may exist only as segment rows in `chains`
    FOREIGN KEY (round) REFERENCES rounds(name) ON DELETE CASCADE,
    -- an override requires a written reason (SPEC §3), whoever writes the row
    CHECK (override_decision IS NOT 'overridden'
           OR length(trim(coalesce(override_reason, ''))) > 0),
    CHECK ((override_decision IS NULL) = (override_outcome IS NULL))
);
CREATE TABLE taxonomies (
    sha256    TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    canonical TEXT NOT NULL CHECK (json_valid(canonical)),
    stored_at TEXT NOT NULL
);
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    round            TEXT NOT NULL REFERENCES rounds(name) ON DELETE CASCADE,
    taxonomy_sha256  TEXT NOT NULL REFERENCES taxonomies(sha256),
    input_sha256     TEXT,
    assessed_at      TEXT NOT NULL,
    riskdesk_version TEXT NOT NULL,
    stored_by        TEXT NOT NULL,
    stored_at        TEXT NOT NULL,
    header           TEXT NOT NULL CHECK (json_valid(header))
);
CREATE TABLE assessments (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    chain_id TEXT NOT NULL,
    segment  TEXT NOT NULL DEFAULT '',
    result   TEXT NOT NULL CHECK (json_valid(result)),
    PRIMARY KEY (run_id, chain_id, segment)
);
CREATE INDEX assessments_by_chain ON assessments(chain_id, segment);
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    who       TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    round     TEXT,
    chain_id  TEXT,
    segment   TEXT,
    field     TEXT,
    old       TEXT,
    new       TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_chain ON audit(chain_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE drafts (
    key      TEXT PRIMARY KEY,
    payload  TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
);
"""

# Version 2 (the analyst's record): status words of SPEC §11.1, the undo history kept beside the
# data (`journal`), inventory snapshots that make an import undoable, the data problems of each
# round's inventory, the current taxonomy and country list of the session (in `meta`), and stored
# scenario runs.
_JUDGEMENT_STATUS_V1 = "CHECK (status IN ('draft', 'assessed', 'reviewed')),"
_JUDGEMENT_STATUS_V2 = "CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),"
SCHEMA_V2_TABLES = """
CREATE TABLE journal (
    seq      INTEGER PRIMARY KEY,
    state    TEXT NOT NULL CHECK (state IN ('done', 'undone')),
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    edit     TEXT NOT NULL CHECK (json_valid(edit))
);
CREATE TABLE snapshots (
    id           INTEGER PRIMARY KEY,
    round        TEXT NOT NULL,
    at           TEXT NOT NULL,
    input_path   TEXT,
    input_sha256 TEXT
);
CREATE TABLE snapshot_chains (
    snapshot     INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    chain_id     TEXT NOT NULL,
    segment      TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    profile      TEXT NOT NULL,
    carried_over INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot, chain_id, segment)
);
CREATE TABLE snapshot_values (
    snapshot     INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    chain_id     TEXT NOT NULL,
    segment      TEXT NOT NULL DEFAULT '',
    indicator    TEXT NOT NULL,
    value        REAL,
    unit         TEXT,
    year         INTEGER,
    provenance   TEXT NOT NULL,
    carried_over INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot, chain_id, segment, indicator)
);
CREATE TABLE snapshot_data (
    snapshot INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    content  TEXT NOT NULL,
    PRIMARY KEY (snapshot, kind)
);
CREATE TABLE round_data (
    round   TEXT NOT NULL REFERENCES rounds(name) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('trade', 'series')),
    content TEXT NOT NULL CHECK (json_valid(content)),
    PRIMARY KEY (round, kind)
);
CREATE TABLE snapshot_issues (
    snapshot INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    issue    TEXT NOT NULL,
    PRIMARY KEY (snapshot, position)
);
CREATE TABLE data_issues (
    round    TEXT NOT NULL REFERENCES rounds(name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    issue    TEXT NOT NULL CHECK (json_valid(issue)),
    PRIMARY KEY (round, position)
);
CREATE TABLE scenario_libraries (
    sha256    TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    canonical TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE scenario_runs (
    id              INTEGER PRIMARY KEY,
    round           TEXT NOT NULL REFERENCES rounds(name) ON DELETE CASCADE,
    library_sha256  TEXT NOT NULL REFERENCES scenario_libraries(sha256),
    taxonomy_sha256 TEXT NOT NULL,
    run_at          TEXT NOT NULL,
    stored_by       TEXT NOT NULL,
    result          TEXT NOT NULL CHECK (json_valid(result))
);
"""
SCHEMA_V2 = SCHEMA_V1.replace(_JUDGEMENT_STATUS_V1, _JUDGEMENT_STATUS_V2) + SCHEMA_V2_TABLES


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current schema in an empty database (inside the caller's transaction)."""
    _trust_own_schema(conn)
    _execute_script(conn, SCHEMA_V2)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _execute_script(conn: sqlite3.Connection, script: str) -> None:
    for statement in _statements(script):
        conn.execute(statement)


def _trust_own_schema(conn: sqlite3.Connection) -> None:
    # connect() opens with trusted_schema = OFF, under which SQLite refuses even our own
    # json_valid() CHECK constraints; once the schema is ours (created here, or verified to be
    # exactly ours), its functions may run.
    conn.execute("PRAGMA trusted_schema = ON")


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (triggers contain ';' inside BEGIN … END)."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(r[0]) for r in rows}


# --- migrations ----------------------------------------------------------------------------------
# Version 0 was the first prototype's layout: one implicit round, flat chain columns, a free-text
# "source" per value and notes in their own table, no audit log. (tests/project/fixtures/ holds a
# file written in that layout by make_v0_fixture.py.)


def _migrate_0_to_1(conn: sqlite3.Connection, user: str) -> None:
    v0 = _tables(conn)
    if not {"chains", "indicator_values"} <= v0:
        raise ProjectError(
            "this file is not a riskdesk project (no chain tables)",
            "该文件不是 riskdesk 项目（缺少产业链数据表）",
        )
    for table in ("chains", "indicator_values", "notes", "settings"):
        if table in v0:
            conn.execute(f"ALTER TABLE {table} RENAME TO v0_{table}")
    _execute_script(conn, SCHEMA_V1)  # this step ends at version 1; the next one goes on
    settings: dict[str, str] = {}
    if "settings" in v0:
        settings = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM v0_settings")}
    round_name = settings.get("year") or "initial"
    at = now_iso()
    conn.execute(
        "INSERT INTO rounds(name, created_at, created_by, input_path) VALUES (?, ?, ?, ?)",
        (round_name, settings.get("created_at", at), settings.get("created_by", user),
         settings.get("input_file")),
    )
    profile_fields = ("chain_name", "sector", "tech_category", "strategic_value", "generality",
                      "description", "owner", "year")
    # Only names from our own list reach the SQL text (the file's names are data, not code).
    present = {str(r[0]) for r in conn.execute("SELECT name FROM pragma_table_info('v0_chains')")}
    columns = [c for c in ("chain_id", *profile_fields) if c in present]
    rows = conn.execute(
        f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM v0_chains ORDER BY rowid"
    ).fetchall()
    for position, row in enumerate(rows):
        record = dict(zip(columns, row, strict=True))
        profile = {"chain_id": record["chain_id"]}
        profile.update({f: record[f] for f in profile_fields if record.get(f) is not None})
        conn.execute(
            "INSERT INTO chains(round, chain_id, segment, position, profile) "
            "VALUES (?, ?, '', ?, ?)",
            (round_name, record["chain_id"], position, json.dumps(profile, ensure_ascii=False)),
        )
    for chain_id, indicator, value, source in conn.execute(
        "SELECT chain_id, indicator, value, source FROM v0_indicator_values"
    ).fetchall():
        # v0 kept "file!sheet!cell" or free text; keep it as the imported value's location.
        parts = str(source or "").split("!")
        provenance: dict[str, object] = {"kind": "imported", "file": parts[0] or None}
        if len(parts) == 3:
            provenance.update(sheet=parts[1] or None, cell=parts[2] or None)
        elif len(parts) > 1:
            provenance["evidence"] = str(source)
        conn.execute(
            "INSERT INTO indicator_values(round, chain_id, segment, indicator, value, provenance) "
            "VALUES (?, ?, '', ?, ?, ?)",
            (round_name, chain_id, indicator, value, json.dumps(provenance, ensure_ascii=False)),
        )
    if "notes" in v0:
        for chain_id, text in conn.execute("SELECT chain_id, text FROM v0_notes").fetchall():
            conn.execute(
                "INSERT INTO judgements(round, chain_id, segment, note) VALUES (?, ?, '', ?)",
                (round_name, chain_id, text),
            )
    for table in ("notes", "indicator_values", "chains", "settings"):  # children first
        if table in v0:
            conn.execute(f"DROP TABLE v0_{table}")
    conn.execute("INSERT INTO meta(key, value) VALUES ('migrated_from', '0')")


def _migrate_1_to_2(conn: sqlite3.Connection, user: str) -> None:
    """New tables; judgements rebuilt for the new status words (assessed → draft, reviewed →
    approved: the first version's 'reviewed' was the analyst's own sign-off)."""
    conn.execute("ALTER TABLE judgements RENAME TO v1_judgements")
    statement = next(s for s in _statements(SCHEMA_V2) if s.startswith("CREATE TABLE judgements"))
    conn.execute(statement)
    conn.execute(
        "INSERT INTO judgements SELECT round, chain_id, segment, override_decision, "
        "override_outcome, override_reason, override_by, override_at, "
        "CASE status WHEN 'assessed' THEN 'draft' WHEN 'reviewed' THEN 'approved' "
        "ELSE status END, status_by, status_at, measures, note, carried_over FROM v1_judgements"
    )
    conn.execute("DROP TABLE v1_judgements")
    _execute_script(conn, SCHEMA_V2_TABLES)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection, str], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
}


def backup_path_for(path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.v{version}-backup-{stamp}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.v{version}-backup-{stamp}-{n}")
        n += 1
    return candidate


def backup(conn: sqlite3.Connection, source: Path, target: Path) -> None:
    """Copy the project before touching it: byte for byte when no write-ahead log holds pages
    (we hold the lock, so nobody writes meanwhile), else through SQLite's online backup."""
    wal = source.with_name(source.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        shutil.copy2(source, target)
        return
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


# Layouts a file of each version must have; a new schema version adds its predecessor's
# creator here so that older files are checked against the layout they claim before migration.
def _create_v1(conn: sqlite3.Connection) -> None:
    """The layout a version-1 file must have (checked before it is migrated to version 2)."""
    _trust_own_schema(conn)
    _execute_script(conn, SCHEMA_V1)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")


LAYOUTS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1,
                                                             SCHEMA_VERSION: create_schema}
_EXPECTED: dict[int, Layout] = {}


def verify_schema(conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> int:
    """Refuse a file whose schema is not exactly riskdesk's (planted triggers or views, altered
    tables) or that is another application's database; returns the schema version."""
    version = schema_version(conn)
    check_version(version, path)
    if version == 0:
        verify_v0(conn, path)  # only the prototype's plain tables: no code of its own to run
        _trust_own_schema(conn)
        return version
    application = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if application != APPLICATION_ID:
        raise refuse(path, [(f"application id {application:#x}", f"应用标识 {application:#x}")],
                     foreign=True)
    create = LAYOUTS.get(version)
    if create is None:
        raise refuse(path, [(f"unknown project format {version}", f"未知的项目格式 {version}")])
    if version not in _EXPECTED:
        _EXPECTED[version] = expected_layout(create)
    problems = differences(read_layout(conn), _EXPECTED[version], reading=read_only)
    if problems:
        raise refuse(path, problems)
    _trust_own_schema(conn)
    return version


def check_version(version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path.name} was written by a newer riskdesk (project format {version}; this version "
            f"understands up to {SCHEMA_VERSION}); update riskdesk to open it",
            f"{path.name} 由更新版本的 riskdesk 创建（项目格式 {version}，本版本最高支持 "
            f"{SCHEMA_VERSION}），请升级 riskdesk 后再打开",
        )


def migrate(conn: sqlite3.Connection, path: Path, user: str) -> Path | None:
    """Bring the database to SCHEMA_VERSION; return the backup written first (None if current)."""
    # Checked before the backup and before any write: nothing is written for a foreign or
    # tampered file, and no trigger in it ever fires.
    version = verify_schema(conn, path)
    if version == SCHEMA_VERSION:
        return None
    saved = backup_path_for(path, version)
    backup(conn, path, saved)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn, user)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return saved
