"""Round trip: riskdesk's own Excel export imports back to the same chains and values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Severity
from riskdesk.io.inventory import read_inventory
from riskdesk.io.reimport import read_previous_assessments
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.xlsx import write_xlsx

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_reimports_to_the_same_inventory(tmp_path, taxonomy, lang) -> None:
    original = read_inventory(DEMO, taxonomy)
    run = assess_inventory(original, taxonomy, robustness=False)
    exported = write_xlsx(run, tmp_path / "run.xlsx", ReportOptions(lang=lang),
                          inventory=original, taxonomy=taxonomy)  # fmt: skip
    again = read_inventory(exported, taxonomy)
    assert [i for i in again.issues if i.severity != Severity.ASSUMPTION] == []
    assert [i.code for i in again.issues] == ["riskdesk_export"]
    assert sorted(again.keys(), key=str) == sorted(original.keys(), key=str)
    original_keys = original.keys()
    for key in original_keys:
        a, b = original.row_of(*key), again.row_of(*key)
        for field in ("chain_name", "sector", "tech_category", "strategic_value", "generality"):
            assert again.frame.at[b, field] == original.frame.at[a, field], (key, field)
        for ind in taxonomy.indicator_ids:
            before = original.frame.at[a, ind]
            if not np.isnan(before):  # the export adds computed values (e.g. from trade)
                assert again.frame.at[b, ind] == pytest.approx(before), (key, ind)
    previous = read_previous_assessments(exported)
    assert previous is not None
    by_id = {(r.chain_id, r.segment): r.primary_type for r in previous.itertuples()}
    assert by_id[(run.chains[0].chain_id, None)] == run.chains[0].primary_type.value


def test_a_plain_inventory_has_no_previous_assessments(taxonomy) -> None:
    assert read_previous_assessments(DEMO) is None
