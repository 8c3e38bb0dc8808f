"""Build assets/reports/reference.docx: the styles every Word report of riskdesk is built from.

    python scripts/build_reference_docx.py          # rewrites the file (same bytes every time)

Word picks the font of Chinese text from `w:rFonts w:eastAsia`; python-docx's template leaves it
to the theme, whose East-Asian font is empty, so Word falls back by language and Chinese comes
out in a Japanese face. Here every style a report uses — the defaults, Normal, Heading 1-3, Title,
Subtitle, caption, the contents levels, header, footer and the table text — names a Chinese face
(宋体 for text, 黑体 for headings; both ship with every Chinese Windows, and LibreOffice maps
them to the CJK face it has). Headings are Word's own "heading 1-3" (outline levels 0-2), so the
navigation pane and the TOC field work. settings.xml asks Word to update fields on open, so the
contents are filled in when the reader opens the file. Page: A4, the PDF's margins.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle

from riskdesk.reports.docx_base import fixed_zip

OUT = Path(__file__).resolve().parents[1] / "assets" / "reports" / "reference.docx"

LATIN = "Arial"
BODY_CJK = "SimSun"  # 宋体
HEADING_CJK = "SimHei"  # 黑体
NAVY = RGBColor(0x1B, 0x3A, 0x5C)
BLUE = RGBColor(0x2E, 0x59, 0x84)
MUTED = RGBColor(0x5D, 0x6D, 0x7E)
MARKING_RED = RGBColor(0xB8, 0x31, 0x2F)
GRID = "C5CCD3"

KEPT_STYLES = {
    "Normal", "Header", "HeaderChar", "Footer", "FooterChar", "Heading1", "Heading2", "Heading3",
    "Heading1Char", "Heading2Char", "Heading3Char", "DefaultParagraphFont", "TableNormal",
    "NoList", "Title", "TitleChar", "Subtitle", "SubtitleChar", "Caption", "TOCHeading",
    "TableGrid",
}  # fmt: skip


def set_fonts(rpr_parent: BaseStyle | None, rpr: object | None = None, *, cjk: str) -> None:
    """Explicit fonts on a style's run properties: Latin and East-Asian, no theme fonts."""
    target = rpr if rpr is not None else rpr_parent.element.get_or_add_rPr()  # type: ignore[union-attr]
    fonts = target.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        target.insert(0, fonts)  # type: ignore[attr-defined]
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), cjk)
    fonts.set(qn("w:cs"), LATIN)


def paragraph_style(doc: object, style_id: str, name: str) -> BaseStyle:
    styles = doc.styles  # type: ignore[attr-defined]
    try:
        return styles[name]  # type: ignore[no-any-return]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = styles["Normal"]
        return style  # type: ignore[no-any-return]


def shape(
    style: BaseStyle,
    *,
    size: float,
    cjk: str = BODY_CJK,
    colour: RGBColor | None = None,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    bold: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    set_fonts(style, cjk=cjk)
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    style.font.bold = bold  # type: ignore[attr-defined]
    style.font.italic = None  # type: ignore[attr-defined]
    if colour is not None:
        style.font.color.rgb = colour  # type: ignore[attr-defined]
        colour_el = style.element.rPr.find(qn("w:color"))
        for key in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour_el.attrib.pop(qn(key), None)
    pf = style.paragraph_format  # type: ignore[attr-defined]
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if align is not None:
        pf.alignment = align


def strip_template(doc: object) -> None:
    """Drop what python-docx's template carries but a report must not: its thumbnail (a
    picture of another document), stylesWithEffects (a stale second copy of the styles),
    customXml, and the styles no report uses."""
    pkg = doc.part.package  # type: ignore[attr-defined]
    for rel_id, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rel_id]
    part = doc.part  # type: ignore[attr-defined]
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"):
            del part.rels[rel_id]
    root = doc.styles.element  # type: ignore[attr-defined]
    for el in root.findall(qn("w:style")):
        if el.get(qn("w:styleId")) not in KEPT_STYLES:
            root.remove(el)
    body = doc.element.body  # type: ignore[attr-defined]
    for p in body.findall(qn("w:p")):
        body.remove(p)


def defaults(doc: object) -> None:
    """Document defaults: the fonts and Chinese as the East-Asian language."""
    root = doc.styles.element  # type: ignore[attr-defined]
    rpr = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(None, rpr, cjk=BODY_CJK)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    settings = doc.settings.element  # type: ignore[attr-defined]
    # Schema order: updateFields comes before compat; themeFontLang is already there.
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.find(qn("w:compat")).addprevious(update)
    theme_lang = settings.find(qn("w:themeFontLang"))
    theme_lang.set(qn("w:val"), "en-US")
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


def table_style(doc: object) -> None:
    """'Table Grid' as the reports draw tables: light horizontal rules, compact cells."""
    style = doc.styles["Table Grid"]  # type: ignore[attr-defined]
    borders = style.element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    for side in borders:
        name = side.tag.rsplit("}", 1)[-1]
        side.set(qn("w:val"), "nil" if name in ("left", "right", "insideV") else "single")
        side.set(qn("w:sz"), "4")
        side.set(qn("w:color"), GRID)
    set_fonts(style, cjk=BODY_CJK)
    style.font.size = Pt(9)  # type: ignore[attr-defined]


def build() -> bytes:
    doc = Document()
    strip_template(doc)
    defaults(doc)
    styles = doc.styles
    shape(styles["Normal"], size=10.5, after=4, line=1.25)
    heading_sizes = {"Heading 1": (16, NAVY, 12, 6), "Heading 2": (13, NAVY, 10, 4),
                     "Heading 3": (11, BLUE, 6, 3)}  # fmt: skip
    for name, (size, colour, before, after) in heading_sizes.items():
        shape(styles[name], size=size, cjk=HEADING_CJK, colour=colour, before=before,
              after=after, bold=False)  # fmt: skip
    shape(styles["Title"], size=24, cjk=HEADING_CJK, colour=NAVY, after=14, line=1.2,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    styles["Title"].element.pPr.remove(styles["Title"].element.pPr.find(qn("w:pBdr")))
    shape(styles["Subtitle"], size=13, colour=MUTED, after=6, align=WD_ALIGN_PARAGRAPH.CENTER)
    shape(styles["Caption"], size=9, colour=MUTED, before=2, after=6, line=1.15, bold=False)
    shape(styles["TOC Heading"], size=16, cjk=HEADING_CJK, colour=NAVY, after=8)
    for level in (1, 2, 3):
        toc = paragraph_style(doc, f"TOC{level}", f"toc {level}")
        toc.element.attrib.pop(qn("w:customStyle"), None)  # a built-in style of Word
        shape(toc, size=10.5 if level == 1 else 9.5, before=4 if level == 1 else 0, after=2)
        toc.paragraph_format.left_indent = Mm(6 * (level - 1))
    for name in ("Header", "Footer"):
        shape(styles[name], size=8, colour=MUTED)
    shape(paragraph_style(doc, "TableText", "Table Text"), size=9, line=1.1)
    shape(paragraph_style(doc, "TableHeading", "Table Heading"), size=9, line=1.1,
          colour=RGBColor(0xFF, 0xFF, 0xFF))  # fmt: skip
    shape(paragraph_style(doc, "ReportNote", "Report Note"), size=9, colour=MUTED, after=4,
          line=1.15)  # fmt: skip
    shape(paragraph_style(doc, "Marking", "Marking"), size=14, colour=MARKING_RED,
          align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    table_style(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(8)
    props = doc.core_properties
    props.author = props.last_modified_by = "riskdesk"
    props.title = props.subject = props.keywords = props.comments = ""
    props.revision = 1
    epoch = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.created = props.modified = epoch
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), epoch)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"written: {OUT}")


if __name__ == "__main__":
    main()
