"""The CJK font every report embeds: found once, registered for reportlab and matplotlib.

WenQuanYi Micro Hei (assets/fonts, Apache-2.0 / GPL-3+ with font exception) has TrueType (glyf)
outlines, so reportlab can embed a subset; CFF-outline CJK fonts (Noto CJK, Source Han) are refused
by reportlab. It has no bold face, so reports mark headings by size and colour, never fake bold.
The GUI registers the same file with QFontDatabase via `cjk_font_path()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from riskdesk.charts.style import use_font

BUNDLED_FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "wqy-microhei.ttc"
PDF_FONT_NAME = "RiskdeskCJK"


class FontError(ValueError):
    """The configured font cannot be used for reports (missing, or not TrueType outlines)."""


@dataclass(frozen=True)
class RegisteredFont:
    path: Path
    pdf_name: str
    chart_family: str


_registered: dict[Path, RegisteredFont] = {}


def cjk_font_path(configured: Path | None = None) -> Path:
    """The user-configured font file if given and present, else the bundled WenQuanYi Micro Hei."""
    if configured is not None:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontError(f"font file not found: {path} / 找不到字体文件：{path}")
        return path.resolve()
    if not BUNDLED_FONT.is_file():
        raise FontError(f"bundled font missing: {BUNDLED_FONT} / 缺少内置字体：{BUNDLED_FONT}")
    return BUNDLED_FONT


def ensure_fonts(configured: Path | None = None) -> RegisteredFont:
    """Register the CJK font with reportlab (one face of a .ttc) and matplotlib; idempotent."""
    path = cjk_font_path(configured)
    done = _registered.get(path)
    if done is not None:
        return done
    pdf_name = PDF_FONT_NAME if not _registered else f"{PDF_FONT_NAME}{len(_registered)}"
    try:
        font = TTFont(pdf_name, str(path), subfontIndex=0)
    except TTFError as exc:
        raise FontError(
            f"{path}: cannot embed this font ({exc}); use a TrueType-outline font / "
            f"无法嵌入该字体（{exc}），请选用 TrueType 轮廓字体"
        ) from None
    pdfmetrics.registerFont(font)
    # One face only: map bold/italic to the same face so markup never falls back to Helvetica.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(pdf_name, bold, italic, pdf_name)
    family = use_font(path)
    done = RegisteredFont(path=path, pdf_name=pdf_name, chart_family=family)
    _registered[path] = done
    return done
