"""Recovery after a crash: what the next open reports, and the autosave of unfinished edits.

Committed edits need no recovery (each is its own transaction). What can be lost is an edit
buffer that was never committed — the wizard's answers while the analyst types. The GUI hands
such a buffer to `DraftAutosaver.update` as it changes; it reaches the project's `drafts` table at
most every `interval_s` seconds (the autosave interval setting) and at once on `flush()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from pydantic import BaseModel

from riskdesk.core.models import Lang
from riskdesk.io.project.store import Draft

DEFAULT_AUTOSAVE_INTERVAL_S = 60.0


class DraftSink(Protocol):
    def autosave_draft(self, key: str, payload: str) -> None: ...


class Recovery(BaseModel):
    """What the open found after a session that did not close (crash, kill, power cut)."""

    previous_session: str
    drafts: list[Draft]

    def message(self, lang: Lang = "zh") -> str:
        if lang == "zh":
            return (f"上次会话（{self.previous_session}）未正常关闭；所有已保存的修改均已保留，"
                    f"另有 {len(self.drafts)} 份自动保存的草稿可恢复")
        return (f"The previous session ({self.previous_session}) did not close normally; every "
                f"saved change is kept and {len(self.drafts)} autosaved draft(s) can be recovered")


class DraftAutosaver:
    """Saves a draft at most every `interval_s` seconds (the autosave interval setting); `flush`
    writes the last pending payload at once (on focus loss, before closing)."""

    def __init__(self, project: DraftSink, interval_s: float = DEFAULT_AUTOSAVE_INTERVAL_S,
                 clock: Callable[[], float] | None = None) -> None:
        self.project = project
        self.interval_s = interval_s
        self._clock = clock or time.monotonic
        self._last: dict[str, float] = {}
        self._pending: dict[str, str] = {}

    def update(self, key: str, payload: str) -> bool:
        """Note the buffer's new content; returns True if it was written now."""
        now = float(self._clock())
        self._pending[key] = payload
        last = self._last.get(key)
        if last is None or now - last >= self.interval_s:
            self._write(key, now)
            return True
        return False

    def flush(self) -> None:
        now = float(self._clock())
        for key in list(self._pending):
            self._write(key, now)

    def _write(self, key: str, now: float) -> None:
        self.project.autosave_draft(key, self._pending.pop(key))
        self._last[key] = now

