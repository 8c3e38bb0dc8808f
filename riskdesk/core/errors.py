"""The one error type a user sees: a message code, the sentence in Chinese and English, a location.

Every problem the user can act on (a file that cannot be read, a project that is damaged, an
output path that would overwrite an input, an invalid taxonomy) is raised as a `UserError` or a
subclass; the CLI's top-level handler prints `message(lang)` as one sentence and reserves
"unexpected error" for real bugs. `ProjectError`, `InventoryReadError` and `CliError` subclass it
and keep their own constructors, so code that raises or catches them is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Location:
    """Where the problem is: any of file, sheet, 1-based row, column, the value as written."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self, lang: Lang = "en") -> str:
        parts = [Path(self.file).name if self.file else None, self.sheet]
        text = " / ".join(p for p in parts if p)
        if self.row is not None:
            text += f" 第 {self.row} 行" if lang == "zh" else f" row {self.row}"
        if self.column:
            text += f" 列 {self.column}" if lang == "zh" else f" col {self.column}"
        return text.strip()


class UserError(Exception):
    """A problem for the user, in one sentence per language (`str()` gives English)."""

    code: str = "user_error"
    exit_code: int = 1

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        location: Location | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.location = location or Location()
        if exit_code is not None:
            self.exit_code = exit_code

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def __str__(self) -> str:
        return self.message_en


def shorten(value: object, limit: int = 80) -> str:
    """A value as the user typed it, cut when very long (messages stay one readable line)."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "…"
