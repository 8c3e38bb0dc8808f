"""Project files (.rdproj): storage, schema and migrations, audit trail, locking, drafts, rounds.

    with Project.create("portfolio.rdproj") as project:
        project.import_inventory(inventory, "2025")
        project.save_run(assess_inventory(inventory, taxonomy), "2025", taxonomy)
        project.override("2025", "EDA", "destroyed", reason="…")
        project.undo()

See docs/projects.md for the file format, safety guarantees and the API.
"""

from riskdesk.io.project.audit import AuditEntry, AuditVerification
from riskdesk.io.project.errors import ProjectError, ProjectLockedError, ReadOnlyProjectError
from riskdesk.io.project.project import PROJECT_SUFFIX, Project
from riskdesk.io.project.records import AssessmentRecord, ImportSummary, default_user
from riskdesk.io.project.recovery import DEFAULT_AUTOSAVE_INTERVAL_S, DraftAutosaver, Recovery
from riskdesk.io.project.schema import SCHEMA_VERSION
from riskdesk.io.project.store import Draft, ProjectStore, RoundInfo, RunInfo, SqliteStore

__all__ = [
    "DEFAULT_AUTOSAVE_INTERVAL_S",
    "PROJECT_SUFFIX",
    "SCHEMA_VERSION",
    "AssessmentRecord",
    "AuditEntry",
    "AuditVerification",
    "Draft",
    "DraftAutosaver",
    "ImportSummary",
    "Project",
    "ProjectError",
    "ProjectLockedError",
    "ProjectStore",
    "ReadOnlyProjectError",
    "Recovery",
    "RoundInfo",
    "RunInfo",
    "SqliteStore",
    "default_user",
]
