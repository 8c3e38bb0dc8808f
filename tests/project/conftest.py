"""Fixtures for project tests. `project` and `backend` run each test on every store: the embedded
SQLite file (`SqliteStore`), and `TeamStore` on PostgreSQL and on SQLite (riskdesk.io.team)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory

BACKENDS = ("file", "team-postgresql", "team-sqlite")
DATABASE_ERRORS = (sqlite3.Error, sa.exc.DBAPIError)


class Backend:
    """Where a test's project lives; `open` creates it the first time, then reopens it."""

    def __init__(self, name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.name = name
        self.path = tmp_path / "p.rdproj"
        self.address = ""
        if name == "team-postgresql":
            self.address = str(request.getfixturevalue("pg_database"))
        elif name == "team-sqlite":
            self.address = f"sqlite:///{tmp_path / 'team.db'}"

    @property
    def is_team(self) -> bool:
        return self.name != "file"

    def execute(self, *statements: str) -> None:
        """Run statements on the project's database behind riskdesk's back (as another tool
        would), in one transaction; raises the driver's error."""
        if not self.is_team:
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                conn.execute("BEGIN")
                for sql in statements:
                    conn.execute(sql)
                conn.execute("COMMIT")
            finally:
                conn.close()
            return
        engine = sa.create_engine(self.address)
        try:
            with engine.begin() as conn:
                for sql in statements:
                    conn.execute(sa.text(sql))
        finally:
            engine.dispose()

    def tamper(self, *statements: str) -> None:
        """What someone with a database tool would do: drop the append-only guard, then edit."""
        if self.name == "team-postgresql":
            guard = ("DROP TRIGGER audit_no_update ON audit",)
        else:
            guard = ("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
        self.execute(*guard, *statements)

    def reopen_to_read(self, user: str) -> Project:
        if self.is_team:
            return Project.connect(self.address, user=user)
        return Project.open(self.path, user=user, read_only=True)

    def open(self, user: str = "analyst") -> Project:
        if self.is_team:
            return Project.connect(self.address, user=user)
        if self.path.exists():
            return Project.open(self.path, user=user)
        return Project.create(self.path, user=user)


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return default_taxonomy()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return Backend(str(request.param), tmp_path, request)


@pytest.fixture
def project(backend: Backend, taxonomy: Taxonomy) -> Iterator[Project]:
    p = backend.open()
    p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    yield p
    p.close()
