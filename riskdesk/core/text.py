"""Report and explanation text from templates/ (zh, en), and value formatting shared by all outputs.

`fmt_compared` is the one way a number that a rule compares with a threshold is printed: with as
many decimals as it takes for the printed number to fall on the same side of every threshold as
the raw value (0.4979 → "0.498", 中; 0.5004 → "0.50", 高). Reports and the GUI call it (or the
helpers built on it) with the thresholds from `cuts_for`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal

from riskdesk.core.models import Lang, RiskLevel
from riskdesk.core.paths import TEMPLATES_DIR
from riskdesk.core.taxonomy import Indicator, Taxonomy

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
MAX_DIGITS = 6
Quantity = Literal[
    "score", "gap", "exposure", "coverage", "dependence", "dimension", "importance", "priority"
]


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


def no_data(lang: Lang = "zh") -> str:
    """What absent data is called (无数据 / no data) — never 缺失, which names a type."""
    return frame(lang, "no_data")


def country_name(iso3: str, lang: Lang) -> str:
    names: dict[str, str] = template(lang, "engine").get("countries", {})
    return names.get(iso3.upper(), iso3.upper())


def _is_absent(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same_side(shown: float, value: float, cuts: Iterable[float]) -> bool:
    # every rule partitions at its threshold t into [t, ∞) and (−∞, t): "≥ t" and "< t" agree
    return all((shown >= c) == (value >= c) for c in cuts)


def fmt_compared(
    value: float | None,
    cuts: Iterable[float] = (),
    *,
    digits: int = 2,
    scale: float = 1.0,
    signed: bool = False,
    lang: Lang = "zh",
) -> str:
    """`value` (× `scale`) with at least `digits` decimals and as many more as it takes to stay on
    the same side of every threshold in `cuts` (given in the value's own units)."""
    if value is None or _is_absent(value):
        return no_data(lang)
    cuts = tuple(c for c in cuts if not _is_absent(c))
    sign = "+" if signed else ""
    x = value * scale
    for d in range(digits, MAX_DIGITS + 1):
        text = f"{x:{sign}.{d}f}"
        if _same_side(float(text) / scale, value, cuts):
            return _tidy(text)
    # still on a threshold at MAX_DIGITS: round toward the raw value's side
    crossed = [c for c in cuts if (round(x, MAX_DIGITS) / scale >= c) != (value >= c)]
    q = 10**MAX_DIGITS
    toward = math.floor if any(value < c for c in crossed) else math.ceil
    return _tidy(f"{toward(x * q) / q:{sign}.{MAX_DIGITS}f}")


def _tidy(text: str) -> str:
    """No negative zero ("-0.00" → "0.00")."""
    if text.lstrip("+-").strip("0.") == "":
        return text.lstrip("+-")
    return text


def cuts_for(taxonomy: Taxonomy, quantity: Quantity) -> tuple[float, ...]:
    """The thresholds a quantity is compared with by the rules of `taxonomy`."""
    s = taxonomy.scoring
    levels = (s.levels.low, s.levels.medium, s.levels.high)
    return {
        "score": (*levels, s.assign_threshold),
        "dimension": (*levels, s.assign_threshold, s.normal_dependence.gap_min),
        "gap": (s.normal_dependence.gap_min,),
        "exposure": (s.normal_dependence.exposure_max, s.assign_threshold),
        "coverage": (s.min_coverage,),
        "dependence": (s.dependence.minimum,),
        "importance": (),
        "priority": (),
    }[quantity]


def fmt_score(
    value: float | None, lang: Lang = "zh", cuts: Iterable[float] = (0.30, 0.50, 0.75)
) -> str:
    """A score in [0, 1]: two decimals, more when needed to keep the side of a threshold
    (default: the default level bands; pass `cuts_for(taxonomy, …)` for a taxonomy's own)."""
    return fmt_compared(value, cuts, lang=lang)


def fmt_percent(value: float | None, lang: Lang = "zh", cuts: Iterable[float] = ()) -> str:
    """A fraction as a percentage (coverage, shares), keeping the side of each threshold."""
    if value is None or _is_absent(value):
        return no_data(lang)
    return fmt_compared(value, cuts, digits=0, scale=100.0, lang=lang) + "%"


def unit_word(indicator: Indicator, lang: Lang) -> str:
    """The unit written after a value of this kind ('' when the number carries it, as % does)."""
    words = {
        "years": ("年", "years"),
        "days": ("天", "days"),
        "share_delta": ("个百分点", "pp"),
    }.get(indicator.kind)
    if words is None:
        return ""
    return words[0] if lang == "zh" else words[1]


def name_has_unit(indicator: Indicator, lang: Lang) -> bool:
    """Whether the indicator's name already says its unit ("技术差距(年)", "Safety stock (days)")."""
    word = unit_word(indicator, lang)
    if not word:
        return False
    stem = {"个百分点": "百分点"}.get(word, word)
    return stem in indicator.name(lang)


def fmt_value(
    indicator: Indicator,
    value: float | None,
    lang: Lang = "zh",
    *,
    cuts: Iterable[float] = (),
    unit: bool = True,
) -> str:
    """An indicator value as an analyst writes it: shares and rates in percent, share changes in
    percentage points, counts whole; with its unit word unless `unit` is False."""
    if value is None or _is_absent(value):
        return no_data(lang)
    kind = indicator.kind
    if kind in ("share", "rate", "share_delta"):
        pct = value * 100
        digits = 0 if abs(pct) >= 10 or pct == int(pct) else (1 if abs(pct) >= 1 else 2)
        text = fmt_compared(value, cuts, digits=digits, scale=100.0, signed=kind != "share")
        text = text if kind == "share_delta" else text + "%"
    elif kind in ("count", "level", "days", "years"):
        digits = 0 if value == int(value) else 1
        text = fmt_compared(value, cuts, digits=digits)
    else:
        text = fmt_compared(value, cuts)
    word = unit_word(indicator, lang)
    if unit and word:
        text = f"{text} {word}"
    return text


def fmt_in_sentence(indicator: Indicator, value: float | None, lang: Lang) -> str:
    """A value beside the indicator's name in a sentence: the unit is said once, in the name or
    after the number, never both ("技术差距(年) 15", "主要出口市场份额变化 −13 个百分点")."""
    return fmt_value(indicator, value, lang, unit=not name_has_unit(indicator, lang))


def level_label(level: RiskLevel | None, lang: Lang) -> str:
    if level is None:
        return no_data(lang)
    return LEVEL_LABELS[lang][level]
