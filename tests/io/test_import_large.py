"""A large valid file: progress reaches the end, and cancel stops it cleanly."""

from __future__ import annotations

import openpyxl
import pytest

from riskdesk.core.progress import Cancelled
from riskdesk.io.inventory import read_inventory

N_ROWS = 10_000


@pytest.fixture(scope="module")
def large_file(tmp_path_factory, taxonomy):
    path = tmp_path_factory.mktemp("large") / "large.xlsx"
    ids = list(taxonomy.indicator_ids[:12])
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("chains")
    ws.append(["chain_id", "chain_name", *ids])
    for i in range(N_ROWS):
        ws.append([f"C{i:05d}", f"chain {i}", *[(i % 7) / 10 for _ in ids]])
    wb.save(path)
    return path


def test_large_file_reports_progress_to_the_end(large_file, taxonomy) -> None:
    seen: list[float] = []
    inv = read_inventory(large_file, taxonomy, progress=lambda f, _m: seen.append(f))
    assert len(inv) == N_ROWS
    assert inv.source_rows[("C09999", None)] == N_ROWS + 1
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert len(seen) >= 5


def test_large_file_can_be_cancelled(large_file, taxonomy) -> None:
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        read_inventory(large_file, taxonomy, cancel=cancel)
