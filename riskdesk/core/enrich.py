"""Indicators derived from the inventory's own tables before scoring: trade indicators (TC, RCA,
concentration, their trends; TC*/RCA* against a chosen partner) and trends of series given in the
timeseries sheet. Computed values go only into empty cells, with provenance.
"""

from __future__ import annotations

import numpy as np

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Provenance
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import (
    TREND_OF,
    CountryRiskList,
    PartnerShares,
    compute_trade_indicators,
    ls_slope,
)


def fill_trade_indicators(
    inventory: Inventory,
    taxonomy: Taxonomy,
    *,
    country: str,
    country_risk: CountryRiskList | None,
    partner: str | None = None,
) -> PartnerShares | None:
    """Compute trade indicators (TC, RCA, concentration, trends; TC*/RCA* against `partner`) into
    missing cells, with provenance and issues. Trade rows naming a segment fill that segment's
    row; others fill every row of the chain. Returns the partner shares behind the
    country-rating indicators, for the robustness draws."""
    ids = inventory.frame["chain_id"].astype(str).to_numpy()
    risk = country_risk or CountryRiskList()
    n = len(ids)
    row_shares: dict[int, dict[str, float]] = {}
    filled: dict[str, set[int]] = {"risk_weighted_hhi": set(), "geo_risk_share": set()}
    if inventory.trade is not None and len(inventory.trade):
        file = inventory.source.path if inventory.source else None
        computed = compute_trade_indicators(
            inventory.trade, country=country, partner=partner, risk=risk, file=file,
            products=set(ids),
        )  # fmt: skip
        inventory.issues.extend(computed.issues)
        rows_of = {key: _target_rows(inventory, ids, *target)
                   for key, target in computed.targets.items()}  # fmt: skip
        for (key, ind), cv in computed.latest.items():
            if ind not in taxonomy.indicator_by_id or cv.value is None:
                continue
            for row in rows_of.get(key, []):
                if inventory.number(row, ind) is None:
                    _fill(inventory, row, ind, cv.value, cv.provenance, cv.year)
                    if ind in filled:
                        filled[ind].add(row)
        for (key, ind), points in computed.series.items():
            for row in rows_of.get(key, []):
                inventory.series.setdefault((*inventory.key(row), ind), points)
        for key, shares in computed.shares.items():
            for row in rows_of.get(key, []):
                row_shares[row] = shares
    # trends from a series given directly (timeseries sheet)
    for (chain_id, segment, ind), points in list(inventory.series.items()):
        trend = TREND_OF.get(ind)
        if trend is None or trend not in taxonomy.indicator_by_id:
            continue
        slope = ls_slope(points)
        try:
            trend_row = inventory.row_of(chain_id, segment)
        except KeyError:
            continue
        if slope is not None and inventory.number(trend_row, trend) is None:
            name = "RCA" if ind == "rca_index" else "TC"
            prov = Provenance(
                kind="computed",
                computed_from=f"{name} series {points[0].year}–{points[-1].year}",
                method=f"least-squares slope of {name} per year",
            )
            _fill(inventory, trend_row, trend, slope, prov, points[-1].year)
    if not row_shares:
        return None
    partners = tuple(sorted({p for s in row_shares.values() for p in s}))
    matrix = np.zeros((n, len(partners)))
    for row, shares in row_shares.items():
        for p, s in shares.items():
            matrix[row, partners.index(p)] = s
    return PartnerShares(
        partners=partners,
        shares=matrix,
        rwhhi_rows=np.isin(np.arange(n), sorted(filled["risk_weighted_hhi"])),
        geo_rows=np.isin(np.arange(n), sorted(filled["geo_risk_share"])),
        ratings=np.array([risk.rating(p) for p in partners], dtype=np.float64),
        high_risk=risk.high_risk,
        rated=tuple(p.upper() in risk.ratings for p in partners),
    )


def _target_rows(
    inventory: Inventory, ids: np.ndarray, chain_id: str, segment: str | None
) -> list[int]:
    rows = [int(r) for r in np.flatnonzero(ids == chain_id)]
    if segment is None:
        return rows
    return [r for r in rows if inventory.key(r)[1] == segment]


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
