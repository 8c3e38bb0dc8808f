"""`riskdesk scenario` on the demo inventory and the bundled library, read back from disk."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from riskdesk.cli.main import main
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY, TAXONOMY_DIR

LIBRARY = TAXONOMY_DIR / "scenarios.toml"


def _crit_min_by_hand() -> dict[str, float]:
    """CRIT-MIN under COD-ban-365: IR 0.7, 20 days of stock, COD 65 % of imports cut for 365 d,
    AUS +0.15 from day 120, IDN +0.15 from day 180 (demo inventory and bundled library)."""
    r1, r2, r3 = 0.7 * 0.65, 0.7 * 0.50, 0.7 * 0.35
    total = r1 * 120 + r2 * 60 + r3 * 185
    return {"tts": 20 / r1, "unmet": total - 20, "share": (total - 20) / 365,
            "expected": 0.1 * (total - 20)}  # fmt: skip


def test_scenario_command_writes_json_and_workbook(tmp_path):
    out_json, out_xlsx = tmp_path / "s.json", tmp_path / "s.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "riskdesk", "scenario", str(DEMO_INVENTORY), "--scenarios",
         str(LIBRARY), "--country-risk", str(DEMO_COUNTRY_RISK), "--json", str(out_json),
         "--xlsx", str(out_xlsx), "--lang", "en"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    hand = _crit_min_by_hand()

    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["scenario_library"]["sha256"] and len(data["chains"]) == 13
    chain = next(c for c in data["chains"] if c["chain_id"] == "CRIT-MIN")
    assert chain["baseline"]["primary_type"] == "response"
    cod = chain["scenarios"]["COD-ban-365"]
    assert cod["tts_days"] == pytest.approx(hand["tts"])
    assert cod["ttr_days"] == 365
    assert cod["unmet_days"] == pytest.approx(hand["unmet"])
    assert cod["unmet_share"] == pytest.approx(hand["share"])
    assert cod["expected_unmet_days"] == pytest.approx(hand["expected"])
    assert cod["shares"] == pytest.approx({"AUS": 0.30 / 0.65, "IDN": 0.27 / 0.65, "CHL": 0.08 / 0.65}, abs=1e-6)
    assert cod["indicators"]["ttr_tts_ratio"] == pytest.approx(365 / hand["tts"])
    assert set(cod) >= {"tts_days", "ttr_days", "unmet_days", "unmet_share", "shares", "indicators",
                        "type_scores", "primary_type", "strategy", "changed", "drivers"}
    # a chain without partner shares gets no number for a cut, only the reason
    aero = next(c for c in data["chains"] if c["chain_id"] == "AERO-ENG")["scenarios"]["COD-ban-365"]
    assert aero["unmet_days"] is None and aero["missing"] == ["no_partner_shares"]

    wb = openpyxl.load_workbook(out_xlsx, read_only=True)
    matrix = list(wb["Scenario matrix"].iter_rows(values_only=True))
    header = list(matrix[0])
    row = next(r for r in matrix if r[0] == "CRIT-MIN")
    assert row[header.index("COD-ban-365 unmet share")] == pytest.approx(hand["share"])
    assert row[header.index("COD-ban-365 shocked type")].endswith("▲")
    long = list(wb["Scenario results"].iter_rows(values_only=True))
    cols = list(long[0])
    line = next(r for r in long if r[0] == "CRIT-MIN" and r[2] == "COD-ban-365")
    assert line[cols.index("TTS (days)")] == pytest.approx(hand["tts"])
    assert line[cols.index("Unmet demand (consumption-days)")] == pytest.approx(hand["unmet"])
    assert len(long) == 1 + 13 * 5


def test_an_output_never_overwrites_the_library(tmp_path, capsys):
    lib = tmp_path / "lib.toml"
    lib.write_bytes(LIBRARY.read_bytes())
    code = main(["scenario", str(DEMO_INVENTORY), "--scenarios", str(lib), "--json", str(lib)])
    assert code == 2 and lib.read_bytes() == LIBRARY.read_bytes()
    assert "--json" in capsys.readouterr().err


def test_a_bad_library_is_reported_with_its_location(tmp_path, capsys):
    lib = tmp_path / "lib.toml"
    lib.write_text(LIBRARY.read_text(encoding="utf-8").replace("cut = 1.0", "cut = 2.0", 1),
                   encoding="utf-8")  # fmt: skip
    code = main(["scenario", str(DEMO_INVENTORY), "--scenarios", str(lib), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert "lib.toml / scenario #1 (JPN-cutoff-180) col shock[1].cut: shock[1].cut = 2:" in err
    assert "Traceback" not in err
    assert main(["scenario", str(DEMO_INVENTORY), "--scenarios", str(tmp_path / "none.toml")]) == 2
