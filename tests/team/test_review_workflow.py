"""The review workflow as a team lives it (issue 14): returned with a comment, revised,
resubmitted, approved by someone else; the audit trail of a mixed session verifies."""

from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa

from riskdesk.io.team import workflow

from .review_fixtures import (
    DECIDED,
    REASON,
    ROUND,
    TeamDb,
    audit_log,
    client_append,
    verify_by_hand,
)

COMMENT = '请补充 2024 年出口管制证据；"光刻胶"\n第二行\t制表 \\ 反斜杠 \x01'


def _review_steps(engine: sa.Engine, chain_id: str) -> list[tuple[str, str | None, str | None]]:
    log, _ = audit_log(engine)
    return [(e.who, e.field, e.new) for e in log if e.chain_id == chain_id
            and e.action == "review"]


def test_returned_with_a_comment_then_resubmitted_and_approved_by_another(
        team_db: TeamDb) -> None:
    alice, carol, dave = (team_db.engine(u) for u in ("alice", "carol", "dave"))
    workflow.submit(alice, ROUND, DECIDED)
    workflow.return_(carol, ROUND, DECIDED, COMMENT)

    state = workflow.status_of(alice, ROUND, DECIDED)
    assert (state.status, state.reviewer, state.comment) == ("returned", "carol", COMMENT)
    # returned: the assessor may revise again
    with alice.begin() as conn:
        conn.execute(sa.text("UPDATE judgements SET note = :n WHERE round = :r AND chain_id = :c "
                             "AND segment = ''"), {"n": "已补充海关数据", "r": ROUND, "c": DECIDED})
    workflow.submit(alice, ROUND, DECIDED)
    digest = workflow.approve(dave, ROUND, DECIDED)

    state = workflow.status_of(alice, ROUND, DECIDED)
    assert (state.status, state.assessor, state.approved_by) == ("approved", "alice", "dave")
    assert state.snapshot is not None
    assert hashlib.sha256(state.snapshot.encode("utf-8")).hexdigest() == digest
    assert state.snapshot_sha256 == digest
    frozen = json.loads(state.snapshot)
    # the snapshot is the effective result: the analyst's override and the revised note
    assert frozen["effective_type"] == "destroyed"
    assert frozen["decision"]["reason"] == REASON
    assert frozen["note"] == "已补充海关数据"
    assert frozen["engine"]["chain_id"] == DECIDED
    # what a report reads back: the approval as its status
    result = workflow.frozen_result(state)
    assert (result.status.value, result.status_by) == ("approved", "dave")

    assert _review_steps(alice, DECIDED) == [
        ("alice", "submit", '"submitted"'),
        ("carol", "return", json.dumps({"detail": COMMENT, "status": "returned"},
                                       ensure_ascii=False, sort_keys=True,
                                       separators=(",", ":"))),
        ("alice", "submit", '"submitted"'),
        ("dave", "approve", f'{{"detail":"{digest}","status":"approved"}}'),
    ]
    with alice.connect() as conn:
        status = conn.execute(sa.text("SELECT status, status_by FROM judgements WHERE "
                                      "chain_id = :c AND segment = ''"), {"c": DECIDED}).one()
    assert tuple(status) == ("approved", "dave")


def test_a_tampered_snapshot_is_refused_on_read(team_db: TeamDb) -> None:
    workflow.submit(team_db.engine("alice"), ROUND, DECIDED)
    workflow.approve(team_db.engine("dave"), ROUND, DECIDED)
    with team_db.engine().begin() as conn:  # the database owner edits behind the workflow
        conn.execute(sa.text("UPDATE review SET snapshot = replace(snapshot, 'destroyed', "
                             "'missing') WHERE chain_id = :c"), {"c": DECIDED})
    state = workflow.status_of(team_db.engine("rita"), ROUND, DECIDED)
    with pytest.raises(workflow.SnapshotMismatchError) as caught:
        workflow.frozen_result(state)
    assert "批准后被改动" in caught.value.message("zh")


def test_audit_chain_verifies_after_a_mixed_session_of_three_users(team_db: TeamDb) -> None:
    alice, carol, dave = (team_db.engine(u) for u in ("alice", "carol", "dave"))
    before, _ = audit_log(alice)
    assert before, "the pushed project brings its own audit trail"
    chains = ["AUTO-CHIP", "CRIT-MIN", DECIDED]
    for n, chain in enumerate(chains):
        # the assessor edits (a client-side audit entry) and submits (a server-side one)
        with alice.begin() as conn:
            conn.execute(sa.text("UPDATE judgements SET note = :n WHERE round = :r AND "
                                 "chain_id = :c AND segment = ''"),
                         {"n": f"第 {n} 次修改", "r": ROUND, "c": chain})
            client_append(conn, "alice", {"action": "set", "entity": "note", "round": ROUND,
                                          "chain_id": chain, "new": json.dumps(f"第 {n} 次修改")})
        workflow.submit(alice, ROUND, chain)
    workflow.return_(carol, ROUND, "CRIT-MIN", COMMENT)
    workflow.approve(dave, ROUND, "AUTO-CHIP")
    workflow.return_(dave, ROUND, DECIDED, "理由不充分 / reason too thin")
    with alice.begin() as conn:
        client_append(conn, "alice", {"action": "set", "entity": "note", "round": ROUND,
                                      "chain_id": "CRIT-MIN", "new": '"补充"'})
    workflow.submit(alice, ROUND, "CRIT-MIN")
    workflow.approve(dave, ROUND, "CRIT-MIN")

    log, head = audit_log(carol)
    added = log[len(before):]
    assert len(added) == 3 + 3 + 3 + 1 + 2  # edits, submits, return/approve/return, edit, 2 steps
    assert {e.who for e in added} == {"alice", "carol", "dave"}
    assert verify_by_hand(log, head) == []
    # and a changed entry is caught: the check can fail
    tampered = [e.model_copy(update={"who": "erin"}) if e.seq == added[-1].seq else e
                for e in log]
    assert verify_by_hand(tampered, head) == [f"{added[-1].seq} altered"]


def test_a_step_based_on_a_stale_review_is_refused(team_db: TeamDb) -> None:
    alice, carol = team_db.engine("alice"), team_db.engine("carol")
    seen = workflow.status_of(carol, ROUND, DECIDED).version  # carol opens the chain: draft, 0
    assert seen == 0
    assert workflow.submit(alice, ROUND, DECIDED, version=0) == 1
    with pytest.raises(workflow.StaleReviewError) as caught:
        workflow.return_(carol, ROUND, DECIDED, "看的是旧版本", version=seen)
    assert "alice" in caught.value.message("en")
    assert workflow.return_(carol, ROUND, DECIDED, "重新看过", version=1) == 2


def test_a_database_given_its_own_role_prefix_trusts_only_its_own_groups(
        team_db: TeamDb) -> None:
    """Group roles are server-wide; a department's database set up (here: again) with its own
    prefix trusts only its own groups, so riskdesk_approver members approve nothing in it."""
    from riskdesk.io.team import roles
    from riskdesk.io.team.users import add_user

    second = roles.Roles("dept2")
    with team_db.engine().begin() as conn:
        roles.install(conn, second)
        add_user(conn, "ivan", ["approver"], None, second)
    alice = team_db.engine("alice")  # riskdesk_assessor only
    with pytest.raises(workflow.ReviewRoleError):
        workflow.submit(alice, ROUND, DECIDED)
    with team_db.engine().begin() as conn:
        add_user(conn, "alice", ["assessor"], None, second)
    workflow.submit(alice, ROUND, DECIDED)
    with pytest.raises(workflow.ReviewRoleError) as caught:
        workflow.approve(team_db.engine("dave"), ROUND, DECIDED)  # riskdesk_approver
    assert caught.value.message("en") == (
        "you may not connect to this team database (you hold none of its riskdesk roles), "
        "so you cannot approve")
    workflow.approve(team_db.engine("ivan"), ROUND, DECIDED)
    assert workflow.status_of(alice, ROUND, DECIDED).approved_by == "ivan"
