"""Finding 4 and 8: a project file is data, not code; read-only projects can be read."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from hostile import one_sentence, run_cli, tmpfs, write_csv

from riskdesk.io.project import Project, ProjectError

V0 = Path(__file__).parents[1] / "project" / "fixtures" / "v0_project.rdproj"


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, Path]:
    inv = write_csv(tmp_path / "inv.csv")
    project = tmp_path / "p.rdproj"
    proc = run_cli(["assess", inv, "--project", project, "--no-robustness", "--round", "2025"])
    assert proc.returncode == 0, proc.stderr
    return inv, project


def _values(project: Path) -> list[tuple[str, float]]:
    conn = sqlite3.connect(project)
    try:
        return conn.execute(
            "SELECT chain_id, value FROM indicator_values WHERE indicator = 'import_dependence' "
            "ORDER BY round, chain_id"
        ).fetchall()
    finally:
        conn.close()


def test_a_planted_trigger_is_refused_before_it_can_fire(stored: tuple[Path, Path]) -> None:
    inv, project = stored
    conn = sqlite3.connect(project)
    conn.execute(
        "CREATE TRIGGER rewrite AFTER INSERT ON indicator_values BEGIN "
        "UPDATE indicator_values SET value = 0.01 WHERE indicator = 'import_dependence'; END"
    )
    conn.commit()
    conn.close()
    before = _values(project)
    proc = run_cli(["assess", inv, "--project", project, "--no-robustness", "--round", "2026",
                    "--lang", "en"])  # fmt: skip
    assert proc.returncode == 1
    line = one_sentence(proc)
    assert "altered outside riskdesk" in line and "unknown trigger 'rewrite'" in line
    assert _values(project) == before
    proc = run_cli(["history", project, "--verify", "--lang", "en"])
    assert proc.returncode == 1 and "unknown trigger" in one_sentence(proc)
    with pytest.raises(ProjectError, match="altered outside riskdesk"):
        Project.open(project, user="x", read_only=True)


def test_a_recursive_view_in_place_of_the_audit_table_does_not_hang(
    stored: tuple[Path, Path],
) -> None:
    _, project = stored
    conn = sqlite3.connect(project)
    conn.executescript(
        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TABLE audit;"
        "CREATE VIEW audit AS WITH RECURSIVE r(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 "
        "FROM r) SELECT seq, '' AS at, '' AS who, '' AS action, '' AS entity, NULL AS round, "
        "NULL AS chain_id, NULL AS segment, NULL AS field, NULL AS old, NULL AS new, "
        "'' AS prev_hash, '' AS hash FROM r;"
    )
    conn.close()
    start = time.monotonic()
    proc = run_cli(["history", project, "--lang", "en"], timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert "'audit' is a view where a table belongs" in one_sentence(proc)


def test_a_crafted_column_name_in_an_old_project_is_never_pasted_into_sql(
    tmp_path: Path,
) -> None:
    project = tmp_path / "old.rdproj"
    shutil.copyfile(V0, project)
    conn = sqlite3.connect(project)
    conn.execute('ALTER TABLE chains ADD COLUMN "(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL '
                 'SELECT n + 1 FROM r) SELECT max(n) FROM r)"')  # fmt: skip
    conn.commit()
    conn.close()
    before = project.read_bytes()
    inv = write_csv(tmp_path / "inv.csv")
    start = time.monotonic()
    proc = run_cli(["assess", inv, "--project", project, "--no-robustness", "--lang", "en"],
                   timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert "unexpected columns" in one_sentence(proc)
    assert project.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.csv", "old.rdproj"]  # no backup


def test_another_applications_database_is_not_an_older_project(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    for args in (["history", other], ["export", other, "--pdf", tmp_path / "x.pdf"]):
        proc = run_cli([*args, "--lang", "en"])
        assert proc.returncode == 1
        line = one_sentence(proc)
        assert "is not a riskdesk project" in line and "older" not in line
    text = tmp_path / "notes.rdproj"
    text.write_text("hello, this is not a database\n" * 100, encoding="utf-8")
    proc = run_cli(["history", text, "--lang", "en"])
    assert proc.returncode == 1 and "is not a riskdesk project" in one_sentence(proc)


def test_a_tampered_record_is_a_sentence_not_a_validation_error(
    stored: tuple[Path, Path], tmp_path: Path
) -> None:
    _, project = stored
    conn = sqlite3.connect(project)
    conn.execute("""UPDATE chains SET profile = '{"chain_id": 5, "strategic_value": "x"}'""")
    conn.commit()
    conn.close()
    proc = run_cli(["export", project, "--xlsx", tmp_path / "r.xlsx", "--lang", "en"])
    assert proc.returncode == 1
    line = one_sentence(proc)
    assert "p.rdproj" in line and "ValidationError" not in line


def _fill(folder: Path, source: Path) -> None:
    shutil.copyfile(source, folder / "p.rdproj")
    (folder / "p.rdproj").chmod(0o444)


def test_a_project_on_a_read_only_disk_can_be_read(stored: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    _, project = stored
    with tmpfs("8m", read_only_after=lambda d: _fill(d, project)) as folder:
        ro = folder / "p.rdproj"
        proc = run_cli(["history", ro, "--lang", "en"])
        assert proc.returncode == 0, proc.stderr
        assert "import" in proc.stdout
        proc = run_cli(["export", ro, "--xlsx", tmp_path / "r.xlsx", "--lang", "en"])
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / "r.xlsx").stat().st_size > 0
        proc = run_cli(["assess", write_csv(tmp_path / "i.csv"), "--project", ro, "--lang", "en"])
        assert proc.returncode == 1
        assert "p.rdproj" in one_sentence(proc)


def test_a_mode_444_project_file_is_read(stored: tuple[Path, Path], tmp_path: Path) -> None:
    _, project = stored
    project.chmod(0o444)
    proc = run_cli(["history", project, "--lang", "en"])
    assert proc.returncode == 0, proc.stderr
    proc = run_cli(["export", project, "--pdf", tmp_path / "r.pdf", "--lang", "en"])
    assert proc.returncode == 0, proc.stderr


def test_an_old_project_with_a_planted_trigger_is_refused_before_the_backup(
    tmp_path: Path,
) -> None:
    project = tmp_path / "old.rdproj"
    shutil.copyfile(V0, project)
    conn = sqlite3.connect(project)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON chains BEGIN DELETE FROM notes; END")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="unknown trigger 't'"):
        Project.open(project, user="x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.rdproj"]


def test_a_read_only_copy_with_a_pending_log_says_so(stored: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    _, project = stored
    writer = sqlite3.connect(project, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO meta(key, value) VALUES ('pending', 'yes')")
    wal = project.with_name(project.name + "-wal")
    assert wal.stat().st_size > 0

    def fill(folder: Path) -> None:
        shutil.copyfile(project, folder / "p.rdproj")
        shutil.copyfile(wal, folder / "p.rdproj-wal")

    try:
        with tmpfs("8m", read_only_after=fill) as folder:
            proc = run_cli(["history", folder / "p.rdproj", "--lang", "en"])
            assert proc.returncode == 1
            assert "was not closed cleanly and its folder is read-only" in one_sentence(proc)
    finally:
        writer.close()
