"""The PDF's colours and paragraph styles (one CJK face; headings by size and colour)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

NAVY = colors.HexColor("#1b3a5c")
MARKING_RED = colors.HexColor("#b8312f")
RULE = colors.HexColor("#9aa7b4")
MUTED = colors.HexColor("#5d6d7e")


CELL_SIZE = 8.0
INK = colors.HexColor("#1c2833")


class Styles:
    """Paragraph styles in the one CJK face; heading weight comes from size and colour."""

    def __init__(self, font: str) -> None:
        # CJK wrapping in both languages: it breaks between Chinese characters yet keeps
        # English words whole, and English reports still carry Chinese names and sources.
        wrap = "CJK"
        base = ParagraphStyle(
            "body",
            fontName=font,
            fontSize=9.5,
            leading=14,
            wordWrap=wrap,
            textColor=INK,
            spaceAfter=4,
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=7.8, leading=10.5, spaceAfter=0)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5, spaceAfter=0)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, textColor=colors.white)
        self.note = ParagraphStyle("note", parent=base, fontSize=8, leading=11, textColor=MUTED)
        self.hash = ParagraphStyle("hash", parent=self.cell, fontSize=6.6, leading=9)
        # Numbered captions: a figure's under it (centred), a table's above it.
        self.figure_caption = ParagraphStyle(
            "figure_caption", parent=base, fontSize=8.8, leading=12, alignment=TA_CENTER,
            spaceBefore=2, spaceAfter=0,
        )
        self.table_caption = ParagraphStyle(
            "table_caption", parent=base, fontSize=8.8, leading=12, spaceBefore=4, spaceAfter=2,
            keepWithNext=1,
        )
        self.source = ParagraphStyle(
            "source", parent=base, fontSize=7.5, leading=10, textColor=MUTED, spaceBefore=1,
            spaceAfter=6,
        )
        self.h1 = ParagraphStyle(
            "h1",
            parent=base,
            fontSize=17,
            leading=22,
            textColor=NAVY,
            spaceBefore=4,
            spaceAfter=8,
            keepWithNext=1,  # a heading never ends a page alone
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontSize=12.5,
            leading=17,
            textColor=NAVY,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.h3 = ParagraphStyle(
            "h3",
            parent=base,
            fontSize=10.5,
            leading=14,
            textColor=colors.HexColor("#2e5984"),
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.cover_title = ParagraphStyle(
            "cover_title",
            parent=base,
            fontSize=26,
            leading=34,
            textColor=NAVY,
            alignment=TA_CENTER,
            spaceAfter=14,
        )
        self.cover_sub = ParagraphStyle(
            "cover_sub",
            parent=base,
            fontSize=13,
            leading=19,
            alignment=TA_CENTER,
            textColor=MUTED,
            spaceAfter=6,
        )
        self.marking = ParagraphStyle(
            "marking",
            parent=base,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            textColor=MARKING_RED,
        )
