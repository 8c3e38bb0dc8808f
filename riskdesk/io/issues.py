"""Building located, bilingual data issues, and the two exceptions the import layer raises."""

from __future__ import annotations

from collections.abc import Iterable

from riskdesk.core.errors import Location, UserError, shorten
from riskdesk.core.models import DataIssue, Severity


def issue(
    severity: Severity,
    code: str,
    zh: str,
    en: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> DataIssue:
    """One DataIssue; `value` is shown as the user typed it (shortened when very long)."""
    shown = None if value is None else _show(value)
    return DataIssue(
        severity=severity,
        code=code,
        message_zh=zh,
        message_en=en,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=shown,
    )


def _show(value: object) -> str:
    return shorten(value)


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def row_list(rows: Iterable[int], limit: int = 12) -> str:
    """'3, 5, 9' or '3, 5, 9 … (+20)' for messages that name many rows."""
    items = sorted(set(rows))
    shown = ", ".join(str(r) for r in items[:limit])
    return shown if len(items) <= limit else f"{shown} … (+{len(items) - limit})"


class InventoryReadError(UserError):
    """The file cannot be read at all (not a spreadsheet, encrypted, a zip bomb, …)."""

    def __init__(self, problem: DataIssue) -> None:
        super().__init__(
            problem.code,
            problem.message_zh,
            problem.message_en,
            location=Location(
                file=problem.file,
                sheet=problem.sheet,
                row=problem.row,
                column=problem.column,
                value=problem.value,
            ),
        )
        self.issue = problem

    def __reduce__(self) -> tuple[type[InventoryReadError], tuple[DataIssue]]:
        return (InventoryReadError, (self.issue,))  # crosses the isolated reader's pipe


class InputRejected(Exception):  # noqa: N818 - names what happened to the input
    """The input has errors and the caller did not allow skipping the rows that carry them."""

    def __init__(self, issues: list[DataIssue]) -> None:
        errors = [i for i in issues if i.severity == Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the input")
        self.issues = issues
        self.errors = errors

    def message(self, lang: str = "zh") -> str:
        n = len(self.errors)
        if lang == "zh":
            return f"输入文件有 {n} 个错误；请修正，或使用 --skip-invalid-rows 跳过出错的行"
        return (
            f"the input has {n} error(s); fix them or pass --skip-invalid-rows to skip those rows"
        )
