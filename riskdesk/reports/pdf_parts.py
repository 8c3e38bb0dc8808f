"""Small pieces shared by the PDF sections: value and score formatting, the table style,
colour tints, chart images."""

from __future__ import annotations

import io
import math

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, TableStyle

from riskdesk.core.results import IndicatorResult
from riskdesk.core.taxonomy import Indicator, Taxonomy
from riskdesk.reports.pdf_styles import NAVY
from riskdesk.reports.templates import ReportText

HEADER_BG = NAVY
ZEBRA = colors.HexColor("#f2f4f6")
GRID_COLOUR = colors.HexColor("#c5ccd3")
ILLUSTRATIVE_MARK = "†"


def format_value(value: float | None, indicator: Indicator | None, text: ReportText) -> str:
    """Display a value by its kind; a missing value reads as missing, never as 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text.label("missing")
    kind = indicator.kind if indicator is not None else "index"
    if kind in ("share", "rate", "share_delta"):
        return f"{value:.1%}"
    if kind in ("count", "days", "years", "level"):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:.2f}"


def format_score(score: float | None, text: ReportText) -> str:
    return text.label("missing") if score is None else f"{score:.2f}"


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

def level_of(res: IndicatorResult, taxonomy: Taxonomy) -> str:
    levels = taxonomy.scoring.levels
    risk = res.risk or 0.0
    if risk < levels.low:
        return "low"
    if risk < levels.medium:
        return "medium"
    if risk < levels.high:
        return "high"
    return "critical"


def chart_image(png: bytes, width: float) -> Image:
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    return Image(io.BytesIO(png), width=width, height=width * h / w)
