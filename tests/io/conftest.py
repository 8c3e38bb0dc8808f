"""Fixtures that write real input files into the test's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from import_files import SheetRows, csv_bytes, write_xlsx


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    def build(sheets: dict[str, SheetRows], name: str = "inv.xlsx", **kw: Any) -> Path:
        return write_xlsx(tmp_path / name, sheets, **kw)

    return build


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def build(rows: SheetRows, name: str = "inv.csv", **kw: Any) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, **kw))
        return path

    return build
