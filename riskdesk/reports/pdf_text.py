"""Line breaking for report paragraphs in Chinese and English (GB/T 15834 practice): no line
starts with closing punctuation, none ends with opening punctuation, a number stays with its
unit or symbol (joined by a no-break space, "g = 0.77", "30 %"), and Latin words and numbers
are broken only when one is longer than the line.

reportlab's CJK wrapping breaks before any character and knows only the Japanese "cannot
start" set (its `textsplit.ALL_CANNOT_START` lacks ， ； ： ” ’ ！ ？), and it treats a no-break
space as an ordinary space; `ReportParagraph` replaces that step with the rules above and
keeps everything else of `Paragraph` (markup, fonts, splitting across pages)."""

from __future__ import annotations

import re
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines

NO_START = frozenset(
    "，。、；：？！）］｝」』”’》〉】〕〗…‥・·～%‰℃"
    ",.;:?!)]}"
    "\u00a0\u2060"
)
"""Characters a line must not start with: closing punctuation, percent and degree signs, and
the no-break space / word joiner (they glue what is on either side)."""

NO_END = frozenset("（［｛「『“‘《〈【〔〖([{\u00a0\u2060")
"""Characters a line must not end with: opening punctuation and the joiners."""

OPERATORS = frozenset("=≠<>≤≥≈×·+−±→")
"""Relations and operators that stay on the line of the numbers around them."""

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


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_width(ch: str, font: str, size: float) -> float:
    """Advance width of one character (cached: the pure-Python width routine per character
    would dominate a long report)."""
    table = _WIDTHS.setdefault((font, size), {})
    width = table.get(ch)
    if width is None:
        width = table[ch] = stringWidth(ch, font, size)
    return width


def split_glyphs(frags: list[Any], max_widths: list[float]) -> Any:
    """Lines within `max_widths`, breaking only where `can_break_before` allows (a longer Latin
    word or a run without any break point is cut where it overflows). `frags` are reportlab's
    text fragments of one paragraph (no inline images)."""
    chars: list[str] = []
    owner: list[int] = []
    widths: list[float] = []
    for k, f in enumerate(frags):
        text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
        if not text:  # an empty fragment, e.g. the line break of <br/>
            chars.append("")
            owner.append(k)
            widths.append(0.0)
            continue
        font, size = f.fontName, f.fontSize
        for ch in text:
            chars.append(ch)
            owner.append(k)
            widths.append(_char_width(ch, font, size))
    n = len(chars)
    breaks = {i for i in range(n) if not chars[i] and hasattr(frags[owner[i]], "lineBreak")}
    lines: list[Any] = []
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        forced = False
        while i < n:
            used += widths[i]
            i += 1
            if i - 1 in breaks:
                forced = True
                break
            if used > max_width + _FUZZ:
                i -= 1  # character i does not fit
                break
        end = i if forced or i >= n else _line_end(chars, start, i)
        width = sum(widths[start:end])
        lines.append(_line(frags, chars, owner, start, end, max_width, width, forced))
        start = end
        # The space a line was broken at is not carried to the next line.
        while start < n and chars[start] == " " and not forced:
            start += 1
    return ParaLines(kind=1, lines=lines)


def _line(frags: list[Any], chars: list[str], owner: list[int], start: int, end: int,
          max_width: float, width: float, forced: bool) -> Any:
    """One line as reportlab draws it: runs of characters of one fragment, with the line's
    largest font size and ascent/descent."""
    words = []
    size = ascent = descent = 0.0
    i = start
    while i < end:
        k = owner[i]
        j = i
        while j < end and owner[j] == k:
            j += 1
        f = frags[k]
        word = f.clone()
        word.text = "".join(chars[i:j])
        words.append(word)
        up, down = getAscentDescent(f.fontName, f.fontSize)
        size, ascent, descent = max(size, f.fontSize), max(ascent, up), min(descent, down)
        i = j
    # A closing mark hung in the margin makes the line wider than max_width; reportlab would
    # then squeeze the line by a negative word spacing on its (no-break) spaces, drawing
    # "得分 0.94" over itself. The hung mark simply overhangs instead.
    return FragLine(kind=1, extraSpace=max(0.0, max_width - width), wordCount=1, words=words,
                    fontSize=size, ascent=ascent, descent=descent, maxWidth=max_width,
                    currentWidth=width, lineBreak=forced)


def _line_end(glyphs: list[str], start: int, overflow: int) -> int:
    """Where the line from `start` ends, given that glyph `overflow` does not fit."""
    # Hang one closing mark in the margin when the line could end after it.
    if glyphs[overflow] in NO_START and glyphs[overflow] not in "\u00a0\u2060":
        after = overflow + 1
        if after >= len(glyphs) or can_break_before(glyphs[overflow], glyphs[after]):
            return after
    for k in range(overflow, start, -1):
        prev, nxt = glyphs[k - 1], glyphs[k]
        if prev == " ":
            if not _glued(glyphs[k - 2] if k >= 2 else "", nxt):
                return k
        elif nxt != " " and can_break_before(prev, nxt):  # a space breaks after itself
            return k
    return max(overflow, start + 1)  # no break point at all: cut where it overflows


def _glued(before: str, after: str) -> bool:
    """Whether the space between `before` and `after` must not break: either side is a
    relation or operator ("g = 0.77", "≥ 0.6") or the next is a unit sign ("30 %")."""
    return before in OPERATORS or after in OPERATORS or after in NO_START


_SPACE_AFTER_RELATION = re.compile(r"(?<=[=≠≤≥≈×±]) ")
_SPACE_BEFORE_RELATION = re.compile(r" (?=[=≠≤≥≈×±%‰])")


def glue(text: str) -> str:
    """Turn the spaces around relations and before unit signs into no-break spaces, so
    "g = 0.77", "ρ ≥ 0.7" and "30 %" stay on one line in either wrapping mode (reportlab's
    word wrapping honours U+00A0). Markup attributes have no such spaces."""
    text = _SPACE_AFTER_RELATION.sub("\u00a0", text)
    return _SPACE_BEFORE_RELATION.sub("\u00a0", text)


class ReportParagraph(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A Paragraph whose CJK-mode line breaking follows the rules of this module, with the
    spaces around relations and units glued."""

    def __init__(self, text: str | None, style: Any, *args: Any, **kwargs: Any) -> None:
        # split parts are made with text None and the frags of the whole
        super().__init__(glue(text) if isinstance(text, str) else text, style, *args, **kwargs)

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
        return split_glyphs(frags, widths)

