"""Segment roll-up (SPEC §3): a chain assessed per segment gets chain-level results from its segments.

Default rule (taxonomy `segment_rollup = "max"`): each type's chain score, the capability gap and
the exposure are the maximum over the segments; the chain is classified from those; the weakest
segment is the one with the highest score for the chain's primary type (as in paper 001's chip
chain: design 58.8 / manufacturing 44.1 / packaging & test 16.5). Profile fields used by the
strategy rules are taken from the segments in segment-name order (first given value), and the
supplier count is the smallest over the segments (few suppliers anywhere is a chokepoint).
Everything here is order-independent: groups are formed by sorting on (chain_id, segment).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskdesk.core.scoring import (
    NONE,
    TYPE_ORDER,
    Classification,
    FloatArray,
    IntArray,
    Profile,
    ScoreTable,
    classify,
)
from riskdesk.core.taxonomy import Taxonomy


@dataclass(frozen=True)
class ChainGroups:
    """Rows grouped by chain_id, groups in order of first appearance in the input.

    `order` lists the rows group by group (segments by name within a group), `starts` opens each
    group. Which rows a group holds, and their order inside it, depend only on the rows' content.
    """

    chain_ids: list[str]  # one per group
    order: IntArray
    starts: IntArray
    sizes: IntArray
    segmented: np.ndarray  # bool per group: assessed per segment

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ChainGroups:
        codes, uniques = pd.factorize(frame["chain_id"].astype(str))
        segment = frame["segment"]
        if segment.isna().all():
            segs = np.full(len(frame), "", dtype=object)
        else:
            segs = segment.astype(object).fillna("").astype(str).str.strip().to_numpy()
        has_segment = segs != ""
        if has_segment.any():
            _, seg_rank = np.unique(segs.astype(str), return_inverse=True)
            order = np.lexsort((seg_rank, codes)).astype(np.int64)
        else:
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

    def reduce_max(self, values: FloatArray) -> FloatArray:
        """Per-group maximum ignoring NaN (NaN when the whole group is NaN)."""
        if not len(self.starts):
            return np.zeros((0, *values.shape[1:]))
        return np.asarray(
            np.fmax.reduceat(values[self.order], self.starts, axis=0), dtype=np.float64
        )

    def reduce_min(self, values: FloatArray) -> FloatArray:
        if not len(self.starts):
            return np.zeros((0, *values.shape[1:]))
        return np.asarray(
            np.fmin.reduceat(values[self.order], self.starts, axis=0), dtype=np.float64
        )

    def in_input_order(self) -> list[int]:
        """Group numbers in the order the analyst sees the chains (first appearance)."""
        return list(range(len(self.starts)))

    def group_of_sorted(self) -> IntArray:
        """Group number of each position in `order`."""
        return np.repeat(np.arange(len(self.starts), dtype=np.int64), self.sizes)

    def first_position(self, mask: np.ndarray) -> IntArray:
        """Per group, the first position in `order` where `mask` (given in sorted order) holds;
        the group's first position when it holds nowhere."""
        if not len(self.starts):
            return np.zeros(0, dtype=np.int64)
        positions = np.arange(len(self.order), dtype=np.int64)
        big = np.int64(len(self.order))
        first = np.minimum.reduceat(np.where(mask, positions, big), self.starts)
        return np.where(first == big, self.starts, first).astype(np.int64)

    def first_given(self, values: np.ndarray) -> np.ndarray:
        """Per group, the first non-missing value in (chain_id, segment) order."""
        ordered = values[self.order]
        given = ~np.isnan(ordered) if ordered.dtype.kind == "f" else ordered != NONE
        return ordered[self.first_position(given)]


@dataclass
class ChainLevel:
    """Chain-level results after roll-up, one entry per group of `ChainGroups`."""

    groups: ChainGroups
    classification: Classification
    dim_score: FloatArray  # max over segments of sufficient dimension scores
    coverage: FloatArray  # max over segments
    weakest_row: IntArray  # row index of the weakest segment (the chain's own row if unsegmented)


def roll_up(
    table: ScoreTable, groups: ChainGroups, profile: Profile, taxonomy: Taxonomy
) -> ChainLevel:
    c = table.classification
    if not groups.segmented.any():
        # Every chain is one row: its chain-level result is the row's (max over one row, same
        # profile), so the rows' classification is reused in group order instead of recomputed.
        order = groups.order
        return ChainLevel(
            groups=groups,
            classification=Classification(
                **{name: getattr(c, name)[order] for name in Classification.__dataclass_fields__}
            ),
            dim_score=np.where(table.sufficient, table.dim_score, np.nan)[order],
            coverage=table.coverage[order],
            weakest_row=order,
        )
    scores = groups.reduce_max(c.type_score)
    gap = groups.reduce_max(c.gap)
    exposure = groups.reduce_max(c.exposure)
    effective = np.where(table.sufficient, table.dim_score, np.nan)
    dim_score = groups.reduce_max(effective)
    coverage = groups.reduce_max(table.coverage)
    n_cap = len(taxonomy.capability_dimensions)
    any_sufficient = (
        groups.reduce_max(table.sufficient[:, :n_cap].astype(np.float64)).max(axis=1) > 0
    )
    chain_profile = Profile(
        tech_category=groups.first_given(profile.tech_category),
        generality=groups.first_given(profile.generality),
        strategic_value=groups.first_given(profile.strategic_value),
        supplier_count=groups.reduce_min(profile.supplier_count),
    )
    rolled = classify(scores, gap, exposure, any_sufficient, chain_profile, taxonomy)
    return ChainLevel(
        groups=groups,
        classification=rolled,
        dim_score=dim_score,
        coverage=coverage,
        weakest_row=_weakest_rows(c.type_score, groups, rolled.outcome),
    )


def _weakest_rows(row_scores: FloatArray, groups: ChainGroups, outcome: IntArray) -> IntArray:
    """The row with the highest score for the chain's primary type (highest any-type score when the
    primary is not a type); ties go to the first segment in name order."""
    if not len(groups.starts):
        return np.zeros(0, dtype=np.int64)
    ordered = row_scores[groups.order]
    group_outcome = outcome[groups.group_of_sorted()]
    is_type = group_outcome < len(TYPE_ORDER)
    by_type = ordered[np.arange(len(ordered)), np.minimum(group_outcome, len(TYPE_ORDER) - 1)]
    key = np.where(is_type, by_type, np.fmax.reduce(ordered, axis=1))
    key = np.where(np.isnan(key), -np.inf, key)
    best = np.maximum.reduceat(key, groups.starts)
    at_best = key == best[groups.group_of_sorted()]
    return groups.order[groups.first_position(at_best)]
