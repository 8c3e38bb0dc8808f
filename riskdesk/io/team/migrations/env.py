"""Alembic environment of the team database, run programmatically (riskdesk.io.team.migrate).

The caller passes an open SQLAlchemy connection in `config.attributes["connection"]`; there is no
alembic.ini for users. SQLite gets batch mode (ALTER TABLE there is copy-and-move)."""

from __future__ import annotations

from alembic import context

from riskdesk.io.team.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
