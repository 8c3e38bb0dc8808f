"""The report spec: what the user chooses for a PDF or Excel export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from riskdesk.core.models import Lang


class ChainDecision(BaseModel):
    """What the analyst decided about one chain, as a report prints it (SPEC §11)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str = Field(description="'engine: X (0.62) → analyst: Y — reason — who — when'")
    engine_type: str
    overridden: bool
    reason: str = ""
    analyst: str | None = None
    at: str | None = None
    status: str = "draft"
    added_measures: list[str] = Field(default_factory=list, description="the analyst's own")
    reworded: dict[str, str] = Field(
        default_factory=dict, description="measure id -> the analyst's wording"
    )


class ChainApproval(BaseModel):
    """A chain's place in a team's review workflow, as a report prints it (issue 14)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str = Field(description="draft, submitted, returned or approved")
    approved_by: str | None = None
    approved_at: str | None = Field(default=None, description="ISO time of the approval (UTC)")
    snapshot_sha256: str | None = Field(
        default=None, description="SHA-256 of the frozen effective result approved"
    )


class ReportOptions(BaseModel):
    """Options of one export; the GUI builds its export form from these fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: Lang = Field("zh", title="Language / 语言")
    title: str | None = Field(None, title="Title / 标题", description="default: from the template")
    organisation: str = Field("", title="Organisation / 编制单位")
    author: str = Field("", title="Author / 编制人")
    date: dt.date | None = Field(None, title="Date / 日期", description="default: date of the run")
    marking: str | None = Field(
        None,
        title="Classification marking / 密级标注",
        description="printed on every page; default from the template (内部资料 / Internal); "
        "'' prints none",
    )
    chains: list[str] | None = Field(
        None, title="Chains / 产业链", description="chain ids to include; default: all"
    )
    notes: dict[str, str] = Field(
        default_factory=dict, title="Analyst notes / 分析意见", description="chain id -> note"
    )
    decisions: dict[str, ChainDecision] = Field(
        default_factory=dict,
        title="Analyst decisions / 分析人员判断",
        description="chain id -> decision; filled from the effective result, not by hand",
    )
    approvals: dict[str, ChainApproval] = Field(
        default_factory=dict,
        title="Review and approval / 审批",
        description="chain id -> review state in a team database; filled by the export",
    )
    font_path: Path | None = Field(None, title="CJK font file / 中文字体文件")
    rich_chart_limit: int = Field(
        20,
        ge=0,
        title="Chart images per chain up to N chains",
        description="larger selections draw per-chain charts as vector bars only (speed)",
    )

    def marking_text(self, default: str) -> str:
        return default if self.marking is None else self.marking

    top_risks: int = Field(10, ge=1, le=100, title="Top-risk chains listed / 重点链条数")
