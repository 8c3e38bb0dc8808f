"""The report's narrative driven as a user drives it (issue 12): `riskdesk assess` twice into a
project and `riskdesk export --pdf` — the executive summary says what changed since the previous
round; `riskdesk assess --trade --country-risk --pdf` — the appendix names both files with their
SHA-256 (computed here with hashlib) and each chain shows its supplier countries with the shares
and ratings worked out by hand from the files written here.

Inventories are built so the verdicts follow from SPEC §5 by hand: every scored indicator at its
critical anchor gives every dimension and the exposure gate 1.0, so all three types score 1.0 and
the tie goes to capability missing (order missing, destroyed, response), level critical; every
indicator at its safe anchor gives 0 everywhere: no type, "no dominant risk, monitor".
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from .helpers import needs_poppler, pdf_page_texts

ROOT = Path(__file__).resolve().parents[2]


def _scored_indicators() -> list[dict[str, Any]]:
    data = tomllib.loads((ROOT / "taxonomy" / "indicators.toml").read_text(encoding="utf-8"))
    return [ind for ind in data["indicators"] if ind.get("weights")]


def _write_inventory(path: Path, chains: dict[str, tuple[str, str]], year: int) -> Path:
    """chains: id -> (name, 'critical' | 'safe')."""
    indicators = _scored_indicators()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "chains"
    head = ["chain_id", "chain_name", "sector", "tech_category", "strategic_value", "generality",
            "year", *(ind["id"] for ind in indicators)]
    ws.append(head)
    for chain_id, (name, anchor) in chains.items():
        ws.append([chain_id, name, "测试行业", "core", 3, 3, year,
                   *(ind[anchor] for ind in indicators)])
    wb.save(path)
    return path


def _riskdesk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RISKDESK_USER": "测试员", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "riskdesk", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    return done


def _names_zh() -> dict[str, str]:
    tax = tomllib.loads((ROOT / "taxonomy" / "taxonomy.toml").read_text(encoding="utf-8"))
    return {row["id"]: row["name_zh"] for row in [*tax["types"], *tax["outcomes"]]}


def _flat(text: str) -> str:
    return "".join(text.split())


@needs_poppler
def test_export_from_a_project_with_two_rounds_says_what_changed(tmp_path: Path) -> None:
    first = _write_inventory(tmp_path / "r2024.xlsx", {
        "CHG": ("变化链", "critical"),
        "SAME": ("稳定链", "safe"),
    }, 2024)
    second = _write_inventory(tmp_path / "r2025.xlsx", {
        "CHG": ("变化链", "safe"),
        "SAME": ("稳定链", "safe"),
        "NEW": ("新增链", "safe"),
    }, 2025)
    project = tmp_path / "p.rdproj"
    for inventory, round_name in ((first, "2024"), (second, "2025")):
        _riskdesk("assess", str(inventory), "--project", str(project), "--round", round_name,
                  "--no-robustness", cwd=tmp_path)
    pdf = tmp_path / "export.pdf"
    _riskdesk("export", str(project), "--pdf", str(pdf), "--lang", "zh", cwd=tmp_path)
    names = _names_zh()
    text = _flat(" ".join(pdf_page_texts(pdf)))
    start = text.index(_flat("与上一轮（2024）相比："))
    sentence = text[start : text.index("。", start)]
    assert _flat(f"1 条主要类型变化（变化链：{names['missing']} → {names['monitor']}）") in sentence
    assert _flat("新增 1 条（新增链）") in sentence
    assert "稳定链" not in sentence  # an unchanged chain is not a change

    # the first round has no previous one: its export says nothing about one
    pdf_first = tmp_path / "first.pdf"
    _riskdesk("export", str(project), "--round", "2024", "--pdf", str(pdf_first), "--lang", "zh",
              cwd=tmp_path)
    assert "上一轮" not in _flat(" ".join(pdf_page_texts(pdf_first)))


@needs_poppler
def test_trade_and_country_risk_files_are_named_with_their_hashes_and_shares(
    tmp_path: Path,
) -> None:
    inventory = _write_inventory(tmp_path / "inv.xlsx", {
        "TRD": ("贸易链", "critical"),
        "NOTRD": ("无贸易链", "critical"),
    }, 2024)
    trade = tmp_path / "trade.csv"
    # imports of TRD from three partners: 600 + 300 + 100 = 1000 → 60 %, 30 %, 10 %
    trade.write_text(
        "product,reporter,partner,year,flow,value\n"
        "TRD,CHN,WLD,2024,import,1000\n"
        "TRD,CHN,WLD,2024,export,200\n"
        "TRD,CHN,JPN,2024,import,600\n"
        "TRD,CHN,USA,2024,import,300\n"
        "TRD,CHN,DEU,2024,import,100\n",
        encoding="utf-8",
    )
    risk = tmp_path / "risk.csv"
    risk.write_text("iso3,rating\nUSA,0.8\nJPN,0.5\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    _riskdesk("assess", str(inventory), "--trade", str(trade), "--country-risk", str(risk),
              "--pdf", str(out), "--no-robustness", "--lang", "zh", cwd=tmp_path)
    pages = pdf_page_texts(out)
    text = _flat(" ".join(pages))
    for path in (trade, risk):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"{path.name}{digest}" in text or (path.name in text and digest in text)
    assert _flat("国别风险评级取自分析人员提供的清单 risk.csv") in text

    # TRD's supplier table, largest share first; USA 0.8 ≥ 0.7 (the taxonomy's high-risk
    # rating), DEU is not on the list and takes the default 0.3.
    table = text[text.index(_flat("贸易链：供应国构成")):]
    rows = [_flat("JPN 60.0 % 0.50"), _flat("USA 30.0 % 0.80（高风险）"),
            _flat("DEU 10.0 % 未列入清单（按缺省 0.3）")]
    positions = [table.index(row) for row in rows]
    assert positions == sorted(positions)
    # the chain without trade data says the breakdown is missing instead of inventing one
    # (sections in input order: TRD, then NOTRD, then the limitations)
    trd = text[text.index(_flat("贸易链：指标明细")) : text.index(_flat("无贸易链：指标明细"))]
    start = text.index(_flat("无贸易链：指标明细"))
    notrd = text[start : text.index("局限性说明", start)]
    assert "缺少供应国构成" not in trd
    assert "缺少供应国构成" in notrd
