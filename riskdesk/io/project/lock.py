"""One writer per project: a lock file next to it naming who holds it.

`P.rdproj.lock` is created with O_CREAT | O_EXCL (atomic on local and network file systems) and
holds JSON {pid, host, user, opened_at}. A second instance finds it and is told who has the project
open; it may open read-only. A lock left by a process that died (same host, pid gone) is stale: the
next open takes it over and reports that the previous session ended without closing — the cue to
offer recovery of autosaved drafts. A lock from another host is never assumed stale.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from riskdesk.io.project.errors import ProjectError, ProjectLockedError
from riskdesk.io.project.schema import now_iso


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    user: str
    opened_at: str

    def describe(self) -> str:
        return f"{self.user}@{self.host}, pid {self.pid}, since {self.opened_at}"


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or a platform where we cannot tell: assume alive
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) would send CTRL_C_EVENT on Windows; ask the kernel instead.
    import ctypes

    if sys.platform != "win32":
        raise RuntimeError("Windows only")
    kernel32 = ctypes.windll.kernel32
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(kernel32.GetLastError() == 5)  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_holder(path: Path) -> LockHolder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockHolder(int(data["pid"]), str(data["host"]), str(data["user"]),
                          str(data["opened_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ProjectLock:
    """Held while a project is open for writing. `stale_taken_over` says a crash preceded us."""

    def __init__(self, project: Path, user: str) -> None:
        self.path = lock_path(project)
        self.project = project
        self.user = user
        self.stale_taken_over: LockHolder | None = None
        self._held = False

    def acquire(self, *, take_over: bool = False) -> None:
        """Take the lock. `take_over` breaks a lock the user confirmed is left over (e.g. the
        machine named in it crashed); the previous holder is then reported like a crash."""
        me = LockHolder(os.getpid(), socket.gethostname(), self.user, now_iso())
        payload = json.dumps(me.__dict__, ensure_ascii=False).encode("utf-8")
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = read_holder(self.path)
                alive = holder is not None and (holder.host != me.host or _pid_alive(holder.pid))
                if alive and not take_over:
                    assert holder is not None
                    raise ProjectLockedError(str(self.project), holder.describe()) from None
                # Stale (its process is gone) or unreadable (died while writing it): take over.
                self.stale_taken_over = holder or LockHolder(0, me.host, "?", "?")
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            except OSError as exc:
                raise ProjectError(
                    f"cannot write next to {self.project} ({exc.strerror or exc}); "
                    "open the project read-only",
                    f"无法在 {self.project} 所在目录写入（{exc.strerror or exc}）；请以只读方式打开",
                ) from None
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            self._held = True
            return
        raise ProjectLockedError(str(self.project), "lock file keeps reappearing")

    def release(self) -> None:
        if not self._held:
            return
        holder = read_holder(self.path)
        if holder is not None and holder.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self._held = False
