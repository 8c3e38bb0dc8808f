"""The Review menu on a team database (issue 14): an assessor submits from the window, the server
refuses the assessor's approval with a sentence, a reviewer returns it with a comment, an
approver approves it — each step read back from the server, not from the window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from riskdesk.gui import review as review_gui
from riskdesk.gui.app import Session, start_session
from riskdesk.io.team import workflow
from tests.gui.conftest import settle_ops
from tests.team.review_fixtures import ROUND, TeamDb, demo_project, team_db  # noqa: F401

CHAIN = "AUTO-CHIP"


@pytest.fixture
def windows(qtbot: object, team_db: TeamDb) -> Iterator[dict[str, Session]]:  # noqa: F811
    opened: dict[str, Session] = {}

    def open_as(user: str) -> Session:
        s = start_session("en", db=team_db.url(user))
        qtbot.addWidget(s.window)  # type: ignore[attr-defined]
        s.window.show()
        settle_ops(qtbot)
        opened[user] = s
        return s

    yield open_as  # type: ignore[misc]
    for s in opened.values():
        s.window.force_close = True
        s.window.close()
    settle_ops(qtbot)


def _take(qtbot: object, s: Session, action: str) -> str:
    review = s.window.review
    with qtbot.waitSignal(review.answered, timeout=20_000) as said:  # type: ignore[attr-defined]
        getattr(review, action).trigger()
    settle_ops(qtbot)
    return str(said.args[0])


def test_the_review_menu_takes_each_step_the_server_allows(
    qtbot: object,
    windows: object,
    team_db: TeamDb,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = windows("alice")  # type: ignore[operator]
    review = alice.window.review
    assert not review.act_submit.isEnabled()  # no chain selected yet
    alice.workspace.select((CHAIN, None))
    settle_ops(qtbot)
    assert review.act_submit.isEnabled()
    assert "submitted for review" in _take(qtbot, alice, "act_submit")
    assert workflow.status_of(team_db.engine(), ROUND, CHAIN).status == "submitted"
    # an assessor's client offers Approve, but the server refuses it
    assert _take(qtbot, alice, "act_approve") == "your role (assessor) cannot approve"
    assert workflow.status_of(team_db.engine(), ROUND, CHAIN).status == "submitted"

    carol = windows("carol")  # type: ignore[operator]
    carol.workspace.select((CHAIN, None))
    settle_ops(qtbot)  # selecting names the state (submitted) first
    monkeypatch.setattr(review_gui, "ask_comment", lambda *_: "供应商份额缺少来源")
    said = _take(qtbot, carol, "act_return")
    assert "returned to its assessor" in said and "供应商份额缺少来源" in said
    state = workflow.status_of(team_db.engine(), ROUND, CHAIN)
    assert (state.status, state.comment) == ("returned", "供应商份额缺少来源")

    _take(qtbot, alice, "act_submit")
    dave = windows("dave")  # type: ignore[operator]
    dave.workspace.select((CHAIN, None))
    settle_ops(qtbot)
    assert "approved by dave" in _take(qtbot, dave, "act_approve")
    state = workflow.status_of(team_db.engine(), ROUND, CHAIN)
    assert state.status == "approved" and state.approved_by == "dave"
    assert state.snapshot_sha256 and len(state.snapshot_sha256) == 64


def test_the_review_menu_is_off_for_a_project_file(session: Session) -> None:
    session.workspace.select((session.workspace.inventory.key(0)[0], None))
    assert not session.window.review.menu.isEnabled()
    assert not session.window.review.act_submit.isEnabled()
