"""Undo / redo: any sequence of edits, undos, redos and reopenings leaves exactly the state the
history says — the undo history lives in the project, so it survives closing and a crash.

A hypothesis state machine drives the core's edits against a real project file; the model is the
list of states after each done edit and a cursor into it.
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
    load_edit,
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


def snapshot(project: Project) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for ref in REFS:
        for ind in INDICATORS:
            v = project.get_value(ref, ind)
            state[f"{ref.chain_id}.{ind}"] = None if v is None else v.value
        state[f"{ref.chain_id}.sector"] = project.get_profile(ref, "sector")
        state[f"{ref.chain_id}.override"] = project.get_override(ref)
        state[f"{ref.chain_id}.status"] = project.get_status(ref)
        state[f"{ref.chain_id}.measures"] = project.get_measures(ref)
        state[f"{ref.chain_id}.note"] = project.get_note(ref)
    return state


class UndoRedoMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="rd-undo-"))
        self.path = self.tmp / "u.rdproj"
        self.project = Project.create(self.path, user="a")
        self.project.import_inventory(make_inventory(default_taxonomy()), ROUND)
        self.states = [snapshot(self.project)]
        self.cursor = 0

    def _push(self, edit: Edit) -> None:
        self.project.apply(edit)
        del self.states[self.cursor + 1:]
        self.states.append(snapshot(self.project))
        self.cursor += 1

    @rule(ref=st.sampled_from(REFS), ind=st.sampled_from(INDICATORS), value=values)
    def set_value(self, ref: ChainRef, ind: str, value: float | None) -> None:
        new = None if value is None else IndicatorValue(
            indicator=ind, value=value, provenance=Provenance(kind="expert", expert="a", at=AT))
        self._push(SetValue(ref=ref, indicator=ind, new=new))

    @rule(ref=st.sampled_from(REFS), sector=st.sampled_from([None, "半导体", "航空"]))
    def set_profile(self, ref: ChainRef, sector: str | None) -> None:
        self._push(SetProfile(ref=ref, field="sector", new=sector))

    @rule(ref=st.sampled_from(REFS), override=overrides)
    def set_override(self, ref: ChainRef, override: Override | None) -> None:
        self._push(SetDecision(ref=ref, new=override))

    @rule(ref=st.sampled_from(REFS), status=statuses)
    def set_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self._push(SetStatus(ref=ref, new=status))

    @rule(ref=st.sampled_from(REFS), measures=measure_lists, note=notes)
    def set_measures_and_note(self, ref: ChainRef, measures: list[SelectedMeasure] | None,
                              note: str | None) -> None:
        self._push(EditGroup(label_zh="保存", label_en="save", edits=[
            SetMeasures(ref=ref, new=measures), SetNote(ref=ref, new=note)]))

    @precondition(lambda self: self.cursor > 0)
    @rule()
    def undo(self) -> None:
        assert self.project.undo() is not None
        self.cursor -= 1

    @precondition(lambda self: self.cursor < len(self.states) - 1)
    @rule()
    def redo(self) -> None:
        assert self.project.redo() is not None
        self.cursor += 1

    @rule()
    def reopen(self) -> None:
        """Close and open again: the history is in the file, not in memory."""
        self.project.close()
        self.project = Project.open(self.path, user="a")

    @invariant()
    def state_matches_history(self) -> None:
        assert snapshot(self.project) == self.states[self.cursor]
        assert self.project.can_undo  # at worst the import that started the project
        if self.cursor == 0:
            assert "import" in (self.project.undo_label("en") or "")
        assert self.project.can_redo == (self.cursor < len(self.states) - 1)

    def teardown(self) -> None:
        verification = self.project.verify()
        self.project.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        assert verification.ok


TestUndoRedoOnProjectFile = UndoRedoMachine.TestCase
TestUndoRedoOnProjectFile.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_labels_in_both_languages(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.rdproj", user="a") as p:
        p.import_inventory(make_inventory(default_taxonomy()), ROUND)
        p.set_note(ROUND, "C0", "a")
        assert p.undo_label("en") == "edit note (C0)"
        assert p.undo_label("zh") == "修改备注（C0）"


def test_a_new_edit_forgets_the_undone_ones(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.rdproj", user="a") as p:
        p.import_inventory(make_inventory(default_taxonomy()), ROUND)
        p.set_note(ROUND, "C0", "a")
        p.undo()
        p.set_note(ROUND, "C0", "b")
        assert not p.can_redo
        assert p.redo() is None
        assert p.get_note(REFS[0]) == "b"


def test_undo_of_an_edit_never_done_is_an_error(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.rdproj", user="a") as p, pytest.raises(RuntimeError):
        SetNote(ref=REFS[0], new="x").undo(p)


def test_edits_round_trip_through_json() -> None:
    edit = EditGroup(label_zh="保存", label_en="save", edits=[
        SetDecision(ref=REFS[0], new=Override.decide("overridden", Outcome.DESTROYED, "理由")),
        SetProfile(ref=REFS[1], field="generality", new=4),
    ])
    again = load_edit(edit.model_dump_json())
    assert again == edit
    assert isinstance(again, EditGroup) and isinstance(again.edits[0], SetDecision)


def test_project_undo_redo_and_audit(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.rdproj", user="a") as p:
        p.import_inventory(make_inventory(default_taxonomy()), ROUND)
        p.undo()  # the import itself is undoable: the round is empty again
        assert p.inventory(ROUND).frame.empty
        p.redo()
        assert len(p.inventory(ROUND)) == 3
        p.set_note(ROUND, "C1", "first")
        undone = p.undo()
        assert undone is not None and undone.label("en") == "edit note (C1)"
        assert p.judgement(ROUND, "C1").note is None
        p.redo()
        assert p.judgement(ROUND, "C1").note == "first"
        assert [e.action for e in p.history("C1")] == ["set", "undo", "redo"]
