"""PDF exporters: a dossier for one chain and a portfolio report for a selection."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph

from riskdesk.charts import distribution_figure, render_png, risk_matrix_figure
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import OUTCOME_ORDER
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report, sub_progress
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.decisions import report_inputs
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf_appendix import cover, methodology
from riskdesk.reports.pdf_base import BODY_W, ProgressMark, ReportPdf, _escape
from riskdesk.reports.pdf_chain import ChainSection, _image, format_score, table_style


class ReportError(ValueError):
    """The export cannot be made as asked (e.g. an unknown chain id)."""


def select_chains(run: AssessmentRun, options: ReportOptions) -> list[ChainResult]:
    if options.chains is None:
        return list(run.chains)
    by_id: dict[str, ChainResult] = {}
    for c in run.chains:
        by_id.setdefault(c.chain_id, c)
    unknown = [c for c in options.chains if c not in by_id]
    if unknown:
        raise ReportError(f"unknown chain id(s) / 未知的链条编号: {', '.join(unknown)}")
    return [by_id[c] for c in options.chains]


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

    def story(self) -> list[Flowable]:
        scope = self.text.say("cover_scope_one", name=self.chain.chain_name)
        out = cover(self, scope)
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

    def overview(self) -> list[Flowable]:
        t, tax, lang = self.text, self.taxonomy, self.lang
        out: list[Flowable] = [self.heading(t.h("overview"), 0, "overview")]
        counts = Counter(c.primary_type for c in self.chains)
        sep = "、" if lang == "zh" else ", "
        breakdown = sep.join(
            f"{tax.label(o, lang)} {counts[o]}" for o in OUTCOME_ORDER if counts[o]
        )
        out.append(self.para(t.say("overview_counts", count=len(self.chains), breakdown=breakdown)))
        out.append(self.heading(t.h("distribution"), 1, "overview-dist"))
        out.append(_image(render_png(distribution_figure(self.chains, tax, lang), dpi=170), BODY_W))
        out.append(self.heading(t.h("risk_matrix"), 1, "overview-matrix"))
        out.append(_image(render_png(risk_matrix_figure(self.chains, tax, lang), dpi=170), BODY_W))
        ranked = sorted(self.chains, key=lambda c: (-(c.primary_score or -1.0), c.chain_id))
        top = ranked[: self.options.top_risks]
        caption = self.para(t.say("top_risks_caption", count=len(top)), self.styles.note)
        head = [
            Paragraph(_escape(t.label(k)), self.styles.cell_head)
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
            KeepTogether([self.heading(t.h("top_risks"), 1, "overview-top"), caption, table])
        )
        return out

    def story(self) -> list[Flowable]:
        t = self.text
        out = cover(self, t.say("cover_scope_many", count=len(self.chains)))
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
                out.append(PageBreak())
            out += section.build(chain, level=1, rich=rich, number=i)
            # Reached during layout: the remaining 70 % of the work.
            out.append(ProgressMark(0.3 + 0.65 * i / n, chain.chain_name))
            report(story_progress, i / n, chain.chain_name)
        if not rich and section.used_measures:
            out.append(PageBreak())
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
) -> Path:
    """Write a dossier (one chain selected) or a portfolio report (several) to `path`.

    The file appears only when complete (temporary file in the same directory, then rename);
    cancelling raises `Cancelled` and leaves any existing file untouched.
    """
    run, options = report_inputs(run, options, taxonomy)
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
    path = Path(path)
    with atomic_path(path) as tmp:
        pdf.build(tmp)
    report(progress, 1.0, str(path))
    return path
