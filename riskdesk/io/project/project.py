"""A riskdesk project (.rdproj): the analyst's chains, values, judgements and results, kept safe.

Every edit is a command (`riskdesk.core.commands`) whose write is one transaction with its audit
entry, so the database on disk is the durable journal: nothing acknowledged is ever lost to a crash.
Work that is not yet an edit (the wizard's half-filled answers) goes to `autosave_draft`, and the
next open lists it in `recovered_drafts()`. See docs/projects.md.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from riskdesk import __version__
from riskdesk.core.commands import (
    ChainRef,
    EditTarget,
    ImportInventory,
    Judgement,
    Override,
    SelectedMeasure,
    SetDecision,
    SetMeasures,
    SetNote,
    SetStatus,
    SetValue,
    StatusRecord,
)
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, IndicatorValue, InputSource, Outcome, Provenance, Status
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.rounds import ResultDigest, RoundDiff, diff_rounds
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project.audit import AuditEntry, AuditVerification, to_json
from riskdesk.io.project.bulk import (
    attach_round_data,
    build_inventory,
    chains_of,
    round_data_of,
    value_rows,
)
from riskdesk.io.project.edits import ProjectEdits
from riskdesk.io.project.errors import ProjectError
from riskdesk.io.project.lock import LockHolder, ProjectLock
from riskdesk.io.project.records import AssessmentRecord, ImportSummary, default_user
from riskdesk.io.project.recovery import Recovery
from riskdesk.io.project.schema import (
    SCHEMA_VERSION,
    create_schema,
    migrate,
    now_iso,
    schema_version,
    verify_schema,
)
from riskdesk.io.project.store import (
    Draft,
    ProjectStore,
    RoundInfo,
    RunInfo,
    SqliteStore,
    connect,
)

PROJECT_SUFFIX = ".rdproj"


class Project(ProjectEdits):
    """An open project. Use `Project.create` / `Project.open`; close it (or use `with`)."""

    def __init__(
        self,
        path: Path | None,
        store: ProjectStore,
        user: str,
        *,
        read_only: bool,
        lock: ProjectLock | None,
        backup: Path | None = None,
        location: str | None = None,
    ) -> None:
        self.path = path  # None: a team database (riskdesk.io.team), named by `location`
        self.location = location or str(path)
        self.store = store
        self.user = user
        self.read_only = read_only
        self._lock = lock
        self.migration_backup = backup
        self._action = "set"
        self.recovery: Recovery | None = None
        if lock is not None and lock.stale_taken_over is not None:
            holder: LockHolder = lock.stale_taken_over
            self.recovery = Recovery(previous_session=holder.describe(), drafts=store.drafts())

    # --- opening and closing ---------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, user: str | None = None) -> Project:
        path = Path(path)
        user = user or default_user()
        if path.exists():
            raise ProjectError(f"{path} already exists", f"{path} 已存在")
        if not path.parent.is_dir():
            raise ProjectError(f"folder {path.parent} does not exist",
                               f"文件夹 {path.parent} 不存在")
        lock = ProjectLock(path, user)
        lock.acquire()
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(path)
            store = SqliteStore(conn)
            with store.transaction():
                create_schema(conn)
                store.set_meta("created_at", now_iso())
                store.set_meta("created_by", user)
                store.set_meta("created_with", __version__)
                store.append_audit(cls._static_entry(user, "create", "project",
                                              new=to_json({"schema": SCHEMA_VERSION})))
        except BaseException:
            if conn is not None:
                conn.close()
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)  # ours: created a moment ago, holds nothing
            lock.release()
            raise
        return cls(path, store, user, read_only=False, lock=lock)

    @classmethod
    def open(cls, path: Path | str, user: str | None = None, *, read_only: bool = False,
             take_over_lock: bool = False) -> Project:
        """Open for writing (takes the lock; migrates an older file after a backup) or read-only.
        `take_over_lock` only after the user confirmed the other instance is gone."""
        path = Path(path)
        user = user or default_user()
        if not path.is_file():
            raise ProjectError(f"{path}: no such project file", f"{path}：项目文件不存在")
        if read_only:
            ro_conn = connect(path, read_only=True)
            try:
                version = verify_schema(ro_conn, path, read_only=True)
            except ProjectError:
                ro_conn.close()
                raise
            if version < SCHEMA_VERSION:
                ro_conn.close()
                raise ProjectError(
                    f"{path.name} uses an older project format; open it once for writing to "
                    "upgrade it (a backup is kept)",
                    f"{path.name} 使用旧版项目格式；请以可写方式打开一次以升级（会先保留备份）",
                )
            return cls(path, SqliteStore(ro_conn), user, read_only=True, lock=None)
        lock = ProjectLock(path, user)
        lock.acquire(take_over=take_over_lock)
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(path, wal=False)  # the backup must be the file exactly as it was
            store = SqliteStore(conn)
            old_version = schema_version(conn)
            saved = migrate(conn, path, user)
            conn.execute("PRAGMA journal_mode = WAL")
            if saved is not None:
                with store.transaction():
                    store.append_audit(cls._static_entry(
                        user, "migrate", "project", field="schema",
                        old=str(old_version), new=str(SCHEMA_VERSION),
                    ))
        except BaseException:
            if conn is not None:
                conn.close()
            lock.release()
            raise
        return cls(path, store, user, read_only=False, lock=lock, backup=saved)

    @classmethod
    def connect(cls, address: str, user: str | None = None, *, create: bool = True) -> Project:
        """Open the project kept in a team database (a libpq service name or a URL, see
        riskdesk.io.team.connect). No lock file: the server serialises writers, and stale edits
        are refused (riskdesk.io.team.concurrency). The audit trail names the database user."""
        from riskdesk.io.team.store import TeamStore

        store = TeamStore.open(address, user, create=create)
        try:
            with store.transaction():
                if store.get_meta("created_at") is None:
                    store.set_meta("created_at", now_iso())
                    store.set_meta("created_by", store.user)
                    store.set_meta("created_with", __version__)
                    store.append_audit(cls._static_entry(
                        store.user, "create", "project", new=to_json({"team": store.where})))
        except BaseException:
            store.close()
            raise
        return cls(None, store, store.user, read_only=False, lock=None, location=store.where)

    @property
    def is_team(self) -> bool:
        return self.path is None

    def close(self) -> None:
        self.store.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _static_entry(user: str, action: str, entity: str, *, round: str | None = None,
                      field: str | None = None, old: str | None = None,
                      new: str | None = None) -> AuditEntry:
        return AuditEntry(seq=0, at=now_iso(), who=user, action=action, entity=entity,
                          round=round, field=field, old=old, new=new)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    # --- convenience edits (each one undoable step) -------------------------------------------

    def set_value(
        self,
        round: str,
        chain_id: str,
        indicator: str,
        value: float | None,
        *,
        segment: str | None = None,
        provenance: Provenance | None = None,
        unit: str | None = None,
        year: int | None = None,
    ) -> None:
        """Enter (default provenance: expert judgement by this user, now) or clear one value."""
        ref = ChainRef(round=round, chain_id=chain_id, segment=segment)
        new = None
        if value is not None:
            prov = provenance or Provenance(kind="expert", expert=self.user, at=self._now())
            new = IndicatorValue(indicator=indicator, value=value, unit=unit, year=year,
                                 provenance=prov)
        self.apply(SetValue(ref=ref, indicator=indicator, new=new))

    def override(self, round: str, chain_id: str, outcome: Outcome | str, reason: str, *,
                 segment: str | None = None) -> None:
        """Override the classification; a blank reason raises OverrideError."""
        decision = Override.decide("overridden", Outcome(outcome), reason, self.user, self._now())
        self.apply(SetDecision(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                               new=decision))

    def accept(self, round: str, chain_id: str, outcome: Outcome | str, *, reason: str = "",
               segment: str | None = None) -> None:
        decision = Override.decide("accepted", Outcome(outcome), reason, self.user, self._now())
        self.apply(SetDecision(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                               new=decision))

    def withdraw_decision(self, round: str, chain_id: str, *, segment: str | None = None) -> None:
        self.apply(SetDecision(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                               new=None))

    def set_status(self, round: str, chain_id: str, status: Status | str, *,
                   segment: str | None = None) -> None:
        record = StatusRecord(status=Status(status), by=self.user, at=self._now())
        self.apply(SetStatus(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                             new=record))

    def set_measures(self, round: str, chain_id: str, measures: list[SelectedMeasure] | None,
                     *, segment: str | None = None) -> None:
        self.apply(SetMeasures(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                               new=measures))

    def set_note(self, round: str, chain_id: str, note: str | None, *,
                 segment: str | None = None) -> None:
        self.apply(SetNote(ref=ChainRef(round=round, chain_id=chain_id, segment=segment),
                           new=note))

    def judgement(self, round: str, chain_id: str, segment: str | None = None) -> Judgement:
        """The analyst's decisions on a chain in a round."""
        return self.store.get_judgement(ChainRef(round=round, chain_id=chain_id, segment=segment))

    def judgements(self, round: str) -> dict[tuple[str, str | None], Judgement]:
        """All stored judgements of a round in one query (absent key = nothing decided yet)."""
        return self.store.judgements(round)

    def import_judgements(
        self, round: str, judgements: Mapping[tuple[str, str | None], Judgement]
    ) -> int:
        """Store many judgements (e.g. "save as" of work done before the project existed) in one
        transaction, one audit entry per changed field; not undoable. Returns fields changed."""
        self._writable()
        self._require_round(round)
        current = self.store.judgements(round)
        changed = 0
        with self.store.transaction():
            for (chain_id, segment), new in judgements.items():
                ref = ChainRef(round=round, chain_id=chain_id, segment=segment)
                self._known_chain(ref)
                old = current.get((chain_id, segment), Judgement())
                fields = [f for f in ("override", "status", "measures", "note")
                          if getattr(old, f) != getattr(new, f)]
                if not fields:
                    continue
                self.store.put_judgement(ref, new)
                for name in fields:
                    self.store.append_audit(self._entry(
                        "import", name, ref=ref, old=to_json(getattr(old, name)),
                        new=to_json(getattr(new, name)),
                    ))
                changed += len(fields)
        return changed

    # --- rounds, inventory, runs -------------------------------------------------------------

    def rounds(self) -> list[RoundInfo]:
        return self.store.rounds()

    def round_names(self) -> list[str]:
        return [r.name for r in self.store.rounds()]

    def _require_round(self, round: str) -> None:
        if round not in self.round_names():
            raise ProjectError(f"no round '{round}' in this project",
                               f"项目中没有评估轮次“{round}”")

    def add_round(self, name: str) -> None:
        self._writable()
        if name in self.round_names():
            raise ProjectError(f"round '{name}' already exists", f"评估轮次“{name}”已存在")
        with self.store.transaction():
            self.store.add_round(RoundInfo(name=name, created_at=now_iso(), created_by=self.user))
            self.store.append_audit(self._entry("create", "round", round=name))

    def new_round(self, from_round: str, to_round: str) -> int:
        """Start `to_round` from `from_round`: chains, values and judgements copied and marked
        carried over (status back to draft: nothing is assessed in the new round yet)."""
        self._writable()
        self._require_round(from_round)
        if to_round in self.round_names():
            raise ProjectError(f"round '{to_round}' already exists", f"评估轮次“{to_round}”已存在")
        with self.store.transaction():
            self.store.add_round(RoundInfo(name=to_round, created_at=now_iso(),
                                           created_by=self.user, carried_from=from_round))
            n = self.store.copy_round(from_round, to_round)
            self.store.append_audit(self._entry(
                "carry_over", "round", round=to_round, field="from",
                new=to_json({"from": from_round, "chains": n}),
            ))
        return n

    def import_inventory(self, inventory: Inventory, round: str,
                         taxonomy: Taxonomy | None = None, *,
                         mode: Literal["merge", "replace"] = "merge",
                         issues: list[DataIssue] | None = None,
                         target: EditTarget | None = None) -> ImportSummary:
        """Import an inventory into a round (created if new) as one undoable edit.

        merge: chains with a matching id (and segment) are updated, new ones added, the others
        kept; replace: the round holds exactly the imported chains. Either way values the analyst
        entered in this round (expert or computed) are kept over imported ones, and the data
        problems of the import (`issues`, default the inventory's) are stored with the round.
        """
        self._writable()
        taxonomy = taxonomy or self.current_taxonomy()
        issues = list(inventory.issues if issues is None else issues)
        source = inventory.source
        with self.store.transaction():
            if round not in self.round_names():
                self.store.add_round(RoundInfo(name=round, created_at=now_iso(),
                                               created_by=self.user))
            keep = self.store.expert_cells(round)
            chains = chains_of(inventory)
            rows = value_rows(inventory, taxonomy, chains, keep)
            before = self.store.snapshot_round(round, now_iso())
            old_keys = self.store.snapshot_chain_ids(before)
            new = self.store.new_snapshot(
                round, now_iso(), (source.path, source.sha256) if source else None,
                chains, rows, issues, base=before if mode == "merge" else None,
                data=round_data_of(inventory),
            )
            if mode == "replace":
                self.store.carry_analyst_values(before, new)
            new_keys = {(c.chain_id, c.segment) for c in chains}
            summary = ImportSummary(
                round=round, mode=mode, chains=len(chains), values=len(rows),
                kept_analyst_values=len(keep), added=len(new_keys - old_keys),
                updated=len(new_keys & old_keys),
                removed=len(old_keys - new_keys) if mode == "replace" else 0,
                issues=len(issues),
            )
            name = Path(source.path).name if source else round
            edit = ImportInventory(round=round, mode=mode, source=name, new_snapshot=new,
                                   old_snapshot=before)
            self.apply(edit, target)
            self.store.append_audit(self._entry(
                "import", "inventory", round=round,
                field=source.path if source else None,
                new=to_json({**summary.model_dump(), "sha256": source.sha256 if source else None}),
            ))
        return summary

    def issues(self, round: str) -> list[DataIssue]:
        """The data problems of the round's inventory (located, with the choice made)."""
        return self.store.issues(round)

    def inventory(self, round: str, taxonomy: Taxonomy | None = None) -> Inventory:
        """The round's chains and values as an Inventory the engine can assess."""
        self._require_round(round)
        info = next(r for r in self.store.rounds() if r.name == round)
        source = None
        if info.input_path and info.input_sha256:
            source = InputSource(path=info.input_path, sha256=info.input_sha256)
        inventory = build_inventory(
            taxonomy or self.current_taxonomy(), self.store.chains(round),
            self.store.located_value_rows(round), source,
        )
        return attach_round_data(inventory, self.store.round_data(round))

    def save_run(self, run: AssessmentRun, round: str, taxonomy: Taxonomy | None = None) -> int:
        """Store a run's full results and a copy of its taxonomy; audit changed classifications."""
        self._writable()
        self._require_round(round)
        taxonomy = taxonomy or default_taxonomy()
        if taxonomy.sha256 != run.taxonomy.sha256:
            raise ProjectError(
                "the taxonomy given is not the one the run used (content hashes differ)",
                "所给分类体系与本次评估使用的不一致（内容哈希不同）",
            )
        canonical = json.dumps(taxonomy.model_dump(mode="json"), sort_keys=True,
                               ensure_ascii=False)
        runs = self.store.runs(round)
        if not runs:  # first run of a round: compare with the round it was carried from
            origin = next((r.carried_from for r in self.store.rounds() if r.name == round), None)
            runs = self.store.runs(origin) if origin else []
        before = self.store.run_digests(runs[-1].id) if runs else {}
        header = run.model_dump(mode="json", exclude={"chains"})
        with self.store.transaction():
            self.store.put_taxonomy(taxonomy.sha256, taxonomy.name, canonical, now_iso())
            run_id = self.store.add_run(round, header, run.chains, self.user, now_iso())
            self.store.append_audit(self._entry(
                "run", "assessment", round=round,
                new=to_json({"run": run_id, "chains": len(run.chains),
                             "taxonomy": taxonomy.sha256}),
            ))
            self._audit_verdicts(round, before, run.chains)
        return run_id

    def replace_results(self, run_id: int, round: str, fresh: list[ChainResult],
                        previous: list[ChainResult]) -> None:
        """Put fresh results of some chains into the round's working run (the session scores
        an edited chain again); classification changes go into the audit trail."""
        self._writable()
        before = {r.key: ResultDigest.of(r) for r in previous}
        with self.store.transaction():
            self.store.replace_results(run_id, fresh)
            self._audit_verdicts(round, before, fresh)

    def _audit_verdicts(self, round: str, before: Mapping[tuple[str, str | None], ResultDigest],
                        results: list[ChainResult]) -> None:
        for result in results:
            old = before.get(result.key)
            now = _verdict(ResultDigest.of(result))
            if old is not None and _verdict(old) == now:
                continue
            ref = ChainRef(round=round, chain_id=result.chain_id, segment=result.segment)
            self.store.append_audit(self._entry(
                "assess", "classification", ref=ref,
                old=to_json(_verdict(old)) if old else None, new=to_json(now),
            ))

    def copy_to(self, target: Path) -> None:
        """Write a consistent copy of the whole project (SQLite's online backup) to `target`."""
        if target.exists():
            raise ProjectError(f"{target} already exists", f"{target} 已存在")
        if not target.parent.is_dir():
            raise ProjectError(f"folder {target.parent} does not exist",
                               f"文件夹 {target.parent} 不存在")
        tmp = target.with_name(target.name + ".part")
        try:
            self.store.backup_to(tmp)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)

    def runs(self, round: str | None = None) -> list[RunInfo]:
        return self.store.runs(round)

    def run(self, run_id: int) -> AssessmentRun:
        header = self.store.run_header(run_id)
        return AssessmentRun.model_validate({**header, "chains": self.store.run_results(run_id)})

    def latest_run(self, round: str) -> AssessmentRun | None:
        runs = self.store.runs(round)
        return self.run(runs[-1].id) if runs else None

    def taxonomy(self, sha256: str) -> Taxonomy:
        """The exact taxonomy a stored run used (reproducible after the taxonomy changed)."""
        canonical = self.store.get_taxonomy(sha256)
        if canonical is None:
            raise ProjectError(f"taxonomy {sha256[:12]} is not stored in this project",
                               f"项目中未保存分类体系 {sha256[:12]}")
        return Taxonomy.model_validate_json(canonical)

    # --- history, audit, diff ------------------------------------------------------------

    def history(self, chain_id: str | None = None) -> list[AuditEntry]:
        return self.store.audit_entries(chain_id)

    def assessment_history(self, chain_id: str) -> list[AssessmentRecord]:
        return [
            AssessmentRecord(
                run_id=info.id, round=info.round, assessed_at=info.assessed_at,
                stored_by=info.stored_by, taxonomy_sha256=info.taxonomy_sha256,
                segment=result.segment, primary_type=result.primary_type.value,
                strategy=result.strategy,
                type_scores={t.value: s for t, s in result.type_scores.items()},
            )
            for info, result in self.store.chain_results(chain_id)
        ]

    def verify(self) -> AuditVerification:
        return self.store.verify_audit()

    def integrity_ok(self) -> bool:
        return self.store.integrity_ok()

    def diff(self, from_round: str, to_round: str) -> RoundDiff:
        for r in (from_round, to_round):
            self._require_round(r)
        return diff_rounds(
            from_round, to_round,
            values_a=self.store.value_table(from_round),
            values_b=self.store.value_table(to_round),
            results_a=self._result_table(from_round),
            results_b=self._result_table(to_round),
        )

    def _result_table(self, round: str) -> dict[tuple[str, str | None], ResultDigest]:
        runs = self.store.runs(round)
        return self.store.run_digests(runs[-1].id) if runs else {}

    # --- autosaved drafts (recovery) -------------------------------------------------------

    def autosave_draft(self, key: str, payload: str) -> None:
        """Keep an unfinished edit buffer (e.g. the wizard's answers as JSON) across a crash."""
        self._writable()
        with self.store.transaction():
            self.store.put_draft(Draft(key=key, payload=payload, saved_at=now_iso(),
                                       saved_by=self.user))

    def recovered_drafts(self) -> list[Draft]:
        """Drafts saved but never finished or discarded — offer them when the project opens."""
        return self.store.drafts()

    def discard_draft(self, key: str) -> None:
        self._writable()
        with self.store.transaction():
            self.store.delete_draft(key)


def _verdict(result: ResultDigest) -> dict[str, str]:
    return {"primary_type": result.primary_type, "strategy": result.strategy}
