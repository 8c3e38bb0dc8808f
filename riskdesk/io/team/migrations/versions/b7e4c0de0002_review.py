"""Review workflow: one review row per chain and round (status, who, when, frozen snapshot)

Revision ID: b7e4c0de0002
Revises: a1f0c0de0001
Create Date: 2026-12-02 07:20:00

Roles, grants, the workflow functions and the edit guards are not a revision: group roles are
cluster-wide and named by a per-database prefix, and grants must follow every new table, so
`riskdesk db init` applies them after the migrations (riskdesk.io.team.access.install).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7e4c0de0002"
down_revision = "a1f0c0de0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("round", sa.Text(), nullable=False),
        sa.Column("chain_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("assessor", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.Text(), nullable=True),
        sa.Column("approved_at", sa.Text(), nullable=True),
        sa.Column("snapshot_sha256", sa.Text(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved')",
                           name=op.f("ck_review_status_word")),
        sa.CheckConstraint("(status = 'approved') = (snapshot_sha256 IS NOT NULL)",
                           name=op.f("ck_review_approved_has_snapshot")),
        sa.PrimaryKeyConstraint("round", "chain_id", name=op.f("pk_review")),
    )


def downgrade() -> None:
    op.drop_table("review")
