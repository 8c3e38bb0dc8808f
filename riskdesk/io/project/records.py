"""Small records the project API returns, and who the audit trail names."""

from __future__ import annotations

import getpass
import os

from pydantic import BaseModel


def default_user() -> str:
    """Who the audit trail names: RISKDESK_USER (a configured name) or the OS user."""
    configured = os.environ.get("RISKDESK_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class ImportSummary(BaseModel):
    """What an import did to a round (shown to the analyst and kept in the audit trail)."""

    round: str
    mode: str = "merge"
    chains: int
    values: int
    kept_analyst_values: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    issues: int = 0


class AssessmentRecord(BaseModel):
    """One stored result of a chain: which run, which round, what it concluded."""

    run_id: int
    round: str
    assessed_at: str
    stored_by: str
    taxonomy_sha256: str
    segment: str | None
    primary_type: str
    strategy: str
    type_scores: dict[str, float | None]
