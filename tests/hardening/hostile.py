"""Running the real `riskdesk` command in a child process, as an analyst would."""

from __future__ import annotations

import contextlib
import csv
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["chain_id", "chain_name", "tech_category", "import_dependence", "tc_index",
          "risk_weighted_hhi", "geo_risk_share", "non_market_pressure"]  # fmt: skip
ROWS = [
    ["A1", "航空发动机", "core", 0.9, -0.7, 0.25, 0.6, 3],
    ["B2", "纺织", "mature", 0.2, 0.5, 0.05, 0.1, 0],
]


def run_cli(
    args: Sequence[str | Path], *, timeout: float = 120, cwd: Path | None = None,
    extra_env: dict[str, str] | None = None, preexec: object = None,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "riskdesk", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
        preexec_fn=preexec,  # type: ignore[arg-type]
        check=False,
    )


def write_csv(path: Path, rows: Sequence[Sequence[object]] = ROWS,
              header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def one_sentence(proc: subprocess.CompletedProcess[str]) -> str:
    """The error the user sees: no traceback, no 'unexpected error', one `riskdesk:` line."""
    err = proc.stderr
    assert "Traceback" not in err, err
    assert "unexpected error" not in err, err
    lines = [ln for ln in err.splitlines() if ln.startswith("riskdesk:")]
    assert len(lines) == 1, err
    return lines[0]


# --- hand-made workbooks (what a hostile or broken writer could produce) -------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def cell_xml(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def rows_xml(rows: Sequence[Sequence[object]], start: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=start):
        cells = "".join(
            cell_xml(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v is not None
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def raw_xlsx(path: Path, sheets: dict[str, str], dimension: str | None = None,
             hidden: Sequence[str] = ()) -> Path:
    """A minimal xlsx whose worksheets hold exactly the given <sheetData> content."""
    import zipfile

    names = list(sheets)
    wb = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets>'
        + "".join(
            f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"'
            + (' state="hidden"' if n in hidden else "") + "/>"
            for i, n in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    wb_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        for i, name in enumerate(names, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       f'<?xml version="1.0"?><worksheet {_NS}>{dim}<sheetData>{sheets[name]}'
                       "</sheetData></worksheet>")
    return path


def memory_cap(limit: int) -> object:
    """preexec_fn: cap the child's address space, so a grid allocation would kill it."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


@contextlib.contextmanager
def tmpfs(size: str = "4m", read_only_after: Callable[[Path], None] | None = None
          ) -> Iterator[Path]:
    """A small tmpfs (root only; the test is skipped elsewhere): a disk that fills up, or that
    is made read-only after `read_only_after` filled it."""
    import pytest

    where = Path(tempfile.mkdtemp(prefix="riskdesk-tmpfs-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "none", str(where)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        if read_only_after is not None:
            read_only_after(where)
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        with contextlib.suppress(OSError):
            where.rmdir()
