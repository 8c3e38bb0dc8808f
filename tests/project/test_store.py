"""Storing and reading back a project: inventory, runs, taxonomy copies, judgements, drafts —
on every store (the `project` and `backend` fixtures: the .rdproj file, TeamStore on PostgreSQL
and on SQLite)."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from riskdesk.core.commands import OverrideError, SelectedMeasure
from riskdesk.core.models import Outcome, Provenance, Status
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import (
    SCHEMA_VERSION,
    DraftAutosaver,
    Project,
    ProjectError,
    ReadOnlyProjectError,
)

from .builders import ROUND, make_inventory, make_result, make_run
from .conftest import DATABASE_ERRORS, Backend


def test_inventory_round_trip_keeps_values_missing_and_provenance(
    project: Project, taxonomy: Taxonomy
) -> None:
    original = make_inventory(taxonomy)
    stored = project.inventory(ROUND, taxonomy)
    assert stored.keys() == original.keys()
    ids = list(taxonomy.indicator_ids)
    for row in range(len(original)):
        for ind in ids:
            a, b = original.frame.at[row, ind], stored.frame.at[row, ind]
            assert (math.isnan(a) and math.isnan(b)) or a == b  # missing stays missing
        assert stored.provenance(row, ids[1]) == original.provenance(row, ids[1])
    assert stored.source is not None
    assert stored.source.sha256 == "ab" * 32


def test_run_round_trip_is_identical_and_taxonomy_reproducible(
    project: Project, taxonomy: Taxonomy
) -> None:
    run = make_run(taxonomy, [make_result("C0", Outcome.MISSING, 0.61),
                              make_result("C1", Outcome.MONITOR, None, "monitor")])
    project.save_run(run, ROUND, taxonomy)
    assert project.latest_run(ROUND) == run
    assert project.taxonomy(taxonomy.sha256) == taxonomy
    assert project.taxonomy(taxonomy.sha256).sha256 == taxonomy.sha256


def test_run_with_a_different_taxonomy_is_refused(project: Project, taxonomy: Taxonomy) -> None:
    other = taxonomy.with_changes(name="edited")
    run = make_run(other, [make_result("C0", Outcome.MISSING, 0.6)])
    with pytest.raises(ProjectError, match="taxonomy"):
        project.save_run(run, ROUND, taxonomy)


def test_override_needs_a_reason_in_core_and_in_the_database(project: Project,
                                                             backend: Backend) -> None:
    with pytest.raises(OverrideError):
        project.override(ROUND, "C0", Outcome.DESTROYED, reason="   ")
    project.override(ROUND, "C0", Outcome.DESTROYED, reason="出口管制清单新增")
    judgement = project.judgement(ROUND, "C0")
    assert judgement.override is not None
    assert judgement.override.reason == "出口管制清单新增"
    assert judgement.override.by == "analyst"
    with pytest.raises(DATABASE_ERRORS, match=r"(?i)check"):
        backend.execute("UPDATE judgements SET override_reason = '' WHERE chain_id = 'C0'")


def test_accepting_needs_no_reason_and_all_judgements_persist(backend: Backend,
                                                              taxonomy: Taxonomy) -> None:
    with backend.open(user="li") as p:
        p.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
        p.accept(ROUND, "C1", Outcome.MONITOR)
        p.set_status(ROUND, "C1", Status.APPROVED)
        p.set_measures(ROUND, "C1", [SelectedMeasure(measure_id="m1"),
                                     SelectedMeasure(text="自拟措施", added=True)])
        p.set_note(ROUND, "C1", "待复核")
    with backend.open(user="li") as p:
        j = p.judgement(ROUND, "C1")
    assert j.override is not None
    assert j.override.decision == "accepted"
    assert j.status.status == Status.APPROVED
    assert j.status.by == "li"
    assert j.measures is not None
    assert [m.added for m in j.measures] == [False, True]
    assert j.note == "待复核"


def test_reimport_keeps_the_analysts_own_values(project: Project, taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[0]
    project.set_value(ROUND, "C0", ind, 0.77)
    summary = project.import_inventory(make_inventory(taxonomy, scale=2.0), ROUND, taxonomy)
    assert summary.kept_analyst_values == 1
    inv = project.inventory(ROUND, taxonomy)
    row = inv.row_of("C0")
    assert inv.frame.at[row, ind] == 0.77
    prov = inv.provenance(row, ind)
    assert prov is not None
    assert prov.kind == "expert"
    assert inv.frame.at[row, taxonomy.indicator_ids[1]] == pytest.approx(0.4)


def test_edit_of_an_unknown_chain_is_refused(project: Project) -> None:
    with pytest.raises(ProjectError, match="not in this project"):
        project.set_note(ROUND, "NOPE", "x")


def test_read_only_open_reads_but_never_writes(project: Project, taxonomy: Taxonomy) -> None:
    if project.path is None:
        pytest.skip("a team database is read-only per database role (the roles tests)")
    project.set_note(ROUND, "C0", "kept")
    ro = Project.open(project.path, user="reader", read_only=True)
    try:
        assert ro.judgement(ROUND, "C0").note == "kept"
        with pytest.raises(ReadOnlyProjectError):
            ro.set_note(ROUND, "C0", "changed")
        with pytest.raises(ReadOnlyProjectError):
            ro.import_inventory(make_inventory(taxonomy), ROUND, taxonomy)
    finally:
        ro.close()


def test_newer_project_is_refused_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "future.rdproj"
    Project.create(path, user="a").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    for read_only in (False, True):
        with pytest.raises(ProjectError) as info:
            Project.open(path, user="a", read_only=read_only)
        assert "newer riskdesk" in info.value.message("en")
        assert "更新版本" in info.value.message("zh")
    assert not (tmp_path / "future.rdproj.lock").exists()


def test_a_file_that_is_not_a_project_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.rdproj"
    path.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(ProjectError, match="not a riskdesk project"):
        Project.open(path, user="a")
    assert path.read_bytes().startswith(b"this is a text file")


def test_create_refuses_to_overwrite(project: Project) -> None:
    if project.path is None:
        pytest.skip("a file-only refusal")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project.path, user="a")
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(project.path.parent / "no-such-folder" / "x.rdproj", user="a")


def test_drafts_survive_until_discarded(backend: Backend) -> None:
    with backend.open(user="a") as p:
        p.autosave_draft("wizard:C0", '{"step": 3}')
    with backend.open(user="a") as p:
        assert [(d.key, d.payload) for d in p.recovered_drafts()] == [("wizard:C0", '{"step": 3}')]
        p.discard_draft("wizard:C0")
        assert p.recovered_drafts() == []


def test_autosaver_writes_at_most_once_per_interval_and_flushes(project: Project) -> None:
    now = [0.0]
    saver = DraftAutosaver(project, interval_s=30.0, clock=lambda: now[0])
    assert saver.update("k", "1")
    now[0] = 10.0
    assert not saver.update("k", "2")
    assert project.recovered_drafts()[0].payload == "1"
    now[0] = 31.0
    assert saver.update("k", "3")
    assert project.recovered_drafts()[0].payload == "3"
    now[0] = 32.0
    saver.update("k", "4")
    saver.flush()
    assert project.recovered_drafts()[0].payload == "4"


def test_expert_value_gets_provenance_of_the_user(project: Project, taxonomy: Taxonomy) -> None:
    ind = taxonomy.indicator_ids[4]
    project.set_value(ROUND, "C2", ind, 0.3, year=2024)
    value = project.get_value(project_ref("C2"), ind)
    assert value is not None
    assert value.provenance.kind == "expert"
    assert value.provenance.expert == "analyst"
    assert value.year == 2024
    given = Provenance(kind="computed", method="share of top source")
    project.set_value(ROUND, "C2", ind, 0.4, provenance=given)
    value = project.get_value(project_ref("C2"), ind)
    assert value is not None
    assert value.provenance == given


def project_ref(chain_id: str):  # type: ignore[no-untyped-def]
    from riskdesk.core.commands import ChainRef

    return ChainRef(round=ROUND, chain_id=chain_id)


def test_segmented_chain_takes_whole_chain_judgements_and_segment_values(
    backend: Backend, taxonomy: Taxonomy
) -> None:
    from riskdesk.core.inventory import Inventory
    from riskdesk.core.models import Chain

    chains = [Chain(chain_id="IC", chain_name="集成电路", segment=s) for s in ("设计", "制造")]
    with backend.open(user="a") as p:
        p.import_inventory(Inventory.from_records(taxonomy, chains), ROUND, taxonomy)
        p.set_note(ROUND, "IC", "整链意见")
        p.set_value(ROUND, "IC", taxonomy.indicator_ids[0], 0.5, segment="制造")
        with pytest.raises(ProjectError, match="per segment"):
            p.set_value(ROUND, "IC", taxonomy.indicator_ids[0], 0.5)
        assert p.judgement(ROUND, "IC").note == "整链意见"
        inv = p.inventory(ROUND, taxonomy)
        assert inv.frame.at[inv.row_of("IC", "制造"), taxonomy.indicator_ids[0]] == 0.5
        assert math.isnan(inv.frame.at[inv.row_of("IC", "设计"), taxonomy.indicator_ids[0]])


def test_import_judgements_in_one_go_is_audited_per_field(project: Project) -> None:
    from riskdesk.core.commands import Judgement, Override, StatusRecord

    decided = Judgement(
        override=Override(decision="overridden", outcome=Outcome.RESPONSE, reason="应急能力不足"),
        status=StatusRecord(status=Status.SUBMITTED, by="w"),
        note="整体导入",
    )
    assert project.import_judgements(ROUND, {("C0", None): decided, ("C1", None): Judgement()}) == 3
    assert project.judgements(ROUND) == {("C0", None): decided}
    fields = sorted(e.entity for e in project.history("C0") if e.action == "import")
    assert fields == ["note", "override", "status"]
    assert project.import_judgements(ROUND, {("C0", None): decided}) == 0
    with pytest.raises(ProjectError):
        project.import_judgements(ROUND, {("NOPE", None): decided})
    assert project.judgements(ROUND) == {("C0", None): decided}  # all or nothing


def test_edits_from_a_worker_thread_are_serialised(project: Project, taxonomy: Taxonomy) -> None:
    import threading

    ind = taxonomy.indicator_ids[3]
    errors: list[BaseException] = []

    def worker(chain: str) -> None:
        try:
            for k in range(20):
                project.put_note(project_ref(chain), f"{chain}-{k}")
                project.set_value(ROUND, chain, ind, k / 100)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(c,)) for c in ("C0", "C1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert project.judgement(ROUND, "C1").note == "C1-19"
    assert project.verify().ok
    assert project.integrity_ok()
