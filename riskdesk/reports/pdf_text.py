"""Line breaking for report paragraphs in Chinese and English (GB/T 15834 practice): no line
starts with closing punctuation, none ends with opening punctuation, a number stays with its
unit or symbol (joined by a no-break space, "g = 0.77", "30 %"), and Latin words and numbers
are broken only when one is longer than the line.

reportlab's CJK wrapping breaks before any character and knows only the Japanese "cannot
start" set (its `textsplit.ALL_CANNOT_START` lacks ， ； ： ” ’ ！ ？), and it treats a no-break
space as an ordinary space; `ReportParagraph` replaces that step with the rules above and
keeps everything else of `Paragraph` (markup, fonts, splitting across pages)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    cjkU,
    makeCJKParaLine,
)

NO_START = frozenset(
    "，。、；：？！）］｝」』”’》〉】〕〗…‥・·～%‰℃"
    ",.;:?!)]}"
    "\u00a0\u2060"
)
"""Characters a line must not start with: closing punctuation, percent and degree signs, and
the no-break space / word joiner (they glue what is on either side)."""

NO_END = frozenset("（［｛「『“‘《〈【〔〖([{\u00a0\u2060")
"""Characters a line must not end with: opening punctuation and the joiners."""

_FUZZ = 1e-6


def _latin(ch: str) -> bool:
    """Part of a Latin word or number (kept whole when the line allows)."""
    return ord(ch) < 0x2E80 and not ch.isspace() and ch not in "\u00a0\u2060" and ch not in "/-–—"


def can_break_before(prev: str, nxt: str) -> bool:
    """Whether a line may end after `prev` and the next begin with `nxt`."""
    if nxt in NO_START or prev in NO_END:
        return False
    return not (_latin(prev) and _latin(nxt))


def break_points(text: str) -> list[bool]:
    """For each index k > 0: whether a line may start at text[k] (a plain-string helper, used
    by tests and by the glyph splitter below)."""
    return [False] + [can_break_before(text[k - 1], text[k]) for k in range(1, len(text))]


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        return float(w.normalizedValue(max_width))
    return float(w)


def split_glyphs(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """Lines of glyphs within `max_widths`, breaking only where `can_break_before` allows
    (a longer Latin word or a run without any break point is cut where it overflows)."""
    glyphs: list[Any] = []
    for f in frags:
        text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
        if text:
            glyphs.extend(cjkU(ch, f, "utf8") for ch in text)
        else:
            glyphs.append(cjkU(text, f, "utf8"))
    lines: list[Any] = []
    n = len(glyphs)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        forced = False
        while i < n:
            u = glyphs[i]
            used += _width(u, max_width)
            i += 1
            if hasattr(u.frag, "lineBreak"):
                forced = True
                break
            if used > max_width + _FUZZ:
                i -= 1  # glyph i does not fit
                break
        end = i if forced or i >= n else _line_end(glyphs, start, i)
        width = sum(_width(g, max_width) for g in glyphs[start:end])
        lines.append(
            makeCJKParaLine(glyphs[start:end], max_width, width, max_width - width, forced,
                            calc_bounds)
        )
        start = end
        # The space a line was broken at is not carried to the next line.
        while start < n and glyphs[start] == " " and not forced:
            start += 1
    return ParaLines(kind=1, lines=lines)


def _line_end(glyphs: list[Any], start: int, overflow: int) -> int:
    """Where the line from `start` ends, given that glyph `overflow` does not fit."""
    # Hang one closing mark in the margin when the line could end after it.
    if glyphs[overflow] in NO_START and glyphs[overflow] not in "\u00a0\u2060":
        after = overflow + 1
        if after >= len(glyphs) or can_break_before(glyphs[overflow], glyphs[after]):
            return after
    for k in range(overflow, start, -1):
        prev, nxt = glyphs[k - 1], glyphs[k]
        if prev == " " or can_break_before(prev, nxt):
            return k
    return max(overflow, start + 1)  # no break point at all: cut where it overflows


class ReportParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A Paragraph whose CJK-mode line breaking follows the rules of this module."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab API
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        self.height = 0
        frags = self.frags
        if not frags:
            return super().breakLinesCJK(widths)
        if self.bulletText or any(hasattr(f, "cbDefn") for f in frags):
            return super().breakLinesCJK(widths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_glyphs(frags, widths, auto not in ("", "off"))

