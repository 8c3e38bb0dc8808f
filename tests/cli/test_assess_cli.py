"""`riskdesk assess` and `riskdesk demo`: summary, JSON shape, exit codes, one-sentence errors."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest

from riskdesk.cli.demo import DEMO_INVENTORY
from riskdesk.cli.main import main

TYPES = {"missing", "destroyed", "response"}
OUTCOMES = TYPES | {"normal_dependence", "monitor", "insufficient_evidence"}


def _csv(path, rows, header):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def small_csv(tmp_path):
    return _csv(
        tmp_path / "inv.csv",
        [
            ["A1", "航空发动机", "core", 0.9, -0.7, 0.3, 0.25, 0.6, 3],
            ["B2", "纺织", "mature", None, None, None, None, None, None],
        ],
        ["chain_id", "chain_name", "tech_category", "import_dependence", "tc_index", "rca_index",
         "risk_weighted_hhi", "geo_risk_share", "non_market_pressure"],
    )  # fmt: skip


def test_assess_prints_a_summary_and_writes_the_documented_json(small_csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["assess", str(small_csv), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "航空发动机" in printed and "能力缺失型" in printed and "证据不足" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"riskdesk_version", "taxonomy", "input", "chains"}
    assert set(data["taxonomy"]) >= {"name", "sha256"} and len(data["taxonomy"]["sha256"]) == 64
    assert data["input"]["path"].endswith("inv.csv") and len(data["input"]["sha256"]) == 64
    a1, b2 = data["chains"]
    required = {
        "chain_id", "chain_name", "primary_type", "types", "type_scores", "risk_levels",
        "dimension_scores", "exposure", "strategy", "sub_strategy", "priority_mode", "explanation",
        "indicators", "robustness", "weakest_segment", "segments",
    }  # fmt: skip
    assert required <= set(a1)
    assert a1["primary_type"] in OUTCOMES and set(a1["type_scores"]) == TYPES
    assert a1["primary_type"] == "missing" and a1["types"] == ["missing"]
    assert (
        a1["strategy"] == "gradient_cultivation" and a1["sub_strategy"] == "domestic_substitution"
    )
    assert set(a1["explanation"]) >= {"zh", "en", "drivers"}
    assert set(a1["dimension_scores"]["lock_in"]) == {"score", "coverage", "sufficient"}
    assert a1["indicators"]["import_dependence"] == {
        **a1["indicators"]["import_dependence"], "value": 0.9, "risk": 1.0,
    }  # fmt: skip
    assert a1["indicators"]["rd_intensity"]["value"] is None  # missing is null, never 0
    assert (
        set(a1["robustness"]) >= {"primary_stability", "draws"} and a1["robustness"]["draws"] == 300
    )
    assert b2["primary_type"] == "insufficient_evidence" and b2["strategy"] == "monitor"
    assert b2["type_scores"] == {"missing": None, "destroyed": None, "response": None}


def test_english_summary(small_csv, capsys):
    assert main(["assess", str(small_csv), "--lang", "en", "--no-robustness"]) == 0
    out = capsys.readouterr().out
    assert (
        "Capability missing" in out
        and "Insufficient evidence" in out
        and "Gradient cultivation" in out
    )


def test_segment_rows_give_one_entry_per_chain_with_segments(tmp_path):
    path = _csv(
        tmp_path / "seg.csv",
        [["IC", "芯片", "设计", 0, 0, 0, 200], ["IC", "芯片", "封装测试", 3, 3, 3, 30]],
        ["chain_id", "chain_name", "segment", "early_warning", "coordination", "security_review",
         "policy_response_days"],
    )  # fmt: skip
    out = tmp_path / "seg.json"
    assert main(["assess", str(path), "--json", str(out), "--no-robustness"]) == 0
    (chain,) = json.loads(out.read_text(encoding="utf-8"))["chains"]
    assert chain["weakest_segment"] == "设计"
    assert [s["segment"] for s in chain["segments"]] == ["设计", "封装测试"]  # input order
    assert chain["type_scores"]["response"] == max(
        s["type_scores"]["response"] for s in chain["segments"]
    )


def test_usage_errors_exit_2_with_one_sentence(tmp_path, capsys):
    assert main(["assess", str(tmp_path / "nope.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["assess"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["assess", "x.csv", "--lang", "fr"])
    assert exc.value.code == 2


def test_input_problems_exit_1_and_are_located(tmp_path, capsys):
    path = _csv(tmp_path / "bad.csv", [["A", "x", "abc"], ["A", "y", 0.5]],
                ["chain_id", "chain_name", "import_dependence"])  # fmt: skip
    assert main(["assess", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "Traceback" not in err
    assert "--skip-invalid-rows" in err


def test_invalid_taxonomy_exits_1(tmp_path, small_csv, capsys):
    from riskdesk.core.taxonomy import DEFAULT_TAXONOMY_DIR

    tax = tmp_path / "tax"
    shutil.copytree(DEFAULT_TAXONOMY_DIR, tax)
    (tax / "taxonomy.toml").write_text("schema_version = 'x'\n", encoding="utf-8")
    assert main(["assess", str(small_csv), "--taxonomy", str(tax)]) == 1
    err = capsys.readouterr().err
    assert "taxonomy is invalid" in err and "Traceback" not in err


def test_unknown_chain_filter_is_a_usage_error(small_csv, capsys):
    assert main(["assess", str(small_csv), "--chain", "ZZZ", "--no-robustness"]) == 2
    assert "ZZZ" in capsys.readouterr().err


def test_console_script_runs_in_a_fresh_process(tmp_path):
    out = tmp_path / "demo.json"
    proc = subprocess.run(
        [sys.executable, "-m", "riskdesk", "assess", str(DEMO_INVENTORY), "--json", str(out),
         "--lang", "en", "--no-robustness"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "PEN-TIP" in proc.stdout and "Normal dependence" in proc.stdout
    assert len(json.loads(out.read_text(encoding="utf-8"))["chains"]) == 13


def test_a_separate_trade_file_feeds_the_trade_indicators(tmp_path):
    inv = _csv(tmp_path / "inv.csv", [["PEN", "笔尖钢"]], ["chain_id", "chain_name"])
    trade = _csv(
        tmp_path / "trade.csv",
        [
            ["PEN", "CHN", "WLD", 2023, "进口", 100.0],
            ["PEN", "CHN", "JPN", 2023, "进口", 60.0],
            ["PEN", "CHN", "CHE", 2023, "进口", 40.0],
            ["PEN", "CHN", "WLD", 2023, "出口", 10.0],
        ],
        ["product", "reporter", "partner", "year", "flow", "value"],
    )
    out = tmp_path / "r.json"
    assert (
        main(["assess", str(inv), "--trade", str(trade), "--json", str(out), "--no-robustness"])
        == 0
    )
    indicators = json.loads(out.read_text(encoding="utf-8"))["chains"][0]["indicators"]
    assert indicators["tc_index"]["value"] == pytest.approx((10 - 100) / 110)
    assert indicators["source_hhi"]["value"] == pytest.approx(0.36 + 0.16)
    assert indicators["top_source_share"]["source"].startswith("computed")
