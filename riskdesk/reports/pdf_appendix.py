"""Cover page and methodology appendix shared by the dossier and the portfolio report."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, TableStyle

from riskdesk.core.results import ChainResult
from riskdesk.reports.narrative import (
    data_sources,
    executive_summary,
    limitations,
    references,
)
from riskdesk.reports.narrative_words import say
from riskdesk.reports.pdf_base import (
    BODY_W,
    SECTION_START_ROOM,
    CellText,
    ReportPdf,
    _escape,
)
from riskdesk.reports.pdf_nav import ContentsSlot
from riskdesk.reports.pdf_parts import table_style
from riskdesk.reports.pdf_styles import MARKING_RED
from riskdesk.reports.pdf_text import ReportParagraph
from riskdesk.reports.report_words import ReportWords


def cover(pdf: ReportPdf, scope: str) -> list[Flowable]:
    t = pdf.text
    o = pdf.options
    out: list[Flowable] = [Spacer(1, 18 * mm)]
    if pdf.marking:
        box = pdf.table(
            [[ReportParagraph(_escape(pdf.marking), pdf.styles.marking)]], colWidths=[60 * mm]
        )
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, MARKING_RED)]))
        box.hAlign = "CENTER"
        out += [box, Spacer(1, 30 * mm)]
    else:
        out.append(Spacer(1, 40 * mm))
    out.append(pdf.heading(pdf.title(), 0, "cover", listed=False))
    out[-1].style = pdf.styles.cover_title
    out.append(ReportParagraph(_escape(scope), pdf.styles.cover_sub))
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
        ReportParagraph(
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


def summary(pdf: ReportPdf, chains: list[ChainResult]) -> list[Flowable]:
    """The executive summary: key findings in sentences, first after the contents page."""
    lines = executive_summary(pdf.run, pdf.taxonomy, pdf.options, chains=chains,
                              changes=pdf.changes)
    out: list[Flowable] = [pdf.heading(say("summary_heading", pdf.lang), 0, "exec-summary")]
    out += [pdf.para(line) for line in lines]
    return out


def limitations_section(pdf: ReportPdf, chains: list[ChainResult]) -> list[Flowable]:
    lines = limitations(pdf.run, pdf.taxonomy, pdf.options, chains=chains)
    out: list[Flowable] = [pdf.heading(say("limitations_heading", pdf.lang), 0, "limitations")]
    out += [pdf.para(f"{n}. {line}") for n, line in enumerate(lines, start=1)]
    return out


def sources_table(pdf: ReportPdf) -> list[Flowable]:
    """Each input with its role, file name and SHA-256 (missing inputs say so)."""
    st, lang = pdf.styles, pdf.lang
    missing = say("source_missing", lang)
    rows: list[list[object]] = [
        [CellText(say(k, lang), st.cell_head) for k in ("col_role", "col_file", "col_sha256")]
    ]
    # The hash in a smaller face on one line: a hash split over lines cannot be searched.
    rows += [
        [
            pdf.para(src.label, st.cell),
            pdf.para(src.file or missing, st.cell),
            pdf.para(src.sha256 or missing, st.hash),
        ]
        for src in data_sources(pdf.run, pdf.taxonomy, lang)
    ]
    table = pdf.table(rows, colWidths=[32 * mm, 40 * mm, BODY_W - 72 * mm], repeatRows=1)
    table.setStyle(table_style(rows=len(rows)))
    return [pdf.table_caption(say("tab_sources", lang)), table,
            pdf.source(say("source_line", lang, source=say("sources_heading", lang)))]


def methodology(pdf: ReportPdf, chains: list[ChainResult]) -> list[Flowable]:
    t = pdf.text
    m = t.methodology
    tax = pdf.taxonomy
    st = pdf.styles
    taxonomy_source = say("source_line", pdf.lang, source=say(
        "source_taxonomy_only", pdf.lang, taxonomy=tax.name, sha=pdf.run.taxonomy.sha256[:12]))
    # The appendix follows the last section on its page when enough of it is left (the last
    # chain's sign-off must not end up alone on a page).
    out: list[Flowable] = [CondPageBreak(SECTION_START_ROOM), *limitations_section(pdf, chains)]
    out += [
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
    out += [pdf.table_caption(say("tab_run", pdf.lang)), table, pdf.source()]
    out += sources_table(pdf)

    out.append(pdf.heading(m.thresholds_heading, 1, "method-thresholds"))
    threshold_rows = words.threshold_rows()
    table = pdf.table(
        [[pdf.para(a, st.cell), pdf.para(b, st.cell)] for a, b in threshold_rows],
        colWidths=[70 * mm, BODY_W - 70 * mm],
    )
    table.setStyle(table_style(header_rows=0, rows=len(threshold_rows)))
    out += [pdf.table_caption(say("tab_thresholds", pdf.lang)), table,
            pdf.source(taxonomy_source)]

    anchors_heading = pdf.heading(m.anchors_heading, 1, "method-anchors")
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
    out += pdf.long_table([anchors_heading, pdf.table_caption(say("tab_anchors", pdf.lang))],
                          table, pdf.source(taxonomy_source))

    out.append(pdf.heading(m.sources_heading, 1, "method-sources"))
    out += [pdf.para(line, st.note if is_note else st.body) for line, is_note in words.sources()]

    out.append(pdf.heading(m.papers_heading, 1, "method-papers"))
    out += [pdf.para(f"[{r.id}] {r.text}") for r in references(pdf.lang)]
    return out
