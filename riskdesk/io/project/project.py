"""A riskdesk project (.rdproj): the analyst's chains, values, judgements and results, kept safe.

Every edit is a command (`riskdesk.core.commands`) whose write is one transaction with its audit
entry, so the database on disk is the durable journal: nothing acknowledged is ever lost to a crash.
Work that is not yet an edit (the wizard's half-filled answers) goes to `autosave_draft`, and the
next open lists it in `recovered_drafts()`. See docs/projects.md.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from riskdesk import __version__
from riskdesk.core.commands import (
    ChainRef,
    Command,
    CommandStack,
    Judgement,
    Override,
    SelectedMeasure,
    SetMeasures,
    SetNote,
    SetOverride,
    SetStatus,
    SetValue,
    StatusRecord,
)
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import IndicatorValue, InputSource, Outcome, Provenance, Status
from riskdesk.core.results import AssessmentRun
from riskdesk.core.rounds import ResultDigest, RoundDiff, diff_rounds
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project.audit import AuditEntry, AuditVerification, to_json
from riskdesk.io.project.bulk import build_inventory, chains_of, value_rows
from riskdesk.io.project.errors import ProjectError, ReadOnlyProjectError
from riskdesk.io.project.lock import LockHolder, ProjectLock
from riskdesk.io.project.records import AssessmentRecord, ImportSummary, default_user
from riskdesk.io.project.recovery import Recovery
from riskdesk.io.project.schema import (
    SCHEMA_VERSION,
    check_version,
    create_schema,
    migrate,
    now_iso,
    schema_version,
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


class Project:
    """An open project. Use `Project.create` / `Project.open`; close it (or use `with`)."""

    def __init__(
        self,
        path: Path,
        store: ProjectStore,
        user: str,
        *,
        read_only: bool,
        lock: ProjectLock | None,
        backup: Path | None = None,
    ) -> None:
        self.path = path
        self.store = store
        self.user = user
        self.read_only = read_only
        self._lock = lock
        self.migration_backup = backup
        self.commands = CommandStack(self)
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
                store.append_audit(cls._entry(user, "create", "project",
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
            version = schema_version(ro_conn)
            try:
                check_version(version, path)
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
                    store.append_audit(cls._entry(
                        user, "migrate", "project", field="schema",
                        old=str(old_version), new=str(SCHEMA_VERSION),
                    ))
        except BaseException:
            if conn is not None:
                conn.close()
            lock.release()
            raise
        return cls(path, store, user, read_only=False, lock=lock, backup=saved)

    def close(self) -> None:
        self.store.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _entry(user: str, action: str, entity: str, *, ref: ChainRef | None = None,
               round: str | None = None, field: str | None = None, old: str | None = None,
               new: str | None = None) -> AuditEntry:
        return AuditEntry(
            seq=0, at=now_iso(), who=user, action=action, entity=entity,
            round=ref.round if ref else round,
            chain_id=ref.chain_id if ref else None,
            segment=ref.segment if ref else None,
            field=field, old=old, new=new,
        )

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyProjectError(str(self.path))

    def _known_chain(self, ref: ChainRef) -> None:
        if not self.store.has_chain(ref):
            raise ProjectError(
                f"chain {ref.describe()} is not in this project",
                f"项目中没有产业链 {ref.describe()}",
            )

    def _audit_edit(self, ref: ChainRef, entity: str, field: str | None, old: Any,
                    new: Any) -> None:
        action = self._action if new is not None or self._action != "set" else "clear"
        self.store.append_audit(self._entry(
            self.user, action, entity, ref=ref, field=field, old=to_json(old), new=to_json(new),
        ))

    def _now(self) -> datetime:
        return datetime.now(UTC)

    # --- EditTarget (what commands call) -----------------------------------------------------

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        return self.store.get_value(ref, indicator)

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        if self.store.has_chain(ref) and not self.store.has_chain(ref, exact=True):
            raise ProjectError(
                f"chain {ref.chain_id} is held per segment; enter values for a segment",
                f"产业链 {ref.chain_id} 按环节填报，请为具体环节录入指标值",
            )
        self._writable()
        self._known_chain(ref)
        # Old value, write and audit entry in one transaction: they commit together or not at
        # all, and another thread's edit cannot slip in between the read and the write.
        with self.store.transaction():
            old = self.store.get_value(ref, indicator)
            self.store.put_value(ref, indicator, value)
            self._audit_edit(ref, "value", indicator, old, value)

    def _put_judgement_field(self, ref: ChainRef, name: str, value: Any) -> None:
        self._writable()
        self._known_chain(ref)
        with self.store.transaction():
            judgement = self.store.get_judgement(ref)
            self.store.put_judgement(
                ref, judgement.model_copy(update={name: value, "carried_over": False})
            )
            self._audit_edit(ref, name, None, getattr(judgement, name), value)

    def get_override(self, ref: ChainRef) -> Override | None:
        return self.store.get_judgement(ref).override

    def put_override(self, ref: ChainRef, override: Override | None) -> None:
        self._put_judgement_field(ref, "override", override)

    def get_status(self, ref: ChainRef) -> StatusRecord:
        return self.store.get_judgement(ref).status

    def put_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self._put_judgement_field(ref, "status", status)

    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None:
        return self.store.get_judgement(ref).measures

    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None:
        self._put_judgement_field(ref, "measures", None if measures is None else list(measures))

    def get_note(self, ref: ChainRef) -> str | None:
        return self.store.get_judgement(ref).note

    def put_note(self, ref: ChainRef, note: str | None) -> None:
        self._put_judgement_field(ref, "note", note)

    # --- undoable edits ------------------------------------------------------------------------

    def apply(self, command: Command) -> None:
        """Do an edit and put it on the undo stack (the GUI may use its own QUndoStack instead)."""
        self._writable()
        self.commands.push(command)

    @contextmanager
    def audit_as(self, action: Literal["undo", "redo"]) -> Iterator[None]:
        """Record the edits made inside as undo / redo in the audit trail — for a GUI that keeps
        its own QUndoStack: `with project.audit_as("undo"): command.undo(project)`."""
        previous, self._action = self._action, action
        try:
            yield
        finally:
            self._action = previous

    def undo(self) -> str | None:
        """Undo the last edit; returns its label, or None when there is nothing to undo."""
        self._writable()
        with self.audit_as("undo"):
            command = self.commands.undo()
        return None if command is None else command.label("en")

    def redo(self) -> str | None:
        self._writable()
        with self.audit_as("redo"):
            command = self.commands.redo()
        return None if command is None else command.label("en")

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
        self.apply(SetValue(ref, indicator, new))

    def override(self, round: str, chain_id: str, outcome: Outcome | str, reason: str, *,
                 segment: str | None = None) -> None:
        """Override the classification; a blank reason raises OverrideError."""
        decision = Override.decide("overridden", Outcome(outcome), reason, self.user, self._now())
        self.apply(SetOverride(ChainRef(round=round, chain_id=chain_id, segment=segment),
                               decision))

    def accept(self, round: str, chain_id: str, outcome: Outcome | str, *, reason: str = "",
               segment: str | None = None) -> None:
        decision = Override.decide("accepted", Outcome(outcome), reason, self.user, self._now())
        self.apply(SetOverride(ChainRef(round=round, chain_id=chain_id, segment=segment),
                               decision))

    def withdraw_decision(self, round: str, chain_id: str, *, segment: str | None = None) -> None:
        self.apply(SetOverride(ChainRef(round=round, chain_id=chain_id, segment=segment), None))

    def set_status(self, round: str, chain_id: str, status: Status | str, *,
                   segment: str | None = None) -> None:
        record = StatusRecord(status=Status(status), by=self.user, at=self._now())
        self.apply(SetStatus(ChainRef(round=round, chain_id=chain_id, segment=segment), record))

    def set_measures(self, round: str, chain_id: str, measures: list[SelectedMeasure] | None,
                     *, segment: str | None = None) -> None:
        self.apply(SetMeasures(ChainRef(round=round, chain_id=chain_id, segment=segment),
                               measures))

    def set_note(self, round: str, chain_id: str, note: str | None, *,
                 segment: str | None = None) -> None:
        self.apply(SetNote(ChainRef(round=round, chain_id=chain_id, segment=segment), note))

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
                        self.user, "import", name, ref=ref, old=to_json(getattr(old, name)),
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
            self.store.append_audit(self._entry(self.user, "create", "round", round=name))

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
                self.user, "carry_over", "round", round=to_round, field="from",
                new=to_json({"from": from_round, "chains": n}),
            ))
        return n

    def import_inventory(self, inventory: Inventory, round: str,
                         taxonomy: Taxonomy | None = None) -> ImportSummary:
        """Store an inventory's chains and values in a round (created if new), in one transaction.
        Values the analyst entered (expert or computed) are kept over imported ones."""
        self._writable()
        taxonomy = taxonomy or default_taxonomy()
        keep = self.store.expert_cells(round) if round in self.round_names() else set()
        chains = chains_of(inventory)
        rows = value_rows(inventory, taxonomy, chains, keep)
        source = inventory.source
        with self.store.transaction():
            if round not in self.round_names():
                self.store.add_round(RoundInfo(name=round, created_at=now_iso(),
                                               created_by=self.user))
            if source is not None:
                self.store.set_round_input(round, source.path, source.sha256)
            self.store.put_chains(round, chains)
            self.store.put_value_rows(round, rows)
            summary = ImportSummary(round=round, chains=len(chains), values=len(rows),
                                    kept_analyst_values=len(keep))
            self.store.append_audit(self._entry(
                self.user, "import", "inventory", round=round,
                field=source.path if source else None,
                new=to_json({**summary.model_dump(), "sha256": source.sha256 if source else None}),
            ))
        return summary

    def inventory(self, round: str, taxonomy: Taxonomy | None = None) -> Inventory:
        """The round's chains and values as an Inventory the engine can assess."""
        self._require_round(round)
        info = next(r for r in self.store.rounds() if r.name == round)
        source = None
        if info.input_path and info.input_sha256:
            source = InputSource(path=info.input_path, sha256=info.input_sha256)
        return build_inventory(
            taxonomy or default_taxonomy(), self.store.chains(round), self.store.located_value_rows(round),
            source,
        )

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
                self.user, "run", "assessment", round=round,
                new=to_json({"run": run_id, "chains": len(run.chains),
                             "taxonomy": taxonomy.sha256}),
            ))
            for result in run.chains:
                old = before.get(result.key)
                now = _verdict(ResultDigest.of(result))
                if old is not None and _verdict(old) == now:
                    continue
                ref = ChainRef(round=round, chain_id=result.chain_id, segment=result.segment)
                self.store.append_audit(self._entry(
                    self.user, "assess", "classification", ref=ref,
                    old=to_json(_verdict(old)) if old else None, new=to_json(now),
                ))
        return run_id

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
