"""Edits as data: every change an analyst makes is one `Edit` with do / undo / label (glue's model).

An edit acts on an `EditTarget` — in practice the assessment session (riskdesk.session), which
writes each put to the project in one transaction with its audit entry and mirrors it in memory.
An edit remembers what it replaced when it is done, and it is serialisable (pydantic), so the
undo history is kept in the project beside the data it changes: after a crash or a restart, Undo
still walks the analyst's edits back in order. Nothing here knows Qt or SQL.

The kinds: an indicator value with its evidence, a profile field, the analyst's decision on the
classification (type + reason), status, measures, notes, a taxonomy version, the country risk
list, an inventory import (replace or merge) — and `EditGroup`, several edits as one undo step
(saving the assessment wizard).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from riskdesk.core.models import PROFILE_FIELDS, IndicatorValue, Lang, Outcome, Status
from riskdesk.core.trade import CountryRiskList

ChainKey = tuple[str, str | None]


class ChainRef(BaseModel):
    """One chain (or one segment of a chain) in one assessment round."""

    model_config = ConfigDict(frozen=True)

    round: str = Field(min_length=1)
    chain_id: str = Field(min_length=1)
    segment: str | None = None

    @property
    def key(self) -> ChainKey:
        return (self.chain_id, self.segment)

    def describe(self) -> str:
        seg = f"/{self.segment}" if self.segment else ""
        return f"{self.round}:{self.chain_id}{seg}"


OVERRIDE_REASON_REQUIRED = (
    "an overridden classification needs a written reason / 改判分类必须填写理由"
)


class OverrideError(ValueError):
    """An override without a written reason (SPEC §3: an override requires one)."""


class Override(BaseModel):
    """The analyst's decision on the engine's classification: accepted as is, or overridden."""

    model_config = ConfigDict(frozen=True)

    decision: Literal["accepted", "overridden"]
    outcome: Outcome = Field(description="the classification the analyst stands behind")
    reason: str = Field(default="", description="required (non-blank) when overridden")
    by: str | None = None
    at: datetime | None = None

    @classmethod
    def decide(
        cls,
        decision: Literal["accepted", "overridden"],
        outcome: Outcome,
        reason: str = "",
        by: str | None = None,
        at: datetime | None = None,
    ) -> Override:
        """Build a decision; an override without a reason raises OverrideError (not a pydantic
        ValidationError), so callers can show the one sentence to the analyst."""
        if decision == "overridden" and not reason.strip():
            raise OverrideError(OVERRIDE_REASON_REQUIRED)
        return cls(decision=decision, outcome=outcome, reason=reason.strip(), by=by, at=at)

    @model_validator(mode="after")
    def _reason_given(self) -> Override:
        if self.decision == "overridden" and not self.reason.strip():
            raise OverrideError(OVERRIDE_REASON_REQUIRED)
        return self


class StatusRecord(BaseModel):
    """Where the assessment of a chain stands, and who moved it there when."""

    model_config = ConfigDict(frozen=True)

    status: Status = Status.DRAFT
    by: str | None = None
    at: datetime | None = None


class SelectedMeasure(BaseModel):
    """A measure the analyst keeps: a taxonomy measure (maybe with edited text) or their own."""

    model_config = ConfigDict(frozen=True)

    measure_id: str | None = Field(default=None, description="taxonomy measure id; None if added")
    text: str | None = Field(default=None, description="edited or analyst-written text")
    added: bool = Field(default=False, description="written by the analyst, not in the taxonomy")

    @model_validator(mode="after")
    def _identified(self) -> SelectedMeasure:
        if self.measure_id is None and not (self.text and self.text.strip()):
            raise ValueError("a measure needs a taxonomy id or a text")
        return self


class Judgement(BaseModel):
    """Everything the analyst decided about one chain in one round."""

    override: Override | None = None
    status: StatusRecord = StatusRecord()
    measures: list[SelectedMeasure] | None = Field(
        default=None, description="None = not yet chosen (the recommended ones apply)"
    )
    note: str | None = None
    carried_over: bool = Field(default=False, description="copied from the previous round")


class EditTarget(Protocol):
    """What edits read and write. Each put is one durable, audited change in a project."""

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None: ...
    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None: ...
    def get_profile(self, ref: ChainRef, field: str) -> Any: ...
    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None: ...
    def get_override(self, ref: ChainRef) -> Override | None: ...
    def put_override(self, ref: ChainRef, override: Override | None) -> None: ...
    def get_status(self, ref: ChainRef) -> StatusRecord: ...
    def put_status(self, ref: ChainRef, status: StatusRecord) -> None: ...
    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None: ...
    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None: ...
    def get_note(self, ref: ChainRef) -> str | None: ...
    def put_note(self, ref: ChainRef, note: str | None) -> None: ...
    def get_taxonomy_sha(self) -> str: ...
    def put_taxonomy_sha(self, sha256: str) -> None: ...
    def get_country_risk(self) -> CountryRiskList: ...
    def put_country_risk(self, risk: CountryRiskList) -> None: ...
    def snapshot_round(self, round: str) -> int: ...
    def restore_round(self, round: str, snapshot: int) -> None: ...


Rescore = Literal["none", "chains", "all"]


class Edit(BaseModel):
    """One undoable edit. `do` captures what it replaces; `undo` puts that back; `do` may run
    again after `undo` (redo)."""

    model_config = ConfigDict(extra="forbid")

    captured: bool = Field(default=False, description="`do` has run and `old` holds the value")

    def do(self, target: EditTarget) -> None:
        raise NotImplementedError

    def undo(self, target: EditTarget) -> None:
        raise NotImplementedError

    def label(self, lang: Lang = "zh") -> str:
        """What the Edit menu shows: 'Undo <label>'."""
        raise NotImplementedError

    def rescore(self) -> Rescore:
        """What must be scored again after this edit (decisions need nothing: the effective
        result is derived on reading)."""
        return "none"

    def chains(self) -> set[str]:
        """The chain ids this edit touches (all segments of a chain are scored together)."""
        return set()

    def _check_captured(self) -> None:
        if not self.captured:
            raise RuntimeError("undo of an edit that was not done")


class _ChainEdit(Edit):
    ref: ChainRef

    def chains(self) -> set[str]:
        return {self.ref.chain_id}

    def _chain(self, lang: Lang) -> str:
        seg = f"/{self.ref.segment}" if self.ref.segment else ""
        return f"{self.ref.chain_id}{seg}"


class SetValue(_ChainEdit):
    """Enter, change or clear (None) one indicator value with its provenance and evidence."""

    kind: Literal["value"] = "value"
    indicator: str
    new: IndicatorValue | None
    old: IndicatorValue | None = None

    @model_validator(mode="after")
    def _same_indicator(self) -> SetValue:
        if self.new is not None and self.new.indicator != self.indicator:
            raise ValueError(f"value is for {self.new.indicator}, not {self.indicator}")
        return self

    def do(self, target: EditTarget) -> None:
        self.old = target.get_value(self.ref, self.indicator)
        self.captured = True
        target.put_value(self.ref, self.indicator, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_value(self.ref, self.indicator, self.old)

    def rescore(self) -> Rescore:
        return "chains"

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            verb = "清除" if self.new is None else "设置"
            return f"{verb}指标 {self.indicator}（{self._chain(lang)}）"
        verb = "clear" if self.new is None else "set"
        return f"{verb} indicator {self.indicator} ({self._chain(lang)})"


class SetProfile(_ChainEdit):
    """Change one profile field of a chain (name, sector, owner, generality, …)."""

    kind: Literal["profile"] = "profile"
    field: str
    new: str | int | float | None
    old: str | int | float | None = None

    @model_validator(mode="after")
    def _known_field(self) -> SetProfile:
        if self.field not in PROFILE_FIELDS or self.field in ("chain_id", "segment"):
            raise ValueError(f"'{self.field}' is not an editable profile field")
        return self

    def do(self, target: EditTarget) -> None:
        self.old = target.get_profile(self.ref, self.field)
        self.captured = True
        target.put_profile(self.ref, self.field, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_profile(self.ref, self.field, self.old)

    def rescore(self) -> Rescore:
        return "chains"

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"修改{self.field}（{self._chain(lang)}）"
        return f"edit {self.field} ({self._chain(lang)})"


class SetDecision(_ChainEdit):
    """Accept or override the classification (None withdraws the decision)."""

    kind: Literal["decision"] = "decision"
    new: Override | None
    old: Override | None = None

    def do(self, target: EditTarget) -> None:
        self.old = target.get_override(self.ref)
        self.captured = True
        target.put_override(self.ref, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_override(self.ref, self.old)

    def label(self, lang: Lang = "zh") -> str:
        chain = self._chain(lang)
        if self.new is None:
            return f"撤回分类决定（{chain}）" if lang == "zh" else f"withdraw decision ({chain})"
        if self.new.decision == "accepted":
            return f"接受分类（{chain}）" if lang == "zh" else f"accept classification ({chain})"
        if lang == "zh":
            return f"改判分类为 {self.new.outcome}（{chain}）"
        return f"override classification to {self.new.outcome} ({chain})"


class SetStatus(_ChainEdit):
    kind: Literal["status"] = "status"
    new: StatusRecord
    old: StatusRecord | None = None

    def do(self, target: EditTarget) -> None:
        self.old = target.get_status(self.ref)
        self.captured = True
        target.put_status(self.ref, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_status(self.ref, self.old or StatusRecord())

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"状态改为 {self.new.status}（{self._chain(lang)}）"
        return f"set status to {self.new.status} ({self._chain(lang)})"


class SetMeasures(_ChainEdit):
    kind: Literal["measures"] = "measures"
    new: list[SelectedMeasure] | None
    old: list[SelectedMeasure] | None = None

    def do(self, target: EditTarget) -> None:
        self.old = target.get_measures(self.ref)
        self.captured = True
        target.put_measures(self.ref, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_measures(self.ref, self.old)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"修改措施（{self._chain(lang)}）"
        return f"edit measures ({self._chain(lang)})"


class SetNote(_ChainEdit):
    kind: Literal["note"] = "note"
    new: str | None
    old: str | None = None

    def do(self, target: EditTarget) -> None:
        self.old = target.get_note(self.ref)
        self.captured = True
        target.put_note(self.ref, self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        target.put_note(self.ref, self.old)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"修改备注（{self._chain(lang)}）"
        return f"edit note ({self._chain(lang)})"


class SetTaxonomy(Edit):
    """Switch the project to another taxonomy version (an edited weight, anchor or threshold, or
    a loaded profile). The versions themselves are stored by content hash beside the edits."""

    kind: Literal["taxonomy"] = "taxonomy"
    new_sha256: str
    old_sha256: str | None = None
    what_zh: str = "分类体系"
    what_en: str = "taxonomy"

    def do(self, target: EditTarget) -> None:
        self.old_sha256 = target.get_taxonomy_sha()
        self.captured = True
        target.put_taxonomy_sha(self.new_sha256)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        assert self.old_sha256 is not None
        target.put_taxonomy_sha(self.old_sha256)

    def rescore(self) -> Rescore:
        return "all"

    def label(self, lang: Lang = "zh") -> str:
        return f"修改{self.what_zh}" if lang == "zh" else f"edit {self.what_en}"


class SetCountryRisk(Edit):
    """Replace the country risk list (one rating, the unrated default or the high-risk line)."""

    kind: Literal["country_risk"] = "country_risk"
    new: CountryRiskList
    old: CountryRiskList | None = None
    what: str = ""

    def do(self, target: EditTarget) -> None:
        self.old = target.get_country_risk()
        self.captured = True
        target.put_country_risk(self.new)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        assert self.old is not None
        target.put_country_risk(self.old)

    def rescore(self) -> Rescore:
        return "all"

    def label(self, lang: Lang = "zh") -> str:
        what = f" {self.what}" if self.what else ""
        return f"修改国别风险评级{what}" if lang == "zh" else f"edit country ratings{what}"


class ImportInventory(Edit):
    """Replace a round's inventory with an imported one, or merge one into it. The content before
    and after is kept as project snapshots, so the import is undone exactly."""

    kind: Literal["import"] = "import"
    round: str
    mode: Literal["replace", "merge"]
    source: str = Field(description="file name, for the label")
    new_snapshot: int
    old_snapshot: int | None = None

    def do(self, target: EditTarget) -> None:
        if self.old_snapshot is None:
            self.old_snapshot = target.snapshot_round(self.round)
        self.captured = True
        target.restore_round(self.round, self.new_snapshot)

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        assert self.old_snapshot is not None
        target.restore_round(self.round, self.old_snapshot)

    def rescore(self) -> Rescore:
        return "all"

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            verb = "合并导入" if self.mode == "merge" else "导入（替换）"
            return f"{verb} {self.source}"
        verb = "merge import of" if self.mode == "merge" else "import (replace) of"
        return f"{verb} {self.source}"


class EditGroup(Edit):
    """Several edits as one undo step (saving the wizard: profile, values, decision, measures)."""

    kind: Literal["group"] = "group"
    label_zh: str
    label_en: str
    edits: list[AnyEdit]

    def do(self, target: EditTarget) -> None:
        for edit in self.edits:
            edit.do(target)
        self.captured = True

    def undo(self, target: EditTarget) -> None:
        self._check_captured()
        for edit in reversed(self.edits):
            edit.undo(target)

    def rescore(self) -> Rescore:
        kinds = {e.rescore() for e in self.edits}
        return "all" if "all" in kinds else "chains" if "chains" in kinds else "none"

    def chains(self) -> set[str]:
        return set().union(*(e.chains() for e in self.edits)) if self.edits else set()

    def label(self, lang: Lang = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en


AnyEdit = Annotated[
    SetValue | SetProfile | SetDecision | SetStatus | SetMeasures | SetNote | SetTaxonomy
    | SetCountryRisk | ImportInventory | EditGroup,
    Field(discriminator="kind"),
]
EditGroup.model_rebuild()
EDITS: TypeAdapter[AnyEdit] = TypeAdapter(AnyEdit)


def load_edit(payload: str) -> Edit:
    """An edit from its stored JSON (the project's undo history)."""
    edit: Edit = EDITS.validate_json(payload)
    return edit
