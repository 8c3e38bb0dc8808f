"""The guided assessment driven like an analyst: import → wizard → saved result, undo/redo."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from riskdesk.core.models import Outcome, Status
from riskdesk.gui.app import DEMO_INVENTORY, Session
from riskdesk.gui.pages.assessment import AssessmentPage
from riskdesk.gui.pages.assessment_steps import parse_number
from riskdesk.gui.qt import QDialog, Qt
from riskdesk.gui.worker import active_ops
from riskdesk.io.project import Project

CHAIN = ("AUTO-CHIP", None)


def _to_result(page: AssessmentPage, qtbot: object) -> None:
    page.go(3)
    qtbot.waitUntil(
        lambda: (
            page.draft is not None
            and not page.draft.result_stale  # type: ignore[attr-defined]
            and active_ops() == 0
        ),
        timeout=30_000,
    )


def test_whole_guided_assessment_from_import_to_saved_project(
    session: Session, qtbot: object, tmp_path: Path, answers: object
) -> None:
    window, ws = session.window, session.workspace
    # The demo is already in the (unnamed) project: the analyst chooses to replace it.
    answers.planned["importModeBox"] = "importReplace"  # type: ignore[attr-defined]
    # Import through the dry-run preview (parsed in a child process), then store it.
    window.import_file(DEMO_INVENTORY)  # type: ignore[attr-defined]
    importer = window.importer  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: importer.dialog is not None, timeout=30_000)  # type: ignore[attr-defined]
    dialog = importer.dialog
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: ws.run is not None and active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    project_path = tmp_path / "work.rdproj"
    assert window.save_project_as(project_path)  # type: ignore[attr-defined]

    # Open the wizard on the chain from the inventory.
    inv_page = window.inventory_page  # type: ignore[attr-defined]
    inv_page.focus_cell(ws.inventory.row_of(*CHAIN))
    window.act_assess.trigger()  # type: ignore[attr-defined]
    page: AssessmentPage = window.assessment_page  # type: ignore[attr-defined]
    assert window.current_page() == "assessment"  # type: ignore[attr-defined]
    assert page.draft is not None and page.draft.key == CHAIN

    # 1 profile
    profile = page.steps[0]
    profile.generality.setValue(5)
    page.next()
    # 2 data check: a missing value entered needs an evidence note
    data = page.steps[1]
    data.enter_value("rd_intensity", "1.5%")
    assert page.next_button.isEnabled() is False
    assert "rd_intensity" not in str(page.hint.text()) or page.hint.text()
    data.enter_value("rd_intensity", "1.5%", evidence="2024 annual statistics", year="2024")
    assert page.next_button.isEnabled()
    page.next()
    # 3 questions: answer one with its anchored level and an evidence note
    questions = page.steps[2]
    questions.answer("basic_research.tech_gap_years", 4, evidence="expert panel, May 2026")
    chosen = ws.taxonomy.questions_for("basic_research")
    level_value = next(q for q in chosen if q.id == "basic_research.tech_gap_years").levels[3].value
    assert page.draft.answers["basic_research.tech_gap_years"].level == level_value
    # Back and forth keeps every answer.
    page.back()
    page.back()
    assert page.steps[0].generality.value() == 5
    page.next()
    assert page.steps[1].table.item(page.steps[1].row_of("rd_intensity"), 2).text() == "0.015"
    page.next()
    assert page.steps[2].widgets["basic_research.tech_gap_years"].group.checkedId() == 4
    # 4 result from the engine; override without reason is refused
    page.next()
    qtbot.waitUntil(lambda: not page.draft.result_stale and active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    result_step = page.steps[3]
    assert page.draft.result is not None
    assert page.draft.result.indicators["rd_intensity"].kind == "expert"
    assert page.draft.result.indicators["tech_gap_years"].value == level_value
    result_step.override_button.click()
    other = (
        Outcome.MISSING if page.draft.result.primary_type != Outcome.MISSING else Outcome.DESTROYED
    )
    result_step.override_outcome.setCurrentIndex(result_step.override_outcome.findData(other.value))
    result_step.override_outcome.activated.emit(result_step.override_outcome.currentIndex())
    assert not page.next_button.isEnabled()
    assert page.hint.text() == "An override needs a written reason."
    result_step.reason.setPlainText("Field interviews show domestic MCU lines qualified in 2026.")
    assert page.next_button.isEnabled()
    page.next()
    # 5 strategy: untick one recommended measure, add one of our own, write a note
    strategy = page.steps[4]
    assert strategy.measures.count() >= 1
    strategy.measures.item(0).setCheckState(Qt.CheckState.Unchecked)
    strategy.new_measure.setText("Joint qualification line with two carmakers")
    strategy.add_button.click()
    strategy.notes.setPlainText("Review again after the 2026 capacity survey.")
    page.next()
    # 6 finish with status reviewed, then save
    finish = page.steps[5]
    finish.status.setCurrentIndex(finish.status.findData(Status.APPROVED.value))
    finish.status.activated.emit(finish.status.currentIndex())
    assert page.save()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]

    judgement = ws.judgement(CHAIN)
    assert judgement.override is not None and judgement.override.outcome == other
    assert judgement.status.status == Status.APPROVED
    assert judgement.note == "Review again after the 2026 capacity survey."
    assert any(
        m.added and m.text == "Joint qualification line with two carmakers"
        for m in judgement.measures or []
    )
    row = ws.inventory.row_of(*CHAIN)
    assert ws.inventory.frame.at[row, "rd_intensity"] == pytest.approx(0.015)
    assert ws.inventory.provenance(row, "rd_intensity").evidence == "2024 annual statistics"
    assert ws.inventory.frame.at[row, "generality"] == 5
    # The inventory table shows the analyst's classification and status.
    inv_page.reload()
    view_row = inv_page.model.view_row(row)
    assert inv_page.model.index(view_row, 12).data() == "approved"

    # Saved through the project layer (audited), readable after closing.
    window.close()  # type: ignore[attr-defined]
    with Project.open(project_path, read_only=True) as project:
        stored = project.judgement(ws.round, *CHAIN)
        assert stored.override is not None and stored.override.reason.startswith("Field interviews")
        assert stored.status.status == Status.APPROVED
        value = project.get_value(ws.session.ref(CHAIN), "rd_intensity")
        assert value is not None and value.provenance.kind == "expert"


def test_override_needs_a_reason_and_undo_redo_restore_everything(
    session: Session, qtbot: object
) -> None:
    window, ws = session.window, session.workspace
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    page: AssessmentPage = window.assessment_page  # type: ignore[attr-defined]
    row = ws.inventory.row_of(*CHAIN)
    before_value = ws.inventory.frame.at[row, "rd_intensity"]
    assert math.isnan(before_value)
    page.go(1)
    page.steps[1].enter_value("rd_intensity", "0.02", evidence="survey")
    _to_result(page, qtbot)
    step = page.steps[3]
    step.override_button.click()
    assert page.draft.override_problem() in ("no_reason", "no_outcome")
    assert not page.save()  # the finish check refuses too
    assert ws.judgement(CHAIN).override is None
    step.reason.setPlainText("   ")
    assert page.draft.override_problem() == "no_reason"
    step.accept_button.click()
    page.go(5)
    assert page.save()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert ws.judgement(CHAIN).override is not None
    assert ws.judgement(CHAIN).override.decision == "accepted"
    assert ws.inventory.frame.at[row, "rd_intensity"] == pytest.approx(0.02)

    undo, redo = window.act_undo, window.act_redo  # type: ignore[attr-defined]
    assert undo.isEnabled()
    assert "AUTO-CHIP" in undo.text()
    undo.trigger()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert math.isnan(ws.inventory.frame.at[row, "rd_intensity"])
    assert ws.judgement(CHAIN).override is None
    assert ws.status(CHAIN) == Status.DRAFT
    redo.trigger()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert ws.inventory.frame.at[row, "rd_intensity"] == pytest.approx(0.02)
    assert ws.judgement(CHAIN).override is not None


def test_reopening_a_chain_shows_earlier_answers(session: Session, qtbot: object) -> None:
    window = session.window
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    page: AssessmentPage = window.assessment_page  # type: ignore[attr-defined]
    page.go(2)
    page.steps[2].answer("basic_research.core_patent_share", 2, evidence="patent database")
    _to_result(page, qtbot)
    page.go(5)
    assert page.save()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    assert page.draft.answers["basic_research.core_patent_share"].evidence == "patent database"
    page.go(2)
    assert page.steps[2].widgets["basic_research.core_patent_share"].group.checkedId() == 2


def test_import_preview_cancel_stores_nothing(session: Session, qtbot: object) -> None:
    window, ws = session.window, session.workspace
    run_before = ws.run
    window.import_file(DEMO_INVENTORY)  # type: ignore[attr-defined]
    importer = window.importer  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: importer.dialog is not None, timeout=30_000)  # type: ignore[attr-defined]
    importer.dialog.reject()
    assert importer.dialog is None or importer.dialog.result() == QDialog.DialogCode.Rejected
    assert ws.run is run_before


@pytest.mark.parametrize(
    ("text", "value"), [("0.9", 0.9), ("90%", 0.9), ("９０％", 0.9), ("0,5", 0.5), ("", None)]
)
def test_values_are_read_as_analysts_type_them(text: str, value: float | None) -> None:
    assert parse_number(text) == (pytest.approx(value) if value is not None else None)


def test_text_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="could not convert"):
        parse_number("about half")


def test_a_problem_in_the_preview_opens_the_cell_to_fix(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    window, ws = session.window, session.workspace
    csv = tmp_path / "chains.csv"
    csv.write_text(
        "chain_id,chain_name,import_dependence,rd_intensity\n"
        "A,链A,90%,0.02\nB,链B,abc,0.03\nC,链C,0.5,0.01\n",
        encoding="utf-8",
    )
    window.import_file(csv)  # type: ignore[attr-defined]
    importer = window.importer  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: importer.dialog is not None, timeout=30_000)  # type: ignore[attr-defined]
    dialog = importer.dialog
    # An error row is never imported or dropped without the analyst's explicit choice.
    assert not dialog.import_button.isEnabled()
    dialog.keep_rows.click()
    assert dialog.import_button.isEnabled()
    row = next(i for i, issue in enumerate(dialog.issues) if issue.code == "not_a_number")
    dialog.table.cellDoubleClicked.emit(row, 1)
    qtbot.waitUntil(lambda: window.current_page() == "assessment", timeout=30_000)  # type: ignore[attr-defined]
    page = window.assessment_page  # type: ignore[attr-defined]
    assert page.draft.key == ("B", None)
    assert page.current() == 1
    data = page.steps[1]
    assert data.table.currentRow() == data.row_of("import_dependence")
    assert data.table.item(data.row_of("import_dependence"), 2).text() == ""  # missing, not 0
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert len(ws.inventory) == 3


def test_unsaved_answers_are_autosaved_and_can_be_restored(session: Session, qtbot: object) -> None:
    window = session.window
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    page: AssessmentPage = window.assessment_page  # type: ignore[attr-defined]
    page.go(2)
    page.steps[2].answer("basic_research.tech_gap_years", 3, evidence="site visit")
    page.autosave.flush()
    # The analyst leaves without saving (or the machine goes down) and comes back later.
    window.open_assessment(("EDA-SW", None))  # type: ignore[attr-defined]
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    assert "basic_research.tech_gap_years" not in page.draft.answers
    assert page.restore_button.isVisibleTo(page)
    page.restore_button.click()
    assert page.draft.answers["basic_research.tech_gap_years"].evidence == "site visit"
    _to_result(page, qtbot)
    page.go(5)
    assert page.save()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    window.open_assessment(CHAIN)  # type: ignore[attr-defined]
    assert not page.restore_button.isVisibleTo(page)  # saving discarded the draft
