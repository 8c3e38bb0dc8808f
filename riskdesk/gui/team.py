"""File ▸ Connect to team database…, and keeping a team session current.

The window connects to a team database by libpq service name or URL (never with a password: the
dialog refuses one, and only a password-free address is remembered). While a team session is
shown, a background thread LISTENs on `riskdesk_changes`; a colleague's commit names the chains
it changed, and the session is reloaded from the server (in the worker, like every edit) so the
views redraw without a restart. Selecting a chain holds it (others see who is editing it); a
chain a colleague holds is said in the status bar.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from riskdesk.core.commands import ChainKey
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.gui.qt import (
    QAction,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QObject,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from riskdesk.io.team.access import ALL_CHAINS, CHANNEL
from riskdesk.io.team.connect import has_password, libpq_address, redact
from riskdesk.session import Change, Session

if TYPE_CHECKING:
    from riskdesk.gui.main_window import MainWindow

REFRESH_DELAY_MS = 300  # a burst of commits (an import) becomes one reload
RECONNECT_SECONDS = 5.0


class ConnectDialog(QDialog):
    """Ask for a team database: a service name or a URL without a password."""

    def __init__(self, parent: QWidget | None, address: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("connectTeamDialog")
        self.setWindowTitle(translate("Team", "Connect to team database"))
        layout = QVBoxLayout(self)
        explain = QLabel(translate(
            "Team", "Service name (from the libpq service file) or address such as "
                    "postgresql://analyst@server/riskdesk. The password comes from your "
                    "password file (PGPASSFILE or ~/.pgpass); do not type it here."))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.edit = QLineEdit(address)
        self.edit.setObjectName("teamAddress")
        self.edit.setPlaceholderText("riskdesk  |  postgresql://analyst@server/riskdesk")
        layout.addWidget(self.edit)
        self.problem = QLabel("")
        self.problem.setObjectName("teamAddressProblem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def address(self) -> str:
        return self.edit.text().strip()

    def accept(self) -> None:
        address = self.address()
        if not address:
            self.problem.setText(translate("Team", "Enter a service name or an address."))
            return
        if has_password(address):
            self.problem.setText(translate(
                "Team", "This address contains a password. riskdesk never stores passwords: "
                        "put it in your password file and enter the address without it."))
            self.edit.setText(redact(address))
            return
        super().accept()


class ChangeListener(QObject):
    """LISTEN riskdesk_changes on a thread of its own; `changed` carries a chain id ('*': many)
    and the server process that committed it."""

    changed = Signal(str, int)

    def __init__(self, dsn: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dsn = dsn
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="riskdesk-listen",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _listen(self) -> None:
        import psycopg

        reconnected = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    if reconnected:  # notices sent while we were away are lost: read it all
                        self.changed.emit(ALL_CHAINS, 0)
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self.changed.emit(note.payload, note.pid)
            except psycopg.Error:
                # the server went away (edits say so meanwhile): try again in a while
                self._ready.set()
                reconnected = True
                self._stop.wait(RECONNECT_SECONDS)


class TeamConnection(QObject):
    """The team side of one window: the Connect action, the listener, chain holds."""

    held_by_other = Signal(str)  # "C0 is being edited by 李四 (until …)"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.listener: ChangeListener | None = None
        self.pending: set[str] = set()
        self.act_connect = QAction(window)
        self.act_connect.setObjectName("actionConnectTeam")
        self.act_connect.triggered.connect(self.connect_dialog)
        window.menu_file.insertAction(window.menu_recent.menuAction(), self.act_connect)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.timeout.connect(self.refresh)
        window.ws.session_changed.connect(self.follow_session)
        window.ws.chain_selected.connect(self.hold)
        self.held_by_other.connect(lambda text: window.statusBar().showMessage(text, 10000))
        self.follow_session()

    def retranslate(self) -> None:
        self.act_connect.setText(translate("Team", "Connect to team database…"))

    # --- connecting -------------------------------------------------------------------------

    def connect_dialog(self) -> None:
        remembered = self.window.settings.team_address
        dialog = ConnectDialog(self.window, remembered)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.connect_to(dialog.address())

    def connect_to(self, address: str) -> None:
        self.window.settings.team_address = address  # refuses an address with a password
        files = self.window.files
        if not files.confirm_leave():
            return
        files.baseline_edits = 0
        files._switch(lambda: Session.connect(address), discard_old=files._discardable(),
                      title=translate("Team", "Connecting"))

    # --- keeping the session current ----------------------------------------------------------

    def follow_session(self) -> None:
        """Listen to the shown session's team database (stop listening to the previous one)."""
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        project = self.window.ws.session.project
        if not project.is_team:
            return
        from riskdesk.io.team.store import TeamStore

        store = project.store
        if isinstance(store, TeamStore) and store.is_postgresql:
            self.listener = ChangeListener(libpq_address(store.address), self)
            self.listener.changed.connect(self._changed)
            self.listener.start()

    def _changed(self, chain_id: str, backend: int) -> None:
        store = self.window.ws.session.project.store
        if backend in getattr(store, "own_backends", ()):
            return  # our own commit: the session has it already
        self.pending.add(chain_id)
        self.refresh_timer.start(REFRESH_DELAY_MS)

    def refresh(self) -> None:
        """Reload the session from the server for the chains colleagues changed."""
        chains, self.pending = set(self.pending), set()
        if not chains:
            return

        def work(session: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            return session.refresh(None if ALL_CHAINS in chains else frozenset(chains))

        self.window.ws.submit(work)

    # --- holds ---------------------------------------------------------------------------------

    def hold(self, key: ChainKey | None) -> None:
        """Hold the chain selected for editing; say so when a colleague holds it."""
        session = self.window.ws.session
        if key is None or not session.project.is_team:
            return
        from riskdesk.io.team.store import TeamStore

        store = session.project.store
        if not isinstance(store, TeamStore):
            return
        round_name, chain_id = session.round, key[0]

        def work(_s: Session, _p: ProgressFn, _c: CancelFn) -> Change | None:
            held = store.hold_chain(round_name, chain_id)
            if held.held_by != store.user:
                self.held_by_other.emit(held.describe(self.window.lang()))
            return None

        self.window.ws.submit(work, on_error=lambda message: None)

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
