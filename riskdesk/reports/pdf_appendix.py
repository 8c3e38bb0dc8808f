"""Cover page and methodology appendix shared by the dossier and the portfolio report."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, TableStyle

from riskdesk.core.results import ChainResult
from riskdesk.reports.pdf_base import BODY_W, MARKING_RED, CellText, ReportPdf, _escape
from riskdesk.reports.pdf_chain import table_style
from riskdesk.reports.pdf_nav import ContentsSlot
from riskdesk.reports.report_words import ReportWords


def cover(pdf: ReportPdf, scope: str) -> list[Flowable]:
    t = pdf.text
    o = pdf.options
    out: list[Flowable] = [Spacer(1, 18 * mm)]
    if pdf.marking:
        box = pdf.table(
            [[Paragraph(_escape(pdf.marking), pdf.styles.marking)]], colWidths=[60 * mm]
        )
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, MARKING_RED)]))
        box.hAlign = "CENTER"
        out += [box, Spacer(1, 30 * mm)]
    else:
        out.append(Spacer(1, 40 * mm))
    out.append(pdf.heading(pdf.title(), 0, "cover", listed=False))
    out[-1].style = pdf.styles.cover_title
    out.append(Paragraph(_escape(scope), pdf.styles.cover_sub))
    out.append(Spacer(1, 40 * mm))
    rows = [
        (t.label("organisation"), o.organisation),
        (t.label("author"), o.author),
        (t.label("date"), pdf.report_date()),
    ]
    data = [[pdf.para(a), pdf.para(b or t.label("not_applicable"))] for a, b in rows]
    table = pdf.table(data, colWidths=[35 * mm, 80 * mm])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    table.hAlign = "CENTER"
    out += [table, Spacer(1, 30 * mm)]
    run = pdf.run
    out.append(
        Paragraph(
            _escape(
                t.say(
                    "cover_generated",
                    version=run.riskdesk_version,
                    assessed_at=run.assessed_at,
                    taxonomy=run.taxonomy.sha256[:12],
                )
            ),
            pdf.styles.note,
        )
    )
    out += [PageBreak(), ContentsSlot()]
    return out


def methodology(pdf: ReportPdf, chains: list[ChainResult]) -> list[Flowable]:
    t = pdf.text
    m = t.methodology
    tax = pdf.taxonomy
    st = pdf.styles
    out: list[Flowable] = [
        PageBreak(),
        pdf.heading(t.h("methodology"), 0, "method"),
        pdf.para(m.intro),
    ]
    words = ReportWords(pdf.run, pdf.options, tax, t, chains)
    out += [pdf.para(line) for line in words.formulas()]

    out.append(pdf.heading(m.run_heading, 1, "method-run"))
    rows = words.run_rows()
    table = pdf.table(
        [[pdf.para(a, st.cell), pdf.para(b, st.cell)] for a, b in rows],
        colWidths=[45 * mm, BODY_W - 45 * mm],
    )
    table.setStyle(table_style(header_rows=0, rows=len(rows)))
    out.append(table)

    out.append(pdf.heading(m.thresholds_heading, 1, "method-thresholds"))
    threshold_rows = words.threshold_rows()
    table = pdf.table(
        [[pdf.para(a, st.cell), pdf.para(b, st.cell)] for a, b in threshold_rows],
        colWidths=[70 * mm, BODY_W - 70 * mm],
    )
    table.setStyle(table_style(header_rows=0, rows=len(threshold_rows)))
    out.append(table)

    out.append(pdf.heading(m.anchors_heading, 1, "method-anchors"))
    head: list[object] = [
        CellText(t.label(k), st.cell_head)
        for k in ("indicator", "unit", "safe_anchor", "critical_anchor", "weight")
    ]
    rows2: list[list[object]] = [head]
    for ind in tax.indicators:
        weights = ", ".join(f"{tax.label(d, pdf.lang)} {w:g}" for d, w in ind.weights.items())
        rows2.append(
            [
                pdf.para(ind.name(pdf.lang), st.cell),
                pdf.para(ind.unit, st.cell),
                pdf.para(f"{ind.safe:g}", st.cell),
                pdf.para(f"{ind.critical:g}", st.cell),
                pdf.para(weights, st.small),
            ]
        )
    table = pdf.table(
        rows2, colWidths=[45 * mm, 18 * mm, 17 * mm, 17 * mm, BODY_W - 97 * mm], repeatRows=1
    )
    table.setStyle(table_style(rows=len(rows2)))
    out.append(table)

    out.append(pdf.heading(m.sources_heading, 1, "method-sources"))
    out += [pdf.para(line, st.note if is_note else st.body) for line, is_note in words.sources()]

    out.append(pdf.heading(m.papers_heading, 1, "method-papers"))
    out += [pdf.para(line) for line in words.papers()]
    return out
