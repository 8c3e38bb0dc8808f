"""The closed-form single-tier impact model, vectorised over scenarios × rows (issue 13).

Terms, all as fractions of a row's *baseline daily consumption* unless said otherwise:

* IR — import dependence (`import_dependence`): imports / domestic consumption;
* s_p — partner p's share of imports (from the trade table; 0 for a partner it does not buy from);
* cut_p — the fraction of partner p's supply lost (the scenario's `shock` tables);
* extra_q, from_q — substitution ramp q: from day from_q, partner q supplies extra_q × the
  baseline import volume more; ramps replace lost supply only, so a row's ramps are capped at its
  own loss L = Σ_p s_p·cut_p (a row that loses nothing gains nothing);
* x — a demand surge: consumption × (1 + x) with domestic output and imports unchanged, so x
  (in baseline consumption) is unmet every day;
* o — a plant outage: domestic capacity down by o, the domestic share being 1 − IR, so (1 − IR)·o
  is unmet every day.

The shortfall rate, for 0 ≤ t < duration, is piecewise constant between ramp starts:

    r(t) = IR · max(0, L − Σ_q extra_q·[t ≥ from_q]) + x + (1 − IR)·o

C(T) = ∫₀ᵀ r is the cumulative shortfall in consumption-days. With stock S (`inventory_days`, days
of consumption): TTS = the first t at which C(t) reaches S while the shortfall goes on (none when
the stock lasts the whole scenario); TTR = the duration, or the row's `ttr_days` when larger;
unmet = max(0, C(duration) − S) consumption-days; unmet_share = unmet / duration.

A row lacking an input a term needs (IR for cuts and outages, partner shares for cuts, S for TTS
and unmet) gets NaN there and a reason code; no value is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from riskdesk.core.scenarios import CUT_KINDS, Scenario

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Why a value is missing (per scenario × row); 0 = nothing missing.
OK = 0
NOT_APPLIED = 1  # the scenario names other chains
NO_DEPENDENCE = 2  # import_dependence missing
NO_SHARES = 3  # no partner shares (no trade table rows for the chain)
NO_STOCK = 4  # inventory_days missing: the shortfall is known, TTS and unmet are not
REASONS: dict[int, tuple[str, str, str]] = {  # code, Chinese, English
    NOT_APPLIED: ("not_applied", "情景未包含该产业链", "the scenario does not name this chain"),
    NO_DEPENDENCE: ("no_import_dependence", "缺少对外依存度", "import_dependence is missing"),
    NO_SHARES: ("no_partner_shares", "缺少进口伙伴份额（请提供贸易数据）",
                "no import partner shares (give a trade table)"),
    NO_STOCK: ("no_inventory_days", "缺少安全库存天数，无法计算生存时间与未满足需求",
               "inventory_days is missing, so TTS and unmet demand are unknown"),
}  # fmt: skip


@dataclass(frozen=True)
class ScenarioArrays:
    """A library compiled over a partner index: (scenarios, …) arrays."""

    partners: tuple[str, ...]
    cut: FloatArray  # (S, P)
    extra: FloatArray  # (S, P) every ramp of the partner (post-ramp shares)
    piece_start: FloatArray  # (S, K) piece start days; padded pieces have zero length
    piece_length: FloatArray  # (S, K)
    piece_extra: FloatArray  # (S, K) Σ extra of the ramps active in the piece
    duration: FloatArray  # (S,)
    surge: FloatArray  # (S,) 0 when not a demand surge
    outage: FloatArray  # (S,)
    is_cut: BoolArray  # (S,) the scenario cuts partners' supply
    rating: FloatArray  # (S, P) the rating during the scenario, NaN = unchanged
    probability: FloatArray  # (S,) NaN when not given

    @classmethod
    def compile(cls, scenarios: list[Scenario], partners: tuple[str, ...]) -> ScenarioArrays:
        """`partners` must hold every partner a scenario names (see `partner_index`)."""
        index = {p: k for k, p in enumerate(partners)}
        n, m = len(scenarios), len(partners)
        cut = np.zeros((n, m))
        extra = np.zeros((n, m))
        rating = np.full((n, m), np.nan)
        starts: list[list[float]] = []
        for s, sc in enumerate(scenarios):
            for shock in sc.shocks:
                cut[s, index[shock.partner]] = shock.cut
            for ramp in sc.substitutions:
                extra[s, index[ramp.partner]] += ramp.extra
            for change in sc.ratings:
                rating[s, index[change.partner]] = change.rating
            starts.append(sorted({0.0, *(r.from_day for r in sc.substitutions)}))
        k = max((len(x) for x in starts), default=1)
        piece_start = np.zeros((n, k))
        piece_length = np.zeros((n, k))
        piece_extra = np.zeros((n, k))
        duration = np.array([sc.duration_days for sc in scenarios], dtype=np.float64)
        for s, sc in enumerate(scenarios):
            bounds = [*starts[s], sc.duration_days]
            for j in range(len(starts[s])):
                piece_start[s, j] = bounds[j]
                piece_length[s, j] = bounds[j + 1] - bounds[j]
                piece_extra[s, j] = sum(r.extra for r in sc.substitutions if r.from_day <= bounds[j])
            piece_start[s, len(starts[s]) :] = sc.duration_days
        return cls(
            partners=partners,
            cut=cut,
            extra=extra,
            piece_start=piece_start,
            piece_length=piece_length,
            piece_extra=piece_extra,
            duration=duration,
            surge=np.array([sc.surge or 0.0 for sc in scenarios], dtype=np.float64),
            outage=np.array([sc.outage or 0.0 for sc in scenarios], dtype=np.float64),
            is_cut=np.array([sc.kind in CUT_KINDS for sc in scenarios], dtype=bool),
            rating=rating,
            probability=np.array(
                [np.nan if sc.probability is None else sc.probability for sc in scenarios],
                dtype=np.float64,
            ),
        )


def partner_index(chain_partners: tuple[str, ...], scenarios: list[Scenario]) -> tuple[str, ...]:
    """The chains' partners followed by the partners only scenarios name (sorted)."""
    named = {x.partner for sc in scenarios for x in sc.shocks}
    named |= {x.partner for sc in scenarios for x in sc.substitutions}
    named |= {x.partner for sc in scenarios for x in sc.ratings}
    return (*chain_partners, *sorted(named - set(chain_partners)))


@dataclass(frozen=True)
class Impact:
    """Per scenario × row (S, n): the shortfall and what it does to the stock."""

    lost: FloatArray  # L = Σ s_p·cut_p, fraction of imports lost (0 where not a cut)
    rate: FloatArray  # (S, n, K) shortfall rate per piece
    shortfall_days: FloatArray  # C(duration)
    tts_days: FloatArray  # NaN: the stock lasts (or is unknown: see reason)
    ttr_days: FloatArray
    unmet_days: FloatArray
    unmet_share: FloatArray
    expected_unmet_days: FloatArray  # probability × unmet, NaN without a probability
    reason: npt.NDArray[np.int64]  # REASONS code or OK
    post_shares: FloatArray  # (S, n, P) import shares at the end of the scenario, ramps active
    post_total: FloatArray  # (S, n) post-ramp imports / baseline imports (0 without shares)


def shortfall(
    arrays: ScenarioArrays,
    *,
    shares: FloatArray,
    has_shares: BoolArray,
    import_dependence: FloatArray,
    stock_days: FloatArray,
    ttr_days: FloatArray,
    applies: BoolArray,
) -> Impact:
    """The closed-form impact of every scenario on every row.

    shares (n, P) over `arrays.partners`; import_dependence, stock_days, ttr_days (n,), NaN when
    missing; applies (S, n) whether the scenario names the row's chain."""
    ir = import_dependence[None, :]  # (1, n)
    lost = shares @ arrays.cut.T  # (n, S)
    lost = np.where(arrays.is_cut[:, None], lost.T, 0.0)  # (S, n)
    # per piece: IR · max(0, L − E) + x + (1 − IR)·o
    gap = np.maximum(0.0, lost[:, :, None] - arrays.piece_extra[:, None, :])  # (S, n, K)
    ir0 = np.where(np.isnan(ir), 0.0, ir)
    rate = (
        ir0[:, :, None] * gap
        + arrays.surge[:, None, None]
        + ((1.0 - ir0) * arrays.outage[:, None])[:, :, None]
    )
    length = arrays.piece_length[:, None, :]
    area = rate * length
    c_end = np.cumsum(area, axis=-1)
    c_start = c_end - area
    total = c_end[..., -1]  # (S, n)

    reason = np.zeros(total.shape, dtype=np.int64)
    needs_ir = arrays.is_cut[:, None] | (arrays.outage[:, None] > 0)
    reason = np.where(arrays.is_cut[:, None] & ~has_shares[None, :], NO_SHARES, reason)
    reason = np.where(needs_ir & np.isnan(ir), NO_DEPENDENCE, reason)
    reason = np.where(~applies, NOT_APPLIED, reason)
    known = reason == OK
    total = np.where(known, total, np.nan)

    stock = stock_days[None, :, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        runs_out = (rate > 0) & (c_start <= stock) & (stock < c_end)
        at = arrays.piece_start[:, None, :] + (stock - c_start) / np.where(rate > 0, rate, 1.0)
    first = np.argmax(runs_out, axis=-1)
    any_out = np.take_along_axis(runs_out, first[..., None], axis=-1)[..., 0]
    tts = np.where(any_out, np.take_along_axis(at, first[..., None], axis=-1)[..., 0], np.nan)
    no_stock = np.isnan(stock_days)[None, :] & known
    reason = np.where(no_stock, NO_STOCK, reason)
    tts = np.where(known & ~no_stock, tts, np.nan)
    unmet = np.where(known & ~no_stock, np.maximum(0.0, total - stock_days[None, :]), np.nan)
    duration = arrays.duration[:, None]
    ttr = np.where(applies, np.fmax(duration, ttr_days[None, :]), np.nan)

    # post-ramp shares: each partner's volume after cuts, plus the row's share of the ramps
    ramp_total = arrays.extra.sum(axis=1)  # (S,)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(ramp_total[:, None] > 0, np.minimum(1.0, lost / ramp_total[:, None]), 0.0)
    volume = shares[None, :, :] * (1.0 - arrays.cut[:, None, :]) + scale[:, :, None] * (
        arrays.extra[:, None, :]
    )
    # partners the trade table does not itemise (WLD total above the partner rows) are not cut
    unlisted = np.clip(1.0 - shares.sum(axis=1), 0.0, 1.0)
    post_total = volume.sum(axis=-1) + np.where(has_shares, unlisted, 0.0)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        renormalised = np.where(post_total[..., None] > 0, volume / post_total[..., None], 0.0)
    # a row that loses nothing keeps its shares exactly (no rounding noise from renormalising)
    post_shares = np.where((lost > 0)[..., None], renormalised, shares[None, :, :])
    return Impact(
        lost=lost,
        rate=rate,
        shortfall_days=total,
        tts_days=tts,
        ttr_days=ttr,
        unmet_days=unmet,
        unmet_share=unmet / duration,
        expected_unmet_days=arrays.probability[:, None] * unmet,
        reason=reason,
        post_shares=post_shares,
        post_total=post_total,
    )
