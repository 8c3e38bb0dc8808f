"""What a chain's report section says, independent of the file format (no reportlab, no Qt).

The PDF (pdf_chain.py) and the Word report (docx_chain.py) lay these rows and sentences out in
their own way; the words, their order and how a missing value reads are decided once, here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Lang, RiskType
from riskdesk.core.results import ChainResult, IndicatorResult
from riskdesk.core.taxonomy import EXPOSURE, Indicator, Taxonomy
from riskdesk.reports.decisions import approval_line
from riskdesk.reports.narrative import STABLE_SHARE
from riskdesk.reports.options import ChainDecision, ReportOptions
from riskdesk.reports.templates import ReportText

ILLUSTRATIVE_MARK = "†"
TREND_INDICATORS = ("tc_index", "rca_index")


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


def risk_level_of(res: IndicatorResult, taxonomy: Taxonomy) -> str:
    """The level band an indicator's risk score falls in (for its cell's tint)."""
    levels = taxonomy.scoring.levels
    risk = res.risk or 0.0
    if risk < levels.low:
        return "low"
    if risk < levels.medium:
        return "medium"
    if risk < levels.high:
        return "high"
    return "critical"


def chain_title(r: ChainResult, lang: Lang) -> str:
    """The section heading: name (· segment) and the id."""
    title = r.chain_name if r.segment is None else f"{r.chain_name} · {r.segment}"
    return f"{title}（{r.chain_id}）" if lang == "zh" else f"{title} ({r.chain_id})"


def colon(label: str, lang: Lang) -> str:
    return f"{label}：" if lang == "zh" else f"{label}:"


@dataclass(frozen=True)
class IndicatorRow:
    """One line of a chain's indicator table, as displayed."""

    indicator: str
    name: str
    value: str
    unit: str
    risk: str
    source: str
    year: str
    missing: bool
    illustrative: bool
    level: str | None  # the band of the risk score, for its tint; None when missing


@dataclass(frozen=True)
class ScoreRow:
    """A type score or a key dimension's score with its coverage (the score bars' rows)."""

    label: str
    score: float | None
    note: str
    is_type: bool
    sufficient: bool
    level: str | None = None  # a type score's level


@dataclass(frozen=True)
class MeasureLine:
    number: int
    title: str | None  # None: an unknown id or the analyst's own measure
    body: str


class ChainWords:
    """The sentences and table rows of one chain's section in one language."""

    def __init__(
        self,
        text: ReportText,
        taxonomy: Taxonomy,
        options: ReportOptions,
        inventory: Inventory | None,
    ) -> None:
        self.text = text
        self.tax = taxonomy
        self.lang: Lang = options.lang
        self.options = options
        self.inventory = inventory
        self.measure_by_id = {m.id: m for m in taxonomy.measures}

    def outcome_label(self, r: ChainResult) -> str:
        return self.tax.label(r.primary_type, self.lang)

    def decision(self, r: ChainResult) -> ChainDecision | None:
        """The analyst's decision on a whole chain (segments carry none)."""
        return self.options.decisions.get(r.chain_id) if r.segment is None else None

    def strategy_line(self, r: ChainResult) -> str:
        parts = [self.tax.label(r.strategy, self.lang)]
        if r.sub_strategy:
            parts.append(self.tax.label(r.sub_strategy, self.lang))
        if r.priority_mode:
            parts.append(self.tax.label(r.priority_mode, self.lang))
        return " · ".join(parts)

    def robustness_text(self, r: ChainResult) -> str:
        rb = r.robustness
        if rb is None:
            return self.text.say("robustness_none")
        out = self.text.say(
            "robustness", draws=rb.draws, spread=rb.spread, share=rb.primary_stability
        )
        out += " " + self.text.say(
            "robustness_solid" if rb.primary_stability >= STABLE_SHARE else "robustness_borderline"
        )
        if rb.alternatives:
            alts = "、" if self.lang == "zh" else ", "
            out += " " + self.text.say(
                "robustness_alternatives",
                alternatives=alts.join(
                    f"{self.tax.label(k, self.lang)} {v:.0%}"
                    for k, v in sorted(rb.alternatives.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
            )
        return out

    def drivers_text(self, r: ChainResult, limit: int = 3) -> str:
        drivers = sorted(r.explanation.drivers, key=lambda d: -d.contribution)[:limit]
        if not drivers:
            return self.text.label("not_applicable")
        sep = "；" if self.lang == "zh" else "; "
        return sep.join(
            self.text.say(
                "driver_line",
                indicator=self.tax.label(d.indicator, self.lang),
                dimension=self.tax.label(d.dimension, self.lang),
                contribution=d.contribution,
            )
            for d in drivers
        )

    def summary_rows(self, r: ChainResult) -> list[tuple[str, str]]:
        """The summary box: verdict, the analyst's decision, level, score, strategy, drivers,
        robustness, coverage."""
        t, lang = self.text, self.lang
        sep = "、" if lang == "zh" else ", "
        types = sep.join(self.tax.label(x, lang) for x in r.types)
        rows = [
            (t.label("primary_type"), self.outcome_label(r)),
            (t.label("types"), types or t.label("not_applicable")),
            (t.label("level"), t.level(r.primary_level)),
            (
                t.label("score"),
                format_score(r.primary_score, t)
                if r.primary_type.value in {x.value for x in RiskType}
                else t.label("not_applicable"),
            ),
            (t.label("strategy"), self.strategy_line(r)),
            (t.label("drivers"), self.drivers_text(r)),
            (t.label("robustness"), self.robustness_text(r)),
            (t.label("coverage"), f"{r.evidence_coverage:.0%}"),
        ]
        decision = self.decision(r)
        if decision is not None and decision.summary:
            rows.insert(1, (t.label("decision"), decision.summary))
        approval = self.options.approvals.get(r.chain_id) if r.segment is None else None
        if approval is not None:  # a team database's review state (riskdesk/cli/review.py)
            rows.append((t.label("approval"), approval_line(approval, t)))
        return rows

    def profile_rows(self, r: ChainResult) -> list[tuple[str, str]]:
        """Identity and context of the chain; an empty field reads as missing."""
        t = self.text
        chain = None
        if self.inventory is not None:
            try:
                chain = self.inventory.chain(self.inventory.row_of(r.chain_id, r.segment))
            except KeyError:
                chain = None
        tech = r.tech_category or (
            chain.tech_category.value if chain and chain.tech_category else None
        )
        fields: list[tuple[str, str | None]] = [
            (t.label("chain_id"), r.chain_id),
            (t.label("chain_name"), r.chain_name),
            (t.label("segment"), r.segment),
            (t.label("sector"), r.sector),
            (t.label("tech_category"), t.tech_categories.get(tech, tech) if tech else None),
            (
                t.label("strategic_value"),
                None if r.strategic_value is None else str(r.strategic_value),
            ),
            (t.label("generality"), None if r.generality is None else str(r.generality)),
        ]
        if chain is not None:
            fields += [
                (t.label("owner"), chain.owner),
                (t.label("year"), None if chain.year is None else str(chain.year)),
                (t.label("description"), chain.description),
            ]
        return [
            (a, b if b else t.label("missing"))
            for a, b in fields
            if b is not None or a != t.label("segment")
        ]

    def score_rows(self, r: ChainResult) -> list[ScoreRow]:
        """Type scores, then every key dimension with its coverage (exposure last)."""
        t, lang = self.text, self.lang
        rows: list[ScoreRow] = []
        for kind in RiskType:
            score = r.type_scores.get(kind)
            level = r.risk_levels.get(kind)
            note = f"{score:.2f} {t.level(level)}" if score is not None else t.label("missing")
            rows.append(ScoreRow(self.tax.label(kind, lang), score, note, True, True, level))
        for dim in [*self.tax.capability_dimensions, EXPOSURE]:
            ds = r.dimension_scores.get(dim)
            label = self.tax.label(dim, lang)
            if ds is None or ds.score is None:
                rows.append(ScoreRow(label, None, t.label("missing"), False, False))
                continue
            note = f"{ds.score:.2f} ({t.label('coverage')} {ds.coverage:.0%})"
            if not ds.sufficient:
                note += " · " + self.tax.label("insufficient_evidence", lang)
            rows.append(ScoreRow(label, ds.score, note, False, ds.sufficient))
        return rows

    def explanation(self, r: ChainResult) -> list[str]:
        """The engine's explanation and the sentences its verdict calls for."""
        t = self.text
        out = [r.explanation.text(self.lang)]
        if r.tie:
            out.append(t.say("tie"))
        if r.normal_dependence or r.primary_type == "normal_dependence":
            out.append(t.say("normal_dependence"))
        elif r.primary_type == "monitor":
            out.append(t.say("monitor"))
        elif r.primary_type == "insufficient_evidence":
            out.append(t.say("insufficient"))
        return out

    def indicator_rows(self, r: ChainResult) -> list[IndicatorRow]:
        t = self.text
        rows: list[IndicatorRow] = []
        for ind in self.tax.indicators:
            res = r.indicators.get(ind.id)
            if res is None:
                continue
            missing = res.value is None
            value = format_value(res.value, ind, t)
            if res.illustrative:
                value += " " + ILLUSTRATIVE_MARK
            rows.append(
                IndicatorRow(
                    indicator=ind.id,
                    name=ind.name(self.lang),
                    value=value,
                    unit=res.unit or ind.unit,
                    risk=t.label("not_applicable") if missing else format_score(res.risk, t),
                    source=t.label("not_applicable") if missing else res.source,
                    year=str(res.year) if res.year is not None else t.label("not_applicable"),
                    missing=missing,
                    illustrative=res.illustrative,
                    level=None
                    if missing or res.risk is None
                    else risk_level_of(res, self.tax),
                )
            )
        return rows

    def indicator_head(self) -> list[str]:
        return [self.text.label(k) for k in ("indicator", "value", "unit", "risk", "source", "year")]

    def illustrative_note(self) -> str:
        t = self.text
        return f"{ILLUSTRATIVE_MARK} {t.label('illustrative')}: " + t.say("illustrative_note")

    def data_to_collect(self, r: ChainResult) -> str:
        sep = "、" if self.lang == "zh" else ", "
        return sep.join(self.tax.label(i, self.lang) for i in r.data_to_collect)

    def segment_head(self) -> list[str]:
        t = self.text
        return [
            t.label("segment"),
            *(self.tax.label(x, self.lang) for x in ("missing", "destroyed", "response")),
            t.label("primary_type"),
            t.label("level"),
        ]

    def segment_rows(self, r: ChainResult) -> list[list[str]]:
        t = self.text
        return [
            [
                s.segment or t.label("not_applicable"),
                *(format_score(s.type_scores.get(RiskType(x)), t)
                  for x in ("missing", "destroyed", "response")),
                self.outcome_label(s),
                t.level(s.primary_level),
            ]
            for s in r.segments
        ]  # fmt: skip

    def weakest_segment(self, r: ChainResult) -> str | None:
        """The sentence naming the weakest segment, when the verdict is a risk type."""
        if r.weakest_segment is None or r.primary_type not in ("missing", "destroyed", "response"):
            return None
        seg = next((s for s in r.segments if s.segment == r.weakest_segment), None)
        score = seg.type_scores.get(RiskType(r.primary_type.value)) if seg else None
        return self.text.say(
            "weakest_segment",
            segment=r.weakest_segment,
            type=self.outcome_label(r),
            score=format_score(score, self.text),
        )

    def strategy_rows(self, r: ChainResult) -> list[tuple[str, str]]:
        t, lang = self.text, self.lang
        spec = self.tax.strategy_by_id.get(r.strategy)
        summary = "" if spec is None else spec.summary_zh if lang == "zh" else spec.summary_en
        rows = [(t.label("strategy"), self.tax.label(r.strategy, lang) + (
            f" — {summary}" if spec else ""))]  # fmt: skip
        if r.sub_strategy:
            sub = self.tax.sub_strategy_by_id[r.sub_strategy]
            rows.append(
                (
                    t.label("sub_strategy"),
                    f"{sub.name(lang)} — " + (sub.summary_zh if lang == "zh" else sub.summary_en),
                )
            )
        if r.priority_mode:
            mode = {m.id: m for m in self.tax.priority_modes}[r.priority_mode]
            rows.append(
                (
                    t.label("priority_mode"),
                    f"{mode.name(lang)} — "
                    + (mode.summary_zh if lang == "zh" else mode.summary_en),
                )
            )
        elif r.priority_note:
            rows.append(
                (t.label("priority_mode"), t.say("priority_undetermined", note=r.priority_note))
            )
        return rows

    def measure_title(self, mid: str) -> str:
        m = self.measure_by_id.get(mid)
        return m.title(self.lang) if m is not None else mid

    def measure_source(self, source: str) -> str:
        if not source:
            return ""
        return f"（{source}）" if self.lang == "zh" else f" ({source})"

    def measures(self, r: ChainResult) -> list[MeasureLine]:
        """The recommended measures (the analyst's wording where reworded), then the analyst's
        own, numbered on."""
        decision = self.decision(r)
        reworded = decision.reworded if decision is not None else {}
        out: list[MeasureLine] = []
        for n, mid in enumerate(r.measures, start=1):
            m = self.measure_by_id.get(mid)
            if m is None:
                out.append(MeasureLine(n, None, mid))
                continue
            body = (reworded.get(mid) or m.text(self.lang)) + self.measure_source(m.source)
            out.append(MeasureLine(n, m.title(self.lang), body))
        return out + self.added_measures(r)

    def added_measures(self, r: ChainResult) -> list[MeasureLine]:
        decision = self.decision(r)
        added = decision.added_measures if decision is not None else []
        mark = self.text.label("analyst_measure")
        return [
            MeasureLine(n, None, f"{extra}（{mark}）" if self.lang == "zh" else f"{extra} ({mark})")
            for n, extra in enumerate(added, start=len(r.measures) + 1)
        ]

    def note(self, r: ChainResult) -> str | None:
        return self.options.notes.get(r.chain_id)

    def signoff_rows(self) -> list[list[str]]:
        """Prepared / reviewed / approved, each with a signature and a date line."""
        t = self.text
        head = [t.label("prepared_by"), t.label("reviewed_by"), t.label("approved_by")]
        signature = [colon(t.label("signature"), self.lang)] * 3
        if self.options.author:
            signature[0] = f"{t.label('signature')}: {self.options.author}"
        return [head, signature, [colon(t.label("sign_date"), self.lang)] * 3]
