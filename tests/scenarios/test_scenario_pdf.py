"""The scenario PDF chapter, read back with pypdf: heading, library, ranked table, missing inputs;
`riskdesk scenario --pdf` and `riskdesk demo` writing it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskdesk.cli.main import main
from riskdesk.core.assess import assess_portfolio
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY, TAXONOMY_DIR
from riskdesk.core.scenario_run import ScenarioRun, run_scenarios
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.inventory import read_inventory
from riskdesk.io.scenarios import read_scenario_library
from riskdesk.reports.options import ReportOptions
from riskdesk.reports.pdf_scenarios import write_scenario_pdf

LIBRARY = TAXONOMY_DIR / "scenarios.toml"


def _crit_min_by_hand() -> tuple[float, float, float]:
    """CRIT-MIN under COD-ban-365 (as tests/scenarios/test_scenario_cli.py): IR 0.7, 20 days of
    stock, COD 65 % of imports cut for 365 d, AUS +0.15 from day 120, IDN +0.15 from day 180."""
    r1, r2, r3 = 0.7 * 0.65, 0.7 * 0.50, 0.7 * 0.35
    unmet = r1 * 120 + r2 * 60 + r3 * 185 - 20
    return 20 / r1, unmet, unmet / 365


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _flat(text: str) -> str:
    """Without whitespace: table cells wrap ids and names at any character."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def demo_run(taxonomy) -> ScenarioRun:
    risk = CountryRiskList.load(DEMO_COUNTRY_RISK)
    portfolio = assess_portfolio(
        read_inventory(DEMO_INVENTORY, taxonomy), taxonomy, country_risk=risk, robustness=False
    )
    return run_scenarios(portfolio, read_scenario_library(LIBRARY), country_risk=risk)


@pytest.fixture(scope="module")
def english_pdf(demo_run, taxonomy, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("pdf") / "scenarios.pdf"
    write_scenario_pdf(path, demo_run, taxonomy, ReportOptions(lang="en"))
    return _text(path)


def test_the_chapter_names_every_scenario_and_its_library(english_pdf, demo_run):
    text, flat = english_pdf, _flat(english_pdf)
    assert "Scenario analysis" in text
    for sc in demo_run.library.scenarios:
        assert _flat(sc.id) in flat and _flat(sc.name) in flat
    assert f"sha256 {demo_run.library.sha256[:12]}" in text
    for number in (1, 2, 3):
        assert f"Table {number}." in text
    assert "Figure 1." in text and "Figure 2." in text
    assert "never as 0" in text  # the model in words says how missing inputs are shown


def test_the_ranked_tables_top_row_is_the_hand_computed_crit_min_ban(english_pdf):
    tts, unmet, share = _crit_min_by_hand()
    assert (f"{tts:.2f}", f"{unmet:.1f}", f"{share:.2%}") == ("43.96", "100.9", "27.65%")
    ranked = _flat(english_pdf.split("Table 2.", 1)[1].split("Table 3.", 1)[0])
    first = ranked.split("Drivers", 1)[1]
    assert first.startswith("1CRIT-MIN"), first[:80]
    assert f"COD-ban-365{tts:.2f}365{unmet:.1f}{share:.2%}" in first.split("2AUTO-CHIP", 1)[0]


def test_chains_without_inputs_read_n_a_with_the_reason(english_pdf):
    missing = english_pdf.split("Table 3.", 1)[1].split("Figure 2.", 1)[0]
    row = next(line for line in missing.splitlines() if "n/a / n/a" in line)
    assert row.strip() == "n/a / n/a"
    assert "AERO-ENG" in missing and "no import partner shares (give a trade table)" in missing
    assert "import_dependence is missing" in missing  # 5G-RAN and others
    # a chain without inventory days: the shortfall is known, TTS and unmet are not
    assert "inventory_days is missing" in missing and "shortfall 95.85" in missing
    # the heat map's n/a cells are explained in words under it
    assert re.search(r"Why cells are n/a: \d+ cells: no import partner shares", english_pdf)


def test_the_chinese_chapter_has_no_raw_keys(demo_run, taxonomy, tmp_path):
    path = write_scenario_pdf(tmp_path / "s.pdf", demo_run, taxonomy, ReportOptions(lang="zh"))
    text = _text(path)
    assert "情景分析" in text and "冲击影响排序" in text and "缺少对外依存度" in text
    for raw in ("col_", "cap_", "kind.", "type.", "{", "}"):
        assert raw not in text


def test_scenario_pdf_refuses_an_input_as_output(tmp_path, capsys):
    lib = tmp_path / "lib.toml"
    lib.write_bytes(LIBRARY.read_bytes())
    code = main(["scenario", str(DEMO_INVENTORY), "--scenarios", str(lib), "--pdf", str(lib)])
    assert code == 2 and lib.read_bytes() == LIBRARY.read_bytes()
    assert "--pdf" in capsys.readouterr().err


def test_scenario_command_writes_the_pdf(tmp_path):
    out = tmp_path / "s.pdf"
    code = main(["scenario", str(DEMO_INVENTORY), "--scenarios", str(LIBRARY), "--country-risk",
                 str(DEMO_COUNTRY_RISK), "--pdf", str(out), "--lang", "en"])  # fmt: skip
    assert code == 0
    assert "Scenario analysis" in _text(out)
    assert not [p for p in tmp_path.iterdir() if p != out]  # no temporary file left


def test_demo_writes_the_scenario_files(tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "riskdesk", "demo", "--no-gui", "--out", str(out), "--lang", "en"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    files = [out / f"scenarios_en.{ext}" for ext in ("pdf", "xlsx", "json")]
    for path in files:
        assert path.is_file() and path.stat().st_size > 0
        assert str(path.resolve()) in proc.stdout
    text = _text(files[0])
    assert "Scenario analysis" in text and "COD-ban-365" in text


def test_a_wide_library_gets_a_capped_map_with_type_codes(demo_run, taxonomy, tmp_path):
    """20 scenarios and a cap of 5 chains: the map is cut (and says so), its cells carry codes
    explained under it, and the build fits the page (no layout error)."""
    from riskdesk.core.scenarios import ScenarioLibrary
    from riskdesk.reports.pdf_base import ReportPdf
    from riskdesk.reports.pdf_scenarios import ScenarioPdf, scenario_chapter

    lib = demo_run.library
    many = [sc.model_copy(update={"id": f"{sc.id}-{k}"}) for k in range(4) for sc in lib.scenarios]
    wide = run_scenarios(demo_run.portfolio, ScenarioLibrary(scenarios=tuple(many), sha256=lib.sha256,
                         source=lib.source), country_risk=CountryRiskList.load(DEMO_COUNTRY_RISK))  # fmt: skip

    class Capped(ScenarioPdf):
        def story(self) -> list:
            return scenario_chapter(self, self.scenario_run, self.taxonomy, level=0, heat_rows=5)

    path = tmp_path / "wide.pdf"
    pdf: ReportPdf = Capped(wide, ReportOptions(lang="en"), taxonomy)
    pdf.build(path)
    text = _text(path)
    assert "The map shows the 5 most affected of 13 chains and the first 14 of 20 scenarios" in text
    assert "Type codes in the cells:" in text and "RL = Resp. lagging" in text
