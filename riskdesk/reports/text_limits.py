"""How much of a free text a report shows: long text is cut with a note, never allowed to break
the layout (a 4,000-character description or a 3,000-character chain name once stopped the PDF
with reportlab's "too large on page").

Headings, bookmarks, contents lines and running headers show at most `TITLE_CHARS` of a name; a
table cell at most what fits `MAX_CELL_LINES` lines of its column. What is cut says so, and where
the whole text is (the input file; the workbook keeps names and notes in full)."""

from __future__ import annotations

from riskdesk.core.models import Lang
from riskdesk.core.results import AssessmentRun

TITLE_CHARS = 200
NAME_CHARS = 160
RUNNING_CHARS = 30
MAX_CELL_LINES = 36
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 1)].rstrip() + ELLIPSIS


def cut_note(total: int, lang: Lang | str) -> str:
    if str(lang) == "zh":
        return f"（以下省略；全文共 {total:,} 字，见输入文件）"
    return f" (cut here; the full {total:,} characters are in the input file)"


def cut_with_note(text: str, keep: int, lang: Lang | str) -> str:
    """The first `keep` characters of a text too long for its place, and a note saying so."""
    if len(text) <= keep:
        return text
    return text[:keep].rstrip() + ELLIPSIS + cut_note(len(text), lang)


def with_short_names(run: AssessmentRun) -> AssessmentRun:
    """`run` with chain names over `NAME_CHARS` shortened for a report's tables, charts and
    headings (the chain id beside each name keeps it identifiable; the workbook and the JSON keep
    the full name). The run itself is left alone."""
    if all(len(c.chain_name) <= NAME_CHARS for c in run.chains):
        return run
    chains = [
        c
        if len(c.chain_name) <= NAME_CHARS
        else c.model_copy(update={"chain_name": shorten(c.chain_name, NAME_CHARS)})
        for c in run.chains
    ]
    return run.model_copy(update={"chains": chains})
