"""`--docx OUT` on `riskdesk assess` and `riskdesk export`, driven as a user drives it: separate
`riskdesk` processes, then the Word file read back with python-docx."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo" / "demo_inventory.xlsx"
REASON = "日方出口管制后本土产线已停产，按能力破坏处理"
MEASURE = "组织光刻胶骨干工程师回流专项"

pytestmark = pytest.mark.skipif(not DEMO.exists(), reason="demo inventory not built")


def _riskdesk(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RISKDESK_USER": "王五", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "riskdesk", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip


def test_assess_writes_an_editable_word_report_of_every_chain(tmp_path: Path) -> None:
    inventory = shutil.copy(DEMO, tmp_path / "demo.xlsx")
    out = tmp_path / "report.docx"
    done = _riskdesk("assess", inventory, "--docx", out, "--no-robustness", "--lang", "en",
                     "--organisation", "Industry Dept.", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"written: {out}" in done.stdout
    doc = Document(str(out))
    every = next(t for t in doc.tables if len(t.columns) == 8)
    ids = {row.cells[1].text.split("\n")[1].split(" ")[0] for row in every.rows[1:]}
    assert len(ids) == 13 and {"AERO-ENG", "PEN-TIP", "BIO-ENZYME", "EV-BATTERY"} <= ids
    assert "Industry Dept." in doc.sections[0].footer.paragraphs[0].text
    assert any(p.style.name == "Heading 2" and p.text.endswith("(AERO-ENG)")
               for p in doc.paragraphs)  # fmt: skip


def test_docx_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    inventory = shutil.copy(DEMO, tmp_path / "demo.xlsx")
    before = Path(inventory).read_bytes()
    done = _riskdesk("assess", inventory, "--docx", inventory, "--lang", "en", cwd=tmp_path)
    assert done.returncode == 2
    assert "same file as the input" in done.stderr
    assert Path(inventory).read_bytes() == before
    done = _riskdesk("assess", inventory, "--docx", tmp_path / "r", "--pdf", tmp_path / "r",
                     "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2 and "give each output its own path" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.xlsx"]


def test_export_docx_prints_the_analysts_decision(tmp_path: Path) -> None:
    project = tmp_path / "demo.rdproj"
    assert _riskdesk("assess", DEMO, "--project", project, "--no-robustness",
                     cwd=tmp_path).returncode == 0  # fmt: skip
    assert _riskdesk("decide", project, "PHOTORESIST", "--type", "destroyed", "--reason", REASON,
                     "--measure", MEASURE, cwd=tmp_path).returncode == 0  # fmt: skip
    out = tmp_path / "dossier.docx"
    done = _riskdesk("export", project, "--docx", out, "--chain", "PHOTORESIST", "--lang", "zh",
                     cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = Document(str(out))
    box = [[c.text for c in row.cells] for row in doc.tables[1].rows]  # after the cover's table
    assert box[0] == ["主要类型", "能力破坏型"]
    assert box[1][0] == "分析人员判断" and REASON in box[1][1] and "王五" in box[1][1]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{MEASURE}（分析人员补充）" in text  # numbered after the recommended measures


def _inventory(path: Path, chains: dict[str, str], year: int) -> Path:
    """chains: id -> 'critical' | 'safe'; every scored indicator at that anchor (every type 1.0,
    the tie to capability missing; or no type at all: monitor)."""
    data = tomllib.loads((ROOT / "taxonomy" / "indicators.toml").read_text(encoding="utf-8"))
    indicators = [ind for ind in data["indicators"] if ind.get("weights")]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "chains"
    ws.append(["chain_id", "chain_name", "tech_category", "year", *(i["id"] for i in indicators)])
    for chain_id, anchor in chains.items():
        ws.append([chain_id, f"{chain_id}链", "core", year, *(i[anchor] for i in indicators)])
    wb.save(path)
    return path


def test_export_docx_says_what_changed_since_the_previous_round(tmp_path: Path) -> None:
    project = tmp_path / "p.rdproj"
    rounds = (({"CHG": "critical", "SAME": "safe"}, "2024"),
              ({"CHG": "safe", "SAME": "safe", "NEW": "safe"}, "2025"))  # fmt: skip
    for chains, name in rounds:
        inventory = _inventory(tmp_path / f"r{name}.xlsx", chains, int(name))
        assert _riskdesk("assess", inventory, "--project", project, "--round", name,
                         "--no-robustness", cwd=tmp_path).returncode == 0  # fmt: skip
    out = tmp_path / "export.docx"
    done = _riskdesk("export", project, "--docx", out, "--lang", "zh", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    summary = next(p for p in paragraphs if p.startswith("与上一轮（2024）相比："))
    assert "新增 1 条（NEW链）" in summary and "CHG链" in summary and "SAME链" not in summary
