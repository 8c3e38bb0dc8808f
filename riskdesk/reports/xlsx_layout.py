"""Print set-up, document properties and the colour scale of the Excel workbook.

Every sheet prints landscape on A4, one page wide (as many pages tall as it needs), with its header
row repeated on each page, the marking in the page header and "page n of N" in the footer. The
settings are made on openpyxl's write-only sheets before saving; `WorkbookExport.save` only splices
the rows in, so they land in the saved sheet XML (tests/reports/test_xlsx_print.py reads them back).
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.packaging.core import DocumentProperties
from openpyxl.utils import get_column_letter

from riskdesk.reports import xlsx_cells as cells

# Colour-blind-safe sequential scale (ColorBrewer YlOrRd, 3 classes): light yellow when low, red
# when high; lightness falls monotonically, so the order survives deuteranopia and greyscale.
SCALE_LOW, SCALE_MID, SCALE_HIGH = "FFEDA0", "FEB24C", "F03B20"
RISK_SCALE = ColorScaleRule(  # type: ignore[no-untyped-call]
    start_type="num",
    start_value=0,
    start_color=SCALE_LOW,
    mid_type="num",
    mid_value=0.5,
    mid_color=SCALE_MID,
    end_type="num",
    end_value=1,
    end_color=SCALE_HIGH,
)
# Margins in inches (openpyxl's unit): 1.5 cm sides, 2 cm top and bottom, header/footer at 0.8 cm.
MARGINS = {"left": 0.6, "right": 0.6, "top": 0.8, "bottom": 0.8, "header": 0.3, "footer": 0.3}


def _escape(text: str) -> str:
    """Header/footer text: "&" starts a control code, so a literal one is doubled."""
    return text.replace("&", "&&")


def print_setup(
    ws: Any,
    *,
    marking: str | None,
    page_label: str,
    title_rows: str | None = "1:1",
    title_cols: str | None = None,
    fit_width: bool = True,
    scale: int = 100,
) -> None:
    """Landscape A4, fit to one page wide, repeated header rows, margins, header and footer.

    `page_label` is the template's page frame with {page} and {pages} ("第 {page} / {pages} 页").
    A matrix too wide to shrink onto one page (`fit_width=False`, the Indicators sheet) prints
    across pages instead at `scale` per cent, its identifying columns (`title_cols`) repeated on
    each.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4 (ECMA-376 paper size code)
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = scale
    if title_cols:
        ws.print_title_cols = title_cols
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    if title_rows:
        ws.print_title_rows = title_rows
    if marking:
        ws.oddHeader.right.text = _escape(marking)
        ws.oddFooter.right.text = _escape(marking)
    ws.oddHeader.left.text = "&A"  # the sheet's name
    ws.oddFooter.center.text = _escape(page_label).format(page="&P", pages="&N")


def properties(
    props: DocumentProperties,
    *,
    title: str,
    subject: str,
    creator: str,
    keywords: str,
    description: str,
) -> None:
    props.title = title
    props.subject = subject
    props.creator = creator
    props.lastModifiedBy = creator
    props.keywords = keywords
    props.description = description
    props.language = None


def app_company(app_xml: bytes, company: str | None) -> bytes:
    """docProps/app.xml with the organisation as <Company> (openpyxl has no field for it)."""
    if not company or b"<Company>" in app_xml:
        return app_xml
    safe = company.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return app_xml.replace(b"</Properties>", f"<Company>{safe}</Company></Properties>".encode(), 1)


def runs(rows: Iterable[bool], first_row: int = 2) -> list[tuple[int, int]]:
    """Consecutive spans (first, last sheet row) of the rows that are True."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    row = first_row - 1
    for row, flag in enumerate(rows, start=first_row):
        if flag and start is None:
            start = row
        elif not flag and start is not None:
            out.append((start, row - 1))
            start = None
    if start is not None:
        out.append((start, row))
    return out


def sqref(col: int, spans: list[tuple[int, int]]) -> str:
    """A space-separated range list of column `col` (1-based) over the spans ('' when none)."""
    letter = get_column_letter(col)
    return " ".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in spans)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the package (via workbook.xml and its relationships)."""
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {
        rid: target
        for target, rid in re.findall(
            r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels
        )
    }
    out: dict[str, str] = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets[rid].lstrip("/")
        out[html.unescape(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def modified_as_created(core_xml: bytes) -> bytes:
    """openpyxl stamps "modified" with the clock on save; use the run's time like "created"."""
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>", core_xml)
    if created is None:
        return core_xml
    stamp = created.group(1)
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        lambda m: m.group(1) + stamp + m.group(2),
        core_xml,
    )


def prepare_table(
    ws: Any, rows: cells.SheetRows, widths: Sequence[float], *, freeze: bool = True
) -> None:
    """Widths and frozen header; a write-only sheet writes these before its first row. The rows
    know the widths too, to give wrapped text the height it needs."""
    if freeze:
        ws.freeze_panes = "A2"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    rows.widths = list(widths)


def autofilter(ws: Any, n_cols: int, n_rows: int) -> None:
    last = get_column_letter(max(n_cols, 1))
    ws.auto_filter.ref = f"A1:{last}{max(n_rows + 1, 1)}"
