"""Bring a team database to this riskdesk's schema with Alembic, run from code (no alembic.ini).

`check_database` refuses a database that is another application's (tables but no riskdesk
revision) or newer than this code (a revision it does not know); `upgrade` creates or migrates.
The roles/workflow layer adds revisions to migrations/versions/ on top of INITIAL_REVISION.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from riskdesk.io.project.errors import ProjectError

MIGRATIONS = Path(__file__).with_name("migrations")
INITIAL_REVISION = "a1f0c0de0001"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = scripts().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_database(connection: Connection, where: str) -> str | None:
    """The database's revision (None: empty, ready to be created); refuses a foreign or newer
    database with a sentence in both languages."""
    revision = current_revision(connection)
    if revision is None:
        tables = set(inspect(connection).get_table_names())
        if tables:
            shown = ", ".join(sorted(tables)[:5])
            raise ProjectError(
                f"{where} is not a riskdesk team database (it holds other tables: {shown}); "
                "use an empty database",
                f"{where} 不是 riskdesk 团队数据库（其中已有其他数据表：{shown}）；请使用空数据库",
                code="not_a_team_database",
            )
        return None
    known = {s.revision for s in scripts().walk_revisions()}
    if revision not in known:
        raise ProjectError(
            f"{where} was set up by a newer riskdesk (database revision {revision}, unknown to "
            f"this version, which knows up to {head_revision()}); update riskdesk to use it",
            f"{where} 由更新版本的 riskdesk 建立（数据库版本 {revision}，本版本最高支持 "
            f"{head_revision()}）；请升级 riskdesk 后再使用",
            code="newer_team_database",
        )
    return revision


def upgrade(connection: Connection, where: str) -> None:
    """Create the schema in an empty database or bring an older one to the head revision
    (inside the caller's transaction)."""
    check_database(connection, where)
    command.upgrade(alembic_config(connection), "head")
