"""No view or output disagrees about a chain's verdict (issue 9, SPEC §11).

With one demo chain overridden in the window, the inventory table, the dashboard's list, the
report picker, the exported PDF and the exported workbook all show, for every demo chain, the same
type, level and strategy. The overridden chain is checked against the taxonomy's own words too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from riskdesk.core.commands import EditGroup
from riskdesk.gui.app import Session
from riskdesk.gui.inventory_model import COLUMNS, Column
from riskdesk.gui.qt import Qt

from .conftest import settle_ops

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ("PHOTORESIST", None)
REASON = "Domestic line shut after the export controls; treated as capability destroyed"


def _names(file: str, table: str) -> dict[str, str]:
    data = tomllib.loads((ROOT / "taxonomy" / file).read_text(encoding="utf-8"))
    return {row["id"]: row["name_en"] for row in data[table]}


def test_every_view_and_output_shows_the_same_verdict(
    session: Session, qtbot: object, tmp_path: Path
) -> None:
    window, ws = session.window, session.workspace
    edits = ws.session.decision_edits(CHAIN, "destroyed", REASON,
                                      measures_added=["Bring back the process engineers"])
    ws.apply(EditGroup(label_zh="改判", label_en="override", edits=edits))
    settle_ops(qtbot)
    types = _names("taxonomy.toml", "types")
    strategies = _names("strategies.toml", "strategies")
    tax, lang = ws.taxonomy, "en"

    effective = ws.session.effective_run()
    assert effective is not None
    expected: dict[str, tuple[str, str, str]] = {}  # chain id -> (type, level, strategy)
    for eff in effective.chains:
        level = eff.effective_level
        expected[eff.chain_id] = (
            tax.label(eff.effective_type.value, lang),
            "—" if level is None else tax.label(level.value, lang),
            tax.label(eff.strategy, lang),
        )
    assert expected["PHOTORESIST"][0] == types["destroyed"]
    assert expected["PHOTORESIST"][2] == strategies["defence"]

    # Inventory table: type and level columns of every chain row.
    window.show_page("inventory")  # type: ignore[attr-defined]
    model = window.inventory_page.model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=30_000)  # type: ignore[attr-defined]
    c_id, c_type, c_level = (COLUMNS.index(Column(x)) for x in ("chain_id", "outcome", "level"))
    seen = set()
    for row in range(model.rowCount()):
        chain_id = model.data(model.index(row, c_id))
        if chain_id not in expected or model.data(model.index(row, COLUMNS.index(
                Column("segment")))):
            continue
        seen.add(chain_id)
        assert model.data(model.index(row, c_type)) == expected[chain_id][0], chain_id
        shown_level = model.data(model.index(row, c_level))
        assert shown_level.casefold() == expected[chain_id][1].casefold(), chain_id
    rolled_up = {e.chain_id for e in effective.chains if e.engine.segments}  # segment rows only
    assert seen | rolled_up == set(expected)

    # Dashboard's ranked list: name, type, score, level.
    window.show_page("dashboard")  # type: ignore[attr-defined]
    top = window.dashboard_page.top  # type: ignore[attr-defined]
    names = {e.chain_name: e.chain_id for e in effective.chains}
    assert top.rowCount() > 0
    for row in range(top.rowCount()):
        chain_id = names[top.item(row, 0).text()]
        assert top.item(row, 1).text() == expected[chain_id][0], chain_id
        assert top.item(row, 3).text().casefold() == expected[chain_id][1].casefold(), chain_id

    # Report picker, then the exported PDF and workbook of all chains.
    window.show_page("reports")  # type: ignore[attr-defined]
    page = window.reports_page  # type: ignore[attr-defined]
    for i in range(page.chains.count()):
        item = page.chains.item(i)
        chain_id = item.data(Qt.ItemDataRole.UserRole)
        assert item.text().endswith(expected[chain_id][0]), item.text()
        item.setCheckState(Qt.CheckState.Checked)
    page.folder.setText(str(tmp_path / "out"))
    page.basename.setText("all")
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.export() is not None
    qtbot.waitUntil(lambda: page.op is None, timeout=180_000)  # type: ignore[attr-defined]
    pdf, xlsx = tmp_path / "out" / "all_en.pdf", tmp_path / "out" / "all_en.xlsx"

    wb = load_workbook(xlsx, read_only=True)
    sheet = [list(r) for r in wb[wb.sheetnames[2]].iter_rows(values_only=True)]  # Scores
    head = sheet[0]
    for row in sheet[1:]:
        if row[head.index("Segment")] is not None:
            continue
        assert row[head.index("Primary type")] == expected[row[0]][0], row[0]
    plans = [list(r) for r in wb[wb.sheetnames[3]].iter_rows(values_only=True)]  # Strategies
    for row in plans[1:]:
        if row[2] is None:
            assert row[plans[0].index("Strategy")] == expected[row[0]][2], row[0]
    photoresist = next(r for r in sheet[1:] if r[0] == "PHOTORESIST" and r[2] is None)
    assert REASON in photoresist[head.index("Analyst's decision")]
    wb.close()

    # PDF: each chain's section opens with its summary box — the first "Primary type" after the
    # chain's heading names the effective type; the strategy row follows.
    text = " ".join((p.extract_text() or "") for p in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    for eff in effective.chains:
        # The section heading "Name (ID)" is followed directly by its summary box.
        start = flat.find(f"({eff.chain_id}) Primary type")
        assert start >= 0, eff.chain_id
        box = flat[start:start + 1500]
        after = box.split("Primary type", 1)[1]
        assert after.lstrip().startswith(expected[eff.chain_id][0]), (eff.chain_id, after[:80])
        assert expected[eff.chain_id][2] in box, eff.chain_id
    assert REASON in flat and "Bring back the process engineers" in flat
