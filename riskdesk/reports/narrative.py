"""What a reviewer reads in words: executive summary, limitations, data sources with hashes,
references in GB/T 7714-2015 form, per-chain supplier breakdown, numbered captions.

Pure functions over the run (engine or decided), the taxonomy and the report options, returning
plain strings and small dataclasses — no reportlab, so the PDF and the Word writer print the same
sentences. Wording lives in `narrative_words.py` (zh and en side by side)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from riskdesk.core.models import LEVEL_ORDER, OUTCOME_ORDER, Lang, Outcome, RiskLevel
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.rounds import ChainDiff, RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.narrative_words import NB, say
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.templates import load_report_text

TOP_RISKS_NAMED = 3
"""Chains the executive summary names as the highest risks."""

STABLE_SHARE = 0.8
"""A verdict kept in fewer of the robustness draws is not robust (as the chain's summary box
says); one flagged borderline by the engine is not either."""

NAMES_LISTED = 8
"""Chains a summary sentence names before it says 'and N more'."""


@dataclass(frozen=True)
class DataSource:
    """One input of the run: what it is used for, its file name and content hash (None: the
    input was not given or not recorded)."""

    role: str  # inventory | taxonomy | country_risk | trade
    label: str
    file: str | None
    sha256: str | None


@dataclass(frozen=True)
class SupplierRow:
    """One supplier country of a chain with its share of imports and its country-risk rating."""

    country: str
    share: float
    rating: float  # the rating the assessment used (the default when not on the list)
    rated: bool  # the country is on the country-risk list
    high_risk: bool


@dataclass(frozen=True)
class Reference:
    id: str
    text: str


@dataclass(frozen=True)
class _Paper:
    id: str
    authors_zh: str
    authors_en: str
    title: str
    title_en: str
    tail: str  # journal, year, volume(issue): pages — only what the paper itself states


# Facts from the papers' first pages (/work/shared/seeds): 000 and 001 print their article
# numbers (ISSN 2095-5766, year, issue, first page, page count) but not the journal's title;
# 002 prints its running head "技术经济 第 42 卷 第 1 期" but no year or page range; 003 prints
# none of these; 004 prints only its DOI (journal code itrade, 2025, issue 3).
_PAPERS: tuple[_Paper, ...] = (
    _Paper(
        "000", "王罗汉, 王晓莉", "WANG Luohan, WANG Xiaoli",
        "中国与“一带一路”共建国家产业链供应链韧性态势评估",
        "Resilience of industrial and supply chains between China and Belt and Road countries",
        "ISSN 2095-5766, 2024(2): 138-143",
    ),
    _Paper(
        "001", "郝宇彪, 薛翔文", "HAO Yubiao, XUE Xiangwen",
        "国际产业链安全保障的政策取向与中国应对机制构建",
        "Policy orientation of international industrial-chain security and China's response",
        "ISSN 2095-5766, 2025(1): 23-34",
    ),
    _Paper(
        "002", "姜长云", "JIANG Changyun",
        "着力提升产业链供应链韧性和安全水平",
        "Raising the resilience and security of industrial and supply chains",
        "技术经济, 42(1)",
    ),
    _Paper(
        "003", "李伟, 贺俊", "LI Wei, HE Jun",
        "基于能力视角的产业链安全内涵、关键维度和治理战略",
        "Industrial-chain security from a capability perspective: connotation, key dimensions "
        "and governance strategy",
        "",
    ),
    _Paper(
        "004", "郭若楠, 陈逸豪", "GUO Ruonan, CHEN Yihao",
        "全球产业链再布局：演进、影响及应对",
        "Re-layout of global industrial chains: evolution, impact and response",
        "2025(3). DOI: 10.14114/j.cnki.itrade.2025.03.005",
    ),
)


def references(lang: Lang) -> list[Reference]:
    """The five seed papers in GB/T 7714-2015 form: authors. title[J]. journal, year,
    volume(issue): pages. Parts a paper does not state are left out, never guessed."""
    out = []
    for p in _PAPERS:
        authors = p.authors_zh if lang == "zh" else p.authors_en
        title = p.title if lang == "zh" else f"{p.title} [{p.title_en}]"
        text = f"{authors}. {title}[J]."
        if p.tail:
            text += f" {p.tail}."
        out.append(Reference(p.id, text))
    return out


# --- helpers ---------------------------------------------------------------------------------


def _whole(chains: Sequence[ChainResult]) -> list[ChainResult]:
    return [c for c in chains if c.segment is None]


def _names(items: Sequence[str], lang: Lang) -> str:
    sep = say("list_sep", lang)
    shown = list(items[:NAMES_LISTED])
    text = sep.join(shown)
    if len(items) > NAMES_LISTED:
        text += say("more", lang, count=len(items) - NAMES_LISTED)
    return text


def _pct(value: float) -> str:
    return f"{value * 100:.0f}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def level_of(score: float | None, taxonomy: Taxonomy) -> RiskLevel | None:
    """The risk level a type score falls into under the taxonomy's thresholds."""
    if score is None:
        return None
    lv = taxonomy.scoring.levels
    return LEVEL_ORDER[int(score >= lv.low) + int(score >= lv.medium) + int(score >= lv.high)]


def _strategy(c: ChainResult, taxonomy: Taxonomy, lang: Lang) -> str:
    text = taxonomy.label(c.strategy, lang)
    if c.sub_strategy:
        text += f" · {taxonomy.label(c.sub_strategy, lang)}"
    return text


# --- executive summary -----------------------------------------------------------------------


def executive_summary(
    run: AssessmentRun,
    taxonomy: Taxonomy,
    options: ReportOptions,
    *,
    chains: Sequence[ChainResult] | None = None,
    changes: RoundDiff | None = None,
) -> list[str]:
    """Key findings in sentences. One chain gives a dossier's short summary; several give the
    portfolio's: counts by type and level, the top risks, normal dependence, insufficient
    evidence, borderline verdicts, analyst overrides and — when `changes` is the diff from the
    previous round — what changed since then."""
    selected = _whole(run.chains if chains is None else chains)
    if len(selected) == 1:
        return _dossier_summary(selected[0], taxonomy, options, changes)
    lang = options.lang
    text = load_report_text(lang)
    sep = say("list_sep", lang)
    out: list[str] = []
    types = Counter(c.primary_type for c in selected)
    breakdown = sep.join(
        f"{taxonomy.label(o, lang)}{NB}{types[o]}" for o in OUTCOME_ORDER if types[o]
    )
    out.append(say("summary_count", lang, count=len(selected), breakdown=breakdown))
    levels = Counter(c.primary_level for c in selected)
    untyped = levels.pop(None, 0)
    if levels:
        line = sep.join(
            f"{text.level(lv)}{NB}{levels[lv]}" for lv in reversed(LEVEL_ORDER) if levels[lv]
        )
        sentence = say("summary_levels", lang, breakdown=line)
        if untyped:
            sentence += say("summary_levels_none", lang, count=untyped)
        out.append(sentence)
    scored = [c for c in selected if c.primary_score is not None]
    scored.sort(key=lambda c: (-(c.primary_score or 0.0), c.chain_id))
    if scored:
        items = [
            say(
                "summary_top_item", lang, name=c.chain_name,
                type=taxonomy.label(c.primary_type, lang), score=_score(c.primary_score),
                strategy=_strategy(c, taxonomy, lang),
            )
            for c in scored[:TOP_RISKS_NAMED]
        ]
        out.append(say("summary_top", lang, names=_names(items, lang)))
    for outcome, key in (
        (Outcome.NORMAL_DEPENDENCE, "summary_normal_dependence"),
        (Outcome.INSUFFICIENT_EVIDENCE, "summary_insufficient"),
    ):
        names = [c.chain_name for c in selected if c.primary_type == outcome]
        if names:
            out.append(say(key, lang, count=len(names), names=_names(names, lang)))
    borderline = [
        c.chain_name for c in selected
        if c.robustness and (c.robustness.borderline
                             or c.robustness.primary_stability < STABLE_SHARE)
    ]
    if borderline:
        out.append(
            say("summary_borderline", lang, count=len(borderline), names=_names(borderline, lang))
        )
    overrides = [
        say(
            "summary_override_item", lang, name=c.chain_name,
            engine=taxonomy.label(d.engine_type, lang),
            analyst=taxonomy.label(c.primary_type, lang),
        )
        for c in selected
        if (d := options.decisions.get(c.chain_id)) is not None and d.overridden
    ]
    if overrides:
        out.append(say("summary_overrides", lang, count=len(overrides), names=_names(overrides, lang)))
    if changes is not None:
        out.append(_round_sentence(selected, taxonomy, lang, changes))
    return out


@dataclass(frozen=True)
class ChainChange:
    """How one chain's verdict moved between rounds (type and level of the primary type)."""

    chain_id: str
    old_type: str | None
    new_type: str | None
    old_level: RiskLevel | None
    new_level: RiskLevel | None


def chain_change(d: ChainDiff, now: ChainResult, taxonomy: Taxonomy) -> ChainChange | None:
    """The primary type and level before and after, from a round diff and the current result;
    None when the previous round has no result to compare."""
    if not all(d.assessed):
        return None
    old_type = d.classification.old if d.classification else now.primary_type.value
    new_type = d.classification.new if d.classification else now.primary_type.value
    scores = {s.type.value: s for s in d.scores}

    def score_then(type_id: str | None, before: bool) -> float | None:
        if type_id is None or type_id not in {t.value for t in now.type_scores}:
            return None
        if type_id in scores:
            s = scores[type_id]
            return s.old if before else s.new
        return next((v for t, v in now.type_scores.items() if t.value == type_id), None)

    return ChainChange(
        chain_id=d.chain_id,
        old_type=old_type,
        new_type=new_type,
        old_level=level_of(score_then(old_type, True), taxonomy),
        new_level=level_of(score_then(new_type, False), taxonomy),
    )


def _round_sentence(
    selected: Sequence[ChainResult], taxonomy: Taxonomy, lang: Lang, changes: RoundDiff
) -> str:
    text = load_report_text(lang)
    by_id = {c.chain_id: c for c in selected}
    diffs = [d for d in changes.chains if d.segment is None]
    type_items: list[str] = []
    level_items: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    for d in diffs:
        now = by_id.get(d.chain_id)
        if d.change == "added":
            added.append(now.chain_name if now else d.chain_id)
            continue
        if d.change == "removed":
            removed.append(d.chain_id)
            continue
        if now is None or d.change == "unchanged":
            continue
        ch = chain_change(d, now, taxonomy)
        if ch is None:
            continue
        if ch.old_type != ch.new_type:
            type_items.append(
                say("round_item", lang, name=now.chain_name,
                    old=taxonomy.label(ch.old_type or "", lang),
                    new=taxonomy.label(ch.new_type or "", lang))
            )
        elif ch.old_level != ch.new_level:
            level_items.append(
                say("round_item", lang, name=now.chain_name,
                    old=text.level(ch.old_level) if ch.old_level else say("no_level", lang),
                    new=text.level(ch.new_level) if ch.new_level else say("no_level", lang))
            )
    parts = []
    if type_items:
        parts.append(say("round_type_changed", lang, count=len(type_items),
                         items=_names(type_items, lang)))
    if level_items:
        parts.append(say("round_level_changed", lang, count=len(level_items),
                         items=_names(level_items, lang)))
    if added:
        parts.append(say("round_added", lang, count=len(added), names=_names(added, lang)))
    if removed:
        parts.append(say("round_removed", lang, count=len(removed), names=_names(removed, lang)))
    if not parts:
        return say("summary_round_none", lang, previous=changes.from_round)
    return say("summary_round", lang, previous=changes.from_round,
               changes=say("clause_sep", lang).join(parts))


def _dossier_summary(
    c: ChainResult, taxonomy: Taxonomy, options: ReportOptions, changes: RoundDiff | None
) -> list[str]:
    lang = options.lang
    text = load_report_text(lang)
    kind = taxonomy.label(c.primary_type, lang)
    strategy = _strategy(c, taxonomy, lang)
    out: list[str] = []
    if c.primary_score is not None:
        out.append(say("dossier_verdict", lang, name=c.chain_name, type=kind,
                       level=text.level(c.primary_level), score=_score(c.primary_score),
                       strategy=strategy))
    else:
        out.append(say("dossier_verdict_untyped", lang, name=c.chain_name, type=kind,
                       strategy=strategy))
    drivers = []
    for driver in c.explanation.drivers:
        if c.primary_risk_type is not None and driver.type != c.primary_risk_type:
            continue
        ind = taxonomy.indicator_by_id.get(driver.indicator)
        drivers.append(ind.name(lang) if ind else driver.indicator)
    if drivers:
        out.append(say("dossier_drivers", lang, drivers=say("list_sep", lang).join(drivers[:3])))
    insufficient = [
        taxonomy.label(k, lang)
        for k, d in c.dimension_scores.items()
        if k != "exposure" and not d.sufficient
    ]
    detail = (
        say("dossier_insufficient", lang, dims=say("list_sep", lang).join(insufficient))
        if insufficient
        else say("dossier_sufficient", lang)
    )
    out.append(say("dossier_coverage", lang, coverage=_pct(c.evidence_coverage),
                   insufficient=detail))
    rb = c.robustness
    if rb is not None:
        borderline = say("dossier_borderline", lang) if rb.borderline else ""
        out.append(say("dossier_robust", lang, share=_pct(rb.primary_stability),
                       borderline=borderline))
    decision = options.decisions.get(c.chain_id)
    if decision is not None and decision.overridden:
        out.append(say("dossier_override", lang, engine=taxonomy.label(decision.engine_type, lang),
                       analyst=kind))
    if changes is not None:
        out.append(_dossier_round(c, taxonomy, lang, changes))
    return out


def _dossier_round(c: ChainResult, taxonomy: Taxonomy, lang: Lang, changes: RoundDiff) -> str:
    text = load_report_text(lang)
    previous = changes.from_round
    diff = next((d for d in changes.chains if d.chain_id == c.chain_id and d.segment is None),
                None)
    if diff is None or diff.change == "added" or not diff.assessed[0]:
        return say("dossier_round_new", lang, previous=previous)
    ch = chain_change(diff, c, taxonomy)
    if ch is None:
        return say("dossier_round_new", lang, previous=previous)
    parts = []
    if ch.old_type != ch.new_type:
        parts.append(say("change_type", lang, old=taxonomy.label(ch.old_type or "", lang),
                         new=taxonomy.label(ch.new_type or "", lang)))
    if ch.old_level != ch.new_level:
        parts.append(say("change_level", lang,
                         old=text.level(ch.old_level) if ch.old_level else say("no_level", lang),
                         new=text.level(ch.new_level) if ch.new_level else say("no_level", lang)))
    if not parts:
        return say("dossier_round_same", lang, previous=previous)
    return say("dossier_round_changed", lang, previous=previous,
               changes=say("clause_sep", lang).join(parts))


# --- limitations -----------------------------------------------------------------------------


def limitations(
    run: AssessmentRun,
    taxonomy: Taxonomy,
    options: ReportOptions,
    *,
    chains: Sequence[ChainResult] | None = None,
) -> list[str]:
    """What the reader must keep in mind, grounded in this run: coverage gaps, illustrative and
    expert values, where the country ratings came from, trade data, the impact model's reach,
    what the method does not capture, data issues."""
    lang = options.lang
    selected = _whole(run.chains if chains is None else chains)
    parts = [p for c in selected for p in (c, *c.segments)]
    sc = taxonomy.scoring
    out: list[str] = []
    short = [
        c for c in selected
        if any(not d.sufficient for k, d in c.dimension_scores.items() if k != "exposure")
    ]
    mean = sum(c.evidence_coverage for c in selected) / len(selected) if selected else 0.0
    key = "lim_coverage" if short else "lim_coverage_full"
    out.append(say(key, lang, count=len(short), total=len(selected),
                   min=_pct(sc.min_coverage), mean=_pct(mean)))
    values = [r for p in parts for r in p.indicators.values() if r.value is not None]
    illustrative = sum(r.illustrative for r in values)
    out.append(say("lim_illustrative", lang, count=illustrative) if illustrative
               else say("lim_illustrative_none", lang))
    expert = sum(r.kind == "expert" for r in values)
    if expert:
        out.append(say("lim_expert", lang, count=expert))
    risk_file = _source_file(run.sources.get("country_risk"))
    if risk_file is not None:
        out.append(say("lim_ratings_file", lang, file=risk_file[0],
                       unrated=f"{sc.unrated_country_risk:g}", high=f"{sc.high_risk_country:g}"))
    else:
        out.append(say("lim_ratings_default", lang, unrated=f"{sc.unrated_country_risk:g}"))
    if not any(p.suppliers for p in parts) and "trade" not in run.sources:
        out.append(say("lim_trade_none", lang))
    out.append(say("lim_impact", lang))
    out.append(say("lim_method", lang))
    if run.issues:
        out.append(say("lim_issues", lang, count=len(run.issues)))
    return out


# --- data sources ----------------------------------------------------------------------------


def _source_file(entry: str | None) -> tuple[str, str | None] | None:
    """('file name', sha256) from a run's 'name sha256' source entry."""
    if not entry:
        return None
    name, _, digest = entry.rpartition(" ")
    if len(digest) == 64 and all(ch in "0123456789abcdef" for ch in digest):
        return name, digest
    return entry, None


def data_sources(run: AssessmentRun, taxonomy: Taxonomy, lang: Lang) -> list[DataSource]:
    """Each input of the run with its role, file name and SHA-256: inventory, taxonomy,
    country-risk list, trade data. An input not given has file and hash None."""
    src = run.input
    out = [
        DataSource("inventory", say("role_inventory", lang),
                   Path(src.path).name if src else None, src.sha256 if src else None),
        DataSource("taxonomy", say("role_taxonomy", lang), run.taxonomy.name,
                   run.taxonomy.sha256),
    ]
    for role in ("country_risk", "trade"):
        entry = _trade_file(run, lang) if role == "trade" else _source_file(run.sources.get(role))
        out.append(DataSource(role, say(f"role_{role}", lang),
                              entry[0] if entry else None, entry[1] if entry else None))
    return out


def _trade_file(run: AssessmentRun, lang: Lang) -> tuple[str, str | None] | None:
    """The trade data's file and hash: a separate file, else the inventory's own trade sheet
    (the inventory's hash covers it) when the run has partner shares from it."""
    entry = _source_file(run.sources.get("trade"))
    src = run.input
    if entry is None and src is not None and _has_trade(run):
        entry = (say("trade_sheet", lang, file=Path(src.path).name), src.sha256)
    return entry


def _has_trade(run: AssessmentRun) -> bool:
    return any(p.suppliers for c in run.chains for p in (c, *c.segments))


def source_line(run: AssessmentRun, lang: Lang, *, trade: bool = False) -> str:
    """The source note under a figure or table: the run, its input file and taxonomy."""
    src = run.input
    parts = [
        say("source_run", lang, version=run.riskdesk_version, assessed_at=run.assessed_at[:10],
            input=Path(src.path).name if src else say("source_inventory_none", lang)),
        say("source_taxonomy", lang, sha=run.taxonomy.sha256[:12]),
    ]
    entry = _trade_file(run, lang)
    if trade and entry is not None:
        parts.append(say("source_trade", lang, file=entry[0]))
    return say("source_line", lang, source=say("clause_sep", lang).join(parts))


def figure_caption(number: int, title: str, lang: Lang) -> str:
    return say("figure", lang, number=number, title=title)


def table_caption(number: int, title: str, lang: Lang) -> str:
    return say("table", lang, number=number, title=title)


# --- supplier breakdown ----------------------------------------------------------------------


def supplier_breakdown(chain: ChainResult, taxonomy: Taxonomy) -> list[SupplierRow]:
    """The chain's supplier countries with their shares of imports (from the trade table's
    partner shares) and country-risk ratings, largest share first. Empty when no trade data by
    partner were given — the report then says the breakdown is missing."""
    sc = taxonomy.scoring
    out = []
    for s in chain.suppliers:
        rating = sc.unrated_country_risk if s.rating is None else s.rating
        out.append(SupplierRow(s.country, s.share, rating, s.rating is not None,
                               rating >= sc.high_risk_country))
    return out


def supplier_cells(rows: Sequence[SupplierRow], taxonomy: Taxonomy, lang: Lang) -> list[
        tuple[str, str, str]]:
    """The breakdown as table cells: country, share, rating (with 'not on the list' and
    'high risk' said in words)."""
    out = []
    for r in rows:
        rating = f"{r.rating:.2f}" if r.rated else say(
            "unrated", lang, default=f"{taxonomy.scoring.unrated_country_risk:g}")
        if r.high_risk:
            rating += say("high_risk_note", lang)
        out.append((r.country, f"{r.share * 100:.1f}{NB}%", rating))
    return out
