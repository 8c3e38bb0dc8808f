"""Main window shell: pages, language switch, screenshots, drag and drop, settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from riskdesk.gui.app import DEMO_INVENTORY, Session
from riskdesk.gui.main_window import PAGES
from riskdesk.gui.qt import QDropEvent, QMimeData, QPoint, Qt, QUrl
from riskdesk.gui.settings import AppSettings


def test_demo_is_scored_at_first_start(session: Session) -> None:
    ws = session.workspace
    assert len(ws.inventory) >= 12
    assert ws.run is not None
    page = session.window.inventory_page  # type: ignore[attr-defined]
    assert page.model.rowCount() == len(ws.inventory)
    # The engine's classification reaches the table, and missing scores stay missing (never 0).
    row = page.model.keys.index(("PEN-TIP", None))
    view_row = page.model.view_row(row)
    outcome_col = 5
    assert page.model.index(view_row, outcome_col).data() == "Normal dependence"
    destroyed_col = 8
    assert page.model.index(view_row, destroyed_col).data() == "—"


def test_language_switch_at_runtime(session: Session) -> None:
    window = session.window
    assert window.nav.item(0).text() == "Inventory"  # type: ignore[attr-defined]
    window.set_language("zh")  # type: ignore[attr-defined]
    assert window.nav.item(0).text() == "产业链清单"  # type: ignore[attr-defined]
    assert window.inventory_page.search.placeholderText().startswith("按编号")  # type: ignore[attr-defined]
    header = window.inventory_page.model.headerData(6, Qt.Orientation.Horizontal)  # type: ignore[attr-defined]
    assert header == "风险等级"
    assert AppSettings().language == "zh"
    window.set_language("en")  # type: ignore[attr-defined]
    assert window.menu_file.title() == "&File"  # type: ignore[attr-defined]


def test_every_page_reachable_by_shortcut_action(session: Session) -> None:
    window = session.window
    for i, name in enumerate(PAGES):
        window.page_actions[i].trigger()  # type: ignore[attr-defined]
        assert window.current_page() == name  # type: ignore[attr-defined]
        assert window.page_actions[i].shortcut().toString() == f"Ctrl+{i + 1}"  # type: ignore[attr-defined]


def test_window_state_and_recent_files_are_remembered(session: Session, tmp_path: Path) -> None:
    window = session.window
    window.resize(900, 650)  # type: ignore[attr-defined]
    window.close()  # type: ignore[attr-defined]
    geometry, state = AppSettings().window_state()
    assert geometry is not None and state is not None
    settings = AppSettings()
    settings.add_recent(str(tmp_path / "a.rdproj"))
    settings.add_recent(str(tmp_path / "b.rdproj"))
    settings.add_recent(str(tmp_path / "a.rdproj"))
    assert settings.recent_projects()[:2] == [
        str(tmp_path / "a.rdproj"),
        str(tmp_path / "b.rdproj"),
    ]


def test_dropping_a_spreadsheet_starts_an_import(session: Session, qtbot: object) -> None:
    window = session.window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DEMO_INVENTORY))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)  # type: ignore[attr-defined]
    assert event.isAccepted()
    importer = window.importer  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: importer.dialog is not None, timeout=30_000)  # type: ignore[attr-defined]
    assert importer.dialog.objectName() == "importPreviewDialog"
    importer.dialog.reject()


def test_dropping_other_files_is_refused(session: Session, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.setAccepted(False)
    session.window.dropEvent(event)  # type: ignore[attr-defined]
    assert not event.isAccepted()
    assert session.window.importer.op is None  # type: ignore[attr-defined]


def test_cli_screenshot_renders_offscreen_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "RISKDESK_CONFIG_DIR": str(tmp_path / "c"),
        "RISKDESK_DATA_DIR": str(tmp_path / "d"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskdesk",
            "gui",
            "--screenshot",
            str(out),
            "--lang",
            "en",
            "--page",
            "dashboard",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000  # a real rendering, not an empty window


def test_cli_screenshot_rejects_a_missing_project(tmp_path: Path) -> None:
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "RISKDESK_CONFIG_DIR": str(tmp_path / "c"),
        "RISKDESK_DATA_DIR": str(tmp_path / "d"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskdesk",
            "gui",
            str(tmp_path / "nope.rdproj"),
            "--screenshot",
            str(tmp_path / "x.png"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "nope.rdproj" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_action_preselects_the_inventory_selection(session: Session) -> None:
    window = session.window
    inv_page = window.inventory_page  # type: ignore[attr-defined]
    inv_page.select_keys([("EDA-SW", None), ("PEN-TIP", None)])
    window.act_export.trigger()  # type: ignore[attr-defined]
    assert window.current_page() == "reports"  # type: ignore[attr-defined]
    assert sorted(window.reports_page.selected_chains()) == ["EDA-SW", "PEN-TIP"]  # type: ignore[attr-defined]


def test_analyst_name_is_recorded_with_expert_values(session: Session) -> None:
    window, ws = session.window, session.workspace
    window.set_analyst("王分析师")  # type: ignore[attr-defined]
    assert AppSettings().analyst == "王分析师"
    window.open_assessment(("AUTO-CHIP", None))  # type: ignore[attr-defined]
    draft = window.assessment_page.draft  # type: ignore[attr-defined]
    assert draft.expert_provenance("note").expert == "王分析师"
    assert ws.analyst == "王分析师"
