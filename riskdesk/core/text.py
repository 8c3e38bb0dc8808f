"""Report and explanation text from templates/ (zh, en), and value formatting shared by all outputs."""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from riskdesk.core.models import Lang, RiskLevel
from riskdesk.core.paths import TEMPLATES_DIR
from riskdesk.core.taxonomy import Indicator

LEVEL_LABELS: dict[Lang, dict[RiskLevel, str]] = {
    "zh": {
        RiskLevel.LOW: "低",
        RiskLevel.MEDIUM: "中",
        RiskLevel.HIGH: "高",
        RiskLevel.CRITICAL: "极高",
    },
    "en": {
        RiskLevel.LOW: "low",
        RiskLevel.MEDIUM: "medium",
        RiskLevel.HIGH: "high",
        RiskLevel.CRITICAL: "critical",
    },
}


@cache
def template(lang: Lang, name: str, directory: Path = TEMPLATES_DIR) -> dict[str, Any]:
    """The parsed `templates/<lang>/<name>.toml` (cached; templates are read-only data)."""
    path = directory / lang / f"{name}.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def frame(lang: Lang, key: str, **values: object) -> str:
    """Fill the sentence frame `explain.<key>` of the engine template."""
    text: str = template(lang, "engine")["explain"][key]
    return text.format(**values)


def fmt_score(value: float | None, lang: Lang = "zh") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frame(lang, "missing_value")
    return f"{value:.2f}"


def fmt_percent(value: float | None, lang: Lang = "zh") -> str:
    if value is None or math.isnan(value):
        return frame(lang, "missing_value")
    return f"{value * 100:.0f}%"


def fmt_value(indicator: Indicator, value: float | None, lang: Lang = "zh") -> str:
    """An indicator value in its unit, as an analyst writes it (shares as percent)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frame(lang, "missing_value")
    if indicator.kind in ("share", "share_delta", "rate"):
        pct = value * 100
        digits = 0 if abs(pct) >= 10 or pct == int(pct) else (1 if abs(pct) >= 1 else 2)
        return f"{pct:+.{digits}f}%" if indicator.kind != "share" else f"{pct:.{digits}f}%"
    if indicator.kind in ("count", "level", "days"):
        return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    if indicator.kind == "years":
        return f"{value:g} 年" if lang == "zh" else f"{value:g} years"
    return f"{value:.2f}"


def level_label(level: RiskLevel | None, lang: Lang) -> str:
    if level is None:
        return frame(lang, "missing_value")
    return LEVEL_LABELS[lang][level]
