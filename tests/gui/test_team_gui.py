"""The window on a team database: a colleague's commit shows without a restart (LISTEN/NOTIFY),
a chain a colleague holds is named, and no password is ever taken or remembered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.gui.app import Session, start_session
from riskdesk.gui.team import ConnectDialog
from riskdesk.io.project import Project, ProjectError
from riskdesk.io.team.store import TeamStore
from tests.gui.conftest import settle_ops
from tests.project.builders import ROUND, make_inventory


@pytest.fixture
def team_window(qtbot: object, pg_database: str) -> Iterator[tuple[Session, str]]:
    taxonomy = default_taxonomy()
    with Project.connect(pg_database, user="admin") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    s = start_session("en", db=pg_database)
    qtbot.addWidget(s.window)  # type: ignore[attr-defined]
    s.window.show()
    settle_ops(qtbot)
    yield s, pg_database
    s.window.force_close = True
    s.window.close()
    settle_ops(qtbot)


def test_a_colleagues_edit_appears_without_a_restart(qtbot: object,
                                                     team_window: tuple[Session, str]) -> None:
    s, address = team_window
    ws = s.workspace
    assert ws.session.project.is_team and s.window.team.listener is not None
    indicator = default_taxonomy().indicator_ids[0]
    assert ws.judgement(("C1", None)).note is None
    with qtbot.waitSignal(ws.decisions_changed, timeout=15_000), \
            Project.connect(address, user="李四") as li:  # type: ignore[attr-defined]
        li.set_note(ROUND, "C1", "李四的意见")
        li.set_value(ROUND, "C0", indicator, 0.99)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: ws.judgement(("C1", None)).note == "李四的意见", timeout=15_000)
    row = ws.inventory.row_of("C0")
    assert ws.inventory.frame.at[row, indicator] == 0.99
    settle_ops(qtbot)
    # the window now shows the colleague's value, so its own next edit of it is not stale
    ws.session.project.set_value(ROUND, "C0", indicator, 0.5)


def test_a_chain_a_colleague_holds_is_named_in_the_status_bar(
    qtbot: object, team_window: tuple[Session, str]
) -> None:
    s, address = team_window
    colleague = TeamStore.open(address, user="李四")
    try:
        colleague.hold_chain(ROUND, "C2")
        s.workspace.select(("C0", None))
        settle_ops(qtbot)
        assert set(colleague.holders(ROUND)) == {"C0", "C2"}
        assert colleague.holders(ROUND)["C0"].held_by == s.workspace.session.user
        s.workspace.select(("C2", None))
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: "being edited by 李四" in s.window.statusBar().currentMessage(),
            timeout=10_000)
        settle_ops(qtbot)
    finally:
        colleague.close()


def test_no_password_is_taken_or_remembered(qtbot: object) -> None:
    dialog = ConnectDialog(None)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.edit.setText("postgresql://analyst:s3cret@server/riskdesk")
    dialog.accept()
    assert dialog.result() != ConnectDialog.DialogCode.Accepted
    said = dialog.problem.text()  # in the interface language of the moment
    assert "password" in said or "密码" in said
    assert "s3cret" not in dialog.edit.text()
    from riskdesk.gui.settings import AppSettings

    settings = AppSettings()
    with pytest.raises(ProjectError, match="never stores passwords"):
        settings.team_address = "host=server password=s3cret dbname=riskdesk"
    settings.team_address = "service=riskdesk"
    assert AppSettings().team_address == "service=riskdesk"


def test_the_window_catches_up_after_its_listening_connection_was_dropped(
    qtbot: object, team_window: tuple[Session, str]
) -> None:
    import psycopg

    s, address = team_window
    dsn = address.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()").fetchall()
    assert dropped == [(True,)]
    with Project.connect(address, user="李四") as li:  # committed while nobody listens
        li.set_note(ROUND, "C2", "断线期间的修改")
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: s.workspace.judgement(("C2", None)).note == "断线期间的修改", timeout=20_000)
    settle_ops(qtbot)
