"""Edits as command objects with do / undo / label (glue's model), and the analyst's judgements.

Every change an analyst makes — an indicator value, an accepted or overridden classification, the
status, the selected measures, a note — is one command. A command acts on an `EditTarget`: the
project store (`riskdesk.io.project.Project`, which persists each edit in its own transaction and
writes the audit trail) or `MemoryWorkspace` here (tests, scratch work). A command remembers the
value it replaced when it is done, so undo restores exactly that. Nothing here knows Qt or SQL:
the GUI wraps a command in a QUndoCommand whose redo()/undo() call `do(target)`/`undo(target)`;
the CLI and tests use `CommandStack`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from riskdesk.core.models import IndicatorValue, Lang, Outcome, Status


class ChainRef(BaseModel):
    """One chain (or one segment of a chain) in one assessment round."""

    model_config = ConfigDict(frozen=True)

    round: str = Field(min_length=1)
    chain_id: str = Field(min_length=1)
    segment: str | None = None

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
    """What commands read and write. Each put is one durable, audited change in a project."""

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None: ...
    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None: ...
    def get_override(self, ref: ChainRef) -> Override | None: ...
    def put_override(self, ref: ChainRef, override: Override | None) -> None: ...
    def get_status(self, ref: ChainRef) -> StatusRecord: ...
    def put_status(self, ref: ChainRef, status: StatusRecord) -> None: ...
    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None: ...
    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None: ...
    def get_note(self, ref: ChainRef) -> str | None: ...
    def put_note(self, ref: ChainRef, note: str | None) -> None: ...


class Command(ABC):
    """One undoable edit. `do` may be called again after `undo` (redo)."""

    @abstractmethod
    def do(self, target: EditTarget) -> None: ...

    @abstractmethod
    def undo(self, target: EditTarget) -> None: ...

    @abstractmethod
    def label(self, lang: Lang = "zh") -> str:
        """What the Edit menu shows: 'Undo <label>'."""


T = TypeVar("T")


class _Replace(Command, Generic[T]):
    """Replace one field's value; undo puts back what was there when the command was done."""

    def __init__(self, ref: ChainRef, new: T) -> None:
        self.ref = ref
        self.new = new
        self._old: T | None = None
        self._done = False

    @abstractmethod
    def _get(self, target: EditTarget) -> T: ...

    @abstractmethod
    def _put(self, target: EditTarget, value: T) -> None: ...

    def do(self, target: EditTarget) -> None:
        self._old = self._get(target)
        self._put(target, self.new)
        self._done = True

    def undo(self, target: EditTarget) -> None:
        if not self._done:
            raise RuntimeError("undo of a command that was not done")
        self._put(target, self._old)  # type: ignore[arg-type]  # _old is a T once done
        self._done = False

    @property
    def old(self) -> T | None:
        return self._old


class SetValue(_Replace[IndicatorValue | None]):
    """Enter, change or clear (None) one indicator value with its provenance."""

    def __init__(self, ref: ChainRef, indicator: str, new: IndicatorValue | None) -> None:
        if new is not None and new.indicator != indicator:
            raise ValueError(f"value is for {new.indicator}, not {indicator}")
        super().__init__(ref, new)
        self.indicator = indicator

    def _get(self, target: EditTarget) -> IndicatorValue | None:
        return target.get_value(self.ref, self.indicator)

    def _put(self, target: EditTarget, value: IndicatorValue | None) -> None:
        target.put_value(self.ref, self.indicator, value)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            verb_zh = "清除" if self.new is None else "设置"
            return f"{verb_zh}指标 {self.indicator}（{self.ref.chain_id}）"
        verb = "clear" if self.new is None else "set"
        return f"{verb} indicator {self.indicator} ({self.ref.chain_id})"


class SetOverride(_Replace[Override | None]):
    """Accept or override the classification (None withdraws the decision)."""

    def _get(self, target: EditTarget) -> Override | None:
        return target.get_override(self.ref)

    def _put(self, target: EditTarget, value: Override | None) -> None:
        target.put_override(self.ref, value)

    def label(self, lang: Lang = "zh") -> str:
        new = self.new
        if new is None:
            return (
                f"撤回分类决定（{self.ref.chain_id}）"
                if lang == "zh"
                else (f"withdraw classification decision ({self.ref.chain_id})")
            )
        if new.decision == "accepted":
            return (
                f"接受分类（{self.ref.chain_id}）"
                if lang == "zh"
                else (f"accept classification ({self.ref.chain_id})")
            )
        return (
            f"改判分类为 {new.outcome}（{self.ref.chain_id}）"
            if lang == "zh"
            else (f"override classification to {new.outcome} ({self.ref.chain_id})")
        )


class SetStatus(_Replace[StatusRecord]):
    def _get(self, target: EditTarget) -> StatusRecord:
        return target.get_status(self.ref)

    def _put(self, target: EditTarget, value: StatusRecord) -> None:
        target.put_status(self.ref, value)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"状态改为 {self.new.status}（{self.ref.chain_id}）"
        return f"set status to {self.new.status} ({self.ref.chain_id})"


class SetMeasures(_Replace[list[SelectedMeasure] | None]):
    def _get(self, target: EditTarget) -> list[SelectedMeasure] | None:
        return target.get_measures(self.ref)

    def _put(self, target: EditTarget, value: list[SelectedMeasure] | None) -> None:
        target.put_measures(self.ref, value)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"修改措施（{self.ref.chain_id}）"
        return f"edit measures ({self.ref.chain_id})"


class SetNote(_Replace[str | None]):
    def _get(self, target: EditTarget) -> str | None:
        return target.get_note(self.ref)

    def _put(self, target: EditTarget, value: str | None) -> None:
        target.put_note(self.ref, value)

    def label(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return f"修改备注（{self.ref.chain_id}）"
        return f"edit note ({self.ref.chain_id})"


@dataclass
class CommandStack:
    """Undo / redo history over one target (the GUI uses QUndoStack with the same commands)."""

    target: EditTarget
    limit: int | None = None
    _done: list[Command] = field(default_factory=list)
    _undone: list[Command] = field(default_factory=list)

    def push(self, command: Command) -> None:
        """Do the command and make it the next to undo; a new edit forgets what was undone."""
        command.do(self.target)
        self._done.append(command)
        self._undone.clear()
        if self.limit is not None and len(self._done) > self.limit:
            del self._done[0]

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done[-1]
        command.undo(self.target)
        self._undone.append(self._done.pop())
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone[-1]
        command.do(self.target)
        self._done.append(self._undone.pop())
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_label(self, lang: Lang = "zh") -> str | None:
        return self._done[-1].label(lang) if self._done else None

    def redo_label(self, lang: Lang = "zh") -> str | None:
        return self._undone[-1].label(lang) if self._undone else None

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()


@dataclass
class MemoryWorkspace:
    """An in-memory EditTarget: the same semantics as a project, without a file."""

    values: dict[tuple[ChainRef, str], IndicatorValue] = field(default_factory=dict)
    judgements: dict[ChainRef, Judgement] = field(default_factory=dict)

    def _judgement(self, ref: ChainRef) -> Judgement:
        return self.judgements.get(ref) or Judgement()

    def _update(self, ref: ChainRef, **changes: object) -> None:
        self.judgements[ref] = self._judgement(ref).model_copy(update=changes)

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        return self.values.get((ref, indicator))

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        if value is None:
            self.values.pop((ref, indicator), None)
        else:
            self.values[(ref, indicator)] = value

    def get_override(self, ref: ChainRef) -> Override | None:
        return self._judgement(ref).override

    def put_override(self, ref: ChainRef, override: Override | None) -> None:
        self._update(ref, override=override)

    def get_status(self, ref: ChainRef) -> StatusRecord:
        return self._judgement(ref).status

    def put_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self._update(ref, status=status)

    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None:
        measures = self._judgement(ref).measures
        return None if measures is None else list(measures)

    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None:
        self._update(ref, measures=None if measures is None else list(measures))

    def get_note(self, ref: ChainRef) -> str | None:
        return self._judgement(ref).note

    def put_note(self, ref: ChainRef, note: str | None) -> None:
        self._update(ref, note=note)
