"""A new round starts from the previous one; the diff shows what changed per chain."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskdesk.core.models import Outcome, Status
from riskdesk.core.rounds import SCORE_TOLERANCE, diff_chain, diff_rounds
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import Project, ProjectError

from .builders import ROUND, make_result, make_run


def test_new_round_copies_values_and_judgements_marked_carried_over(
    project: Project, taxonomy: Taxonomy
) -> None:
    project.override(ROUND, "C0", Outcome.DESTROYED, reason="断供风险上升")
    project.set_status(ROUND, "C0", Status.APPROVED)
    project.set_note(ROUND, "C1", "延续")
    assert project.new_round(ROUND, "2026") == 3
    old, new = project.inventory(ROUND, taxonomy), project.inventory("2026", taxonomy)
    assert new.keys() == old.keys()
    assert new.frame[list(taxonomy.indicator_ids)].equals(old.frame[list(taxonomy.indicator_ids)])
    j = project.judgement("2026", "C0")
    assert j.carried_over
    assert j.override is not None
    assert j.override.reason == "断供风险上升"
    assert j.status.status == Status.DRAFT  # nothing is assessed in the new round yet
    assert project.judgement(ROUND, "C0").status.status == Status.APPROVED
    project.set_note("2026", "C1", "今年更新")
    assert not project.judgement("2026", "C1").carried_over
    assert project.judgement(ROUND, "C1").note == "延续"  # last year's round is untouched
    assert project.rounds()[1].carried_from == ROUND
    with pytest.raises(ProjectError, match="already exists"):
        project.new_round(ROUND, "2026")
    with pytest.raises(ProjectError, match="no round"):
        project.new_round("1999", "2027")


def test_diff_reports_values_scores_classification_and_strategy(
    project: Project, taxonomy: Taxonomy
) -> None:
    project.save_run(make_run(taxonomy, [
        make_result("C0", Outcome.MISSING, 0.62),
        make_result("C1", Outcome.MONITOR, 0.2, "monitor"),
        make_result("C2", Outcome.MONITOR, 0.1, "monitor"),
    ]), ROUND, taxonomy)
    project.new_round(ROUND, "2026")
    ind = taxonomy.indicator_ids[0]
    project.set_value("2026", "C0", ind, None)  # data withdrawn: missing, not zero
    project.save_run(make_run(taxonomy, [
        make_result("C0", Outcome.MONITOR, 0.35, "monitor"),
        make_result("C1", Outcome.MONITOR, 0.2, "monitor"),
        make_result("C2", Outcome.MONITOR, 0.1, "monitor"),
    ]), "2026", taxonomy)
    diff = project.diff(ROUND, "2026")
    by_id = {c.chain_id: c for c in diff.chains}
    c0 = by_id["C0"]
    assert c0.change == "changed"
    assert [(v.indicator, v.old, v.new) for v in c0.values] == [(ind, 0.1, None)]
    assert [(s.type.value, s.old, s.new) for s in c0.scores] == [("missing", 0.62, 0.35)]
    assert c0.scores[0].delta == pytest.approx(-0.27)
    assert c0.classification is not None
    assert (c0.classification.old, c0.classification.new) == ("missing", "monitor")
    assert c0.strategy is not None
    assert (c0.strategy.old, c0.strategy.new) == ("gradient_cultivation", "monitor")
    assert by_id["C1"].change == "unchanged"
    assert [c.chain_id for c in diff.changed] == ["C0"]
    text = "\n".join(diff.lines("en"))
    assert "missing → monitor" in text
    assert "1 chain(s) changed" in text
    assert "分类" in "\n".join(diff.lines("zh"))


def test_chains_added_or_removed_between_rounds() -> None:
    added = diff_chain(("N", None), None, {"x": 1.0}, None, None)
    removed = diff_chain(("R", "design"), {"x": 1.0}, None, None, None)
    assert (added.change, removed.change) == ("added", "removed")
    assert [(v.old, v.new) for v in added.values] == [(None, 1.0)]
    assert removed.segment == "design"


def test_classification_change_is_audited_only_when_it_changes(
    project: Project, taxonomy: Taxonomy
) -> None:
    def run(outcome: Outcome, score: float) -> None:
        project.save_run(make_run(taxonomy, [make_result("C0", outcome, score)]), ROUND, taxonomy)

    run(Outcome.MISSING, 0.6)
    run(Outcome.MISSING, 0.65)
    run(Outcome.MONITOR, 0.3)
    entries = [e for e in project.history("C0") if e.entity == "classification"]
    assert len(entries) == 2
    assert entries[1].old is not None
    assert '"missing"' in entries[1].old
    assert entries[1].new is not None
    assert '"monitor"' in entries[1].new
    records = project.assessment_history("C0")
    assert [r.primary_type for r in records] == ["missing", "missing", "monitor"]
    assert records[1].type_scores["missing"] == 0.65


def test_first_run_of_a_new_round_is_audited_against_last_years(
    project: Project, taxonomy: Taxonomy
) -> None:
    project.save_run(make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.6),
                                         make_result("C1", Outcome.MONITOR, 0.2, "monitor")]),
                     ROUND, taxonomy)
    project.new_round(ROUND, "2026")
    project.save_run(make_run(taxonomy, [make_result("C0", Outcome.MONITOR, 0.3, "monitor"),
                                         make_result("C1", Outcome.MONITOR, 0.2, "monitor")]),
                     "2026", taxonomy)
    changes = [e for e in project.history() if e.entity == "classification" and e.round == "2026"]
    assert [e.chain_id for e in changes] == ["C0"]
    assert '"missing"' in (changes[0].old or "")


values_maps = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(st.none(), st.floats(min_value=0, max_value=1, allow_nan=False)),
    max_size=4,
)
rounds = st.dictionaries(st.sampled_from([("X", None), ("Y", None), ("Y", "seg")]), values_maps,
                         max_size=3)


@given(a=rounds, b=rounds)
def test_diff_properties(a: dict[Any, Any], b: dict[Any, Any]) -> None:
    same = diff_rounds("r1", "r1", values_a=a, values_b=a, results_a={}, results_b={})
    assert same.changed == []
    forward = diff_rounds("r1", "r2", values_a=a, values_b=b, results_a={}, results_b={})
    backward = diff_rounds("r2", "r1", values_a=b, values_b=a, results_a={}, results_b={})
    assert [c.chain_id for c in forward.chains] == [c.chain_id for c in backward.chains]
    for f, r in zip(forward.chains, backward.chains, strict=True):
        assert [(v.indicator, v.old, v.new) for v in f.values] == [
            (v.indicator, v.new, v.old) for v in r.values
        ]
        flipped = {"added": "removed", "removed": "added"}.get(f.change, f.change)
        assert r.change == flipped
        old_values, new_values = a.get((f.chain_id, f.segment), {}), b.get((f.chain_id, f.segment), {})
        expected = {
            i for i in set(old_values) | set(new_values)
            if (old_values.get(i) is None) != (new_values.get(i) is None)  # missing is not 0
            or not math.isclose(old_values.get(i) or 0.0, new_values.get(i) or 0.0,
                                rel_tol=SCORE_TOLERANCE, abs_tol=SCORE_TOLERANCE)
        }
        assert {v.indicator for v in f.values} == expected
