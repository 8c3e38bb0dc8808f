"""Team-mode fixtures: one PostgreSQL server per test session, a fresh database per test."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from tests import pgserver


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    try:
        server = pgserver.start()
    except pgserver.PgUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"team-mode tests need PostgreSQL under CI: {exc}")
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        pgserver.stop(server)


@pytest.fixture
def pg_database(pg_server: pgserver.PgServer, request: pytest.FixtureRequest) -> str:
    """A fresh empty database named after the test; returns its SQLAlchemy URL (superuser)."""
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    pg_server.create_database(name)
    return pg_server.url(name)
