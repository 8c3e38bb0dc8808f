"""The server enforces the roles (issue 14): each test connects as a real LOGIN role and tries
what a client holding that role's credentials could send — the riskdesk API and raw SQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from riskdesk.io.team import workflow
from riskdesk.io.team.workflow import ChainFrozenError, ReviewRoleError, SelfApprovalError

from .review_fixtures import DECIDED, ROUND, TeamDb

CHAIN = "AUTO-CHIP"


def _refused(engine: sa.Engine, sql: str, params: dict[str, object] | None = None) -> str:
    """Run one statement in its own transaction; the SQLSTATE it was refused with."""
    with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
        conn.execute(sa.text(sql), params or {})
    return str(getattr(caught.value.orig, "sqlstate", ""))


def _edit_as_the_client_would(engine: sa.Engine, sql: str, params: dict[str, object]) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    except sa.exc.DBAPIError as exc:
        raise workflow.translate(exc, engine, "edit") from None


def test_assessor_cannot_approve_through_the_api_or_raw_sql(team_db: TeamDb) -> None:
    alice = team_db.engine("alice")
    workflow.submit(alice, ROUND, CHAIN)

    with pytest.raises(ReviewRoleError) as caught:
        workflow.approve(alice, ROUND, CHAIN)
    assert caught.value.message("zh") == "你的角色（评估员）不能批准"
    assert caught.value.message("en") == "your role (assessor) cannot approve"

    snapshot = '{"engine":{"chain_id":"AUTO-CHIP"}}'
    assert _refused(alice, "SELECT review_approve(:r, :c, :s)",
                    {"r": ROUND, "c": CHAIN, "s": snapshot}) == "42501"
    assert _refused(alice, "UPDATE review SET status = 'approved', approved_by = 'dave', "
                           "snapshot_sha256 = repeat('a', 64) WHERE chain_id = :c",
                    {"c": CHAIN}) == "42501"
    assert _refused(alice, "INSERT INTO review(round, chain_id, status, snapshot_sha256) "
                           "VALUES (:r, 'CRIT-MIN', 'approved', repeat('a', 64))",
                    {"r": ROUND}) == "42501"
    # the judgement's status word is the workflow's too, and so are review steps in the audit
    assert _refused(alice, "UPDATE judgements SET status = 'approved' WHERE chain_id = :c",
                    {"c": DECIDED}) == "42501"
    assert _refused(alice, "INSERT INTO audit(seq, at, who, action, entity, chain_id, "
                           "prev_hash, hash) VALUES (999, 'now', 'dave', 'review', 'status', "
                           ":c, 'x', 'y')", {"c": CHAIN}) == "42501"
    # the internal helpers are not callable either
    assert _refused(alice, "SELECT rd_set_status(:r, :c, 'approved')",
                    {"r": ROUND, "c": CHAIN}) == "42501"

    # and the function checks the role itself, should someone grant EXECUTE by mistake
    with team_db.engine().begin() as conn:
        conn.execute(sa.text("GRANT EXECUTE ON FUNCTION review_approve(text, text, text, "
                             "integer) TO alice"))
    with pytest.raises(ReviewRoleError) as again:
        workflow.approve(alice, ROUND, CHAIN)
    assert again.value.message("en") == "your role (assessor) cannot approve"

    assert workflow.status_of(alice, ROUND, CHAIN).status == "submitted"
    with team_db.engine().connect() as conn:
        status = conn.execute(sa.text("SELECT status FROM judgements WHERE chain_id = :c "
                                      "AND segment = ''"), {"c": DECIDED}).scalar_one()
    assert status == "draft"


def test_reader_cannot_write_any_table_or_take_any_step(team_db: TeamDb) -> None:
    rita = team_db.engine("rita")
    with rita.connect() as conn:
        tables = [str(r[0]) for r in conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        # reading is allowed, everywhere
        for table in tables:
            conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()
    assert {"chains", "indicator_values", "judgements", "review", "audit", "meta"} <= set(tables)
    for table in tables:
        t = f'"{table}"'
        assert _refused(rita, f"INSERT INTO {t} SELECT * FROM {t} WHERE false") == "42501", table
        with rita.connect() as conn:
            column = conn.execute(sa.text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                "ORDER BY ordinal_position LIMIT 1"), {"t": table}).scalar_one()
        assert _refused(rita, f'UPDATE {t} SET "{column}" = "{column}"') == "42501", table
        assert _refused(rita, f"DELETE FROM {t}") == "42501", table
        assert _refused(rita, f"TRUNCATE {t}") == "42501", table
    for sql in ("SELECT review_submit(:r, :c)", "SELECT review_return(:r, :c, 'x')",
                "SELECT review_approve(:r, :c, '{}')", "SELECT review_reopen(:r, :c, 'x')"):
        assert _refused(rita, sql, {"r": ROUND, "c": CHAIN}) == "42501", sql
    with pytest.raises(ReviewRoleError) as caught:
        workflow.submit(rita, ROUND, CHAIN)
    assert caught.value.message("zh") == "你的角色（查阅员）不能提交"


def test_nobody_approves_their_own_submission(team_db: TeamDb) -> None:
    frank = team_db.engine("frank")  # assessor and approver
    workflow.submit(frank, ROUND, CHAIN)
    with pytest.raises(SelfApprovalError) as caught:
        workflow.approve(frank, ROUND, CHAIN)
    assert "不能批准自己提交的评估" in caught.value.message("zh")
    # not by raw SQL either
    assert _refused(frank, "SELECT review_approve(:r, :c, :s)",
                    {"r": ROUND, "c": CHAIN, "s": '{"engine":{"chain_id":"AUTO-CHIP"}}'}) == "RD002"
    assert workflow.status_of(frank, ROUND, CHAIN).status == "submitted"
    # another approver may
    digest = workflow.approve(team_db.engine("dave"), ROUND, CHAIN)
    state = workflow.status_of(frank, ROUND, CHAIN)
    assert (state.status, state.assessor, state.approved_by) == ("approved", "frank", "dave")
    assert state.snapshot_sha256 == digest


def test_an_approved_chain_cannot_be_edited_until_an_admin_reopens_it(team_db: TeamDb) -> None:
    alice, adam = team_db.engine("alice"), team_db.engine("adam")
    edit_value = ("UPDATE indicator_values SET value = 0.5 WHERE round = :r AND chain_id = :c "
                  "AND indicator = (SELECT min(indicator) FROM indicator_values "
                  "WHERE chain_id = :c)")
    key = {"r": ROUND, "c": CHAIN}
    with alice.begin() as conn:  # a draft is editable
        assert conn.execute(sa.text(edit_value), key).rowcount == 1
    workflow.submit(alice, ROUND, CHAIN)
    workflow.approve(team_db.engine("dave"), ROUND, CHAIN)

    for engine in (alice, adam):  # frozen even for an admin: reopening is the way, and audited
        assert _refused(engine, edit_value, key) == "RD001"
        assert _refused(engine, "INSERT INTO indicator_values(round, chain_id, indicator, "
                                "provenance) VALUES (:r, :c, 'new_indicator', '{}')",
                        key) == "RD001"
        assert _refused(engine, "INSERT INTO judgements(round, chain_id, note) "
                                "VALUES (:r, :c, 'late note')", key) == "RD001"
        assert _refused(engine, "DELETE FROM chains WHERE round = :r AND chain_id = :c",
                        key) == "RD001"
    with pytest.raises(ChainFrozenError) as caught:
        _edit_as_the_client_would(alice, edit_value, key)
    assert caught.value.message("en") == (
        f"chain {CHAIN} is approved and cannot be edited until it is returned or reopened")
    # other chains stay editable
    with alice.begin() as conn:
        assert conn.execute(sa.text(edit_value), {"r": ROUND, "c": "CRIT-MIN"}).rowcount == 1

    with pytest.raises(ReviewRoleError):
        workflow.reopen(alice, ROUND, CHAIN, "new trade data")
    workflow.reopen(adam, ROUND, CHAIN, "2024 贸易数据更正")
    state = workflow.status_of(adam, ROUND, CHAIN)
    assert (state.status, state.snapshot_sha256, state.approved_by) == ("draft", None, None)
    with alice.begin() as conn:
        assert conn.execute(sa.text(edit_value), key).rowcount == 1


def test_the_projects_edit_path_tells_refusals_in_sentences(team_db: TeamDb) -> None:
    """What the GUI and `riskdesk decide --db` meet: Project edits on a team database."""
    from riskdesk.io.project import Project

    workflow.submit(team_db.engine("alice"), ROUND, CHAIN)
    workflow.approve(team_db.engine("dave"), ROUND, CHAIN)
    with (Project.connect(team_db.url("rita"), create=False) as reader,
          pytest.raises(ReviewRoleError) as role):
        reader.set_note(ROUND, "CRIT-MIN", "读者的意见")
    assert role.value.message("zh") == "你的角色（查阅员）不能修改数据"
    with Project.connect(team_db.url("alice"), create=False) as assessor:
        with pytest.raises(ChainFrozenError) as frozen:
            assessor.set_note(ROUND, CHAIN, "批准后修改")
        assessor.set_note(ROUND, "CRIT-MIN", "草稿可以修改")  # a draft chain is editable
        with pytest.raises(ReviewRoleError) as status:
            assessor.set_status(ROUND, "CRIT-MIN", "approved")
    assert frozen.value.message("zh") == (
        f"链条 {CHAIN} 已批准，在退回或重新打开之前不能修改")
    assert status.value.message("en") == "your role (assessor) cannot change the review status"
