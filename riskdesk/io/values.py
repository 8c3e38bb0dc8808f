"""Turning cells into numbers the way an analyst wrote them, and saying what could not be read.

Accepted: numbers; numbers stored as text; percent strings ("90%", "90 %", "９０％"); full-width
digits; thousands separators ("1,234,567"); comma decimals where unambiguous ("0,5", "12,75");
blanks, "—", "N/A", "无数据" and similar as missing; "1,234" is read as 1234 (the thousands
reading of Chinese and English usage) and reported. Refused (the cell becomes missing and a
problem is recorded): other text, dates, booleans, inf, Excel error values. NaN is read as
missing with a warning.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np

MISSING_TOKENS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "——",
        "–",
        "n/a",
        "na",
        "n.a.",
        "none",
        "null",
        "nil",
        "无",
        "无数据",
        "暂无",
        "暂无数据",
        "缺失",
        "不详",
        "未知",
        "不适用",
        "空",
        "/",
        "…",
        "...",
    }
)
EXCEL_ERRORS = frozenset(
    {
        "#div/0!",
        "#value!",
        "#ref!",
        "#name?",
        "#num!",
        "#null!",
        "#getting_data",
        "#spill!",
        "#calc!",
    }
)
NA_ERRORS = frozenset({"#n/a"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# A unit word after a count or a duration ("30天", "3家", "5 years") is dropped and reported;
# scale words (万, 亿, million) are not, because they change the number.
_UNIT_SUFFIX = re.compile(r"^(.*\d)(天|日|年|家|个|次|项|days?|years?|yrs?)$", re.IGNORECASE)
_NUMERIC_TYPES = (float, int)


@dataclass(frozen=True)
class CellProblem:
    index: int  # position in the column's data rows
    code: str
    raw: object


@dataclass
class ParsedColumn:
    values: np.ndarray
    problems: list[CellProblem] = field(default_factory=list)
    text_numbers: list[int] = field(default_factory=list)
    percent_cells: list[int] = field(default_factory=list)
    thousands_cells: list[int] = field(default_factory=list)  # "1,234": read as 1234
    unit_cells: list[int] = field(default_factory=list)  # "30天", "3家": unit word dropped


def parse_numeric_column(cells: list[object], text_is_normal: bool = False) -> ParsedColumn:
    """Parse one column; `text_is_normal` for csv, where every number arrives as text."""
    kinds = set(map(type, cells))
    if kinds <= {float, int}:
        values = np.array(cells, dtype=float)
        if not np.isinf(values).any():
            return ParsedColumn(values)
    elif kinds <= {float, int, str} and not _has_real_text(cells, kinds):
        # Fast path (the common case): numbers and empty cells only.
        values = np.array([c if c.__class__ is not str else np.nan for c in cells], dtype=float)
        if not np.isinf(values).any():
            return ParsedColumn(values)
    values = np.full(len(cells), np.nan)
    parsed = ParsedColumn(values)
    for i, cell in enumerate(cells):
        if cell.__class__ is float or cell.__class__ is int:
            number = float(cell)
            if math.isfinite(number):
                values[i] = number
            else:
                parsed.problems.append(CellProblem(i, "not_finite", cell))
            continue
        if isinstance(cell, str):
            _parse_text(i, cell, parsed, text_is_normal)
        elif cell is None:
            continue
        elif isinstance(cell, bool):
            parsed.problems.append(CellProblem(i, "boolean", cell))
        elif isinstance(cell, datetime | date | time | timedelta):
            parsed.problems.append(CellProblem(i, "date_in_number", cell))
        else:
            parsed.problems.append(CellProblem(i, "not_a_number", cell))
    return parsed


def _has_real_text(cells: list[object], kinds: set[type]) -> bool:
    if str not in kinds:
        return False
    return any(isinstance(c, str) and c.strip() for c in cells)


def _parse_text(i: int, raw: str, parsed: ParsedColumn, text_is_normal: bool) -> None:
    text = unicodedata.normalize("NFKC", raw).strip()
    low = text.casefold()
    if low in MISSING_TOKENS:
        return
    if low in NA_ERRORS:
        parsed.problems.append(CellProblem(i, "na_error", raw))
        return
    if low in EXCEL_ERRORS:
        parsed.problems.append(CellProblem(i, "excel_error", raw))
        return
    text = _SPACES.sub("", text).replace("\u2212", "-")
    unit = _UNIT_SUFFIX.match(text)
    if unit is not None:
        text = unit.group(1)
        parsed.unit_cells.append(i)
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    elif text.endswith("‰"):
        text, scale = text[:-1], 0.001
    if "," in text:
        if _THOUSANDS.match(text):
            lead = text.lstrip("+-").split(",", 1)[0]
            if text.count(",") == 1 and "." not in text and lead != "0":
                # "1,234" could be 1.234 elsewhere; Chinese and English usage make it 1234.
                parsed.thousands_cells.append(i)
            text = text.replace(",", "")
        elif _COMMA_DECIMAL.match(text):
            text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        parsed.problems.append(CellProblem(i, "not_a_number", raw))
        return
    if math.isnan(number):
        parsed.problems.append(CellProblem(i, "nan_value", raw))
        return
    if math.isinf(number):
        parsed.problems.append(CellProblem(i, "not_finite", raw))
        return
    parsed.values[i] = number * scale
    if scale != 1.0:
        parsed.percent_cells.append(i)
    elif not text_is_normal and unit is None:
        parsed.text_numbers.append(i)


def problem_text(code: str) -> tuple[str, str, str]:
    """(severity, zh, en) for a cell problem code."""
    return _PROBLEMS[code]


_PROBLEMS: dict[str, tuple[str, str, str]] = {
    "not_a_number": ("error", "应为数字，却是文字", "a number is expected but the cell holds text"),
    "date_in_number": (
        "error",
        "应为数字，却是日期/时间",
        "a number is expected but the cell holds a date",
    ),
    "boolean": (
        "error",
        "应为数字，却是 TRUE/FALSE",
        "a number is expected but the cell holds TRUE/FALSE",
    ),
    "not_finite": (
        "error",
        "数值为无穷大（inf），不是有效数字",
        "the value is infinite (inf), not a usable number",
    ),
    "nan_value": ("warning", "数值为 NaN，按缺失处理", "the value is NaN; read as missing"),
    "excel_error": (
        "error",
        "单元格是 Excel 错误值（公式出错），按缺失处理",
        "the cell holds an Excel error value (a failed formula); read as missing",
    ),
    "na_error": ("warning", "单元格是 #N/A，按缺失处理", "the cell holds #N/A; read as missing"),
    "formula_no_value": (
        "error",
        "公式没有保存计算结果（文件未经 Excel 计算）；请在 Excel/WPS 中打开并保存",
        "the formula has no saved result (the file was never calculated); open, save in Excel",
    ),
}
