"""Progress reporting and cancellation for long work (Orange3's callback model).

A long core function takes `progress: ProgressFn | None` (fraction 0–1 and a short message) and
`cancel: CancelFn | None` (returns True when the user asked to stop). It calls `checkpoint()` at
safe points, which raises `Cancelled`. The CLI drives a text bar, the GUI a worker's signals.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):  # noqa: N818 - reads as what happened: the work was cancelled
    """The user cancelled; nothing half-done was kept."""


def checkpoint(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled


def report(progress: ProgressFn | None, fraction: float, message: str = "") -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)), message)


def sub_progress(progress: ProgressFn | None, start: float, end: float) -> ProgressFn | None:
    """Map a nested step's 0–1 onto [start, end] of the parent (Orange3's wrap_callback)."""
    if progress is None:
        return None
    parent = progress

    def nested(fraction: float, message: str) -> None:
        parent(start + (end - start) * min(1.0, max(0.0, fraction)), message)

    return nested
