"""Start-up: QApplication, CJK font, language, the main window, the first project; screenshots.

`run_gui(...)` is what `riskdesk gui` calls. With a screenshot path it renders offscreen when no
display is available, waits until loading and scoring have finished, saves the picture, exits.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from riskdesk.core.models import Lang
from riskdesk.core.paths import DEMO_INVENTORY
from riskdesk.gui.i18n import LanguageSwitcher, install_cjk_font
from riskdesk.gui.qt import QApplication, QTimer
from riskdesk.gui.settings import AppSettings
from riskdesk.gui.worker import active_ops, wait_for_workers
from riskdesk.gui.workspace import Workspace
from riskdesk.io.project import ProjectError
from riskdesk.session import Session as AssessmentSession

if TYPE_CHECKING:
    from riskdesk.gui.main_window import MainWindow

PROJECT_SUFFIX = ".rdproj"


class StartupError(Exception):
    """What the window cannot open, in one sentence."""


@dataclass
class Session:
    app: QApplication
    window: MainWindow  # imported lazily so `riskdesk --help` stays fast
    workspace: Workspace
    languages: LanguageSwitcher


def ensure_platform() -> None:
    """Without a display Qt aborts the process; fall back to offscreen before QApplication exists."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def application() -> QApplication:
    ensure_platform()
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("riskdesk")
        app.setOrganizationName("riskdesk")
    assert isinstance(app, QApplication)
    return app


def first_session(open_path: Path | None, user: str | None,
                  db: str | None = None) -> AssessmentSession:
    """The project the window opens with: the team database or the file asked for, else a new
    unnamed one. A project that cannot be opened ends the start with one sentence (no dialog,
    so `gui P.rdproj --screenshot` never hangs on a damaged file)."""
    if db is not None:
        try:
            return AssessmentSession.connect(db)  # the audit trail names the database login
        except ProjectError as exc:
            raise StartupError(exc.message("en") + " / " + exc.message("zh")) from None
    if open_path is not None and open_path.suffix.lower() == PROJECT_SUFFIX:
        if not open_path.exists():
            raise StartupError(f"{open_path}: no such file")
        try:
            return AssessmentSession.open(open_path, user)
        except ProjectError as exc:
            raise StartupError(exc.message("en") + " / " + exc.message("zh")) from None
    return AssessmentSession.untitled(user)


def start_session(
    lang: Lang | None = None, open_path: Path | None = None, demo: bool | None = None,
    recover: bool = True, db: str | None = None,
) -> Session:
    """Build the window (shown by the caller) and start loading what it should open."""
    app = application()
    family = install_cjk_font(app)
    _matplotlib_font()
    settings = AppSettings()
    languages = LanguageSwitcher(app)
    languages.install(lang or settings.language)  # type: ignore[arg-type]
    from riskdesk.gui.main_window import MainWindow

    if open_path is not None and not open_path.exists():
        raise StartupError(f"{open_path}: no such file")
    workspace = Workspace(first_session(open_path, settings.analyst or None, db))
    window = MainWindow(workspace, languages, settings)
    window.setProperty("cjkFamily", family or "")
    geometry, state = settings.window_state()
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restoreState(state)
    if db is not None:
        window.files._opened_at_start()
    elif open_path is not None:
        if open_path.suffix.lower() == PROJECT_SUFFIX:
            window.files._opened_at_start()
        else:
            window.import_file(open_path)
    elif demo is not False:
        # Work left by a crash first; then the last project; else (first start) the demo, so
        # there is work to see.
        recent = [Path(p) for p in settings.recent_projects()]
        last = next(
            (p for p in recent if p.suffix.lower() == PROJECT_SUFFIX and p.is_file()), None
        )
        recovering = recover and not demo and window.files.offer_recovery()
        reopened = (not recovering and last is not None and not demo
                    and window.open_project(last) is not None)
        if not (recovering or reopened) and DEMO_INVENTORY.exists():
            window.load_demo(DEMO_INVENTORY)
    settings.mark_started()
    return Session(app, window, workspace, languages)


def _matplotlib_font() -> None:
    from riskdesk.gui.i18n import cjk_font_file

    path = cjk_font_file()
    if path is not None:
        from riskdesk.charts import use_font

        use_font(path)


def settle(app: QApplication, timeout_s: float = 60.0) -> None:
    """Process events until no background work is left (loading, scoring)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if active_ops() == 0:
            app.processEvents()
            if active_ops() == 0:
                return
        time.sleep(0.01)


def screenshot(
    session: Session, path: Path, page: str | None = None, size: tuple[int, int] = (1360, 860)
) -> Path:
    window = session.window
    window.resize(*size)
    window.show()
    settle(session.app)
    if page:
        window.show_page(page)
        window.prepare_screenshot(page)
        settle(session.app)
    for _ in range(5):
        session.app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    pixmap = window.grab()
    if not pixmap.save(str(path)):
        raise StartupError(f"{path}: cannot write the screenshot")
    return path


def run_gui(
    project: Path | None = None,
    *,
    screenshot_path: Path | None = None,
    lang: Lang | None = None,
    page: str | None = None,
    db: str | None = None,
) -> int:
    session = start_session(
        lang, project, demo=True if screenshot_path is not None and project is None else None,
        recover=screenshot_path is None and db is None, db=db,
    )
    if screenshot_path is not None:
        screenshot(session, screenshot_path, page)
        session.window.force_close = True
        session.window.close()
        wait_for_workers()
        return 0
    session.window.show()
    if page:
        QTimer.singleShot(0, lambda: session.window.show_page(page))
    return int(session.app.exec())
