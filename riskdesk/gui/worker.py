"""Long work off the UI thread: one worker pattern for import, scoring and export.

`BackgroundOp(parent, work).on_success(cb).run()` (after Anki's CollectionOp) runs
`work(progress, cancel)` — a core function taking riskdesk's ProgressFn and CancelFn — in a
QRunnable. The worker only emits signals (progress, finished, failed, cancelled); the receiving
slots live on a QObject in the UI thread, so no widget is ever touched from the worker. A progress
dialog with Cancel appears only when the work takes longer than ~600 ms.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from riskdesk.core.progress import CancelFn, Cancelled, ProgressFn
from riskdesk.gui.qt import (
    QObject,
    QProgressDialog,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
    Slot,
    translate,
)

Work = Callable[[ProgressFn, CancelFn], Any]
PROGRESS_DIALOG_DELAY_MS = 600
_PROGRESS_INTERVAL_S = 0.05  # throttle: at most ~20 progress signals a second reach the UI

_POOL: QThreadPool | None = None
_RUNNING: set[BackgroundOp] = set()


def thread_pool() -> QThreadPool:
    """riskdesk's own pool, so tests and shutdown can wait for exactly our workers."""
    global _POOL  # noqa: PLW0603 - one pool per process, like QThreadPool.globalInstance()
    if _POOL is None:
        _POOL = QThreadPool()
        # One worker: with two CPU-bound Python threads the UI thread loses the GIL convoy for
        # hundreds of ms (measured 270 ms at 5,000 rows); with one it gets the GIL every 5 ms.
        _POOL.setMaxThreadCount(1)
    return _POOL


def active_ops() -> int:
    return len(_RUNNING)


def wait_for_workers(timeout_ms: int = 10_000) -> bool:
    return thread_pool().waitForDone(timeout_ms)


def _pause_gc() -> None:
    """No automatic garbage collection while work runs in the background.

    A worker building thousands of result objects triggers full collections that hold the GIL
    for ~200 ms each (measured: 5,000 chains scored, UI heartbeat gaps of 170–210 ms; 80 ms with
    collection off). The UI thread would freeze for that long.
    """
    gc.disable()


def _resume_gc() -> None:
    # What the work left behind is long-lived (results, tables): freeze it so later collections
    # do not rescan it on the UI thread, then collect automatically again.
    gc.freeze()
    gc.enable()


class WorkerSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message, traceback
    cancelled = Signal()


class _Task(QRunnable):
    def __init__(self, work: Work, signals: WorkerSignals, cancel_event: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._cancel = cancel_event
        self._last_emit = 0.0

    def _progress(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_emit >= _PROGRESS_INTERVAL_S:
            self._last_emit = now
            self._signals.progress.emit(float(fraction), message)

    def run(self) -> None:
        try:
            result = self._work(self._progress, self._cancel.is_set)
        except Cancelled:
            self._signals.cancelled.emit()
        except Exception as exc:
            self._signals.failed.emit(f"{type(exc).__name__}: {exc}", traceback.format_exc())
        else:
            if self._cancel.is_set():
                self._signals.cancelled.emit()
            else:
                self._signals.finished.emit(result)


class BackgroundOp(QObject):
    """One piece of long work with its UI: delayed progress dialog, Cancel, result callbacks."""

    progressed = Signal(float, str)
    done = Signal()

    def __init__(self, parent: QWidget | None, work: Work, title: str = "") -> None:
        super().__init__(None)
        self._parent = parent
        self._work = work
        self._title = title
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[str], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._cancel_event = threading.Event()
        self._signals = WorkerSignals()
        self._dialog: QProgressDialog | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)
        self._last = (0.0, "")
        self.finished_ok = False
        self.was_cancelled = False
        self.error: str | None = None

    def on_success(self, callback: Callable[[Any], None]) -> BackgroundOp:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[str], None]) -> BackgroundOp:
        self._failure = callback
        return self

    def on_cancel(self, callback: Callable[[], None]) -> BackgroundOp:
        self._on_cancel = callback
        return self

    def run(self, show_dialog: bool = True) -> BackgroundOp:
        self._signals.progress.connect(self._progress)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)
        if not _RUNNING:
            _pause_gc()
        _RUNNING.add(self)
        if show_dialog and self._parent is not None:
            self._show_timer.start(PROGRESS_DIALOG_DELAY_MS)
        thread_pool().start(_Task(self._work, self._signals, self._cancel_event))
        return self

    def cancel(self) -> None:
        self._cancel_event.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    @Slot()
    def _show_dialog(self) -> None:
        dialog = QProgressDialog(self._parent)
        dialog.setObjectName("progressDialog")
        dialog.setWindowTitle(self._title or translate("Worker", "Working…"))
        dialog.setLabelText(self._last[1] or self._title)
        dialog.setCancelButtonText(translate("Worker", "Cancel"))
        dialog.setRange(0, 1000)
        dialog.setValue(int(self._last[0] * 1000))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self._dialog = dialog

    @Slot(float, str)
    def _progress(self, fraction: float, message: str) -> None:
        self._last = (fraction, message)
        self.progressed.emit(fraction, message)
        if self._dialog is not None:
            self._dialog.setValue(int(fraction * 1000))
            if message:
                self._dialog.setLabelText(message)

    def _close(self) -> None:
        self._show_timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _RUNNING.discard(self)
        if not _RUNNING:
            _resume_gc()
        self.done.emit()

    @Slot(object)
    def _finished(self, result: object) -> None:
        self._close()
        self.finished_ok = True
        if self._success is not None:
            self._success(result)

    @Slot(str, str)
    def _failed(self, message: str, details: str) -> None:
        self._close()
        self.error = message
        if self._failure is not None:
            self._failure(message)

    @Slot()
    def _cancelled(self) -> None:
        self._close()
        self.was_cancelled = True
        if self._on_cancel is not None:
            self._on_cancel()
