"""Reports export with progress and cancel, taxonomy editor, dashboard matrix, worker behaviour."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from riskdesk.core.progress import CancelFn, Cancelled, ProgressFn
from riskdesk.core.taxonomy import default_taxonomy
from riskdesk.gui.app import Session
from riskdesk.gui.qt import QPushButton, Qt, QTableWidgetItem, QWidget
from riskdesk.gui.taxonomy_profiles import list_profiles, load_profile
from riskdesk.gui.worker import PROGRESS_DIALOG_DELAY_MS, BackgroundOp, active_ops


def test_report_export_runs_in_a_worker_with_progress(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    session.window.show_page("reports")  # type: ignore[attr-defined]
    page = session.window.reports_page  # type: ignore[attr-defined]
    page.folder.setText(str(tmp_path / "out"))
    page.basename.setText("portfolio")
    page.none_button.click()
    for i in range(2):  # two chains: a portfolio report, kept small so the test stays fast
        page.chains.item(i).setCheckState(Qt.CheckState.Checked)
    fractions: list[float] = []
    op = page.export()
    assert op is not None
    op.progressed.connect(lambda f, _m: fractions.append(f))
    assert page.cancel_button.isEnabled() and not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.op is None, timeout=60_000)  # type: ignore[attr-defined]
    pdf, xlsx = tmp_path / "out" / "portfolio_en.pdf", tmp_path / "out" / "portfolio_en.xlsx"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert xlsx.read_bytes()[:2] == b"PK"
    assert page.progress.value() == 1000
    assert fractions and fractions == sorted(fractions)
    assert str(pdf) in page.message.text()


def test_report_export_writes_an_editable_word_document(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    from docx import Document

    session.window.show_page("reports")  # type: ignore[attr-defined]
    page = session.window.reports_page  # type: ignore[attr-defined]
    assert page.docx.text() == "Word document (editable)"
    page.folder.setText(str(tmp_path / "out"))
    page.pdf.setChecked(False)
    page.xlsx.setChecked(False)
    page.docx.setChecked(True)
    page.none_button.click()
    chosen = []
    for i in range(2):
        item = page.chains.item(i)
        item.setCheckState(Qt.CheckState.Checked)
        chosen.append(item.data(Qt.ItemDataRole.UserRole))
    op = page.export()
    assert op is not None
    qtbot.waitUntil(lambda: page.op is None, timeout=60_000)  # type: ignore[attr-defined]
    written = list((tmp_path / "out").iterdir())
    assert [p.name for p in written] == ["riskdesk_en.docx"]
    headings = [p.text for p in Document(str(written[0])).paragraphs
                if p.style.name == "Heading 2"]  # fmt: skip
    for chain_id in chosen:
        assert any(h.endswith(f"({chain_id})") for h in headings)


def test_report_export_can_be_cancelled_and_leaves_no_file(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    session.window.show_page("reports")  # type: ignore[attr-defined]
    page = session.window.reports_page  # type: ignore[attr-defined]
    page.folder.setText(str(tmp_path / "out"))
    page.xlsx.setChecked(False)
    op = page.export()
    assert op is not None
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.op is None, timeout=60_000)  # type: ignore[attr-defined]
    assert op.was_cancelled
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert page.export_button.isEnabled() and not page.cancel_button.isEnabled()
    assert "cancelled" in page.message.text()


def test_export_needs_a_chain(session: Session) -> None:
    session.window.show_page("reports")  # type: ignore[attr-defined]
    page = session.window.reports_page  # type: ignore[attr-defined]
    page.none_button.click()
    assert page.export() is None
    assert page.message.text() == "Score the inventory and choose at least one chain."


def test_taxonomy_edit_is_validated_then_rescored(session: Session, qtbot: object) -> None:
    window, ws = session.window, session.workspace
    page = window.taxonomy_page  # type: ignore[attr-defined]
    sha_before = ws.taxonomy.sha256
    row = ws.taxonomy.indicator_ids.index("import_dependence")
    page.table.item(row, 2).setText("abc")
    assert not page.apply()
    assert "not numbers" in page.error.text()
    assert ws.taxonomy.sha256 == sha_before
    # Equal anchors are rejected by the Taxonomy model itself.
    page.table.item(row, 2).setText("0.9")
    assert not page.apply()
    assert "anchors must differ" in page.error.text()
    page.table.item(row, 2).setText("0.2")
    assert page.apply()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert ws.taxonomy.sha256 != sha_before
    assert ws.taxonomy.indicator_by_id["import_dependence"].safe == 0.2
    qtbot.waitUntil(
        lambda: (
            ws.run is not None
            and ws.run.taxonomy.sha256 == ws.taxonomy.sha256  # type: ignore[attr-defined]
            and active_ops() == 0
        ),
        timeout=30_000,
    )
    assert ws.taxonomy.sha256[:12] in window.taxonomy_label.text()  # type: ignore[attr-defined]
    page.profile_name.setText("looser-imports")
    page.save_profile()
    assert "looser-imports" in list_profiles()
    assert load_profile("looser-imports").indicator_by_id["import_dependence"].safe == 0.2
    page.reset()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert ws.taxonomy.sha256 == default_taxonomy().sha256


def test_country_risk_list_is_validated_and_saved(session: Session, qtbot: object) -> None:
    page = session.window.taxonomy_page  # type: ignore[attr-defined]
    before = dict(session.workspace.country_risk.ratings)  # type: ignore[union-attr]
    page.add_country.click()
    new = page.country_table.rowCount() - 1
    page.country_table.setItem(new, 0, QTableWidgetItem("XYZW"))
    page.country_table.setItem(new, 1, QTableWidgetItem("0.9"))
    assert page.country_list() is None
    assert "ISO3" in page.country_error.text()
    page.country_table.setItem(new, 0, QTableWidgetItem("zzz"))
    page.country_table.setItem(new, 1, QTableWidgetItem("0.8"))
    page.save_countries.click()
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    # The project's list keeps what it had and gains the new country, upper-cased.
    assert session.workspace.country_risk.ratings == {**before, "ZZZ": 0.8}  # type: ignore[union-attr]
    # It is an undoable edit of the project.
    session.window.act_undo.trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert session.workspace.country_risk.ratings == before  # type: ignore[union-attr]


def test_risk_matrix_click_selects_the_chain(session: Session) -> None:
    window, ws = session.window, session.workspace
    window.show_page("dashboard")  # type: ignore[attr-defined]
    matrix = window.dashboard_page.matrix  # type: ignore[attr-defined]
    assert matrix.points
    key = matrix.points[0][0]
    x, y = matrix.display_point(key)
    assert matrix.key_at(x, y) == key
    assert matrix.key_at(x + 200, y + 200) in (None, *[p[0] for p in matrix.points])
    matrix.chain_clicked.emit(key)
    assert ws.selected == key
    assert window.inventory_page.selected_keys() == [key]  # type: ignore[attr-defined]


def test_inventory_filters_by_type_level_and_search(session: Session) -> None:
    page = session.window.inventory_page  # type: ignore[attr-defined]
    total = page.proxy.rowCount()
    page.outcome_filter.setCurrentIndex(page.outcome_filter.findData("normal_dependence"))
    assert page.proxy.rowCount() == 1
    page.outcome_filter.setCurrentIndex(0)
    page.level_filter.setCurrentIndex(page.level_filter.findData("critical"))
    critical = page.proxy.rowCount()
    assert 0 < critical < total
    page.level_filter.setCurrentIndex(0)
    page.search.setText("集成电路")
    assert page.proxy.rowCount() == 3  # design / manufacturing / packaging & test
    page.search.clear()
    assert page.proxy.rowCount() == total


def _slow(progress: ProgressFn, cancel: CancelFn) -> str:
    for i in range(200):
        if cancel():
            raise Cancelled
        progress(i / 200, "step")
        time.sleep(0.01)
    return "done"


def test_progress_dialog_appears_only_for_long_work_and_cancels(qtbot: object) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)  # type: ignore[attr-defined]
    fast = BackgroundOp(parent, lambda p, c: 42).run()
    qtbot.waitUntil(lambda: fast.finished_ok, timeout=5_000)  # type: ignore[attr-defined]
    assert fast._dialog is None
    slow = BackgroundOp(parent, _slow, "slow").run()
    qtbot.wait(PROGRESS_DIALOG_DELAY_MS + 300)  # type: ignore[attr-defined]
    dialog = parent.findChild(QWidget, "progressDialog")
    assert dialog is not None and dialog.isVisible()
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: slow.was_cancelled, timeout=5_000)  # type: ignore[attr-defined]
    assert not slow.finished_ok


def test_worker_failure_comes_back_as_a_message(qtbot: object) -> None:
    messages: list[str] = []

    def broken(progress: ProgressFn, cancel: CancelFn) -> None:
        raise ValueError("bad input")

    op = BackgroundOp(None, broken).on_failure(messages.append).run()
    qtbot.waitUntil(lambda: op.error is not None, timeout=5_000)  # type: ignore[attr-defined]
    assert messages == ["ValueError: bad input"]


@pytest.mark.parametrize("n", [100_000])
def test_inventory_model_prepares_100k_rows_once(qtbot: object, n: int) -> None:
    from riskdesk.core.inventory import Inventory
    from riskdesk.gui.inventory_model import InventoryFilterProxy, InventoryTableModel

    tax = default_taxonomy()
    frame = Inventory.empty_frame(tax, n)
    frame["chain_id"] = [f"C{i:06d}" for i in range(n)]
    frame["chain_name"] = [f"chain {i}" for i in range(n)]
    frame["import_dependence"] = np.linspace(0, 1, n)
    inv = Inventory(frame=frame)
    model = InventoryTableModel()
    started = time.perf_counter()
    model.load(inv, None, {}, tax, "en")
    load_s = time.perf_counter() - started
    assert model.rowCount() == n
    started = time.perf_counter()
    for r in range(0, n, 97):
        model.index(r, 1).data()
    per_call_us = (time.perf_counter() - started) / (n // 97) * 1e6
    assert per_call_us < 200  # a list look-up, not a pandas access
    proxy = InventoryFilterProxy()
    proxy.setSourceModel(model)
    proxy.search = "C09999"
    proxy.apply()
    assert proxy.rowCount() == 10
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == f"C{n - 1:06d}"
    assert load_s < 5.0


def test_dashboard_shows_what_changed_since_the_previous_round(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    from riskdesk.io.project import Project

    window, ws = session.window, session.workspace
    inventory = ws.inventory
    path = tmp_path / "rounds.rdproj"
    with Project.create(path) as project:
        project.import_inventory(inventory, "2025", ws.taxonomy)
        later = inventory.subset(range(len(inventory)))
        later.frame.loc[0, "import_dependence"] = 0.99
        project.import_inventory(later, "2026", ws.taxonomy)
    assert window.open_project(path)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: ws.run is not None and active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert ws.round == "2026"
    window.show_page("dashboard")  # type: ignore[attr-defined]
    diff = window.dashboard_page.diff  # type: ignore[attr-defined]
    assert diff.isVisible()
    assert "2025 → 2026" in diff.toPlainText()
    assert inventory.key(0)[0] in diff.toPlainText()


def test_reports_page_says_what_changed_since_the_previous_round(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    """The reports page passes the project's previous round to the PDF, as `riskdesk export`
    does: chains whose supply turned risky are named in the executive summary."""
    from pypdf import PdfReader

    from riskdesk.core.assess import assess_inventory
    from riskdesk.io.project import Project

    window, ws = session.window, session.workspace
    inventory = ws.inventory
    later = inventory.subset(range(len(inventory)))
    later.frame.loc[:, "import_dependence"] = 0.99  # the next year: everything imported
    later.frame.loc[:, "geo_risk_share"] = 0.99
    path = tmp_path / "rounds.rdproj"
    with Project.create(path) as project:
        for inv, name in ((inventory, "2025"), (later, "2026")):
            project.import_inventory(inv, name, ws.taxonomy)
            run = assess_inventory(inv, ws.taxonomy, robustness=False)
            project.save_run(run, name, ws.taxonomy)
    assert window.open_project(path)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: ws.run is not None and active_ops() == 0, timeout=60_000)  # type: ignore[attr-defined]
    assert ws.round == "2026"
    window.show_page("reports")  # type: ignore[attr-defined]
    page = window.reports_page  # type: ignore[attr-defined]
    page.folder.setText(str(tmp_path / "out"))
    page.basename.setText("rounds")
    page.xlsx.setChecked(False)
    page.none_button.click()
    for i in range(2):
        page.chains.item(i).setCheckState(Qt.CheckState.Checked)
    assert page.export() is not None
    qtbot.waitUntil(lambda: page.op is None, timeout=120_000)  # type: ignore[attr-defined]
    pages = PdfReader(tmp_path / "out" / "rounds_en.pdf").pages
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    assert "Since the previous round (2025)" in text
