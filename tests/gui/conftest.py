"""GUI test set-up: offscreen Qt before any QApplication, settings in tmp_path, no leftover threads."""

from __future__ import annotations

import os

# Without a display Qt aborts the whole process; this must happen before QApplication exists.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from riskdesk.gui.app import DEMO_INVENTORY, Session, start_session
from riskdesk.gui.qt import QThreadPool
from riskdesk.gui.worker import active_ops, thread_pool, wait_for_workers

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, autosave and profiles go to tmp_path, never the developer's real config."""
    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


class Answers:
    """What a test's analyst answers to modal questions: box object name → button object name.

    A question nobody planned for fails the test with its text instead of blocking it."""

    DEFAULTS: ClassVar[dict[str, str]] = {"saveChangesBox": "saveChangesDiscard", "recoverBox": "recoverLater",
                "importModeBox": "importReplace"}

    def __init__(self) -> None:
        self.planned: dict[str, str] = dict(self.DEFAULTS)
        self.asked: list[str] = []

    def __call__(self, box: object) -> str:
        name = box.objectName()  # type: ignore[attr-defined]
        self.asked.append(name)
        if name not in self.planned:
            raise AssertionError(f"unexpected question {name!r}: {box.text()}")  # type: ignore[attr-defined]
        return self.planned[name]


@pytest.fixture(autouse=True)
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Modal questions answered by the test (see riskdesk.gui.ask)."""
    from riskdesk.gui import ask

    plan = Answers()
    monkeypatch.setattr(ask, "answer", plan)
    return plan


@pytest.fixture(autouse=True)
def no_thread_left(qapp: object) -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    assert wait_for_workers(10_000), "a worker is still running after the test"
    assert thread_pool().activeThreadCount() == 0
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert active_ops() == 0, "a background operation never reported back"
    # Idle QThreadPool threads show up as threading._DummyThread; the pool counts checked above
    # prove they are not working. Any Python-started thread must be gone.
    leftover = [
        t
        for t in threading.enumerate()
        if t.ident not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
    ]
    assert not leftover, f"threads left running: {[t.name for t in leftover]}"
    children = multiprocessing.active_children()
    assert not children, f"child processes left running: {children}"


def settle_ops(qtbot: object, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=timeout)  # type: ignore[attr-defined]


@pytest.fixture
def session(qtbot: object) -> Iterator[Session]:
    """The main window in English with the demo imported and scored."""
    assert DEMO_INVENTORY.exists()
    s = start_session("en", demo=True)
    window = s.window
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: s.workspace.run is not None, timeout=30_000)  # type: ignore[attr-defined]
    settle_ops(qtbot)
    yield s
    window.close()  # type: ignore[attr-defined]
    settle_ops(qtbot)
