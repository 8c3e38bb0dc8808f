"""The editable Word report (issue 12): the PDF's dossier or portfolio with the same content —
cover, contents, executive summary, overview with charts and the all-chains table, one section
per chain, limitations, the methodology appendix with data sources and references — built with
python-docx from the reference document the project ships."""

from __future__ import annotations

from pathlib import Path

from riskdesk.charts import distribution_figure, render_png, risk_matrix_figure, use_font
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.rounds import RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.atomic import atomic_path
from riskdesk.reports.chain_words import ChainWords
from riskdesk.reports.decisions import report_inputs
from riskdesk.reports.docx_base import (
    BODY_W_MM,
    Cell,
    DocxBuilder,
    TableSpec,
    creation_time,
)
from riskdesk.reports.docx_chain import CHART_DPI, ChainDocx
from riskdesk.reports.fonts import cjk_font_path
from riskdesk.reports.narrative import (
    data_sources,
    executive_summary,
    limitations,
    references,
    source_line,
)
from riskdesk.reports.narrative_words import say
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.report_words import (
    MATRIX_LABELS,
    ReportError,
    ReportWords,
    select_chains,
)
from riskdesk.reports.templates import load_report_text
from riskdesk.reports.text_limits import with_short_names


class DocxReport:
    """A dossier (one chain) or a portfolio report (several) as a Word document."""

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
        changes: RoundDiff | None = None,
    ) -> None:
        self.run = run
        self.changes = changes
        self.options = options
        self.tax = taxonomy
        self.lang = options.lang
        self.text = load_report_text(options.lang)
        self.words = ReportWords(run, options, taxonomy, self.text, chains)
        self.chains = chains
        self.progress = progress
        self.cancel = cancel
        self.out = DocxBuilder(options.lang)
        self.section = ChainDocx(
            self.out, ChainWords(self.text, taxonomy, options, inventory), taxonomy, inventory, run
        )
        # Charts carry Chinese labels: matplotlib needs the same CJK face as the PDF.
        use_font(cjk_font_path(options.font_path))

    def cover(self) -> None:
        out, w = self.out, self.words
        marking = w.marking()
        if marking:
            out.para(marking, "Marking")
        out.para(w.title(), "Title")
        out.para(w.cover_scope(), "Subtitle")
        out.pairs(w.cover_rows(), 35)
        out.note(w.cover_generated())
        out.page_break()

    def summary(self) -> None:
        """The executive summary: key findings in sentences, first after the contents."""
        self.out.heading(say("summary_heading", self.lang), 1)
        for line in executive_summary(self.run, self.tax, self.options, chains=self.chains,
                                      changes=self.changes):  # fmt: skip
            self.out.para(line)

    def source(self) -> str:
        return source_line(self.run, self.lang)

    def overview(self) -> None:
        out, t, w, lang = self.out, self.text, self.words, self.lang
        # The counts by type open the executive summary just before; the charts follow it.
        out.heading(t.h("overview"), 1)
        out.heading(t.h("distribution"), 2)
        distribution = distribution_figure(self.chains, self.tax, lang)
        out.picture(render_png(distribution, dpi=CHART_DPI), BODY_W_MM)
        out.figure_caption(say("fig_distribution", lang), self.source())
        out.heading(t.h("risk_matrix"), 2)
        matrix = risk_matrix_figure(self.chains, self.tax, lang, max_labels=MATRIX_LABELS)
        out.picture(render_png(matrix, dpi=CHART_DPI), BODY_W_MM)
        out.figure_caption(say("fig_matrix", lang), self.source())
        for sentence in w.matrix_notes():
            out.note(sentence)
        head, rows = w.top_risks()
        out.heading(t.h("top_risks"), 2)
        out.note(t.say("top_risks_caption", count=len(rows)), keep_with_next=True)
        out.table_caption(say("tab_top", lang))
        widths = [10, 52, 32, 16, 16, BODY_W_MM - 126]
        out.table(TableSpec(widths_mm=widths, head=head,
                            rows=[[Cell(x) for x in row] for row in rows]))  # fmt: skip
        out.note(self.source())
        head, rows = w.all_chains()
        out.heading(t.h("all_chains"), 2)
        out.note(t.say("all_chains_caption", count=len(rows)), keep_with_next=True)
        out.table_caption(say("tab_all", lang))
        widths = [10, 40, 27, 14, 13, 13, 0, 21]
        widths[6] = BODY_W_MM - sum(widths)
        out.table(TableSpec(widths_mm=widths, head=head,
                            rows=[[Cell(x) for x in row] for row in rows]))  # fmt: skip
        out.note(self.source())

    def limitations(self) -> None:
        self.out.heading(say("limitations_heading", self.lang), 1)
        lines = limitations(self.run, self.tax, self.options, chains=self.chains)
        for n, line in enumerate(lines, start=1):
            self.out.para(f"{n}. {line}")

    def data_sources(self) -> None:
        """Each input with its role, file name and SHA-256 (missing inputs say so)."""
        lang = self.lang
        missing = say("source_missing", lang)
        self.out.table_caption(say("tab_sources", lang))
        head = [say(k, lang) for k in ("col_role", "col_file", "col_sha256")]
        rows = [[Cell(src.label), Cell(src.file or missing), Cell(src.sha256 or missing)]
                for src in data_sources(self.run, self.tax, lang)]  # fmt: skip
        self.out.table(TableSpec(widths_mm=[32, 40, BODY_W_MM - 72], head=head, rows=rows))
        self.out.note(say("source_line", lang, source=say("sources_heading", lang)))

    def methodology(self) -> None:
        out, t, w = self.out, self.text, self.words
        m, lang = t.methodology, self.lang
        taxonomy_source = say("source_line", lang, source=say(
            "source_taxonomy_only", lang, taxonomy=self.tax.name,
            sha=self.run.taxonomy.sha256[:12]))  # fmt: skip
        out.page_break()
        self.limitations()
        out.heading(t.h("methodology"), 1)
        out.para(m.intro)
        for line in w.formulas():
            out.para(line)
        out.heading(m.run_heading, 2)
        out.table_caption(say("tab_run", lang))
        out.pairs(w.run_rows(), 45)
        out.note(self.source())
        self.data_sources()
        out.heading(m.thresholds_heading, 2)
        out.table_caption(say("tab_thresholds", lang))
        out.pairs(w.threshold_rows(), 70)
        out.note(taxonomy_source)
        out.heading(m.anchors_heading, 2)
        out.table_caption(say("tab_anchors", lang))
        head, rows = w.anchors()
        out.table(TableSpec(widths_mm=[45, 18, 17, 17, BODY_W_MM - 97], head=head,
                            rows=[[Cell(x) for x in row] for row in rows]))  # fmt: skip
        out.note(taxonomy_source)
        out.heading(m.sources_heading, 2)
        for sentence, is_note in w.sources():
            (out.note if is_note else out.para)(sentence)
        out.heading(m.papers_heading, 2)
        for ref in references(lang):
            out.para(f"[{ref.id}] {ref.text}")

    def build(self) -> bytes:
        out, t, w = self.out, self.text, self.words
        self.cover()
        contents = out.contents(t.h("contents"))
        out.page_break()
        dossier = len(self.chains) == 1
        self.summary()
        if not dossier:
            self.overview()
            out.page_break()
            out.heading(t.h("chains"), 1)
        rich = dossier or len(self.chains) <= self.options.rich_chart_limit
        n = len(self.chains)
        for i, chain in enumerate(self.chains, start=1):
            checkpoint(self.cancel)
            if i > 1:
                out.page_break()
            self.section.build(chain, level=1 if dossier else 2, rich=rich)
            report(self.progress, 0.9 * i / n, chain.chain_name)
        if not rich and self.section.used_measures:
            out.page_break()
            self.section.measure_catalogue(1)
        self.methodology()
        # A portfolio lists its sections and chains (as the PDF's contents page does): with
        # each chain's ten subsections too, 300 chains would take 60 pages of contents.
        out.finish_contents(contents, depth=3 if dossier else 2)
        out.decorate(title=w.title(), marking=w.marking(), organisation=self.options.organisation,
                     date=w.date(), page_label=t.label("page"))  # fmt: skip
        created = creation_time()
        out.properties(
            title=w.title(), subject=w.subject(),
            author=self.options.author or self.options.organisation or "riskdesk",
            keywords=w.keywords(), lang=self.lang, created=created,
            version=self.run.riskdesk_version,
        )  # fmt: skip
        return out.to_bytes(created, organisation=self.options.organisation,
                            version=self.run.riskdesk_version)


def write_docx(
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
    """Write a dossier (one chain selected) or a portfolio report (several) as .docx to `path`.

    The analyst's decisions are printed when `run` is an `EffectiveRun`; `changes`: what changed
    since the previous round (a project export), summarised up front. The file appears only
    when complete; cancelling raises `Cancelled` and leaves any existing file untouched.
    """
    run, options = report_inputs(run, options, taxonomy)
    run = with_short_names(run)  # as in the PDF: headings and charts show at most 160 characters
    chains = select_chains(run, options)
    if not chains:
        raise ReportError("no chains to report / 没有可输出的链条")
    report(progress, 0.0, "Word")
    data = DocxReport(run, options, taxonomy, chains=chains, inventory=inventory,
                      progress=progress, cancel=cancel, changes=changes).build()  # fmt: skip
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    report(progress, 1.0, str(path))
    return path
