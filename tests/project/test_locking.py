"""Two instances on one project: the second is told who holds it and may open read-only."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from riskdesk.io.project import Project, ProjectLockedError
from riskdesk.io.project.lock import lock_path


def test_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "shared.rdproj"
    first = Project.create(path, user="zhang")
    try:
        with pytest.raises(ProjectLockedError) as info:
            Project.open(path, user="li")
        assert "zhang@" in info.value.message("en")
        assert "read-only" in info.value.message("en")
        assert "只读" in info.value.message("zh")
        with Project.open(path, user="li", read_only=True) as reader:
            assert reader.read_only
    finally:
        first.close()
    assert not lock_path(path).exists()
    Project.open(path, user="li").close()  # free again once the first closed


def test_a_lock_held_by_another_live_process_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "p.rdproj"
    Project.create(path, user="a").close()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(path).write_text(json.dumps({
            "pid": holder.pid, "host": socket.gethostname(), "user": "b",
            "opened_at": "2026-01-01T00:00:00+00:00",
        }))
        with pytest.raises(ProjectLockedError):
            Project.open(path, user="a")
    finally:
        holder.kill()
        holder.wait()
    # The holder is gone now: its lock is stale and the next open takes over and says so.
    with Project.open(path, user="a") as p:
        assert p.recovery is not None
        assert "did not close normally" in p.recovery.message("en")
        assert "未正常关闭" in p.recovery.message("zh")


def test_a_lock_from_another_host_is_never_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "p.rdproj"
    Project.create(path, user="a").close()
    lock_path(path).write_text(json.dumps({
        "pid": os.getpid() + 100000, "host": "other-workstation", "user": "c",
        "opened_at": "2026-01-01T00:00:00+00:00",
    }))
    with pytest.raises(ProjectLockedError, match="other-workstation"):
        Project.open(path, user="a")


def test_clean_close_leaves_no_recovery_notice(tmp_path: Path) -> None:
    path = tmp_path / "p.rdproj"
    Project.create(path, user="a").close()
    with Project.open(path, user="a") as p:
        assert p.recovery is None


def test_a_confirmed_take_over_breaks_a_foreign_lock(tmp_path: Path) -> None:
    path = tmp_path / "p.rdproj"
    Project.create(path, user="a").close()
    lock_path(path).write_text(json.dumps({
        "pid": 1, "host": "crashed-laptop", "user": "c", "opened_at": "2026-01-01T00:00:00+00:00",
    }))
    with Project.open(path, user="a", take_over_lock=True) as p:
        assert p.recovery is not None
        assert "crashed-laptop" in p.recovery.previous_session
    assert not lock_path(path).exists()


# --- the race: many instances opening at once (finding 7) ----------------------------------------

WORKERS = 8
TRIALS = 200


def _contender(path: str, barrier: Any, holders: Any, doubles: Any, wins: Any,
               stale_pid: int) -> None:
    from riskdesk.io.project.lock import ProjectLock

    project = Path(path)
    lock_file = lock_path(project)
    for trial in range(TRIALS):
        if barrier.wait() == 0:  # one of us prepares the trial's starting state
            if trial % 4 == 1:  # a stale lock left by a dead process
                lock_file.write_text(json.dumps({
                    "pid": stale_pid, "host": socket.gethostname(), "user": "gone",
                    "opened_at": "2026-01-01T00:00:00+00:00",
                }))
            elif trial % 4 == 3:  # an empty lock, as an older riskdesk could leave
                lock_file.write_bytes(b"")
                os.utime(lock_file, (0, 0))
        barrier.wait()
        lock = ProjectLock(project, f"w{os.getpid()}")
        try:
            lock.acquire()
        except ProjectLockedError:
            pass
        else:
            with holders.get_lock():
                holders.value += 1
                if holders.value > 1:
                    doubles.value += 1
            with wins.get_lock():
                wins.value += 1
            time.sleep(0.001)
            with holders.get_lock():
                holders.value -= 1
            lock.release()
        barrier.wait()  # everyone done before the next trial's state is set


@pytest.mark.slow
def test_simultaneous_opens_never_give_two_writers(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    dead = ctx.Process(target=int)
    dead.start()
    dead.join()
    project = tmp_path / "race.rdproj"
    project.write_bytes(b"")
    barrier = ctx.Barrier(WORKERS)
    holders, doubles, wins = ctx.Value("i", 0), ctx.Value("i", 0), ctx.Value("i", 0)
    start = time.monotonic()
    procs = [ctx.Process(target=_contender,
                         args=(str(project), barrier, holders, doubles, wins, dead.pid))
             for _ in range(WORKERS)]  # fmt: skip
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    assert doubles.value == 0
    assert wins.value >= TRIALS  # every trial had a winner (a stale lock was taken over)
    assert time.monotonic() - start < 120
    assert not lock_path(project).exists()
