"""Autosave of the guided assessment's unfinished answers (SPEC §8: a crash loses nothing).

With a project open, drafts go into the project (`Project.autosave_draft`, transactional); without
one, into `<data dir>/autosave/` as JSON written to a temporary file and renamed. Writes are
throttled; saving the assessment discards its draft.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

from riskdesk.core.commands import SelectedMeasure
from riskdesk.core.inventory import ChainKey
from riskdesk.core.models import Outcome, Status
from riskdesk.gui.draft import Answer, AssessmentDraft, EnteredValue
from riskdesk.gui.settings import data_dir
from riskdesk.gui.workspace import Workspace
from riskdesk.io.project import Project

AUTOSAVE_INTERVAL_S = 2.0
_SAFE = re.compile(r"[^\w\-]+")


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
    draft.status = Status(data.get("status", Status.ASSESSED.value))
    draft.result_stale = True


class DraftAutosave:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._last_write = 0.0
        self._pending: tuple[str, str] | None = None

    def _dir(self) -> Path:
        path = data_dir() / "autosave"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _file(self, key: str) -> Path:
        return self._dir() / (_SAFE.sub("_", key) + ".json")

    def save(self, draft: AssessmentDraft, force: bool = False) -> bool:
        """Autosave now if the interval has passed (or `force`); returns whether it wrote."""
        key = draft_key(draft.key, self.ws.round)
        self._pending = (key, draft_payload(draft))
        now = time.monotonic()
        if not force and now - self._last_write < AUTOSAVE_INTERVAL_S:
            return False
        return self.flush()

    def flush(self) -> bool:
        if self._pending is None:
            return False
        key, payload = self._pending
        self._pending = None
        self._last_write = time.monotonic()
        project = self.ws.store
        if isinstance(project, Project) and not project.read_only:
            project.autosave_draft(key, payload)
        else:
            target = self._file(key)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(payload, encoding="utf-8")
            tmp.replace(target)
        return True

    def find(self, key: ChainKey) -> str | None:
        name = draft_key(key, self.ws.round)
        project = self.ws.store
        if isinstance(project, Project):
            return next((d.payload for d in project.recovered_drafts() if d.key == name), None)
        path = self._file(name)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def discard(self, key: ChainKey) -> None:
        name = draft_key(key, self.ws.round)
        if self._pending is not None and self._pending[0] == name:
            self._pending = None
        project = self.ws.store
        if isinstance(project, Project) and not project.read_only:
            project.discard_draft(name)
        self._file(name).unlink(missing_ok=True)
