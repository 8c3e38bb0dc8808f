"""The PDF base: page geometry, fonts, paragraph styles, header/footer with marking and "x / y",
outline (bookmarks landing on their heading), a contents page with page numbers, metadata and
deterministic output. Subclasses only build the story."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import AssessmentRun
from riskdesk.core.rounds import RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.fonts import ensure_fonts
from riskdesk.reports.narrative import figure_caption, source_line, table_caption
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf_nav import (
    CONTENTS_DEPTH,
    CONTENTS_NUMBER_W,
    ContentsEntry,
    ContentsMark,
    ContentsSlot,
    DateFormatter,
    numbered_canvas,
    pdf_date,
)
from riskdesk.reports.pdf_styles import CELL_SIZE, INK, MARKING_RED, MUTED, RULE, Styles
from riskdesk.reports.pdf_text import ReportParagraph
from riskdesk.reports.templates import ReportText, load_report_text
from riskdesk.reports.text_limits import (
    MAX_CELL_LINES,
    RUNNING_CHARS,
    TITLE_CHARS,
    cut_note,
    cut_with_note,
    shorten,
)

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
BODY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
SECTION_START_ROOM = 0.4 * BODY_H
"""A section (a chain, the appendix) starts on the current page when this much is left."""


class CellText:
    """Text for a table cell, laid out by `ReportPdf.table` as a string or a Paragraph."""

    __slots__ = ("style", "text")

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        self.text = text
        self.style = style


def _text_width(text: str, size: float) -> float:
    """Upper estimate of the rendered width: CJK glyphs one em, others at most 0.62 em."""
    return sum(size if ord(ch) > 0x2E7F else 0.62 * size for ch in text)


def _words_fit(text: str, size: float, width: float) -> bool:
    """Text without CJK whose every word fits the width: it can wrap between words (CJK
    wrapping would break "Capability destroyed" as "Capability destroye / d")."""
    if width <= 0 or any(ord(ch) > 0x2E7F for ch in text):
        return False
    return all(_text_width(word, size) <= width for word in text.split())


class Heading(ReportParagraph):
    """A paragraph that also becomes an outline entry (bookmark) at `level`, landing on the
    heading's own page and height; levels 0 and 1 are listed on the contents page."""

    def __init__(
        self, text: str, style: ParagraphStyle, level: int, key: str, *, listed: bool = True
    ) -> None:
        text = shorten(text, TITLE_CHARS)  # a name of any length stays a heading
        super().__init__(_escape(text), style)
        self.outline_level = level
        self.outline_key = key
        self.outline_title = text
        self.listed = listed and level <= CONTENTS_DEPTH
        self.running_title: str | None = None  # set on a chain's heading in a portfolio

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # A heading moves to the next page whole: never half a title, and a split part
        # would be built without the outline key.
        return []

    def drawOn(  # noqa: N802 - reportlab API
        self,
        canvas: Canvas,
        x: float,
        y: float,
        _sW: float = 0,  # noqa: N803
    ) -> None:
        # The destination is the top of the heading's text, on the page it is drawn on.
        canvas.bookmarkHorizontal(self.outline_key, x, y + self.height)
        super().drawOn(canvas, x, y, _sW)


def walk_headings(flowables: list[Flowable]) -> Iterator[Heading]:
    """Every heading in a story, including those held together with their content."""
    for f in flowables:
        if isinstance(f, Heading):
            yield f
        inner = getattr(f, "_content", None)
        if isinstance(inner, list):
            yield from walk_headings(inner)


class ProgressMark(Flowable):  # type: ignore[misc]
    """Zero-size marker: reaching it during layout reports progress and honours cancel."""

    def __init__(self, fraction: float, message: str) -> None:
        super().__init__()
        self.fraction = fraction
        self.message = message
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return (0, 0)

    def draw(self) -> None:
        return


class ReportPdf:
    """Base of every PDF report. Subclasses implement `story()`; this class does the rest."""

    def __init__(
        self,
        run: AssessmentRun,
        options: ReportOptions,
        taxonomy: Taxonomy,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> None:
        self.run = run
        self.options = options
        self.taxonomy = taxonomy
        self.lang = options.lang
        self.text: ReportText = load_report_text(options.lang)
        self.marking = options.marking_text(self.text.label("default_marking"))
        self.font = ensure_fonts(options.font_path)
        self.styles = Styles(self.font.pdf_name)
        self.progress = progress
        self.cancel = cancel
        # Filled while the document is laid out; read when the pages are finished.
        self.page_of: dict[str, int] = {}
        self.contents_marks: list[ContentsMark] = []
        self.running: dict[int, str] = {}
        self._running_chain = ""
        self._marks_by_page: dict[int, list[ContentsMark]] | None = None
        self._word_styles: dict[str, ParagraphStyle] = {}
        self.changes: RoundDiff | None = None  # the diff from the previous round, if any
        self.figures = 0  # figures and tables numbered so far, in story order
        self.tables = 0

    # --- for subclasses ----------------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def subject(self) -> str:
        return self.title()

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def keywords(self) -> list[str]:
        """Subject terms, then what identifies the method (taxonomy name and hash)."""
        terms = [k.strip() for k in self.text.say("keywords").split(",")]
        return [*terms, self.taxonomy.name, self.run.taxonomy.sha256]

    # --- shared helpers ------------------------------------------------------------------------

    def report_date(self) -> str:
        date = self.options.date
        if date is None:
            try:
                date = dt.datetime.fromisoformat(self.run.assessed_at).date()
            except ValueError:
                return self.run.assessed_at
        return date.isoformat()

    def heading(self, text: str, level: int, key: str, *, listed: bool = True) -> Heading:
        style = (self.styles.h1, self.styles.h2, self.styles.h3)[min(level, 2)]
        return Heading(text, style, level, key, listed=listed)

    def creation_date(self) -> DateFormatter:
        """CreationDate and ModDate: `SOURCE_DATE_EPOCH` when set (the reproducible-builds
        convention), else the time of the assessment run, so equal inputs still give equal
        bytes and the date is a real one."""

        def formatter(year: int, month: int, day: int, hour: int, minute: int, sec: int) -> str:
            given = f"D:{year:04d}{month:02d}{day:02d}{hour:02d}{minute:02d}{sec:02d}+00'00'"
            if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
                return given
            try:
                return pdf_date(dt.datetime.fromisoformat(self.run.assessed_at))
            except ValueError:
                date = self.options.date
                return given if date is None else pdf_date(dt.datetime(*date.timetuple()[:3]))

        return formatter

    def contents(self, story: list[Flowable]) -> list[Flowable]:
        """The contents page: every listed heading of the story, page numbers drawn later."""
        base = self.styles.body
        top = ParagraphStyle(
            "contents0",
            parent=base,
            fontSize=10.5,
            leading=15,
            spaceBefore=5,
            spaceAfter=1,
            rightIndent=CONTENTS_NUMBER_W,
        )
        sub = ParagraphStyle(
            "contents1",
            parent=base,
            fontSize=9,
            leading=12.5,
            spaceAfter=1,
            leftIndent=6 * mm,
            rightIndent=CONTENTS_NUMBER_W,
        )
        out: list[Flowable] = [self.heading(self.text.h("contents"), 0, "contents", listed=False)]
        for h in walk_headings(story):
            if h.listed:
                style = top if h.outline_level == 0 else sub
                out.append(
                    ContentsEntry(
                        _escape(h.outline_title), h.outline_key, style, self.contents_marks
                    )
                )
        out.append(PageBreak())
        return out

    def table(self, data: list[list[Any]], *, long: bool = False, **kwargs: Any) -> Table:
        """A table in the CJK face; `CellText` cells become plain strings when they fit their
        column (a Paragraph per cell would dominate a 1,000-chain build) and Paragraphs when
        they must wrap. `long`: a table over many pages, each split measuring only the rows
        that fit (a plain Table re-measures every remaining row at each page)."""
        widths = kwargs.get("colWidths")
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.font.pdf_name),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
            ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.3),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ]
        rows = []
        for r, row in enumerate(data):
            out = []
            for c, cell in enumerate(row):
                if isinstance(cell, CellText):
                    width = widths[c] - 7 if widths is not None else 0.0
                    bounded = self._bounded(cell, width)
                    text, style = bounded.text, bounded.style
                    if "\n" not in text and _text_width(text, style.fontSize) <= width:
                        out.append(text)
                        if style.fontSize != CELL_SIZE:
                            commands.append(("FONTSIZE", (c, r), (c, r), style.fontSize))
                        if style.textColor.hexval() != INK.hexval():
                            commands.append(("TEXTCOLOR", (c, r), (c, r), style.textColor))
                    else:
                        if _words_fit(text, style.fontSize, width):
                            style = self._word_wrapped(style)
                        out.append(ReportParagraph(_escape(text), style))
                elif type(cell) in (Paragraph, ReportParagraph):
                    out.append(self._bounded_paragraph(cell, widths[c] - 7 if widths else 0.0))
                else:
                    out.append(cell)
            rows.append(out)
        table = (LongTable if long else Table)(rows, **kwargs)
        table.setStyle(TableStyle(commands))
        return table

    def _bounded(self, cell: CellText, width: float) -> CellText:
        """`cell` cut, with a note, to what `MAX_CELL_LINES` lines of its column hold (a table
        row cannot break across pages, so one long text would otherwise stop the whole PDF)."""
        size = cell.style.fontSize
        column = width if width > 0 else BODY_W / 2
        # No glyph is wider than one em, nor the note than 40: most cells stop here unmeasured.
        if (len(cell.text) + 40) * size <= column * MAX_CELL_LINES:
            return cell
        room = column * MAX_CELL_LINES - _text_width(cut_note(len(cell.text), self.lang), size)
        if _text_width(cell.text, size) <= room:
            return cell
        keep, used = 0, 0.0
        for ch in cell.text:
            used += _text_width(ch, size)
            if used > room * 0.9:  # lines rarely end flush: leave a margin
                break
            keep += 1
        return CellText(cut_with_note(cell.text, keep, self.lang), cell.style)

    def _bounded_paragraph(self, cell: Paragraph, width: float) -> Paragraph:
        """A Paragraph cell held to the same bound as text cells (its markup is dropped only
        when it is cut)."""
        plain = cell.getPlainText()
        if len(plain) < 400:  # nothing this short can outgrow a page
            return cell
        bounded = self._bounded(CellText(plain, cell.style), width)
        return cell if bounded.text == plain else ReportParagraph(_escape(bounded.text),
                                                                   cell.style)

    def _word_wrapped(self, style: ParagraphStyle) -> ParagraphStyle:
        """`style` wrapping between words only (for text without CJK characters)."""
        name = f"{style.name}-words"
        cached = self._word_styles.get(name)
        if cached is None:
            cached = self._word_styles[name] = ParagraphStyle(name, parent=style, wordWrap=None)
        return cached

    def para(self, text: str, style: ParagraphStyle | None = None) -> ReportParagraph:
        return ReportParagraph(_escape(text), style or self.styles.body)

    # --- numbered figures and tables -----------------------------------------------------------

    def source(self, text: str | None = None) -> ReportParagraph:
        """The source line under a figure or table (default: this run and its taxonomy)."""
        return self.para(text or source_line(self.run, self.lang), self.styles.source)

    def figure(self, body: Flowable, title: str, source: str | None = None, *,
               lead: list[Flowable] | None = None) -> KeepTogether:
        """A figure with "图 n 标题" / "Figure n Title" under it and its source line, kept
        together on one page with `lead` (its heading: reportlab's keepWithNext does not
        reach into a KeepTogether, so the heading must be inside it)."""
        self.figures += 1
        caption = self.para(figure_caption(self.figures, title, self.lang),
                            self.styles.figure_caption)
        return KeepTogether([*(lead or []), body, caption, self.source(source)])

    def long_table(self, lead: list[Flowable], table: Flowable, source: Flowable,
                   room: float = 45 * mm) -> list[Flowable]:
        """A table that may run over pages, with its heading and caption (`lead`): they start a
        new page only when less than `room` is left, then the table splits where the page
        ends. (Kept together instead, a long table would move whole to the next page and leave
        the text before it alone on a near-empty one.)"""
        for f in lead:
            f.keepWithNext = 0
        return [CondPageBreak(room), *lead, table, source]

    def table_caption(self, title: str) -> ReportParagraph:
        """"表 n 标题" / "Table n Title", set above its table (kept with it)."""
        self.tables += 1
        return self.para(table_caption(self.tables, title, self.lang), self.styles.table_caption)

    # --- page decoration -----------------------------------------------------------------------

    def running_title(self, number: int) -> str:
        """The header's text on page `number`: the title, and the chain the page belongs to.
        Pages are decorated in order, so the chain carries over from the previous page."""
        self._running_chain = self.running.get(number, self._running_chain)
        title = shorten(self.title(), TITLE_CHARS)
        chain = shorten(self._running_chain, RUNNING_CHARS)
        return f"{title} · {chain}" if chain else title

    def _draw_contents_numbers(self, canv: Canvas, number: int) -> None:
        right = PAGE_W - MARGIN_X
        if self._marks_by_page is None:  # every page is laid out when the first is decorated
            self._marks_by_page = {}
            for m in self.contents_marks:
                self._marks_by_page.setdefault(m.page, []).append(m)
        for mark in self._marks_by_page.get(number, []):
            if mark.key not in self.page_of:
                continue
            label = str(self.page_of[mark.key])
            canv.setFont(self.font.pdf_name, 9)
            canv.setFillColor(INK)
            canv.drawRightString(right, mark.y, label)
            start, end = mark.x + 3, right - canv.stringWidth(label, self.font.pdf_name, 9) - 3
            if end > start:
                canv.setStrokeColor(RULE)
                canv.setLineWidth(0.6)
                canv.setDash(0.6, 2.4)
                canv.line(start, mark.y + 1, end, mark.y + 1)
                canv.setDash()

    def _decorate(self, canv: Canvas, number: int, total: int) -> None:
        font = self.font.pdf_name
        canv.saveState()
        self._draw_contents_numbers(canv, number)
        canv.setFont(font, 8)
        if number > 1:
            canv.setFillColor(MUTED)
            room = BODY_W - (_text_width(self.marking, 9) + 8 * mm if self.marking else 0)
            header = self.running_title(number)
            while _text_width(header, 8) > room and len(header) > 2:
                header = header[:-2] + "…"
            canv.drawString(MARGIN_X, PAGE_H - 13 * mm, header)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(MARGIN_X, PAGE_H - 15 * mm, PAGE_W - MARGIN_X, PAGE_H - 15 * mm)
        if self.marking:
            canv.setFillColor(MARKING_RED)
            canv.setFont(font, 9)
            canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 13 * mm, self.marking)
        canv.setFont(font, 8)
        canv.setFillColor(MUTED)
        canv.setStrokeColor(RULE)
        canv.line(MARGIN_X, 14 * mm, PAGE_W - MARGIN_X, 14 * mm)
        if self.options.organisation:
            canv.drawString(MARGIN_X, 10 * mm, self.options.organisation)
        canv.drawCentredString(
            PAGE_W / 2, 10 * mm, self.text.label("page").format(page=number, pages=total)
        )
        canv.drawRightString(PAGE_W - MARGIN_X, 10 * mm, self.report_date())
        canv.restoreState()

    # --- building --------------------------------------------------------------------------------

    def build(self, path: Path) -> None:
        self.page_of, self.contents_marks, self.running = {}, [], {}
        self.figures = self.tables = 0
        self._running_chain, self._marks_by_page = "", None
        story = self.story()
        for i, f in enumerate(story):
            if isinstance(f, ContentsSlot):
                story[i : i + 1] = self.contents(story)
                break
        checkpoint(self.cancel)
        doc = BaseDocTemplate(
            str(path),
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=self.title(),
            author=self.options.author or self.options.organisation,
            subject=self.subject(),
            creator=f"riskdesk {self.run.riskdesk_version}",
            producer="riskdesk (reportlab)",
            keywords=self.keywords(),
            lang="zh-CN" if self.lang == "zh" else "en",
            invariant=1,
            initialFontName=self.font.pdf_name,
            pageCompression=1,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            BODY_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        progress, cancel = self.progress, self.cancel

        def after_flowable(flowable: Flowable) -> None:
            if isinstance(flowable, Heading):
                canv = doc.canv
                self.page_of[flowable.outline_key] = doc.page
                if flowable.running_title is not None:
                    self.running[doc.page] = flowable.running_title
                elif flowable.outline_level == 0:
                    self.running[doc.page] = ""
                canv.addOutlineEntry(
                    flowable.outline_title,
                    flowable.outline_key,
                    level=flowable.outline_level,
                    closed=flowable.outline_level > 0,
                )
            elif isinstance(flowable, ProgressMark):
                checkpoint(cancel)
                report(progress, flowable.fraction, flowable.message)

        doc.afterFlowable = after_flowable
        # ASCII85 only makes streams 25 % larger and slower to write; PDF is binary-safe.
        use_a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            canvasmaker = numbered_canvas(self._decorate, self.font.pdf_name, self.creation_date())
            doc.build(story, canvasmaker=canvasmaker)
        finally:
            rl_config.useA85 = use_a85


def _escape(text: str) -> str:
    """Paragraphs take markup; user and data text must not be read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
