"""The audit trail names every change and detects a tampered, deleted or truncated entry — in
the project file and in a team database alike."""

from __future__ import annotations

import json

import pytest

from riskdesk.core.models import Outcome
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import Project

from .builders import ROUND, make_result, make_run
from .conftest import DATABASE_ERRORS, Backend


def _edited(project: Project, taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[0]
    project.set_value(ROUND, "C0", ind, 0.9)
    project.set_value(ROUND, "C0", ind, None)
    project.override(ROUND, "C0", Outcome.DESTROYED, reason="技术封锁升级")
    project.set_status(ROUND, "C0", "submitted")
    project.save_run(make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.7)]), ROUND,
                     taxonomy)
    project.undo()
    project.close()


def test_every_change_is_logged_with_who_what_old_and_new(project: Project, backend: Backend,
                                                          taxonomy: Taxonomy) -> None:
    _edited(project, taxonomy)
    with backend.open(user="auditor") as p:
        entries = p.history("C0")
        assert p.verify().ok
    kinds = [(e.action, e.entity) for e in entries]
    assert kinds == [
        ("set", "value"), ("clear", "value"), ("set", "override"), ("set", "status"),
        ("assess", "classification"), ("undo", "status"),
    ]
    assert {e.who for e in entries} == {"analyst"}
    set_value, cleared = entries[0], entries[1]
    assert json.loads(set_value.old or "{}")["value"] == 0.1  # the imported value it replaced
    assert json.loads(set_value.new or "{}")["value"] == 0.9
    assert json.loads(cleared.old or "{}")["value"] == 0.9
    assert cleared.new is None
    assert "技术封锁升级" in (entries[2].new or "")


def test_the_log_cannot_be_edited_through_the_database_while_triggers_stand(
    project: Project, backend: Backend, taxonomy: Taxonomy
) -> None:
    _edited(project, taxonomy)
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        backend.execute("UPDATE audit SET who = 'someone else' WHERE seq = 2")
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        backend.execute("DELETE FROM audit WHERE seq = 2")
    with backend.reopen_to_read("auditor") as p:
        assert p.verify().ok


def test_an_altered_entry_is_found(project: Project, backend: Backend,
                                   taxonomy: Taxonomy) -> None:
    _edited(project, taxonomy)
    backend.tamper(
        "UPDATE audit SET new = replace(new, '技术封锁升级', '无') WHERE entity = 'override'"
    )
    with backend.reopen_to_read("auditor") as p:
        seq = next(e.seq for e in p.history() if e.entity == "override")
        result = p.verify()
    assert not result.ok
    assert [pr.seq for pr in result.problems] == [seq]
    assert "altered" in result.problems[0].problem_en
    assert "篡改" in result.problems[0].problem_zh


def test_a_deleted_entry_is_found(project: Project, backend: Backend,
                                  taxonomy: Taxonomy) -> None:
    _edited(project, taxonomy)
    backend.tamper("DELETE FROM audit WHERE seq = 4")
    with backend.reopen_to_read("auditor") as p:
        result = p.verify()
    assert not result.ok
    assert any("missing" in pr.problem_en and pr.seq == 5 for pr in result.problems)


def test_a_truncated_tail_is_found(project: Project, backend: Backend,
                                   taxonomy: Taxonomy) -> None:
    _edited(project, taxonomy)
    backend.tamper("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    with backend.reopen_to_read("auditor") as p:
        result = p.verify()
    assert not result.ok
    assert "end" in result.problems[-1].problem_en


def test_a_forged_entry_with_a_recomputed_hash_still_breaks_the_chain(
    project: Project, backend: Backend, taxonomy: Taxonomy
) -> None:
    _edited(project, taxonomy)
    with backend.reopen_to_read("x") as p:
        target = p.history()[2]
    forged = target.model_copy(update={"who": "mallory"})
    forged = forged.model_copy(update={"hash": forged.expected_hash()})
    backend.tamper(f"UPDATE audit SET who = '{forged.who}', hash = '{forged.hash}' "
                   f"WHERE seq = {forged.seq}")
    with backend.reopen_to_read("auditor") as p:
        result = p.verify()
    assert [pr.seq for pr in result.problems] == [forged.seq + 1]
