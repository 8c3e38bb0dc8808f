"""PDF navigation pieces: the canvas that binds bookmarks to the page they are drawn on and
finishes pages (footer "x / y", contents page numbers) once all are laid out, and the contents
page's entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

CONTENTS_DEPTH = 1
"""Headings of outline level 0 and 1 are listed on the contents page."""
CONTENTS_NUMBER_W = 14 * mm


class ContentsSlot(Flowable):  # type: ignore[misc]
    """Where the contents page goes (right after the cover); replaced when the story is built."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return (0, 0)

    def draw(self) -> None:
        return


class ContentsEntry(Paragraph):  # type: ignore[misc]
    """One line of the contents page. Its page number is not known while it is laid out, so
    the entry reserves a fixed column for it and records where it was drawn; the number (and
    the dotted leader) is drawn when the page is finished, once every heading has its page."""

    def __init__(
        self, markup: str, key: str, style: ParagraphStyle, sink: list[ContentsMark]
    ) -> None:
        super().__init__(markup, style)
        self.key = key
        self.sink = sink

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # An entry moves to the next page whole (a split part would lose its key).
        return []

    def drawOn(  # noqa: N802 - reportlab API
        self,
        canvas: Canvas,
        x: float,
        y: float,
        _sW: float = 0,  # noqa: N803
    ) -> None:
        super().drawOn(canvas, x, y, _sW)
        lines = self.blPara.lines
        style = self.style
        baseline = y + self.height - style.fontSize - (len(lines) - 1) * style.leading
        last = lines[-1]
        # Plain lines are (spare width, words); lines with markup are objects.
        spare = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0.0)
        text_end = x + self.width - style.rightIndent - float(spare)
        left, bottom = canvas.absolutePosition(text_end, baseline)
        self.sink.append(ContentsMark(canvas.getPageNumber(), self.key, left, bottom))


class ContentsMark:
    """Where a contents entry ended up: page (1-based), heading key, end of its text."""

    __slots__ = ("key", "page", "x", "y")

    def __init__(self, page: int, key: str, x: float, y: float) -> None:
        self.page = page
        self.key = key
        self.x = x
        self.y = y


DateFormatter = Callable[[int, int, int, int, int, int], str]


def numbered_canvas(
    decorate: Callable[[Canvas, int, int], None], font: str, date_formatter: DateFormatter
) -> type[Canvas]:
    """A canvas that keeps each page's state so the footer can say "x / y" once y is known.

    Pages reach the document only in `save`, so a destination bound while a page is being
    drawn would point at the first page: bookmarks are queued with their page and bound when
    the page is really emitted."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The page preamble selects the initial font; Helvetica there would be a
            # non-embedded font in the file even though no text uses it.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, float, float]] = []
            self.setDateFormatter(date_formatter)

        def bookmarkHorizontal(  # noqa: N802 - reportlab API
            self,
            key: str,
            x: float,
            y: float,
            **kw: Any,
        ) -> None:
            left, top = self.absolutePosition(x, y)
            self._marks.append((key, left, top))

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                for key, left, top in self._marks:
                    self.bookmarkHorizontalAbsolute(key, top, left=left)
                super().showPage()
            super().save()

    return NumberedCanvas


def pdf_date(moment: dt.datetime) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSS+HH'mm') of an aware or UTC-naive datetime."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")
