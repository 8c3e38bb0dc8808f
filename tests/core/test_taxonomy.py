"""The taxonomy as data: loads, hashes by content, refuses invalid copies with located messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskdesk.core.assess import assess_inventory
from riskdesk.core.taxonomy import DEFAULT_TAXONOMY_DIR, TaxonomyError, load_taxonomy

SPEC_INDICATORS = [
    "import_dependence",
    "top_source_share",
    "source_hhi",
    "risk_weighted_hhi",
    "geo_risk_share",
    "substitutability",
    "non_market_pressure",
    "supplier_count",
    "tc_index",
    "rca_index",
    "gvc_forward",
    "gvc_backward",
    "rd_intensity",
    "basic_research_share",
    "core_patent_share",
    "tech_gap_years",
    "segment_market_share",
    "global_top3_share",
    "capacity_share_change",
    "employment_change",
    "firm_count_change",
    "key_market_share_change",
    "relocation_intent",
    "rca_trend",
    "alt_route_adoption",
    "sep_share",
    "ttr_tts_ratio",
    "inventory_days",
    "qualified_alt_suppliers",
    "single_source_share",
    "logistics_concentration",
    "disruptions_3y",
    "supplier_db_coverage",
    "early_warning",
    "coordination",
    "security_review",
    "policy_response_days",
]
# v2 (SPEC §11): a standards driver for route switching, a TC trend and key lines leaving as
# evidence for relocation, importance inputs, the segment value share, and the bilateral TC*/RCA*
V2_INDICATORS = ["standard_push", "tc_trend", "key_line_relocation"]
UNSCORED = ["output_share", "linkage_index", "segment_value_share", "tc_star", "rca_star"]


@pytest.fixture
def copy_dir(tmp_path) -> Path:
    target = tmp_path / "tax"
    shutil.copytree(DEFAULT_TAXONOMY_DIR, target)
    return target


def test_default_taxonomy_has_the_spec_catalogue(taxonomy):
    assert [i for i in taxonomy.indicator_ids if i not in V2_INDICATORS + UNSCORED] == (
        SPEC_INDICATORS
    )
    assert set(V2_INDICATORS + UNSCORED) <= set(taxonomy.indicator_ids)
    assert all(taxonomy.indicator_by_id[i].scored for i in V2_INDICATORS)
    assert not any(taxonomy.indicator_by_id[i].scored for i in UNSCORED)
    assert taxonomy.capability_dimensions == (
        "lock_in", "basic_research", "uneconomic_entry", "transfer", "route_switch",
        "own_capacity", "management_system",
    )  # fmt: skip
    gate = {i.id: i.weights["exposure"] for i in taxonomy.indicators if "exposure" in i.weights}
    assert gate == {
        "risk_weighted_hhi": 0.25, "geo_risk_share": 0.25, "non_market_pressure": 0.25,
        "substitutability": 0.15, "top_source_share": 0.05, "source_hhi": 0.05,
    }  # fmt: skip
    ind = taxonomy.indicator_by_id["import_dependence"]
    assert (ind.safe, ind.critical, ind.name_zh) == (0.30, 0.90, "对外依存度")
    assert taxonomy.indicator_by_id["rd_intensity"].lower_is_worse


def test_hash_is_stable_and_changes_with_content(copy_dir, taxonomy):
    same = load_taxonomy(copy_dir)
    assert same.sha256 == taxonomy.sha256
    path = copy_dir / "taxonomy.toml"
    # comments do not change the version …
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_taxonomy(copy_dir).sha256 == taxonomy.sha256
    # … a threshold does
    path.write_text(path.read_text(encoding="utf-8").replace("min_coverage = 0.5", "min_coverage = 0.6"),
                    encoding="utf-8")  # fmt: skip
    assert load_taxonomy(copy_dir).sha256 != taxonomy.sha256


def test_a_modified_copy_changes_the_result(copy_dir, make_inventory):
    path = copy_dir / "taxonomy.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("assign_threshold = 0.5", "assign_threshold = 0.9"),
                    encoding="utf-8")  # fmt: skip
    strict = load_taxonomy(copy_dir)
    row = {"chain_id": "x", "chain_name": "x", "early_warning": 1, "coordination": 1,
           "security_review": 1, "policy_response_days": 120}  # fmt: skip
    default_result = assess_inventory(
        make_inventory([row]), load_taxonomy(), robustness=False
    ).chains[0]
    strict_result = assess_inventory(
        make_inventory([row], strict), strict, robustness=False
    ).chains[0]
    assert default_result.primary_type == "response"
    assert strict_result.primary_type == "monitor"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "indicators.toml",
            "critical = 0.9\n",
            "critical = 0.3\n",
            "safe and critical anchors must differ",
        ),
        ("indicators.toml", "lock_in = 0.35", "lock_inn = 0.35", "unknown dimension 'lock_inn'"),
        ("taxonomy.toml", "low = 0.30", "low = 0.80", "level thresholds must rise"),
        ("taxonomy.toml", "min_coverage = 0.5", 'min_coverage = "half"', "scoring.min_coverage"),
        (
            "strategies.toml",
            'id = "leadership"\nstrategy = "gradient_cultivation"',
            'id = "leadership"\nstrategy = "gradient"',
            "sub_strategies.0.strategy",
        ),
        ("taxonomy.toml", "base = 0.4", "base = 0.7", "base + slope must not exceed 1"),
    ],
)
def test_invalid_copy_is_refused_with_file_and_key_path(copy_dir, file, old, new, expected):
    path = copy_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(copy_dir)
    message = str(err.value)
    assert expected in message
    assert file in message or "taxonomy" in message


def test_broken_toml_and_missing_files_are_named(copy_dir, tmp_path):
    (copy_dir / "indicators.toml").write_text("[[indicators]\nid = ", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"indicators\.toml: not valid TOML"):
        load_taxonomy(copy_dir)
    (copy_dir / "strategies.toml").unlink()
    with pytest.raises(TaxonomyError, match=r"strategies\.toml: file missing"):
        load_taxonomy(copy_dir)
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nowhere")


def test_taxonomy_text_is_data_never_code(copy_dir):
    path = copy_dir / "taxonomy.toml"
    payload = '__import__("os").system("touch /tmp/riskdesk-pwned")'
    path.write_text(path.read_text(encoding="utf-8").replace(
        'name = "riskdesk default taxonomy (Li & He capability view)"', f"name = '{payload}'"),
        encoding="utf-8")  # fmt: skip
    tax = load_taxonomy(copy_dir)
    assert tax.name == payload
    assert not Path("/tmp/riskdesk-pwned").exists()
