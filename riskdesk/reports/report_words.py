"""What a report says around the chains, independent of the file format (no reportlab, no Qt):
which chains, title, subject and keywords, the cover's lines, the overview's tables and notes,
and the methodology appendix's rows. The PDF and the Word report lay these out in their own way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from riskdesk.core.models import Lang
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.chain_words import format_score
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.templates import ReportText

MATRIX_LABELS = 25
"""Points labelled in the portfolio's risk matrix; the all-chains table lists every chain."""

MATRIX_NAMED = 20
"""Chains left off the risk matrix are named under it up to this many, else marked in the
all-chains table."""


class ReportError(ValueError):
    """The export cannot be made as asked (e.g. an unknown chain id)."""


def off_matrix(c: ChainResult) -> bool:
    """The risk matrix plots only chains with both a capability gap and an exposure."""
    return c.gap is None or c.exposure is None


def name_of(c: ChainResult) -> str:
    return c.chain_name if c.segment is None else f"{c.chain_name} · {c.segment}"


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


def report_date(run: AssessmentRun, options: ReportOptions) -> str:
    date = options.date
    if date is None:
        try:
            date = dt.datetime.fromisoformat(run.assessed_at).date()
        except ValueError:
            return run.assessed_at
    return date.isoformat()


class ReportWords:
    """Title, cover, overview and methodology wording of one report (a dossier when one chain
    is selected, else a portfolio)."""

    def __init__(
        self,
        run: AssessmentRun,
        options: ReportOptions,
        taxonomy: Taxonomy,
        text: ReportText,
        chains: list[ChainResult],
    ) -> None:
        self.run = run
        self.options = options
        self.tax = taxonomy
        self.text = text
        self.lang: Lang = options.lang
        self.chains = chains
        self.dossier = len(chains) == 1

    # --- identity --------------------------------------------------------------------------

    def date(self) -> str:
        return report_date(self.run, self.options)

    def marking(self) -> str:
        return self.options.marking_text(self.text.label("default_marking"))

    def title(self) -> str:
        if self.options.title:
            return self.options.title
        if not self.dossier:
            return self.text.h("portfolio_title")
        sep = "：" if self.lang == "zh" else ": "
        return f"{self.text.h('dossier_title')}{sep}{self.chains[0].chain_name}"

    def subject(self) -> str:
        if not self.dossier:
            return self.text.say("subject_many", count=len(self.chains), date=self.date())
        c = self.chains[0]
        return self.text.say("subject_one", name=name_of(c), chain_id=c.chain_id, date=self.date())

    def keywords(self) -> list[str]:
        """Subject terms, then what identifies the method (taxonomy name and hash)."""
        terms = [k.strip() for k in self.text.say("keywords").split(",")]
        base = [*terms, self.tax.name, self.run.taxonomy.sha256]
        if not self.dossier:
            return base
        c = self.chains[0]
        return [c.chain_name, c.chain_id, self.tax.label(c.primary_type, self.lang), *base]

    def chain_label(self, c: ChainResult) -> str:
        name = name_of(c)
        return f"{name}（{c.chain_id}）" if self.lang == "zh" else f"{name} ({c.chain_id})"

    # --- cover -----------------------------------------------------------------------------

    def cover_scope(self) -> str:
        if self.dossier:
            return self.text.say("cover_scope_one", name=self.chains[0].chain_name)
        return self.text.say("cover_scope_many", count=len(self.chains))

    def cover_rows(self) -> list[tuple[str, str]]:
        t, o = self.text, self.options
        rows = [
            (t.label("organisation"), o.organisation),
            (t.label("author"), o.author),
            (t.label("date"), self.date()),
        ]
        return [(a, b or t.label("not_applicable")) for a, b in rows]

    def cover_generated(self) -> str:
        run = self.run
        return self.text.say(
            "cover_generated",
            version=run.riskdesk_version,
            assessed_at=run.assessed_at,
            taxonomy=run.taxonomy.sha256[:12],
        )

    # --- overview --------------------------------------------------------------------------

    def matrix_notes(self) -> list[str]:
        """Name the chains the risk matrix leaves off, and say when labels are thinned."""
        t = self.text
        out: list[str] = []
        left_off = [c for c in self.chains if off_matrix(c)]
        if len(left_off) > MATRIX_NAMED:
            out.append(
                t.say("matrix_left_off_many", count=len(left_off), marker=t.label("off_matrix"))
            )
        elif left_off:
            sep = "、" if self.lang == "zh" else "; "
            names = sep.join(self.chain_label(c) for c in left_off)
            out.append(t.say("matrix_left_off", count=len(left_off), names=names))
        if len(self.chains) - len(left_off) > MATRIX_LABELS:
            out.append(
                t.say("matrix_labels_limited", count=MATRIX_LABELS, table=t.h("all_chains"))
            )
        return out

    def top_risks(self) -> tuple[list[str], list[list[str]]]:
        """The highest-scoring chains: header and rows."""
        t, tax, lang = self.text, self.tax, self.lang
        ranked = sorted(self.chains, key=lambda c: (-(c.primary_score or -1.0), c.chain_id))
        head = [t.label(k) for k in ("rank", "chain_name", "primary_type", "level", "score",
                                     "strategy")]  # fmt: skip
        rows = [
            [
                str(n),
                name_of(c),
                tax.label(c.primary_type, lang),
                t.level(c.primary_level),
                format_score(c.primary_score, t),
                tax.label(c.strategy, lang),
            ]
            for n, c in enumerate(ranked[: self.options.top_risks], start=1)
        ]
        return head, rows

    def all_chains(self) -> tuple[list[str], list[list[str]]]:
        """Every chain of the selection, highest priority first: header and rows (the name cell
        holds the name, then the id and the off-matrix marker on a line of their own)."""
        t, tax, lang = self.text, self.tax, self.lang
        ranked = sorted(self.chains, key=lambda c: (-c.priority_score, c.chain_id))
        keys = ("rank", "chain_name", "primary_type", "level", "score", "priority", "strategy")
        head = [t.label(k) for k in (*keys, "robustness")]
        rows: list[list[str]] = []
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
            second = c.chain_id + (f" {t.label('off_matrix')}" if off_matrix(c) else "")
            rows.append(
                [
                    str(n),
                    f"{name_of(c)}\n{second}",
                    tax.label(c.primary_type, lang),
                    t.level(c.primary_level),
                    format_score(c.primary_score, t),
                    f"{c.priority_score:.2f}",
                    strategy,
                    robust,
                ]
            )
        return head, rows

    # --- methodology -----------------------------------------------------------------------

    def formulas(self) -> list[str]:
        sc, tax = self.tax.scoring, self.tax
        params = {
            "min_coverage": sc.min_coverage,
            "base": sc.exposure_damping.base,
            "slope": sc.exposure_damping.slope,
            "unknown_exposure": sc.exposure_damping.unknown_exposure,
            "low": sc.levels.low,
            "medium": sc.levels.medium,
            "high": sc.levels.high,
            "assign": sc.assign_threshold,
            "gap_min": sc.normal_dependence.gap_min,
            "exposure_max": sc.normal_dependence.exposure_max,
            "spread": tax.robustness.spread,
            "draws": tax.robustness.draws,
        }
        return [
            f"{n}. {line.format(**params)}"
            for n, line in enumerate(self.text.methodology.formulas, start=1)
        ]

    def run_rows(self) -> list[tuple[str, str]]:
        """The run's identity (its input files and their hashes are in the data-sources
        table)."""
        t, run = self.text, self.run
        return [
            (t.label("taxonomy"), run.taxonomy.name),
            (t.label("taxonomy_hash"), run.taxonomy.sha256),
            (t.label("software"), f"riskdesk {run.riskdesk_version}"),
            (t.label("assessed_at"), run.assessed_at),
            (t.label("country"), run.country),
            (t.label("chains_total"), str(len(self.chains))),
        ]

    def threshold_rows(self) -> list[tuple[str, str]]:
        """The scoring parameters, labelled in words (a reviewer reads words, not keys)."""
        t, sc = self.text, self.tax.scoring
        damping, nd, rb = sc.exposure_damping, sc.normal_dependence, self.tax.robustness
        return [
            (t.label("param_min_coverage"), f"{sc.min_coverage:g}"),
            (t.label("param_assign_threshold"), f"{sc.assign_threshold:g}"),
            (t.label("param_levels"), f"{sc.levels.low} / {sc.levels.medium} / {sc.levels.high}"),
            (t.label("param_damping"), f"{damping.base:g} + {damping.slope:g}·e"),
            (t.label("param_unknown_exposure"), f"{damping.unknown_exposure:g}"),
            (t.label("param_normal_dependence"), f"{nd.gap_min:g} / {nd.exposure_max:g}"),
            (t.label("param_segment_rollup"), t.label(f"rollup_{sc.segment_rollup}")),
            (t.label("param_robustness"), f"{rb.draws} / {rb.spread:g} / {rb.seed}"),
        ]

    def anchors(self) -> tuple[list[str], list[list[str]]]:
        t, tax, lang = self.text, self.tax, self.lang
        head = [t.label(k) for k in ("indicator", "unit", "safe_anchor", "critical_anchor",
                                     "weight")]  # fmt: skip
        rows = [
            [
                ind.name(lang),
                ind.unit,
                f"{ind.safe:g}",
                f"{ind.critical:g}",
                ", ".join(f"{tax.label(d, lang)} {w:g}" for d, w in ind.weights.items()),
            ]
            for ind in tax.indicators
        ]
        return head, rows

    def sources(self) -> list[tuple[str, bool]]:
        """The data-sources paragraphs: (text, is_note)."""
        t, run = self.text, self.run
        files = Counter[str]()
        illustrative = False
        for chain in self.chains:
            for part in [chain, *chain.segments]:
                for res in part.indicators.values():
                    if res.value is None:
                        continue
                    illustrative |= res.illustrative
                    if res.kind == "imported" and res.source:
                        files[res.source.split(" ")[0]] += 1
                    elif res.kind:
                        files[res.kind] += 1
        if run.input is not None:
            files.setdefault(Path(run.input.path).name, 0)
        out: list[tuple[str, bool]] = []
        if files:
            sep = "、" if self.lang == "zh" else ", "
            out.append((t.say("sources_line", files=sep.join(sorted(files))), False))
        else:
            out.append((t.say("data_sources_none"), False))
        if illustrative:
            out.append((t.say("illustrative_note"), True))
        issues = run.issues
        out.append(
            (t.say("issues_count", count=len(issues)) if issues else t.say("issues_none"), False)
        )
        return out
