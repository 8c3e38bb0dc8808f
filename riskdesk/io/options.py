"""Import settings: which sheet, how strict, and the safety limits checked before parsing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DuplicatePolicy = Literal["keep_first", "suffix", "skip"]


@dataclass(frozen=True)
class ImportOptions:
    """Settings for reading an inventory; the defaults suit files an analyst brings by hand."""

    sheet: str | None = None
    """Chains sheet by name; None = `chains` / `产业链清单`, else the first other sheet."""
    skip_invalid_rows: bool = False
    """Leave out every row that has an error (each skipped row is listed as an issue)."""
    duplicate_ids: DuplicatePolicy | None = None
    """A chain id (or chain + segment) seen again: keep the first row and list the later ones as
    not imported (`keep_first`); keep every row, the later ones renamed ID-2, ID-3 … (`suffix`);
    or leave all rows of that ID out (`skip`). Every affected row is listed either way. None: no
    choice made — the later rows are left out and stay unresolved errors."""
    encoding: str | None = None
    """Force a csv encoding instead of detecting it."""
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    """Zip-based workbooks: the sum of the members' uncompressed sizes may not exceed this."""
    max_compression_ratio: float = 200.0
    """Zip members larger than `ratio_floor_bytes` may not be compressed more than this."""
    ratio_floor_bytes: int = 1024 * 1024
    max_members: int = 10_000
    max_cells: int = 20_000_000
    """Cells of one sheet (rows × columns): declared size checked first, again after parsing."""
    max_csv_bytes: int = 128 * 1024 * 1024
    """A csv larger than this is refused before it is read (any csv this large predicts more
    than `csv_memory_budget_bytes`, see below)."""
    csv_memory_budget_bytes: int = 800 * 1024 * 1024
    """What reading and assessing a csv may cost, predicted before it is read from its cells
    and bytes (riskdesk.io.safety.csv_cost): with the program itself and the streamed outputs,
    `riskdesk assess` of an accepted csv stays within 1 GiB."""
    header_search_rows: int = 30
    """How far down the header row is searched when it is not on row 1."""
    timeout_seconds: float = 120.0
    """`read_inventory_isolated`: the parsing process is stopped after this long."""
    memory_limit_bytes: int | None = 3 * 1024 * 1024 * 1024
    """`read_inventory_isolated`: address-space limit of the parsing process (POSIX only)."""
