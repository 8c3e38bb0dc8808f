"""Two instances on one project: the second is told who holds it and may open read-only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

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
