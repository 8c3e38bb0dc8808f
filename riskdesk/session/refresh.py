"""Bringing a session up to date with what colleagues committed to a team database, chain by chain.

A notification names the chains a colleague's commit changed. Re-reading only those chains (their
values, judgements and results in the working run) keeps a window on a 5,000-chain portfolio
responsive; when the shape of the round changed — a chain added, removed or re-profiled, the
working run replaced — the caller reads the whole round instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from riskdesk.core.commands import ChainRef, Judgement
from riskdesk.core.models import Chain
from riskdesk.core.results import ChainResult

if TYPE_CHECKING:
    from riskdesk.session.session import Session


def refresh_chains(session: Session, chain_ids: frozenset[str]) -> bool:
    """Re-read these chains into the session; False when only a full reload will do (nothing
    of the session was changed then)."""
    store = session.project.store
    inventory = session.inventory
    ids = inventory.frame["chain_id"].astype(str).to_numpy()
    plan: list[tuple[str, list[int]]] = []
    for chain_id in sorted(chain_ids):
        rows = [int(r) for r in np.flatnonzero(ids == chain_id)]
        if not rows:
            return False  # a chain this session does not show yet
        for row in rows:
            segment = inventory.key(row)[1]
            stored = store.get_profile(ChainRef(round=session.round, chain_id=chain_id,
                                                segment=segment))
            if stored is None or Chain.model_validate(stored) != inventory.chain(row):
                return False  # removed or re-profiled
        plan.append((chain_id, rows))
    results = _working_results(session, chain_ids)
    if results is None:
        return False
    for chain_id, rows in plan:
        for row in rows:
            segment = inventory.key(row)[1]
            ref = ChainRef(round=session.round, chain_id=chain_id, segment=segment)
            for indicator in session.taxonomy.indicator_ids:
                value = store.get_value(ref, indicator)
                cell = (chain_id, segment, indicator)
                inventory.set_value(row, indicator, None if value is None else value.value,
                                    None if value is None else value.provenance)
                if value is not None and value.year is not None:
                    inventory.cell_years[cell] = value.year
                else:
                    inventory.cell_years.pop(cell, None)
            _put_judgement(session, (chain_id, segment), store.get_judgement(ref))
        if any(inventory.key(row)[1] is not None for row in rows):
            whole = ChainRef(round=session.round, chain_id=chain_id)
            _put_judgement(session, (chain_id, None), store.get_judgement(whole))
    if session.run is not None and results:
        chains = [results.get(c.chain_id, c) for c in session.run.chains]
        session.run = session.run.model_copy(update={"chains": chains})
    session.reset_result_index()
    return True


def _put_judgement(session: Session, key: tuple[str, str | None], judgement: Judgement) -> None:
    if judgement == Judgement():
        session.judgements.pop(key, None)
    else:
        session.judgements[key] = judgement


def _working_results(session: Session, chain_ids: frozenset[str]
                     ) -> dict[str, ChainResult] | None:
    """The chains' results in the session's working run as stored now; None when the round's
    latest run is no longer the session's (a colleague stored a new one)."""
    runs = session.project.store.runs(session.round)
    latest = runs[-1].id if runs else None
    if latest != session.run_id:
        return None
    if latest is None:
        return {}
    out: dict[str, ChainResult] = {}
    for chain_id in chain_ids:
        for info, result in session.project.store.chain_results(chain_id):
            if info.id == latest:
                out[chain_id] = result
    return out
