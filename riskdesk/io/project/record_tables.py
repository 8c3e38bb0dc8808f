"""SqliteStore's tables for the analyst's record (schema 2): profile fields, inventory snapshots,
data problems, the undo journal and in-place result updates.

Snapshots copy a round's chains, values and data problems inside SQLite (INSERT … SELECT), so an
import of 100,000 rows is undoable without a Python object per value.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import BaseModel, Field

from riskdesk.core.commands import ChainRef
from riskdesk.core.models import Chain, DataIssue
from riskdesk.core.results import ChainResult
from riskdesk.io.project.bulk import RawValue

ChainKey = tuple[str, str | None]
_CHAIN_COLS = "chain_id, segment, position, profile, carried_over"
_VALUE_COLS = "chain_id, segment, indicator, value, unit, year, provenance, carried_over"


def _seg(segment: str | None) -> str:
    return segment or ""


def _dump_chain(chain: Chain) -> str:
    return json.dumps(chain.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                      sort_keys=True)


class JournalEntry(BaseModel):
    """One edit in the project's undo history: done (undoable) or undone (redoable)."""

    seq: int = 0
    state: str = "done"
    at: str
    who: str
    label_zh: str
    label_en: str
    edit: str = Field(description="the edit as JSON (riskdesk.core.commands.load_edit)")


class RecordTables:
    conn: sqlite3.Connection

    # --- profile fields ---------------------------------------------------------------------

    def get_profile(self, ref: ChainRef) -> dict[str, Any] | None:
        """The profile of a chain row; for a whole chain held as segments, its first segment."""
        row = self.conn.execute(
            "SELECT profile FROM chains WHERE round = ? AND chain_id = ? "
            "AND (segment = ? OR ? IS NULL) ORDER BY position LIMIT 1",
            (ref.round, ref.chain_id, _seg(ref.segment), ref.segment),
        ).fetchone()
        if row is None:
            return None
        profile: dict[str, Any] = json.loads(row[0])
        return profile

    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None:
        """Set one profile field; a whole-chain edit of a chain held as segments sets every
        segment (profile fields describe the chain)."""
        where = "WHERE round = ? AND chain_id = ? AND (segment = ? OR ? IS NULL)"
        args = (ref.round, ref.chain_id, _seg(ref.segment), ref.segment)
        if value is None:
            self.conn.execute(f"UPDATE chains SET profile = json_remove(profile, ?) {where}",
                              ("$." + field, *args))
            return
        self.conn.execute(
            f"UPDATE chains SET profile = json_set(profile, ?, json(?)) {where}",
            ("$." + field, json.dumps(value, ensure_ascii=False), *args),
        )

    # --- snapshots (undoable imports) ------------------------------------------------------

    def _new_snapshot_row(self, round: str, at: str, source: tuple[str, str] | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO snapshots(round, at, input_path, input_sha256) VALUES (?, ?, ?, ?)",
            (round, at, *(source or (None, None))),
        )
        return int(cur.lastrowid or 0)

    def snapshot_round(self, round: str, at: str) -> int:
        """Copy the round's current chains, values and data problems into a new snapshot."""
        row = self.conn.execute(
            "SELECT input_path, input_sha256 FROM rounds WHERE name = ?", (round,)
        ).fetchone()
        source = (row[0], row[1]) if row is not None and row[0] is not None else None
        snap = self._new_snapshot_row(round, at, source)
        self.conn.execute(
            f"INSERT INTO snapshot_chains(snapshot, {_CHAIN_COLS}) "
            f"SELECT ?, {_CHAIN_COLS} FROM chains WHERE round = ?", (snap, round))
        self.conn.execute(
            f"INSERT INTO snapshot_values(snapshot, {_VALUE_COLS}) "
            f"SELECT ?, {_VALUE_COLS} FROM indicator_values WHERE round = ?", (snap, round))
        self.conn.execute(
            "INSERT INTO snapshot_issues(snapshot, position, issue) "
            "SELECT ?, position, issue FROM data_issues WHERE round = ?", (snap, round))
        self.conn.execute(
            "INSERT INTO snapshot_data(snapshot, kind, content) "
            "SELECT ?, kind, content FROM round_data WHERE round = ?", (snap, round))
        return snap

    def restore_round(self, round: str, snapshot: int) -> None:
        """Make the round's chains, values, data problems and input exactly the snapshot's."""
        self.conn.execute("DELETE FROM indicator_values WHERE round = ?", (round,))
        self.conn.execute("DELETE FROM chains WHERE round = ?", (round,))
        self.conn.execute("DELETE FROM data_issues WHERE round = ?", (round,))
        self.conn.execute("DELETE FROM round_data WHERE round = ?", (round,))
        self.conn.execute(
            "INSERT INTO round_data(round, kind, content) "
            "SELECT ?, kind, content FROM snapshot_data WHERE snapshot = ?", (round, snapshot))
        self.conn.execute(
            f"INSERT INTO chains(round, {_CHAIN_COLS}) "
            f"SELECT ?, {_CHAIN_COLS} FROM snapshot_chains WHERE snapshot = ?", (round, snapshot))
        self.conn.execute(
            f"INSERT INTO indicator_values(round, {_VALUE_COLS}) "
            f"SELECT ?, {_VALUE_COLS} FROM snapshot_values WHERE snapshot = ?", (round, snapshot))
        self.conn.execute(
            "INSERT INTO data_issues(round, position, issue) "
            "SELECT ?, position, issue FROM snapshot_issues WHERE snapshot = ?", (round, snapshot))
        self.conn.execute(
            "UPDATE rounds SET input_path = (SELECT input_path FROM snapshots WHERE id = ?), "
            "input_sha256 = (SELECT input_sha256 FROM snapshots WHERE id = ?) WHERE name = ?",
            (snapshot, snapshot, round),
        )

    def new_snapshot(self, round: str, at: str, source: tuple[str, str] | None,
                     chains: list[Chain], rows: list[RawValue], issues: list[DataIssue],
                     base: int | None = None, data: dict[str, str] | None = None) -> int:
        """A snapshot holding an imported inventory — alone (replace), or laid over the content
        of snapshot `base` (merge: matching chains and values updated, new ones added, the
        rest kept). Values in `rows` replace the base's values of the same cell; `data` (trade
        table, time series as JSON) replaces the base's of the same kind."""
        snap = self._new_snapshot_row(round, at, source)
        if base is not None:
            self.conn.execute(
                "INSERT INTO snapshot_data(snapshot, kind, content) "
                "SELECT ?, kind, content FROM snapshot_data WHERE snapshot = ?", (snap, base))
        self.conn.executemany(
            "INSERT INTO snapshot_data(snapshot, kind, content) VALUES (?, ?, ?) "
            "ON CONFLICT(snapshot, kind) DO UPDATE SET content = excluded.content",
            [(snap, kind, content) for kind, content in (data or {}).items()],
        )
        top = -1
        if base is not None:
            self.conn.execute(
                f"INSERT INTO snapshot_chains(snapshot, {_CHAIN_COLS}) "
                f"SELECT ?, {_CHAIN_COLS} FROM snapshot_chains WHERE snapshot = ?", (snap, base))
            self.conn.execute(
                f"INSERT INTO snapshot_values(snapshot, {_VALUE_COLS}) "
                f"SELECT ?, {_VALUE_COLS} FROM snapshot_values WHERE snapshot = ?", (snap, base))
            (top,) = self.conn.execute(
                "SELECT coalesce(max(position), -1) FROM snapshot_chains WHERE snapshot = ?",
                (snap,),
            ).fetchone()
        first_issue = 0
        if base is not None:
            self.conn.execute(
                "INSERT INTO snapshot_issues(snapshot, position, issue) "
                "SELECT ?, position, issue FROM snapshot_issues WHERE snapshot = ?", (snap, base))
            (first_issue,) = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM snapshot_issues WHERE snapshot = ?",
                (snap,),
            ).fetchone()
        existing = dict(self.conn.execute(
            "SELECT chain_id || char(0) || segment, position FROM snapshot_chains "
            "WHERE snapshot = ?", (snap,)).fetchall())
        chain_rows = []
        for chain in chains:
            key = f"{chain.chain_id}\0{_seg(chain.segment)}"
            position = existing.get(key)
            if position is None:
                top += 1
                position = existing[key] = top
            chain_rows.append((snap, chain.chain_id, _seg(chain.segment), position,
                               _dump_chain(chain)))
        self.conn.executemany(
            "INSERT INTO snapshot_chains(snapshot, chain_id, segment, position, profile) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(snapshot, chain_id, segment) DO UPDATE SET "
            "profile = excluded.profile, carried_over = 0",
            chain_rows,
        )
        self.conn.executemany(
            "INSERT INTO snapshot_values(snapshot, chain_id, segment, indicator, value, unit, "
            "year, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(snapshot, chain_id, segment, indicator) DO UPDATE SET "
            "value = excluded.value, unit = excluded.unit, year = excluded.year, "
            "provenance = excluded.provenance, carried_over = 0",
            [(snap, *row) for row in rows],
        )
        self.conn.executemany(
            "INSERT INTO snapshot_issues(snapshot, position, issue) VALUES (?, ?, ?)",
            [(snap, first_issue + i, issue.model_dump_json()) for i, issue in enumerate(issues)],
        )
        return snap

    def carry_analyst_values(self, from_snapshot: int, to_snapshot: int) -> None:
        """Bring the analyst's own values of this round (expert or computed, not carried over)
        into a replacing snapshot, for the chains it still holds."""
        self.conn.execute(
            f"INSERT INTO snapshot_values(snapshot, {_VALUE_COLS}) "
            f"SELECT ?, {_VALUE_COLS} FROM snapshot_values v WHERE v.snapshot = ? "
            "AND json_extract(v.provenance, '$.kind') != 'imported' AND v.carried_over = 0 "
            "AND EXISTS (SELECT 1 FROM snapshot_chains c WHERE c.snapshot = ? "
            "AND c.chain_id = v.chain_id AND c.segment = v.segment) "
            "ON CONFLICT(snapshot, chain_id, segment, indicator) DO UPDATE SET "
            "value = excluded.value, unit = excluded.unit, year = excluded.year, "
            "provenance = excluded.provenance",
            (to_snapshot, from_snapshot, to_snapshot),
        )

    def snapshot_chain_ids(self, snapshot: int) -> set[ChainKey]:
        return {
            (str(c), str(s) or None)
            for c, s in self.conn.execute(
                "SELECT chain_id, segment FROM snapshot_chains WHERE snapshot = ?", (snapshot,)
            )
        }

    def round_data(self, round: str) -> dict[str, str]:
        """The round's trade table and time series (JSON by kind)."""
        return {
            str(k): str(c)
            for k, c in self.conn.execute(
                "SELECT kind, content FROM round_data WHERE round = ?", (round,)
            )
        }

    # --- data problems of a round's inventory ---------------------------------------------------

    def put_issues(self, round: str, issues: list[DataIssue]) -> None:
        self.conn.execute("DELETE FROM data_issues WHERE round = ?", (round,))
        self.conn.executemany(
            "INSERT INTO data_issues(round, position, issue) VALUES (?, ?, ?)",
            [(round, i, issue.model_dump_json()) for i, issue in enumerate(issues)],
        )

    def issues(self, round: str) -> list[DataIssue]:
        rows = self.conn.execute(
            "SELECT issue FROM data_issues WHERE round = ? ORDER BY position", (round,)
        ).fetchall()
        return [DataIssue.model_validate_json(r[0]) for r in rows]

    # --- the undo journal ----------------------------------------------------------------------

    def journal_push(self, entry: JournalEntry) -> int:
        cur = self.conn.execute(
            "INSERT INTO journal(state, at, who, label_zh, label_en, edit) "
            "VALUES ('done', ?, ?, ?, ?, ?)",
            (entry.at, entry.who, entry.label_zh, entry.label_en, entry.edit),
        )
        return int(cur.lastrowid or 0)

    def journal_top(self, state: str) -> JournalEntry | None:
        """The next edit to undo (state 'done': the latest) or to redo ('undone': the earliest
        of the undone, i.e. the one undone last)."""
        sql = ("SELECT seq, state, at, who, label_zh, label_en, edit FROM journal "
               "WHERE state = ? ORDER BY seq " + ("DESC" if state == "done" else "ASC")
               + " LIMIT 1")
        row = self.conn.execute(sql, (state,)).fetchone()
        if row is None:
            return None
        names = ("seq", "state", "at", "who", "label_zh", "label_en", "edit")
        return JournalEntry.model_validate(dict(zip(names, row, strict=True)))

    def journal_set_state(self, seq: int, state: str) -> None:
        self.conn.execute("UPDATE journal SET state = ? WHERE seq = ?", (state, seq))

    def journal_count(self) -> int:
        (n,) = self.conn.execute("SELECT count(*) FROM journal WHERE state = 'done'").fetchone()
        return int(n)

    def journal_drop_undone(self) -> None:
        """A new edit forgets what was undone (as every undo stack does)."""
        self.conn.execute("DELETE FROM journal WHERE state = 'undone'")

    # --- the working run ---------------------------------------------------------------------

    def replace_results(self, run_id: int, results: list[ChainResult]) -> None:
        """Put fresh results of some chains into a stored run (the session's working run),
        keeping each chain's place; new chains go last."""
        ids = sorted({r.chain_id for r in results})
        positions: dict[str, int] = {}
        for chain_id in ids:
            row = self.conn.execute(
                "SELECT min(position) FROM assessments WHERE run_id = ? AND chain_id = ?",
                (run_id, chain_id),
            ).fetchone()
            if row is not None and row[0] is not None:
                positions[chain_id] = int(row[0])
            self.conn.execute("DELETE FROM assessments WHERE run_id = ? AND chain_id = ?",
                              (run_id, chain_id))
        (top,) = self.conn.execute(
            "SELECT coalesce(max(position), -1) FROM assessments WHERE run_id = ?", (run_id,)
        ).fetchone()
        rows = []
        for r in results:
            position = positions.get(r.chain_id)
            if position is None:
                top += 1
                position = positions[r.chain_id] = top
            rows.append((run_id, position, r.chain_id, _seg(r.segment), r.model_dump_json()))
        self.conn.executemany(
            "INSERT INTO assessments(run_id, position, chain_id, segment, result) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
