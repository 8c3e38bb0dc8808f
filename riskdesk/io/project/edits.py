"""The project as the durable edit target: every put is one transaction with its audit entry, and
the undo history (the journal) is kept beside the data, so Undo works after a restart.

`ProjectEdits` is a part of `Project` (riskdesk.io.project.project): the methods an `Edit`
(riskdesk.core.commands) calls, and `apply` / `undo` / `redo` over the journal. The assessment
session passes itself as the target so it can mirror each put in memory; it forwards every put
here, so what is on disk and what is shown never differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from riskdesk.core.commands import (
    ChainRef,
    Edit,
    EditTarget,
    Override,
    SelectedMeasure,
    StatusRecord,
    load_edit,
)
from riskdesk.core.models import IndicatorValue
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.project.audit import AuditEntry, to_json
from riskdesk.io.project.errors import ProjectError, ReadOnlyProjectError
from riskdesk.io.project.record_tables import JournalEntry
from riskdesk.io.project.schema import now_iso
from riskdesk.io.project.store import ProjectStore

TAXONOMY_KEY = "taxonomy_sha256"
COUNTRY_RISK_KEY = "country_risk"


class ProjectEdits:
    """Edits on a project (mixed into `Project`)."""

    store: ProjectStore
    user: str
    read_only: bool
    location: str
    _action: str

    # --- helpers ----------------------------------------------------------------------------

    def _entry(self, action: str, entity: str, *, ref: ChainRef | None = None,
               round: str | None = None, field: str | None = None, old: str | None = None,
               new: str | None = None) -> AuditEntry:
        return AuditEntry(
            seq=0, at=now_iso(), who=self.user, action=action, entity=entity,
            round=ref.round if ref else round,
            chain_id=ref.chain_id if ref else None,
            segment=ref.segment if ref else None,
            field=field, old=old, new=new,
        )

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyProjectError(self.location)

    def _known_chain(self, ref: ChainRef) -> None:
        if not self.store.has_chain(ref):
            raise ProjectError(
                f"chain {ref.describe()} is not in this project",
                f"项目中没有产业链 {ref.describe()}",
            )

    def _audit_edit(self, ref: ChainRef | None, entity: str, field: str | None, old: Any,
                    new: Any, *, round: str | None = None) -> None:
        action = self._action if new is not None or self._action != "set" else "clear"
        self.store.append_audit(self._entry(
            action, entity, ref=ref, round=round, field=field, old=to_json(old), new=to_json(new),
        ))

    @contextmanager
    def audit_as(self, action: Literal["undo", "redo"]) -> Iterator[None]:
        """Record the edits made inside as undo / redo in the audit trail."""
        previous, self._action = self._action, action
        try:
            yield
        finally:
            self._action = previous

    # --- EditTarget: values, profile, judgements -------------------------------------------

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        return self.store.get_value(ref, indicator)

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        self._writable()
        self._known_chain(ref)
        if not self.store.has_chain(ref, exact=True):
            raise ProjectError(
                f"chain {ref.chain_id} is held per segment; enter values for a segment",
                f"产业链 {ref.chain_id} 按环节填报，请为具体环节录入指标值",
            )
        # Old value, write and audit entry in one transaction: they commit together or not at
        # all, and another thread's edit cannot slip in between the read and the write.
        with self.store.transaction():
            old = self.store.get_value(ref, indicator)
            self.store.put_value(ref, indicator, value)
            self._audit_edit(ref, "value", indicator, old, value)

    def get_profile(self, ref: ChainRef, field: str) -> Any:
        profile = self.store.get_profile(ref)
        return None if profile is None else profile.get(field)

    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None:
        self._writable()
        self._known_chain(ref)
        with self.store.transaction():
            old = self.get_profile(ref, field)
            self.store.put_profile(ref, field, value)
            self._audit_edit(ref, "profile", field, old, value)

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

    # --- EditTarget: taxonomy and country list ---------------------------------------------

    def store_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Keep a taxonomy version in the project (by content hash) so edits can refer to it."""
        self._writable()
        canonical = json.dumps(taxonomy.model_dump(mode="json"), sort_keys=True,
                               ensure_ascii=False)
        with self.store.transaction():
            self.store.put_taxonomy(taxonomy.sha256, taxonomy.name, canonical, now_iso())

    def get_taxonomy_sha(self) -> str:
        return self.store.get_meta(TAXONOMY_KEY) or default_taxonomy().sha256

    def put_taxonomy_sha(self, sha256: str) -> None:
        self._writable()
        if self.store.get_taxonomy(sha256) is None:
            if sha256 != default_taxonomy().sha256:
                raise ProjectError(f"taxonomy {sha256[:12]} is not stored in this project",
                                   f"项目中未保存分类体系 {sha256[:12]}")
            self.store_taxonomy(default_taxonomy())
        with self.store.transaction():
            old = self.get_taxonomy_sha()
            self.store.set_meta(TAXONOMY_KEY, sha256)
            self.store.append_audit(self._entry(self._action, "taxonomy", field="sha256",
                                                old=to_json(old), new=to_json(sha256)))

    def current_taxonomy(self) -> Taxonomy:
        """The taxonomy the project's work uses now (the bundled one until edited)."""
        sha = self.store.get_meta(TAXONOMY_KEY)
        if sha is None or sha == default_taxonomy().sha256:
            return default_taxonomy()
        canonical = self.store.get_taxonomy(sha)
        if canonical is None:
            raise ProjectError(f"taxonomy {sha[:12]} is not stored in this project",
                               f"项目中未保存分类体系 {sha[:12]}")
        return Taxonomy.model_validate_json(canonical)

    def get_country_risk(self) -> CountryRiskList:
        stored = self.store.get_meta(COUNTRY_RISK_KEY)
        if stored is not None:
            return CountryRiskList.model_validate_json(stored)
        scoring = self.current_taxonomy().scoring
        return CountryRiskList(unrated=scoring.unrated_country_risk,
                               high_risk=scoring.high_risk_country)

    def put_country_risk(self, risk: CountryRiskList) -> None:
        self._writable()
        with self.store.transaction():
            old = self.store.get_meta(COUNTRY_RISK_KEY)
            self.store.set_meta(COUNTRY_RISK_KEY, risk.model_dump_json())
            self.store.append_audit(self._entry(
                self._action, "country_risk", old=old, new=risk.model_dump_json(),
            ))

    # --- EditTarget: round content (imports) -------------------------------------------------

    def snapshot_round(self, round: str) -> int:
        self._writable()
        with self.store.transaction():
            return self.store.snapshot_round(round, now_iso())

    def restore_round(self, round: str, snapshot: int) -> None:
        self._writable()
        with self.store.transaction():
            self.store.restore_round(round, snapshot)
            self.store.append_audit(self._entry(self._action, "inventory", round=round,
                                                field="snapshot", new=to_json(snapshot)))

    # --- the undo history ----------------------------------------------------------------------

    def apply(self, edit: Edit, target: EditTarget | None = None) -> Edit:
        """Do an edit and put it on the project's undo history, in one transaction. `target` is
        who the edit writes through (the session, which mirrors writes in memory); default: the
        project itself."""
        self._writable()
        with self.store.transaction():
            edit.do(target or self)
            self.store.journal_drop_undone()
            self.store.journal_push(JournalEntry(
                at=now_iso(), who=self.user, label_zh=edit.label("zh"),
                label_en=edit.label("en"), edit=edit.model_dump_json(),
            ))
        return edit

    def undo(self, target: EditTarget | None = None) -> Edit | None:
        """Undo the last edit (also one made before a restart); None when there is none."""
        return self._step("done", "undone", target)

    def redo(self, target: EditTarget | None = None) -> Edit | None:
        return self._step("undone", "done", target)

    def _step(self, state: str, to: str, target: EditTarget | None) -> Edit | None:
        self._writable()
        with self.store.transaction():
            entry = self.store.journal_top(state)
            if entry is None:
                return None
            edit = load_edit(entry.edit)
            with self.audit_as("undo" if to == "undone" else "redo"):
                if to == "undone":
                    edit.undo(target or self)
                else:
                    edit.do(target or self)
            self.store.journal_set_state(entry.seq, to)
        return edit

    def undo_label(self, lang: str = "zh") -> str | None:
        entry = self.store.journal_top("done")
        return None if entry is None else (entry.label_zh if lang == "zh" else entry.label_en)

    def redo_label(self, lang: str = "zh") -> str | None:
        entry = self.store.journal_top("undone")
        return None if entry is None else (entry.label_zh if lang == "zh" else entry.label_en)

    @property
    def can_undo(self) -> bool:
        return self.store.journal_top("done") is not None

    @property
    def can_redo(self) -> bool:
        return self.store.journal_top("undone") is not None
