"""A csv is refused before it is read when its cells and bytes predict more memory than the
budget (issue 11: an 899 MiB csv, allowed by the old 1 GiB size limit, ended in MemoryError)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.io.issues import InventoryReadError
from riskdesk.io.options import ImportOptions

ROOT = Path(__file__).resolve().parents[2]


def _small_csv(path: Path) -> Path:
    # header 20 bytes + 1,000 rows of 11 bytes = 11,020 bytes; 2 separators a line, 1,001
    # lines = 2,002 cells. Predicted: 55 × 2,002 + 11 × 11,020 = 110,110 + 121,220 = 231,330.
    lines = ["chain_id,chain_name\n", *(f"C{i:04d},name\n" for i in range(1000))]
    path.write_text("".join(lines), encoding="ascii")
    assert path.stat().st_size == 11_020
    return path


def test_a_csv_within_the_predicted_budget_is_read(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = _small_csv(tmp_path / "inv.csv")
    options = ImportOptions(csv_memory_budget_bytes=231_330)
    inventory = read_inventory(path, taxonomy, options=options)
    assert len(inventory) == 1000


def test_a_csv_over_the_predicted_budget_is_refused_with_its_limit(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    path = _small_csv(tmp_path / "inv.csv")
    with pytest.raises(InventoryReadError) as caught:
        read_inventory(path, taxonomy, options=ImportOptions(csv_memory_budget_bytes=231_329))
    problem = caught.value.issue
    assert problem.code == "csv_too_large"
    assert problem.file == str(path)
    assert str(problem.value) == "231330"
    assert "2,002 cells" in problem.message("en")
    assert "2,002 个单元格" in problem.message("zh")


def test_the_command_refuses_a_csv_that_would_not_fit_before_reading_it(tmp_path: Path) -> None:
    # 16 MiB of commas: 16,777,198 cells and 16,777,216 bytes predict
    # 55 × 16,777,198 + 11 × 16,777,216 = 1,107,295,266 bytes (1,055 MiB), above the default
    # 800 MiB budget; the file is far under the 128 MiB size limit.
    path = tmp_path / "wide.csv"
    path.write_bytes(b"chain_id,chain_name\n" + b"," * (16 * 1024 * 1024 - 20))
    done = subprocess.run(
        [sys.executable, "-m", "riskdesk", "assess", str(path), "--lang", "en"],
        check=False, capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 1
    assert "limit of 800 MiB" in done.stderr
    assert "1,055 MiB" in done.stderr
    assert "Traceback" not in done.stderr
