"""Parsing an untrusted file in a separate process, so nothing in it can take the GUI down.

python-calamine aborts its process on some malformed input (a failed Rust allocation raises
SIGABRT, which Python cannot catch); the safety checks reject the known cases first, but a file
can still lie about itself. Here the reader runs in a fresh `spawn` process with an address-space
limit and a timeout; progress and cancel cross the pipe; a dead child becomes a located error.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Severity
from riskdesk.core.progress import CancelFn, Cancelled, ProgressFn, report
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.chains import ChainsTable
from riskdesk.io.issues import InventoryReadError, issue
from riskdesk.io.options import ImportOptions

POLL_SECONDS = 0.05


def read_inventory_isolated(
    path: Path,
    taxonomy: Taxonomy,
    *,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Inventory:
    """`read_inventory` in a child process; raises InventoryReadError if the child dies or hangs."""
    return read_table_isolated(
        path, taxonomy, options=options, progress=progress, cancel=cancel
    ).inventory


def read_table_isolated(
    path: Path,
    taxonomy: Taxonomy,
    *,
    options: ImportOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ChainsTable:
    """`read_inventory_table` in a child process (what the GUI's import preview runs)."""
    options = options or ImportOptions()
    path = Path(path)
    ctx = mp.get_context("spawn")
    parent_end, child_end = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child_main,
        args=(child_end, str(path), taxonomy.model_dump(mode="json"), options),
        name="riskdesk-import",
        daemon=True,
    )
    child.start()
    child_end.close()
    deadline = time.monotonic() + options.timeout_seconds
    try:
        while True:
            if cancel is not None and cancel():
                raise Cancelled
            if time.monotonic() > deadline:
                raise _failure(
                    path,
                    "import_timeout",
                    f"读取 {path.name} 超过 {options.timeout_seconds:g} 秒仍未完成，已停止",
                    f"reading {path.name} took longer than {options.timeout_seconds:g} s "
                    "and was stopped",
                )
            if parent_end.poll(POLL_SECONDS):
                try:
                    message: tuple[Any, ...] = parent_end.recv()
                except (EOFError, OSError):
                    raise _died(path, child) from None
                kind = message[0]
                if kind == "progress":
                    report(progress, message[1], message[2])
                elif kind == "ok":
                    table: ChainsTable = message[1]
                    return table
                elif kind == "rejected":
                    raise InventoryReadError(message[1])
                else:
                    raise _failure(
                        path,
                        "import_failed",
                        f"读取 {path.name} 时出现意外错误：{message[1]}",
                        f"unexpected error while reading {path.name}: {message[1]}",
                    )
            elif not child.is_alive():
                raise _died(path, child)
    finally:
        parent_end.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)


def _failure(path: Path, code: str, zh: str, en: str) -> InventoryReadError:
    return InventoryReadError(issue(Severity.ERROR, code, zh, en, file=str(path)))


def _died(path: Path, child: Any) -> InventoryReadError:
    child.join(timeout=5)
    code = child.exitcode
    if code is not None and code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    else:
        how = f"exit code {code}"
    return _failure(
        path,
        "parser_crashed",
        f"解析 {path.name} 的进程异常终止（{how}）：文件可能已损坏，或解压后超出内存上限。"
        "程序本身未受影响；请在 Excel/WPS 中打开并另存后重试",
        f"the process parsing {path.name} died ({how}): the file may be damaged or expand beyond "
        "the memory limit. The application is unaffected; open and re-save the file in "
        "Excel/WPS and try again",
    )


def _limit_memory(extra_bytes: int | None) -> None:
    if extra_bytes is None:
        return
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the pre-parse checks and the timeout remain
        return
    try:  # the limit is on top of what the interpreter already maps (Linux: /proc)
        with open("/proc/self/statm", encoding="ascii") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):  # macOS and others: no /proc or no settable RLIMIT_AS
        return


def _child_main(
    conn: Connection, path: str, taxonomy_data: dict[str, Any], options: ImportOptions
) -> None:
    from riskdesk.io.inventory import read_inventory_table

    taxonomy = Taxonomy.model_validate(taxonomy_data)

    def forward(fraction: float, message: str) -> None:
        conn.send(("progress", fraction, message))

    try:
        _limit_memory(options.memory_limit_bytes)
        table = read_inventory_table(Path(path), taxonomy, options=options, progress=forward)
        conn.send(("ok", table))
    except InventoryReadError as exc:
        conn.send(("rejected", exc.issue))
    except MemoryError:
        conn.send(("failed", "out of memory / 内存不足"))
    except Exception as exc:  # reported to the parent as one sentence
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
