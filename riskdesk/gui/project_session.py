"""Opening and saving .rdproj projects from the window (riskdesk.io.project does the storage).

With a project attached, the workspace forwards every edit (values, overrides, measures, notes,
status) to the project, which writes each in its own transaction with an audit entry; every
scoring run is saved too. Without one, work lives in memory until "Save project as…".
"""

from __future__ import annotations

from pathlib import Path

from riskdesk.core.inventory import Inventory
from riskdesk.core.results import AssessmentRun
from riskdesk.core.rounds import RoundDiff
from riskdesk.gui.inventory_model import fast_keys
from riskdesk.gui.workspace import Workspace
from riskdesk.io.project import Project

DEFAULT_ROUND = "current"


def open_project(ws: Workspace, path: Path) -> Project:
    """Open a project, load its latest round into the workspace and attach it as the store."""
    project = Project.open(path, ws.analyst or None)
    rounds = project.round_names()
    round_name = rounds[-1] if rounds else DEFAULT_ROUND
    inventory = (
        project.inventory(round_name, ws.taxonomy)
        if rounds
        else Inventory(frame=Inventory.empty_frame(ws.taxonomy))
    )
    detach(ws)
    ws.round = round_name
    ws.set_inventory(inventory, path.name)
    ws.judgements = (
        {key: project.judgement(round_name, key[0], key[1]) for key in fast_keys(inventory)}
        if rounds
        else {}
    )
    run = project.latest_run(round_name) if rounds else None
    ws.attach_store(project)
    ws.set_run(run)
    ws.decisions_changed.emit()
    return project


def save_project_as(ws: Workspace, path: Path) -> Project:
    """Create a project holding the current inventory, its latest run and every judgement."""
    project = Project.create(path, ws.analyst or None)
    round_name = ws.round or DEFAULT_ROUND
    project.import_inventory(ws.inventory, round_name, ws.taxonomy)
    if ws.run is not None and ws.run.taxonomy.sha256 == ws.taxonomy.sha256:
        project.save_run(ws.run, round_name, ws.taxonomy)
    for key, judgement in ws.judgements.items():
        ref = ws.ref(key)
        if judgement.override is not None:
            project.put_override(ref, judgement.override)
        project.put_status(ref, judgement.status)
        if judgement.measures is not None:
            project.put_measures(ref, judgement.measures)
        if judgement.note:
            project.put_note(ref, judgement.note)
    detach(ws)
    ws.attach_store(project)
    ws.source_label = path.name
    return project


def save_run(ws: Workspace, run: AssessmentRun) -> None:
    project = ws.store
    if isinstance(project, Project) and run.taxonomy.sha256 == ws.taxonomy.sha256:
        project.save_run(run, ws.round, ws.taxonomy)


def store_inventory(ws: Workspace, inventory: Inventory) -> None:
    project = ws.store
    if isinstance(project, Project):
        project.import_inventory(inventory, ws.round, ws.taxonomy)


def detach(ws: Workspace) -> None:
    project = ws.store
    ws.attach_store(None)
    if isinstance(project, Project):
        project.close()


def previous_round_diff(ws: Workspace) -> RoundDiff | None:
    """What changed since the round before the open one (None without a project or a prior round)."""
    project = ws.store
    if not isinstance(project, Project):
        return None
    rounds = project.round_names()
    if ws.round not in rounds or rounds.index(ws.round) == 0:
        return None
    return project.diff(rounds[rounds.index(ws.round) - 1], ws.round)
