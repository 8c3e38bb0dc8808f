"""The project subcommands as a user runs them: history, diff, export, assess --project."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from riskdesk.cli.main import main
from riskdesk.cli.project import store_assessment
from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Outcome, file_sha256
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.inventory import read_inventory
from riskdesk.io.project import Project

from .builders import ROUND, make_inventory, make_result, make_run

DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo" / "demo_inventory.xlsx"


@pytest.fixture
def two_rounds(tmp_path: Path, taxonomy: Taxonomy) -> Path:
    path = tmp_path / "p.rdproj"
    with Project.create(path, user="li") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
        p.save_run(make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.6)]), ROUND, taxonomy)
        p.new_round(ROUND, "2026")
        p.set_value("2026", "C0", taxonomy.indicator_ids[0], 0.95)
        p.save_run(make_run(taxonomy, [make_result("C0", Outcome.MONITOR, 0.3, "monitor")]),
                   "2026", taxonomy)
    return path


def test_history_verify_and_json(two_rounds: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.json"
    code = main(["history", str(two_rounds), "--chain", "C0", "--verify", "--json", str(out),
                 "--lang", "en"])
    text = capsys.readouterr().out
    assert code == 0
    assert "audit trail intact" in text
    assert "carry_over" not in text  # --chain shows only that chain's entries
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["verification"]["ok"] is True
    assert [a["primary_type"] for a in data["assessments"]] == ["missing", "monitor"]
    assert any(e["entity"] == "value" and e["who"] == "li" for e in data["entries"])


def test_history_verify_fails_on_a_tampered_log(two_rounds: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(two_rounds)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET who = 'mallory' WHERE seq = 3")
    conn.commit()
    conn.close()
    assert main(["history", str(two_rounds), "--verify", "--lang", "zh"]) == 1
    assert "审计链校验失败" in capsys.readouterr().out


def test_diff_prints_and_writes_json(two_rounds: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.json"
    assert main(["diff", str(two_rounds), "--from", ROUND, "--to", "2026", "--json", str(out),
                 "--lang", "en"]) == 0
    assert "missing → monitor" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    c0 = next(c for c in data["chains"] if c["chain_id"] == "C0")
    assert c0["classification"] == {"old": "missing", "new": "monitor"}
    assert c0["values"][0]["new"] == 0.95


def test_diff_of_an_unknown_round_is_a_usage_error(two_rounds: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(two_rounds), "--from", "1999", "--to", "2026", "--lang", "en"]) == 2
    assert "no round '1999'" in capsys.readouterr().err


def test_missing_project_file_is_one_clear_sentence(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", str(tmp_path / "nope.rdproj")]) == 2
    err = capsys.readouterr().err
    assert "project file not found" in err
    assert "Traceback" not in err


def test_history_works_while_another_instance_has_the_project_open(
    two_rounds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(two_rounds, user="gui-user"):
        assert main(["history", str(two_rounds), "--lang", "en"]) == 0
    assert "import" in capsys.readouterr().out


@pytest.mark.skipif(not DEMO.exists(), reason="demo inventory not built")
def test_assess_into_a_project_then_export_with_the_stored_taxonomy(
    tmp_path: Path, taxonomy: Taxonomy, capsys: pytest.CaptureFixture[str]
) -> None:
    before = file_sha256(DEMO)
    inventory = read_inventory(DEMO, taxonomy)
    run = assess_inventory(inventory, taxonomy, robustness=False)
    path = tmp_path / "demo.rdproj"
    first = store_assessment(path, inventory, run, taxonomy, round_name="2025", user="zhao")
    with Project.open(path, user="zhao") as p:
        chain = run.chains[0].chain_id
        p.set_note("2025", chain, "请结合出口管制清单复核")
        assert p.latest_run("2025") == run
    second = store_assessment(path, inventory, run, taxonomy, round_name="2025", user="zhao")
    assert second == first + 1
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert main(["export", str(path), "--pdf", str(pdf), "--xlsx", str(xlsx), "--chain", chain,
                 "--lang", "zh"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert xlsx.read_bytes().startswith(b"PK")
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    assert "请结合出口管制清单复核" in text.replace("\n", "")
    capsys.readouterr()
    assert file_sha256(DEMO) == before  # the input spreadsheet is never modified


def test_export_without_a_run_says_so(tmp_path: Path, taxonomy: Taxonomy,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.rdproj"
    with Project.create(path, user="a") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    assert main(["export", str(path), "--pdf", str(tmp_path / "x.pdf"), "--lang", "en"]) == 1
    assert "no stored assessment" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_assess_into_a_new_round_starts_from_the_last_one(tmp_path: Path,
                                                          taxonomy: Taxonomy) -> None:
    path = tmp_path / "years.rdproj"
    run = make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.6)])
    store_assessment(path, make_inventory(taxonomy), run, taxonomy, round_name="2025", user="a")
    ind0, ind5 = taxonomy.indicator_ids[0], taxonomy.indicator_ids[5]
    with Project.open(path, user="a") as p:
        p.set_note("2025", "C0", "去年意见")
        p.set_value("2025", "C0", ind0, 0.9)   # the analyst's value for an imported indicator
        p.set_value("2025", "C0", ind5, 0.3)   # and for one the file does not have
    store_assessment(path, make_inventory(taxonomy, scale=2.0), run, taxonomy, round_name="2026",
                     user="a")
    with Project.open(path, user="a") as p:
        assert p.round_names() == ["2025", "2026"]
        j = p.judgement("2026", "C0")
        assert (j.note, j.carried_over) == ("去年意见", True)
        inv = p.inventory("2026", taxonomy)
        row = inv.row_of("C0")
        assert inv.frame.at[row, ind0] == pytest.approx(0.2)  # this year's data replaces it
        assert inv.frame.at[row, ind5] == 0.3  # last year's judgement is the starting point
        changes = {v.indicator: (v.old, v.new) for v in p.diff("2025", "2026").chains[0].values}
        assert changes[ind0] == (0.9, pytest.approx(0.2))
        assert ind5 not in changes
