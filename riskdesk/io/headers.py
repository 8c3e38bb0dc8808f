"""Header recognition: canonical ids and the aliases the taxonomy lists, however they were typed.

A header matches after NFKC (full-width → half-width), case folding and removal of spaces, line
breaks, underscores and hyphens; a trailing unit in brackets ("对外依存度（%）") is tried off as
well and kept as a unit hint. The header row is the row among the first few with the most
recognised cells, so a title row above it does not matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from riskdesk.core.models import PROFILE_FIELDS, TechCategory
from riskdesk.core.taxonomy import Taxonomy

REQUIRED = ("chain_id", "chain_name")
RATIO_INPUTS = {
    "ttr_days": ["恢复时间", "恢复时间(天)", "ttr", "time to recover", "time to recover (days)"],
    "tts_days": ["生存时间", "生存时间(天)", "tts", "time to survive", "time to survive (days)"],
}
_DROP = re.compile(r"[\s_\-·•]+")
_UNIT = re.compile(r"^(.*?)\s*[(\[]([^()\[\]]*)[)\]]$", re.S)


def normalise(text: object) -> str:
    """Key for matching headers, sheet names and labels."""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    return _DROP.sub("", value)


@dataclass(frozen=True)
class HeaderMatch:
    index: int  # 0-based column
    field: str  # canonical id
    text: str  # the header as written
    unit_hint: str | None  # text in a trailing bracket, e.g. "%"


class HeaderVocabulary:
    """Every name a column may go by, mapped to its canonical id."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def match(self, text: object) -> tuple[str, str | None] | None:
        if text is None:
            return None
        raw = str(text).strip()
        if not raw:
            return None
        key = normalise(raw)
        if key in self.names:
            return self.names[key], None  # a bracket that is part of the name is no unit
        stripped = _UNIT.match(unicodedata.normalize("NFKC", raw).strip())
        if stripped:
            field = self.names.get(normalise(stripped.group(1)))
            if field is not None:
                return field, stripped.group(2).strip()
        return None


_VOCABULARIES: dict[str, HeaderVocabulary] = {}
_CATEGORY_LOOKUPS: dict[str, dict[str, TechCategory]] = {}


def inventory_vocabulary(taxonomy: Taxonomy) -> HeaderVocabulary:
    """Names of the chains sheet's columns (cached per taxonomy content hash)."""
    cached = _VOCABULARIES.get(taxonomy.sha256)
    if cached is None:
        cached = _VOCABULARIES[taxonomy.sha256] = _build_vocabulary(taxonomy)
    return cached


def _build_vocabulary(taxonomy: Taxonomy) -> HeaderVocabulary:
    names: dict[str, str] = {}

    def add(field: str, *aliases: str) -> None:
        for alias in aliases:
            names.setdefault(normalise(alias), field)

    for field in PROFILE_FIELDS:
        add(field, field)
    for ind in taxonomy.indicators:
        add(ind.id, ind.id)
    for field, aliases in taxonomy.columns.aliases.items():
        add(field, *aliases)
    for ind in taxonomy.indicators:
        add(ind.id, ind.name_zh, ind.name_en, *ind.aliases)
    for field, aliases in RATIO_INPUTS.items():
        add(field, field, *aliases)
    return HeaderVocabulary(names)


def fixed_vocabulary(fields: dict[str, Sequence[str]]) -> HeaderVocabulary:
    names: dict[str, str] = {}
    for field, aliases in fields.items():
        for alias in (field, *aliases):
            names.setdefault(normalise(alias), field)
    return HeaderVocabulary(names)


def find_header_row(
    rows: Sequence[Sequence[object]], vocabulary: HeaderVocabulary, search_rows: int
) -> tuple[int, list[HeaderMatch]] | None:
    """The 0-based header row and its recognised columns, or None when no row has two."""
    best: tuple[int, list[HeaderMatch]] | None = None
    for r, row in enumerate(rows[:search_rows]):
        matches = []
        for c, cell in enumerate(row):
            found = vocabulary.match(cell)
            if found is not None:
                matches.append(HeaderMatch(c, found[0], str(cell).strip(), found[1]))
        if len(matches) >= 2 and (best is None or len(matches) > len(best[1])):
            best = (r, matches)
    return best


def tech_category_lookup(taxonomy: Taxonomy) -> dict[str, TechCategory]:
    """tech_category by id or any zh/en label (cached per taxonomy content hash)."""
    lookup = _CATEGORY_LOOKUPS.get(taxonomy.sha256)
    if lookup is None:
        lookup = {normalise(c.value): c for c in TechCategory}
        for category, labels in taxonomy.columns.tech_category_labels.items():
            for label in labels:
                lookup.setdefault(normalise(label), category)
        _CATEGORY_LOOKUPS[taxonomy.sha256] = lookup
    return lookup


def closest(name: str, candidates: Sequence[str]) -> str | None:
    """The candidate a misspelt sheet or column name most likely meant."""
    import difflib

    keyed: dict[str, str] = {}
    for c in candidates:
        keyed.setdefault(normalise(c), c)
    hits = difflib.get_close_matches(normalise(name), list(keyed), n=1, cutoff=0.6)
    return keyed[hits[0]] if hits else None
