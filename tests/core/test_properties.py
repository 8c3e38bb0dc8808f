"""Scoring invariants of SPEC §5 as properties (hypothesis), and the engine against the oracle."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle.reference import Rules, assess_row

from riskdesk.core.assess import profile_of, values_of
from riskdesk.core.scoring import (
    OUTCOME_ORDER,
    PRIORITY_ORDER,
    STRATEGY_ORDER,
    SUB_STRATEGY_ORDER,
    score_values,
)
from riskdesk.core.taxonomy import default_taxonomy

TAX = default_taxonomy()
RULES = Rules.load()  # the oracle reads the taxonomy files itself
IDS = TAX.indicator_ids
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(ind_id: str) -> st.SearchStrategy[float | None]:
    ind = TAX.indicator_by_id[ind_id]
    lo, hi = sorted((ind.safe, ind.critical))
    pad = (hi - lo) * 0.3
    return st.one_of(
        st.none(), st.floats(lo - pad, hi + pad, allow_nan=False, allow_infinity=False)
    )


row_strategy = st.fixed_dictionaries(
    {
        **{i: _value(i) for i in IDS},
        "supplier_count": st.one_of(st.none(), st.integers(0, 10).map(float)),
        "tech_category": st.sampled_from([None, "emerging", "core", "foundational", "mature"]),
        "generality": st.one_of(st.none(), st.integers(1, 5)),
        "strategic_value": st.one_of(st.none(), st.integers(1, 5)),
    }
)
rows_strategy = st.lists(row_strategy, min_size=1, max_size=8)


def _frame(rows, make_inventory):
    full = [{"chain_id": f"c{k}", "chain_name": f"chain {k}", **r} for k, r in enumerate(rows)]
    return make_inventory(full)


def _table(inv):
    return score_values(values_of(inv, TAX), profile_of(inv), TAX)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


@SETTINGS
@given(rows=rows_strategy)
def test_every_score_is_within_unit_interval(make_inventory, rows):
    t = _table(_frame(rows, make_inventory))
    c = t.classification
    for arr in (t.risk, t.dim_score, t.coverage, c.type_score, c.exposure, c.gap):
        finite = arr[~np.isnan(arr)]
        assert ((finite >= 0) & (finite <= 1)).all()


@SETTINGS
@given(row=row_strategy, pick=st.integers(0, len(IDS) - 1), step=st.floats(0.01, 1.0))
def test_moving_an_indicator_toward_critical_never_lowers_scores(make_inventory, row, pick, step):
    ind = TAX.indicators[pick]
    base = row[ind.id] if row[ind.id] is not None else ind.safe
    worse = base + step * (ind.critical - base)
    a = _table(_frame([{**row, ind.id: base}], make_inventory))
    b = _table(_frame([{**row, ind.id: worse}], make_inventory))
    with np.errstate(invalid="ignore"):
        assert not (b.dim_score < a.dim_score).any()
        assert not (b.classification.type_score < a.classification.type_score).any()


@SETTINGS
@given(rows=rows_strategy, seed=st.integers(0, 2**16))
def test_a_chain_result_ignores_other_rows_and_their_order(make_inventory, rows, seed):
    inv = _frame(rows, make_inventory)
    full = _table(inv)
    perm = np.random.default_rng(seed).permutation(len(rows))
    shuffled = _table(inv.subset(perm))
    for new_pos, old_pos in enumerate(perm):
        alone = _table(inv.subset([old_pos]))
        for table, pos in ((shuffled, new_pos), (alone, 0)):
            assert _same(
                table.classification.type_score[pos], full.classification.type_score[old_pos]
            )
            assert _same(table.dim_score[pos], full.dim_score[old_pos])
            assert table.classification.outcome[pos] == full.classification.outcome[old_pos]
            assert table.classification.strategy[pos] == full.classification.strategy[old_pos]


@SETTINGS
@given(rows=rows_strategy)
def test_same_input_same_taxonomy_same_result_bit_for_bit(make_inventory, rows):
    a = _table(_frame(rows, make_inventory))
    b = _table(_frame(rows, make_inventory))
    for x, y in (
        (a.dim_score, b.dim_score),
        (a.classification.type_score, b.classification.type_score),
    ):
        assert x.tobytes() == y.tobytes()
    assert a.classification.outcome.tobytes() == b.classification.outcome.tobytes()


@SETTINGS
@given(row=row_strategy, pick=st.integers(0, len(IDS) - 1))
def test_missing_is_neither_zero_nor_full_risk(make_inventory, row, pick):
    ind = TAX.indicators[pick]
    missing = _table(_frame([{**row, ind.id: None}], make_inventory))
    at_safe = _table(_frame([{**row, ind.id: ind.safe}], make_inventory))
    at_critical = _table(_frame([{**row, ind.id: ind.critical}], make_inventory))
    for d, dim in enumerate((*TAX.capability_dimensions, "exposure")):
        if ind.weights.get(dim, 0) <= 0:
            continue
        # with the value missing, the dimension lies between "value safe" and "value critical" …
        m, lo, hi = missing.dim_score[0, d], at_safe.dim_score[0, d], at_critical.dim_score[0, d]
        if not np.isnan(m):
            assert lo - 1e-12 <= m <= hi + 1e-12
        # … and the evidence coverage records that it is missing
        assert missing.coverage[0, d] < at_safe.coverage[0, d]
    assert np.isnan(missing.risk[0, pick])


def _code(order, k):
    return None if k < 0 else order[k]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy)
def test_engine_matches_the_row_by_row_reference(make_inventory, rows):
    inv = _frame(rows, make_inventory)
    t = _table(inv)
    c = t.classification
    ev = t.evaluation
    for k, row in enumerate(rows):
        values = {i: row[i] for i in IDS}
        profile = {key: row[key] for key in ("tech_category", "generality", "strategic_value")}
        ref = assess_row(values, profile, RULES)
        got = tuple(None if np.isnan(x) else float(x) for x in c.type_score[k])
        assert got == ref.type_scores  # exact: same floating-point operations in the same order
        assert OUTCOME_ORDER[c.outcome[k]].value == ref.outcome
        assert STRATEGY_ORDER[c.strategy[k]] == ref.strategy
        assert _code(SUB_STRATEGY_ORDER, c.sub_strategy[k]) == ref.sub_strategy
        assert _code(PRIORITY_ORDER, c.priority[k]) == ref.priority_mode
        assert float(ev.route_factor[k]) == ref.route_factor
        assert float(ev.transfer_factor[k]) == ref.transfer_factor
        assert bool(c.dependence_met[k]) == ref.dependence_met
        assert bool(c.normal_dependence[k]) == ref.normal_dependence
        assert float(c.importance[k]) == ref.importance
        assert float(c.priority_score[k]) == ref.priority_score


@SETTINGS
@given(rows=rows_strategy)
def test_priority_score_is_a_number_for_every_row(make_inventory, rows):
    c = _table(_frame(rows, make_inventory)).classification
    assert np.isfinite(c.priority_score).all()
    assert ((c.priority_score >= 0) & (c.priority_score <= 1)).all()


@SETTINGS
@given(
    rows=st.lists(row_strategy, min_size=2, max_size=8),
    chains=st.lists(st.integers(0, 2), min_size=8, max_size=8),
    seed=st.integers(0, 2**16),
)
def test_a_segmented_chain_ignores_the_other_chains_and_their_order(
    make_inventory, rows, chains, seed
):
    """Rows of other chains may come anywhere; a chain's own segments keep their order."""
    from riskdesk.core.assess import Portfolio

    full = [
        {"chain_id": f"c{chains[k]}", "chain_name": "x", "segment": f"s{k}", **r}
        for k, r in enumerate(rows)
    ]
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(full))
    # keep each chain's segments in their original relative order
    by_chain: dict[str, list[int]] = {}
    for k in range(len(full)):
        by_chain.setdefault(full[k]["chain_id"], []).append(k)
    slots = {c: iter(ks) for c, ks in by_chain.items()}
    shuffled = [full[next(slots[full[k]["chain_id"]])] for k in perm]

    def verdicts(inv_rows):
        p = Portfolio(make_inventory(inv_rows), TAX)
        return {
            cid: (
                OUTCOME_ORDER[p.chains.outcome[g]].value,
                inv_rows[int(p.chains.weakest_row[g])]["segment"],
                float(p.chains.priority_score[g]),
            )
            for g, cid in enumerate(p.groups.chain_ids)
        }

    base, moved = verdicts(full), verdicts(shuffled)
    assert base.keys() == moved.keys()
    for cid in base:
        assert base[cid] == moved[cid]
        alone = verdicts([r for r in full if r["chain_id"] == cid])
        assert alone[cid] == base[cid]
