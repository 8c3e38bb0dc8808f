"""Moving a whole inventory into and out of a project without a Python object per cell.

An inventory of 10,000 chains × 40 indicators holds 400,000 values; building an IndicatorValue
(and a Provenance) per cell to store them took over a minute. These functions produce the
database rows straight from the DataFrame columns and rebuild the DataFrame column by column,
with the same provenance and year rules as `Inventory.provenance` / `Inventory.year`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from riskdesk.core.inventory import NUMERIC_PROFILE, ChainKey, ColumnOrigin, Inventory, SeriesPoint
from riskdesk.core.models import PROFILE_FIELDS, Chain, InputSource, Provenance
from riskdesk.core.taxonomy import Taxonomy

# (chain_id, segment or '', indicator, value, unit, year, provenance JSON)
RawValue = tuple[str, str, str, float, str | None, int | None, str]
# (chain_id, segment or '', indicator, value, year, file, sheet, cell, provenance JSON or None): a
# plain imported location comes split out (JSON None); any other provenance comes whole.
LocatedValue = tuple[str, str, str, float | None, int | None, str | None, str | None, str | None,
                     str | None]


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def provenance_json(data: dict[str, Any]) -> str:
    """The stored form of a provenance: its JSON dump without None fields, keys sorted."""
    return json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False,
                      sort_keys=True)


def _model_json(prov: Provenance) -> str:
    return provenance_json(prov.model_dump(mode="json"))


def chains_of(inventory: Inventory) -> list[Chain]:
    """Every row's profile as a Chain (same rules as `Inventory.chain`, column-wise)."""
    frame = inventory.frame
    columns = {name: frame[name].tolist() for name in PROFILE_FIELDS}
    chains = []
    for i in range(len(frame)):
        data: dict[str, object] = {}
        for name in PROFILE_FIELDS:
            value = columns[name][i]
            if _blank(value):
                continue
            data[name] = int(value) if name in NUMERIC_PROFILE else str(value)
        chains.append(Chain.model_validate(data))
    return chains


def value_rows(
    inventory: Inventory,
    taxonomy: Taxonomy,
    chains: list[Chain],
    keep: set[tuple[str, str | None, str]],
) -> list[RawValue]:
    """Rows for `indicator_values`, skipping the cells in `keep` (the analyst's own values)."""
    frame = inventory.frame
    keys = [(c.chain_id, c.segment) for c in chains]
    row_years = frame["year"].to_numpy(dtype=float, na_value=np.nan)
    fallback_file = inventory.source.path if inventory.source else None
    fallback = provenance_json({"kind": "imported", "file": fallback_file, "illustrative": False})
    out: list[RawValue] = []
    for ind in taxonomy.indicators:
        column = frame[ind.id].to_numpy(dtype=float, na_value=np.nan)
        origin = inventory.origins.get(ind.id)
        for r in np.flatnonzero(~np.isnan(column)).tolist():
            chain_id, segment = keys[r]
            cell = (chain_id, segment, ind.id)
            if cell in keep:
                continue
            explicit = inventory.cell_provenance.get(cell)
            if explicit is not None:
                prov = _model_json(explicit)
            elif origin is None:
                prov = fallback
            else:
                src_row = inventory.source_rows.get((chain_id, segment))
                address = f"{origin.column}{src_row}" if src_row is not None else origin.column
                prov = provenance_json({"kind": "imported", "file": origin.file,
                                        "sheet": origin.sheet, "cell": address,
                                        "illustrative": False})
            year = inventory.cell_years.get(cell)
            if year is None and not np.isnan(row_years[r]):
                year = int(row_years[r])
            out.append((chain_id, segment or "", ind.id, float(column[r]), ind.unit, year, prov))
    return out


def _split_cell(cell: str | None) -> tuple[str, int] | None:
    """'AB12' -> ('AB', 12); None for anything else (csv header names, ranges, blanks)."""
    if not cell:
        return None
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters):]
    if not letters or not digits or not letters.isalpha() or not letters.isascii():
        return None
    return letters, int(digits)


def build_inventory(
    taxonomy: Taxonomy,
    chains: list[Chain],
    rows: Iterable[LocatedValue],
    source: InputSource | None,
) -> Inventory:
    """The inverse of `chains_of` + `value_rows`: an Inventory the engine can assess.

    Imported cells get their provenance the way a freshly read inventory does — a column origin
    (file, sheet, column letter) plus the chain's source row — when every cell of the column
    agrees on it; any other cell keeps an explicit Provenance.
    """
    inventory = Inventory.from_records(taxonomy, chains, (), source=source)
    row_of = {(c.chain_id, c.segment or ""): i for i, c in enumerate(chains)}
    known = set(taxonomy.indicator_ids)
    n = len(chains)
    columns: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    located: dict[str, list[tuple[ChainKey, str | None, str | None, str | None]]] = {}
    for chain_id, segment, indicator, value, year, file, sheet, cell, prov in rows:
        r = row_of.get((chain_id, segment))
        if r is None or indicator not in known:
            continue
        column = columns.get(indicator)
        if column is None:
            column = columns[indicator] = np.full(n, np.nan)
        column[r] = np.nan if value is None else value
        key = (chain_id, segment or None)
        if year is not None:
            inventory.cell_years[(*key, indicator)] = int(year)
        if prov is not None:
            inventory.cell_provenance[(*key, indicator)] = Provenance.model_validate_json(prov)
        else:
            located.setdefault(indicator, []).append((key, file, sheet, cell))
    source_rows: dict[ChainKey, int] = {}
    whole_file = source.path if source else None
    for indicator, cells in located.items():
        if all(f == whole_file and s is None and c is None for _k, f, s, c in cells):
            continue  # no address: Inventory.provenance gives (imported, the input file) itself
        origin = _common_origin(cells, source_rows)
        if origin is not None:
            inventory.origins[indicator] = origin
            continue
        for key, file, sheet, cell in cells:
            inventory.cell_provenance[(*key, indicator)] = Provenance(
                kind="imported", file=file, sheet=sheet, cell=cell
            )
    inventory.source_rows = source_rows
    if columns:
        frame = inventory.frame.copy()
        for indicator, column in columns.items():
            frame[indicator] = pd.Series(column, index=frame.index)
        inventory.frame = frame
    return inventory


def _common_origin(
    cells: list[tuple[ChainKey, str | None, str | None, str | None]],
    source_rows: dict[ChainKey, int],
) -> ColumnOrigin | None:
    """One origin for a column if all its cells share file, sheet and column letter and each
    chain's row agrees with the rows already taken from other columns; updates `source_rows`."""
    first = cells[0]
    file, sheet = first[1], first[2]
    if file is None:
        return None
    split = _split_cell(first[3])
    if split is None:
        return None
    letters = split[0]
    rows: dict[ChainKey, int] = {}
    for key, f, s, cell in cells:
        parts = _split_cell(cell)
        if f != file or s != sheet or parts is None or parts[0] != letters:
            return None
        known = source_rows.get(key)
        if known is not None and known != parts[1]:
            return None
        rows[key] = parts[1]
    source_rows.update(rows)
    return ColumnOrigin(file=file, sheet=sheet, column=letters, header=letters)


def round_data_of(inventory: Inventory) -> dict[str, str]:
    """An inventory's trade table and time series as JSON, kept with its round so the project
    can score again (trade indicators, rca_trend) exactly as from the file."""
    data: dict[str, str] = {}
    if inventory.trade is not None and len(inventory.trade):
        data["trade"] = inventory.trade.to_json(orient="split", index=False, force_ascii=False)
    if inventory.series:
        data["series"] = json.dumps(
            [[c, s, i, [[p.year, p.value] for p in points]]
             for (c, s, i), points in inventory.series.items()],
            ensure_ascii=False,
        )
    return data


def attach_round_data(inventory: Inventory, data: dict[str, str]) -> Inventory:
    """The inverse of `round_data_of`, onto an inventory rebuilt from the project."""
    if "trade" in data:
        import io

        inventory.trade = pd.read_json(io.StringIO(data["trade"]), orient="split",
                                       dtype=False)
    if "series" in data:
        for chain_id, segment, indicator, points in json.loads(data["series"]):
            inventory.series[(str(chain_id), segment, str(indicator))] = [
                SeriesPoint(year=int(y), value=float(v)) for y, v in points
            ]
    return inventory
