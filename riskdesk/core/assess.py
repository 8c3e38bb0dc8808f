"""Assess an inventory: fill trade-derived indicators, score vectorised, roll up segments, measure
robustness, and materialise per-chain results with explanations and recommended measures.

`Portfolio` keeps the vectorised tables (the GUI reads them directly for 100,000-row views) and
builds `ChainResult` objects only for the chains a caller asks for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from riskdesk import __version__
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import (
    LEVEL_ORDER,
    OUTCOME_ORDER,
    Lang,
    Outcome,
    Provenance,
    RiskLevel,
    RiskType,
)
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report, sub_progress
from riskdesk.core.results import (
    AssessmentRun,
    ChainResult,
    DimensionScore,
    Driver,
    Explanation,
    IndicatorResult,
    RobustnessResult,
    TaxonomyRef,
)
from riskdesk.core.rollup import ChainGroups, ChainLevel, roll_up
from riskdesk.core.scoring import (
    NONE,
    PRIORITY_ORDER,
    STRATEGY_ORDER,
    SUB_STRATEGY_ORDER,
    TYPE_ORDER,
    Classification,
    Profile,
    ScoreTable,
    WeightModel,
    score_values,
)
from riskdesk.core.taxonomy import EXPOSURE, Taxonomy
from riskdesk.core.text import fmt_percent, fmt_score, fmt_value, frame, level_label
from riskdesk.core.trade import CountryRiskList, compute_trade_indicators, ls_slope

LANGS: tuple[Lang, ...] = ("zh", "en")


def profile_of(inventory: Inventory) -> Profile:
    f = inventory.frame
    return Profile.from_columns(
        f["tech_category"].to_numpy(dtype=object),
        f["generality"].to_numpy(dtype=np.float64),
        f["strategic_value"].to_numpy(dtype=np.float64),
        f["supplier_count"].to_numpy(dtype=np.float64),
    )


def values_of(inventory: Inventory, taxonomy: Taxonomy) -> np.ndarray:
    """The (chains × indicators) value matrix, column-major: the engine reads it per indicator."""
    return np.asfortranarray(
        inventory.frame[list(taxonomy.indicator_ids)].to_numpy(dtype=np.float64)
    )


@dataclass
class Robustness:
    stability: np.ndarray  # per chain group, share of draws keeping the primary outcome
    alternatives: list[dict[str, float]]
    draws: int
    spread: float


class Portfolio:
    """Vectorised results of one inventory under one taxonomy."""

    def __init__(self, inventory: Inventory, taxonomy: Taxonomy) -> None:
        self.inventory = inventory
        self.taxonomy = taxonomy
        self.model = WeightModel.from_taxonomy(taxonomy)
        self.values = values_of(inventory, taxonomy)
        self.profile = profile_of(inventory)
        self.table: ScoreTable = score_values(self.values, self.profile, taxonomy, self.model)
        self.groups = ChainGroups.of(inventory.frame)
        self.chains: ChainLevel = roll_up(self.table, self.groups, self.profile, taxonomy)
        self.robustness: Robustness | None = None

    # --- robustness (SPEC §5.9) -------------------------------------------------------------

    def measure_robustness(
        self,
        draws: int | None = None,
        spread: float | None = None,
        seed: int | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> Robustness:
        settings = self.taxonomy.robustness
        draws = settings.draws if draws is None else draws
        spread = settings.spread if spread is None else spread
        rng = np.random.default_rng(settings.seed if seed is None else seed)
        baseline = self.chains.classification.outcome
        same = np.zeros(len(baseline), dtype=np.int64)
        seen = np.zeros((len(baseline), len(OUTCOME_ORDER)), dtype=np.int64)
        for k in range(draws):
            if k % 10 == 0:
                checkpoint(cancel)
                report(progress, k / draws, "robustness")
            model = self.model.perturbed(rng, spread)
            table = score_values(self.values, self.profile, self.taxonomy, model)
            outcome = roll_up(
                table, self.groups, self.profile, self.taxonomy
            ).classification.outcome
            same += outcome == baseline
            seen[np.arange(len(outcome)), outcome] += 1
        alternatives = [
            {
                OUTCOME_ORDER[o].value: float(seen[g, o] / draws)
                for o in np.flatnonzero(seen[g])
                if o != baseline[g]
            }
            for g in range(len(baseline))
        ]
        self.robustness = Robustness(same / max(draws, 1), alternatives, draws, spread)
        return self.robustness

    # --- materialisation ----------------------------------------------------------------------

    def group_index(self, chain_id: str) -> int:
        return self.groups.chain_ids.index(chain_id)

    def chain_result(self, group: int) -> ChainResult:
        start, size = int(self.groups.starts[group]), int(self.groups.sizes[group])
        rows = [int(r) for r in self.groups.order[start : start + size]]
        robustness = None
        if self.robustness is not None:
            robustness = RobustnessResult(
                primary_stability=float(self.robustness.stability[group]),
                draws=self.robustness.draws,
                spread=self.robustness.spread,
                alternatives=self.robustness.alternatives[group],
            )
        if not self.groups.segmented[group]:
            result = self._row_result(rows[0])
            return result.model_copy(update={"robustness": robustness})
        segments = [self._row_result(r) for r in rows]
        weakest_row = int(self.chains.weakest_row[group])
        weakest = segments[rows.index(weakest_row)]
        c = self.chains.classification
        base = self._classified_fields(c, group, self._chain_dimensions(group))
        segment_name = weakest.segment or "—"
        explanation = Explanation(
            zh=frame("zh", "weakest_segment", segment=segment_name) + weakest.explanation.zh,
            en=frame("en", "weakest_segment", segment=segment_name) + " " + weakest.explanation.en,
            drivers=weakest.explanation.drivers,
            driving_dimensions=weakest.explanation.driving_dimensions,
        )
        names = [s.chain_name for s in segments if s.chain_name]
        return ChainResult(
            chain_id=self.groups.chain_ids[group],
            chain_name=names[0],
            sector=next((s.sector for s in segments if s.sector), None),
            tech_category=next((s.tech_category for s in segments if s.tech_category), None),
            strategic_value=next((s.strategic_value for s in segments if s.strategic_value), None),
            generality=next((s.generality for s in segments if s.generality), None),
            explanation=explanation,
            indicators=weakest.indicators,
            robustness=robustness,
            data_to_collect=weakest.data_to_collect,
            weakest_segment=weakest.segment,
            segments=segments,
            **base,
        )

    def results(self, chain_ids: list[str] | None = None) -> list[ChainResult]:
        groups = (
            self.groups.in_input_order()
            if chain_ids is None
            else [self.group_index(c) for c in chain_ids]
        )
        return [self.chain_result(g) for g in groups]

    def _chain_dimensions(self, group: int) -> dict[str, DimensionScore]:
        min_cov = self.taxonomy.scoring.min_coverage
        out = {}
        for d, dim in enumerate(self.model.dimensions):
            score = self.chains.dim_score[group, d]
            cov = float(self.chains.coverage[group, d])
            out[dim] = DimensionScore(
                score=None if np.isnan(score) else float(score),
                coverage=min(1.0, cov),
                sufficient=bool(not np.isnan(score) and cov >= min_cov - 1e-9),
            )
        return out

    def _classified_fields(
        self, c: Classification, i: int, dimensions: dict[str, DimensionScore]
    ) -> dict[str, object]:
        """The fields shared by row-level and chain-level results, from a Classification."""
        t = self.taxonomy
        order = sorted(
            (k for k in range(len(TYPE_ORDER)) if c.assigned[i, k]),
            key=lambda k: (-c.type_score[i, k], k),
        )
        outcome = OUTCOME_ORDER[int(c.outcome[i])]
        sub = int(c.sub_strategy[i])
        prio = int(c.priority[i])
        exposure = float(c.exposure[i])
        return {
            "primary_type": outcome,
            "types": [TYPE_ORDER[k] for k in order],
            "tie": bool(c.tie[i]),
            "normal_dependence": bool(c.normal_dependence[i]),
            "type_scores": {
                rt: None if np.isnan(c.type_score[i, k]) else float(c.type_score[i, k])
                for k, rt in enumerate(TYPE_ORDER)
            },
            "risk_levels": {
                rt: None if c.level[i, k] == NONE else LEVEL_ORDER[int(c.level[i, k])]
                for k, rt in enumerate(TYPE_ORDER)
            },
            "gap": None if np.isnan(c.gap[i]) else float(c.gap[i]),
            "dimension_scores": dimensions,
            "exposure": None if np.isnan(exposure) else exposure,
            "exposure_coverage": dimensions[EXPOSURE].coverage,
            "strategy": STRATEGY_ORDER[int(c.strategy[i])],
            "sub_strategy": None if sub == NONE else SUB_STRATEGY_ORDER[sub],
            "priority_mode": None if prio == NONE else PRIORITY_ORDER[prio],
            "priority_note": frame("en", "priority_undetermined")
            if c.priority_undetermined[i]
            else None,
            "measures": recommended_measures(t, c, i, dimensions),
        }

    def _row_result(self, row: int) -> ChainResult:
        inv, t, table = self.inventory, self.taxonomy, self.table
        chain = inv.chain(row)
        dimensions = {
            dim: DimensionScore(
                score=None if np.isnan(table.dim_score[row, d]) else float(table.dim_score[row, d]),
                coverage=min(1.0, float(table.coverage[row, d])),
                sufficient=bool(table.sufficient[row, d]),
            )
            for d, dim in enumerate(self.model.dimensions)
        }
        indicators: dict[str, IndicatorResult] = {}
        for j, ind in enumerate(t.indicators):
            value = self.values[row, j]
            prov = inv.provenance(row, ind.id)
            indicators[ind.id] = IndicatorResult(
                value=None if np.isnan(value) else float(value),
                risk=None if np.isnan(table.risk[row, j]) else float(table.risk[row, j]),
                source=prov.describe("en") if prov else "",
                unit=ind.unit,
                year=inv.year(row, ind.id) if prov else None,
                kind=prov.kind if prov else None,
                illustrative=bool(prov and prov.illustrative),
            )
        fields = self._classified_fields(table.classification, row, dimensions)
        drivers, driving = self._drivers(row)
        explanation = Explanation(
            zh=self._explain(row, fields, drivers, dimensions, "zh"),
            en=self._explain(row, fields, drivers, dimensions, "en"),
            drivers=[d for ds in drivers.values() for d in ds],
            driving_dimensions=driving,
        )
        return ChainResult(
            chain_id=chain.chain_id,
            chain_name=chain.chain_name,
            segment=chain.segment,
            sector=chain.sector,
            tech_category=chain.tech_category.value if chain.tech_category else None,
            strategic_value=chain.strategic_value,
            generality=chain.generality,
            explanation=explanation,
            indicators=indicators,
            data_to_collect=data_to_collect(t, self.model, self.values[row]),
            **fields,
        )

    def _drivers(self, row: int) -> tuple[dict[RiskType, list[Driver]], dict[str, str | None]]:
        """Per type: the top three indicator contributions of its driving dimension."""
        out: dict[RiskType, list[Driver]] = {}
        driving: dict[str, str | None] = {}
        risk = self.table.risk[row]
        for k, rt in enumerate(TYPE_ORDER):
            col = int(self.table.driving[row, k])
            if col == NONE:
                driving[rt.value] = None
                continue
            dim = self.model.dimensions[col]
            driving[rt.value] = dim
            weights = self.model.weights[:, col]
            present = (weights > 0) & ~np.isnan(risk)
            total = float(weights[present].sum())
            contrib = [
                Driver(
                    type=rt,
                    dimension=dim,
                    indicator=self.model.indicators[j],
                    value=float(self.values[row, j]),
                    risk=float(risk[j]),
                    contribution=float(weights[j] * risk[j] / total),
                )
                for j in np.flatnonzero(present)
            ]
            contrib.sort(key=lambda d: (-d.contribution, self.model.indicators.index(d.indicator)))
            out[rt] = contrib[:3]
        return out, driving

    def _explain(
        self,
        row: int,
        fields: dict[str, object],
        drivers: dict[RiskType, list[Driver]],
        dimensions: dict[str, DimensionScore],
        lang: Lang,
    ) -> str:
        t = self.taxonomy
        c = self.table.classification
        sep = "" if lang == "zh" else " "
        outcome = fields["primary_type"]
        assert isinstance(outcome, Outcome)
        parts: list[str] = []
        lst = frame(lang, "list_separator")
        if outcome.value in tuple(RiskType):
            k = TYPE_ORDER.index(RiskType(outcome.value))
            level = LEVEL_ORDER[int(c.level[row, k])]
            parts.append(
                frame(
                    lang,
                    "primary_type",
                    primary=t.label(outcome.value, lang),
                    score=fmt_score(float(c.type_score[row, k])),
                    level=level_label(level, lang),
                )
            )
            types = fields["types"]
            assert isinstance(types, list)
            others = [t.label(x.value, lang) for x in types if x.value != outcome.value]
            if others:
                parts.append(frame(lang, "also_assigned", types=lst.join(others)))
            if c.tie[row]:
                top = float(c.type_score[row, k])
                tied = [t.label(rt.value, lang) for j, rt in enumerate(TYPE_ORDER)
                        if c.assigned[row, j] and c.type_score[row, j] == top]  # fmt: skip
                parts.append(frame(lang, "tie", types=lst.join(tied)))
        else:
            parts.append(frame(lang, "primary_outcome", primary=t.label(outcome.value, lang)))
        if outcome == Outcome.NORMAL_DEPENDENCE or c.normal_dependence[row]:
            parts.append(
                frame(
                    lang,
                    "normal_dependence",
                    gap=fmt_score(float(c.gap[row])),
                    exposure=fmt_score(float(c.exposure[row])),
                )
            )
        elif outcome == Outcome.MONITOR:
            parts.append(frame(lang, "monitor", threshold=f"{t.scoring.assign_threshold:.2f}"))
        elif outcome == Outcome.INSUFFICIENT_EVIDENCE:
            wanted = data_to_collect(t, self.model, self.values[row])[:5]
            names = lst.join(t.indicator_by_id[i].name(lang) for i in wanted)
            parts.append(
                frame(
                    lang,
                    "insufficient",
                    coverage=fmt_percent(t.scoring.min_coverage),
                    indicators=names,
                )
            )
        for k, rt in enumerate(TYPE_ORDER):
            ds = drivers.get(rt)
            if not ds or np.isnan(c.type_score[row, k]):
                continue
            dim = ds[0].dimension
            text = frame(lang, "driver_separator").join(
                frame(
                    lang,
                    "driver",
                    indicator=t.indicator_by_id[d.indicator].name(lang),
                    value=fmt_value(t.indicator_by_id[d.indicator], d.value, lang),
                    risk=fmt_score(d.risk),
                    contribution=fmt_score(d.contribution),
                )
                for d in ds
            )
            parts.append(
                frame(
                    lang,
                    "type_sentence",
                    type=t.label(rt.value, lang),
                    score=fmt_score(float(c.type_score[row, k])),
                    level=level_label(LEVEL_ORDER[int(c.level[row, k])], lang),
                    dimension=t.label(dim, lang),
                    dim_score=fmt_score(dimensions[dim].score),
                    drivers=text,
                )
            )
            if rt == RiskType.MISSING:
                parts.append(self._exposure_sentence(row, lang))
        for dim, ds_ in dimensions.items():
            if not ds_.sufficient and ds_.score is not None:
                parts.append(
                    frame(
                        lang,
                        "partial_dimension",
                        dimension=t.label(dim, lang),
                        coverage=fmt_percent(ds_.coverage),
                        score=fmt_score(ds_.score),
                    )
                )
        if fields.get("priority_note"):
            parts.append(frame(lang, "priority_undetermined"))
        return sep.join(parts)

    def _exposure_sentence(self, row: int, lang: Lang) -> str:
        damping = self.taxonomy.scoring.exposure_damping
        e = float(self.table.classification.exposure[row])
        if np.isnan(e):
            g = damping.base + damping.slope * damping.unknown_exposure
            return frame(
                lang,
                "exposure_unknown",
                assumed=fmt_score(damping.unknown_exposure),
                g=fmt_score(g),
            )
        return frame(
            lang,
            "exposure_known",
            exposure=fmt_score(e),
            g=fmt_score(damping.base + damping.slope * e),
        )

    def to_run(self, *, country: str = "CHN") -> AssessmentRun:
        return AssessmentRun(
            riskdesk_version=__version__,
            taxonomy=TaxonomyRef(name=self.taxonomy.name, sha256=self.taxonomy.sha256),
            input=self.inventory.source,
            assessed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            country=country,
            chains=self.results(),
            issues=list(self.inventory.issues),
        )


def recommended_measures(
    taxonomy: Taxonomy, c: Classification, i: int, dimensions: dict[str, DimensionScore]
) -> list[str]:
    """Measure ids: the driving and other high dimensions of each assigned type (primary first),
    then sub-strategy, priority mode and exposure measures; 'monitor' measures otherwise."""
    threshold = taxonomy.scoring.assign_threshold
    targets: list[str] = []
    outcome = OUTCOME_ORDER[int(c.outcome[i])]
    assigned = sorted(
        (k for k in range(len(TYPE_ORDER)) if c.assigned[i, k]),
        key=lambda k: (-c.type_score[i, k], k),
    )
    for k in assigned:
        spec = taxonomy.type_by_id[TYPE_ORDER[k]]
        dims = sorted(
            (
                d
                for d in spec.dimensions
                if dimensions[d].sufficient and dimensions[d].score is not None
            ),
            key=lambda d: -(dimensions[d].score or 0.0),
        )
        targets += [
            d for n, d in enumerate(dims) if n == 0 or (dimensions[d].score or 0) >= threshold
        ]
    if c.sub_strategy[i] != NONE:
        targets.append(SUB_STRATEGY_ORDER[int(c.sub_strategy[i])])
    if c.priority[i] != NONE:
        targets.append(PRIORITY_ORDER[int(c.priority[i])])
    exposure = dimensions[EXPOSURE]
    if c.assigned[i, 0] and exposure.score is not None and exposure.score >= threshold:
        targets.append(EXPOSURE)
    if outcome == Outcome.NORMAL_DEPENDENCE or c.normal_dependence[i]:
        targets.append("normal_dependence")
    if outcome in (Outcome.MONITOR, Outcome.NORMAL_DEPENDENCE, Outcome.INSUFFICIENT_EVIDENCE):
        targets.append("monitor")
    seen: list[str] = []
    for target in targets:
        for m in taxonomy.measures_for(target):
            if m.id not in seen:
                seen.append(m.id)
    return seen


def data_to_collect(taxonomy: Taxonomy, model: WeightModel, values: np.ndarray) -> list[str]:
    """Missing indicators ranked by the evidence coverage they would add (most informative first)."""
    totals = model.weights.sum(axis=0)
    gain = (model.weights / np.where(totals > 0, totals, 1.0)).sum(axis=1)
    missing = [j for j in range(len(model.indicators)) if np.isnan(values[j])]
    missing.sort(key=lambda j: (-gain[j], j))
    return [model.indicators[j] for j in missing]


def fill_trade_indicators(
    inventory: Inventory, taxonomy: Taxonomy, *, country: str, country_risk: CountryRiskList | None
) -> None:
    """Compute trade indicators and rca_trend into missing cells, with provenance and issues."""
    ids = inventory.frame["chain_id"].astype(str).to_numpy()
    if inventory.trade is not None and len(inventory.trade):
        file = inventory.source.path if inventory.source else None
        computed = compute_trade_indicators(
            inventory.trade, country=country, risk=country_risk, file=file, products=set(ids)
        )
        inventory.issues.extend(computed.issues)
        for (product, ind), cv in computed.latest.items():
            if ind not in taxonomy.indicator_by_id or cv.value is None:
                continue
            for row in np.flatnonzero(ids == product):
                if inventory.number(int(row), ind) is None:
                    _fill(inventory, int(row), ind, cv.value, cv.provenance, cv.year)
        for (product, ind), points in computed.series.items():
            for row in np.flatnonzero(ids == product):
                inventory.series.setdefault((*inventory.key(int(row)), ind), points)
    # rca_trend from an RCA time series given directly (timeseries sheet)
    for (chain_id, segment, ind), points in list(inventory.series.items()):
        if ind != "rca_index" or "rca_trend" not in taxonomy.indicator_by_id:
            continue
        slope = ls_slope(points)
        try:
            trend_row = inventory.row_of(chain_id, segment)
        except KeyError:
            continue
        if slope is not None and inventory.number(trend_row, "rca_trend") is None:
            prov = Provenance(
                kind="computed",
                computed_from=f"RCA series {points[0].year}–{points[-1].year}",
                method="least-squares slope of RCA per year",
            )
            _fill(inventory, trend_row, "rca_trend", slope, prov, points[-1].year)


def _fill(
    inventory: Inventory, row: int, indicator: str, value: float, prov: Provenance, year: int
) -> None:
    """Put a computed value into a missing cell, keeping an evidence note the file gave for it."""
    key = (*inventory.key(row), indicator)
    note = inventory.cell_provenance.get(key)
    if note is not None and (note.evidence or note.illustrative):
        prov = prov.model_copy(
            update={"evidence": note.evidence, "illustrative": note.illustrative}
        )
    inventory.set_value(row, indicator, value, prov)
    inventory.cell_years[key] = year


def assess_inventory(
    inventory: Inventory,
    taxonomy: Taxonomy,
    *,
    country: str = "CHN",
    country_risk: CountryRiskList | None = None,
    robustness: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> AssessmentRun:
    """The whole assessment of an inventory, as a serialisable run."""
    portfolio = assess_portfolio(
        inventory,
        taxonomy,
        country=country,
        country_risk=country_risk,
        robustness=robustness,
        progress=progress,
        cancel=cancel,
    )
    report(progress, 0.9, "results")
    run = portfolio.to_run(country=country)
    report(progress, 1.0, "done")
    return run


def assess_portfolio(
    inventory: Inventory,
    taxonomy: Taxonomy,
    *,
    country: str = "CHN",
    country_risk: CountryRiskList | None = None,
    robustness: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Portfolio:
    """Vectorised assessment (no per-chain objects yet), with robustness when asked."""
    if country_risk is None:
        country_risk = CountryRiskList(
            unrated=taxonomy.scoring.unrated_country_risk,
            high_risk=taxonomy.scoring.high_risk_country,
        )
    report(progress, 0.0, "trade indicators")
    fill_trade_indicators(inventory, taxonomy, country=country, country_risk=country_risk)
    checkpoint(cancel)
    report(progress, 0.1, "scoring")
    portfolio = Portfolio(inventory, taxonomy)
    checkpoint(cancel)
    if robustness:
        portfolio.measure_robustness(progress=sub_progress(progress, 0.15, 0.85), cancel=cancel)
    return portfolio


def primary_level(result: ChainResult) -> RiskLevel | None:
    return result.primary_level


def outcome_counts(results: list[ChainResult]) -> Counter[str]:
    return Counter(r.primary_type.value for r in results)
