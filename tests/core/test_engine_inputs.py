"""The engine never changes what it is given (issue 9: assessing one inventory twice with two
country lists must equal assessing fresh copies)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.inventory import read_inventory

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"


def _exposures(run: object) -> dict[str, float | None]:
    return {c.chain_id: c.exposure for c in run.chains}  # type: ignore[attr-defined]


@pytest.mark.skipif(not DEMO.exists(), reason="demo inventory not built")
def test_assessing_twice_with_two_country_lists_equals_fresh_copies(taxonomy: Taxonomy) -> None:
    reliable = CountryRiskList(unrated=0.05)
    risky = CountryRiskList(unrated=0.95)
    inventory = read_inventory(DEMO, taxonomy)
    frame_before = inventory.frame.copy(deep=True)
    provenance_before = dict(inventory.cell_provenance)

    first = assess_inventory(inventory, taxonomy, country_risk=reliable, robustness=False)
    second = assess_inventory(inventory, taxonomy, country_risk=risky, robustness=False)
    fresh_first = assess_inventory(read_inventory(DEMO, taxonomy), taxonomy,
                                   country_risk=reliable, robustness=False)
    fresh_second = assess_inventory(read_inventory(DEMO, taxonomy), taxonomy,
                                    country_risk=risky, robustness=False)

    assert _exposures(first) == _exposures(fresh_first)
    assert _exposures(second) == _exposures(fresh_second)
    # The two lists matter (so the comparison above can fail).
    assert _exposures(first) != _exposures(second)
    pd.testing.assert_frame_equal(inventory.frame, frame_before)
    assert inventory.cell_provenance == provenance_before
