"""PDF exporters: a dossier for one chain and a portfolio report for a selection."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from riskdesk.charts import distribution_figure, render_png, risk_matrix_figure
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report, sub_progress
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.rounds import RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.decisions import report_inputs
from riskdesk.reports.narrative_words import say
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf_appendix import cover, methodology, summary
from riskdesk.reports.pdf_base import (
    BODY_W,
    SECTION_START_ROOM,
    CellText,
    Heading,
    ProgressMark,
    ReportPdf,
    _escape,
)
from riskdesk.reports.pdf_chain import ChainSection
from riskdesk.reports.pdf_parts import chart_image, format_score, table_style
from riskdesk.reports.pdf_text import ReportParagraph
from riskdesk.reports.report_words import (
    MATRIX_LABELS,
    MATRIX_NAMED,
    ReportError,
    name_of,
    off_matrix,
    select_chains,
)
from riskdesk.reports.text_limits import with_short_names

__all__ = ["ReportError", "select_chains", "write_pdf"]


class DossierPdf(ReportPdf):
    """One chain: cover, the chain's full section, methodology appendix."""

    def __init__(
        self,
        run: AssessmentRun,
        options: ReportOptions,
        taxonomy: Taxonomy,
        *,
        chain: ChainResult,
        inventory: Inventory | None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> None:
        super().__init__(run, options, taxonomy, progress=progress, cancel=cancel)
        self.chain = chain
        self.inventory = inventory

    def title(self) -> str:
        if self.options.title:
            return self.options.title
        sep = "：" if self.lang == "zh" else ": "
        return f"{self.text.h('dossier_title')}{sep}{self.chain.chain_name}"

    def subject(self) -> str:
        c = self.chain
        name = c.chain_name if c.segment is None else f"{c.chain_name} · {c.segment}"
        return self.text.say("subject_one", name=name, chain_id=c.chain_id, date=self.report_date())

    def keywords(self) -> list[str]:
        c = self.chain
        kind = self.taxonomy.label(c.primary_type, self.lang)
        return [c.chain_name, c.chain_id, kind, *super().keywords()]

    def story(self) -> list[Flowable]:
        scope = self.text.say("cover_scope_one", name=self.chain.chain_name)
        out = cover(self, scope)
        out += summary(self, [self.chain])
        out += ChainSection(self, self.inventory).build(self.chain, level=0, rich=True, number=1)
        out.append(ProgressMark(0.6, self.chain.chain_name))
        out += methodology(self, [self.chain])
        return out


class PortfolioPdf(ReportPdf):
    """A selection: cover, overview (distribution, risk matrix, top risks), one section per chain,
    methodology appendix."""

    def __init__(
        self,
        run: AssessmentRun,
        options: ReportOptions,
        taxonomy: Taxonomy,
        *,
        chains: list[ChainResult],
        inventory: Inventory | None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> None:
        super().__init__(run, options, taxonomy, progress=progress, cancel=cancel)
        self.chains = chains
        self.inventory = inventory

    def title(self) -> str:
        return self.options.title or self.text.h("portfolio_title")

    def subject(self) -> str:
        return self.text.say("subject_many", count=len(self.chains), date=self.report_date())

    def chain_label(self, c: ChainResult) -> str:
        name = name_of(c)
        return f"{name}（{c.chain_id}）" if self.lang == "zh" else f"{name} ({c.chain_id})"

    def matrix_note(self) -> list[Flowable]:
        """Name the chains the risk matrix leaves off, and say when labels are thinned."""
        t = self.text
        out: list[Flowable] = []
        left_off = [c for c in self.chains if off_matrix(c)]
        if len(left_off) > MATRIX_NAMED:
            marker = t.label("off_matrix")
            out.append(
                self.para(
                    t.say("matrix_left_off_many", count=len(left_off), marker=marker),
                    self.styles.note,
                )
            )
        elif left_off:
            sep = "、" if self.lang == "zh" else "; "
            names = sep.join(self.chain_label(c) for c in left_off)
            out.append(
                self.para(
                    t.say("matrix_left_off", count=len(left_off), names=names), self.styles.note
                )
            )
        if len(self.chains) - len(left_off) > MATRIX_LABELS:
            out.append(
                self.para(
                    t.say("matrix_labels_limited", count=MATRIX_LABELS, table=t.h("all_chains")),
                    self.styles.note,
                )
            )
        return out

    def all_chains(self) -> list[Flowable]:
        """Every chain of the selection in one table, highest priority first."""
        t, tax, lang, st = self.text, self.taxonomy, self.lang, self.styles
        ranked = sorted(self.chains, key=lambda c: (-c.priority_score, c.chain_id))
        keys = ("rank", "chain_name", "primary_type", "level", "score", "priority", "strategy")
        head: list[object] = [CellText(t.label(k), st.cell_head) for k in (*keys, "robustness")]
        rows: list[list[object]] = [head]
        for n, c in enumerate(ranked, start=1):
            rb = c.robustness
            robust = t.label("not_applicable")
            if rb is not None:
                robust = f"{rb.primary_stability:.0%}"
                if rb.borderline:
                    robust += f" {t.label('borderline')}"
            strategy = tax.label(c.strategy, lang)
            if c.sub_strategy:
                strategy += f" · {tax.label(c.sub_strategy, lang)}"
            cells = (
                str(n),
                self.chain_label(c),
                tax.label(c.primary_type, lang),
                t.level(c.primary_level),
                format_score(c.primary_score, t),
                f"{c.priority_score:.2f}",
                strategy,
                robust,
            )
            row: list[object] = [CellText(x, st.cell) for x in cells]
            # The id on its own line: wrapping inside an id would make it unsearchable.
            second = c.chain_id + (f" {t.label('off_matrix')}" if off_matrix(c) else "")
            row[1] = ReportParagraph(f"{_escape(name_of(c))}<br/>{_escape(second)}", st.cell)
            rows.append(row)
        widths = [10 * mm, 40 * mm, 27 * mm, 14 * mm, 13 * mm, 13 * mm, 0.0, 21 * mm]
        widths[6] = BODY_W - sum(widths)
        table = self.table(rows, colWidths=widths, repeatRows=1, long=True)
        table.setStyle(table_style(rows=len(rows)))
        caption = self.para(t.say("all_chains_caption", count=len(ranked)), st.note)
        lead = [self.heading(t.h("all_chains"), 1, "overview-all"), caption,
                self.table_caption(say("tab_all", lang))]
        return self.long_table(lead, table, self.source())

    def overview(self) -> list[Flowable]:
        t, tax, lang = self.text, self.taxonomy, self.lang
        # The counts by type open the executive summary just before; the charts follow it.
        out: list[Flowable] = [self.heading(t.h("overview"), 0, "overview")]
        distribution = chart_image(
            render_png(distribution_figure(self.chains, tax, lang), dpi=170), BODY_W
        )
        out.append(self.figure(distribution, say("fig_distribution", lang),
                               lead=[self.heading(t.h("distribution"), 1, "overview-dist")]))
        matrix = risk_matrix_figure(self.chains, tax, lang, max_labels=MATRIX_LABELS)
        out.append(self.figure(chart_image(render_png(matrix, dpi=170), BODY_W),
                               say("fig_matrix", lang),
                               lead=[self.heading(t.h("risk_matrix"), 1, "overview-matrix")]))
        out += self.matrix_note()
        ranked = sorted(self.chains, key=lambda c: (-(c.primary_score or -1.0), c.chain_id))
        top = ranked[: self.options.top_risks]
        caption = self.para(t.say("top_risks_caption", count=len(top)), self.styles.note)
        head: list[object] = [
            CellText(t.label(k), self.styles.cell_head)
            for k in ("rank", "chain_name", "primary_type", "level", "score", "strategy")
        ]
        rows: list[list[object]] = [head]
        for n, c in enumerate(top, start=1):
            name = c.chain_name if c.segment is None else f"{c.chain_name} · {c.segment}"
            rows.append(
                [
                    self.para(str(n), self.styles.cell),
                    self.para(name, self.styles.cell),
                    self.para(tax.label(c.primary_type, lang), self.styles.cell),
                    self.para(t.level(c.primary_level), self.styles.cell),
                    self.para(format_score(c.primary_score, t), self.styles.cell),
                    self.para(tax.label(c.strategy, lang), self.styles.cell),
                ]
            )
        widths = [10 * mm, 52 * mm, 32 * mm, 16 * mm, 16 * mm, BODY_W - 126 * mm]
        table = self.table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(rows=len(rows)))
        out.append(
            KeepTogether([
                self.heading(t.h("top_risks"), 1, "overview-top"),
                caption,
                self.table_caption(say("tab_top", lang)),
                table,
                self.source(),
            ])
        )
        out += self.all_chains()
        return out

    def story(self) -> list[Flowable]:
        t = self.text
        out = cover(self, t.say("cover_scope_many", count=len(self.chains)))
        out += summary(self, self.chains)
        out += self.overview()
        out.append(PageBreak())
        out.append(self.heading(t.h("chains"), 0, "chains"))
        rich = len(self.chains) <= self.options.rich_chart_limit
        section = ChainSection(self, self.inventory)
        story_progress = sub_progress(self.progress, 0.0, 0.3)
        n = len(self.chains)
        for i, chain in enumerate(self.chains, start=1):
            checkpoint(self.cancel)
            if i > 1:
                # A chain starts on a new page only when little of this one is left, so the
                # previous chain's notes and sign-off do not sit alone on a near-empty page.
                out.append(CondPageBreak(SECTION_START_ROOM))
            part = section.build(chain, level=1, rich=rich, number=i)
            if isinstance(part[0], Heading):
                part[0].running_title = self.chain_label(chain)
            out += part
            # Reached during layout: the remaining 70 % of the work.
            out.append(ProgressMark(0.3 + 0.65 * i / n, chain.chain_name))
            report(story_progress, i / n, chain.chain_name)
        if not rich and section.used_measures:
            out.append(CondPageBreak(SECTION_START_ROOM))
            out += section.measure_catalogue(0)
        out += methodology(self, self.chains)
        return out


def write_pdf(
    run: AssessmentRun | EffectiveRun,
    path: Path,
    options: ReportOptions,
    *,
    inventory: Inventory | None,
    taxonomy: Taxonomy,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    changes: RoundDiff | None = None,
) -> Path:
    """Write a dossier (one chain selected) or a portfolio report (several) to `path`.

    `changes`: what changed since the previous round (a project export), summarised up front.
    The file appears only when complete (temporary file in the same directory, then rename);
    cancelling raises `Cancelled` and leaves any existing file untouched.
    """
    run, options = report_inputs(run, options, taxonomy)
    run = with_short_names(run)
    chains = select_chains(run, options)
    if not chains:
        raise ReportError("no chains to report / 没有可输出的链条")
    report(progress, 0.0, "PDF")
    pdf: ReportPdf
    if len(chains) == 1:
        pdf = DossierPdf(
            run,
            options,
            taxonomy,
            chain=chains[0],
            inventory=inventory,
            progress=progress,
            cancel=cancel,
        )
    else:
        pdf = PortfolioPdf(
            run,
            options,
            taxonomy,
            chains=chains,
            inventory=inventory,
            progress=progress,
            cancel=cancel,
        )
    pdf.changes = changes
    path = Path(path)
    with atomic_path(path) as tmp:
        pdf.build(tmp)
    report(progress, 1.0, str(path))
    return path
