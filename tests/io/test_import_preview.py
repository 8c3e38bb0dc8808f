"""Dry run, explicit skipping of invalid rows, and the loader `assess` calls."""

from __future__ import annotations

import pytest

from riskdesk.core.models import Severity
from riskdesk.io.inventory import read_inventory
from riskdesk.io.issues import InputRejected
from riskdesk.io.options import ImportOptions
from riskdesk.io.preview import load_for_assessment, preview_inventory

ROWS = [
    ["清单"],
    ["chain_id", "chain_name", "import_dependence", "supplier_count"],
    ["C1", "a", "90%", 3],
    ["C2", "b", 1.7, 4],
    ["C3", "c", 0.2, "many"],
    ["C4", "d", 0.1, 2],
]


def test_preview_summarises_without_dropping_rows(xlsx, taxonomy) -> None:
    path = xlsx({"chains": ROWS})
    preview = preview_inventory(path, taxonomy)
    assert (preview.file_kind, preview.sheet, preview.header_row) == ("xlsx", "chains", 2)
    assert preview.rows_ok == 2
    assert preview.rows_with_problems == [4, 5]
    assert {i.code for i in preview.errors} == {"share_out_of_range", "not_a_number"}
    assert [i.code for i in preview.assumptions] == ["header_not_first_row"]
    assert preview.has_errors
    assert len(preview.inventory) == 4  # rows with cell errors stay; the bad cells are missing


def test_skipping_invalid_rows_is_explicit_and_listed(xlsx, taxonomy) -> None:
    path = xlsx({"chains": ROWS})
    inv = read_inventory(path, taxonomy, options=ImportOptions(skip_invalid_rows=True))
    assert inv.frame["chain_id"].tolist() == ["C1", "C4"]
    skipped = [i for i in inv.issues if i.code == "row_skipped"]
    assert [(i.row, i.severity) for i in skipped] == [(4, Severity.WARNING), (5, Severity.WARNING)]
    assert ("C2", None) not in inv.source_rows
    assert inv.provenance(1, "import_dependence").cell == "C6"


def test_load_for_assessment_refuses_errors_unless_skipping(xlsx, taxonomy) -> None:
    path = xlsx({"chains": ROWS})
    with pytest.raises(InputRejected) as err:
        load_for_assessment(path, taxonomy, skip_invalid_rows=False)
    assert len(err.value.errors) == 2
    assert "--skip-invalid-rows" in err.value.message("en")
    inv = load_for_assessment(path, taxonomy, skip_invalid_rows=True)
    assert len(inv) == 2


def test_load_for_assessment_rejects_a_file_with_nothing_left(xlsx, taxonomy) -> None:
    path = xlsx({"chains": [["chain_id", "chain_name", "import_dependence"], ["C1", "a", 7]]})
    with pytest.raises(InputRejected):
        load_for_assessment(path, taxonomy, skip_invalid_rows=True)


def test_clean_file_loads(xlsx, taxonomy) -> None:
    path = xlsx({"chains": [["chain_id", "chain_name"], ["C1", "a"]]})
    assert load_for_assessment(path, taxonomy, skip_invalid_rows=False).keys() == [("C1", None)]
    preview = preview_inventory(path, taxonomy, isolated=True)
    assert (preview.rows_ok, preview.rows_with_problems, preview.has_errors) == (1, [], False)
