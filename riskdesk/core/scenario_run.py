"""Run a scenario library over an assessed portfolio: impact, shocked indicators, re-classification.

The shocked indicators of each scenario × row are built from the baseline value matrix, never by
changing the inventory:

* concentration — post-ramp partner shares (`impact.shortfall`), renormalised over what is still
  imported, give source_hhi = Σ s², top_source_share = max s, risk_weighted_hhi = Σ s²·ρ and
  geo_risk_share = Σ s·[ρ ≥ high] (ρ with the scenario's rating changes). Only rows whose shares
  are known (trade table) and which the scenario touches (a cut partner they buy from, a re-rated
  partner they buy from) change;
* ttr_tts_ratio — TTR / TTS when the stock runs out during the scenario (TTS = 0 gives ∞, which the
  anchors read as the worst risk), never below the baseline ratio; otherwise the baseline stays;
* import_dependence — a demand surge met only from abroad gives (IR + x) / (1 + x); a plant outage
  (IR + (1 − IR)·o); cuts leave it (the lost volume is the shortfall, not a change of structure).

Every other indicator (TC/RCA, GVC, R&D, …) is the baseline's. The stack (indicators, scenarios,
rows) goes through the engine's own `evaluate` and `roll_up` in one call, so the shocked verdict of
a chain is exactly what the engine would say of those values. Drivers: for a chain whose primary
type changed, each shocked indicator is also applied alone; `moved` marks those that change the
primary type by themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from riskdesk.core.assess import Portfolio
from riskdesk.core.impact import (
    NO_STOCK,
    OK,
    REASONS,
    Impact,
    ScenarioArrays,
    partner_index,
    shortfall,
)
from riskdesk.core.models import OUTCOME_ORDER, Outcome
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.rollup import ChainLevel, roll_up
from riskdesk.core.scenarios import ScenarioLibrary
from riskdesk.core.scoring import STRATEGY_ORDER, TYPE_ORDER, Evaluation, evaluate
from riskdesk.core.trade import CountryRiskList

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

CONCENTRATION = ("source_hhi", "top_source_share", "risk_weighted_hhi", "geo_risk_share")
SHOCKED = ("import_dependence", *CONCENTRATION, "ttr_tts_ratio")
N_TYPES = len(TYPE_ORDER)
# note code → (Chinese, English); the reason codes of missing values come first
NOTES: dict[str, tuple[str, str]] = {
    **{code: (zh, en) for code, zh, en in REASONS.values()},
    "ratings_without_shares": (
        "缺少进口伙伴份额：评级类指标保持原值",
        "no import partner shares: the rating indicators stay as given",
    ),
    "exposure_falls_supply_short": (
        "断供使风险加权HHI下降（被断供的伙伴退出来源结构），但供应出现缺口：静态暴露与冲击影响不一致",
        (
            "risk_weighted_hhi falls under the cut (the cut partner leaves the mix) while supply "
            "runs short: static exposure and in-shock impact differ"
        ),
    ),
}


class IndicatorDelta(BaseModel):
    indicator: str
    baseline: float | None
    shocked: float | None
    delta: float | None
    moved: bool = Field(False, description="applied alone, it changes the primary type")


class ScenarioOutcome(BaseModel):
    """One chain under one scenario (SPEC §11.1 `scenarios: {ID: …}`)."""

    applies: bool
    segment: str | None = None
    tts_days: float | None = None
    ttr_days: float | None = None
    unmet_days: float | None = None
    unmet_share: float | None = None
    shortfall_days: float | None = None
    lost_import_share: float | None = None
    expected_unmet_days: float | None = Field(
        None, description="probability × unmet_days, per year, when the scenario gives one"
    )
    shares: dict[str, float] = Field(default_factory=dict)
    indicators: dict[str, float | None] = Field(default_factory=dict)
    type_scores: dict[str, float | None] = Field(default_factory=dict)
    primary_type: Outcome
    strategy: str
    changed: bool
    worsened: bool
    drivers: list[IndicatorDelta] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="reason codes of missing values")
    notes: list[str] = Field(default_factory=list, description="sentences (English)")
    note_codes: list[str] = Field(default_factory=list, description="the notes' codes (NOTES)")


@dataclass
class ScenarioRun:
    """Vectorised results of a library over a portfolio; materialise with `outcome(s, g)`."""

    portfolio: Portfolio
    library: ScenarioLibrary
    arrays: ScenarioArrays
    impact: Impact
    values: FloatArray  # (indicators, S, n) shocked
    evaluation: Evaluation
    level: ChainLevel
    outcome: IntArray  # (S, G)
    type_score: FloatArray  # (S, G, 3)
    strategy: IntArray  # (S, G)
    changed: BoolArray  # (S, G)
    worsened: BoolArray  # (S, G)
    moved: dict[str, BoolArray] = field(default_factory=dict)  # indicator → (S, G)
    applies: BoolArray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))  # (S, n)
    has_shares: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    _segment_cache: list[str | None] | None = field(default=None, repr=False)
    _block_cache: dict[int, dict[str, ScenarioOutcome]] = field(default_factory=dict, repr=False)

    @property
    def chain_ids(self) -> list[str]:
        return self.portfolio.groups.chain_ids

    def baseline_outcome(self, group: int) -> Outcome:
        return OUTCOME_ORDER[int(self.portfolio.chains.outcome[group])]

    def chain_outcome(self, s: int, group: int) -> ScenarioOutcome:
        """The JSON block of one chain under scenario s (SPEC §11.1)."""
        return self._outcomes(group, [s])[0]

    def chain_block(self, group: int) -> dict[str, ScenarioOutcome]:
        """Every scenario's block for one chain, keyed by scenario id."""
        block = self._block_cache.get(group)
        if block is None:  # kept: the summary, the JSON and the workbook all read it
            outcomes = self._outcomes(group, list(range(len(self.library.scenarios))))
            block = {sc.id: o for sc, o in zip(self.library.scenarios, outcomes, strict=True)}
            self._block_cache[group] = block
        return block

    def _segments(self) -> list[str | None]:
        if self._segment_cache is None:
            inv = self.portfolio.inventory
            self._segment_cache = [inv.key(row)[1] for row in range(len(inv))]
        return self._segment_cache

    def _outcomes(self, group: int, scenarios: list[int]) -> list[ScenarioOutcome]:
        """Built from plain Python lists fetched in bulk (`model_construct`: the values come from
        the engine's arrays, already of the declared types)."""
        p, imp = self.portfolio, self.impact
        sel = np.asarray(scenarios, dtype=np.int64)
        rows = np.asarray(self.level.weakest_row[sel, group], dtype=np.int64)
        segments = self._segments()
        applies = np.asarray(self.applies[:, p.groups.rows(group)].any(axis=1))[sel].tolist()
        outcome = self.outcome[sel, group].tolist()
        strategy = self.strategy[sel, group].tolist()
        scores = self.type_score[sel, group].tolist()
        changed = self.changed[sel, group].tolist()
        worsened = self.worsened[sel, group].tolist()
        ids = p.taxonomy.indicator_ids
        shocked = [ind for ind in SHOCKED if ind in p.taxonomy.indicator_by_id]
        cols = [ids.index(ind) for ind in shocked]
        cols_arr = np.asarray(cols, dtype=np.int64)
        # (len(sel), len(shocked)), indexed in one step (no copy of the whole stack)
        new_values = self.values[cols_arr[None, :], sel[:, None], rows[:, None]].tolist()
        old_values = p.values[rows][:, cols].tolist()
        moved = {ind: m[sel, group].tolist() for ind, m in self.moved.items()}
        numbers = {
            name: np.asarray(getattr(imp, name)[sel, rows], dtype=np.float64).tolist()
            for name in ("tts_days", "ttr_days", "unmet_days", "unmet_share", "shortfall_days",
                         "lost", "expected_unmet_days")
        }  # fmt: skip
        reasons = imp.reason[sel, rows].tolist()
        has_shares = self.has_shares[rows].tolist()
        post = imp.post_shares[sel, rows]
        partners = self.arrays.partners
        rating_scenario: list[bool] = np.asarray(
            (~np.isnan(self.arrays.rating[sel])).any(axis=1), dtype=bool
        ).tolist()
        out: list[ScenarioOutcome] = []
        for k in range(len(scenarios)):
            drivers: list[IndicatorDelta] = []
            indicators: dict[str, float | None] = {}
            for i, ind in enumerate(shocked):
                new, old = new_values[k][i], old_values[k][i]
                indicators[ind] = _num(new)
                if new == old or (math.isnan(new) and math.isnan(old)):
                    continue
                drivers.append(IndicatorDelta.model_construct(
                    indicator=ind, baseline=_num(old), shocked=_num(new), delta=_num(new - old),
                    moved=bool(moved[ind][k]) if ind in moved else False,
                ))  # fmt: skip
            drivers.sort(key=lambda d: (not d.moved, -abs(d.delta or 0.0)))
            shares = (
                {partners[j]: round(float(post[k, j]), 6) for j in np.flatnonzero(post[k] > 0)}
                if has_shares[k]
                else {}
            )
            reason = reasons[k]
            missing = [] if reason == OK else [REASONS[reason][0]]
            codes = list(missing)
            if rating_scenario[k] and not has_shares[k] and applies[k]:
                codes.append("ratings_without_shares")
            unmet = _num(numbers["unmet_days"][k])
            rw = next((d.delta for d in drivers if d.indicator == "risk_weighted_hhi"), None)
            if rw is not None and rw < 0 and ((unmet or 0.0) > 0 or reason == NO_STOCK):
                codes.append("exposure_falls_supply_short")
            notes = [NOTES[c][1] for c in codes]
            out.append(ScenarioOutcome.model_construct(
                applies=bool(applies[k]),
                segment=segments[int(rows[k])],
                tts_days=_num(numbers["tts_days"][k]),
                ttr_days=_num(numbers["ttr_days"][k]),
                unmet_days=unmet,
                unmet_share=_num(numbers["unmet_share"][k]),
                shortfall_days=_num(numbers["shortfall_days"][k]),
                lost_import_share=_num(numbers["lost"][k]) if has_shares[k] else None,
                expected_unmet_days=_num(numbers["expected_unmet_days"][k]),
                shares=shares,
                indicators=indicators,
                type_scores={rt.value: _num(scores[k][j]) for j, rt in enumerate(TYPE_ORDER)},
                primary_type=OUTCOME_ORDER[outcome[k]],
                strategy=STRATEGY_ORDER[strategy[k]],
                changed=bool(changed[k]),
                worsened=bool(worsened[k]),
                drivers=drivers,
                missing=missing,
                notes=notes,
                note_codes=codes,
            ))  # fmt: skip
        return out


def _num(x: float) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


def _column(p: Portfolio, name: str) -> FloatArray:
    ids = p.taxonomy.indicator_ids
    if name in p.taxonomy.indicator_by_id:
        return np.asarray(p.values[:, ids.index(name)], dtype=np.float64)
    frame = p.inventory.frame
    if name in frame.columns:  # e.g. ttr_days kept by a caller
        return np.asarray(frame[name].to_numpy(dtype=np.float64, na_value=np.nan))
    return np.full(len(frame), np.nan)


def run_scenarios(
    portfolio: Portfolio,
    library: ScenarioLibrary,
    *,
    country_risk: CountryRiskList | None = None,
    drivers: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ScenarioRun:
    """Every scenario of the library over every row of an assessed portfolio, vectorised."""
    p = portfolio
    tax = p.taxonomy
    risk = country_risk or CountryRiskList(
        unrated=tax.scoring.unrated_country_risk, high_risk=tax.scoring.high_risk_country
    )
    scenarios = list(library.scenarios)
    n = len(p.inventory)
    report(progress, 0.0, "impact")
    ps = p.partner_shares
    chain_partners = ps.partners if ps is not None else ()
    partners = partner_index(chain_partners, scenarios)
    shares = np.zeros((n, len(partners)))
    if ps is not None:
        shares[:, : len(chain_partners)] = ps.shares
    has_shares = shares.sum(axis=1) > 0
    arrays = ScenarioArrays.compile(scenarios, partners)
    chain_of_row = p.inventory.frame["chain_id"].astype(str).to_numpy()
    applies = np.ones((len(scenarios), n), dtype=bool)
    for s, sc in enumerate(scenarios):
        if sc.chains != ("*",):
            applies[s] = np.isin(chain_of_row, list(sc.chains))
    ir = _column(p, "import_dependence")
    impact = shortfall(
        arrays,
        shares=shares,
        has_shares=has_shares,
        import_dependence=ir,
        stock_days=_column(p, "inventory_days"),
        ttr_days=_column(p, "ttr_days"),
        applies=applies,
    )
    checkpoint(cancel)
    report(progress, 0.2, "shocked indicators")
    values = _shocked_values(p, arrays, impact, shares, has_shares, applies, ir, risk)
    checkpoint(cancel)
    report(progress, 0.4, "re-classification")
    ev, level = _classify(p, values)
    outcome = np.asarray(level.outcome, dtype=np.int64)
    base_outcome = np.asarray(p.chains.outcome, dtype=np.int64)
    changed = outcome != base_outcome[None, :]
    worsened = np.asarray(level.priority_score) > np.asarray(p.chains.priority_score)[None, :] + 1e-9
    moved: dict[str, BoolArray] = {}
    if drivers and changed.any():
        base = p.values.T  # (I, n)
        ids = tax.indicator_ids
        for k, ind in enumerate(SHOCKED):
            checkpoint(cancel)
            report(progress, 0.5 + 0.4 * k / len(SHOCKED), f"drivers {ind}")
            if ind not in tax.indicator_by_id:
                continue
            j = ids.index(ind)
            differs = ~((values[j] == base[j]) | (np.isnan(values[j]) & np.isnan(base[j])))
            if not differs.any():
                continue
            alone = np.broadcast_to(base[:, None, :], values.shape).copy()
            alone[j] = values[j]
            _, lv = _classify(p, alone)
            moved[ind] = changed & (np.asarray(lv.outcome) != base_outcome[None, :])
    lay = p.model.layout
    strategy = np.where(
        outcome < N_TYPES,
        lay.type_strategy[np.minimum(outcome, N_TYPES - 1)],
        STRATEGY_ORDER.index("monitor"),
    ).astype(np.int64)
    type_score = _chain_scores(ev, level)
    report(progress, 1.0, "done")
    return ScenarioRun(
        portfolio=p,
        library=library,
        arrays=arrays,
        impact=impact,
        values=values,
        evaluation=ev,
        level=level,
        outcome=outcome,
        type_score=type_score,
        strategy=strategy,
        changed=changed,
        worsened=worsened,
        moved=moved,
        applies=applies,
        has_shares=has_shares,
    )


def _classify(p: Portfolio, values: FloatArray) -> tuple[Evaluation, ChainLevel]:
    ev = evaluate(values, p.profile, p.model)
    return ev, roll_up(ev, p.groups, p.model, rule=p.rule, shares=p.shares)


def _chain_scores(ev: Evaluation, level: ChainLevel) -> FloatArray:
    """(S, G, 3): the weakest row's type scores, or 001's overall index where it applied."""
    by_row = np.moveaxis(ev.type_score, 0, -1)  # (S, n, 3)
    rows = level.weakest_row  # (S, G)
    scores = np.take_along_axis(by_row, rows[..., None], axis=-2)
    if level.overall is not None:
        scores = np.where(level.value_weighted[..., None], level.overall, scores)
    return np.asarray(scores, dtype=np.float64)


def _shocked_values(
    p: Portfolio,
    arrays: ScenarioArrays,
    impact: Impact,
    shares: FloatArray,
    has_shares: BoolArray,
    applies: BoolArray,
    ir: FloatArray,
    risk: CountryRiskList,
) -> FloatArray:
    tax = p.taxonomy
    ids = tax.indicator_ids
    n_s = len(arrays.duration)
    base = p.values.T  # (I, n)
    values = np.broadcast_to(base[:, None, :], (base.shape[0], n_s, base.shape[1])).copy()

    def put(name: str, new: FloatArray, where: BoolArray) -> None:
        if name in tax.indicator_by_id:
            j = ids.index(name)
            values[j] = np.where(where, new, values[j])

    base_rating = np.array([risk.rating(x) for x in arrays.partners], dtype=np.float64)
    rating = np.where(np.isnan(arrays.rating), base_rating[None, :], arrays.rating)  # (S, P)
    supplies = (shares > 0)[None, :, :] | (impact.post_shares > 0)
    re_rated = (supplies & (rating != base_rating[None, :])[:, None, :]).any(axis=-1)
    touched = applies & has_shares[None, :] & ((impact.lost > 0) | re_rated)
    touched &= impact.post_total > 0
    post = impact.post_shares  # (S, n, P)
    square = post * post
    cut = touched & (impact.lost > 0)  # a rating change alone leaves the shares as they are
    put("source_hhi", square.sum(axis=-1), cut)
    put("top_source_share", post.max(axis=-1, initial=0.0), cut)
    put("risk_weighted_hhi", (square * rating[:, None, :]).sum(axis=-1), touched)
    high = (rating >= risk.high_risk).astype(np.float64)
    put("geo_risk_share", (post * high[:, None, :]).sum(axis=-1), touched)

    surge = arrays.surge[:, None]
    outage = arrays.outage[:, None]
    known_ir = applies & ~np.isnan(ir)[None, :]
    put("import_dependence", (ir[None, :] + surge) / (1.0 + surge), known_ir & (surge > 0))
    put("import_dependence", ir[None, :] + (1.0 - ir[None, :]) * outage, known_ir & (outage > 0))

    tts = impact.tts_days
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(tts > 0, impact.ttr_days / tts, np.inf)
    if "ttr_tts_ratio" in tax.indicator_by_id:
        # never below the baseline ratio: without the chain's own ttr_days the scenario's
        # duration is only a lower bound of TTR, and a shock does not make a chain recover faster
        ratio = np.fmax(ratio, base[ids.index("ttr_tts_ratio")][None, :])
    put("ttr_tts_ratio", ratio, ~np.isnan(tts))
    return values


__all__ = [
    "SHOCKED",
    "IndicatorDelta",
    "ScenarioOutcome",
    "ScenarioRun",
    "run_scenarios",
]
