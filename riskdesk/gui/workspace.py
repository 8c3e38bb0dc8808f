"""The open work as the window sees it: inventory, taxonomy, results, the analyst's judgements, undo.

The engine scores (riskdesk.core.assess); edits are the core's command objects
(riskdesk.core.commands) wrapped in QUndoCommand, so Edit ▸ Undo covers data entry, overrides,
measures, notes and status alike. The workspace is the commands' EditTarget: values go into the
inventory frame with their provenance, judgements into a per-chain table; when a project store is
attached (`attach_store`), every put is forwarded to it as well, so it is saved and audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from riskdesk.core.commands import (
    ChainRef,
    Command,
    Judgement,
    Override,
    SelectedMeasure,
    StatusRecord,
)
from riskdesk.core.inventory import ChainKey, Inventory
from riskdesk.core.models import IndicatorValue, Lang, Status
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy, default_taxonomy
from riskdesk.gui.cells import cell, cell_float, set_cell
from riskdesk.gui.qt import QObject, QUndoCommand, QUndoStack, Signal, translate

CURRENT_ROUND = "current"


class JudgementStore(Protocol):
    """What a project store must accept for the workspace to forward edits to it."""

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None: ...
    def put_override(self, ref: ChainRef, override: Override | None) -> None: ...
    def put_status(self, ref: ChainRef, status: StatusRecord) -> None: ...
    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None: ...
    def put_note(self, ref: ChainRef, note: str | None) -> None: ...


def result_for_key(run: AssessmentRun | None, key: ChainKey) -> ChainResult | None:
    if run is None:
        return None
    chain_id, segment = key
    for chain in run.chains:
        if chain.chain_id != chain_id:
            continue
        if segment is None or chain.segment == segment:
            return chain
        for seg in chain.segments:
            if seg.segment == segment:
                return seg
    return None


def results_by_key(run: AssessmentRun) -> dict[ChainKey, ChainResult]:
    """Every chain and segment result by its key, for tables over many rows (one pass)."""
    out: dict[ChainKey, ChainResult] = {}
    for chain in run.chains:
        out[(chain.chain_id, chain.segment)] = chain
        for seg in chain.segments:
            out[(seg.chain_id, seg.segment)] = seg
    return out


def run_engine(
    inventory: Inventory,
    taxonomy: Taxonomy,
    country_risk: object | None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    robustness: bool = True,
) -> AssessmentRun:
    """The one call into the scoring engine."""
    from riskdesk.core.assess import assess_inventory

    kwargs: dict[str, Any] = {"robustness": robustness, "progress": progress, "cancel": cancel}
    if country_risk is not None:
        kwargs["country_risk"] = country_risk
    return assess_inventory(inventory, taxonomy, **kwargs)


class Workspace(QObject):
    """Holds the open work's state, emits what changed, owns the undo stack; an EditTarget."""

    inventory_changed = Signal()
    results_changed = Signal()
    decisions_changed = Signal()
    taxonomy_changed = Signal()
    chain_selected = Signal(object)  # ChainKey or None

    def __init__(self, taxonomy: Taxonomy | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taxonomy: Taxonomy = taxonomy or default_taxonomy()
        self.taxonomy_profile = ""
        self.inventory: Inventory = Inventory(frame=Inventory.empty_frame(self.taxonomy))
        self.run: AssessmentRun | None = None
        self._by_key: dict[ChainKey, ChainResult] | None = None
        self.judgements: dict[ChainKey, Judgement] = {}
        self.country_risk: object | None = None
        self.store: JudgementStore | None = None
        self.source_label = ""
        self.selected: ChainKey | None = None
        self.analyst = ""
        self.round = CURRENT_ROUND
        self.lang: Lang = "zh"  # labels of undo steps follow the UI language
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")

    # --- loading ------------------------------------------------------------------------------

    def set_inventory(self, inventory: Inventory, label: str = "") -> None:
        self.inventory = inventory
        self.source_label = label
        self.run = None
        from riskdesk.gui.inventory_model import fast_keys

        keys = set(fast_keys(inventory))
        self.judgements = {k: j for k, j in self.judgements.items() if k in keys}
        self.selected = None
        self.undo_stack.clear()
        self.inventory_changed.emit()
        self.results_changed.emit()

    def attach_store(self, store: JudgementStore | None) -> None:
        self.store = store

    def set_run(self, run: AssessmentRun | None) -> None:
        self.run = run
        self._by_key = None
        self.results_changed.emit()

    def set_taxonomy(self, taxonomy: Taxonomy, profile: str = "") -> None:
        self.taxonomy = taxonomy
        self.taxonomy_profile = profile
        self.taxonomy_changed.emit()

    def select(self, key: ChainKey | None) -> None:
        self.selected = key
        self.chain_selected.emit(key)

    def result(self, key: ChainKey) -> ChainResult | None:
        if self.run is None:
            return None
        if self._by_key is None:
            self._by_key = results_by_key(self.run)
        return self._by_key.get(key)

    def judgement(self, key: ChainKey) -> Judgement:
        return self.judgements.get(key) or Judgement()

    def status(self, key: ChainKey) -> Status:
        return self.judgement(key).status.status

    def effective_outcome(self, key: ChainKey) -> str | None:
        """The classification the analyst stands behind: their override, else the engine's."""
        override = self.judgement(key).override
        if override is not None:
            return str(override.outcome)
        result = self.result(key)
        return None if result is None else str(result.primary_type)

    def scoring_work(
        self, robustness: bool = True
    ) -> Callable[[ProgressFn, CancelFn], AssessmentRun]:
        """A snapshot of what to score as worker-ready work (the worker never reads live state)."""
        inventory = self.inventory.subset(range(len(self.inventory)))
        taxonomy, country_risk = self.taxonomy, self.country_risk

        def work(progress: ProgressFn, cancel: CancelFn) -> AssessmentRun:
            return run_engine(inventory, taxonomy, country_risk, progress, cancel, robustness)

        return work

    def ref(self, key: ChainKey) -> ChainRef:
        return ChainRef(round=self.round, chain_id=key[0], segment=key[1])

    # --- EditTarget (riskdesk.core.commands) --------------------------------------------------

    def _row(self, ref: ChainRef) -> int:
        return self.inventory.row_of(ref.chain_id, ref.segment)

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        row = self._row(ref)
        raw = cell_float(self.inventory.frame, row, indicator)
        provenance = self.inventory.provenance(row, indicator)
        if provenance is None or np.isnan(raw):
            return None
        unit = self.taxonomy.indicator_by_id[indicator].unit
        return IndicatorValue(
            indicator=indicator,
            value=float(raw),
            unit=unit,
            year=self.inventory.year(row, indicator),
            provenance=provenance,
        )

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        row = self._row(ref)
        cell = (ref.chain_id, ref.segment, indicator)
        if value is None or value.value is None:
            self.inventory.set_value(row, indicator, None, None)
            self.inventory.cell_years.pop(cell, None)
        else:
            self.inventory.set_value(row, indicator, value.value, value.provenance)
            if value.year is not None:
                self.inventory.cell_years[cell] = value.year
            else:
                self.inventory.cell_years.pop(cell, None)
        if self.store is not None:
            self.store.put_value(ref, indicator, value)

    def _key(self, ref: ChainRef) -> ChainKey:
        return (ref.chain_id, ref.segment)

    def _update(self, ref: ChainRef, **changes: object) -> None:
        key = self._key(ref)
        self.judgements[key] = self.judgement(key).model_copy(update=changes)

    def get_override(self, ref: ChainRef) -> Override | None:
        return self.judgement(self._key(ref)).override

    def put_override(self, ref: ChainRef, override: Override | None) -> None:
        self._update(ref, override=override)
        if self.store is not None:
            self.store.put_override(ref, override)

    def get_status(self, ref: ChainRef) -> StatusRecord:
        return self.judgement(self._key(ref)).status

    def put_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self._update(ref, status=status)
        if self.store is not None:
            self.store.put_status(ref, status)

    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None:
        measures = self.judgement(self._key(ref)).measures
        return None if measures is None else list(measures)

    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None:
        self._update(ref, measures=None if measures is None else list(measures))
        if self.store is not None:
            self.store.put_measures(ref, measures)

    def get_note(self, ref: ChainRef) -> str | None:
        return self.judgement(self._key(ref)).note

    def put_note(self, ref: ChainRef, note: str | None) -> None:
        self._update(ref, note=note)
        if self.store is not None:
            self.store.put_note(ref, note)

    # --- undoable edits -----------------------------------------------------------------------

    def execute(self, command: Command) -> None:
        """Run one core command through the undo stack."""
        self.undo_stack.push(CoreUndoCommand(self, command))

    def commit_assessment(
        self,
        row: int,
        profile: dict[str, object],
        commands: list[Command],
        result: ChainResult | None,
    ) -> None:
        """Save the wizard: profile, entered values and the judgement as one undo step."""
        self.undo_stack.push(AssessmentCommit(self, row, profile, commands, result))

    def notify(self) -> None:
        self.inventory_changed.emit()
        self.decisions_changed.emit()
        self.results_changed.emit()


class _Step:
    """One reversible part of a commit (kept as plain Python: Qt child commands defined in Python
    would need their wrappers kept alive by hand, and a lost wrapper crashes the process)."""

    def redo(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError


class _CoreStep(_Step):
    def __init__(self, ws: Workspace, command: Command) -> None:
        self._ws = ws
        self.command = command

    def redo(self) -> None:
        self.command.do(self._ws)

    def undo(self) -> None:
        self.command.undo(self._ws)


class _ProfileEdit(_Step):
    def __init__(self, ws: Workspace, row: int, profile: dict[str, object]) -> None:
        self._ws = ws
        self._row = row
        self._new = dict(profile)
        self._old = {c: cell(ws.inventory.frame, row, c) for c in profile}

    def _apply(self, values: dict[str, object]) -> None:
        for column, value in values.items():
            set_cell(self._ws.inventory.frame, self._row, column, value)

    def redo(self) -> None:
        self._apply(self._new)

    def undo(self) -> None:
        self._apply(self._old)


class _ResultSwap(_Step):
    """The wizard scores one chain; its fresh result replaces the one in the run."""

    def __init__(self, ws: Workspace, result: ChainResult) -> None:
        self._ws = ws
        self._new = result
        self._old = result_for_key(ws.run, (result.chain_id, result.segment))

    def redo(self) -> None:
        _replace_result(self._ws, self._new)

    def undo(self) -> None:
        if self._old is not None:
            _replace_result(self._ws, self._old)


class CoreUndoCommand(QUndoCommand):
    """A riskdesk.core.commands.Command as a QUndoCommand (undo lives in the core)."""

    def __init__(self, ws: Workspace, command: Command) -> None:
        super().__init__(command.label(ws.lang))
        self._ws = ws
        self._step = _CoreStep(ws, command)

    def redo(self) -> None:
        self._step.redo()
        self._ws.notify()

    def undo(self) -> None:
        self._step.undo()
        self._ws.notify()


class AssessmentCommit(QUndoCommand):
    """Saving the wizard — profile, values, answers, judgement and result — as one undo step."""

    def __init__(
        self,
        ws: Workspace,
        row: int,
        profile: dict[str, object],
        commands: list[Command],
        result: ChainResult | None,
    ) -> None:
        chain_id = ws.inventory.key(row)[0]
        super().__init__(translate("Undo", "assessment of {chain}").format(chain=chain_id))
        self._ws = ws
        self._steps: list[_Step] = []
        if profile:
            self._steps.append(_ProfileEdit(ws, row, profile))
        self._steps += [_CoreStep(ws, command) for command in commands]
        if result is not None:
            self._steps.append(_ResultSwap(ws, result))

    def redo(self) -> None:
        for step in self._steps:
            step.redo()
        self._ws.notify()

    def undo(self) -> None:
        for step in reversed(self._steps):
            step.undo()
        self._ws.notify()


def _replace_result(ws: Workspace, result: ChainResult) -> None:
    if ws.run is None:
        return
    chains = list(ws.run.chains)
    for i, chain in enumerate(chains):
        if chain.chain_id != result.chain_id:
            continue
        if chain.segment == result.segment or result.segment is None:
            chains[i] = result
        else:
            segments = [result if s.segment == result.segment else s for s in chain.segments]
            chains[i] = chain.model_copy(update={"segments": segments})
        break
    else:
        chains.append(result)
    ws.run = ws.run.model_copy(update={"chains": chains})
    ws._by_key = None


def now_utc() -> datetime:
    return datetime.now(UTC)
