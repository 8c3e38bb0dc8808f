"""Where unnamed work lives: an autosaved project in the user's data folder (platformdirs).

Every session is a project (SPEC §11): work that has no file name yet is kept in
`<data dir>/untitled/untitled-<time>-<pid>.rdproj`, so quitting or a crash never loses it. A test
or a portable install points the data folder elsewhere with RISKDESK_DATA_DIR.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from riskdesk.io.project.lock import lock_path, read_holder

UNTITLED_PREFIX = "untitled-"


def data_dir() -> Path:
    """The user's riskdesk data folder (created on first use)."""
    override = os.environ.get("RISKDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir("riskdesk", False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def untitled_dir() -> Path:
    path = data_dir() / "untitled"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_untitled_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return untitled_dir() / f"{UNTITLED_PREFIX}{stamp}-{os.getpid()}.rdproj"


def is_untitled(path: Path) -> bool:
    return path.parent.resolve() == untitled_dir().resolve() and path.name.startswith(
        UNTITLED_PREFIX
    )


def orphaned_untitled() -> list[Path]:
    """Unnamed projects no running riskdesk holds (left by a crash or a kill), newest first —
    the work to offer back at start-up."""
    from riskdesk.io.project.lock import _pid_alive

    found = []
    for path in untitled_dir().glob(f"{UNTITLED_PREFIX}*.rdproj"):
        holder = read_holder(lock_path(path))
        if holder is not None and _pid_alive(holder.pid) and holder.pid != os.getpid():
            continue
        if holder is not None and holder.pid == os.getpid():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def remove_project_file(path: Path) -> None:
    """Delete a project and the files SQLite and the lock keep beside it."""
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", ".lock"))):
        leftover.unlink(missing_ok=True)
