"""Autosave of the guided assessment's unfinished answers (SPEC §8: a crash loses nothing).

Every session is a project, so drafts go into it (transactional, through the background worker).
What the analyst types reaches disk about a second after the last keystroke (and at once when a
step is left or the window closes); the next open offers it back. Saving the assessment discards
its draft.
"""

from __future__ import annotations

import json
import math
from typing import Any

from riskdesk.core.commands import SelectedMeasure
from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Outcome, Status
from riskdesk.gui.draft import Answer, AssessmentDraft, EnteredValue
from riskdesk.gui.qt import QObject, QTimer
from riskdesk.gui.workspace import Workspace

AUTOSAVE_DELAY_S = 1.0  # after the last keystroke: on disk well within the 2 s SPEC allows


def draft_key(key: ChainKey, round_name: str) -> str:
    return f"wizard:{round_name}:{key[0]}:{key[1] or ''}"


def draft_payload(draft: AssessmentDraft) -> str:
    def plain(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):  # missing stays missing
            return None
        return value

    data: dict[str, Any] = {
        "profile": {k: plain(v) for k, v in draft.profile.items()},
        "entered": {k: [e.value, e.evidence, e.year] for k, e in draft.entered.items()},
        "answers": {k: [a.level, a.evidence] for k, a in draft.answers.items()},
        "accepted": draft.accepted,
        "override_outcome": draft.override_outcome.value if draft.override_outcome else None,
        "override_reason": draft.override_reason,
        "measures": None
        if draft.measures is None
        else [m.model_dump(mode="json") for m in draft.measures],
        "note": draft.note,
        "status": draft.status.value,
    }
    return json.dumps(data, ensure_ascii=False)


def restore_payload(draft: AssessmentDraft, payload: str) -> None:
    """Put autosaved answers back into a freshly started draft (the result is scored again)."""
    data = json.loads(payload)
    draft.profile.update(data.get("profile", {}))
    draft.entered = {k: EnteredValue(v[0], v[1], v[2]) for k, v in data.get("entered", {}).items()}
    draft.answers = {k: Answer(v[0], v[1]) for k, v in data.get("answers", {}).items()}
    draft.accepted = bool(data.get("accepted", True))
    outcome = data.get("override_outcome")
    draft.override_outcome = Outcome(outcome) if outcome else None
    draft.override_reason = data.get("override_reason", "")
    measures = data.get("measures")
    draft.measures = None if measures is None else [SelectedMeasure(**m) for m in measures]
    draft.note = data.get("note", "")
    draft.status = Status.parse(data.get("status", Status.DRAFT.value))
    draft.result_stale = True


class DraftAutosave:
    """Debounced draft writes: `save` (re)starts a short timer; its end or `flush` writes."""

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        self.ws = ws
        self._pending: tuple[str, str] | None = None
        # Drafts handed to the worker but perhaps not yet on disk (None: discarded).
        self._sent: dict[str, str | None] = {}
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(AUTOSAVE_DELAY_S * 1000))
        self._timer.timeout.connect(self.flush)
        ws.session_changed.connect(self._sent.clear)  # save-as keeps drafts on disk; reread

    def save(self, draft: AssessmentDraft, force: bool = False) -> bool:
        """Note the draft's new content; it is written after a quiet second (now if `force`)."""
        self._pending = (draft_key(draft.key, self.ws.round), draft_payload(draft))
        if force:
            return self.flush()
        self._timer.start()
        return False

    def flush(self) -> bool:
        self._timer.stop()
        if self._pending is None or self.ws.session.read_only:
            return False
        key, payload = self._pending
        self._pending = None
        self._sent[key] = payload
        self.ws.write_draft(key, payload)
        return True

    def find(self, key: ChainKey) -> str | None:
        name = draft_key(key, self.ws.round)
        if self._pending is not None and self._pending[0] == name:
            return self._pending[1]
        if name in self._sent:
            return self._sent[name]
        return self.ws.session.drafts().get(name)

    def discard(self, key: ChainKey) -> None:
        name = draft_key(key, self.ws.round)
        if self._pending is not None and self._pending[0] == name:
            self._pending = None
            self._timer.stop()
        self._sent[name] = None
        if not self.ws.session.read_only:
            self.ws.discard_draft(name)
