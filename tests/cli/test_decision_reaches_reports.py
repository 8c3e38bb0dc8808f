"""An analyst's override reaches every file a reviewer gets (issue 9, SPEC §11).

Driven as a user drives it — three separate `riskdesk` processes: assess the demo into a project,
decide on one chain (override with a reason and a measure of the analyst's own), export — then the
PDF's text, the workbook's cells and the JSON are read back. Expected words come from the taxonomy
files and the decision typed here, never from the engine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo" / "demo_inventory.xlsx"
CHAIN = "PHOTORESIST"  # the engine calls it capability missing (paper 001's 光刻胶 case)
REASON = "日方出口管制后本土产线已停产，按能力破坏处理"
MEASURE = "组织光刻胶骨干工程师回流专项"


def _names(file: str, table: str) -> dict[str, str]:
    data = tomllib.loads((ROOT / "taxonomy" / file).read_text(encoding="utf-8"))
    return {row["id"]: row["name_zh"] for row in data[table]}


def _riskdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RISKDESK_USER": "王五", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "riskdesk", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.mark.skipif(not DEMO.exists(), reason="demo inventory not built")
def test_override_reason_and_measure_reach_pdf_workbook_and_json(tmp_path: Path) -> None:
    types = _names("taxonomy.toml", "types")
    strategies = _names("strategies.toml", "strategies")
    project = tmp_path / "demo.rdproj"
    _riskdesk("assess", str(DEMO), "--project", str(project), "--no-robustness", cwd=tmp_path)
    _riskdesk("decide", str(project), CHAIN, "--type", "destroyed", "--reason", REASON,
              "--measure", MEASURE, cwd=tmp_path)
    pdf, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    _riskdesk("export", str(project), "--pdf", str(pdf), "--xlsx", str(xlsx), "--json", str(js),
              "--chain", CHAIN, "--lang", "zh", cwd=tmp_path)

    # history --chain shows the decision with its reason and analyst; the audit chain verifies.
    history = _riskdesk("history", str(project), "--chain", CHAIN, "--verify", "--lang", "zh",
                        cwd=tmp_path).stdout
    decision_line = next(line for line in history.splitlines() if REASON in line)
    assert "destroyed" in decision_line and "王五" in decision_line
    assert "审计链完整" in history

    # JSON: the effective type on top, the engine's kept beside it.
    chain = json.loads(js.read_text(encoding="utf-8"))["chains"][0]
    assert chain["effective_type"] == "destroyed"
    assert chain["engine"]["primary_type"] == "missing"
    assert chain["strategy"] == "defence"
    assert chain["decision"]["reason"] == REASON

    # PDF: the dossier's verdict, strategy, the decision line with the engine's verdict, the
    # reason, the analyst and the measure.
    text = "".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
    flat = "".join(text.split())
    assert types["destroyed"] in flat
    assert strategies["defence"] in flat
    assert "".join(REASON.split()) in flat
    assert MEASURE in flat
    assert "王五" in flat
    assert f"引擎:{types['missing']}" in flat  # "引擎: 能力缺失型 (0.xx) → 分析人员: 能力破坏型"

    # Workbook: 得分 shows the decided type and the decision; 评估记录 keeps both verdicts;
    # 战略与措施 lists the defence strategy and the analyst's measure.
    wb = load_workbook(xlsx, read_only=True)
    scores = [list(r) for r in wb["得分"].iter_rows(values_only=True)]
    head = scores[0]
    row = next(r for r in scores[1:] if r[0] == CHAIN)
    assert row[head.index("主要类型")] == types["destroyed"]
    assert REASON in row[head.index("分析人员判断")]
    records = [list(r) for r in wb["评估记录"].iter_rows(values_only=True)]
    cols = records[0]
    rec = next(r for r in records[1:] if r[0] == CHAIN)
    assert rec[cols.index("primary_type")] == "destroyed"
    assert rec[cols.index("engine_type")] == "missing"
    assert rec[cols.index("overridden")] is True
    assert rec[cols.index("decision_reason")] == REASON
    assert rec[cols.index("decided_by")] == "王五"
    assert rec[cols.index("strategy")] == "defence"
    plans = [list(r) for r in wb["战略与措施"].iter_rows(values_only=True)]
    plan = next(r for r in plans[1:] if r[0] == CHAIN)
    assert plan[plans[0].index("治理战略")] == strategies["defence"]
    assert MEASURE in plan[plans[0].index("措施")]
    wb.close()
