"""Scenarios page: the bundled library run over the demo in the background, the heat map, a cell's
before/after, a bad library file, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskdesk.core.paths import TAXONOMY_DIR
from riskdesk.gui.app import Session
from riskdesk.gui.pages.scenario_detail import NOT_AVAILABLE_COLOUR, share_colour
from riskdesk.gui.qt import QColor, Qt, cell

from .conftest import settle_ops

LIBRARY = TAXONOMY_DIR / "scenarios.toml"
SCENARIO_IDS = ["JPN-cutoff-180", "COD-ban-365", "KOR-ban-180", "chip-demand-surge-120",
                "east-asia-shipping-60"]  # fmt: skip


def _crit_min_by_hand() -> dict[str, float]:
    """CRIT-MIN under COD-ban-365 (as tests/scenarios/test_scenario_cli.py): IR 0.7, 20 days of
    stock, COD 65 % of imports cut for 365 d, AUS +0.15 from day 120, IDN +0.15 from day 180."""
    r1, r2, r3 = 0.7 * 0.65, 0.7 * 0.50, 0.7 * 0.35
    total = r1 * 120 + r2 * 60 + r3 * 185
    return {"tts": 20 / r1, "unmet": total - 20, "share": (total - 20) / 365}


def _page(session: Session, qtbot: object):  # type: ignore[no-untyped-def]
    window = session.window
    window.show_page("scenarios")  # type: ignore[attr-defined]
    page = window.scenarios_page  # type: ignore[attr-defined]
    settle_ops(qtbot)  # the bundled library is read in the worker on first show
    assert page.library is not None
    return page


def _run(page, qtbot: object) -> None:  # type: ignore[no-untyped-def]
    fractions: list[float] = []
    op = page.run()
    assert op is not None
    op.progressed.connect(lambda f, _m: fractions.append(f))
    assert page.cancel_button.isEnabled() and not page.run_button.isEnabled()
    qtbot.waitUntil(lambda: page.op is None, timeout=60_000)  # type: ignore[attr-defined]
    assert op.finished_ok, op.error
    assert fractions == sorted(fractions)


def test_bundled_library_runs_into_a_heat_map_and_a_cell_opens_its_chain(
    session: Session, qtbot: object
) -> None:
    ws = session.workspace
    before = ws.inventory.frame.copy()
    page = _page(session, qtbot)
    assert page.scenario_table.rowCount() == 5
    assert page.checked_ids() == SCENARIO_IDS
    assert "scenarios.toml" in page.library_label.text()
    _run(page, qtbot)
    heat, model = page.heat_map, page.heat_model
    chains = list(dict.fromkeys(ws.inventory.frame["chain_id"].astype(str)))
    assert model.rowCount() == len(chains) == 13
    assert model.columnCount() == len(SCENARIO_IDS)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == SCENARIO_IDS
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(13)] == chains
    assert page.progress.value() == 1000
    assert "13 chains × 5 scenarios" in page.message.text()
    # the run works on copies: the session's data is as it was
    assert ws.inventory.frame.equals(before)

    hand = _crit_min_by_hand()
    r, c = page.cell_of("CRIT-MIN", "COD-ban-365")
    item = model.index(r, c)
    assert item.data(model.SHARE_ROLE) == pytest.approx(hand["share"])
    assert f"{hand['share'] * 100:.2f} %" == "27.65 %"
    tip = item.data(Qt.ItemDataRole.ToolTipRole)
    assert "27.65 %" in tip and "43.96 d" in tip
    assert item.data() == "Response ▲"  # shocked type, worse priority
    assert item.data(Qt.ItemDataRole.BackgroundRole) == share_colour(hand["share"])
    # a chain without partner shares: n/a and why
    na = model.index(*page.cell_of("AERO-ENG", "COD-ban-365"))
    assert na.data() == "Missing (n/a)"
    assert na.data(Qt.ItemDataRole.BackgroundRole) == QColor(NOT_AVAILABLE_COLOUR)
    assert "no import partner shares" in na.data(Qt.ItemDataRole.ToolTipRole)
    # a scenario that does not name the chain
    assert model.index(*page.cell_of("CRIT-MIN", "chip-demand-surge-120")).data() == "—"

    from pytestqt.qtbot import QtBot

    assert isinstance(qtbot, QtBot)
    rect = heat.visualRect(item)
    qtbot.mouseClick(heat.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = page.detail
    assert detail.shown is not None and detail.shown[1:] == (r, c)
    assert detail.heading.text().startswith("CRIT-MIN")
    assert "COD-ban-365" in detail.heading.text()
    values = {key: label.text() for key, label in detail.values.items()}
    assert values["type"].startswith("Response lagging → Response lagging")
    assert "▲" in values["type"]
    assert values["strategy"] == "Reconstruction → Reconstruction"
    assert values["tts"] == f"{hand['tts']:.2f} d" == "43.96 d"
    assert values["ttr"] == "365.00 d"
    assert values["unmet"] == f"{hand['unmet']:.2f} consumption-days"
    assert values["share"] == "27.65 %"
    drivers = detail.drivers
    rows = {cell(drivers, i, 0).toolTip(): [cell(drivers, i, k).text() for k in range(4)]
            for i in range(drivers.rowCount())}  # fmt: skip
    assert set(rows) == {"ttr_tts_ratio", "geo_risk_share", "risk_weighted_hhi",
                         "top_source_share", "source_hhi"}  # fmt: skip
    ratio = rows["ttr_tts_ratio"]
    assert ratio[1] == "1.8" and ratio[2] == f"{365 / hand['tts']:.3g}"
    assert ratio[3].startswith("+")
    assert rows["geo_risk_share"][2] == "0"
    assert "static exposure and in-shock impact differ" in detail.notes.text()
    # a segmented chain names the segment its verdict comes from
    ic_row, ic_col = page.cell_of("IC", "COD-ban-365")
    segment = page.view.outcome(ic_row, ic_col).segment
    assert segment in {"设计", "制造", "封装测试"}
    page.show_cell(ic_row, ic_col)
    assert f"(verdict from segment {segment})" in detail.heading.text()


def test_only_checked_scenarios_run_and_chinese_labels(session: Session, qtbot: object) -> None:
    page = _page(session, qtbot)
    page.none_button.click()
    assert page.run() is None
    assert "check at least one" in page.message.text()
    cell(page.scenario_table, 1, 0).setCheckState(Qt.CheckState.Checked)
    _run(page, qtbot)
    assert page.heat_model.columnCount() == 1
    assert page.heat_model.headerData(0, Qt.Orientation.Horizontal) == "COD-ban-365"
    session.window.set_language("zh")  # type: ignore[attr-defined]
    try:  # the translator is the application's: switch back for the next test
        r, _c = page.cell_of("CRIT-MIN", "COD-ban-365")
        assert page.heat_model.index(r, 0).data() == "响应型 ▲"
        assert page.run_button.text() == "运行"
        page.show_cell(r, 0)
        assert page.detail.values["tts"].text() == "43.96 天"
        assert page.detail.values["type"].text().startswith("能力响应型 → 能力响应型")
    finally:
        session.window.set_language("en")  # type: ignore[attr-defined]


def test_a_bad_library_is_shown_located_and_the_old_one_stays(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    page = _page(session, qtbot)
    bundled = page.library
    bad = tmp_path / "bad.toml"
    bad.write_text(LIBRARY.read_text(encoding="utf-8").replace("cut = 1.0", "cut = 2.0", 1)
                   .replace('kind = "export_ban"', 'kind = "embargo"', 1), encoding="utf-8")
    page.load_library(bad)
    settle_ops(qtbot)
    assert page.library is bundled
    assert page.checked_ids() == SCENARIO_IDS
    assert page.problem_table.isVisibleTo(page) and page.problem_label.isVisibleTo(page)
    assert "bad.toml" in page.problem_label.text() and "kept" in page.problem_label.text()
    rows = [[cell(page.problem_table, r, k).text() for k in range(5)]
            for r in range(page.problem_table.rowCount())]  # fmt: skip
    assert ["bad.toml", "scenario #1 (JPN-cutoff-180)", "shock[1].cut", "2"] in [
        row[:4] for row in rows]
    cut = next(row for row in rows if row[2] == "shock[1].cut")
    assert "less than or equal to 1" in cut[4]
    kind = next(row for row in rows if row[2] == "kind")
    assert kind[1] == "scenario #2 (COD-ban-365)" and kind[3] == "embargo"
    # not TOML at all: one located problem, still no traceback
    (tmp_path / "junk.toml").write_text("schema = = 1\n", encoding="utf-8")
    page.load_library(tmp_path / "junk.toml")
    settle_ops(qtbot)
    assert page.library is bundled
    assert page.problem_table.rowCount() == 1
    assert "not valid TOML" in cell(page.problem_table, 0, 4).text()
    assert "Traceback" not in page.problem_label.text()
    # a good file again clears the problems
    page.load_library(LIBRARY)
    settle_ops(qtbot)
    assert not page.problem_table.isVisibleTo(page)


def test_cancel_leaves_the_page_usable(session: Session, qtbot: object) -> None:
    page = _page(session, qtbot)
    op = page.run()
    assert op is not None
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.op is None, timeout=60_000)  # type: ignore[attr-defined]
    assert op.was_cancelled
    assert page.run_button.isEnabled() and not page.cancel_button.isEnabled()
    assert "cancelled" in page.message.text()
    assert page.heat_model.rowCount() == 0
    _run(page, qtbot)
    assert page.heat_model.rowCount() == 13


def test_a_rescore_marks_the_map_stale(session: Session, qtbot: object) -> None:
    page = _page(session, qtbot)
    _run(page, qtbot)
    session.window.rescore()  # type: ignore[attr-defined]
    settle_ops(qtbot)
    assert "run again" in page.message.text()
    assert page.heat_model.rowCount() == 13


def test_screenshot_preparation_runs_the_bundled_library_and_opens_the_worst_cell(
    session: Session, qtbot: object
) -> None:
    window = session.window
    window.show_page("scenarios")  # type: ignore[attr-defined]
    window.prepare_screenshot("scenarios")  # type: ignore[attr-defined]
    settle_ops(qtbot)
    page = window.scenarios_page  # type: ignore[attr-defined]
    assert page.heat_model.rowCount() == 13 and page.heat_model.columnCount() == 5
    assert page.detail.shown is not None
    assert page.detail.shown[1:] == page.cell_of("CRIT-MIN", "COD-ban-365")
    assert page.heat_map.currentIndex().row() == page.detail.shown[1]


def test_a_large_map_is_drawn_without_blocking_the_window(session: Session, qtbot: object) -> None:
    """1,000 chains × 50 scenarios: the model words only the cells on screen (a table of 50,000
    items took ~7 s on the UI thread)."""
    import time
    from dataclasses import replace

    page = _page(session, qtbot)
    _run(page, qtbot)
    small = page.view
    crit = small.chain_ids.index("CRIT-MIN")
    scenarios = tuple(small.scenarios[i % 5].model_copy(update={"id": f"S{i}"}) for i in range(50))
    block = {sc.id: small.blocks[crit][small.scenarios[i % 5].id] for i, sc in enumerate(scenarios)}
    big = replace(small, scenarios=scenarios, chain_ids=[f"C{i}" for i in range(1000)],
                  chain_names=["x"] * 1000, baseline_type=["response"] * 1000,
                  baseline_strategy=["reconstruction"] * 1000, blocks=[block] * 1000)  # fmt: skip
    start = time.perf_counter()
    page.view = big
    page._render()
    page.heat_map.viewport().grab()  # paints the visible cells
    elapsed = time.perf_counter() - start
    assert page.heat_model.rowCount() == 1000 and page.heat_model.columnCount() == 50
    assert elapsed < 1.0, elapsed
    page.show_cell(999, 46)  # S46 is COD-ban-365 again
    assert page.detail.values["share"].text() == "27.65 %"
