"""The review workflow of a team database in the window (issue 14): Review ▸ Submit for review,
Return to assessor…, Approve, Reopen… on the selected chain.

The PostgreSQL server decides who may take which step (riskdesk.io.team.roles); the window only
offers the steps and says what the server answered, as one sentence in the status bar. The
actions are enabled on a PostgreSQL team database with a chain selected; the chain's review state
is named in the status bar when it is selected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from riskdesk.core.commands import ChainKey
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.gui.qt import QAction, QInputDialog, QObject, QWidget, Signal, translate
from riskdesk.io.project import ProjectError
from riskdesk.session import Change, Session

if TYPE_CHECKING:
    import sqlalchemy as sa

    from riskdesk.gui.main_window import MainWindow
    from riskdesk.io.team.workflow import ReviewStatus

STATUS_MS = 15_000


def _ask_comment(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text.strip() if ok and text.strip() else None


ask_comment: Callable[[QWidget, str, str], str | None] = _ask_comment
"""Asks for the comment a return or a reopening needs (None: cancelled); tests replace it."""


class ReviewActions(QObject):
    """The Review menu of one window."""

    answered = Signal(str)  # what the server said, as shown in the status bar

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.key: ChainKey | None = None
        bar = window.menuBar()
        self.menu = bar.addMenu("")
        self.menu.setObjectName("menuReview")
        bar.removeAction(window.menu_help.menuAction())  # Help stays the last menu
        bar.addAction(window.menu_help.menuAction())
        self.act_submit = self._action("actionReviewSubmit", self.submit)
        self.act_return = self._action("actionReviewReturn", self.return_)
        self.act_approve = self._action("actionReviewApprove", self.approve)
        self.act_reopen = self._action("actionReviewReopen", self.reopen)
        self.answered.connect(lambda text: window.statusBar().showMessage(text, STATUS_MS))
        window.ws.chain_selected.connect(self._select)
        window.ws.session_changed.connect(self._update)
        self._update()

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        act = QAction(self.window)
        act.setObjectName(name)
        act.triggered.connect(lambda _=False: slot())
        self.menu.addAction(act)
        return act

    def retranslate(self) -> None:
        self.menu.setTitle(translate("Review", "&Review"))
        self.act_submit.setText(translate("Review", "Submit for review"))
        self.act_return.setText(translate("Review", "Return to assessor…"))
        self.act_approve.setText(translate("Review", "Approve"))
        self.act_reopen.setText(translate("Review", "Reopen…"))

    # --- state -------------------------------------------------------------------------------

    def engine(self) -> sa.Engine | None:
        """The team database's engine when the window shows a PostgreSQL team database."""
        from riskdesk.io.team.store import TeamStore

        store = self.window.ws.session.project.store
        if isinstance(store, TeamStore) and store.is_postgresql:
            return store.engine
        return None

    def _update(self) -> None:
        on = self.engine() is not None
        self.menu.setEnabled(on)
        for act in (self.act_submit, self.act_return, self.act_approve, self.act_reopen):
            act.setEnabled(on and self.key is not None and self.key[1] is None)

    def _select(self, key: ChainKey | None) -> None:
        self.key = key
        self._update()
        engine = self.engine()
        if engine is None or key is None or key[1] is not None:
            return
        round_name, chain_id = self.window.ws.session.round, key[0]

        def work(_s: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            from riskdesk.io.team import workflow

            state = workflow.status_of(engine, round_name, chain_id)
            if state.status != "draft":  # a draft has nothing to say (and a hold may)
                self.answered.emit(self._state_words(chain_id, state))
            return None

        self.window.ws.submit(work, on_error=lambda message: None)

    def _state_words(self, chain_id: str, state: ReviewStatus) -> str:
        words = {
            "draft": translate("Review", "draft"),
            "submitted": translate("Review", "submitted for review"),
            "returned": translate("Review", "returned to its assessor"),
            "approved": translate("Review", "approved"),
        }.get(state.status, state.status)
        text = translate("Review", "{chain}: {state}").format(chain=chain_id, state=words)
        if state.status == "approved" and state.approved_by:
            text += " " + translate("Review", "by {who}").format(who=state.approved_by)
        if state.status == "returned" and state.comment:
            text += f" — {state.comment}"
        return text

    # --- the steps ---------------------------------------------------------------------------

    def submit(self) -> None:
        self._step("submit")

    def approve(self) -> None:
        self._step("approve")

    def return_(self) -> None:
        comment = ask_comment(
            self.window,
            translate("Review", "Return to assessor"),
            translate("Review", "Why is it returned? (the assessor reads this)"),
        )
        if comment is not None:
            self._step("return", comment)

    def reopen(self) -> None:
        comment = ask_comment(
            self.window,
            translate("Review", "Reopen"),
            translate("Review", "Why is the approved assessment reopened?"),
        )
        if comment is not None:
            self._step("reopen", comment)

    def _step(self, step: str, comment: str | None = None) -> None:
        engine = self.engine()
        if engine is None or self.key is None:
            return
        round_name, chain_id = self.window.ws.session.round, self.key[0]

        lang = self.window.lang()

        def work(session: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            try:
                return take_step(session)
            except ProjectError as exc:  # the server's refusal, in a sentence
                self.answered.emit(exc.message(lang))
                return None

        def take_step(session: Session) -> Change:
            from riskdesk.io.team import workflow

            if step == "submit":
                workflow.submit(engine, round_name, chain_id)
            elif step == "return":
                workflow.return_(engine, round_name, chain_id, comment or "")
            elif step == "approve":
                workflow.approve(engine, round_name, chain_id)
            else:
                workflow.reopen(engine, round_name, chain_id, comment or "")
            state = workflow.status_of(engine, round_name, chain_id)
            self.answered.emit(self._state_words(chain_id, state))
            return session.refresh(frozenset({chain_id}))  # the judgement's status word

        self.window.ws.submit(work, on_error=self.answered.emit)
