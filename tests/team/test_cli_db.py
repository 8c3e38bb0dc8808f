"""The team database from the command line, as a user runs it: --db on assess, decide, export,
history and diff; `db push` / `db pull` with the audit trail verifiable on both sides; usage
errors and passwords kept out of every message."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk.core.models import Outcome
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project import Project
from tests.pgserver import PgServer
from tests.project.builders import ROUND, make_inventory, make_result, make_run

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo" / "demo_inventory.xlsx"


def riskdesk(*args: str, env_extra: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RISKDESK_USER": "王五", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "riskdesk", *args], check=False, cwd=ROOT,
                          env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def taxonomy() -> Taxonomy:
    return default_taxonomy()


@pytest.fixture
def rdproj(tmp_path: Path, taxonomy: Taxonomy) -> Path:
    path = tmp_path / "offline.rdproj"
    with Project.create(path, user="li") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
        p.set_value(ROUND, "C1", taxonomy.indicator_ids[0], 0.42)
        p.override(ROUND, "C2", Outcome.DESTROYED, reason="出口管制")
        p.save_run(make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.6)]), ROUND, taxonomy)
    return path


def test_push_then_pull_carries_the_audit_trail_verifiably(
    rdproj: Path, pg_database: str, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    with Project.open(rdproj, read_only=True) as p:
        file_log = [(e.seq, e.hash) for e in p.history()]
    pushed = riskdesk("db", "push", str(rdproj), "--db", pg_database, "--lang", "en")
    assert pushed.returncode == 0, pushed.stderr
    assert "3 chain rows" in pushed.stdout
    team = riskdesk("history", "--db", pg_database, "--verify", "--lang", "en")
    assert team.returncode == 0, team.stderr
    assert f"all {len(file_log) + 1} entries verify" in team.stdout
    with Project.connect(pg_database, user="张三") as p:
        assert [(e.seq, e.hash) for e in p.history()][: len(file_log)] == file_log
        assert p.history()[len(file_log)].action == "push"
        value = p.get_value(make_ref("C1"), taxonomy.indicator_ids[0])
        assert value is not None and value.value == 0.42
        p.set_note(ROUND, "C1", "团队意见")  # the team goes on working after the push
    with Project.connect(pg_database, user="li") as p:
        assert not p.can_undo  # li's undo history stayed with the file
        assert p.latest_run(ROUND) is not None
    out = tmp_path / "pulled.rdproj"
    pulled = riskdesk("db", "pull", "--db", pg_database, str(out), "--lang", "en")
    assert pulled.returncode == 0, pulled.stderr
    offline = riskdesk("history", str(out), "--verify", "--lang", "en")
    assert offline.returncode == 0 and "audit trail intact" in offline.stdout
    with Project.open(out, user="li") as p:
        assert p.judgement(ROUND, "C1").note == "团队意见"
        assert p.judgement(ROUND, "C2").override is not None
        assert [e.action for e in p.history()][-3:] == ["push", "set", "pull"]
        p.set_note(ROUND, "C0", "offline edit")  # a pulled file is an ordinary project
    subset = tmp_path / "c1.rdproj"
    part = riskdesk("db", "pull", "--db", pg_database, str(subset), "--chain", "C1")
    assert part.returncode == 0, part.stderr
    conn = sqlite3.connect(subset)
    assert [r[0] for r in conn.execute("SELECT DISTINCT chain_id FROM chains")] == ["C1"]
    assert conn.execute("SELECT count(*) FROM indicator_values WHERE chain_id != 'C1'"
                        ).fetchone()[0] == 0
    conn.close()
    assert riskdesk("history", str(subset), "--verify").returncode == 0


def make_ref(chain: str):  # type: ignore[no-untyped-def]
    from riskdesk.core.commands import ChainRef

    return ChainRef(round=ROUND, chain_id=chain)


def test_push_is_refused_into_a_team_database_that_has_a_portfolio(
    rdproj: Path, pg_database: str
) -> None:
    Project.connect(pg_database, user="admin").close()
    again = riskdesk("db", "push", str(rdproj), "--db", pg_database, "--lang", "en")
    assert again.returncode == 1
    assert "already holds a portfolio" in again.stderr


def test_a_tampered_project_is_not_pushed(rdproj: Path, pg_database: str) -> None:
    conn = sqlite3.connect(rdproj)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET who = 'mallory' WHERE seq = 2")
    conn.commit()
    conn.close()
    refused = riskdesk("db", "push", str(rdproj), "--db", pg_database, "--lang", "zh")
    assert refused.returncode == 1
    assert "审计记录校验未通过" in refused.stderr
    with Project.connect(pg_database, user="admin") as p:
        assert p.round_names() == []


def test_assess_decide_export_and_diff_against_the_team_database(
    pg_database: str, pg_server: PgServer, tmp_path: Path
) -> None:
    stored = riskdesk("assess", str(DEMO), "--db", pg_database, "--round", "2025",
                      "--no-robustness", "--lang", "en")
    assert stored.returncode == 0, stored.stderr
    with Project.connect(pg_database, user="reader") as p:
        chains = [c.chain_id for c in p.store.chains("2025")]
        assert p.runs("2025")
    decided = riskdesk("decide", "--db", pg_database, chains[0], "--type", "monitor",
                       "--reason", "团队复核后改判", "--lang", "en")
    assert decided.returncode == 0, decided.stderr
    out = tmp_path / "run.json"
    exported = riskdesk("export", "--db", pg_database, "--json", str(out), "--lang", "en")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    first = next(c for c in data["chains"] if c["chain_id"] == chains[0])
    assert "团队复核后改判" in json.dumps(first, ensure_ascii=False)
    history = riskdesk("history", "--db", pg_database, "--chain", chains[0], "--lang", "en")
    # the audit trail names the database login the server authenticated, not RISKDESK_USER
    assert history.returncode == 0 and pg_server.superuser in history.stdout
    assert "王五" not in history.stdout
    diff = riskdesk("diff", "--db", pg_database, "--from", "2025", "--to", "2025")
    assert diff.returncode == 0, diff.stderr


def test_place_usage_errors_and_passwords_never_shown(rdproj: Path, pg_server: object) -> None:
    neither = riskdesk("history", "--lang", "en")
    assert neither.returncode == 2 and "P.rdproj or --db" in neither.stderr
    both = riskdesk("history", str(rdproj), "--db", "service=riskdesk", "--lang", "en")
    assert both.returncode == 2 and "not both" in both.stderr
    secret = "postgresql://analyst:s3cret-pw@127.0.0.1:1/riskdesk"
    failed = riskdesk("history", "--db", secret, "--lang", "en")
    assert failed.returncode == 1
    assert "cannot connect to the team database" in failed.stderr
    assert "s3cret-pw" not in failed.stderr + failed.stdout


def test_a_libpq_service_names_the_database_and_no_url_is_needed(
    rdproj: Path, pg_database: str, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_database)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[riskdesk-team]\nhost={url.host}\nport={url.port}\n"
                        f"dbname={url.database}\nuser={url.username}\n", encoding="utf-8")
    env = {"PGSERVICEFILE": str(services)}
    pushed = riskdesk("db", "push", str(rdproj), "--db", "riskdesk-team", "--lang", "en",
                      env_extra=env)
    assert pushed.returncode == 0, pushed.stderr
    checked = riskdesk("history", "--db", "service=riskdesk-team", "--verify", "--lang", "en",
                       env_extra=env)
    assert checked.returncode == 0 and "audit trail intact" in checked.stdout, checked.stderr
    missing = riskdesk("history", "--db", "no-such-service", "--lang", "en", env_extra=env)
    assert missing.returncode == 1 and "cannot connect" in missing.stderr
