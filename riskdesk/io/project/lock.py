"""One writer per project: a lock file next to it naming who holds it.

`P.rdproj.lock` holds JSON {pid, host, user, opened_at}. It comes into existence *with* its
content: the JSON is written to a private temporary file which is then hard-linked to the lock
name (link fails if the name exists, atomically, on local and network file systems), so no reader
ever sees an empty or half-written lock. Where hard links are not supported the lock is created
with O_CREAT | O_EXCL and written at once; a reader that finds it empty waits a moment.

A second instance finds the lock and is told who has the project open; it may open read-only. A
lock left by a process that died (same host, pid gone) is stale: the next open takes it over and
reports that the previous session ended without closing — the cue to offer recovery of autosaved
drafts. Taking over is itself serialised by a short-lived `P.rdproj.lock.break` file, and the
stale lock is removed only if it is still the very file (same inode) that was judged stale, so
two instances can never both break a lock and both hold the project. A lock from another host is
never assumed stale.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from riskdesk.io.project.errors import ProjectError, ProjectLockedError
from riskdesk.io.project.schema import now_iso

ACQUIRE_SECONDS = 5.0
FRESH_SECONDS = 2.0  # an unreadable lock younger than this may still be being written
BREAK_SECONDS = 10.0  # a take-over claim older than this was left by a breaker that died


def _inode(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _age(path: Path) -> float:
    try:
        return time.time() - os.stat(path).st_mtime
    except FileNotFoundError:
        return 0.0


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
        deadline = time.monotonic() + ACQUIRE_SECONDS
        while True:
            if self._create(payload):
                self._held = True
                return
            try:
                inode = _inode(self.path)
            except FileNotFoundError:
                continue  # released meanwhile: try again
            holder = read_holder(self.path)
            if holder is None and time.monotonic() < deadline and _age(self.path) < FRESH_SECONDS:
                time.sleep(0.01)  # being written (a file system without hard links): wait
                continue
            alive = holder is not None and (holder.host != me.host or _pid_alive(holder.pid))
            if alive and not take_over:
                assert holder is not None
                raise ProjectLockedError(str(self.project), holder.describe())
            if self._break(inode, holder):
                # Stale (its process is gone) or unreadable (died while writing it): taken over.
                self.stale_taken_over = holder or LockHolder(0, me.host, "?", "?")
            elif time.monotonic() > deadline:
                raise ProjectLockedError(str(self.project), "lock file keeps reappearing")
            else:
                time.sleep(0.005)

    def _create(self, payload: bytes) -> bool:
        """Create the lock with its content in one step; False if it exists already."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".new",
                                       dir=self.path.parent)
        except OSError as exc:
            raise self._unwritable(exc) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # no hard links here (some network shares, FAT): exclusive create
                return self._create_exclusive(payload)
            return True
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def _create_exclusive(self, payload: bytes) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise self._unwritable(exc) from None
        try:
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        return True

    def _break(self, stale_inode: tuple[int, int], judged: LockHolder | None) -> bool:
        """Remove the lock judged stale, only if it is still that file; one breaker at a time.

        "Still that file" is the same inode *and* the same content: a freed inode number is
        reused at once, so a competitor's brand-new lock can have the stale lock's inode (seen as
        two writers in about 1 of 10 runs of eight simultaneous opens)."""
        breaker = self.path.with_name(self.path.name + ".break")
        try:
            fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _age(breaker) > BREAK_SECONDS:  # a breaker died half-way: clear its claim
                with contextlib.suppress(FileNotFoundError):
                    breaker.unlink()
            return False
        except OSError as exc:
            raise self._unwritable(exc) from None
        os.close(fd)
        try:
            if _inode(self.path) != stale_inode or read_holder(self.path) != judged:
                return False  # replaced meanwhile by a live owner: not ours to break
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                breaker.unlink()

    def _unwritable(self, exc: OSError) -> ProjectError:
        return ProjectError(
            f"cannot write next to {self.project} ({exc.strerror or exc}); "
            "open the project read-only",
            f"无法在 {self.project} 所在目录写入（{exc.strerror or exc}）；请以只读方式打开",
        )

    def release(self) -> None:
        if not self._held:
            return
        holder = read_holder(self.path)
        if holder is not None and holder.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self._held = False
