"""The inventory: chains (or chain × segment rows) with their indicator values and provenance.

Held as one DataFrame — profile columns plus one float64 column per indicator, NaN = missing —
because the engine scores it column-wise. Provenance is stored without a Python object per cell:
imported values derive their cell address from the column's origin and the row's source row;
computed and expert values (few) are kept as explicit per-cell records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from riskdesk.core.models import (
    PROFILE_FIELDS,
    Chain,
    DataIssue,
    IndicatorValue,
    InputSource,
    Provenance,
    TechCategory,
)
from riskdesk.core.taxonomy import Taxonomy

ChainKey = tuple[str, str | None]
CellKey = tuple[str, str | None, str]
NUMERIC_PROFILE = ("strategic_value", "generality", "year")


@dataclass(frozen=True)
class ColumnOrigin:
    """Where an imported column came from, so each cell's address can be given."""

    file: str
    sheet: str | None
    column: str  # column letter (A, B, …) or header text for csv
    header: str


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: float


@dataclass
class Inventory:
    frame: pd.DataFrame
    source: InputSource | None = None
    origins: dict[str, ColumnOrigin] = field(default_factory=dict)
    source_rows: dict[ChainKey, int] = field(default_factory=dict)
    cell_provenance: dict[CellKey, Provenance] = field(default_factory=dict)
    cell_years: dict[CellKey, int] = field(default_factory=dict)
    series: dict[CellKey, list[SeriesPoint]] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    trade: pd.DataFrame | None = None  # canonical long trade table (SPEC §7.2), if the file had one

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def empty_frame(cls, taxonomy: Taxonomy, n: int = 0) -> pd.DataFrame:
        data: dict[str, object] = {}
        for name in PROFILE_FIELDS:
            if name in NUMERIC_PROFILE:
                data[name] = np.full(n, np.nan)
            else:
                data[name] = pd.Series([None] * n, dtype=object)
        for ind in taxonomy.indicator_ids:
            data[ind] = np.full(n, np.nan)
        return pd.DataFrame(data)

    @classmethod
    def from_records(
        cls,
        taxonomy: Taxonomy,
        chains: Iterable[Chain],
        values: Iterable[tuple[str, str | None, IndicatorValue]] = (),
        source: InputSource | None = None,
    ) -> Inventory:
        """Build from pydantic records (project store, GUI edits, tests)."""
        chain_list = list(chains)
        frame = cls.empty_frame(taxonomy, len(chain_list))
        row_of: dict[ChainKey, int] = {}
        for i, chain in enumerate(chain_list):
            row_of[(chain.chain_id, chain.segment)] = i
            for name, value in chain.model_dump().items():
                if value is not None:
                    frame.at[i, name] = value.value if isinstance(value, TechCategory) else value
        inv = cls(frame=frame, source=source)
        for chain_id, segment, iv in values:
            row = row_of.get((chain_id, segment))
            if row is None or iv.indicator not in taxonomy.indicator_by_id:
                continue
            frame.at[row, iv.indicator] = np.nan if iv.value is None else float(iv.value)
            inv.cell_provenance[(chain_id, segment, iv.indicator)] = iv.provenance
            if iv.year is not None:
                inv.cell_years[(chain_id, segment, iv.indicator)] = iv.year
        return inv

    # --- per-chain views ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.frame)

    def cell(self, row: int, column: str) -> object:
        """One cell of the frame (profile text, a number or NaN)."""
        value: object = self.frame.at[row, column]
        return value

    def number(self, row: int, column: str) -> float | None:
        """A numeric cell, None when missing."""
        value = self.cell(row, column)
        return None if _blank(value) else float(str(value))

    def key(self, row: int) -> ChainKey:
        seg = self.cell(row, "segment")
        return (str(self.cell(row, "chain_id")), None if _blank(seg) else str(seg))

    def keys(self) -> list[ChainKey]:
        return [self.key(i) for i in range(len(self.frame))]

    def row_of(self, chain_id: str, segment: str | None = None) -> int:
        ids = self.frame["chain_id"].astype(str).to_numpy()
        segs = self.frame["segment"].to_numpy()
        for i in np.flatnonzero(ids == chain_id):
            seg = segs[i]
            if (None if _blank(seg) else str(seg)) == segment:
                return int(i)
        raise KeyError((chain_id, segment))

    def chain(self, row: int) -> Chain:
        return chain_from({name: self.cell(row, name) for name in PROFILE_FIELDS})

    def provenance(self, row: int, indicator: str) -> Provenance | None:
        """Provenance of one cell, or None when the value is missing."""
        if _blank(self.cell(row, indicator)):
            return None
        return self.provenance_of(self.key(row), indicator)

    def provenance_of(self, key: ChainKey, indicator: str) -> Provenance:
        """Provenance of a present value of the chain (or segment) `key`."""
        explicit = self.cell_provenance.get((key[0], key[1], indicator))
        if explicit is not None:
            return explicit
        origin = self.origins.get(indicator)
        src_row = self.source_rows.get(key)
        if origin is None:
            return Provenance(kind="imported", file=self.source.path if self.source else None)
        cell = f"{origin.column}{src_row}" if src_row is not None else origin.column
        return Provenance(kind="imported", file=origin.file, sheet=origin.sheet, cell=cell)

    def year(self, row: int, indicator: str) -> int | None:
        return self.year_of(self.key(row), indicator, self.cell(row, "year"))

    def year_of(self, key: ChainKey, indicator: str, row_year: object) -> int | None:
        """A value's year: its own, else the row's `year` cell (`row_year`)."""
        year = self.cell_years.get((key[0], key[1], indicator))
        if year is not None:
            return year
        return None if _blank(row_year) else int(float(str(row_year)))

    def columns(self) -> InventoryColumns:
        """The profile columns read once, for code that visits every row."""
        return InventoryColumns(self)

    def indicator_values(self, row: int, taxonomy: Taxonomy) -> list[IndicatorValue]:
        out = []
        for ind in taxonomy.indicators:
            raw = self.number(row, ind.id)
            prov = self.provenance(row, ind.id)
            if prov is None or raw is None:
                continue
            out.append(
                IndicatorValue(
                    indicator=ind.id,
                    value=raw,
                    unit=ind.unit,
                    year=self.year(row, ind.id),
                    provenance=prov,
                )
            )
        return out

    def set_value(
        self, row: int, indicator: str, value: float | None, provenance: Provenance | None
    ) -> None:
        """Set (or clear with None) one indicator value with its provenance."""
        chain_id, segment = self.key(row)
        self.frame.at[row, indicator] = np.nan if value is None else float(value)
        cell = (chain_id, segment, indicator)
        if value is None or provenance is None:
            self.cell_provenance.pop(cell, None)
        else:
            self.cell_provenance[cell] = provenance

    def subset(self, rows: Iterable[int]) -> Inventory:
        """A new inventory with the given rows (own copies of the tables; frame re-indexed)."""
        return self._with_frame(self.frame.iloc[list(rows)].reset_index(drop=True))

    def copy(self) -> Inventory:
        """An independent copy: what the engine adds (trade-derived values, their provenance,
        issues) never reaches the inventory it was given."""
        return self._with_frame(self.frame.copy())

    def _with_frame(self, frame: pd.DataFrame) -> Inventory:
        return Inventory(
            frame=frame,
            source=self.source,
            origins=dict(self.origins),
            source_rows=dict(self.source_rows),
            cell_provenance=dict(self.cell_provenance),
            cell_years=dict(self.cell_years),
            series={k: list(v) for k, v in self.series.items()},
            issues=list(self.issues),
            extra_columns=list(self.extra_columns),
            trade=self.trade,
        )


def chain_from(cells: dict[str, object]) -> Chain:
    """A chain's profile from its cells (blank cells left out)."""
    data: dict[str, object] = {}
    for name, value in cells.items():
        if _blank(value):
            continue
        data[name] = int(float(str(value))) if name in NUMERIC_PROFILE else str(value)
    return Chain.model_validate(data)


class InventoryColumns:
    """Whole profile columns read once: keys, chains and years per row without a pandas look-up
    per cell (materialising 5,000 results used to read 440,000 cells one at a time). A snapshot:
    taken when needed, not kept across edits."""

    def __init__(self, inventory: Inventory) -> None:
        frame = inventory.frame
        self.inventory = inventory
        self._columns = {
            name: frame[name].to_numpy(dtype=object).tolist()
            for name in (*PROFILE_FIELDS, "year")
            if name in frame.columns
        }
        ids, segments = self._columns["chain_id"], self._columns["segment"]
        self.keys: list[ChainKey] = [
            (str(c), None if _blank(s) else str(s)) for c, s in zip(ids, segments, strict=True)
        ]

    def chain(self, row: int) -> Chain:
        return chain_from({name: self._columns[name][row] for name in PROFILE_FIELDS})

    def provenance(self, row: int, indicator: str, present: bool) -> Provenance | None:
        return self.inventory.provenance_of(self.keys[row], indicator) if present else None

    def year(self, row: int, indicator: str) -> int | None:
        row_year = self._columns["year"][row] if "year" in self._columns else None
        return self.inventory.year_of(self.keys[row], indicator, row_year)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()
