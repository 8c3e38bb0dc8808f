"""A whole inventory in and out of a project: every value, year and provenance comes back."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Provenance
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"


def _assert_same_cells(a: Inventory, b: Inventory, taxonomy: Taxonomy) -> None:
    assert a.keys() == b.keys()
    for row in range(len(a)):
        assert a.chain(row) == b.chain(row)
        for ind in taxonomy.indicator_ids:
            va, vb = a.frame.at[row, ind], b.frame.at[row, ind]
            assert (math.isnan(va) and math.isnan(vb)) or va == vb, (row, ind)
            assert a.provenance(row, ind) == b.provenance(row, ind), (row, ind)
            if not math.isnan(va):
                assert a.year(row, ind) == b.year(row, ind), (row, ind)


@pytest.mark.skipif(not DEMO.exists(), reason="demo inventory not built")
def test_demo_inventory_round_trips_cell_for_cell(tmp_path: Path, taxonomy: Taxonomy) -> None:
    original = read_inventory(DEMO, taxonomy)
    with Project.create(tmp_path / "demo.rdproj", user="a") as p:
        p.import_inventory(original, ROUND, taxonomy)
        stored = p.inventory(ROUND, taxonomy)
    _assert_same_cells(original, stored, taxonomy)


def test_mixed_provenance_in_one_column_round_trips(tmp_path: Path, taxonomy: Taxonomy) -> None:
    original = make_inventory(taxonomy, n=4)
    ind = taxonomy.indicator_ids[0]
    original.set_value(1, ind, 0.42, Provenance(kind="expert", expert="王", evidence="访谈纪要"))
    original.set_value(2, ind, 0.5, Provenance(kind="imported", file="other.csv", cell="price"))
    original.set_value(3, ind, 0.6, Provenance(kind="imported", file="inv.xlsx", sheet="chains",
                                               cell="F5", illustrative=True))
    original.cell_years[("C0", None, ind)] = 2023
    with Project.create(tmp_path / "m.rdproj", user="a") as p:
        p.import_inventory(original, ROUND, taxonomy)
        stored = p.inventory(ROUND, taxonomy)
    _assert_same_cells(original, stored, taxonomy)
    assert stored.year(0, ind) == 2023
