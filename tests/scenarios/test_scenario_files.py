"""Scenario libraries on disk: the bundled one loads; bad files get located problems."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from riskdesk.core.paths import TAXONOMY_DIR
from riskdesk.io.scenarios import MAX_SCENARIO_BYTES, ScenarioFileError, read_scenario_library

GOOD = """schema = 1
[[scenario]]
id = "KOR-ban-180"
name = "韩国对我出口禁令（180天）"
kind = "export_ban"
duration_days = 180
chains = ["*"]
probability = 0.1
[[scenario.shock]]
partner = "KOR"
cut = 1.0
[[scenario.substitution]]
partner = "VNM"
extra = 0.10
from_day = 60
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lib.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list:
    with pytest.raises(ScenarioFileError) as info:
        read_scenario_library(path)
    return info.value.issues


def test_the_issues_format_loads_with_the_hash_of_its_bytes(tmp_path):
    path = _write(tmp_path, GOOD)
    lib = read_scenario_library(path)
    assert lib.ids() == ["KOR-ban-180"]
    sc = lib.scenarios[0]
    assert sc.shocks[0].partner == "KOR" and sc.substitutions[0].from_day == 60
    assert sc.probability == 0.1 and sc.chains == ("*",)
    assert lib.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_bundled_library_loads():
    lib = read_scenario_library(TAXONOMY_DIR / "scenarios.toml")
    kinds = {s.kind for s in lib.scenarios}
    assert {"partner_cutoff", "export_ban", "demand_surge"} <= kinds


def test_a_wrong_kind_is_located(tmp_path):
    (p,) = _problems(_write(tmp_path, GOOD.replace('"export_ban"', '"export_bam"')))
    assert p.file == str(tmp_path / "lib.toml")
    assert p.sheet == "scenario #1 (KOR-ban-180)" and p.column == "kind"
    assert p.value == "export_bam" and "partner_cutoff" in p.message_en


def test_a_cut_above_one_is_located(tmp_path):
    (p,) = _problems(_write(tmp_path, GOOD.replace("cut = 1.0", "cut = 1.5")))
    assert p.sheet == "scenario #1 (KOR-ban-180)" and p.column == "shock[1].cut"
    assert p.value == "1.5" and "less than or equal to 1" in p.message_en
    assert "超过上限" in p.message_zh


def test_an_unknown_key_is_located(tmp_path):
    (p,) = _problems(_write(tmp_path, GOOD.replace('kind = "export_ban"', 'kind = "export_ban"\ncolour = "red"')))
    assert p.column == "colour" and p.value == "red" and "unknown key" in p.message_en


def test_every_problem_of_a_file_is_listed(tmp_path):
    text = GOOD.replace("cut = 1.0", "cut = 1.5") + GOOD.replace('"KOR-ban-180"', '"B"').replace(
        "schema = 1\n", ""
    ).replace("duration_days = 180", "duration_days = -3")
    problems = _problems(_write(tmp_path, text))
    assert [(p.sheet, p.column) for p in problems] == [
        ("scenario #1 (KOR-ban-180)", "shock[1].cut"),
        ("scenario #2 (B)", "duration_days"),
    ]


def test_an_oversize_file_is_refused_before_it_is_parsed(tmp_path):
    path = _write(tmp_path, GOOD + "#" * (MAX_SCENARIO_BYTES + 1))
    (p,) = _problems(path)
    assert p.code == "scenario_file_too_large" and p.file == str(path)


def test_not_toml_wrong_schema_and_ramps_beyond_the_cut(tmp_path):
    (p,) = _problems(_write(tmp_path, "schema = [\n"))
    assert p.code == "scenario_not_toml"
    (p,) = _problems(_write(tmp_path, GOOD.replace("schema = 1", "schema = 2")))
    assert p.column == "schema" and p.value == "2"
    (p,) = _problems(_write(tmp_path, GOOD.replace("extra = 0.10", "extra = 0.9").replace("cut = 1.0", "cut = 0.5")))
    assert "replace lost supply only" in p.message_en and p.sheet.startswith("scenario #1")


def test_duplicate_ids_are_located(tmp_path):
    text = GOOD + GOOD.replace("schema = 1\n", "")
    (p,) = _problems(_write(tmp_path, text))
    assert p.sheet == "scenario #2 (KOR-ban-180)" and p.column == "id"


def test_rules_across_keys_are_located_at_their_key_in_both_languages(tmp_path):
    (p,) = _problems(_write(tmp_path, GOOD.replace("extra = 0.10", "extra = 0.9").replace("cut = 1.0", "cut = 0.5")))
    assert p.column == "substitution" and p.value == "VNM"
    assert "替代只补足损失的供应" in p.message_zh
    (p,) = _problems(_write(tmp_path, GOOD.replace('"export_ban"', '"demand_surge"')))
    assert p.column == "shock" and "demand_surge" in p.message_en and "情景不接受" in p.message_zh
    (p,) = _problems(_write(tmp_path, GOOD.replace('partner = "VNM"', 'partner = "VN"')))
    assert p.column == "substitution[1].partner" and p.value == "VN" and "ISO" in p.message_zh
