"""Concurrent editing on a shared database: stale edits refused, chains held while edited.

Every row an analyst edits in place carries a `version` (tables.py). A store remembers the version
of each row as it last showed it (`VersionBook`); an update names that version and is refused with
`StaleEditError` when another client has changed the row since — nothing is overwritten, and the
user is told who changed it and when. Versions are drawn from the audit sequence (the seq the
writing transaction's first audit entry takes), so they only ever grow and a row never returns to
a version a client once saw with other content.

A chain being edited is *held* (`chain_holds`): who, since when, until when. A hold expires by
itself (a client that dies leaves no permanent mark) and is renewed while the editor stays open.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from riskdesk.io.project.errors import ProjectError

HOLD_SECONDS = 300.0
VersionKey = tuple[str, ...]


class StaleEditError(ProjectError):
    """Another client changed what this edit was based on; nothing was written."""

    def __init__(self, what: str, by: str | None, at: str | None) -> None:
        who_en, who_zh = by or "another user", by or "其他用户"
        when = _short_time(at)
        super().__init__(
            f"{what} was changed by {who_en} at {when}; reload to see the change, then edit again",
            f"{what} 已被 {who_zh} 于 {when} 修改；请重新载入查看后再编辑",
            code="stale_edit",
        )
        self.by = by
        self.at = at


def _short_time(at: str | None) -> str:
    if not at:
        return "…"
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class ChainHold(BaseModel):
    """Who is editing a chain, since when, until when (ISO-8601 UTC)."""

    round: str
    chain_id: str
    held_by: str
    held_at: str
    expires_at: str

    def describe(self, lang: str = "en") -> str:
        until = _short_time(self.expires_at)
        if lang == "zh":
            return f"{self.chain_id} 正由 {self.held_by} 编辑（至 {until}）"
        return f"{self.chain_id} is being edited by {self.held_by} (until {until})"


def hold_times(seconds: float) -> tuple[str, str]:
    now = datetime.now(UTC)
    return (now.isoformat(timespec="microseconds"),
            (now + timedelta(seconds=seconds)).isoformat(timespec="microseconds"))


class VersionBook:
    """The version of each row as this client last read it.

    A read outside a transaction (what the user is shown) records the version; a read inside a
    write transaction only fills a gap (an edit reads the old value just before writing, and that
    read must not make a stale view look fresh). Versions written by a transaction count once it
    commits. `forget` drops a row's entry after a refusal, so the next read (the reload) counts.
    Reading a whole round also records the audit head of that moment: a row that was absent
    then and written later by someone else counts as seen-absent (version 0), so entering a
    value a colleague entered meanwhile is refused too.
    """

    def __init__(self) -> None:
        self._seen: dict[VersionKey, int] = {}
        # (kind, round) → the audit head when the whole round was read: a row absent then and
        # written later (version above it) is also a change this client has not seen
        self._loaded: dict[tuple[str, str], int] = {}
        self._pending: dict[VersionKey, int] = {}
        self._lock = threading.Lock()

    def saw(self, key: VersionKey, version: int, *, in_transaction: bool) -> None:
        with self._lock:
            if in_transaction:
                if key not in self._seen:
                    # absent when its round was read, written since: this client saw nothing
                    loaded = self._loaded.get((key[0], key[1])) if len(key) > 1 else None
                    self._seen[key] = 0 if loaded is not None and version > loaded else version
            else:
                self._seen[key] = version

    def saw_round(self, kind: str, round: str, head: int) -> None:
        with self._lock:
            self._loaded[(kind, round)] = head

    def expected(self, key: VersionKey) -> int | None:
        with self._lock:
            return self._pending.get(key, self._seen.get(key))

    def loaded_at(self, key: VersionKey) -> int | None:
        """The audit head when the row's whole round was read (None: never read whole)."""
        with self._lock:
            return self._loaded.get((key[0], key[1])) if len(key) > 1 else None

    def wrote(self, key: VersionKey, version: int) -> None:
        with self._lock:
            self._pending[key] = version

    def commit(self) -> None:
        with self._lock:
            self._seen.update(self._pending)
            self._pending.clear()

    def rollback(self) -> None:
        with self._lock:
            self._pending.clear()

    def forget(self, key: VersionKey | None = None) -> None:
        with self._lock:
            if key is None:
                self._seen.clear()
                self._loaded.clear()
            else:
                self._seen.pop(key, None)
