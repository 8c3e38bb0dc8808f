"""Report wording per language, read from templates/<lang>/report.toml (never from code)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from riskdesk.core.models import Lang

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


class Paper(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    citation: str


class MethodologyText(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    intro: str
    formulas: list[str]
    thresholds_heading: str
    anchors_heading: str
    sources_heading: str
    papers_heading: str
    run_heading: str


class ReportText(BaseModel):
    """All wording of one language: headings, labels, sentence frames, strategy narratives."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    lang: Lang
    headings: dict[str, str]
    labels: dict[str, str]
    levels: dict[str, str]
    tech_categories: dict[str, str]
    severities: dict[str, str]
    sentences: dict[str, str]
    methodology: MethodologyText
    strategies: dict[str, str]
    papers: list[Paper]
    sheets: dict[str, str]

    def h(self, key: str) -> str:
        return self.headings[key]

    def label(self, key: str) -> str:
        return self.labels[key]

    def say(self, key: str, **values: Any) -> str:
        """A sentence frame filled with values (str.format placeholders)."""
        return self.sentences[key].format(**values)

    def level(self, level: str | None) -> str:
        return self.levels[level] if level is not None else self.labels["not_applicable"]


class TemplateError(ValueError):
    """A report template file is missing or malformed."""


@cache
def load_report_text(lang: Lang, directory: Path | None = None) -> ReportText:
    base = directory if directory is not None else TEMPLATES_DIR
    path = base / lang / "report.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{path}: report template not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: not valid TOML ({exc})") from None
    try:
        return ReportText.model_validate(data)
    except ValueError as exc:
        raise TemplateError(f"{path}: {exc}") from None
