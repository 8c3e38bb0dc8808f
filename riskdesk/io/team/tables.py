"""The team database's tables: the .rdproj schema (schema.py) in SQLAlchemy Core, for both dialects.

Same tables and columns as the SQLite project (so push/pull copy rows one to one and the audit
hashes stay valid), with portable types: JSON is kept as text exactly as the SQLite store writes it
(the audit trail hashes that text), times are ISO-8601 text as in the file. SQLite's json_valid()
checks have no portable form and are left out; the CHECKs that carry meaning (an override needs a
written reason, the status words, 0/1 flags) stay.

Team additions, for concurrent editing without lost updates:

* `version`, `updated_by`, `updated_at` on every row an analyst edits in place (chains — whose
  `profile` holds the profile fields —, indicator_values, judgements): an update names the version
  it read and is refused when the row has moved on (see store.py, StaleEditError);
* `chain_holds`: who is editing which chain, until when (a lease that expires by itself).

Table and column names are a contract with the roles/workflow layer and with the migrations in
riskdesk/io/team/migrations: do not rename them; add a migration revision for any change.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

# Named constraints so Alembic batch mode (SQLite) and PostgreSQL agree on their names.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

_FLAG = "IN (0, 1)"
STATUS_WORDS = ("draft", "submitted", "returned", "approved")


def _flag(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False, server_default="0")


def _versioned() -> list[Column[object]]:
    """The optimistic-concurrency columns of an editable row."""
    return [
        Column("version", Integer, nullable=False, server_default="1"),
        Column("updated_by", Text),
        Column("updated_at", Text),
    ]


meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

rounds = Table(
    "rounds", metadata,
    Column("name", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("carried_from", Text, ForeignKey("rounds.name")),
    Column("input_path", Text),
    Column("input_sha256", Text),
    CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
)

chains = Table(
    "chains", metadata,
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("position", Integer, nullable=False),
    Column("profile", Text, nullable=False),
    _flag("carried_over"),
    *_versioned(),
    PrimaryKeyConstraint("round", "chain_id", "segment"),
    CheckConstraint("length(chain_id) > 0", name="chain_id_not_empty"),
    CheckConstraint(f"carried_over {_FLAG}", name="carried_over_flag"),
)

indicator_values = Table(
    "indicator_values", metadata,
    Column("round", Text, nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("indicator", Text, nullable=False),
    Column("value", Double),
    Column("unit", Text),
    Column("year", Integer),
    Column("provenance", Text, nullable=False),
    _flag("carried_over"),
    *_versioned(),
    PrimaryKeyConstraint("round", "chain_id", "segment", "indicator"),
    ForeignKeyConstraint(["round", "chain_id", "segment"],
                         ["chains.round", "chains.chain_id", "chains.segment"],
                         ondelete="CASCADE"),
    CheckConstraint(f"carried_over {_FLAG}", name="carried_over_flag"),
)

judgements = Table(
    "judgements", metadata,
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("override_decision", Text),
    Column("override_outcome", Text),
    Column("override_reason", Text),
    Column("override_by", Text),
    Column("override_at", Text),
    Column("status", Text, nullable=False, server_default="draft"),
    Column("status_by", Text),
    Column("status_at", Text),
    Column("measures", Text),
    Column("note", Text),
    _flag("carried_over"),
    *_versioned(),
    PrimaryKeyConstraint("round", "chain_id", "segment"),
    CheckConstraint("override_decision IS NULL OR override_decision IN ('accepted', 'overridden')",
                    name="override_decision_word"),
    CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUS_WORDS) + ")",
                    name="status_word"),
    # an override requires a written reason (SPEC §3), whoever writes the row
    CheckConstraint("override_decision IS NULL OR override_decision <> 'overridden' "
                    "OR length(trim(coalesce(override_reason, ''))) > 0",
                    name="override_has_reason"),
    CheckConstraint("(override_decision IS NULL) = (override_outcome IS NULL)",
                    name="override_has_outcome"),
    CheckConstraint(f"carried_over {_FLAG}", name="carried_over_flag"),
)

taxonomies = Table(
    "taxonomies", metadata,
    Column("sha256", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("canonical", Text, nullable=False),
    Column("stored_at", Text, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("taxonomy_sha256", Text, ForeignKey("taxonomies.sha256"), nullable=False),
    Column("input_sha256", Text),
    Column("assessed_at", Text, nullable=False),
    Column("riskdesk_version", Text, nullable=False),
    Column("stored_by", Text, nullable=False),
    Column("stored_at", Text, nullable=False),
    Column("header", Text, nullable=False),
)

assessments = Table(
    "assessments", metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("result", Text, nullable=False),
    PrimaryKeyConstraint("run_id", "chain_id", "segment"),
    Index("assessments_by_chain", "chain_id", "segment"),
)

audit = Table(
    "audit", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("round", Text),
    Column("chain_id", Text),
    Column("segment", Text),
    Column("field", Text),
    Column("old", Text),
    Column("new", Text),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
    Index("audit_by_chain", "chain_id"),
)

drafts = Table(
    "drafts", metadata,
    Column("key", Text, primary_key=True),
    Column("payload", Text, nullable=False),
    Column("saved_at", Text, nullable=False),
    Column("saved_by", Text, nullable=False),
)

journal = Table(
    "journal", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("state", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("label_zh", Text, nullable=False),
    Column("label_en", Text, nullable=False),
    Column("edit", Text, nullable=False),
    CheckConstraint("state IN ('done', 'undone')", name="state_word"),
    Index("journal_by_who", "who", "state", "seq"),
)

snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("input_path", Text),
    Column("input_sha256", Text),
)

snapshot_chains = Table(
    "snapshot_chains", metadata,
    Column("snapshot", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("position", Integer, nullable=False),
    Column("profile", Text, nullable=False),
    _flag("carried_over"),
    PrimaryKeyConstraint("snapshot", "chain_id", "segment"),
)

snapshot_values = Table(
    "snapshot_values", metadata,
    Column("snapshot", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("segment", Text, nullable=False, server_default=""),
    Column("indicator", Text, nullable=False),
    Column("value", Double),
    Column("unit", Text),
    Column("year", Integer),
    Column("provenance", Text, nullable=False),
    _flag("carried_over"),
    PrimaryKeyConstraint("snapshot", "chain_id", "segment", "indicator"),
)

snapshot_data = Table(
    "snapshot_data", metadata,
    Column("snapshot", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("content", Text, nullable=False),
    PrimaryKeyConstraint("snapshot", "kind"),
)

round_data = Table(
    "round_data", metadata,
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("content", Text, nullable=False),
    PrimaryKeyConstraint("round", "kind"),
    CheckConstraint("kind IN ('trade', 'series')", name="kind_word"),
)

snapshot_issues = Table(
    "snapshot_issues", metadata,
    Column("snapshot", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("issue", Text, nullable=False),
    PrimaryKeyConstraint("snapshot", "position"),
)

data_issues = Table(
    "data_issues", metadata,
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("issue", Text, nullable=False),
    PrimaryKeyConstraint("round", "position"),
)

scenario_libraries = Table(
    "scenario_libraries", metadata,
    Column("sha256", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("canonical", Text, nullable=False),
    Column("stored_at", Text, nullable=False),
)

scenario_runs = Table(
    "scenario_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round", Text, ForeignKey("rounds.name", ondelete="CASCADE"), nullable=False),
    Column("library_sha256", Text, ForeignKey("scenario_libraries.sha256"), nullable=False),
    Column("taxonomy_sha256", Text, nullable=False),
    Column("run_at", Text, nullable=False),
    Column("stored_by", Text, nullable=False),
    Column("result", Text, nullable=False),
)

# Team only: who is editing which chain (segment '' = the whole chain), until when.
chain_holds = Table(
    "chain_holds", metadata,
    Column("round", Text, nullable=False),
    Column("chain_id", Text, nullable=False),
    Column("held_by", Text, nullable=False),
    Column("held_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    PrimaryKeyConstraint("round", "chain_id"),
)

# Tables the SQLite project has too (push/pull copy these, parents before children).
PROJECT_TABLES: tuple[Table, ...] = (
    meta, rounds, chains, indicator_values, judgements, taxonomies, runs, assessments, audit,
    drafts, journal, snapshots, snapshot_chains, snapshot_values, snapshot_data, round_data,
    snapshot_issues, data_issues, scenario_libraries, scenario_runs,
)
VERSIONED_TABLES: tuple[Table, ...] = (chains, indicator_values, judgements)
TEAM_TABLES: tuple[Table, ...] = (chain_holds,)
