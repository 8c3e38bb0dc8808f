"""Single-cell access to inventory frames, typed for the GUI (pandas' stubs type cells as Scalar)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def cell(frame: pd.DataFrame, row: int, column: str) -> object:
    value: Any = frame.at[row, column]
    return value


def cell_float(frame: pd.DataFrame, row: int, column: str) -> float:
    """The cell as float; NaN when missing (callers test with math.isnan, never treat it as 0)."""
    value: Any = frame.at[row, column]
    return float(value)


def set_cell(frame: pd.DataFrame, row: int, column: str, value: object) -> None:
    target: Any = frame
    target.at[row, column] = value
