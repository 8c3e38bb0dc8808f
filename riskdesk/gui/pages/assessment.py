"""The guided assessment (向导, SPEC §6.2): a stepped view over an AssessmentDraft.

Steps: profile → data check → diagnostic questions → result → strategy → finish. No scoring
happens here: entering the result step sends the draft's one-row inventory to the engine in a
worker. Every edit writes straight into the draft, so Back and Next never lose an answer.
"""

from __future__ import annotations

from collections.abc import Callable

from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Lang, Outcome, Status
from riskdesk.core.results import AssessmentRun
from riskdesk.gui.autosave import DraftAutosave, restore_payload
from riskdesk.gui.draft import AssessmentDraft
from riskdesk.gui.pages.assessment_result import FinishStep, ResultStep, StrategyStep
from riskdesk.gui.pages.assessment_steps import (
    DataCheckStep,
    ProfileStep,
    QuestionsStep,
    WizardStep,
)
from riskdesk.gui.qt import (
    QEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
    translate,
)
from riskdesk.gui.settings import AppSettings
from riskdesk.gui.worker import BackgroundOp
from riskdesk.gui.workspace import Workspace, results_by_key

STEP_NAMES = ("profile", "data", "questions", "result", "strategy", "finish")


def step_title(name: str) -> str:
    return {
        "profile": translate("Wizard", "1 Profile"),
        "data": translate("Wizard", "2 Data check"),
        "questions": translate("Wizard", "3 Diagnostic questions"),
        "result": translate("Wizard", "4 Result"),
        "strategy": translate("Wizard", "5 Strategy"),
        "finish": translate("Wizard", "6 Finish"),
    }[name]


class AssessmentPage(QWidget):
    saved = Signal(object)  # ChainKey

    def __init__(
        self,
        workspace: Workspace,
        lang_fn: Callable[[], Lang],
        settings: AppSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentPage")
        self.ws = workspace
        self.lang = lang_fn
        self.settings = settings
        self.draft: AssessmentDraft | None = None
        self.draft_dirty = False  # typed since the last save (worth keeping as a draft)
        self.scoring: BackgroundOp | None = None
        self.autosave = DraftAutosave(workspace, self)
        self.restore_button = named(QPushButton(), "restoreDraft")
        self.restore_button.setVisible(False)
        self.restore_button.clicked.connect(self.restore_draft)

        self.heading = named(QLabel(), "wizardHeading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.hint = named(QLabel(), "wizardHint")
        self.hint.setWordWrap(True)
        self.step_list = named(QListWidget(), "wizardSteps")
        self.step_list.setFixedWidth(170)
        self.stack = named(QStackedWidget(), "wizardStack")
        self.steps: list[WizardStep] = [
            ProfileStep(workspace, lang_fn),
            DataCheckStep(workspace, lang_fn),
            QuestionsStep(workspace, lang_fn),
            ResultStep(workspace, lang_fn),
            StrategyStep(workspace, lang_fn),
            FinishStep(workspace, lang_fn),
        ]
        for step in self.steps:
            self.step_list.addItem("")
            self.stack.addWidget(step)
            step.changed.connect(self._changed)
        self.result_step: ResultStep = self.steps[3]  # type: ignore[assignment]
        self.step_list.currentRowChanged.connect(self._step_clicked)
        self.back_button = named(QPushButton(), "wizardBack")
        self.next_button = named(QPushButton(), "wizardNext")
        self.save_button = named(QPushButton(), "wizardSave")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.save_button.clicked.connect(self.save)
        # Keyboard: Alt+N / Alt+P walk the steps; Enter (outside a multi-line box) is Next.
        for keys, slot in (("Alt+N", self.next), ("Alt+P", self.back),
                           ("Return", self._enter), ("Enter", self._enter)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)
        body = QHBoxLayout()
        body.addWidget(self.step_list)
        body.addWidget(self.stack, 1)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self._set_enabled(False)

    # --- starting ---------------------------------------------------------------------------

    def start(self, key: ChainKey) -> None:
        if self.draft is not None:
            self.flush_draft()
        self.draft = AssessmentDraft.start(self.ws, key, self.ws.analyst)
        self.draft_dirty = False
        self.restore_button.setVisible(self.autosave.find(key) is not None)
        for step in self.steps:
            step.set_draft(self.draft)
        self._set_enabled(True)
        self._update_heading()
        self.go(0)

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.step_list, self.stack, self.back_button, self.next_button, self.save_button):
            w.setEnabled(enabled)
        if not enabled:
            self.heading.setText(
                translate("Wizard", "Choose a chain in the inventory and press Assess.")
            )

    def _update_heading(self) -> None:
        if self.draft is None:
            return
        chain_id, segment = self.draft.key
        name = self.draft.profile.get("chain_name") or chain_id
        seg = f" · {segment}" if segment else ""
        self.heading.setText(
            translate("Wizard", "Guided assessment: {name} ({id}{seg})").format(
                name=name, id=chain_id, seg=seg
            )
        )

    def _changed(self) -> None:
        if self.draft is not None:
            self.draft_dirty = True
            self.autosave.save(self.draft)
        self._update_buttons()

    def restore_draft(self) -> None:
        """Bring back the answers autosaved before a crash or an unsaved close."""
        if self.draft is None:
            return
        payload = self.autosave.find(self.draft.key)
        self.restore_button.setVisible(False)
        if payload is None:
            return
        restore_payload(self.draft, payload)
        for step in self.steps:
            step.set_draft(self.draft)
        self.go(0)

    # --- navigation -------------------------------------------------------------------------

    def current(self) -> int:
        return self.stack.currentIndex()

    def go(self, index: int) -> None:
        if self.draft is None:
            return
        index = max(0, min(index, len(self.steps) - 1))
        self.steps[self.current()].leave()
        if index >= STEP_NAMES.index("result") and self.draft.result_stale:
            self._score()
        self.stack.setCurrentIndex(index)
        self.step_list.blockSignals(True)
        self.step_list.setCurrentRow(index)
        self.step_list.blockSignals(False)
        self.steps[index].enter()
        self._update_heading()
        self._update_buttons()

    def _step_clicked(self, index: int) -> None:
        # Jumping ahead past an unfinished decision is allowed for reading; saving checks it.
        self.go(index)

    def back(self) -> None:
        self.go(self.current() - 1)

    def next(self) -> None:
        problem = self.steps[self.current()].problem()
        if problem:
            self.hint.setText(problem)
            return
        self.go(self.current() + 1)

    def _update_buttons(self) -> None:
        i = self.current()
        self.back_button.setEnabled(self.draft is not None and i > 0)
        last = i == len(self.steps) - 1
        self.next_button.setVisible(not last)
        self.save_button.setVisible(last)
        problem = self.steps[i].problem() if self.draft is not None else None
        busy = self.scoring is not None
        self.next_button.setEnabled(self.draft is not None and not problem and not busy)
        self.save_button.setEnabled(self.draft is not None and not problem and not busy)
        self.hint.setText(problem or "")

    # --- scoring (engine in a worker) -------------------------------------------------------

    def _score(self) -> None:
        """The engine on this draft's one-row copy (a preview; saving scores it for good)."""
        from riskdesk.core.assess import assess_inventory

        draft = self.draft
        assert draft is not None
        inventory = draft.scoring_inventory(self.ws.inventory, self.ws.taxonomy)
        taxonomy, country_risk = self.ws.taxonomy, self.ws.country_risk
        key = draft.key
        if self.scoring is not None:
            self.scoring.cancel()
        op = BackgroundOp(
            self,
            lambda progress, cancel: assess_inventory(
                inventory, taxonomy, country_risk=country_risk, progress=progress, cancel=cancel
            ),
            translate("Wizard", "Scoring {chain}").format(chain=key[0]),
        )
        self.scoring = op
        self.result_step.show_busy()
        op.on_success(lambda run: self._scored(op, draft, run))
        op.on_failure(lambda msg: self._score_failed(op, msg))
        op.on_cancel(lambda: self._score_failed(op, ""))
        op.run()
        self._update_buttons()

    def _scored(self, op: BackgroundOp, draft: AssessmentDraft, run: AssessmentRun) -> None:
        if op is not self.scoring:
            return
        self.scoring = None
        by_key = results_by_key(run)
        draft.result = by_key.get(draft.key) or next(iter(by_key.values()), None)
        draft.result_stale = False
        if draft.measures is None:
            draft.measures = draft.default_measures(self.ws.taxonomy)
        for step in self.steps:
            step.result_ready()
        self.steps[self.current()].enter()
        self._update_buttons()

    def _score_failed(self, op: BackgroundOp, message: str) -> None:
        if op is not self.scoring:
            return
        self.scoring = None
        self._update_buttons()
        if message:
            QMessageBox.warning(self, translate("Wizard", "Scoring failed"), message)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> bool:
        draft = self.draft
        if draft is None:
            return False
        for step in self.steps:
            step.leave()
            problem = step.problem()
            if problem:
                self.hint.setText(problem)
                return False
        self.ws.apply(draft.edits(self.ws), parent=self)
        self.autosave.discard(draft.key)
        self.draft_dirty = False
        self.restore_button.setVisible(False)
        self.hint.setText(translate("Wizard", "Saved. Undo with Ctrl+Z."))
        self.saved.emit(draft.key)
        return True

    def _enter(self) -> None:
        from riskdesk.gui.qt import QApplication, QPlainTextEdit

        if isinstance(QApplication.focusWidget(), QPlainTextEdit):
            return  # a new line in a note, not the next step
        if self.save_button.isVisible():
            self.save()
        else:
            self.next()

    def flush_draft(self) -> None:
        """Write pending typed input now (leaving the page, closing the window)."""
        if self.draft is not None and self.draft_dirty:
            self.autosave.save(self.draft, force=True)

    # --- language ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for i, name in enumerate(STEP_NAMES):
            self.step_list.item(i).setText(step_title(name))
        self.back_button.setText(translate("Wizard", "< Back"))
        self.next_button.setText(translate("Wizard", "Next >"))
        self.save_button.setText(translate("Wizard", "Save assessment"))
        self.restore_button.setText(translate("Wizard", "Restore unsaved answers"))
        for step in self.steps:
            step.retranslate()
        if self.draft is None:
            self._set_enabled(False)
        else:
            self._update_heading()
            self._update_buttons()


__all__ = ["STEP_NAMES", "AssessmentPage", "Outcome", "Status"]
