"""Opening a project written in the v0 layout: backup first, then migrate, data intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import SCHEMA_VERSION, Project, ProjectError

FIXTURE = Path(__file__).parent / "fixtures" / "v0_project.rdproj"


@pytest.fixture
def v0_copy(tmp_path: Path) -> Path:
    target = tmp_path / "old.rdproj"
    shutil.copyfile(FIXTURE, target)
    return target


def test_old_project_is_backed_up_then_migrated(v0_copy: Path, taxonomy: Taxonomy) -> None:
    original = v0_copy.read_bytes()
    with Project.open(v0_copy, user="wang") as p:
        backup = p.migration_backup
        assert backup is not None
        assert backup.read_bytes() == original  # the backup is the untouched old file
        assert p.round_names() == ["2024"]
        assert p.rounds()[0].created_by == "wang.analyst"
        inv = p.inventory("2024", taxonomy)
        assert inv.keys() == [("AERO-ENG", None), ("EDA", None), ("RARE-EARTH", None)]
        assert inv.chain(0).chain_name == "航空发动机"
        assert inv.chain(0).strategic_value == 5
        eda = inv.row_of("EDA")
        assert inv.frame.at[eda, "import_dependence"] == 0.85
        prov = inv.provenance(eda, "import_dependence")
        assert prov is not None
        assert (prov.file, prov.sheet, prov.cell) == ("清单2024.xlsx", "chains", "F3")
        rare = inv.provenance(inv.row_of("RARE-EARTH"), "import_dependence")
        assert rare is not None
        assert rare.file == "行业协会年报 2023"
        assert p.judgement("2024", "EDA").note == "三大厂商占国内市场约八成，需核实最新份额"
        history = p.history()
        assert [(e.action, e.old, e.new) for e in history] == [("migrate", "0", str(SCHEMA_VERSION))]
        assert p.verify().ok
        p.set_note("2024", "EDA", "已核实")  # the migrated project is fully usable
    conn = sqlite3.connect(v0_copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Project.open(v0_copy, user="wang") as p:  # a second open does not migrate again
        assert p.migration_backup is None


def test_read_only_open_of_an_old_project_asks_for_a_writable_open(v0_copy: Path) -> None:
    with pytest.raises(ProjectError, match="older project format"):
        Project.open(v0_copy, user="wang", read_only=True)


def test_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "broken.rdproj"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE something_else (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="not a riskdesk project"):
        Project.open(path, user="a")
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"something_else"}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.rdproj"]  # no backup, no lock
