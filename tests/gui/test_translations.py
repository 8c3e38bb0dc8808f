"""The Chinese catalogue is complete and every visible string is translated after a runtime switch."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from riskdesk.gui.app import Session
from riskdesk.gui.i18n import CATALOGUE, TRANSLATIONS_DIR
from riskdesk.gui.qt import (
    QAction,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    Qt,
    QTableView,
    QTabWidget,
    QTranslator,
    QWidget,
)
from riskdesk.gui.worker import active_ops

GUI_DIR = Path(__file__).resolve().parents[2] / "riskdesk" / "gui"
TS_FILE = TRANSLATIONS_DIR / f"{CATALOGUE}.ts"


def _messages(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            out[(name, msg.findtext("source") or "")] = (tr.text or "", tr.get("type"))
    return out


def _lupdate() -> Path:
    exe = shutil.which("pyside6-lupdate") or str(
        Path(__import__("sys").executable).parent / "pyside6-lupdate"
    )
    if not Path(exe).exists():
        pytest.skip("pyside6-lupdate not installed")
    return Path(exe)


def test_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in GUI_DIR.rglob("*.py"))
    subprocess.run([str(_lupdate()), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(_messages(fresh))
    committed = _messages(TS_FILE)
    untranslated = sorted(
        k
        for k in in_code
        if not committed.get(k, ("", "unfinished"))[0]
        or committed[k][1] in ("unfinished", "vanished", "obsolete")
    )
    assert not untranslated, f"strings without a Chinese translation: {untranslated}"
    # The compiled .qm is the catalogue as committed (rebuilt with pyside6-lrelease).
    translator = QTranslator()
    assert translator.load(CATALOGUE, str(TRANSLATIONS_DIR))
    stale = [k for k in in_code if translator.translate(k[0], k[1]) != committed[k][0]]
    assert not stale, f".qm is older than the .ts for: {stale[:5]}"


def _pattern(source: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]*\}", source)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.DOTALL)


def _visible_texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if (isinstance(w, QLabel) and not w.text().startswith("<")) or isinstance(
            w, QPushButton | QRadioButton
        ):
            texts.append(w.text())
        elif isinstance(w, QGroupBox) and not w.objectName().startswith("question_"):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QListWidget) and w.objectName() in ("pageList", "wizardSteps"):
            texts += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QTableView) and w.model() is not None:
            model, count = w.model(), w.horizontalHeader().count()
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(count)
            ]
    for action in root.findChildren(QAction):
        texts.append(action.text())
    return [t for t in texts if t]


def test_no_visible_english_source_string_after_switching_to_chinese(
    session: Session, qtbot: object
) -> None:
    window, ws = session.window, session.workspace
    window.set_language("zh")  # type: ignore[attr-defined]
    window.open_assessment(ws.inventory.key(0))  # type: ignore[attr-defined]
    page = window.assessment_page  # type: ignore[attr-defined]
    for step in range(6):
        page.go(step)
        qtbot.waitUntil(lambda: active_ops() == 0, timeout=30_000)  # type: ignore[attr-defined]
    window.show_page("inventory")  # type: ignore[attr-defined]
    patterns = [
        (src, _pattern(src))
        for (_ctx, src) in _messages(TS_FILE)
        if re.search(r"[A-Za-z]{3,}", src)
    ]
    texts = _visible_texts(window)  # type: ignore[arg-type]
    assert len(texts) > 100
    english = sorted(
        {t for t in texts for src, pat in patterns if pat.match(t) and t not in ("中文", "English")}
    )
    assert not english, f"untranslated visible strings: {english}"
    assert "产业链清单" in texts and "下一步 >" in texts
