"""The Word report's base: the shipped reference document (styles with the East-Asian font, A4,
update-fields-on-open), headings in Word's own heading styles, tables with explicit widths and a
repeated header row, pictures, fields (TOC, PAGE, NUMPAGES), header and footer with the marking,
core properties, and a zip whose bytes depend only on the content and the creation date.

Tables are written as WordprocessingML directly: python-docx's cell access is quadratic in the
number of rows, and the all-chains table of a large portfolio has a row per chain.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.shared import Mm, RGBColor
from docx.text.paragraph import Paragraph

from riskdesk.core.models import Lang
from riskdesk.reports.narrative import figure_caption, table_caption

REFERENCE_DOCX = Path(__file__).resolve().parents[2] / "assets" / "reports" / "reference.docx"
"""Built by scripts/build_reference_docx.py; every Word report starts from its styles."""

PAGE_W_MM = 210.0
MARGIN_X_MM = 18.0
BODY_W_MM = PAGE_W_MM - 2 * MARGIN_X_MM
TWIPS_PER_MM = 1440 / 25.4
NAVY = "1B3A5C"
ZEBRA = "F2F4F6"
MARKING_RED = RGBColor(0xB8, 0x31, 0x2F)


def toc_instruction(depth: int) -> str:
    """Word's contents field over Heading 1 to `depth`, entries as links (\\h), no page
    numbers in web view (\\z), outline levels too (\\u)."""
    return f'TOC \\o "1-{depth}" \\h \\z \\u'


class DocxError(ValueError):
    """The reference document is missing or unreadable."""


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def creation_time() -> dt.datetime:
    """`SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), else now; UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def app_properties(organisation: str, version: str) -> bytes:
    """docProps/app.xml naming riskdesk and the organisation (python-docx's template says
    "Microsoft Macintosh Word" and one page)."""
    root = ElementTree.Element(
        "Properties",
        xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    )
    ElementTree.SubElement(root, "Application").text = f"riskdesk {version}"
    ElementTree.SubElement(root, "Company").text = organisation
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode()


def fixed_zip(data: bytes, when: dt.datetime, replace: dict[str, bytes] | None = None) -> bytes:
    """The same package with every member stamped `when` (a zip stores each member's time; left
    as the time of writing, equal documents would differ in their bytes); members named in
    `replace` get the given content."""
    stamp = max(when.astimezone(dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    date_time = stamp.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            content = (replace or {}).get(info.filename)
            dst.writestr(member, src.read(info.filename) if content is None else content)
    return out.getvalue()


def _el(tag: str, **attrs: str) -> Any:
    # The parser's makeelement: python-docx's OxmlElement parses a string per element, which
    # was a quarter of a 300-chain report's build time.
    return oxml_parser.makeelement(qn(tag), {qn(f"w:{k}"): v for k, v in attrs.items()})


def _add(parent: Any, tag: str, **attrs: str) -> Any:
    el = _el(tag, **attrs)
    parent.append(el)
    return el


def _run(parent: Any, text: str, *, colour: str | None = None) -> Any:
    """A run; line breaks in `text` become <w:br/>."""
    run = _add(parent, "w:r")
    if colour is not None:
        rpr = _add(run, "w:rPr")
        _add(rpr, "w:color", val=colour)
    for i, line in enumerate(text.split("\n")):
        if i:
            _add(run, "w:br")
        t = _add(run, "w:t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, …) whose result Word and LibreOffice compute."""
    p = paragraph._p
    _add(_add(p, "w:r"), "w:fldChar", fldCharType="begin")
    instr = _add(_add(p, "w:r"), "w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _add(_add(p, "w:r"), "w:fldChar", fldCharType="separate")
    _run(p, shown)
    _add(_add(p, "w:r"), "w:fldChar", fldCharType="end")


@dataclass
class Cell:
    """A table cell: text (may hold line breaks), shading, text colour, paragraph style."""

    text: str
    fill: str | None = None
    colour: str | None = None
    style: str = "TableText"


@dataclass
class TableSpec:
    widths_mm: Sequence[float]
    head: list[str] | None = None
    rows: list[list[Cell]] = field(default_factory=list)
    zebra: bool = True


class DocxBuilder:
    """One Word document being built from the reference document."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        if not REFERENCE_DOCX.is_file():
            raise DocxError(
                f"reference document missing: {REFERENCE_DOCX} / 缺少 Word 参考文档：{REFERENCE_DOCX}"
            )
        self.doc: WordDocument = Document(str(REFERENCE_DOCX))
        self.body = self.doc.element.body
        # Everything is inserted before the section properties, found once: python-docx's
        # add_paragraph looks for them among all the body's children every time.
        self.end = self.body.sectPr
        self.headings: list[tuple[int, str]] = []
        self.figures = 0  # figures and tables numbered so far, in document order (as the PDF)
        self.tables = 0

    # --- paragraphs ---------------------------------------------------------------------------

    def _p(self, style: str, *, keep_with_next: bool = False, centred: bool = False) -> Any:
        """An empty paragraph of style id `style` at the end of the body."""
        p = _el("w:p")
        ppr = _add(p, "w:pPr")
        _add(ppr, "w:pStyle", val=style)
        if keep_with_next:
            _add(ppr, "w:keepNext")
        if centred:
            _add(ppr, "w:jc", val="center")
        self.end.addprevious(p)
        return p

    def para(self, text: str, style: str = "Normal", *, keep_with_next: bool = False) -> Any:
        """A paragraph of text; `style` is a style id of the reference document."""
        p = self._p(style, keep_with_next=keep_with_next)
        if text:
            _run(p, text)
        return p

    def note(self, text: str, *, keep_with_next: bool = False) -> Any:
        """A small grey paragraph (source lines, notes); `keep_with_next` for one that leads
        into a table (it must not end a page alone)."""
        return self.para(text, "ReportNote", keep_with_next=keep_with_next)

    def heading(self, text: str, level: int) -> Any:
        """A heading in Word's "Heading 1-3" styles (outline levels: navigation pane, TOC)."""
        level = min(max(level, 1), 3)
        self.headings.append((level, text))
        return self.para(text, f"Heading{level}")

    def figure_caption(self, caption: str, source: str) -> None:
        """"图 n 标题" / "Figure n Title" under a figure, then its source line."""
        self.figures += 1
        self.para(figure_caption(self.figures, caption, self.lang), "Caption")
        self.note(source)

    def table_caption(self, caption: str) -> None:
        """"表 n 标题" / "Table n Title" above a table (its source line goes under it)."""
        self.tables += 1
        self.para(table_caption(self.tables, caption, self.lang), "Caption", keep_with_next=True)

    def page_break(self) -> None:
        _add(_add(self._p("Normal"), "w:r"), "w:br", type="page")

    def titled(self, title: str, text: str, colour: str = NAVY) -> Any:
        """A paragraph that starts with a coloured title (a measure: title, then its text)."""
        p = self._p("Normal")
        _run(p, title + " ", colour=colour)
        _run(p, text)
        return p

    def picture(self, png: bytes, width_mm: float) -> Any:
        """A PNG image, centred, kept with the caption that follows."""
        p = self._p("Normal", keep_with_next=True, centred=True)
        Paragraph(p, self.doc._body).add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
        return p

    def pictures_side_by_side(self, images: Sequence[tuple[bytes, float]]) -> Any:
        """Images (bytes, width in mm) side by side in a borderless table, one per cell (two
        pictures in one paragraph wrap onto two lines in LibreOffice)."""
        widths = [twips(w + 4) for _, w in images]
        tbl = _el("w:tbl")
        pr = _add(tbl, "w:tblPr")
        _add(pr, "w:tblW", w=str(sum(int(w) for w in widths)), type="dxa")
        _add(pr, "w:jc", val="center")
        borders = _add(pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _add(borders, f"w:{side}", val="nil")
        _add(pr, "w:tblLayout", type="fixed")
        grid = _add(tbl, "w:tblGrid")
        for w in widths:
            _add(grid, "w:gridCol", w=w)
        tr = _add(tbl, "w:tr")
        _add(_add(tr, "w:trPr"), "w:cantSplit")
        for (png, width_mm), w in zip(images, widths, strict=True):
            tc = _add(tr, "w:tc")
            tcpr = _add(tc, "w:tcPr")
            _add(tcpr, "w:tcW", w=w, type="dxa")
            _add(tcpr, "w:vAlign", val="center")
            tc.append(self.picture(png, width_mm))  # made in the body (the image's part), moved
        self.end.addprevious(tbl)
        return tbl

    # --- tables ---------------------------------------------------------------------------------

    def table(self, spec: TableSpec) -> Any:
        """A table with its total width, grid columns and every cell's width set in twips, the
        header row repeated on each page and never split, zebra rows like the PDF."""
        tbl = _el("w:tbl")
        pr = _add(tbl, "w:tblPr")
        _add(pr, "w:tblStyle", val="TableGrid")
        _add(pr, "w:tblW", w=twips(sum(spec.widths_mm)), type="dxa")
        _add(pr, "w:tblLayout", type="fixed")
        margins = _add(pr, "w:tblCellMar")
        for side in ("left", "right"):
            _add(margins, f"w:{side}", w="85", type="dxa")
        _add(pr, "w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
             lastColumn="0", noHBand="1", noVBand="1")  # fmt: skip
        grid = _add(tbl, "w:tblGrid")
        widths = [twips(w) for w in spec.widths_mm]
        for w in widths:
            _add(grid, "w:gridCol", w=w)
        if spec.head is not None:
            head = [Cell(h, fill=NAVY, style="TableHeading") for h in spec.head]
            self._row(tbl, head, widths, header=True)
        for n, row in enumerate(spec.rows):
            zebra = ZEBRA if spec.zebra and n % 2 == 1 else None
            self._row(tbl, row, widths, header=False, zebra=zebra)
        # Before the body's section properties, like python-docx's own add_table.
        self.end.addprevious(tbl)
        self.end.addprevious(_el("w:p"))  # Word needs a paragraph between tables
        return tbl

    def _row(
        self, tbl: Any, cells: list[Cell], widths: list[str], *, header: bool,
        zebra: str | None = None,
    ) -> None:  # fmt: skip
        tr = _add(tbl, "w:tr")
        trpr = _add(tr, "w:trPr")
        _add(trpr, "w:cantSplit")
        if header:
            _add(trpr, "w:tblHeader")
        for cell, width in zip(cells, widths, strict=True):
            tc = _add(tr, "w:tc")
            tcpr = _add(tc, "w:tcPr")
            _add(tcpr, "w:tcW", w=width, type="dxa")
            fill = cell.fill or zebra
            if fill is not None:
                _add(tcpr, "w:shd", val="clear", color="auto", fill=fill)
            _add(tcpr, "w:vAlign", val="center" if header else "top")
            p = _add(tc, "w:p")
            ppr = _add(p, "w:pPr")
            _add(ppr, "w:pStyle", val=cell.style)
            _run(p, cell.text, colour=cell.colour)

    def pairs(self, rows: list[tuple[str, str]], label_mm: float, fill: str | None = None) -> Any:
        """A two-column table of label and value (summary box, profile, parameters)."""
        label = [Cell(a, fill=fill) for a, _ in rows]
        spec = TableSpec(
            widths_mm=[label_mm, BODY_W_MM - label_mm],
            rows=[[a, Cell(b)] for a, (_, b) in zip(label, rows, strict=True)],
        )
        return self.table(spec)

    # --- contents, header and footer ---------------------------------------------------------

    def contents(self, heading: str) -> Any:
        """Where the TOC field goes; `finish_contents` fills it once every heading is known."""
        self.para(heading, "TOCHeading")
        return self.para("", "TOC1")

    def finish_contents(self, slot: Any, depth: int = 3) -> None:
        """A TOC field over Heading 1 to `depth` whose shown result already lists those
        headings (a reader without field updates still sees the contents); Word recomputes it
        with page numbers on open (updateFields in settings.xml)."""
        first = slot
        _add(_add(first, "w:r"), "w:fldChar", fldCharType="begin")
        instr_run = _add(first, "w:r")
        instr = _add(instr_run, "w:instrText")
        instr.text = f" {toc_instruction(depth)} "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _add(_add(first, "w:r"), "w:fldChar", fldCharType="separate")
        last = first
        listed = [(level, text) for level, text in self.headings if level <= depth]
        for i, (level, text) in enumerate(listed):
            if i == 0:
                first.find(qn("w:pPr")).find(qn("w:pStyle")).set(qn("w:val"), f"TOC{level}")
                _run(first, text)
                continue
            p = _el("w:p")
            ppr = _add(p, "w:pPr")
            _add(ppr, "w:pStyle", val=f"TOC{level}")
            _run(p, text)
            last.addnext(p)
            last = p
        _add(_add(last, "w:r"), "w:fldChar", fldCharType="end")

    def decorate(
        self, *, title: str, marking: str, organisation: str, date: str, page_label: str
    ) -> None:
        """Header: the title left, the marking right (in red); the cover shows the marking
        only. Footer: organisation, "page x / y" from PAGE and NUMPAGES fields, the date."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        right = Mm(BODY_W_MM)
        centre = Mm(BODY_W_MM / 2)
        for header, with_title in ((section.header, True), (section.first_page_header, False)):
            p = header.paragraphs[0]
            p.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            if with_title:
                p.add_run(title)
            if marking:
                p.add_run("\t")
                mark = p.add_run(marking)
                mark.font.color.rgb = MARKING_RED
        for footer in (section.footer, section.first_page_footer):
            p = footer.paragraphs[0]
            stops = p.paragraph_format.tab_stops
            stops.add_tab_stop(centre, WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            p.add_run(f"{organisation}\t")
            before, _, rest = page_label.partition("{page}")
            middle, _, after = rest.partition("{pages}")
            p.add_run(before)
            add_field(p, "PAGE", "1")
            p.add_run(middle)
            add_field(p, "NUMPAGES", "1")
            p.add_run(f"{after}\t{date}")

    # --- saving -----------------------------------------------------------------------------------

    def properties(
        self, *, title: str, subject: str, author: str, keywords: list[str], lang: str,
        created: dt.datetime, version: str,
    ) -> None:  # fmt: skip
        props = self.doc.core_properties
        props.title = title
        props.subject = subject
        props.author = author
        props.last_modified_by = author
        props.keywords = "; ".join(keywords)
        props.language = "zh-CN" if lang == "zh" else "en-US"
        props.comments = f"riskdesk {version}"
        props.category = subject
        props.created = props.modified = created.replace(tzinfo=None)
        props.revision = 1

    def to_bytes(self, created: dt.datetime, *, organisation: str, version: str) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        app = app_properties(organisation, version)
        return fixed_zip(buf.getvalue(), created, {"docProps/app.xml": app})
