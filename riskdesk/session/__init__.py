"""The assessment session: the single edit target over a project (SPEC §11, "the analyst's
record"). See riskdesk.session.session."""

from riskdesk.session.session import DEFAULT_ROUND, Change, Session

__all__ = ["DEFAULT_ROUND", "Change", "Session"]
