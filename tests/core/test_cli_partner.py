"""`riskdesk assess --partner ISO3` makes 000's bilateral TC* and RCA* reachable (issue 10, 7)."""

from __future__ import annotations

import csv
import json

import pytest

from riskdesk.cli.main import main


def _csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    inventory = _csv(tmp_path / "inv.csv", ["chain_id", "chain_name"], [["j", "product j"]])
    trade = _csv(
        tmp_path / "trade.csv",
        ["product", "reporter", "partner", "year", "flow", "value"],
        [
            ["TOTAL", "WLD", "WLD", 2022, "export", 1000],
            ["TOTAL", "CHN", "WLD", 2022, "export", 100],
            ["j", "WLD", "WLD", 2022, "export", 50],
            ["j", "CHN", "WLD", 2022, "export", 20],
            ["j", "CHN", "WLD", 2022, "import", 30],
            ["j", "CHN", "USA", 2022, "import", 9],
            ["j", "CHN", "USA", 2022, "export", 4],
            ["j", "WLD", "USA", 2022, "export", 10],
        ],
    )
    return inventory, trade


def test_partner_option_fills_tc_star_and_rca_star(files, tmp_path):
    inventory, trade = files
    out = tmp_path / "r.json"
    args = ["assess", str(inventory), "--trade", str(trade), "--no-robustness", "--json", str(out)]
    assert main([*args, "--partner", "usa"]) == 0
    chain = json.loads(out.read_text(encoding="utf-8"))["chains"][0]
    assert chain["indicators"]["tc_star"]["value"] == pytest.approx(-5 / 13)
    assert chain["indicators"]["rca_star"]["value"] == pytest.approx(1.0)
    assert isinstance(chain["priority_score"], float)


def test_a_bad_partner_code_is_a_usage_error(files, capsys):
    inventory, trade = files
    assert main(["assess", str(inventory), "--trade", str(trade), "--partner", "U5A"]) == 2
    assert "--partner" in capsys.readouterr().err
