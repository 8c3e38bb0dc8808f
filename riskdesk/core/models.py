"""Domain records shared by every layer: chains, indicator values with provenance, data issues.

The engine works on a DataFrame (one column per indicator) for speed; these pydantic models are the
per-chain view used by the CLI's JSON, the reports, the project store and the GUI.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class RiskType(StrEnum):
    """The three capability types of paper 003, in tie-break order."""

    MISSING = "missing"
    DESTROYED = "destroyed"
    RESPONSE = "response"


class Outcome(StrEnum):
    """A chain's primary classification: a risk type or one of the three non-type outcomes."""

    MISSING = "missing"
    DESTROYED = "destroyed"
    RESPONSE = "response"
    NORMAL_DEPENDENCE = "normal_dependence"
    MONITOR = "monitor"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


OUTCOME_ORDER: tuple[Outcome, ...] = tuple(Outcome)


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


LEVEL_ORDER: tuple[RiskLevel, ...] = tuple(RiskLevel)


class TechCategory(StrEnum):
    EMERGING = "emerging"
    CORE = "core"
    FOUNDATIONAL = "foundational"
    MATURE = "mature"


class Status(StrEnum):
    """Where a chain's assessment stands (SPEC §11.1): draft → submitted → returned / approved.
    Single-user projects use draft and approved."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @classmethod
    def parse(cls, value: str) -> Status:
        """A stored status, including the first version's words (assessed → draft,
        reviewed → approved)."""
        return cls(LEGACY_STATUS.get(value, value))


LEGACY_STATUS = {"assessed": "draft", "reviewed": "approved"}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    ASSUMPTION = "assumption"


class Provenance(BaseModel):
    """Where a value came from. Every indicator value carries one."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["imported", "computed", "expert"]
    file: str | None = None
    sheet: str | None = None
    cell: str | None = Field(default=None, description="A1-style address in the source sheet")
    computed_from: str | None = Field(
        default=None, description="what a computed value is derived from"
    )
    method: str | None = Field(default=None, description="formula or rule used")
    expert: str | None = Field(default=None, description="who gave an expert judgement")
    at: datetime | None = None
    evidence: str | None = Field(default=None, description="evidence note or citation")
    illustrative: bool = Field(
        default=False,
        description="the figure fills a gap for demonstration; not a published figure",
    )

    def describe(self, lang: Lang = "zh") -> str:
        """One short line for tables and reports."""
        parts: list[str] = []
        if self.kind == "imported":
            where = "!".join(p for p in (self.sheet, self.cell) if p)
            name = Path(self.file).name if self.file else ""
            parts.append(f"{name} {where}".strip() or ("导入" if lang == "zh" else "imported"))
        elif self.kind == "computed":
            label = "计算" if lang == "zh" else "computed"
            detail = self.method or self.computed_from or ""
            parts.append(f"{label}: {detail}" if detail else label)
        else:
            label = "专家判断" if lang == "zh" else "expert judgement"
            parts.append(f"{label} ({self.expert})" if self.expert else label)
        if self.evidence:
            parts.append(self.evidence)
        if self.illustrative:
            parts.append("示意数据" if lang == "zh" else "illustrative")
        return "; ".join(parts)


class IndicatorValue(BaseModel):
    """One indicator value of one chain (or segment). `value=None` means missing, never zero."""

    indicator: str
    value: float | None
    unit: str | None = None
    year: int | None = None
    provenance: Provenance


class Chain(BaseModel):
    """A chain's profile (SPEC §3). Indicator values are held separately."""

    chain_id: str = Field(min_length=1)
    chain_name: str = Field(min_length=1)
    segment: str | None = None
    sector: str | None = None
    tech_category: TechCategory | None = None
    strategic_value: int | None = Field(default=None, ge=1, le=5)
    generality: int | None = Field(default=None, ge=1, le=5)
    description: str | None = None
    owner: str | None = None
    year: int | None = None


PROFILE_FIELDS: tuple[str, ...] = tuple(Chain.model_fields)


class DataIssue(BaseModel):
    """One located problem or assumption found while reading input."""

    severity: Severity
    code: str = Field(description="stable machine id of the kind of problem, e.g. 'missing_column'")
    message_zh: str
    message_en: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = Field(
        default=None, description="1-based row number as the spreadsheet shows it"
    )
    column: str | None = Field(default=None, description="header text or column letter")
    value: str | None = None
    resolution: str | None = Field(
        default=None,
        description="what was done about it: excluded, fixed, kept_first, kept_both, skipped, "
        "imported (None: nothing needed or not yet decided)",
    )

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def location(self, lang: Lang = "en") -> str:
        """'inv.xlsx / chains row 17 col C' (en) or 'inv.xlsx / chains 第 17 行 C 列' (zh)."""
        parts = [Path(self.file).name if self.file else None, self.sheet]
        loc = " / ".join(p for p in parts if p)
        if lang == "zh":
            if self.row is not None:
                loc += f" 第 {self.row} 行"
            if self.column:
                loc += f" {self.column} 列"
            return loc.strip()
        if self.row is not None:
            loc += f" row {self.row}"
        if self.column:
            loc += f" col {self.column}"
        return loc.strip()


class InputSource(BaseModel):
    """The file an inventory came from, identified by content hash for the methodology appendix."""

    path: str
    sha256: str
    sheet: str | None = None
    encoding: str | None = None

    @classmethod
    def of_file(
        cls, path: Path, sheet: str | None = None, encoding: str | None = None
    ) -> InputSource:
        return cls(path=str(path), sha256=file_sha256(path), sheet=sheet, encoding=encoding)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
