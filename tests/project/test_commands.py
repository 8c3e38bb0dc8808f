"""Undo / redo: any sequence of edits, undos and redos leaves exactly the state the history says.

A hypothesis state machine drives the same commands against the in-memory workspace and against a
real project file; the model is the list of states after each done edit and a cursor into it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from riskdesk.core.commands import (
    ChainRef,
    Command,
    CommandStack,
    EditTarget,
    MemoryWorkspace,
    Override,
    SelectedMeasure,
    SetMeasures,
    SetNote,
    SetOverride,
    SetStatus,
    SetValue,
    StatusRecord,
)
from riskdesk.core.models import IndicatorValue, Outcome, Provenance, Status
from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory

REFS = [ChainRef(round=ROUND, chain_id=c) for c in ("C0", "C1")]
INDICATORS = list(default_taxonomy().indicator_ids[:3])
AT = datetime(2026, 1, 1, tzinfo=UTC)

values = st.one_of(
    st.none(),
    st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda v: round(v, 6)),
)
overrides = st.one_of(
    st.none(),
    st.builds(Override, decision=st.just("accepted"), outcome=st.sampled_from(Outcome)),
    st.builds(Override, decision=st.just("overridden"), outcome=st.sampled_from(Outcome),
              reason=st.sampled_from(["出口管制", "new evidence"])),
)
statuses = st.builds(StatusRecord, status=st.sampled_from(Status), by=st.sampled_from(["a", "b"]),
                     at=st.just(AT))
measure_lists = st.one_of(st.none(), st.lists(
    st.builds(SelectedMeasure, measure_id=st.sampled_from(["m1", "m2"]),
              text=st.one_of(st.none(), st.just("改写"))), max_size=2))
notes = st.one_of(st.none(), st.text(max_size=8))


def snapshot(target: EditTarget) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for ref in REFS:
        for ind in INDICATORS:
            v = target.get_value(ref, ind)
            state[f"{ref.chain_id}.{ind}"] = None if v is None else v.value
        state[f"{ref.chain_id}.override"] = target.get_override(ref)
        state[f"{ref.chain_id}.status"] = target.get_status(ref)
        state[f"{ref.chain_id}.measures"] = target.get_measures(ref)
        state[f"{ref.chain_id}.note"] = target.get_note(ref)
    return state


class UndoRedoMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.target = self.make_target()
        self.stack = CommandStack(self.target)
        self.states = [snapshot(self.target)]
        self.cursor = 0

    def make_target(self) -> EditTarget:
        return MemoryWorkspace()

    def _push(self, command: Command) -> None:
        self.stack.push(command)
        del self.states[self.cursor + 1:]
        self.states.append(snapshot(self.target))
        self.cursor += 1

    @rule(ref=st.sampled_from(REFS), ind=st.sampled_from(INDICATORS), value=values)
    def set_value(self, ref: ChainRef, ind: str, value: float | None) -> None:
        new = None if value is None else IndicatorValue(
            indicator=ind, value=value, provenance=Provenance(kind="expert", expert="a", at=AT))
        self._push(SetValue(ref, ind, new))

    @rule(ref=st.sampled_from(REFS), override=overrides)
    def set_override(self, ref: ChainRef, override: Override | None) -> None:
        self._push(SetOverride(ref, override))

    @rule(ref=st.sampled_from(REFS), status=statuses)
    def set_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self._push(SetStatus(ref, status))

    @rule(ref=st.sampled_from(REFS), measures=measure_lists)
    def set_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None:
        self._push(SetMeasures(ref, measures))

    @rule(ref=st.sampled_from(REFS), note=notes)
    def set_note(self, ref: ChainRef, note: str | None) -> None:
        self._push(SetNote(ref, note))

    @precondition(lambda self: self.cursor > 0)
    @rule()
    def undo(self) -> None:
        assert self.stack.undo() is not None
        self.cursor -= 1

    @precondition(lambda self: self.cursor < len(self.states) - 1)
    @rule()
    def redo(self) -> None:
        assert self.stack.redo() is not None
        self.cursor += 1

    @invariant()
    def state_matches_history(self) -> None:
        assert snapshot(self.target) == self.states[self.cursor]
        assert self.stack.can_undo == (self.cursor > 0)
        assert self.stack.can_redo == (self.cursor < len(self.states) - 1)


class ProjectUndoRedoMachine(UndoRedoMachine):
    def make_target(self) -> EditTarget:
        self.tmp = Path(tempfile.mkdtemp(prefix="rd-undo-"))
        project = Project.create(self.tmp / "u.rdproj", user="a")
        project.import_inventory(make_inventory(default_taxonomy()), ROUND)
        self.project = project
        return project

    def teardown(self) -> None:
        verification = self.project.verify()
        self.project.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        assert verification.ok


TestUndoRedoInMemory = UndoRedoMachine.TestCase
TestUndoRedoInMemory.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestUndoRedoOnProjectFile = ProjectUndoRedoMachine.TestCase
TestUndoRedoOnProjectFile.settings = settings(
    max_examples=12, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_labels_in_both_languages_and_stack_limits() -> None:
    ws = MemoryWorkspace()
    stack = CommandStack(ws, limit=2)
    ref = REFS[0]
    for text in ("a", "b", "c"):
        stack.push(SetNote(ref, text))
    assert stack.undo_label("en") == "edit note (C0)"
    assert stack.undo_label("zh") == "修改备注（C0）"
    assert stack.undo() is not None
    assert stack.undo() is not None
    assert stack.undo() is None  # the oldest edit fell off the limited history
    assert ws.get_note(ref) == "a"
    assert stack.redo_label("en") == "edit note (C0)"


def test_a_new_edit_forgets_the_undone_ones() -> None:
    ws = MemoryWorkspace()
    stack = CommandStack(ws)
    ref = REFS[0]
    stack.push(SetNote(ref, "a"))
    stack.undo()
    stack.push(SetNote(ref, "b"))
    assert not stack.can_redo
    assert stack.redo() is None
    assert ws.get_note(ref) == "b"


def test_undo_of_a_command_never_done_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        SetNote(REFS[0], "x").undo(MemoryWorkspace())


def test_project_undo_redo_report_labels_and_audit(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.rdproj", user="a") as p:
        p.import_inventory(make_inventory(default_taxonomy()), ROUND)
        assert p.undo() is None
        p.set_note(ROUND, "C1", "first")
        assert p.undo() == "edit note (C1)"
        assert p.judgement(ROUND, "C1").note is None
        assert p.redo() == "edit note (C1)"
        assert p.judgement(ROUND, "C1").note == "first"
        assert [e.action for e in p.history("C1")] == ["set", "undo", "redo"]


def test_a_gui_undo_stack_can_drive_commands_and_keep_the_audit_right(tmp_path: Path) -> None:
    with Project.create(tmp_path / "q.rdproj", user="a") as p:
        p.import_inventory(make_inventory(default_taxonomy()), ROUND)
        command = SetNote(REFS[0], "from the wizard")
        command.do(p)  # what QUndoCommand.redo() does the first time
        with p.audit_as("undo"):
            command.undo(p)
        with p.audit_as("redo"):
            command.do(p)
        assert p.judgement(ROUND, "C0").note == "from the wizard"
        assert [e.action for e in p.history("C0")] == ["set", "undo", "redo"]
        assert not p.commands.can_undo  # the project's own stack was not involved
