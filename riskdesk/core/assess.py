"""Assess an inventory: fill trade-derived indicators, score vectorised, roll up segments, measure
robustness, and materialise per-chain results with explanations and strategy blocks.

`Portfolio` keeps the vectorised arrays and builds `ChainResult` objects only for the chains a
caller asks for (`chain_result`, `results`, or one by one with `iter_results`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np

from riskdesk import __version__
from riskdesk.core.enrich import fill_trade_indicators
from riskdesk.core.explain import chain_preamble, explain
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import (
    LEVEL_ORDER,
    OUTCOME_ORDER,
    Outcome,
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
    GateResult,
    IndicatorResult,
    RobustnessResult,
    StrategyBlock,
    SupplierShare,
    TaxonomyRef,
)
from riskdesk.core.robustness import RobustnessTable, measure
from riskdesk.core.rollup import ChainGroups, ChainLevel, chain_profile, roll_up
from riskdesk.core.scoring import (
    NONE,
    PROFILE_SOURCES,
    TECH_ORDER,
    TYPE_ORDER,
    Evaluation,
    Profile,
    ScoreTable,
    WeightModel,
    evaluate,
    table_of,
)
from riskdesk.core.strategy import StrategyInputs, combined_measures, strategy_blocks
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import CountryRiskList, PartnerShares

__all__ = [
    "Portfolio",
    "assess_inventory",
    "assess_portfolio",
    "data_to_collect",
    "fill_trade_indicators",
    "outcome_counts",
    "profile_of",
    "values_of",
]


def _raw_profile(inventory: Inventory) -> Profile:
    f = inventory.frame
    return Profile.from_columns(
        f["tech_category"].to_numpy(dtype=object),
        f["generality"].to_numpy(dtype=np.float64),
        f["strategic_value"].to_numpy(dtype=np.float64),
        f["supplier_count"].to_numpy(dtype=np.float64),
    )


def profile_of(inventory: Inventory, groups: ChainGroups | None = None) -> Profile:
    """Profile arrays per row; a segment row without a field takes its chain's first given."""
    return chain_profile(_raw_profile(inventory), groups or ChainGroups.of(inventory.frame))


def values_of(inventory: Inventory, taxonomy: Taxonomy) -> np.ndarray:
    """The (chains × indicators) value matrix, column-major: the engine reads it per indicator."""
    return np.asfortranarray(
        inventory.frame[list(taxonomy.indicator_ids)].to_numpy(dtype=np.float64)
    )


class Portfolio:
    """Vectorised results of one inventory under one taxonomy."""

    def __init__(
        self,
        inventory: Inventory,
        taxonomy: Taxonomy,
        *,
        partner_shares: PartnerShares | None = None,
    ) -> None:
        self.inventory = inventory
        self.taxonomy = taxonomy
        self.model = WeightModel.from_taxonomy(taxonomy)
        self.values = values_of(inventory, taxonomy)
        self.rows = inventory.columns()  # the profile read with the values, for materialising
        self.groups = ChainGroups.of(inventory.frame)
        self.profile = profile_of(inventory, self.groups)
        self.partner_shares = partner_shares
        self.evaluation: Evaluation = evaluate(self.values.T, self.profile, self.model)
        self.table: ScoreTable = table_of(self.evaluation)
        rollup = taxonomy.scoring.segment_rollup
        self.rule = "value_weighted" if rollup == "value_weighted" else "weakest"
        share_id = taxonomy.scoring.segment_share_indicator
        self.shares = (
            self.values[:, taxonomy.indicator_ids.index(share_id)]
            if share_id in taxonomy.indicator_by_id
            else None
        )
        self.chains: ChainLevel = roll_up(
            self.evaluation, self.groups, self.model, rule=self.rule, shares=self.shares
        )
        self.robustness: RobustnessTable | None = None

    # --- robustness (SPEC §5.9, §11) ----------------------------------------------------------

    def measure_robustness(
        self,
        draws: int | None = None,
        spread: float | None = None,
        seed: int | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> RobustnessTable:
        self.robustness = measure(
            self, draws=draws, spread=spread, seed=seed, progress=progress, cancel=cancel
        )
        return self.robustness

    # --- materialisation ----------------------------------------------------------------------

    def group_index(self, chain_id: str) -> int:
        return self.groups.chain_ids.index(chain_id)

    def chain_result(self, group: int) -> ChainResult:
        robustness = self._robustness_result(group)
        rows = self.groups.rows(group)
        if not self.groups.segmented[group]:
            return self._row_result(rows[0]).model_copy(update={"robustness": robustness})
        segments = [self._row_result(r) for r in rows]
        weakest = segments[rows.index(int(self.chains.weakest_row[group]))]
        overall = self._overall(group)
        weighted = bool(self.chains.value_weighted[group])
        names = [s.chain_name for s in segments if s.chain_name]
        update: dict[str, object] = {
            "segment": None,
            "chain_name": names[0],
            "weakest_segment": weakest.segment,
            "segments": segments,
            "segment_rollup": "value_weighted" if weighted else "weakest",
            "overall_index": overall,
            "robustness": robustness,
        }
        if weighted:
            update |= self._value_weighted_fields(group, weakest, overall)
        result = weakest.model_copy(update=update)
        explanation = Explanation(
            zh=self._preamble(weakest, segments, overall if weighted else None, "zh")
            + weakest.explanation.zh,
            en=self._preamble(weakest, segments, overall if weighted else None, "en")
            + weakest.explanation.en,
            drivers=weakest.explanation.drivers,
            driving_dimensions=weakest.explanation.driving_dimensions,
        )
        return result.model_copy(update={"explanation": explanation})

    def iter_results(self, chain_ids: list[str] | None = None) -> Iterator[ChainResult]:
        """Results one chain at a time, in input order (no list of every chain is built)."""
        groups = (
            self.groups.in_input_order()
            if chain_ids is None
            else [self.group_index(c) for c in chain_ids]
        )
        for g in groups:
            yield self.chain_result(g)

    def results(self, chain_ids: list[str] | None = None) -> list[ChainResult]:
        return list(self.iter_results(chain_ids))

    def _preamble(
        self,
        weakest: ChainResult,
        segments: list[ChainResult],
        overall: dict[RiskType, float | None] | None,
        lang: str,
    ) -> str:
        fallback = self.rule == "value_weighted" and overall is None
        return chain_preamble(
            self.taxonomy, weakest, segments, "zh" if lang == "zh" else "en",
            overall=overall, fallback=fallback,
        )  # fmt: skip

    def _overall(self, group: int) -> dict[RiskType, float | None] | None:
        """001's value-weighted index of a segmented chain, when every segment gives a share."""
        if self.shares is None:
            return None
        rows = self.groups.rows(group)
        shares = self.shares[rows]
        if np.isnan(shares).any():
            return None
        out: dict[RiskType, float | None] = {}
        for k, rt in enumerate(TYPE_ORDER):
            scores = self.evaluation.type_score[k, rows]
            ok = ~np.isnan(scores)
            den = float(shares[ok].sum())
            out[rt] = float((scores[ok] * shares[ok]).sum() / den) if den > 0 else None
        return out

    def _value_weighted_fields(
        self, group: int, weakest: ChainResult, overall: dict[RiskType, float | None] | None
    ) -> dict[str, object]:
        """The chain's verdict from 001's overall index (the explanation stays the weakest's)."""
        assert overall is not None
        assert self.chains.assigned is not None
        outcome = OUTCOME_ORDER[int(self.chains.outcome[group])]
        assigned = self.chains.assigned[group]
        types = sorted(
            (rt for k, rt in enumerate(TYPE_ORDER) if assigned[k]),
            key=lambda rt: (-(overall[rt] or 0.0), TYPE_ORDER.index(rt)),
        )
        inputs = dataclasses.replace(
            StrategyInputs.of(weakest), normal_dependence=outcome == Outcome.NORMAL_DEPENDENCE
        )
        blocks = strategy_blocks(
            self.taxonomy, [Outcome(t.value) for t in types] or [outcome], inputs
        )
        levels = self.taxonomy.scoring.levels
        return {
            "primary_type": outcome,
            "types": types,
            "tie": len(types) > 1 and overall[types[0]] == overall[types[1]],
            "normal_dependence": outcome == Outcome.NORMAL_DEPENDENCE,
            "type_scores": overall,
            "risk_levels": {
                rt: _level(v, levels.low, levels.medium, levels.high) for rt, v in overall.items()
            },
            "priority_score": float(self.chains.priority_score[group]),
            **_strategy_fields(blocks),
        }

    def _robustness_result(self, group: int) -> RobustnessResult | None:
        rob = self.robustness
        if rob is None:
            return None
        driving = float(rob.driving_stability[group])
        return RobustnessResult(
            primary_stability=float(rob.stability[group]),
            draws=rob.draws,
            spread=rob.spread,
            alternatives=rob.alternatives[group],
            driving_stability=None if np.isnan(driving) else driving,
            borderline=bool(rob.borderline[group]),
            flip=rob.flips[group],
            varied=[v for v in rob.varied if v != "ratings" or self._rated(group)],
        )

    def _rated(self, group: int) -> bool:
        """Whether the chain's rating indicators come from partner shares (so ratings move)."""
        shares = self.partner_shares
        if shares is None:
            return False
        rows = self.groups.rows(group)
        return bool(shares.rwhhi_rows[rows].any() or shares.geo_rows[rows].any())

    def _suppliers(self, row: int) -> list[SupplierShare]:
        """The row's import partners from the trade table, largest share first."""
        shares = self.partner_shares
        if shares is None:
            return []
        out = [
            SupplierShare(
                country=p,
                share=min(1.0, float(shares.shares[row, k])),
                rating=float(shares.ratings[k]) if k < len(shares.rated) and shares.rated[k]
                else None,
            )
            for k, p in enumerate(shares.partners)
            if shares.shares[row, k] > 0
        ]
        out.sort(key=lambda s: (-s.share, s.country))
        return out

    def _row_result(self, row: int) -> ChainResult:
        t, ev, lay = self.taxonomy, self.evaluation, self.model.layout
        chain = self.rows.chain(row)
        dimensions: dict[str, DimensionScore] = {}
        for d, dim in enumerate(lay.dimensions):
            score = ev.dim_score[d, row]
            dimensions[dim] = DimensionScore(
                score=None if np.isnan(score) else float(score),
                coverage=min(1.0, float(ev.coverage[d, row])),
                sufficient=bool(ev.sufficient[d, row]),
            )
        indicators = self._indicators(row)
        outcome = OUTCOME_ORDER[int(ev.outcome[row])]
        scores = {rt: _number(ev.type_score[k, row]) for k, rt in enumerate(TYPE_ORDER)}
        types = sorted(
            (rt for k, rt in enumerate(TYPE_ORDER) if ev.assigned[k, row]),
            key=lambda rt: (-(scores[rt] or 0.0), TYPE_ORDER.index(rt)),
        )
        tech = int(self.profile.tech_category[row])
        drivers, driving = self._drivers(row)
        result = ChainResult(
            chain_id=chain.chain_id,
            chain_name=chain.chain_name,
            segment=chain.segment,
            sector=chain.sector,
            tech_category=None if tech == NONE else _tech_id(tech),
            strategic_value=_profile_int(self.profile.strategic_value[row]),
            generality=_profile_int(self.profile.generality[row]),
            primary_type=outcome,
            types=types,
            tie=bool(ev.tie[row]),
            normal_dependence=bool(ev.normal_dependence[row]),
            type_scores=scores,
            risk_levels={
                rt: None if ev.level[k, row] == NONE else LEVEL_ORDER[int(ev.level[k, row])]
                for k, rt in enumerate(TYPE_ORDER)
            },
            gap=_number(ev.gap[row]),
            dimension_scores=dimensions,
            exposure=_number(ev.exposure[row]),
            exposure_coverage=dimensions["exposure"].coverage,
            dependence_met=bool(ev.dependence_met[row]) if ev.dependence_known[row] else None,
            gates=self._gates(row),
            strategy="monitor",
            importance=float(ev.importance[row]),
            importance_assumed=not self._importance_given(row),
            priority_score=float(ev.priority_score[row]),
            explanation=Explanation(zh="", en="", drivers=drivers, driving_dimensions=driving),
            indicators=indicators,
            data_to_collect=data_to_collect(t, self.model, self.values[row]),
            suppliers=self._suppliers(row),
        )
        blocks = strategy_blocks(
            t, [Outcome(x.value) for x in types] or [outcome], StrategyInputs.of(result)
        )
        result = result.model_copy(update=_strategy_fields(blocks))
        explanation = result.explanation.model_copy(
            update={"zh": explain(result, t, "zh"), "en": explain(result, t, "en")}
        )
        return result.model_copy(update={"explanation": explanation})

    def _indicators(self, row: int) -> dict[str, IndicatorResult]:
        rows, t, ev = self.rows, self.taxonomy, self.evaluation
        out: dict[str, IndicatorResult] = {}
        for j, ind in enumerate(t.indicators):
            value = self.values[row, j]
            prov = rows.provenance(row, ind.id, present=not np.isnan(value))
            risk = ev.risk[j, row]
            out[ind.id] = IndicatorResult(
                value=None if np.isnan(value) else float(value),
                risk=None if np.isnan(risk) or not ind.scored else float(risk),
                source=prov.describe("en") if prov else "",
                unit=ind.unit,
                year=rows.year(row, ind.id) if prov else None,
                kind=prov.kind if prov else None,
                illustrative=bool(prov and prov.illustrative),
            )
        return out

    def _gates(self, row: int) -> dict[str, GateResult]:
        ev, lay, rules = self.evaluation, self.model.layout, self.taxonomy.scoring
        out: dict[str, GateResult] = {}
        if lay.route_column is not None:
            driver = _number(ev.route_driver[row])
            out[lay.dimensions[lay.route_column]] = GateResult(
                dimension=lay.dimensions[lay.route_column],
                score=driver,
                assumed=rules.route_switch_gate.unknown if driver is None else None,
                factor=float(ev.route_factor[row]),
            )
        if lay.transfer_column is not None:
            evidence = _number(ev.transfer_evidence[row])
            out[lay.dimensions[lay.transfer_column]] = GateResult(
                dimension=lay.dimensions[lay.transfer_column],
                score=evidence,
                assumed=rules.transfer_gate.unknown if evidence is None else None,
                factor=float(ev.transfer_factor[row]),
                retained=bool(ev.retained[row]),
            )
        return out

    def _importance_given(self, row: int) -> bool:
        for source in self.model.layout.importance_sources:
            raw = (
                getattr(self.profile, source)[row]
                if isinstance(source, str) and source in PROFILE_SOURCES
                else self.values[row, int(source)]
            )
            if not np.isnan(raw):
                return True
        return False

    def _drivers(self, row: int) -> tuple[list[Driver], dict[str, str | None]]:
        """Per type: the top three positive indicator contributions of its driving dimension."""
        ev, lay = self.evaluation, self.model.layout
        out: list[Driver] = []
        driving: dict[str, str | None] = {}
        for k, rt in enumerate(TYPE_ORDER):
            col = int(ev.driving[k, row])
            if col == NONE:
                driving[rt.value] = None
                continue
            dim = lay.dimensions[col]
            driving[rt.value] = dim
            present = [j for j in lay.feeds[col] if not np.isnan(ev.risk[j, row])]
            total = sum(self.model.base_weight(j, col) for j in present)
            contrib = [
                Driver(
                    type=rt,
                    dimension=dim,
                    indicator=lay.indicators[j],
                    value=float(self.values[row, j]),
                    risk=float(ev.risk[j, row]),
                    contribution=self.model.base_weight(j, col) * float(ev.risk[j, row]) / total,
                )
                for j in present
            ]
            contrib = [c for c in contrib if c.contribution > 0]
            contrib.sort(key=lambda d: (-d.contribution, lay.indicators.index(d.indicator)))
            out += contrib[:3]
        return out, driving

    def run_header(self, *, country: str = "CHN") -> AssessmentRun:
        """The run without its chains: the outputs that stream take the chains block by block
        from `iter_results` instead of from one list of every result."""
        return AssessmentRun(
            riskdesk_version=__version__,
            taxonomy=TaxonomyRef(name=self.taxonomy.name, sha256=self.taxonomy.sha256),
            input=self.inventory.source,
            assessed_at=datetime.now(UTC).isoformat(timespec="seconds"),
            country=country,
            chains=[],
            issues=list(self.inventory.issues),
        )

    def to_run(self, *, country: str = "CHN") -> AssessmentRun:
        """The whole run, every chain's result in memory (~70 KB a chain)."""
        return self.run_header(country=country).model_copy(update={"chains": self.results()})


def _strategy_fields(blocks: list[StrategyBlock]) -> dict[str, object]:
    """The top-level strategy fields are the primary block's; measures are combined."""
    primary = blocks[0]
    return {
        "strategies": blocks,
        "strategy": primary.strategy,
        "sub_strategy": primary.sub_strategy,
        "priority_mode": primary.priority_mode,
        "priority_note": primary.priority_note,
        "measures": combined_measures(blocks),
    }


def _number(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def _profile_int(x: float) -> int | None:
    return None if np.isnan(x) else int(x)


def _tech_id(code: int) -> str:
    return TECH_ORDER[code].value


def _level(value: float | None, low: float, medium: float, high: float) -> RiskLevel | None:
    if value is None:
        return None
    return LEVEL_ORDER[int(value >= low) + int(value >= medium) + int(value >= high)]


def data_to_collect(taxonomy: Taxonomy, model: WeightModel, values: np.ndarray) -> list[str]:
    """Missing scored indicators ranked by the evidence coverage they would add."""
    weights = model.weights[..., 0]
    totals = weights.sum(axis=0)
    gain = (weights / np.where(totals > 0, totals, 1.0)).sum(axis=1)
    missing = [j for j in range(len(model.indicators)) if np.isnan(values[j]) and gain[j] > 0]
    missing.sort(key=lambda j: (-gain[j], j))
    return [model.indicators[j] for j in missing]


def assess_inventory(
    inventory: Inventory,
    taxonomy: Taxonomy,
    *,
    country: str = "CHN",
    country_risk: CountryRiskList | None = None,
    partner: str | None = None,
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
        partner=partner,
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
    partner: str | None = None,
    robustness: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Portfolio:
    """Vectorised assessment (no per-chain objects yet), with robustness when asked. The
    inventory given is not changed: trade-derived values are filled into a copy."""
    inventory = inventory.copy()
    if country_risk is None:
        country_risk = CountryRiskList(
            unrated=taxonomy.scoring.unrated_country_risk,
            high_risk=taxonomy.scoring.high_risk_country,
        )
    report(progress, 0.0, "trade indicators")
    shares = fill_trade_indicators(
        inventory, taxonomy, country=country, country_risk=country_risk, partner=partner
    )
    checkpoint(cancel)
    report(progress, 0.1, "scoring")
    portfolio = Portfolio(inventory, taxonomy, partner_shares=shares)
    checkpoint(cancel)
    if robustness:
        portfolio.measure_robustness(progress=sub_progress(progress, 0.15, 0.85), cancel=cancel)
    return portfolio


def primary_level(result: ChainResult) -> RiskLevel | None:
    return result.primary_level


def outcome_counts(results: list[ChainResult]) -> Counter[str]:
    return Counter(r.primary_type.value for r in results)
