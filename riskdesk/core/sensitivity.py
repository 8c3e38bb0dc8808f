"""One-at-a-time sensitivity (SPEC §11): which single input, moved within its own uncertainty,
flips a chain's verdict soonest — "the verdict flips if JPN's rating exceeds 0.55".

Each input — an indicator value of a segment, a partner's country rating, a threshold — is moved
alone, up and down, on a grid of multiples of its uncertainty (how far the robustness draws move
it: a share of the value by the kind of its source, one expert answer step, a rating shift, a
threshold shift). The input that flips the verdict at the smallest multiple is refined by
bisection — every chain at once, each moving only its own input — and put in words.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from riskdesk.core.models import LANGS, OUTCOME_ORDER, Lang
from riskdesk.core.progress import CancelFn, ProgressFn, checkpoint, report
from riskdesk.core.results import FlipPoint
from riskdesk.core.rollup import ChainBlock, chain_blocks, roll_up
from riskdesk.core.scoring import (
    NONE,
    BoolArray,
    FloatArray,
    IntArray,
    evaluate,
)
from riskdesk.core.text import country_name, fmt_compared, fmt_value, template

if TYPE_CHECKING:
    from riskdesk.core.assess import Portfolio
    from riskdesk.core.taxonomy import Taxonomy

# kinds of source, by how far a value is trusted
IMPORTED, COMPUTED, EXPERT, ILLUSTRATIVE = 1, 2, 3, 4
GRID = (0.0625, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 1.0)  # × flip_range
BISECTIONS = 12
THRESHOLDS = ("assign", "exposure_max", "gap_min", "dependence_min")
CELL_BUDGET = 2_000_000  # values scored per pass (indicators × variants × rows)


def row_keys(portfolio: Portfolio) -> list[tuple[str, str | None]]:
    """(chain_id, segment) of every row, read column-wise (not cell by cell)."""
    frame = portfolio.inventory.frame
    ids = frame["chain_id"].astype(str).tolist()
    segs = frame["segment"].tolist()
    return [
        (c, None if s is None or (isinstance(s, float) and math.isnan(s)) or not str(s).strip()
         else str(s))
        for c, s in zip(ids, segs, strict=True)
    ]  # fmt: skip


# --- what each value's uncertainty is -----------------------------------------------------------


@dataclass(frozen=True)
class Uncertainty:
    """Per cell (indicators × rows): relative spread, or an expert's answer step, and bounds."""

    relative: FloatArray
    step: FloatArray
    low: FloatArray  # (indicators, 1)
    high: FloatArray
    rating_rows: BoolArray  # (indicators × rows): moved through the ratings instead

    def take(self, rows: IntArray) -> Uncertainty:
        """The uncertainties of some rows."""
        return replace(
            self,
            relative=self.relative[:, rows],
            step=self.step[:, rows],
            rating_rows=self.rating_rows[:, rows],
        )

    def half_width(self, values: FloatArray) -> FloatArray:
        """One unit of uncertainty per cell (0 where the value cannot move)."""
        return np.where(self.step > 0, self.step, self.relative * np.abs(values))


def _expert_step(taxonomy: Taxonomy, indicator: str, kind: str) -> float:
    if kind == "level":
        return 1.0
    levels = sorted({lv.value for q in taxonomy.questions if q.indicator == indicator
                     for lv in q.levels})  # fmt: skip
    if len(levels) < 2:
        return 0.0
    return float(np.median(np.diff(levels)))


def uncertainty_of(portfolio: Portfolio) -> Uncertainty:
    t, inv = portfolio.taxonomy, portfolio.inventory
    spreads = t.robustness.values
    n, n_ind = portfolio.values.shape
    kinds = np.where(np.isnan(portfolio.values.T), 0, IMPORTED).astype(np.int8)
    row_of = {key: r for r, key in enumerate(row_keys(portfolio))}
    index = {ind: j for j, ind in enumerate(t.indicator_ids)}
    for (chain_id, segment, ind), prov in inv.cell_provenance.items():
        row, j = row_of.get((chain_id, segment)), index.get(ind)
        if row is None or j is None or kinds[j, row] == 0:
            continue
        kinds[j, row] = (
            ILLUSTRATIVE
            if prov.illustrative
            else {"imported": IMPORTED, "computed": COMPUTED, "expert": EXPERT}[prov.kind]
        )
    relative = np.select(
        [kinds == IMPORTED, kinds == COMPUTED, kinds == ILLUSTRATIVE],
        [spreads.imported, spreads.computed, spreads.illustrative],
        0.0,
    )
    steps = np.array([_expert_step(t, i.id, i.kind) for i in t.indicators])[:, None]
    step = np.where(kinds == EXPERT, steps * spreads.expert_steps, 0.0)
    # an expert value without a question's steps moves like reported data
    relative = np.where((kinds == EXPERT) & (step == 0), spreads.imported, relative)
    rating_rows = np.zeros((n_ind, n), dtype=bool)
    shares = portfolio.partner_shares
    if shares is not None:
        for name, rows in (("risk_weighted_hhi", shares.rwhhi_rows),
                           ("geo_risk_share", shares.geo_rows)):  # fmt: skip
            if name in index:
                rating_rows[index[name]] = rows
    relative = np.where(rating_rows, 0.0, relative)
    step = np.where(rating_rows, 0.0, step)
    low = np.array([-np.inf if i.valid_min is None else i.valid_min for i in t.indicators])
    high = np.array([np.inf if i.valid_max is None else i.valid_max for i in t.indicators])
    return Uncertainty(relative, step, low[:, None], high[:, None], rating_rows)


# --- one-at-a-time sensitivity -----------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One input moved alone: an indicator of the rows at one position inside their chain, a
    partner's rating, or a threshold."""

    kind: Literal["value", "rating", "threshold"]
    target: int | str  # indicator row, partner code, or rule parameter name
    rank: int = 0  # value probes: position of the row inside its chain (0 = first segment)


class _Search:
    """What the one-at-a-time search reuses: baseline values, uncertainties, row positions."""

    def __init__(self, portfolio: Portfolio, unc: Uncertainty) -> None:
        self.portfolio = portfolio
        self.unc = unc
        self.base = portfolio.values.T  # (I, n)
        self.half = unc.half_width(self.base)
        groups = portfolio.groups
        self.groups = groups
        self.group_of_row = groups.group_of_row()
        self.ranks = np.empty(len(groups.order), dtype=np.int64)
        self.ranks[groups.order] = np.arange(len(groups.order)) - np.repeat(
            groups.starts, groups.sizes
        )
        self.keys = row_keys(portfolio)
        self.shares = portfolio.partner_shares
        ids = portfolio.taxonomy.indicator_ids
        self.rwhhi = ids.index("risk_weighted_hhi") if "risk_weighted_hhi" in ids else None
        self.geo = ids.index("geo_risk_share") if "geo_risk_share" in ids else None

    def restricted(self, rows: IntArray) -> _Search:
        """The same search seen on some rows only (for scoring a probe's chains alone)."""
        view = copy.copy(self)
        view.base, view.half = self.base[:, rows], self.half[:, rows]
        view.ranks, view.group_of_row = self.ranks[rows], self.group_of_row[rows]
        if self.shares is not None:
            view.shares = replace(
                self.shares, shares=self.shares.shares[rows],
                rwhhi_rows=self.shares.rwhhi_rows[rows], geo_rows=self.shares.geo_rows[rows],
            )  # fmt: skip
        return view

    def probes(self) -> list[Probe]:
        movable = (self.half > 0) & ~np.isnan(self.base)
        out = [
            Probe("value", int(j), int(r))
            for j in range(self.base.shape[0])
            for r in range(int(self.ranks.max(initial=0)) + 1)
            if movable[j, self.ranks == r].any()
        ]
        shares = self.shares
        if shares is not None:
            derived = shares.rwhhi_rows | shares.geo_rows
            out += [
                Probe("rating", p)
                for k, p in enumerate(shares.partners)
                if (shares.shares[derived, k] > 0).any()
            ]
        out += [Probe("threshold", name) for name in THRESHOLDS]
        return out

    def touched(self, probe: Probe) -> BoolArray:
        """Rows whose input the probe moves (thresholds: every row)."""
        n = self.base.shape[1]
        if probe.kind == "value":
            j = int(probe.target)
            hit = (self.ranks == probe.rank) & (self.half[j] > 0) & ~np.isnan(self.base[j])
            return np.asarray(hit, dtype=bool)
        if probe.kind == "rating":
            shares = self.shares
            assert shares is not None
            k = shares.partners.index(str(probe.target))
            return np.asarray(
                (shares.rwhhi_rows | shares.geo_rows) & (shares.shares[:, k] > 0), dtype=bool
            )
        return np.ones(n, dtype=bool)

    def move(
        self, values: FloatArray, probe: Probe, moves: FloatArray, rows: BoolArray,
        rules: dict[str, FloatArray],
    ) -> None:  # fmt: skip
        """Move `probe` by `moves` (multiples of its uncertainty; shape (K, 1) or (n,)) on `rows`
        of `values` (I, *batch, n); threshold moves go into `rules`."""
        base, unc = self.base, self.unc
        if probe.kind == "value":
            j = int(probe.target)
            moved = np.clip(base[j] + moves * self.half[j], unc.low[j, 0], unc.high[j, 0])
            values[j] = np.where(rows, moved, values[j])
        elif probe.kind == "rating":
            shares = self.shares
            assert shares is not None
            k = shares.partners.index(str(probe.target))
            rating = float(shares.ratings[k])
            own = np.clip(rating + moves * self.portfolio.taxonomy.robustness.rating_shift, 0, 1)
            s = shares.shares[:, k]
            crossed = (own >= shares.high_risk).astype(np.float64) - float(
                rating >= shares.high_risk
            )
            for column, delta, kind_rows in (
                (self.rwhhi, s * s * (own - rating), shares.rwhhi_rows),
                (self.geo, s * crossed, shares.geo_rows),
            ):
                if column is not None:
                    values[column] = np.where(
                        rows & kind_rows, base[column] + delta, values[column]
                    )
        else:
            name = str(probe.target)
            baseline = float(getattr(self.portfolio.model.rules, name)[0])
            shifted = baseline + moves * self.portfolio.taxonomy.robustness.threshold_shift
            current = rules.get(name, np.asarray(baseline))
            rules[name] = np.where(rows, shifted, current)

    def verdicts(
        self, values: FloatArray, rules: dict[str, FloatArray], block: ChainBlock
    ) -> IntArray:
        """The chain verdicts of a block's rows with moved values and rules."""
        p = self.portfolio
        model = p.model.with_rules(**rules) if rules else p.model
        ev = evaluate(values, block.profile, model)
        return roll_up(ev, block.groups, model, rule=p.rule, shares=block.shares).outcome

    def blocks(self, group_ids: IntArray, variants: int) -> list[ChainBlock]:
        p = self.portfolio
        rows = max(1, CELL_BUDGET // (self.base.shape[0] * variants))
        return chain_blocks(p.groups, p.profile, p.shares, rows, group_ids)


def flip_points(
    portfolio: Portfolio,
    unc: Uncertainty,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> tuple[list[FlipPoint | None], FloatArray]:
    """Per chain: the input whose smallest move flips the verdict, refined and put in words."""
    search = _Search(portfolio, unc)
    grid = np.array(GRID) * portfolio.taxonomy.robustness.flip_range
    signed = np.concatenate([grid, -grid])[:, None]  # (2K, 1): up the grid, then down
    base = portfolio.chains.outcome
    n_groups = len(base)
    best = np.full(n_groups, np.inf)  # multiple of the uncertainty at the first flip
    best_sign = np.zeros(n_groups)
    becomes = np.full(n_groups, NONE, dtype=np.int64)
    best_probe: list[Probe | None] = [None] * n_groups
    probes = search.probes()
    for k, probe in enumerate(probes):
        checkpoint(cancel)
        report(progress, 0.7 + 0.2 * k / max(1, len(probes)), "sensitivity")
        touched = search.touched(probe)
        if not touched.any():
            continue
        for block in search.blocks(np.unique(search.group_of_row[touched]), len(signed)):
            view = search.restricted(block.rows)
            values = np.broadcast_to(
                view.base[:, None, :], (view.base.shape[0], len(signed), len(block.rows))
            ).copy()
            rules: dict[str, FloatArray] = {}
            view.move(values, probe, signed, touched[block.rows], rules)
            outcome = search.verdicts(values, rules, block)  # (2K, chains of the block)
            flipped = outcome != base[block.groups_idx]
            for sign, lo_k in ((1.0, 0), (-1.0, len(grid))):
                part = flipped[lo_k : lo_k + len(grid)]
                at = np.argmax(part, axis=0)
                first = np.where(part.any(axis=0), grid[at], np.inf)
                better = first < best[block.groups_idx]
                chosen = block.groups_idx[better]
                best[chosen] = first[better]
                best_sign[chosen] = sign
                becomes[chosen] = outcome[lo_k + at[better], np.flatnonzero(better)]
                for g in chosen:
                    best_probe[int(g)] = probe
    report(progress, 0.9, "sensitivity")
    multiple = _refine(search, best, best_sign, best_probe, becomes, grid)
    flips = [
        None
        if probe is None
        else _describe(search, g, probe, best_sign[g], multiple[g], int(becomes[g]))
        for g, probe in enumerate(best_probe)
    ]
    return flips, multiple


def _refine(
    search: _Search,
    best: FloatArray,
    sign: FloatArray,
    probes: list[Probe | None],
    becomes: IntArray,
    grid: FloatArray,
) -> FloatArray:
    """Bisection between the last grid point that keeps the verdict and the first that flips,
    for every chain at once: each chain moves only its own input, so one pass serves all.
    `becomes` is updated in place with the verdict at the refined flip point."""
    found = np.isfinite(best)
    if not found.any():
        return best
    hi = np.where(found, best, 0.0)
    previous = np.concatenate([[0.0], grid[:-1]])
    lo = np.where(found, previous[np.searchsorted(grid, hi)], 0.0)
    by_probe: dict[Probe, BoolArray] = {}
    for g in np.flatnonzero(found):
        probe = probes[int(g)]
        assert probe is not None
        by_probe.setdefault(probe, np.zeros(len(best), dtype=bool))[g] = True
    base = search.portfolio.chains.outcome
    blocks = search.blocks(np.flatnonzero(found), 1)
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2.0
        flipped = np.zeros(len(best), dtype=bool)
        outcome = np.full(len(best), NONE, dtype=np.int64)
        for block in blocks:
            view = search.restricted(block.rows)
            moves = (sign * mid)[view.group_of_row]
            values = view.base.copy()
            rules: dict[str, FloatArray] = {}
            for probe, chains in by_probe.items():
                rows = chains[view.group_of_row] & view.touched(probe)
                if rows.any():
                    view.move(values, probe, moves, rows, rules)
            outcome[block.groups_idx] = search.verdicts(values, rules, block)
        flipped = found & (outcome != base)
        hi = np.where(flipped, mid, hi)
        lo = np.where(found & ~flipped, mid, lo)
        becomes[flipped] = outcome[flipped]
    return np.where(found, hi, np.inf)


def _describe(
    search: _Search, group: int, probe: Probe, sign: float, multiple: float, becomes_code: int
) -> FlipPoint:
    """The flip in words."""
    portfolio, unc = search.portfolio, search.unc
    t = portfolio.taxonomy
    becomes = OUTCOME_ORDER[becomes_code]
    up = sign > 0
    texts: dict[Lang, str] = {}
    if probe.kind == "value":
        j = int(probe.target)
        ind = t.indicators[j]
        rows = portfolio.groups.rows(group)
        row = next(r for r in rows if search.ranks[r] == probe.rank)
        base_value = float(search.base[j, row])
        moved = base_value + sign * multiple * float(search.half[j, row])
        at = _toward(float(np.clip(moved, unc.low[j, 0], unc.high[j, 0])), ind.kind, up)
        segment = search.keys[row][1] if portfolio.groups.segmented[group] else None
        for lang in LANGS:
            name = ind.name(lang)
            if segment is not None:
                name = f"“{segment}”环节的{name}" if lang == "zh" else f"{name} of “{segment}”"
            texts[lang] = _flip_text(t, lang, up, name, fmt_value(ind, at, lang),
                                     fmt_value(ind, base_value, lang), becomes.value)  # fmt: skip
        return FlipPoint(
            input=f"value:{ind.id}" + (f"@{segment}" if segment else ""), kind="value",
            baseline=base_value, flips_at=at, becomes=becomes, zh=texts["zh"], en=texts["en"],
        )  # fmt: skip
    if probe.kind == "rating":
        shares = portfolio.partner_shares
        assert shares is not None
        partner = str(probe.target)
        base_rating = float(shares.ratings[shares.partners.index(partner)])
        shift = t.robustness.rating_shift
        at = _toward(float(np.clip(base_rating + sign * multiple * shift, 0, 1)), "index", up)
        for lang in LANGS:
            name = str(template(lang, "engine")["robustness"]["rating"]).format(
                country=country_name(partner, lang)
            )
            texts[lang] = _flip_text(t, lang, up, name, fmt_compared(at), fmt_compared(base_rating),
                                     becomes.value)  # fmt: skip
        return FlipPoint(
            input=f"rating:{partner}", kind="rating", baseline=base_rating, flips_at=at,
            becomes=becomes, zh=texts["zh"], en=texts["en"],
        )  # fmt: skip
    name = str(probe.target)
    baseline = float(getattr(portfolio.model.rules, name)[0])
    at = _toward(baseline + sign * multiple * t.robustness.threshold_shift, "index", up)
    for lang in LANGS:
        label = str(template(lang, "engine")["robustness"][f"threshold_{name}"])
        texts[lang] = _flip_text(t, lang, up, label, fmt_compared(at), fmt_compared(baseline),
                                 becomes.value)  # fmt: skip
    return FlipPoint(
        input=f"threshold:{name}", kind="threshold", baseline=baseline, flips_at=at,
        becomes=becomes, zh=texts["zh"], en=texts["en"],
    )  # fmt: skip


def _toward(x: float, kind: str, up: bool) -> float:
    """Round the flip point away from the verdict it leaves, at the precision it is printed
    with, so "exceeds 0.56" is true of every value above the printed one."""
    if kind in ("share", "rate", "share_delta"):
        pct = abs(x) * 100
        digits = 2 + (0 if pct >= 10 else (1 if pct >= 1 else 2))
    elif kind in ("count", "level", "days", "years"):
        digits = 1
    else:
        digits = 2
    q = float(10**digits)
    rounder: Callable[[float], int] = math.ceil if up else math.floor
    steps: int = rounder(x * q - (1e-9 if up else -1e-9))
    return steps / q


def _flip_text(
    taxonomy: Taxonomy, lang: Lang, up: bool, name: str, at: str, baseline: str, becomes: str
) -> str:
    frames = template(lang, "engine")["robustness"]
    return str(frames["flip_up" if up else "flip_down"]).format(
        input=name, value=at, baseline=baseline, becomes=taxonomy.label(becomes, lang)
    )


__all__ = ["Probe", "Uncertainty", "flip_points", "row_keys", "uncertainty_of"]
