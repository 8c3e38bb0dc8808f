"""The assessment object the guided wizard is a view over (one chain or segment, SPEC §6.2).

It holds what the analyst entered — profile edits, indicator values with provenance, answers to
the diagnostic questions, the accept/override decision, measures, note and status — and nothing
the engine computes except the last result it returned. Pages read and write it; going back and
forth never loses an answer because the pages are only views. `edits()` turns it into the core's
edits, saved as one undoable step through the session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from riskdesk.core.commands import (
    Edit,
    EditGroup,
    Override,
    SelectedMeasure,
    SetDecision,
    SetMeasures,
    SetNote,
    SetProfile,
    SetStatus,
    SetValue,
    StatusRecord,
)
from riskdesk.core.inventory import NUMERIC_PROFILE, ChainKey, Inventory
from riskdesk.core.models import IndicatorValue, Outcome, Provenance, Status
from riskdesk.core.results import ChainResult
from riskdesk.core.taxonomy import Question, Taxonomy
from riskdesk.gui.cells import cell, cell_float, set_cell
from riskdesk.gui.workspace import Workspace

EDITABLE_PROFILE = (
    "chain_name",
    "sector",
    "tech_category",
    "strategic_value",
    "generality",
    "owner",
    "description",
)


@dataclass
class EnteredValue:
    value: float | None
    evidence: str = ""
    year: int | None = None


@dataclass
class Answer:
    level: float | None  # None = not answered
    evidence: str = ""


@dataclass
class AssessmentDraft:
    key: ChainKey
    row: int
    analyst: str
    profile: dict[str, object] = field(default_factory=dict)
    entered: dict[str, EnteredValue] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    result: ChainResult | None = None
    result_stale: bool = True
    accepted: bool = True
    override_outcome: Outcome | None = None
    override_reason: str = ""
    measures: list[SelectedMeasure] | None = None
    note: str = ""
    status: Status = Status.DRAFT

    @classmethod
    def start(cls, ws: Workspace, key: ChainKey, analyst: str) -> AssessmentDraft:
        row = ws.inventory.row_of(*key)
        frame = ws.inventory.frame
        draft = cls(key=key, row=row, analyst=analyst)
        draft.profile = {c: cell(frame, row, c) for c in EDITABLE_PROFILE}
        judgement = ws.judgement(key)
        if judgement.override is not None and judgement.override.decision == "overridden":
            draft.accepted = False
            draft.override_outcome = judgement.override.outcome
            draft.override_reason = judgement.override.reason
        draft.measures = None if judgement.measures is None else list(judgement.measures)
        draft.note = judgement.note or ""
        if judgement.status.status != Status.DRAFT:
            draft.status = judgement.status.status
        # Earlier expert answers come back as answers, so re-opening a chain shows them.
        for q in ws.taxonomy.questions:
            prov = ws.inventory.provenance(row, q.indicator)
            if prov is not None and prov.kind == "expert" and prov.method == f"question:{q.id}":
                draft.answers[q.id] = Answer(
                    cell_float(frame, row, q.indicator), prov.evidence or ""
                )
        draft.result = ws.result(key)
        return draft

    # --- what the engine sees ---------------------------------------------------------------

    def expert_provenance(self, evidence: str, method: str | None = None) -> Provenance:
        return Provenance(
            kind="expert",
            expert=self.analyst or None,
            at=datetime.now(UTC),
            evidence=evidence.strip() or None,
            method=method,
        )

    def values(self, taxonomy: Taxonomy) -> dict[str, IndicatorValue | None]:
        """Indicator values this draft sets: entered in the data check, then answered questions."""
        out: dict[str, IndicatorValue | None] = {}
        for indicator, entered in self.entered.items():
            unit = taxonomy.indicator_by_id[indicator].unit
            out[indicator] = (
                None
                if entered.value is None
                else IndicatorValue(
                    indicator=indicator,
                    value=entered.value,
                    unit=unit,
                    year=entered.year,
                    provenance=self.expert_provenance(entered.evidence),
                )
            )
        by_id = {q.id: q for q in taxonomy.questions}
        for qid, answer in self.answers.items():
            question = by_id.get(qid)
            if question is None or answer.level is None or question.indicator in self.entered:
                continue
            out[question.indicator] = IndicatorValue(
                indicator=question.indicator,
                value=answer.level,
                unit=taxonomy.indicator_by_id[question.indicator].unit,
                provenance=self.expert_provenance(answer.evidence, f"question:{qid}"),
            )
        return out

    def scoring_inventory(self, inventory: Inventory, taxonomy: Taxonomy) -> Inventory:
        """A one-row copy of the chain with this draft's profile and values applied."""
        one = inventory.subset([self.row])
        one.cell_provenance = dict(inventory.cell_provenance)
        one.cell_years = dict(inventory.cell_years)
        for column, value in self.profile.items():
            set_cell(one.frame, 0, column, value)
        for indicator, iv in self.values(taxonomy).items():
            one.set_value(
                0,
                indicator,
                None if iv is None else iv.value,
                None if iv is None else iv.provenance,
            )
        return one

    # --- the analyst's decision ---------------------------------------------------------------

    def override_problem(self) -> str | None:
        """Why the decision cannot be saved yet (None when it can)."""
        if self.accepted:
            return None if self.result is not None else "no_result"
        if self.override_outcome is None:
            return "no_outcome"
        if not self.override_reason.strip():
            return "no_reason"
        return None

    def override(self) -> Override | None:
        if self.result is None:
            return None
        now = datetime.now(UTC)
        if self.accepted:
            return Override(
                decision="accepted", outcome=self.result.primary_type, by=self.analyst, at=now
            )
        assert self.override_outcome is not None
        return Override(
            decision="overridden",
            outcome=self.override_outcome,
            reason=self.override_reason.strip(),
            by=self.analyst,
            at=now,
        )

    def default_measures(self, taxonomy: Taxonomy) -> list[SelectedMeasure]:
        ids = self.result.measures if self.result is not None else []
        known = {m.id for m in taxonomy.measures}
        return [SelectedMeasure(measure_id=m) for m in ids if m in known]

    def edits(self, ws: Workspace) -> EditGroup:
        """Everything the wizard changed, as one undoable step: profile fields, values, the
        decision, measures, note and status."""
        ref = ws.session.ref(self.key)
        edits: list[Edit] = [
            SetProfile(ref=ref, field=field, new=_profile_value(field, value))
            for field, value in self.changed_profile(ws.inventory).items()
        ]
        edits += [
            SetValue(ref=ref, indicator=indicator, new=iv)
            for indicator, iv in self.values(ws.taxonomy).items()
        ]
        override = self.override()
        if override is not None:
            edits.append(SetDecision(ref=ref, new=override))
        edits.append(SetMeasures(ref=ref, new=self.measures))
        edits.append(SetNote(ref=ref, new=self.note.strip() or None))
        edits.append(SetStatus(ref=ref, new=StatusRecord(
            status=self.status, by=self.analyst or None, at=datetime.now(UTC))))
        chain = self.key[0] + (f"/{self.key[1]}" if self.key[1] else "")
        return EditGroup(label_zh=f"评估 {chain}", label_en=f"assessment of {chain}",
                         edits=edits)

    def changed_profile(self, inventory: Inventory) -> dict[str, object]:
        frame = inventory.frame
        changed = {}
        for column, value in self.profile.items():
            old = cell(frame, self.row, column)
            if not _same(old, value):
                changed[column] = value
        return changed


def _profile_value(field: str, value: object) -> str | int | float | None:
    """A profile cell as the project stores it (whole numbers for the 1–5 scales and year)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if field in NUMERIC_PROFILE and isinstance(value, int | float):
        return int(value)
    if hasattr(value, "value"):  # an enum (tech category)
        return str(value.value)
    return value if isinstance(value, int | float) else str(value)


def _same(a: object, b: object) -> bool:
    def norm(v: object) -> object:
        if (
            v is None
            or (isinstance(v, float) and math.isnan(v))
            or (isinstance(v, str) and not v.strip())
        ):
            return None
        return v

    return norm(a) == norm(b)


def questions_by_dimension(taxonomy: Taxonomy) -> list[tuple[str, list[Question]]]:
    dims = [*taxonomy.capability_dimensions, "exposure"]
    return [(d, taxonomy.questions_for(d)) for d in dims if taxonomy.questions_for(d)]
