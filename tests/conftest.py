"""Shared fixtures: the default taxonomy, a builder for small inventories, and the throw-away
PostgreSQL server of the team-mode tests (one per test session, a fresh database per test)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Provenance
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from tests import pgserver

InventoryBuilder = Callable[..., Inventory]


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return default_taxonomy()


@pytest.fixture(scope="session")
def make_inventory(taxonomy: Taxonomy) -> InventoryBuilder:
    """Build an Inventory from dicts: profile fields and indicator ids as keys, None = missing."""

    def build(rows: list[dict[str, Any]], tax: Taxonomy | None = None) -> Inventory:
        tax = tax or taxonomy
        frame = Inventory.empty_frame(tax, len(rows))
        inv = Inventory(frame=frame)
        for i, row in enumerate(rows):
            for key, value in row.items():
                if value is None:
                    continue
                frame.at[i, key] = value
        for i, row in enumerate(rows):
            for key, value in row.items():
                if key in tax.indicator_by_id and value is not None and not np.isnan(value):
                    chain_id, segment = inv.key(i)
                    inv.cell_provenance[(chain_id, segment, key)] = Provenance(
                        kind="expert", expert="test"
                    )
        return inv

    return build


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
