"""Concurrent editing of a team database: stale edits refused cleanly, no update lost, chains
held while edited, a killed client loses nothing committed, other clients told of changes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from riskdesk.core.commands import ChainRef
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.io.project import Project
from riskdesk.io.team.concurrency import StaleEditError
from riskdesk.io.team.store import TeamStore
from tests.pgserver import PgServer
from tests.project.builders import ROUND, make_inventory

ROOT = Path(__file__).resolve().parents[2]
REF = ChainRef(round=ROUND, chain_id="C0")


@pytest.fixture
def taxonomy() -> Taxonomy:
    return default_taxonomy()


@pytest.fixture
def team(pg_database: str, taxonomy: Taxonomy) -> str:
    with Project.connect(pg_database, user="admin") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    return pg_database


def test_two_clients_editing_one_value_one_clean_refusal_and_no_lost_update(
    team: str, taxonomy: Taxonomy
) -> None:
    ind = taxonomy.indicator_ids[0]
    with Project.connect(team, user="张三") as zhang, Project.connect(team, user="李四") as li:
        assert zhang.get_value(REF, ind) == li.get_value(REF, ind)  # both show the same value
        li.set_value(ROUND, "C0", ind, 0.5)
        with pytest.raises(StaleEditError) as refused:
            zhang.set_value(ROUND, "C0", ind, 0.7)
        en, zh = refused.value.message("en"), refused.value.message("zh")
        assert "changed by 李四 at" in en and "reload" in en
        assert "李四" in zh and "重新载入" in zh
        stored = zhang.get_value(REF, ind)  # the reload: 张三 now sees 李四's value
        assert stored is not None and stored.value == 0.5
        sets = [e for e in zhang.history("C0") if e.entity == "value" and e.action == "set"]
        assert [(e.who, e.new is not None and '"value":0.5' in e.new) for e in sets] == [
            ("李四", True)]  # the refused edit left no trace
        zhang.set_value(ROUND, "C0", ind, 0.7)  # after the reload the edit goes through
        assert li.get_value(REF, ind) is not None
        assert zhang.verify().ok


def test_a_stale_judgement_and_profile_are_refused_too(team: str) -> None:
    with Project.connect(team, user="张三") as zhang, Project.connect(team, user="李四") as li:
        zhang.judgement(ROUND, "C1")
        li.judgement(ROUND, "C1")
        li.set_note(ROUND, "C1", "李四的意见")
        with pytest.raises(StaleEditError):
            zhang.set_note(ROUND, "C1", "张三的意见")
        assert li.judgement(ROUND, "C1").note == "李四的意见"
        zhang.get_profile(ChainRef(round=ROUND, chain_id="C2"), "owner")
        li.put_profile(ChainRef(round=ROUND, chain_id="C2"), "owner", "二处")
        with pytest.raises(StaleEditError, match="李四"):
            zhang.put_profile(ChainRef(round=ROUND, chain_id="C2"), "owner", "一处")
        assert zhang.get_profile(ChainRef(round=ROUND, chain_id="C2"), "owner") == "二处"


def test_undo_does_not_take_back_a_colleagues_later_edit(team: str, taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[1]
    with Project.connect(team, user="张三") as zhang, Project.connect(team, user="李四") as li:
        zhang.set_value(ROUND, "C0", ind, 0.3)
        li.get_value(REF, ind)
        li.set_value(ROUND, "C0", ind, 0.6)
        assert li.undo_label("en") is not None and zhang.undo_label("en") is not None
        with pytest.raises(StaleEditError, match="李四"):
            zhang.undo()
        value = li.get_value(REF, ind)
        assert value is not None and value.value == 0.6


def _worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.team.workers", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_incrementing_one_value_lose_no_update(team: str,
                                                             taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[2]
    with Project.connect(team, user="admin") as p:
        p.set_value(ROUND, "C0", ind, 0.0)
    n = 15
    workers = [_worker("increment", team, user, str(n), "C0", ind) for user in ("张三", "李四")]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    with Project.connect(team, user="auditor") as p:
        value = p.get_value(REF, ind)
        assert value is not None and value.value == 2 * n  # every increment counted once
        sets = [e for e in p.history("C0") if e.entity == "value" and e.field == ind]
        assert len(sets) == 2 * n + 1
        assert p.verify().ok


def test_a_client_killed_mid_transaction_loses_nothing_committed(team: str,
                                                                 taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[3]
    worker = _worker("die-mid-edit", team, "张三", "C0", ind)
    assert worker.stdout is not None
    lines = [worker.stdout.readline().strip(), worker.stdout.readline().strip()]
    assert lines == ["committed", "writing"], worker.stderr.read() if worker.stderr else ""
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    with Project.connect(team, user="李四") as p:
        value = p.get_value(REF, ind)
        assert value is not None and value.value == 41.0  # the committed edit is there
        assert p.judgement(ROUND, "C0").note is None  # the open transaction left nothing
        p.set_note(ROUND, "C0", "after the crash")  # the write lock was released
        assert p.verify().ok
        assert [e.who for e in p.history("C0")][-2:] == ["张三", "李四"]


def test_holds_show_who_edits_a_chain_and_expire(team: str, pg_server: PgServer) -> None:
    zhang, li = TeamStore.open(team, user="张三"), TeamStore.open(team, user="李四")
    try:
        assert zhang.hold_chain(ROUND, "C0").held_by == "张三"
        theirs = li.hold_chain(ROUND, "C0")
        assert theirs.held_by == "张三"  # 李四 is told, the hold is not taken
        assert "being edited by 张三" in theirs.describe("en")
        assert "正由 张三 编辑" in theirs.describe("zh")
        assert set(li.holders(ROUND)) == {"C0"}
        zhang.release_chain(ROUND, "C0")
        assert li.holders(ROUND) == {}
        li.hold_chain(ROUND, "C1", seconds=0.2)
        time.sleep(0.3)
        assert zhang.holders(ROUND) == {}  # expired by itself
        assert zhang.hold_chain(ROUND, "C1").held_by == "张三"
        # the name in the audit trail was given; the server's role is the login
        assert zhang.user == "张三" and zhang.current_user() == pg_server.superuser
    finally:
        zhang.close()
        li.close()


def test_other_clients_are_notified_of_the_chains_that_changed(pg_server: object, team: str,
                                                               taxonomy: Taxonomy) -> None:
    dsn = team.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as listener:
        listener.execute("LISTEN riskdesk_changes")
        with Project.connect(team, user="李四") as p:
            p.set_value(ROUND, "C2", taxonomy.indicator_ids[0], 0.25)
            p.store.hold_chain(ROUND, "C1")  # a hold is no change of content: no notice
            writers = set(p.store.own_backends)
        notes = list(listener.notifies(timeout=3))
    assert [n.payload for n in notes] == ["C2"]
    assert {n.pid for n in notes} <= writers  # what lets a client skip its own commits


def test_a_foreign_or_newer_database_is_refused(pg_database: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(pg_database)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id int)"))
    from riskdesk.io.project import ProjectError

    with pytest.raises(ProjectError, match="not a riskdesk team database"):
        Project.connect(pg_database, user="a")
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE invoices"))
    Project.connect(pg_database, user="a").close()
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    with pytest.raises(ProjectError) as newer:
        Project.connect(pg_database, user="a")
    assert "newer riskdesk" in newer.value.message("en")
    assert "更新版本" in newer.value.message("zh")
    engine.dispose()


def test_two_first_clients_of_an_empty_database_create_it_once(pg_database: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        projects = list(pool.map(lambda user: Project.connect(pg_database, user=user),
                                 ["张三", "李四", "王五"]))
    try:
        created = [e for e in projects[0].history() if e.action == "create"]
        assert len(created) == 1
        assert projects[1].verify().ok
    finally:
        for p in projects:
            p.close()


def test_a_session_refused_a_stale_edit_shows_the_colleagues_value(
    team: str, taxonomy: Taxonomy
) -> None:
    from riskdesk.core.commands import SetValue
    from riskdesk.core.models import IndicatorValue, Provenance
    from riskdesk.session import Session

    ind = taxonomy.indicator_ids[4]
    session = Session.connect(team, user="张三", round=ROUND)
    try:
        with Project.connect(team, user="李四") as li:
            li.set_value(ROUND, "C1", ind, 0.8)
        mine = IndicatorValue(indicator=ind, value=0.3,
                              provenance=Provenance(kind="expert", expert="张三"))
        edit = SetValue(ref=ChainRef(round=ROUND, chain_id="C1"), indicator=ind, new=mine)
        with pytest.raises(StaleEditError, match="李四"):
            session.apply(edit)
        row = session.inventory.row_of("C1")
        assert session.inventory.frame.at[row, ind] == 0.8  # reloaded: the colleague's value
        session.apply(SetValue(ref=ChainRef(round=ROUND, chain_id="C1"), indicator=ind,
                               new=mine))  # now based on what is shown: accepted
        assert session.inventory.frame.at[row, ind] == 0.3
    finally:
        session.close()


def test_a_session_refreshes_only_the_chains_a_colleague_changed(
    team: str, taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskdesk.core.inventory import Inventory
    from riskdesk.core.models import Chain
    from riskdesk.session import Session

    ind = taxonomy.indicator_ids[0]
    session = Session.connect(team, user="张三", round=ROUND)
    full_reads: list[int] = []
    reload = session._reload
    monkeypatch.setattr(session, "_reload", lambda: (full_reads.append(1), reload())[1])
    try:
        with Project.connect(team, user="李四") as li:
            li.set_value(ROUND, "C1", ind, 0.66)
            li.set_note(ROUND, "C1", "李四的意见")
            li.set_value(ROUND, "C2", ind, 0.11)  # not named below: stays as it was shown
        shown_c2 = session.inventory.frame.at[session.inventory.row_of("C2"), ind]
        session.refresh(frozenset({"C1"}))
        assert full_reads == []
        assert session.inventory.frame.at[session.inventory.row_of("C1"), ind] == 0.66
        assert session.judgement(("C1", None)).note == "李四的意见"
        assert session.inventory.frame.at[session.inventory.row_of("C2"), ind] == shown_c2
        with Project.connect(team, user="李四") as li:  # a new chain: the round changed shape
            li.import_inventory(Inventory.from_records(taxonomy, [Chain(chain_id="C9", chain_name="新链")]),
                                ROUND, taxonomy)
        session.refresh(frozenset({"C9"}))
        assert full_reads == [1]
        assert session.inventory.row_of("C9") >= 0  # KeyError if the session lacks it
    finally:
        session.close()
