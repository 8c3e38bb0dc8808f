"""File ▸ New / Open / Save / Save As / Close, quitting, and recovering unnamed work after a crash.

Every session is a project: work without a name lives in an autosaved project in the data folder
(riskdesk.session.places), so nothing is lost to a quit or a kill. The analyst is asked only where
a choice is needed — quitting or closing an unnamed project with edits of its own.
Opening and creating project files happens in the background worker, never on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.gui.ask import ask
from riskdesk.gui.qt import QFileDialog, QMessageBox, QObject, Signal, translate
from riskdesk.gui.worker import BackgroundOp
from riskdesk.io.project import PROJECT_SUFFIX, ProjectError
from riskdesk.session import Session
from riskdesk.session.places import orphaned_untitled, remove_project_file

if TYPE_CHECKING:
    from riskdesk.gui.main_window import MainWindow


def error_text(exc_message: str) -> str:
    return exc_message.split(": ", 1)[1] if exc_message.startswith("ProjectError: ") else (
        exc_message
    )


class ProjectFiles(QObject):
    """The project lifecycle of one window."""

    opened = Signal(str)  # path of the project now shown

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.baseline_edits = 0  # edits an unnamed project started with (the demo's import)
        self.op: BackgroundOp | None = None

    @property
    def ws(self):  # type: ignore[no-untyped-def]  # the window's Workspace
        return self.window.ws

    # --- state ----------------------------------------------------------------------------------

    def needs_saving(self) -> bool:
        """An unnamed project holding edits the analyst made (not just what it started with)."""
        session: Session = self.ws.session
        return session.is_untitled and session.edit_count() > self.baseline_edits

    def title(self) -> str:
        session: Session = self.ws.session
        if session.is_untitled:
            return translate("Files", "Untitled")
        return session.path.name

    # --- switching sessions (in the worker) -------------------------------------------------------

    def _switch(self, make: Callable[[], Session], *, discard_old: bool = False,
                after: Callable[[Session], None] | None = None, title: str = "") -> BackgroundOp:
        old: Session = self.ws.session
        self.ws.cancel_background()

        def work(_progress: ProgressFn, _cancel: CancelFn) -> Session:
            new = make()
            old.close(discard=discard_old)
            return new

        def done(result: object) -> None:
            assert isinstance(result, Session)
            self.op = None
            self.ws.replace_session(result)
            self.opened.emit(str(result.path))
            if after is not None:
                after(result)

        def failed(message: str) -> None:
            self.op = None
            QMessageBox.warning(self.window, translate("Files", "Cannot open the project"),
                                error_text(message))

        op = BackgroundOp(self.window, work, title or translate("Files", "Opening"))
        op.on_success(done)
        op.on_failure(failed)
        self.op = op
        return op.run()

    def new_project(self, after: Callable[[Session], None] | None = None) -> BackgroundOp | None:
        if not self.confirm_leave():
            return None
        user = self.ws.session.user
        self.baseline_edits = 0
        return self._switch(lambda: Session.untitled(user), discard_old=self._discardable(),
                            after=after)

    def open_path(self, path: Path, *, take_over_lock: bool = False,
                  after: Callable[[Session], None] | None = None) -> BackgroundOp | None:
        """Open a project; the one already shown just stays (a window never locks itself
        out of its own project)."""
        if path.resolve() == self.ws.session.path.resolve():
            return None
        if not self.confirm_leave():
            return None
        user = self.ws.session.user
        self.baseline_edits = 0
        return self._switch(
            lambda: Session.open(path, user, take_over_lock=take_over_lock),
            discard_old=self._discardable(), after=after,
        )

    def _discardable(self) -> bool:
        """An unnamed project left without edits of the analyst's own is not worth keeping."""
        return self.ws.session.is_untitled and not self.needs_saving()

    def confirm_leave(self) -> bool:
        """Ask before an unnamed project with edits is closed: save, don't save, or cancel."""
        if not self.needs_saving():
            return True
        box = QMessageBox(self.window)
        box.setObjectName("saveChangesBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("Files", "Unsaved project"))
        box.setText(translate("Files", "This project has no file name yet. Save it before "
                                       "closing?"))
        box.setInformativeText(translate(
            "Files", "If you do not save it, its edits are deleted."))
        save = box.addButton(translate("Files", "Save…"), QMessageBox.ButtonRole.AcceptRole)
        save.setObjectName("saveChangesSave")
        discard = box.addButton(translate("Files", "Don't save"),
                                QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("saveChangesDiscard")
        box.addButton(translate("Files", "Cancel"),
                      QMessageBox.ButtonRole.RejectRole).setObjectName("saveChangesCancel")
        box.setDefaultButton(save)
        clicked = ask(box)
        if clicked == "saveChangesSave":
            path = self.ask_save_path()
            if path is None:
                return False
            return self.save_as_now(path)
        if clicked == "saveChangesDiscard":
            self.baseline_edits = self.ws.session.edit_count()  # the edits go with the file
            return True
        return False

    # --- saving -------------------------------------------------------------------------------

    def ask_save_path(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, translate("Files", "Save project as"), "",
            translate("Files", "riskdesk projects") + f" (*{PROJECT_SUFFIX})",
        )
        if not path:
            return None
        return Path(path if path.endswith(PROJECT_SUFFIX) else path + PROJECT_SUFFIX)

    def save(self) -> None:
        """Ctrl+S: an unnamed project asks for a name; a named one is saved already (every edit
        is written as it is made), which the status bar says."""
        if self.ws.session.is_untitled:
            path = self.ask_save_path()
            if path is not None:
                self.save_as(path)
            return
        self.window.statusBar().showMessage(
            translate("Files", "All changes are saved in {path}.").format(
                path=self.ws.session.path), 5000)

    def save_as_dialog(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            self.save_as(path)

    def save_as(self, path: Path, after: Callable[[], None] | None = None) -> BackgroundOp:
        if path.exists() and path.resolve() != self.ws.session.path.resolve():
            # The file dialog asked to overwrite; a project another riskdesk holds is refused
            # by its lock when it is opened, so only an unlocked file is replaced.
            remove_project_file(path)
        session: Session = self.ws.session

        def work(_p: ProgressFn, _c: CancelFn) -> None:
            session.save_as(path)

        def done(_result: object) -> None:
            self.baseline_edits = 0
            self.ws.session_changed.emit()
            self.opened.emit(str(path))
            if after is not None:
                after()

        op = BackgroundOp(self.window, work, translate("Files", "Saving"))
        op.on_success(done)
        def failed(message: str) -> None:
            QMessageBox.warning(self.window, translate("Files", "Cannot save the project"),
                                error_text(message))

        op.on_failure(failed)
        return op.run()

    def save_as_now(self, path: Path) -> bool:
        """Save and wait (used while closing, where the answer decides what happens next)."""
        op = self.save_as(path)
        from riskdesk.gui.qt import QApplication
        from riskdesk.gui.worker import wait_for_workers

        wait_for_workers(60_000)
        QApplication.processEvents()
        return op.finished_ok

    def close_project(self) -> BackgroundOp | None:
        """File ▸ Close: an empty unnamed project takes its place."""
        return self.new_project()

    def _opened_at_start(self) -> None:
        """The project named on the command line was opened before the window existed."""
        self.opened.emit(str(self.ws.session.path))

    # --- recovery of unnamed work after a crash -------------------------------------------------

    def offer_recovery(self, confirm: bool = True) -> bool:
        """Unnamed projects left by a crash or a kill: offer the newest back. Returns whether
        one is being opened."""
        orphans = [p for p in orphaned_untitled() if p != self.ws.session.path]
        if not orphans:
            return False
        path = orphans[0]
        if confirm:
            when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            box = QMessageBox(self.window)
            box.setObjectName("recoverBox")
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(translate("Files", "Recover unsaved work"))
            box.setText(translate(
                "Files", "riskdesk did not close normally. Work without a file name, last "
                         "changed {when}, was kept. Recover it?").format(when=when))
            recover = box.addButton(translate("Files", "Recover"),
                                    QMessageBox.ButtonRole.AcceptRole)
            recover.setObjectName("recoverYes")
            box.addButton(translate("Files", "Discard it"),
                          QMessageBox.ButtonRole.DestructiveRole).setObjectName("recoverDiscard")
            box.addButton(translate("Files", "Not now"),
                          QMessageBox.ButtonRole.RejectRole).setObjectName("recoverLater")
            box.setDefaultButton(recover)
            clicked = ask(box)
            if clicked == "recoverDiscard":
                remove_project_file(path)
                return False
            if clicked != "recoverYes":
                return False
        self.recover(path)
        return True

    def recover(self, path: Path) -> BackgroundOp:
        user = self.ws.session.user
        discard = self._discardable()

        def make() -> Session:
            try:
                return Session.open(path, user, take_over_lock=True)
            except ProjectError:
                raise

        return self._switch(make, discard_old=discard, title=translate("Files", "Recovering"))
