"""The window's view of the assessment session: signals for what changed, edits sent off the UI
thread (Anki's CollectionOp over riskdesk.session.Session).

The session is the only edit target and holds all state; the workspace keeps none of its own
beyond what is selected and shown. Every edit, undo, redo, import and re-score runs in the one
background worker (so writes are serialised and the window never waits on SQLite), and the
`Change` it returns says which views to redraw.
"""

from __future__ import annotations

from collections.abc import Callable

from riskdesk.core.commands import ChainKey, Edit, Judgement
from riskdesk.core.effective import EffectiveResult, decided_type
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, Lang, Status
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import CountryRiskList
from riskdesk.gui.qt import QObject, QWidget, Signal
from riskdesk.gui.worker import BackgroundOp
from riskdesk.session import Change, Session

SessionWork = Callable[[Session, ProgressFn, CancelFn], Change | None]


def results_by_key(run: AssessmentRun) -> dict[ChainKey, ChainResult]:
    """Every chain and segment result by its key, for tables over many rows (one pass)."""
    out: dict[ChainKey, ChainResult] = {}
    for chain in run.chains:
        out[(chain.chain_id, chain.segment)] = chain
        for seg in chain.segments:
            out[(seg.chain_id, seg.segment)] = seg
    return out


class Workspace(QObject):
    """The open session as the window sees it."""

    inventory_changed = Signal()
    results_changed = Signal()
    decisions_changed = Signal()
    taxonomy_changed = Signal()
    session_changed = Signal()  # another project is open (new, open, save as, close)
    history_changed = Signal()  # what Undo / Redo would do
    chain_selected = Signal(object)  # ChainKey or None
    edit_failed = Signal(str, str)  # title, message
    busy_changed = Signal(bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.selected: ChainKey | None = None
        self.lang: Lang = "zh"
        self.robustness_op: BackgroundOp | None = None
        self._pending = 0

    # --- what the views read (all from the session) ------------------------------------------

    @property
    def inventory(self) -> Inventory:
        return self.session.inventory

    @property
    def taxonomy(self) -> Taxonomy:
        return self.session.taxonomy

    @property
    def country_risk(self) -> CountryRiskList:
        return self.session.country_risk

    @property
    def run(self) -> AssessmentRun | None:
        return self.session.run

    @property
    def judgements(self) -> dict[ChainKey, Judgement]:
        return self.session.judgements

    @property
    def issues(self) -> list[DataIssue]:
        return self.session.issues

    @property
    def round(self) -> str:
        return self.session.round

    @property
    def analyst(self) -> str:
        return self.session.user

    def result(self, key: ChainKey) -> ChainResult | None:
        return self.session.result(key)

    def judgement(self, key: ChainKey) -> Judgement:
        return self.session.judgement(key)

    def status(self, key: ChainKey) -> Status:
        return self.judgement(key).status.status

    def effective(self, key: ChainKey) -> EffectiveResult | None:
        return self.session.effective(key)

    def effective_outcome(self, key: ChainKey) -> str | None:
        """The classification the analyst stands behind (core rule: decision, else engine)."""
        result = self.result(key)
        if result is None:
            override = self.judgement(key).override
            return None if override is None else str(override.outcome)
        return str(decided_type(result.primary_type, self.judgements.get(key)))

    def select(self, key: ChainKey | None) -> None:
        self.selected = key
        self.chain_selected.emit(key)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    # --- sending work to the session ----------------------------------------------------------

    def submit(self, work: SessionWork, *, parent: QWidget | None = None, title: str = "",
               on_done: Callable[[Change | None], None] | None = None,
               on_error: Callable[[str], None] | None = None) -> BackgroundOp:
        """Run `work(session, progress, cancel)` in the background worker; redraw from the
        Change it returns. A progress dialog appears when `parent` is given and it takes long."""
        session = self.session
        op = BackgroundOp(parent, lambda progress, cancel: work(session, progress, cancel), title)
        self._pending += 1
        self.busy_changed.emit(True)

        def finished(change: object) -> None:
            self._done()
            assert change is None or isinstance(change, Change)
            if session is self.session:
                self.notify(change)
            if on_done is not None:
                on_done(change)

        def failed(message: str) -> None:
            self._done()
            if session is self.session:
                self.notify_all()  # the session reloaded what is on disk
            if on_error is not None:
                on_error(message)
            else:
                self.edit_failed.emit(title, message)

        op.on_success(finished)
        op.on_failure(failed)
        op.on_cancel(self._done)
        return op.run(show_dialog=parent is not None)

    def _done(self) -> None:
        self._pending = max(0, self._pending - 1)
        self.busy_changed.emit(self._pending > 0)

    def apply(self, edit: Edit, *, on_done: Callable[[Change | None], None] | None = None,
              parent: QWidget | None = None) -> BackgroundOp:
        """Send one edit (undoable, audited, saved) to the session."""
        return self.submit(lambda s, _p, _c: s.apply(edit), on_done=on_done, parent=parent,
                           title=edit.label(self.lang))

    def undo(self) -> BackgroundOp:
        return self.submit(lambda s, _p, _c: s.undo())

    def redo(self) -> BackgroundOp:
        return self.submit(lambda s, _p, _c: s.redo())

    def rescore(self, parent: QWidget | None = None, title: str = "") -> BackgroundOp:
        return self.submit(
            lambda s, p, c: s.rescore(robustness=False, progress=p, cancel=c),
            parent=parent, title=title,
        )

    def write_draft(self, key: str, payload: str) -> BackgroundOp:
        """Unfinished input to disk (recovered after a crash); no redraw."""
        def work(session: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            session.autosave_draft(key, payload)
            return None

        return self.submit(work)

    def discard_draft(self, key: str) -> BackgroundOp:
        def work(session: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            session.discard_draft(key)
            return None

        return self.submit(work)

    # --- redrawing ------------------------------------------------------------------------------

    def notify(self, change: Change | None) -> None:
        """Tell the views what changed (None: nothing did, e.g. nothing left to undo)."""
        if change is not None:
            if change.taxonomy:
                self.taxonomy_changed.emit()
            if change.inventory:
                self.inventory_changed.emit()
            if change.decisions:
                self.decisions_changed.emit()
            if change.results:
                self.results_changed.emit()
        self.history_changed.emit()
        if change is not None and change.results and change.chains is None:
            self.measure_robustness()

    def notify_all(self) -> None:
        self.notify(Change(inventory=True, decisions=True, taxonomy=True, results=True,
                           chains=frozenset()))

    def measure_robustness(self) -> None:
        """Robustness of every chain, in the background after a full re-score (slow part)."""
        if not self.session.robustness or self.session.run is None:
            return
        if self.robustness_op is not None:
            self.robustness_op.cancel()

        def done(change: Change | None) -> None:
            self.robustness_op = None

        self.robustness_op = self.submit(
            lambda s, p, c: s.measure_robustness(progress=p, cancel=c), on_done=done,
            on_error=lambda _m: done(None),
        )

    def cancel_background(self) -> None:
        if self.robustness_op is not None:
            self.robustness_op.cancel()

    def replace_session(self, session: Session) -> None:
        """Show another project (the old session is closed by the caller)."""
        self.session = session
        self.selected = None
        self.session_changed.emit()
        self.notify_all()
        if self.session.run is not None and any(
            c.robustness is None for c in self.session.run.chains
        ):
            self.measure_robustness()
