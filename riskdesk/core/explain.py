"""Explanations in words an analyst can paste into a memo (SPEC §5.7, §11 display rules).

Built from a materialised result only, so the sentence says exactly what the result holds. Rules:
every number compared with a threshold is printed with `fmt_compared` against that threshold and
the comparison is written as the rule states it ("< 0.30"); a unit is said once; drivers that
contribute nothing are left out; absent data is "无数据 / no data"; a normal-dependence or
no-dependence verdict speaks of the gap without a level for the blocked type; a segment's
sentence names the segment.
"""

from __future__ import annotations

from riskdesk.core.models import Lang, Outcome, RiskType
from riskdesk.core.results import ChainResult, Driver
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.text import (
    cuts_for,
    fmt_compared,
    fmt_in_sentence,
    fmt_percent,
    fmt_value,
    frame,
    level_label,
    name_has_unit,
)

ROUTE_SWITCH = "route_switch"
TRANSFER = "transfer"


def _score(taxonomy: Taxonomy, value: float | None, lang: Lang) -> str:
    return fmt_compared(value, cuts_for(taxonomy, "score"), lang=lang)


def _dimension(taxonomy: Taxonomy, value: float | None, lang: Lang) -> str:
    return fmt_compared(value, cuts_for(taxonomy, "dimension"), lang=lang)


def _plain(value: float | None, lang: Lang) -> str:
    return fmt_compared(value, lang=lang)


def _sep(lang: Lang) -> str:
    return "" if lang == "zh" else " "


def _drivers(taxonomy: Taxonomy, drivers: list[Driver], lang: Lang) -> str:
    dependence = taxonomy.scoring.dependence
    parts = []
    for d in drivers:
        ind = taxonomy.indicator_by_id[d.indicator]
        value = fmt_in_sentence(ind, d.value, lang)
        if d.indicator == dependence.indicator:  # keep its side of the precondition
            value = fmt_value(
                ind, d.value, lang, cuts=(dependence.minimum,), unit=not name_has_unit(ind, lang)
            )
        parts.append(
            frame(
                lang,
                "driver",
                indicator=ind.name(lang),
                value=value,
                risk=_plain(d.risk, lang),
                contribution=_plain(d.contribution, lang),
            )
        )
    return frame(lang, "driver_separator").join(parts)


def _type_sentence(
    taxonomy: Taxonomy, result: ChainResult, risk_type: RiskType, lang: Lang
) -> str | None:
    score = result.type_scores.get(risk_type)
    dim = result.explanation.driving_dimensions.get(risk_type.value)
    if score is None or dim is None:
        return None
    drivers = [d for d in result.explanation.drivers if d.type == risk_type and d.contribution > 0]
    common = {
        "type": taxonomy.label(risk_type.value, lang),
        "score": _score(taxonomy, score, lang),
        "level": level_label(result.risk_levels.get(risk_type), lang),
        "dimension": taxonomy.label(dim, lang),
    }
    if not drivers:
        return frame(lang, "type_sentence_flat", **common)
    return frame(
        lang,
        "type_sentence",
        dim_score=_dimension(taxonomy, result.counted_score(dim), lang),
        drivers=_drivers(taxonomy, drivers, lang),
        **common,
    )


def _gate_sentences(taxonomy: Taxonomy, result: ChainResult, lang: Lang) -> list[str]:
    rules = taxonomy.scoring
    out = []
    for dim, gate_rule in (
        (ROUTE_SWITCH, rules.route_switch_gate),
        (TRANSFER, rules.transfer_gate),
    ):
        ds = result.dimension_scores.get(dim)
        gate = result.gates.get(dim)
        if ds is None or gate is None or not ds.score or not ds.sufficient:
            continue  # nothing to let through
        values = {
            "dim_score": _dimension(taxonomy, ds.score, lang),
            "factor": _plain(gate.factor, lang),
            "full_at": _plain(gate_rule.full_at, lang),
        }
        if gate.score is None:
            key = "route_gate_unknown" if dim == ROUTE_SWITCH else "transfer_gate_unknown"
            out.append(frame(lang, key, assumed=_plain(gate.assumed, lang), **values))
        elif dim == ROUTE_SWITCH:
            out.append(frame(lang, "route_gate", driver=_plain(gate.score, lang), **values))
        else:
            out.append(frame(lang, "transfer_gate", evidence=_plain(gate.score, lang), **values))
        if dim == TRANSFER and gate.retained:
            retained = rules.retained_position
            rca = result.indicators.get(retained.rca_indicator)
            tc = result.indicators.get(retained.tc_indicator)
            out.append(
                frame(
                    lang,
                    "retained",
                    rca=fmt_compared(rca.value if rca else None, (retained.rca_min,), lang=lang),
                    rca_min=_plain(retained.rca_min, lang),
                    tc=fmt_compared(tc.value if tc else None, (retained.tc_min,), lang=lang),
                    tc_min=_plain(retained.tc_min, lang),
                    factor=_plain(retained.factor, lang),
                )
            )
    return out


def _exposure_sentence(taxonomy: Taxonomy, result: ChainResult, lang: Lang) -> str:
    damping = taxonomy.scoring.exposure_damping
    e = result.exposure
    if e is None:
        g = damping.base + damping.slope * damping.unknown_exposure
        return frame(
            lang, "exposure_unknown", assumed=_plain(damping.unknown_exposure, lang),
            g=_plain(g, lang),
        )  # fmt: skip
    return frame(
        lang,
        "exposure_known",
        exposure=fmt_compared(e, cuts_for(taxonomy, "exposure"), lang=lang),
        g=_plain(damping.base + damping.slope * e, lang),
    )


def _gap_dimension(taxonomy: Taxonomy, result: ChainResult, lang: Lang) -> str:
    dim = result.explanation.driving_dimensions.get(RiskType.MISSING.value)
    return taxonomy.label(dim, lang) if dim else "—"


def _verdict_sentences(taxonomy: Taxonomy, result: ChainResult, lang: Lang) -> list[str]:
    rules = taxonomy.scoring
    outcome = result.primary_type
    out: list[str] = []
    lst = frame(lang, "list_separator")
    risk_type = result.primary_risk_type
    if risk_type is not None:
        out.append(
            frame(
                lang,
                "primary_type",
                primary=taxonomy.label(outcome.value, lang),
                score=_score(taxonomy, result.type_scores.get(risk_type), lang),
                level=level_label(result.risk_levels.get(risk_type), lang),
            )
        )
        others = [taxonomy.label(x.value, lang) for x in result.types if x != risk_type]
        if others:
            out.append(frame(lang, "also_assigned", types=lst.join(others)))
        if result.tie:
            top = result.type_scores.get(risk_type)
            tied = [taxonomy.label(x.value, lang) for x in result.types
                    if result.type_scores.get(x) == top]  # fmt: skip
            out.append(frame(lang, "tie", types=lst.join(tied)))
    else:
        out.append(frame(lang, "primary_outcome", primary=taxonomy.label(outcome.value, lang)))
    if outcome == Outcome.NORMAL_DEPENDENCE:
        out.append(
            frame(
                lang,
                "normal_dependence",
                gap=fmt_compared(result.gap, cuts_for(taxonomy, "gap"), lang=lang),
                gap_min=_plain(rules.normal_dependence.gap_min, lang),
                dimension=_gap_dimension(taxonomy, result, lang),
                exposure=fmt_compared(result.exposure, cuts_for(taxonomy, "exposure"), lang=lang),
                exposure_max=_plain(rules.normal_dependence.exposure_max, lang),
            )
        )
    elif (
        result.dependence_met is False
        and result.gap is not None
        and result.gap >= rules.normal_dependence.gap_min
    ):
        dep = result.indicators.get(rules.dependence.indicator)
        out.append(
            frame(
                lang,
                "no_dependence",
                gap=fmt_compared(result.gap, cuts_for(taxonomy, "gap"), lang=lang),
                dimension=_gap_dimension(taxonomy, result, lang),
                dependence=fmt_percent(
                    dep.value if dep else None, lang, (rules.dependence.minimum,)
                ),
                minimum=fmt_percent(rules.dependence.minimum, lang),
            )
        )
    if outcome == Outcome.MONITOR:
        out.append(_monitor_sentence(taxonomy, result, lang))
    elif outcome == Outcome.INSUFFICIENT_EVIDENCE:
        wanted = result.data_to_collect[:5]
        out.append(
            frame(
                lang,
                "insufficient",
                coverage=fmt_percent(rules.min_coverage, lang),
                indicators=lst.join(taxonomy.indicator_by_id[i].name(lang) for i in wanted),
            )
        )
    return out


def _missing_blocked(result: ChainResult) -> bool:
    return result.primary_type == Outcome.NORMAL_DEPENDENCE or result.dependence_met is False


def _monitor_sentence(taxonomy: Taxonomy, result: ChainResult, lang: Lang) -> str:
    threshold = _plain(taxonomy.scoring.assign_threshold, lang)
    scored = [
        (score, rt)
        for rt, score in result.type_scores.items()
        if score is not None and not (rt == RiskType.MISSING and _missing_blocked(result))
    ]
    if not scored:
        return frame(lang, "monitor_no_score", threshold=threshold)
    best, rt = max(scored, key=lambda x: (x[0], -list(RiskType).index(x[1])))
    return frame(
        lang,
        "monitor",
        threshold=threshold,
        best_type=taxonomy.label(rt.value, lang),
        best=_score(taxonomy, best, lang),
    )


def explain(result: ChainResult, taxonomy: Taxonomy, lang: Lang) -> str:
    """The explanation of one row's (chain's or segment's) result."""
    rules = taxonomy.scoring
    parts = _verdict_sentences(taxonomy, result, lang)
    blocked = _missing_blocked(result)
    for rt in RiskType:
        if rt == RiskType.MISSING and blocked:
            continue  # the gap was spoken of above, without a level that would contradict it
        sentence = _type_sentence(taxonomy, result, rt, lang)
        if sentence is None:
            continue
        parts.append(sentence)
        if rt == RiskType.MISSING:
            parts.append(_exposure_sentence(taxonomy, result, lang))
        if rt == RiskType.DESTROYED:
            parts += _gate_sentences(taxonomy, result, lang)
    gap_verdict = (
        RiskType.MISSING in result.types or result.primary_type == Outcome.NORMAL_DEPENDENCE
    )
    if gap_verdict and result.dependence_met is None:
        parts.append(
            frame(lang, "dependence_unknown", minimum=fmt_percent(rules.dependence.minimum, lang))
        )
    for dim, ds in result.dimension_scores.items():
        if not ds.sufficient and ds.score is not None:
            parts.append(
                frame(
                    lang,
                    "partial_dimension",
                    dimension=taxonomy.label(dim, lang),
                    coverage=fmt_percent(ds.coverage, lang, (rules.min_coverage,)),
                    min_coverage=fmt_percent(rules.min_coverage, lang),
                    score=_dimension(taxonomy, ds.score, lang),
                )
            )
    if result.priority_note:
        parts.append(frame(lang, "priority_undetermined"))
    text = _sep(lang).join(parts)
    if result.segment:
        text = frame(lang, "segment_prefix", segment=result.segment) + text
    return text


def chain_preamble(
    taxonomy: Taxonomy,
    weakest: ChainResult,
    segments: list[ChainResult],
    lang: Lang,
    *,
    overall: dict[RiskType, float | None] | None = None,
    fallback: bool = False,
) -> str:
    """What a chain assessed by segment says before its weakest segment's own explanation."""
    lst = frame(lang, "list_separator")
    segment = weakest.segment or "—"
    parts = []
    if fallback:
        parts.append(frame(lang, "value_weighted_fallback"))
    if overall is not None:
        scores = lst.join(
            f"{taxonomy.label(rt.value, lang)} {_score(taxonomy, v, lang)}"
            for rt, v in overall.items()
            if v is not None
        )
        parts.append(frame(lang, "value_weighted", scores=scores, segment=segment))
    else:
        risk_type = weakest.primary_risk_type
        if risk_type is not None:
            reason = frame(
                lang,
                "weakest_reason_type",
                type=taxonomy.label(risk_type.value, lang),
                score=_score(taxonomy, weakest.type_scores.get(risk_type), lang),
            )
        else:
            reason = frame(
                lang, "weakest_reason_outcome",
                outcome=taxonomy.label(weakest.primary_type.value, lang),
            )  # fmt: skip
        parts.append(frame(lang, "weakest_segment", segment=segment, reason=reason))
    verdicts = []
    for s in segments:
        label = taxonomy.label(s.primary_type.value, lang)
        score = s.primary_score
        if score is not None:
            label += f" {_score(taxonomy, score, lang)}"
        verdicts.append(frame(lang, "segment_verdict", segment=s.segment or "—", outcome=label))
    parts.append(frame(lang, "segment_verdicts", verdicts=lst.join(verdicts)))
    return _sep(lang).join(parts) + _sep(lang)
