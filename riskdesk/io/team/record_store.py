"""The team store's analyst's-record tables (what record_tables.py is to SqliteStore): profile
fields, inventory snapshots, data problems, the undo journal, runs and drafts.

Snapshots copy rows inside the database (INSERT … SELECT); JSON is read and written in Python
(SQLite's json_* functions have no portable equivalent). The undo journal is per user: in a team,
Undo takes back your own last edit, never a colleague's.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, update

from riskdesk.core.commands import ChainRef
from riskdesk.core.models import Chain, DataIssue
from riskdesk.core.results import ChainResult
from riskdesk.core.rounds import ResultDigest
from riskdesk.io.project.bulk import RawValue
from riskdesk.io.project.record_tables import JournalEntry
from riskdesk.io.project.store import ChainKey, Draft, RunInfo
from riskdesk.io.team import tables as t
from riskdesk.io.team.access import TeamAccess

_CHAIN_COLS = ("chain_id", "segment", "position", "profile", "carried_over")
_VALUE_COLS = ("chain_id", "segment", "indicator", "value", "unit", "year", "provenance",
               "carried_over")


def seg(segment: str | None) -> str:
    return segment or ""


def unseg(segment: str) -> str | None:
    return segment or None


def dump_chain(chain: Chain) -> str:
    return json.dumps(chain.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                      sort_keys=True)


def is_analyst_value(provenance: str) -> bool:
    """An expert or computed value (not imported)."""
    kind: object = json.loads(provenance).get("kind")
    return kind != "imported"


class TeamRecords(TeamAccess):

    # --- profile fields ---------------------------------------------------------------------

    def _profile_rows(self, ref: ChainRef) -> list[tuple[str, str, int]]:
        cond = [t.chains.c.round == ref.round, t.chains.c.chain_id == ref.chain_id]
        if ref.segment is not None:
            cond.append(t.chains.c.segment == ref.segment)
        rows = self._rows(select(t.chains.c.segment, t.chains.c.profile, t.chains.c.version)
                          .where(*cond).order_by(t.chains.c.position))
        for segment, _, version in rows:
            self.saw(("chain", ref.round, ref.chain_id, segment), int(version))
        return [(str(s), str(p), int(v)) for s, p, v in rows]

    def get_profile(self, ref: ChainRef) -> dict[str, Any] | None:
        """The profile of a chain row; for a whole chain held as segments, its first segment."""
        rows = self._profile_rows(ref)
        if not rows:
            return None
        profile: dict[str, Any] = json.loads(rows[0][1])
        return profile

    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None:
        """Set one profile field (on every segment for a whole-chain edit), refusing a stale one."""
        for segment, text, _ in self._profile_rows(ref):
            profile = json.loads(text)
            if value is None:
                profile.pop(field, None)
            else:
                profile[field] = value
            self.guarded_write(
                t.chains, {"round": ref.round, "chain_id": ref.chain_id, "segment": segment},
                {"profile": json.dumps(profile, ensure_ascii=False, sort_keys=True)},
                ("chain", ref.round, ref.chain_id, segment),
                f"{ref.chain_id} {field}",
            )

    # --- snapshots (undoable imports) ------------------------------------------------------

    def _new_snapshot_row(self, round: str, at: str, source: tuple[str, str] | None) -> int:
        path, sha = source or (None, None)
        result = self._exec(insert(t.snapshots).values(round=round, at=at, input_path=path,
                                                        input_sha256=sha))
        return self._inserted_id(result)

    def _copy(self, target: Any, target_key: dict[str, Any], source: Any, source_where: Any,
              columns: tuple[str, ...]) -> None:
        names = [*target_key, *columns]
        picked = select(*(literal(v) for v in target_key.values()),
                        *(source.c[c] for c in columns)).where(source_where)
        self._exec(insert(target).from_select(names, picked))

    def snapshot_round(self, round: str, at: str) -> int:
        """Copy the round's current chains, values and data problems into a new snapshot."""
        row = self._one(select(t.rounds.c.input_path, t.rounds.c.input_sha256)
                        .where(t.rounds.c.name == round))
        source = (str(row[0]), str(row[1])) if row is not None and row[0] is not None else None
        snap = self._new_snapshot_row(round, at, source)
        key = {"snapshot": snap}
        self._copy(t.snapshot_chains, key, t.chains, t.chains.c.round == round, _CHAIN_COLS)
        self._copy(t.snapshot_values, key, t.indicator_values,
                   t.indicator_values.c.round == round, _VALUE_COLS)
        self._copy(t.snapshot_issues, key, t.data_issues, t.data_issues.c.round == round,
                   ("position", "issue"))
        self._copy(t.snapshot_data, key, t.round_data, t.round_data.c.round == round,
                   ("kind", "content"))
        return snap

    def restore_round(self, round: str, snapshot: int) -> None:
        """Make the round's chains, values, data problems and input exactly the snapshot's."""
        for table in (t.indicator_values, t.chains, t.data_issues, t.round_data):
            self._exec(delete(table).where(table.c.round == round))
        key = {"round": round}
        self._copy(t.round_data, key, t.snapshot_data, t.snapshot_data.c.snapshot == snapshot,
                   ("kind", "content"))
        stamp = {"version": self.version_now(), "updated_by": self.user}
        self._copy(t.chains, {**key, **stamp}, t.snapshot_chains,
                   t.snapshot_chains.c.snapshot == snapshot, _CHAIN_COLS)
        self._copy(t.indicator_values, {**key, **stamp}, t.snapshot_values,
                   t.snapshot_values.c.snapshot == snapshot, _VALUE_COLS)
        self._copy(t.data_issues, key, t.snapshot_issues,
                   t.snapshot_issues.c.snapshot == snapshot, ("position", "issue"))
        source = self._one(select(t.snapshots.c.input_path, t.snapshots.c.input_sha256)
                           .where(t.snapshots.c.id == snapshot))
        path, sha = source if source is not None else (None, None)
        self._exec(update(t.rounds).where(t.rounds.c.name == round)
                   .values(input_path=path, input_sha256=sha))
        self.changed(None)

    def new_snapshot(self, round: str, at: str, source: tuple[str, str] | None,
                     chains: list[Chain], rows: list[RawValue], issues: list[DataIssue],
                     base: int | None = None, data: dict[str, str] | None = None) -> int:
        """A snapshot holding an imported inventory, alone or laid over snapshot `base`
        (see RecordTables.new_snapshot)."""
        snap = self._new_snapshot_row(round, at, source)
        key = {"snapshot": snap}
        if base is not None:
            self._copy(t.snapshot_data, key, t.snapshot_data, t.snapshot_data.c.snapshot == base,
                       ("kind", "content"))
            self._copy(t.snapshot_chains, key, t.snapshot_chains,
                       t.snapshot_chains.c.snapshot == base, _CHAIN_COLS)
            self._copy(t.snapshot_values, key, t.snapshot_values,
                       t.snapshot_values.c.snapshot == base, _VALUE_COLS)
            self._copy(t.snapshot_issues, key, t.snapshot_issues,
                       t.snapshot_issues.c.snapshot == base, ("position", "issue"))
        self._upsert(t.snapshot_data, [{"snapshot": snap, "kind": k, "content": c}
                                       for k, c in (data or {}).items()],
                     ("snapshot", "kind"), ("content",))
        existing = {(str(c), str(s)): int(p) for c, s, p in self._rows(
            select(t.snapshot_chains.c.chain_id, t.snapshot_chains.c.segment,
                   t.snapshot_chains.c.position).where(t.snapshot_chains.c.snapshot == snap))}
        top = max(existing.values(), default=-1)
        chain_rows = []
        for chain in chains:
            position = existing.get((chain.chain_id, seg(chain.segment)))
            if position is None:
                top += 1
                position = existing[(chain.chain_id, seg(chain.segment))] = top
            chain_rows.append({"snapshot": snap, "chain_id": chain.chain_id,
                               "segment": seg(chain.segment), "position": position,
                               "profile": dump_chain(chain), "carried_over": 0})
        self._upsert(t.snapshot_chains, chain_rows, ("snapshot", "chain_id", "segment"),
                     ("profile", "carried_over"))
        names = ("chain_id", "segment", "indicator", "value", "unit", "year", "provenance")
        self._upsert(t.snapshot_values,
                     [{"snapshot": snap, **dict(zip(names, r, strict=True)), "carried_over": 0}
                      for r in rows],
                     ("snapshot", "chain_id", "segment", "indicator"),
                     ("value", "unit", "year", "provenance", "carried_over"))
        first = int(self._scalar(select(func.coalesce(func.max(t.snapshot_issues.c.position) + 1,
                                                      0))
                                 .where(t.snapshot_issues.c.snapshot == snap)) or 0)
        if issues:
            self._exec(insert(t.snapshot_issues), [
                {"snapshot": snap, "position": first + i, "issue": issue.model_dump_json()}
                for i, issue in enumerate(issues)])
        return snap

    def carry_analyst_values(self, from_snapshot: int, to_snapshot: int) -> None:
        """Bring the analyst's own values of this round into a replacing snapshot, for the
        chains it still holds."""
        sv = t.snapshot_values
        kept = self.snapshot_chain_ids(to_snapshot)
        rows = self._rows(select(*(sv.c[c] for c in _VALUE_COLS))
                          .where(sv.c.snapshot == from_snapshot, sv.c.carried_over == 0))
        carried = [
            {"snapshot": to_snapshot, **dict(zip(_VALUE_COLS, r, strict=True))}
            for r in rows
            if (str(r[0]), unseg(str(r[1]))) in kept and is_analyst_value(str(r[6]))
        ]
        self._upsert(sv, carried, ("snapshot", "chain_id", "segment", "indicator"),
                     ("value", "unit", "year", "provenance"))

    def snapshot_chain_ids(self, snapshot: int) -> set[ChainKey]:
        sc = t.snapshot_chains
        return {(str(c), unseg(str(s))) for c, s in self._rows(
            select(sc.c.chain_id, sc.c.segment).where(sc.c.snapshot == snapshot))}

    def round_data(self, round: str) -> dict[str, str]:
        rd = t.round_data
        return {str(k): str(c) for k, c in self._rows(
            select(rd.c.kind, rd.c.content).where(rd.c.round == round))}

    # --- data problems ------------------------------------------------------------------------

    def put_issues(self, round: str, issues: list[DataIssue]) -> None:
        self._exec(delete(t.data_issues).where(t.data_issues.c.round == round))
        if issues:
            self._exec(insert(t.data_issues), [
                {"round": round, "position": i, "issue": issue.model_dump_json()}
                for i, issue in enumerate(issues)])

    def issues(self, round: str) -> list[DataIssue]:
        di = t.data_issues
        rows = self._rows(select(di.c.issue).where(di.c.round == round).order_by(di.c.position))
        return [DataIssue.model_validate_json(r[0]) for r in rows]

    # --- the undo journal (per user) -----------------------------------------------------------

    def journal_push(self, entry: JournalEntry) -> int:
        result = self._exec(insert(t.journal).values(
            state="done", at=entry.at, who=self.user, label_zh=entry.label_zh,
            label_en=entry.label_en, edit=entry.edit))
        return self._inserted_id(result)

    def journal_top(self, state: str) -> JournalEntry | None:
        j = t.journal
        order = j.c.seq.desc() if state == "done" else j.c.seq.asc()
        row = self._one(select(j.c.seq, j.c.state, j.c.at, j.c.who, j.c.label_zh, j.c.label_en,
                               j.c.edit).where(j.c.state == state, j.c.who == self.user)
                        .order_by(order).limit(1))
        if row is None:
            return None
        names = ("seq", "state", "at", "who", "label_zh", "label_en", "edit")
        return JournalEntry.model_validate(dict(zip(names, row, strict=True)))

    def journal_set_state(self, seq: int, state: str) -> None:
        self._exec(update(t.journal).where(t.journal.c.seq == seq).values(state=state))

    def journal_count(self) -> int:
        j = t.journal
        return int(self._scalar(select(func.count()).select_from(j)
                                .where(j.c.state == "done", j.c.who == self.user)) or 0)

    def journal_drop_undone(self) -> None:
        j = t.journal
        self._exec(delete(j).where(j.c.state == "undone", j.c.who == self.user))

    # --- taxonomies, runs, results ---------------------------------------------------------

    def put_taxonomy(self, sha256: str, name: str, canonical: str, at: str) -> None:
        self._upsert(t.taxonomies, [{"sha256": sha256, "name": name, "canonical": canonical,
                                     "stored_at": at}], ("sha256",))

    def get_taxonomy(self, sha256: str) -> str | None:
        value = self._scalar(select(t.taxonomies.c.canonical)
                             .where(t.taxonomies.c.sha256 == sha256))
        return None if value is None else str(value)

    def add_run(self, round: str, header: dict[str, object], results: list[ChainResult],
                stored_by: str, stored_at: str) -> int:
        taxonomy = header["taxonomy"]
        source = header.get("input")
        assert isinstance(taxonomy, dict)
        result = self._exec(insert(t.runs).values(
            round=round, taxonomy_sha256=taxonomy["sha256"],
            input_sha256=source.get("sha256") if isinstance(source, dict) else None,
            assessed_at=header["assessed_at"], riskdesk_version=header["riskdesk_version"],
            stored_by=stored_by, stored_at=stored_at,
            header=json.dumps(header, ensure_ascii=False, sort_keys=True)))
        run_id = self._inserted_id(result)
        if results:
            self._exec(insert(t.assessments), [
                {"run_id": run_id, "position": i, "chain_id": r.chain_id,
                 "segment": seg(r.segment), "result": r.model_dump_json()}
                for i, r in enumerate(results)])
        self.changed(None)
        return run_id

    def run_digests(self, run_id: int) -> dict[ChainKey, ResultDigest]:
        a = t.assessments
        digests: dict[ChainKey, ResultDigest] = {}
        for chain_id, segment, text in self._rows(select(a.c.chain_id, a.c.segment, a.c.result)
                                                  .where(a.c.run_id == run_id)):
            result = json.loads(text)
            digests[(str(chain_id), unseg(str(segment)))] = ResultDigest(
                primary_type=result.get("primary_type"), strategy=result.get("strategy"),
                type_scores=result.get("type_scores"))
        return digests

    def _run_select(self) -> Any:
        r, a = t.runs, t.assessments.alias("counted")
        count = (select(func.count()).select_from(a).where(a.c.run_id == r.c.id)
                 .correlate(r).scalar_subquery())
        return select(r.c.id, r.c.round, r.c.taxonomy_sha256, r.c.input_sha256, r.c.assessed_at,
                      r.c.riskdesk_version, r.c.stored_by, r.c.stored_at, count)

    @staticmethod
    def _run_info(row: Any) -> RunInfo:
        names = ("id", "round", "taxonomy_sha256", "input_sha256", "assessed_at",
                 "riskdesk_version", "stored_by", "stored_at", "chains")
        return RunInfo.model_validate(dict(zip(names, tuple(row)[:9], strict=True)))

    def runs(self, round: str | None = None) -> list[RunInfo]:
        stmt = self._run_select()
        if round is not None:
            stmt = stmt.where(t.runs.c.round == round)
        return [self._run_info(r) for r in self._rows(stmt.order_by(t.runs.c.id))]

    def run_header(self, run_id: int) -> dict[str, object]:
        text = self._scalar(select(t.runs.c.header).where(t.runs.c.id == run_id))
        if text is None:
            raise KeyError(run_id)
        header: dict[str, object] = json.loads(text)
        return header

    def run_results(self, run_id: int) -> list[ChainResult]:
        a = t.assessments
        rows = self._rows(select(a.c.result).where(a.c.run_id == run_id).order_by(a.c.position))
        return [ChainResult.model_validate_json(r[0]) for r in rows]

    def chain_results(self, chain_id: str) -> list[tuple[RunInfo, ChainResult]]:
        a = t.assessments
        stmt = (self._run_select().add_columns(a.c.result)
                .join(a, a.c.run_id == t.runs.c.id).where(a.c.chain_id == chain_id)
                .order_by(t.runs.c.id, a.c.position))
        return [(self._run_info(r), ChainResult.model_validate_json(r[-1]))
                for r in self._rows(stmt)]

    def replace_results(self, run_id: int, results: list[ChainResult]) -> None:
        """Put fresh results of some chains into a stored run, keeping each chain's place."""
        a = t.assessments
        positions: dict[str, int] = {}
        for chain_id in sorted({r.chain_id for r in results}):
            where = (a.c.run_id == run_id, a.c.chain_id == chain_id)
            first = self._scalar(select(func.min(a.c.position)).where(*where))
            if first is not None:
                positions[chain_id] = int(first)
            self._exec(delete(a).where(*where))
        top = int(self._scalar(select(func.coalesce(func.max(a.c.position), -1))
                               .where(a.c.run_id == run_id)))
        rows = []
        for r in results:
            position = positions.get(r.chain_id)
            if position is None:
                top += 1
                position = positions[r.chain_id] = top
            rows.append({"run_id": run_id, "position": position, "chain_id": r.chain_id,
                         "segment": seg(r.segment), "result": r.model_dump_json()})
        if rows:
            self._exec(insert(a), rows)

    # --- autosaved drafts ---------------------------------------------------------------------

    def put_draft(self, draft: Draft) -> None:
        self._upsert(t.drafts, [draft.model_dump()], ("key",), ("payload", "saved_at", "saved_by"))

    def drafts(self) -> list[Draft]:
        d = t.drafts
        rows = self._rows(select(d.c.key, d.c.payload, d.c.saved_at, d.c.saved_by)
                          .where(d.c.saved_by == self.user).order_by(d.c.saved_at))
        return [Draft(key=k, payload=p, saved_at=a, saved_by=b) for k, p, a, b in rows]

    def delete_draft(self, key: str) -> None:
        self._exec(delete(t.drafts).where(t.drafts.c.key == key))
