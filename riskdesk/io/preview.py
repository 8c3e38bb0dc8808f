"""The dry run the GUI shows before anything is stored, and the loader `assess` uses.

`preview_inventory` reads the file exactly as an import would and summarises it: rows that are
fine, rows with problems (spreadsheet row numbers), issues by severity, the assumptions made,
and what was detected (file kind, encoding, sheet, header row). `load_for_assessment` refuses a
file with errors unless skipping invalid rows was asked for explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import DataIssue, Severity
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.chains import ChainsTable
from riskdesk.io.inventory import read_inventory_table
from riskdesk.io.issues import InputRejected
from riskdesk.io.options import ImportOptions


@dataclass(frozen=True)
class ImportPreview:
    """What an import would yield; `inventory` is the result the analyst may then accept."""

    file: str
    file_kind: str
    encoding: str | None
    sheet: str | None
    header_row: int | None
    rows_ok: int
    rows_with_problems: list[int]
    issues: dict[Severity, list[DataIssue]]
    inventory: Inventory = field(repr=False)

    @property
    def errors(self) -> list[DataIssue]:
        return self.issues[Severity.ERROR]

    @property
    def warnings(self) -> list[DataIssue]:
        return self.issues[Severity.WARNING]

    @property
    def assumptions(self) -> list[DataIssue]:
        return self.issues[Severity.ASSUMPTION]

    @property
    def has_errors(self) -> bool:
        return bool(self.issues[Severity.ERROR])


def preview_inventory(
    path: Path,
    taxonomy: Taxonomy,
    options: ImportOptions | None = None,
    *,
    isolated: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportPreview:
    """Dry run of an import; with `isolated=True` parsing happens in a child process (GUI)."""
    if isolated:
        from riskdesk.io.isolated import read_table_isolated

        table = read_table_isolated(
            path, taxonomy, options=options, progress=progress, cancel=cancel
        )
    else:
        table = read_inventory_table(
            path, taxonomy, options=options, progress=progress, cancel=cancel
        )
    return summarise(table, str(path))


def summarise(table: ChainsTable, file: str) -> ImportPreview:
    inv = table.inventory
    sheet = inv.source.sheet if inv.source else None
    by_severity: dict[Severity, list[DataIssue]] = {s: [] for s in Severity}
    for item in inv.issues:
        by_severity[item.severity].append(item)
    header = table.header_row or 0
    problem_rows = {
        i.row
        for i in by_severity[Severity.ERROR]
        if i.row is not None and i.sheet == sheet and i.row > header
    }
    rows_ok = sum(1 for n in table.row_numbers if n not in problem_rows)
    return ImportPreview(
        file=file,
        file_kind=table.file_kind,
        encoding=inv.source.encoding if inv.source else None,
        sheet=sheet,
        header_row=table.header_row,
        rows_ok=rows_ok,
        rows_with_problems=sorted(problem_rows),
        issues=by_severity,
        inventory=inv,
    )


def load_for_assessment(
    path: Path,
    taxonomy: Taxonomy,
    *,
    skip_invalid_rows: bool,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Inventory:
    """The inventory to assess; raises InputRejected when it has errors and skipping is not allowed.

    With `skip_invalid_rows`, rows with errors are left out and each is listed as a `row_skipped`
    issue; a file from which no row remains is still rejected. InventoryReadError (unreadable
    file) passes through.
    """
    opts = replace(options or ImportOptions(), skip_invalid_rows=skip_invalid_rows)
    table = read_inventory_table(path, taxonomy, options=opts, progress=progress, cancel=cancel)
    inv = table.inventory
    # An error already resolved by the caller's choice (e.g. --duplicate-ids) does not block.
    has_errors = any(i.severity == Severity.ERROR and i.resolution is None for i in inv.issues)
    if (has_errors and not skip_invalid_rows) or len(inv) == 0:
        raise InputRejected(inv.issues)
    return inv
