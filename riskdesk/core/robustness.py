"""Robustness v2 (SPEC §5.9, §11): is a verdict solid, or one plausible input away from another?

Monte Carlo: every draw perturbs, at once, the weights (× U[1 ± spread]), the anchors (± a share
of their span), the thresholds (± a shift), the gate parameters (× U[1 ± gate_spread]), every
indicator value by the kind of its source (computed, reported, expert answer, illustrative) and
every partner's country rating (risk_weighted_hhi and geo_risk_share re-derived from the partner
shares when the trade table gave them). All draws of a chunk are scored in one vectorised pass
(values as indicators × draws × rows) and rolled up to chains.

Then the one-at-a-time search of riskdesk.core.sensitivity names the input whose smallest move
flips the verdict, and a verdict is borderline when it holds in too few draws or that move lies
within the input's own uncertainty.

Random numbers that touch a row are keyed by the row's chain id and segment (a counter-based
generator), and rule parameters are drawn for all draws up front, so a chain's robustness does not
depend on the other rows in the file, their order, or how the draws are chunked.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from riskdesk.core.models import OUTCOME_ORDER
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import FlipPoint
from riskdesk.core.rollup import chain_blocks, roll_up
from riskdesk.core.scoring import NONE, BoolArray, FloatArray, WeightModel, evaluate
from riskdesk.core.sensitivity import Uncertainty, flip_points, row_keys, uncertainty_of
from riskdesk.core.trade import PartnerShares

if TYPE_CHECKING:
    from riskdesk.core.assess import Portfolio
    from riskdesk.core.taxonomy import Taxonomy

CELL_BUDGET = 1_000_000  # values scored per pass (indicators × draws × rows): ~8 MB an array
DRAWS_PER_PASS = 64
SHIFTED = ("assign", "level_low", "level_medium", "level_high", "gap_min", "exposure_max",
           "dependence_min")  # fmt: skip
SCALED = ("damping_base", "damping_slope", "unknown_exposure", "route_full_at", "route_unknown",
          "transfer_full_at", "transfer_unknown", "retained_factor", "importance_unknown")  # fmt: skip
RETAINED = ("retained_rca_min", "retained_tc_min")


@dataclass
class RobustnessTable:
    """Per chain group: how stable the verdict is and what flips it."""

    stability: FloatArray
    driving_stability: FloatArray  # NaN where the verdict has no driving dimension
    alternatives: list[dict[str, float]]
    borderline: BoolArray
    flips: list[FlipPoint | None]
    flip_multiple: FloatArray  # the flip's distance in units of the input's uncertainty
    draws: int
    spread: float
    varied: tuple[str, ...]


# --- counter-based uniforms (splitmix64) -------------------------------------------------------


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place on a fresh uint64 array."""
    with np.errstate(over="ignore"):
        z += np.uint64(0x9E3779B97F4A7C15)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def _uniform(keys: np.ndarray) -> FloatArray:
    """U[0, 1) from 64-bit keys (the keys array is consumed)."""
    z = _mix(keys)
    z >>= np.uint64(11)
    u = z.astype(np.float64)
    u *= 2.0**-53
    return u


def _key(text: str, seed: int) -> int:
    digest = hashlib.blake2b(f"{seed}\x1f{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


# --- perturbed rule parameters -----------------------------------------------------------------


def _draw_models(model: WeightModel, taxonomy: Taxonomy, draws: int, spread: float,
                 rng: np.random.Generator) -> WeightModel:  # fmt: skip
    """One model whose parameters carry a draws axis: arrays (…, draws, 1)."""
    cfg = taxonomy.robustness

    def scale(x: FloatArray, s: float) -> FloatArray:
        base = x[..., 0]
        factors = rng.uniform(1.0 - s, 1.0 + s, size=(*base.shape, draws))
        return np.asarray((base[..., None] * factors)[..., None], dtype=np.float64)

    span = model.span[:, 0]
    safe = model.safe[:, 0]
    move = np.abs(span)[:, None] * cfg.anchor_spread
    new_safe = safe[:, None] + move * rng.uniform(-1.0, 1.0, size=(len(safe), draws))
    new_critical = (safe + span)[:, None] + move * rng.uniform(-1.0, 1.0, size=(len(safe), draws))
    p = model.rules
    changes: dict[str, FloatArray] = {}
    for name in p.names():
        base = float(getattr(p, name)[0])
        if name in SHIFTED:
            value = base + rng.uniform(-cfg.threshold_shift, cfg.threshold_shift, size=draws)
        elif name in RETAINED:
            value = base + rng.uniform(-cfg.threshold_shift, cfg.threshold_shift, size=draws) * (
                10.0 if name == "retained_rca_min" else 1.0
            )  # RCA is read on a scale ten times wider than a share
        elif name in SCALED:
            value = base * rng.uniform(1.0 - cfg.gate_spread, 1.0 + cfg.gate_spread, size=draws)
        else:
            value = np.full(draws, base)
        changes[name] = value[:, None]
    for name in ("route_full_at", "transfer_full_at"):
        changes[name] = np.clip(changes[name], 1e-6, 1.0)
    for name in ("unknown_exposure", "route_unknown", "transfer_unknown", "retained_factor",
                 "importance_unknown"):  # fmt: skip
        changes[name] = np.clip(changes[name], 0.0, 1.0)
    changes["damping_slope"] = np.minimum(changes["damping_slope"], 1.0 - changes["damping_base"])
    return replace(
        model,
        safe=new_safe[:, :, None],
        span=(new_critical - new_safe)[:, :, None],
        weights=scale(model.weights, spread),
        dimension_weights=tuple(scale(w, spread) for w in model.dimension_weights),
        route_gate_weights=scale(model.route_gate_weights, cfg.gate_spread),
        transfer_gate_weights=scale(model.transfer_gate_weights, cfg.gate_spread),
        importance_weights=scale(model.importance_weights, cfg.gate_spread),
        rules=replace(p, **changes),
    )


def _slice(model: WeightModel, lo: int, hi: int) -> WeightModel:
    """Draws lo..hi of a drawn model (the draws axis is second to last)."""

    def cut(x: FloatArray) -> FloatArray:
        return x[..., lo:hi, :]

    rules = replace(model.rules, **{n: cut(getattr(model.rules, n)) for n in model.rules.names()})
    return replace(
        model,
        safe=cut(model.safe),
        span=cut(model.span),
        weights=cut(model.weights),
        dimension_weights=tuple(cut(w) for w in model.dimension_weights),
        route_gate_weights=cut(model.route_gate_weights),
        transfer_gate_weights=cut(model.transfer_gate_weights),
        importance_weights=cut(model.importance_weights),
        rules=rules,
    )


# --- Monte Carlo --------------------------------------------------------------------------------


def measure(
    portfolio: Portfolio,
    *,
    draws: int | None = None,
    spread: float | None = None,
    seed: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> RobustnessTable:
    t = portfolio.taxonomy
    cfg = t.robustness
    draws = cfg.draws if draws is None else draws
    spread = cfg.spread if spread is None else spread
    seed = cfg.seed if seed is None else seed
    groups, chains = portfolio.groups, portfolio.chains
    n_groups = len(groups)
    unc = uncertainty_of(portfolio)
    rng = np.random.default_rng(seed)
    drawn = _draw_models(portfolio.model, t, draws, spread, rng)
    keys = np.array(
        [_key(f"{c}\x1f{s or ''}", seed) for c, s in row_keys(portfolio)], dtype=np.uint64
    )
    shares = portfolio.partner_shares
    partner_keys = (
        np.array([_key(f"rating\x1f{p}", seed) for p in shares.partners], dtype=np.uint64)
        if shares is not None
        else np.zeros(0, dtype=np.uint64)
    )
    base_outcome, base_driving = chains.outcome, chains.driving
    same = np.zeros(n_groups)
    same_driving = np.zeros(n_groups)
    seen = np.zeros((n_groups, len(OUTCOME_ORDER)))
    n_ind = portfolio.values.shape[1]
    # memory stays bounded whatever the inventory's size: blocks of whole chains × chunks of draws
    rows_per_block = max(1, CELL_BUDGET // (n_ind * min(draws, DRAWS_PER_PASS)))
    blocks = chain_blocks(groups, portfolio.profile, portfolio.shares, rows_per_block)
    passes = sum(math.ceil(draws / _chunk(draws, len(b.rows), n_ind)) for b in blocks)
    done = 0
    for block in blocks:
        rows, g = block.rows, block.groups_idx
        sample = _Sample(
            base=portfolio.values[rows].T,
            unc=unc.take(rows),
            keys=keys[rows],
            shares=None if shares is None else shares.take(rows),
        )
        chunk = _chunk(draws, len(rows), n_ind)
        for lo in range(0, draws, chunk):
            checkpoint(cancel)
            report(progress, 0.7 * done / max(1, passes), "robustness")
            done += 1
            hi = min(draws, lo + chunk)
            values = _perturbed_values(t, sample, partner_keys, lo, hi)
            model = _slice(drawn, lo, hi)
            ev = evaluate(values, block.profile, model)
            level = roll_up(ev, block.groups, model, rule=portfolio.rule, shares=block.shares)
            kept = level.outcome == base_outcome[g]
            same[g] += kept.sum(axis=0)
            same_driving[g] += (kept & (level.driving == base_driving[g])).sum(axis=0)
            for o in range(len(OUTCOME_ORDER)):
                seen[g, o] += (level.outcome == o).sum(axis=0)
    stability = same / max(draws, 1)
    driving_stability = np.where(base_driving == NONE, np.nan, same_driving / max(draws, 1))
    alternatives = [
        {OUTCOME_ORDER[o].value: float(seen[g, o] / draws)
         for o in np.flatnonzero(seen[g]) if o != base_outcome[g]}
        for g in range(n_groups)
    ]  # fmt: skip
    flips, multiple = flip_points(portfolio, unc, progress=progress, cancel=cancel)
    borderline = (stability < cfg.borderline_below) | (multiple <= 1.0)
    varied = ["weights", "anchors", "thresholds", "gates", "values"]
    if shares is not None:
        varied.append("ratings")
    report(progress, 1.0, "robustness")
    return RobustnessTable(
        stability=stability,
        driving_stability=driving_stability,
        alternatives=alternatives,
        borderline=np.asarray(borderline, dtype=bool),
        flips=flips,
        flip_multiple=multiple,
        draws=draws,
        spread=spread,
        varied=tuple(varied),
    )


def _chunk(draws: int, rows: int, n_ind: int) -> int:
    return max(1, min(draws, CELL_BUDGET // max(1, rows * n_ind)))


@dataclass(frozen=True)
class _Sample:
    """What the draws move, for the rows of one block."""

    base: FloatArray  # (indicators, rows)
    unc: Uncertainty
    keys: np.ndarray  # per row: the key of its random numbers
    shares: PartnerShares | None


def _perturbed_values(
    taxonomy: Taxonomy, sample: _Sample, partner_keys: np.ndarray, lo: int, hi: int
) -> FloatArray:
    """Values (indicators, draws lo..hi, rows), each moved within its source's uncertainty."""
    base, unc = sample.base, sample.unc
    n_ind = base.shape[0]
    d = np.arange(lo, hi, dtype=np.uint64)
    j = np.arange(n_ind, dtype=np.uint64)
    with np.errstate(over="ignore"):
        keys = sample.keys[None, None, :] + (
            j[:, None, None] * np.uint64(1_000_003) + d[None, :, None]
        ) * np.uint64(0x632BE5AB)
    u = _uniform(keys)  # (I, D, n), in place from here on: these arrays are the big ones
    expert = unc.step > 0
    steps = np.floor(u[:, :, :] * 3.0) - 1.0 if expert.any() else None  # −1, 0 or +1 answers
    u *= 2.0
    u -= 1.0
    u *= unc.relative[:, None, :]
    u += 1.0
    u *= base[:, None, :]
    values = u
    if steps is not None:
        stepped = base[:, None, :] + unc.step[:, None, :] * steps
        values = np.where(expert[:, None, :], stepped, values)
    bounded = np.isfinite(unc.low[:, 0]) | np.isfinite(unc.high[:, 0])
    values[bounded] = np.clip(values[bounded], unc.low[bounded, :, None], unc.high[bounded, :, None])
    shares = sample.shares
    if shares is not None and len(partner_keys):
        shift = taxonomy.robustness.rating_shift
        with np.errstate(over="ignore"):
            rkeys = partner_keys[None, :] + d[:, None] * np.uint64(0x9E3779B1)
        ratings = np.clip(shares.ratings[None, :] + shift * (2.0 * _uniform(rkeys) - 1.0), 0, 1)
        rwhhi, geo = shares.derived(ratings)  # (D, n)
        ids = taxonomy.indicator_ids
        for name, derived, rows in (("risk_weighted_hhi", rwhhi, shares.rwhhi_rows),
                                    ("geo_risk_share", geo, shares.geo_rows)):  # fmt: skip
            if name in ids and rows.any():
                values[ids.index(name)][..., rows] = derived[..., rows]
    return values


__all__ = ["RobustnessTable", "measure"]
