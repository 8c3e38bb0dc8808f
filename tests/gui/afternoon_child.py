"""The first half of an analyst's afternoon, run as a separate process that the test then kills.

Started by tests/gui/test_afternoon.py with the test's config and data folders in the environment.
It drives the real window (offscreen): import a file with a repeated ID and a bad value, fix the
value, edit a profile field, override a type with a reason and a measure, change a weight. When
every edit has gone through the session it writes READY into the file named by argv[1] and waits
to be killed (SIGKILL: no close handler, no save prompt runs).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from riskdesk.core.commands import EditGroup, SetProfile
from riskdesk.gui import ask
from riskdesk.gui.app import application, start_session
from riskdesk.gui.worker import active_ops

ANSWERS = {"importModeBox": "importReplace", "recoverBox": "recoverLater",
           "saveChangesBox": "saveChangesDiscard"}
OVERRIDE = ("X1", None)
REASON = "Supplier plant relocated abroad in 2026; treated as capability destroyed"
MEASURE = "Retain the X1 process engineers through a skills fund"
FIXED_VALUE = 0.7
NEW_SECTOR = "Electronic chemicals"


def _answer(box: object) -> str:
    name = box.objectName()  # type: ignore[attr-defined]
    if name not in ANSWERS:
        raise SystemExit(f"unexpected question {name}: {box.text()}")  # type: ignore[attr-defined]
    return ANSWERS[name]


def _wait(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    app = application()
    end = time.monotonic() + timeout
    while not condition():
        app.processEvents()
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.01)


def main(ready_file: Path, inventory_csv: Path) -> None:
    ask.answer = _answer
    session = start_session("en")
    window, ws = session.window, session.workspace
    window.show()  # type: ignore[attr-defined]
    _wait(lambda: ws.run is not None and active_ops() == 0, "the demo")

    # 1. Import: keep the bad cell as missing, keep both X1 rows (the later one as X1-2).
    window.import_file(inventory_csv)  # type: ignore[attr-defined]
    importer = window.importer  # type: ignore[attr-defined]
    _wait(lambda: importer.dialog is not None, "the import preview")
    dialog = importer.dialog
    dialog.keep_rows.click()
    dialog.duplicate_policy.setCurrentIndex(dialog.duplicate_policy.findData("suffix"))
    dialog.import_button.click()
    _wait(lambda: len(ws.inventory) == 3 and ws.run is not None and len(ws.run.chains) == 3
          and active_ops() == 0, "the import")

    # 2. Fix the bad value in place, 3. edit a profile field.
    ws.apply(ws.session.value_edit(("X2", None), "import_dependence", FIXED_VALUE,
                                   evidence="customs 2025"))
    _wait(lambda: active_ops() == 0, "the value")
    ws.apply(SetProfile(ref=ws.session.ref(("X1", None)), field="sector", new=NEW_SECTOR))
    _wait(lambda: active_ops() == 0, "the profile edit")

    # 4. Override with a reason and 5. a measure of the analyst's own (one decision).
    edits = ws.session.decision_edits(OVERRIDE, "destroyed", REASON, measures_added=[MEASURE])
    ws.apply(EditGroup(label_zh="分类决定", label_en="classification decision", edits=edits))
    _wait(lambda: active_ops() == 0, "the decision")

    # 6. Change a weight in the taxonomy editor.
    page = window.taxonomy_page  # type: ignore[attr-defined]
    window.show_page("taxonomy")  # type: ignore[attr-defined]
    row = ws.taxonomy.indicator_ids.index("import_dependence")
    dims = page.dimensions
    dim = next(d for d in dims if d in ws.taxonomy.indicator_by_id["import_dependence"].weights)
    old = ws.taxonomy.indicator_by_id["import_dependence"].weights[dim]
    page.table.item(row, 4 + dims.index(dim)).setText(f"{old / 2:g}")
    if not page.apply():
        raise SystemExit(f"weight refused: {page.error.text()}")
    _wait(lambda: active_ops() == 0 and ws.run is not None
          and ws.run.taxonomy.sha256 == ws.taxonomy.sha256, "the weight")

    ready_file.write_text(f"READY {dim} {old / 2:g}\n", encoding="utf-8")
    while True:  # the test kills us here
        application().processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
