"""Repeated chain IDs: the analyst's explicit choice, every affected row listed (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk.core.models import Severity
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.io.options import ImportOptions

ROWS = (
    "chain_id,chain_name,import_dependence\n"
    "A,链A,0.5\n"
    "B,链B,0.6\n"
    "A,链A（另一来源）,0.7\n"
    "A,链A（第三份）,0.8\n"
)


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    path = tmp_path / "dup.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def _ids(inv: object) -> list[str]:
    return [str(x) for x in inv.frame["chain_id"].tolist()]  # type: ignore[attr-defined]


def test_no_choice_keeps_the_first_and_lists_the_others_as_unresolved_errors(
    csv: Path, taxonomy: Taxonomy
) -> None:
    inv = read_inventory(csv, taxonomy)
    assert _ids(inv) == ["A", "B"]
    dups = [i for i in inv.issues if i.code == "duplicate_chain_id"]
    assert [(i.row, i.value, i.severity, i.resolution) for i in dups] == [
        (4, "A", Severity.ERROR, None), (5, "A", Severity.ERROR, None)]
    assert "first on row 2" in dups[0].message("en")
    assert dups[0].file is not None and dups[0].file.endswith("dup.csv")


def test_keep_first_resolves_the_later_rows_as_excluded(csv: Path, taxonomy: Taxonomy) -> None:
    inv = read_inventory(csv, taxonomy, options=ImportOptions(duplicate_ids="keep_first"))
    assert _ids(inv) == ["A", "B"]
    assert inv.frame["import_dependence"].tolist()[0] == pytest.approx(0.5)
    assert {(i.row, i.resolution) for i in inv.issues if i.code == "duplicate_chain_id"} == {
        (4, "excluded"), (5, "excluded")}


def test_suffix_keeps_every_row_under_a_new_id(csv: Path, taxonomy: Taxonomy) -> None:
    inv = read_inventory(csv, taxonomy, options=ImportOptions(duplicate_ids="suffix"))
    assert _ids(inv) == ["A", "B", "A-2", "A-3"]
    assert inv.frame["import_dependence"].tolist() == pytest.approx([0.5, 0.6, 0.7, 0.8])
    renamed = [i for i in inv.issues if i.code == "duplicate_renamed"]
    assert [(i.row, i.severity) for i in renamed] == [(4, Severity.ASSUMPTION),
                                                      (5, Severity.ASSUMPTION)]
    assert "imported as A-3" in renamed[1].message("en")
    assert not [i for i in inv.issues if i.severity == Severity.ERROR]


def test_suffix_never_takes_an_id_another_row_already_has(tmp_path: Path,
                                                          taxonomy: Taxonomy) -> None:
    path = tmp_path / "clash.csv"
    path.write_text("chain_id,chain_name\nA,a\nA-2,b\nA,c\n", encoding="utf-8")
    inv = read_inventory(path, taxonomy, options=ImportOptions(duplicate_ids="suffix"))
    assert _ids(inv) == ["A", "A-2", "A-3"]


def test_skip_leaves_out_every_row_of_a_repeated_id(csv: Path, taxonomy: Taxonomy) -> None:
    inv = read_inventory(csv, taxonomy, options=ImportOptions(duplicate_ids="skip"))
    assert _ids(inv) == ["B"]
    listed = sorted(i.row for i in inv.issues
                    if i.code in ("duplicate_chain_id", "duplicate_skipped"))
    assert listed == [2, 4, 5]
    assert all(i.resolution == "excluded" for i in inv.issues if i.severity == Severity.ERROR)


def test_assess_cli_takes_the_choice_and_lists_what_it_did(csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    refused = subprocess.run([sys.executable, "-m", "riskdesk", "assess", str(csv), "--lang",
                              "en", "--no-robustness", "--json", str(out)],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert "row 4" in refused.stderr and "appears again" in refused.stderr
    assert not out.exists()
    done = subprocess.run([sys.executable, "-m", "riskdesk", "assess", str(csv), "--lang", "en",
                           "--no-robustness", "--duplicate-ids", "suffix", "--json", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "imported as A-2" in done.stderr
    chains = {c["chain_id"] for c in json.loads(out.read_text(encoding="utf-8"))["chains"]}
    assert chains == {"A", "B", "A-2", "A-3"}
