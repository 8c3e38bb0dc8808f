"""Segment roll-up (SPEC §3, §11): a chain assessed by segment gets its result from its segments.

Every segment is classified on its own first. Rule "weakest" (default): the chain takes the whole
result of its weakest segment — the segment with the highest score of the type that is primary for
the chain (the highest assigned score over all segments, ties by the type order missing →
destroyed → response); ties between segments go to the segment listed first in the input. A chain
with no assigned type in any segment takes, in this order, a normal-dependence segment (largest
gap), a monitored one (highest remaining score), an insufficient-evidence one — so the verdict
never mixes one segment's gap with another's exposure.

Rule "value_weighted" (paper 001's overall index): each type's chain score is the mean of the
segment scores weighted by the segments' value shares; a type is assigned to the chain when its
weighted score reaches the assignment threshold and some segment has it assigned (a type blocked
in every segment cannot come back through averaging). The weakest segment is found as above and
supplies the explanation and the indicators. A chain whose segments do not all give a share
falls back to the weakest-segment rule.

Everything works on arrays whose last axis is the row, so the robustness draws (draws × rows)
roll up in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskdesk.core.models import OUTCOME_ORDER, Outcome
from riskdesk.core.scoring import (
    MISSING,
    NONE,
    TYPE_ORDER,
    BoolArray,
    Evaluation,
    FloatArray,
    IntArray,
    Profile,
    WeightModel,
)

N_TYPES = len(TYPE_ORDER)
NORMAL = OUTCOME_ORDER.index(Outcome.NORMAL_DEPENDENCE)
MONITOR = OUTCOME_ORDER.index(Outcome.MONITOR)


@dataclass(frozen=True)
class ChainGroups:
    """Rows grouped by chain_id: groups in order of first appearance, rows inside a group in input
    order (so "first in the input" decides ties). `order` lists the rows group by group and
    `starts` opens each group."""

    chain_ids: list[str]  # one per group
    order: IntArray
    starts: IntArray
    sizes: IntArray
    segmented: BoolArray  # per group: assessed per segment

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ChainGroups:
        codes, uniques = pd.factorize(frame["chain_id"].astype(str))
        segment = frame["segment"]
        if segment.isna().all():
            has_segment = np.zeros(len(frame), dtype=bool)
        else:
            segs = segment.astype(object).fillna("").astype(str).str.strip().to_numpy()
            has_segment = segs != ""
        order = np.argsort(codes, kind="stable").astype(np.int64)
        sorted_codes = codes[order]
        change = (
            np.concatenate(([True], sorted_codes[1:] != sorted_codes[:-1]))
            if len(order)
            else np.zeros(0, dtype=bool)
        )
        starts = np.flatnonzero(change).astype(np.int64)
        sizes = np.diff(np.append(starts, len(order))).astype(np.int64)
        segmented = (
            (sizes > 1) | np.logical_or.reduceat(has_segment[order], starts)
            if len(starts)
            else sizes > 1
        )
        return cls(
            chain_ids=[str(x) for x in uniques],
            order=order,
            starts=starts,
            sizes=sizes,
            segmented=np.asarray(segmented, dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.starts)

    def in_input_order(self) -> list[int]:
        """Group numbers in the order the analyst sees the chains (first appearance)."""
        return list(range(len(self.starts)))

    def rows(self, group: int) -> list[int]:
        start, size = int(self.starts[group]), int(self.sizes[group])
        return [int(r) for r in self.order[start : start + size]]

    def group_of_sorted(self) -> IntArray:
        """Group number of each position in `order`."""
        return np.repeat(np.arange(len(self.starts), dtype=np.int64), self.sizes)

    def group_of_row(self) -> IntArray:
        out = np.empty(len(self.order), dtype=np.int64)
        out[self.order] = self.group_of_sorted()
        return out

    def first_best(self, keys: Sequence[FloatArray]) -> IntArray:
        """Per group, the row that is best by the keys in turn (higher is better; -inf loses),
        the first in input order on a full tie. Keys have the row as their last axis."""
        n = len(self.order)
        gid = self.group_of_sorted()
        alive: BoolArray | None = None
        for key in keys:
            k = key[..., self.order]
            if alive is not None:
                k = np.where(alive, k, -np.inf)
            best = np.maximum.reduceat(k, self.starts, axis=-1)
            at_best = k == best[..., gid]
            alive = at_best if alive is None else alive & at_best
        assert alive is not None
        positions = np.where(alive, np.arange(n, dtype=np.int64), n)
        first = np.minimum.reduceat(positions, self.starts, axis=-1)
        return self.order[first]

    def first_given(self, values: np.ndarray) -> np.ndarray:
        """Per row, the row's value when given, else the first value given in its group."""
        ordered = values[self.order]
        given = ~np.isnan(ordered) if ordered.dtype.kind == "f" else ordered != NONE
        n = len(self.order)
        positions = np.where(given, np.arange(n, dtype=np.int64), n)
        first = np.minimum.reduceat(positions, self.starts) if len(self.starts) else positions
        fallback_pos = first[self.group_of_sorted()]
        fallback = ordered[np.minimum(fallback_pos, max(n - 1, 0))]
        filled_sorted = np.where(given | (fallback_pos == n), ordered, fallback)
        out = np.empty_like(values)
        out[self.order] = filled_sorted
        return out


def chain_profile(profile: Profile, groups: ChainGroups) -> Profile:
    """A segment row without a profile field takes the chain's (first given in the input): the
    profile describes the chain, and each segment is classified with it."""
    if not groups.segmented.any():
        return profile
    return Profile(
        tech_category=groups.first_given(profile.tech_category),
        generality=groups.first_given(profile.generality),
        strategic_value=groups.first_given(profile.strategic_value),
        supplier_count=profile.supplier_count,
    )


@dataclass(frozen=True)
class ChainBlock:
    """Some whole chains, with their rows renumbered 0.. (for scoring in bounded memory)."""

    groups_idx: IntArray  # the chains, as group numbers of the full inventory
    rows: IntArray  # their rows in the full inventory, chain by chain
    groups: ChainGroups  # the block's own grouping
    profile: Profile
    shares: FloatArray | None  # segment value shares of the rows


def chain_blocks(
    groups: ChainGroups,
    profile: Profile,
    shares: FloatArray | None,
    max_rows: int,
    group_ids: IntArray | None = None,
) -> list[ChainBlock]:
    """Whole chains (all, or `group_ids`) in blocks of about `max_rows` rows — a chain is never
    split, so its segments roll up inside one block."""
    ids = np.arange(len(groups), dtype=np.int64) if group_ids is None else group_ids
    if not len(ids):
        return []
    sizes = groups.sizes[ids]
    before = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    block_of = before // max(1, max_rows)
    out = []
    for b in np.unique(block_of):
        chosen = ids[block_of == b]
        in_chosen = np.isin(groups.group_of_sorted(), chosen)
        rows = groups.order[in_chosen]
        chosen = np.unique(groups.group_of_sorted()[in_chosen])  # in group order
        block_sizes = groups.sizes[chosen]
        starts = np.concatenate([[0], np.cumsum(block_sizes)[:-1]]).astype(np.int64)
        out.append(
            ChainBlock(
                groups_idx=chosen,
                rows=rows,
                groups=ChainGroups(
                    chain_ids=[groups.chain_ids[int(g)] for g in chosen],
                    order=np.arange(len(rows), dtype=np.int64),
                    starts=starts,
                    sizes=block_sizes.astype(np.int64),
                    segmented=groups.segmented[chosen],
                ),
                profile=profile.take(rows),
                shares=None if shares is None else shares[rows],
            )
        )
    return out


@dataclass
class ChainLevel:
    """Chain-level verdicts after roll-up; arrays are (*draws, groups)."""

    groups: ChainGroups
    weakest_row: IntArray
    outcome: IntArray
    driving: IntArray  # dimension column driving the primary type (or the gap), NONE otherwise
    priority_score: FloatArray
    value_weighted: BoolArray  # the value-weighted rule applied to the chain
    overall: FloatArray | None  # (*draws, groups, 3): the value-weighted index, NaN when not given
    assigned: BoolArray | None  # (*draws, groups, 3) under the value-weighted rule


def _take(x: np.ndarray, rows: IntArray) -> np.ndarray:
    """x[..., rows] for x (*draws, n) and rows (*draws, G)."""
    if x.ndim == 1:
        return x[rows]
    return np.take_along_axis(x, rows, axis=-1)


def _at_chains(param: FloatArray, rows: IntArray, n: int) -> FloatArray:
    """A rule parameter at chain level: a per-row parameter (last axis n) is read at each chain's
    weakest row; a scalar or per-draw parameter is used as it is."""
    if n > 1 and param.shape and param.shape[-1] == n:
        return np.asarray(_take(np.broadcast_to(param, (*rows.shape[:-1], n)), rows))
    return param


def _outcome_class(ev: Evaluation) -> FloatArray:
    out = ev.outcome
    return np.where(
        out < N_TYPES, 3.0, np.where(out == NORMAL, 2.0, np.where(out == MONITOR, 1.0, 0.0))
    )


def weakest_rows(ev: Evaluation, groups: ChainGroups) -> IntArray:
    """Per chain, the segment row whose whole result the chain takes (see the module text)."""
    klass = _outcome_class(ev)
    strength = np.where(
        klass == 3.0,
        ev.top,
        np.where(klass == 2.0, ev.gap, np.where(klass == 1.0, ev.priority_risk, 0.0)),
    )
    strength = np.where(np.isnan(strength), -np.inf, strength)
    type_rank = np.where(klass == 3.0, -ev.outcome.astype(np.float64), 0.0)
    return groups.first_best([klass, strength, type_rank])


def _driving_of(ev: Evaluation, rows: IntArray, outcome: IntArray) -> IntArray:
    k = np.where(outcome < N_TYPES, outcome, MISSING)
    by_type = np.moveaxis(ev.driving, 0, -1)  # (*B, 3)
    row_driving = _take_rows3(by_type, rows)  # (*draws, G, 3)
    chosen = np.take_along_axis(row_driving, k[..., None], axis=-1)[..., 0]
    keep = (outcome < N_TYPES) | (outcome == NORMAL)
    return np.where(keep, chosen, NONE).astype(np.int64)


def _take_rows3(x: np.ndarray, rows: IntArray) -> np.ndarray:
    """x[..., rows, :] for x (*draws, n, 3) and rows (*draws, G)."""
    if x.ndim == 2:
        return x[rows]
    return np.take_along_axis(x, rows[..., None], axis=-2)


def roll_up(
    ev: Evaluation,
    groups: ChainGroups,
    model: WeightModel,
    *,
    rule: str = "weakest",
    shares: FloatArray | None = None,
) -> ChainLevel:
    """Chain verdicts from row verdicts (rows on the last axis of every array of `ev`)."""
    if not groups.segmented.any():
        rows = np.broadcast_to(groups.order, ev.outcome.shape[:-1] + groups.order.shape)
        rows = np.ascontiguousarray(rows)
    else:
        rows = weakest_rows(ev, groups)
    outcome = _take(ev.outcome, rows)
    priority = _take(ev.priority_score, rows)
    shape = outcome.shape
    value_weighted = np.zeros(shape, dtype=bool)
    overall: FloatArray | None = None
    assigned: BoolArray | None = None
    if rule == "value_weighted" and shares is not None and groups.segmented.any():
        overall, given = _overall_index(ev, groups, shares)
        value_weighted = np.broadcast_to(given & groups.segmented, shape).copy()
        any_row = np.logical_or.reduceat(
            np.moveaxis(ev.assigned, 0, -1)[..., groups.order, :], groups.starts, axis=-2
        )
        p = model.rules
        n = len(groups.order)
        assign = _at_chains(p.assign, rows, n)[..., None]
        with np.errstate(invalid="ignore"):
            assigned = (overall >= assign) & any_row
            below = overall < assign
        masked = np.where(assigned, overall, -np.inf)
        best = np.argmax(masked, axis=-1)
        top = np.max(masked, axis=-1)
        has = assigned.any(axis=-1)
        weighted_outcome = np.where(
            has, best, np.where(outcome >= N_TYPES, outcome, MONITOR)
        ).astype(np.int64)
        outcome = np.where(value_weighted, weighted_outcome, outcome)
        importance = _take(ev.importance, rows)
        fallback = np.max(np.where(below, overall, -np.inf), axis=-1)
        risk = np.where(has, top, np.where(np.isfinite(fallback), fallback, 0.0))
        base = _at_chains(p.priority_base, rows, n)
        slope = _at_chains(p.priority_slope, rows, n)
        weighted_priority = risk * (base + slope * importance)
        priority = np.where(value_weighted, weighted_priority, priority)
    return ChainLevel(
        groups=groups,
        weakest_row=rows,
        outcome=outcome,
        driving=_driving_of(ev, rows, outcome),
        priority_score=priority,
        value_weighted=value_weighted,
        overall=overall,
        assigned=assigned,
    )


def _overall_index(
    ev: Evaluation, groups: ChainGroups, shares: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """001's index: Σ share·score / Σ share per type over the segments with a score; and whether
    every segment of the chain gave a share."""
    scores = np.moveaxis(ev.type_score, 0, -1)[..., groups.order, :]  # (*B, n, 3)
    w = shares[groups.order][:, None]
    present = ~np.isnan(scores) & ~np.isnan(w)
    num = np.add.reduceat(np.where(present, scores * w, 0.0), groups.starts, axis=-2)
    den = np.add.reduceat(np.where(present, w, 0.0), groups.starts, axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(den > 0, num / den, np.nan)
    given = np.logical_and.reduceat(~np.isnan(shares[groups.order]), groups.starts)
    return overall, given
