"""Shared fixtures: the default taxonomy and a builder for small inventories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Provenance
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy

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
