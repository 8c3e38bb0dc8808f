"""Small pieces shared by the PDF sections: the table style, colour tints, chart images (value
and score formatting come from chain_words, shared with the Word report)."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, TableStyle

from riskdesk.reports.chain_words import ILLUSTRATIVE_MARK, format_score, format_value
from riskdesk.reports.chain_words import risk_level_of as level_of
from riskdesk.reports.pdf_styles import NAVY

__all__ = ["ILLUSTRATIVE_MARK", "chart_image", "format_score", "format_value", "level_of",
           "table_style", "tint"]  # fmt: skip

HEADER_BG = NAVY
ZEBRA = colors.HexColor("#f2f4f6")
GRID_COLOUR = colors.HexColor("#c5ccd3")


def table_style(header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID_COLOUR),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG))
    if zebra:
        commands += [
            ("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(header_rows + 1, rows, 2)
        ]
    return TableStyle(commands)


def tint(hex_colour: str, alpha: float = 0.28) -> colors.Color:
    c = colors.HexColor(hex_colour)
    return colors.Color(
        1 - alpha * (1 - c.red), 1 - alpha * (1 - c.green), 1 - alpha * (1 - c.blue)
    )

def chart_image(png: bytes, width: float) -> Image:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)
