"""The assessment session: the one thing every edit goes through (Anki's `Collection`).

A session holds the open project's round — inventory, taxonomy, country risk list, the analyst's
judgements, the data problems, the engine's results — and is the target of every `Edit`
(riskdesk.core.commands). `apply` runs an edit, puts it on the project's undo history and scores
the chains it touched again, all in one transaction: on disk and in memory the inventory, the
decisions and the results always agree, and a kill at any moment loses nothing committed. The GUI
keeps no state of its own; it sends edits (from one worker thread) and redraws from the `Change`
each returns. The command line uses the same session.

What a chain's verdict is — the engine's result with the analyst's decision applied — comes from
riskdesk.core.effective; `effective` / `effective_run` here hand it to every view and exporter.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from riskdesk.core.assess import assess_inventory, assess_portfolio
from riskdesk.core.commands import (
    ChainKey,
    ChainRef,
    Edit,
    EditGroup,
    Judgement,
    Override,
    SelectedMeasure,
    SetCountryRisk,
    SetDecision,
    SetMeasures,
    SetNote,
    SetProfile,
    SetStatus,
    SetTaxonomy,
    SetValue,
    StatusRecord,
)
from riskdesk.core.effective import EffectiveResult, EffectiveRun, effective_result, effective_run
from riskdesk.core.inventory import NUMERIC_PROFILE, Inventory
from riskdesk.core.models import DataIssue, IndicatorValue, Lang, Outcome, Provenance, Status
from riskdesk.core.progress import CancelFn, ProgressFn
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.rounds import RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import CountryRiskList
from riskdesk.io.project import Project, ProjectError
from riskdesk.io.project.records import ImportSummary
from riskdesk.session.places import is_untitled, new_untitled_path, remove_project_file

DEFAULT_ROUND = "current"


@dataclass(frozen=True)
class Change:
    """What an edit, undo, redo or scoring changed — what the views must redraw."""

    label_zh: str = ""
    label_en: str = ""
    inventory: bool = False
    decisions: bool = False
    taxonomy: bool = False
    results: bool = False
    chains: frozenset[str] | None = None  # None: possibly every chain

    def label(self, lang: Lang) -> str:
        return self.label_zh if lang == "zh" else self.label_en


class Session:
    """One open project round: read it freely, change it only through `apply` (and the helpers
    that build edits for it). Thread-safe: one writer at a time; the GUI writes from a worker."""

    def __init__(self, project: Project, *, round: str | None = None,
                 robustness: bool = True, country: str = "CHN") -> None:
        self.project = project
        self.robustness = robustness
        self.country = country
        self._lock = threading.RLock()
        rounds = project.round_names()
        self.round = round or (rounds[-1] if rounds else DEFAULT_ROUND)
        self.inventory = Inventory(frame=Inventory.empty_frame(project.current_taxonomy()))
        self.taxonomy: Taxonomy = project.current_taxonomy()
        self.country_risk: CountryRiskList = project.get_country_risk()
        self.judgements: dict[ChainKey, Judgement] = {}
        self.issues: list[DataIssue] = []
        self.run: AssessmentRun | None = None
        self.run_id: int | None = None
        self._by_key: dict[ChainKey, ChainResult] | None = None
        self.generation = 0  # counts changes; a background result for an older one is dropped
        self._reload()

    # --- opening, creating, saving -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, user: str | None = None, *, read_only: bool = False,
             take_over_lock: bool = False, round: str | None = None) -> Session:
        project = Project.open(path, user, read_only=read_only, take_over_lock=take_over_lock)
        try:
            return cls(project, round=round)
        except BaseException:
            project.close()
            raise

    @classmethod
    def connect(cls, address: str, user: str | None = None, *, create: bool = True,
                round: str | None = None) -> Session:
        """A session on a team database (riskdesk.io.team): no file, no lock; see
        Project.connect."""
        project = Project.connect(address, user, create=create)
        try:
            return cls(project, round=round)
        except BaseException:
            project.close()
            raise

    @classmethod
    def create(cls, path: Path | str, user: str | None = None) -> Session:
        return cls(Project.create(path, user))

    @classmethod
    def untitled(cls, user: str | None = None) -> Session:
        """A new unnamed session, autosaved in the data folder until it is saved under a name."""
        return cls.create(new_untitled_path(), user)

    @property
    def path(self) -> Path:
        if self.project.path is None:  # a team database: a name, not a file
            return Path(self.project.location)
        return Path(self.project.path)

    @property
    def is_untitled(self) -> bool:
        return is_untitled(self.path)

    @property
    def read_only(self) -> bool:
        return self.project.read_only

    @property
    def user(self) -> str:
        return self.project.user

    def set_user(self, name: str) -> None:
        """The analyst named in the audit trail and on decisions from now on."""
        if name.strip():
            self.project.user = name.strip()

    def edit_count(self) -> int:
        """How many edits the undo history holds (what "unsaved work" of an unnamed project
        means: more than the import it was started with)."""
        return self.project.store.journal_count()

    def save_as(self, path: Path | str) -> None:
        """Copy the project (data, results, undo history, audit trail) to `path` and go on
        there. An unnamed project's autosave file is removed once the copy is safe."""
        target = Path(path)
        if target.resolve() == self.path.resolve():
            return
        if target.exists():
            raise ProjectError(f"{target} already exists", f"{target} 已存在")
        with self._lock:
            self.project.copy_to(target)
            old_path, was_untitled = self.path, self.is_untitled
            user = self.user
            # The window may be reading from the project meanwhile: switch to the copy first,
            # then close the old connection (a reader never meets a closed database).
            old, self.project = self.project, Project.open(target, user)
            old.close()
            if was_untitled:
                remove_project_file(old_path)

    def close(self, *, discard: bool = False) -> None:
        """Close the project; `discard` deletes an unnamed project's file (the user chose not
        to keep it)."""
        with self._lock:
            path, untitled = self.path, self.is_untitled
            self.project.close()
            if discard and untitled:
                remove_project_file(path)

    # --- reading -----------------------------------------------------------------------------

    def keys(self) -> list[ChainKey]:
        return self.inventory.keys()

    def judgement(self, key: ChainKey) -> Judgement:
        return self.judgements.get(key) or Judgement()

    def result(self, key: ChainKey) -> ChainResult | None:
        """The engine's result of a chain, or of one segment of it."""
        if self.run is None:
            return None
        if self._by_key is None:
            by_key: dict[ChainKey, ChainResult] = {}
            for chain in self.run.chains:
                by_key[chain.key] = chain
                for seg in chain.segments:
                    by_key[seg.key] = seg
            self._by_key = by_key
        return self._by_key.get(key)

    @property
    def stale(self) -> bool:
        """The results came from another taxonomy than the current one (being re-scored)."""
        return self.run is not None and self.run.taxonomy.sha256 != self.taxonomy.sha256

    def effective(self, key: ChainKey) -> EffectiveResult | None:
        """The chain's verdict as every view shows it (engine result + analyst decision)."""
        result = self.result(key)
        if result is None or self.run is None:
            return None
        return effective_result(result, self.judgements.get(key), self.taxonomy,
                                computed_with=self.run.taxonomy.sha256)

    def effective_run(self, chain_ids: Sequence[str] | None = None) -> EffectiveRun | None:
        """Every chain's effective result with the run's header, data problems and sources —
        what the reports and the JSON are made of."""
        if self.run is None:
            return None
        run = self.run
        if chain_ids is not None:
            wanted = set(chain_ids)
            run = run.model_copy(update={"chains": [c for c in run.chains if c.chain_id in wanted]})
        return effective_run(run, self.judgements, self.run_taxonomy(), issues=self.issues,
                             sources=self.sources())

    def run_taxonomy(self) -> Taxonomy:
        """The taxonomy the results were computed with (the current one unless stale)."""
        if self.run is None or not self.stale:
            return self.taxonomy
        return self.project.taxonomy(self.run.taxonomy.sha256)

    def sources(self) -> dict[str, str]:
        """The further inputs of the results, with content hashes, for the methodology."""
        out: dict[str, str] = {}
        risk = self.country_risk
        if risk.ratings:
            digest = hashlib.sha256(risk.model_dump_json().encode("utf-8")).hexdigest()
            name = Path(risk.source).name if risk.source else "country risk list"
            out["country_risk"] = f"{name} {digest}"
        trade = self.inventory.trade
        if trade is not None and len(trade):
            text = trade.to_json(orient="split", index=False, force_ascii=False)
            out["trade"] = f"trade table ({len(trade)} rows) " + hashlib.sha256(
                text.encode("utf-8")).hexdigest()
        return out

    def previous_round_diff(self) -> RoundDiff | None:
        """What changed since the round before this one (None for a first round)."""
        rounds = self.project.round_names()
        if self.round not in rounds or rounds.index(self.round) == 0:
            return None
        return self.project.diff(rounds[rounds.index(self.round) - 1], self.round)

    # --- the undo history ---------------------------------------------------------------------

    def undo_label(self, lang: Lang = "zh") -> str | None:
        return self.project.undo_label(lang)

    def redo_label(self, lang: Lang = "zh") -> str | None:
        return self.project.redo_label(lang)

    @property
    def can_undo(self) -> bool:
        return not self.read_only and self.project.can_undo

    @property
    def can_redo(self) -> bool:
        return not self.read_only and self.project.can_redo

    # --- editing ----------------------------------------------------------------------------------

    def apply(self, edit: Edit) -> Change:
        """Do one edit: written, audited, put on the undo history and the touched chains scored
        again — in one transaction."""
        change = self._run(lambda: self.project.apply(edit, self))
        assert change is not None
        return change

    def undo(self) -> Change | None:
        """Undo the last edit (also one made before a restart); None when there is none."""
        return self._run(lambda: self.project.undo(self))

    def redo(self) -> Change | None:
        return self._run(lambda: self.project.redo(self))

    def _run(self, action: Callable[[], Edit | None]) -> Change | None:
        with self._lock:
            try:
                with self.project.store.transaction():
                    edit = action()
                    if edit is None:
                        return None
                    change = self._after(edit)
            except BaseException:
                self._reload()  # the transaction rolled back: show what is on disk
                raise
            self.generation += 1
            return change

    def _after(self, edit: Edit) -> Change:
        scope = edit.rescore()
        chains: frozenset[str] | None = frozenset(edit.chains())
        if scope == "all" or (scope == "chains" and (self.run is None or self.stale)):
            self._score_all(robustness=False)
            chains = None
        elif scope == "chains":
            self._score_chains(set(chains or ()))
        kinds = _kinds(edit)
        return Change(
            label_zh=edit.label("zh"), label_en=edit.label("en"),
            inventory=bool(kinds & {"value", "profile", "import"}),
            decisions=bool(kinds & {"decision", "status", "measures", "note"}),
            taxonomy=bool(kinds & {"taxonomy", "country_risk"}),
            results=scope != "none", chains=chains,
        )

    # --- edit builders (each one undoable step) -------------------------------------------------

    def ref(self, key: ChainKey) -> ChainRef:
        return ChainRef(round=self.round, chain_id=key[0], segment=key[1])

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def value_edit(self, key: ChainKey, indicator: str, value: float | None, *,
                   evidence: str | None = None, year: int | None = None,
                   provenance: Provenance | None = None) -> SetValue:
        new = None
        if value is not None:
            prov = provenance or Provenance(kind="expert", expert=self.user, at=self._now(),
                                            evidence=evidence or None)
            unit = self.taxonomy.indicator_by_id[indicator].unit
            new = IndicatorValue(indicator=indicator, value=value, unit=unit, year=year,
                                 provenance=prov)
        return SetValue(ref=self.ref(key), indicator=indicator, new=new)

    def set_value(self, key: ChainKey, indicator: str, value: float | None, **kw: Any) -> Change:
        return self.apply(self.value_edit(key, indicator, value, **kw))

    def set_profile(self, key: ChainKey, field: str, value: str | int | float | None) -> Change:
        return self.apply(SetProfile(ref=self.ref(key), field=field, new=value))

    def decision_edits(self, key: ChainKey, outcome: Outcome | str, reason: str = "", *,
                       measures_added: Iterable[str] = ()) -> list[Edit]:
        """The edits of a decision on the classification: accepted when it is the engine's type
        (a reason is optional), overridden otherwise (a reason is required — OverrideError)."""
        outcome = Outcome(outcome)
        result = self.result(key)
        engine = result.primary_type if result is not None else None
        kind: Literal["accepted", "overridden"] = "accepted" if engine == outcome else "overridden"
        decision = Override.decide(kind, outcome, reason, self.user, self._now())
        edits: list[Edit] = [SetDecision(ref=self.ref(key), new=decision)]
        added = [t.strip() for t in measures_added if t.strip()]
        if added:
            judgement = self.judgement(key).model_copy(update={"override": decision})
            edits.append(SetMeasures(ref=self.ref(key),
                                     new=self._measures_with(key, judgement, added)))
        return edits

    def _measures_with(self, key: ChainKey, judgement: Judgement,
                       added: list[str]) -> list[SelectedMeasure]:
        """The measures kept so far (the decided type's recommended ones when none were chosen)
        with the analyst's new ones after them."""
        current = judgement.measures
        result = self.result(key)
        if current is None and result is not None:
            eff = effective_result(result, judgement, self.taxonomy)
            current = [SelectedMeasure(measure_id=m) for m in eff.measure_ids]
        return [*(current or []), *(SelectedMeasure(text=t, added=True) for t in added)]

    def decide(self, key: ChainKey, outcome: Outcome | str, reason: str = "", *,
               measures_added: Iterable[str] = ()) -> Change:
        edits = self.decision_edits(key, outcome, reason, measures_added=measures_added)
        if len(edits) == 1:
            return self.apply(edits[0])
        return self.apply(EditGroup(label_zh=f"分类决定（{key[0]}）",
                                    label_en=f"classification decision ({key[0]})", edits=edits))

    def set_measures(self, key: ChainKey, measures: list[SelectedMeasure] | None) -> Change:
        return self.apply(SetMeasures(ref=self.ref(key), new=measures))

    def set_note(self, key: ChainKey, note: str | None) -> Change:
        return self.apply(SetNote(ref=self.ref(key), new=(note or "").strip() or None))

    def set_status(self, key: ChainKey, status: Status | str) -> Change:
        record = StatusRecord(status=Status(status), by=self.user, at=self._now())
        return self.apply(SetStatus(ref=self.ref(key), new=record))

    def taxonomy_edit(self, taxonomy: Taxonomy, what_zh: str = "分类体系",
                      what_en: str = "taxonomy") -> SetTaxonomy:
        self.project.store_taxonomy(taxonomy)
        return SetTaxonomy(new_sha256=taxonomy.sha256, what_zh=what_zh, what_en=what_en)

    def set_taxonomy(self, taxonomy: Taxonomy, what_zh: str = "分类体系",
                     what_en: str = "taxonomy") -> Change:
        return self.apply(self.taxonomy_edit(taxonomy, what_zh, what_en))

    def set_country_risk(self, risk: CountryRiskList, what: str = "") -> Change:
        return self.apply(SetCountryRisk(new=risk, what=what))

    def set_country_rating(self, iso3: str, rating: float | None) -> Change:
        ratings = dict(self.country_risk.ratings)
        if rating is None:
            ratings.pop(iso3.upper(), None)
        else:
            ratings[iso3.upper()] = rating
        risk = self.country_risk.model_copy(update={"ratings": ratings})
        shown = "—" if rating is None else f"{rating:g}"
        return self.set_country_risk(CountryRiskList.model_validate(risk.model_dump()),
                                     what=f"{iso3.upper()} {shown}")

    def group(self, label_zh: str, label_en: str, edits: list[Edit]) -> Change:
        return self.apply(EditGroup(label_zh=label_zh, label_en=label_en, edits=edits))

    def import_inventory(self, inventory: Inventory, mode: Literal["merge", "replace"] = "replace",
                         *, issues: list[DataIssue] | None = None) -> tuple[ImportSummary, Change]:
        """Import as one undoable edit, then score everything. The inventory given is not kept
        (the session reads the round back from the project)."""
        with self._lock:
            try:
                with self.project.store.transaction():
                    summary = self.project.import_inventory(
                        inventory, self.round, self.taxonomy, mode=mode, issues=issues,
                        target=self,
                    )
                    self._score_all(robustness=False)
            except BaseException:
                self._reload()
                raise
            self.generation += 1
        label = self.project.undo_label("en") or "import"
        return summary, Change(label_zh=self.project.undo_label("zh") or "导入", label_en=label,
                               inventory=True, results=True)

    # --- EditTarget: every put goes to the project, then into memory ---------------------------

    def get_value(self, ref: ChainRef, indicator: str) -> IndicatorValue | None:
        return self.project.get_value(ref, indicator)

    def put_value(self, ref: ChainRef, indicator: str, value: IndicatorValue | None) -> None:
        self.project.put_value(ref, indicator, value)
        row = self.inventory.row_of(ref.chain_id, ref.segment)
        cell = (ref.chain_id, ref.segment, indicator)
        if value is None or value.value is None:
            self.inventory.set_value(row, indicator, None, None)
            self.inventory.cell_years.pop(cell, None)
        else:
            self.inventory.set_value(row, indicator, value.value, value.provenance)
            if value.year is None:
                self.inventory.cell_years.pop(cell, None)
            else:
                self.inventory.cell_years[cell] = value.year

    def get_profile(self, ref: ChainRef, field: str) -> Any:
        return self.project.get_profile(ref, field)

    def put_profile(self, ref: ChainRef, field: str, value: Any) -> None:
        self.project.put_profile(ref, field, value)
        frame = self.inventory.frame
        ids = frame["chain_id"].astype(str).to_numpy()
        rows = np.flatnonzero(ids == ref.chain_id)
        if ref.segment is not None:
            rows = np.array([self.inventory.row_of(ref.chain_id, ref.segment)])
        for row in rows.tolist():
            if field in NUMERIC_PROFILE:
                frame.at[row, field] = np.nan if value is None else float(value)
            else:
                frame.at[row, field] = value

    def get_override(self, ref: ChainRef) -> Override | None:
        return self.project.get_override(ref)

    def put_override(self, ref: ChainRef, override: Override | None) -> None:
        self.project.put_override(ref, override)
        self._refresh_judgement(ref)

    def get_status(self, ref: ChainRef) -> StatusRecord:
        return self.project.get_status(ref)

    def put_status(self, ref: ChainRef, status: StatusRecord) -> None:
        self.project.put_status(ref, status)
        self._refresh_judgement(ref)

    def get_measures(self, ref: ChainRef) -> list[SelectedMeasure] | None:
        return self.project.get_measures(ref)

    def put_measures(self, ref: ChainRef, measures: list[SelectedMeasure] | None) -> None:
        self.project.put_measures(ref, measures)
        self._refresh_judgement(ref)

    def get_note(self, ref: ChainRef) -> str | None:
        return self.project.get_note(ref)

    def put_note(self, ref: ChainRef, note: str | None) -> None:
        self.project.put_note(ref, note)
        self._refresh_judgement(ref)

    def _refresh_judgement(self, ref: ChainRef) -> None:
        self.judgements[ref.key] = self.project.store.get_judgement(ref)

    def get_taxonomy_sha(self) -> str:
        return self.project.get_taxonomy_sha()

    def put_taxonomy_sha(self, sha256: str) -> None:
        self.project.put_taxonomy_sha(sha256)
        self.taxonomy = self.project.current_taxonomy()

    def get_country_risk(self) -> CountryRiskList:
        return self.project.get_country_risk()

    def put_country_risk(self, risk: CountryRiskList) -> None:
        self.project.put_country_risk(risk)
        self.country_risk = risk

    def snapshot_round(self, round: str) -> int:
        return self.project.snapshot_round(round)

    def restore_round(self, round: str, snapshot: int) -> None:
        self.project.restore_round(round, snapshot)
        self._reload()

    # --- scoring ---------------------------------------------------------------------------------

    def _assess(self, inventory: Inventory, *, robustness: bool,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None
                ) -> AssessmentRun:
        return assess_inventory(inventory, self.taxonomy, country=self.country,
                                country_risk=self.country_risk, robustness=robustness,
                                progress=progress, cancel=cancel)

    def _score_all(self, *, robustness: bool, progress: ProgressFn | None = None,
                   cancel: CancelFn | None = None) -> None:
        """Score every chain and keep the run as the round's working run (inside the caller's
        transaction when there is one)."""
        if not len(self.inventory):
            self.run, self.run_id, self._by_key = None, None, None
            return
        run = self._assess(self.inventory, robustness=robustness, progress=progress,
                           cancel=cancel)
        run = run.model_copy(update={"issues": list(self.issues)})
        self.run_id = self.project.save_run(run, self.round, self.taxonomy)
        self.run, self._by_key = run, None

    def _score_chains(self, chain_ids: set[str]) -> None:
        """Score some chains again (all their segments) and put them into the working run."""
        assert self.run is not None
        assert self.run_id is not None
        ids = self.inventory.frame["chain_id"].astype(str).to_numpy()
        rows = np.flatnonzero(np.isin(ids, sorted(chain_ids))).tolist()
        fresh = self._assess(self.inventory.subset(rows), robustness=self.robustness).chains
        by_id = {r.chain_id: r for r in fresh}
        chains = [by_id.pop(c.chain_id, c) if c.chain_id in chain_ids else c
                  for c in self.run.chains]
        chains += list(by_id.values())
        self.project.replace_results(self.run_id, self.round, fresh, self.run.chains)
        self.run = self.run.model_copy(update={"chains": chains})
        self._by_key = None

    def rescore(self, *, robustness: bool | None = None, progress: ProgressFn | None = None,
                cancel: CancelFn | None = None) -> Change:
        """Score every chain again (F5): a new working run, with robustness unless switched
        off."""
        with self._lock:
            with self.project.store.transaction():
                self._score_all(robustness=self.robustness if robustness is None else robustness,
                                progress=progress, cancel=cancel)
            self.generation += 1
        return Change(label_zh="重新评分", label_en="re-score", results=True)

    def robustness_work(self) -> tuple[int, Inventory, Taxonomy, CountryRiskList]:
        """What a background robustness pass needs, as a snapshot (taken under the lock)."""
        with self._lock:
            return self.generation, self.inventory.copy(), self.taxonomy, self.country_risk

    def measure_robustness(self, *, progress: ProgressFn | None = None,
                           cancel: CancelFn | None = None) -> Change | None:
        """Fill in the robustness of every chain (slow: runs in the background after a full
        re-score). Dropped when an edit came in meanwhile (None)."""
        generation, inventory, taxonomy, risk = self.robustness_work()
        if not len(inventory):
            return None
        portfolio = assess_portfolio(inventory, taxonomy, country=self.country,
                                     country_risk=risk, robustness=True, progress=progress,
                                     cancel=cancel)
        fresh = portfolio.results()
        with self._lock:
            if generation != self.generation or self.run is None or self.run_id is None:
                return None
            with self.project.store.transaction():
                self.project.replace_results(self.run_id, self.round, fresh, self.run.chains)
            self.run = self.run.model_copy(update={"chains": fresh})
            self._by_key = None
            self.generation += 1
        return Change(label_zh="稳健性", label_en="robustness", results=True,
                      chains=frozenset(c.chain_id for c in fresh))

    # --- drafts of unfinished input ----------------------------------------------------------------

    def autosave_draft(self, key: str, payload: str) -> None:
        with self._lock:
            self.project.autosave_draft(key, payload)

    def drafts(self) -> dict[str, str]:
        project = self.project
        try:
            found = project.recovered_drafts()
        except sqlite3.ProgrammingError:
            if project is self.project:
                raise
            found = self.project.recovered_drafts()  # Save As switched projects meanwhile
        return {d.key: d.payload for d in found}

    def discard_draft(self, key: str) -> None:
        with self._lock:
            self.project.discard_draft(key)

    # --- loading ------------------------------------------------------------------------------

    def refresh(self, chains: frozenset[str] | None = None) -> Change:
        """Read the round back from the project after others changed it (a team database's
        notification): `chains` the ones named, None any. What this client shows from now on
        is what the server holds, so its next edit is checked against that."""
        from riskdesk.session.refresh import refresh_chains

        with self._lock:
            if chains is None or not refresh_chains(self, chains):
                self._reload()
            self.generation += 1
        return Change(inventory=True, decisions=True, results=True,
                      chains=chains if chains is not None else frozenset())

    def reset_result_index(self) -> None:
        self._by_key = None

    def _reload(self) -> None:
        """Everything of the round, read back from the project."""
        project = self.project
        self.taxonomy = project.current_taxonomy()
        self.country_risk = project.get_country_risk()
        if self.round in project.round_names():
            self.inventory = project.inventory(self.round, self.taxonomy)
            self.judgements = project.judgements(self.round)
            self.issues = project.issues(self.round)
            runs = project.runs(self.round)
            self.run_id = runs[-1].id if runs else None
            self.run = project.run(self.run_id) if self.run_id is not None else None
        else:
            self.inventory = Inventory(frame=Inventory.empty_frame(self.taxonomy))
            self.judgements, self.issues, self.run, self.run_id = {}, [], None, None
        self._by_key = None


def _kinds(edit: Edit) -> set[str]:
    if isinstance(edit, EditGroup):
        return set().union(*(_kinds(e) for e in edit.edits)) if edit.edits else set()
    return {str(getattr(edit, "kind", ""))}


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
