"""The analyst's afternoon survives a kill (issue 9's end-to-end test).

A real child process (tests/gui/afternoon_child.py) runs the window, imports a file with a repeated
ID and a bad value, fixes the value, edits a profile field, overrides a type with a reason and a
measure and changes a weight — then is killed with SIGKILL. The window started again here offers
the unnamed work back; every edit is there, the exported PDF, workbook and JSON carry them, and
undo walks them back newest first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from riskdesk.gui.app import start_session
from riskdesk.gui.qt import Qt

from . import afternoon_child as child
from .conftest import settle_ops

CSV = (
    "chain_id,chain_name,sector,import_dependence,rd_intensity\n"
    "X1,高纯试剂,化工,0.85,0.01\n"
    "X2,特种气体,化工,abc,0.02\n"
    "X1,高纯试剂（另一来源）,化工,0.60,0.01\n"
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_afternoon_survives_a_kill_and_reaches_every_file(
    qtbot: object, tmp_path: Path, answers: object
) -> None:
    csv = tmp_path / "chains.csv"
    csv.write_text(CSV, encoding="utf-8")
    ready = tmp_path / "ready.txt"
    proc = subprocess.Popen(
        [sys.executable, child.__file__, str(ready), str(csv)],
        env={**os.environ, "RISKDESK_USER": "li.ming"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        end = time.monotonic() + 300
        while not ready.exists() and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.2)
        if not ready.exists():
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"the child never got ready: {out[-2000:]} {err[-4000:]}")
        _, dim, weight = ready.read_text(encoding="utf-8").split()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert csv.read_text(encoding="utf-8") == CSV  # the analyst's file is never modified

    # Restart: the unnamed work is offered back and recovered.
    answers.planned["recoverBox"] = "recoverYes"  # type: ignore[attr-defined]
    session = start_session("en")
    window, ws = session.window, session.workspace
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(ws.inventory) == 3 and ws.run is not None,  # type: ignore[attr-defined]
                    timeout=60_000)
    settle_ops(qtbot)
    assert "recoverBox" in answers.asked  # type: ignore[attr-defined]
    inv = ws.inventory
    assert sorted(str(x) for x in inv.frame["chain_id"]) == ["X1", "X1-2", "X2"]
    x2 = inv.row_of("X2", None)
    assert inv.frame.at[x2, "import_dependence"] == pytest.approx(child.FIXED_VALUE)
    assert inv.frame.at[inv.row_of("X1", None), "sector"] == child.NEW_SECTOR
    judgement = ws.judgement(child.OVERRIDE)
    assert judgement.override is not None and judgement.override.reason == child.REASON
    assert judgement.override.by == "li.ming"
    assert any(m.text == child.MEASURE for m in judgement.measures or [])
    assert ws.taxonomy.indicator_by_id["import_dependence"].weights[dim] == float(weight)
    assert ws.run.taxonomy.sha256 == ws.taxonomy.sha256
    # The import's problems stay with the project: the renamed row and the bad cell.
    codes = {i.code for i in ws.issues}
    assert "duplicate_renamed" in codes

    # Export PDF and workbook from the reports page, JSON with the command line.
    window.show_page("reports")  # type: ignore[attr-defined]
    page = window.reports_page  # type: ignore[attr-defined]
    for i in range(page.chains.count()):
        page.chains.item(i).setCheckState(Qt.CheckState.Checked)
    page.folder.setText(str(tmp_path / "out"))
    page.basename.setText("afternoon")
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.export() is not None
    qtbot.waitUntil(lambda: page.op is None, timeout=180_000)  # type: ignore[attr-defined]
    pdf, xlsx = tmp_path / "out" / "afternoon_en.pdf", tmp_path / "out" / "afternoon_en.xlsx"
    flat = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(pdf).pages).split())
    for expected in (child.REASON, child.MEASURE, "li.ming", child.NEW_SECTOR,
                     "Capability destroyed", "X1-2"):
        assert expected in flat, expected
    wb = load_workbook(xlsx, read_only=True)
    records = [list(r) for r in wb[wb.sheetnames[-1]].iter_rows(values_only=True)]
    cols = records[0]
    x1 = next(r for r in records[1:] if r[0] == "X1")
    assert x1[cols.index("primary_type")] == "destroyed"
    assert x1[cols.index("decision_reason")] == child.REASON
    assert x1[cols.index("decided_by")] == "li.ming"
    assert child.MEASURE in x1[cols.index("measures_added")]
    assert x1[cols.index("sector")] == child.NEW_SECTOR
    wb.close()
    out = tmp_path / "afternoon.json"
    done = subprocess.run([sys.executable, "-m", "riskdesk", "export", str(ws.session.path),
                           "--json", str(out), "--lang", "en"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    chains = {c["chain_id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["chains"]}
    assert chains["X1"]["effective_type"] == "destroyed"
    assert chains["X1"]["decision"]["reason"] == child.REASON
    assert chains["X1"]["decision"]["measures_added"] == [child.MEASURE]
    assert chains["X1"]["sector"] == child.NEW_SECTOR

    # Undo walks the afternoon back, newest first.
    seen = []
    for _ in range(5):
        seen.append(ws.session.undo_label("en"))
        window.act_undo.trigger()  # type: ignore[attr-defined]
        settle_ops(qtbot)
    assert seen[0] is not None and "weight" in seen[0]
    assert "classification decision" in (seen[1] or "")
    assert "sector" in (seen[2] or "")
    assert "X2" in (seen[3] or "")
    assert "import" in (seen[4] or "").casefold()
    assert ws.judgement(child.OVERRIDE).override is None
    window.close()  # type: ignore[attr-defined]
    settle_ops(qtbot)
