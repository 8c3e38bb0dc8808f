"""Finding 5: long text (a 4,200-character description, a 3,000-character name, 10,000-character
cells) never stops the PDF: names are shortened, cells are cut with a note that gives the full
length, and the report is written — dossier and portfolio, through the real command."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from hostile import ROOT, run_cli
from pypdf import PdfReader

DEMO = ROOT / "assets" / "demo" / "demo_inventory.xlsx"
DESCRIPTION = "很长的描述，" * 700
NAME = "超长名称" * 750
HUGE = "x" * 10_000


@pytest.fixture(scope="module")
def long_inventory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("long")
    path = folder / "long.xlsx"
    shutil.copy(DEMO, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["chains"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("chain_id", "chain_name", "description",
                                                      "owner")}  # fmt: skip
    ws.cell(2, col["description"]).value = DESCRIPTION
    ws.cell(3, col["chain_name"]).value = NAME
    ws.cell(4, col["description"]).value = HUGE
    ws.cell(4, col["owner"]).value = "负责人" * 3000
    ids = [str(ws.cell(r, col["chain_id"]).value) for r in (2, 3, 4)]
    wb.save(path)
    return path, ids


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_portfolio_with_long_texts_is_written_with_cut_notes(
    long_inventory: tuple[Path, list[str]], tmp_path: Path
) -> None:
    inv, _ = long_inventory
    out = tmp_path / "portfolio.pdf"
    proc = run_cli(["assess", inv, "--pdf", out, "--no-robustness"], timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "unexpected error" not in proc.stderr
    text = _flat(_text(out))
    # The cut notes give the full length, counted here from what was written into the file.
    assert f"全文共{len(DESCRIPTION):,}字" in text
    assert f"全文共{len(HUGE):,}字" in text
    # The name appears only shortened: 160 characters at most (159 and an ellipsis).
    assert NAME[:159] + "…" in text
    assert NAME[:161] not in text


def test_a_dossier_of_the_long_named_chain_is_written(
    long_inventory: tuple[Path, list[str]], tmp_path: Path
) -> None:
    inv, ids = long_inventory
    out = tmp_path / "dossier.pdf"
    proc = run_cli(["assess", inv, "--chain", ids[1], "--pdf", out, "--no-robustness",
                    "--lang", "en"], timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert all(len(t) <= 210 for t in titles)
    assert NAME[:40] in _flat(_text(out))


def test_a_ten_thousand_character_cell_in_a_dossier(
    long_inventory: tuple[Path, list[str]], tmp_path: Path
) -> None:
    inv, ids = long_inventory
    out = tmp_path / "huge.pdf"
    proc = run_cli(["assess", inv, "--chain", ids[2], "--pdf", out, "--no-robustness",
                    "--lang", "en"], timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = _flat(_text(out))
    assert f"thefull{len(HUGE):,}charactersareintheinputfile" in text
    assert f"thefull{len('负责人' * 3000):,}charactersareintheinputfile" in text
