"""The effective result: the engine's result with the analyst's decision applied (SPEC §11).

This is the one definition of "what this chain's verdict is". Every view and every output — the
inventory, dashboard, report picker, PDF, workbook, DOCX, JSON and the command line — asks
`effective_result` / `effective_run` and nothing recomputes it on its own. Where the analyst
overrode the engine, both stay visible: `engine` holds the engine's own result and `decision`
says what the analyst decided, why, who and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from riskdesk.core.commands import Judgement, SelectedMeasure
from riskdesk.core.models import (
    DataIssue,
    InputSource,
    Lang,
    Outcome,
    RiskLevel,
    RiskType,
    Status,
)
from riskdesk.core.results import (
    AssessmentRun,
    ChainResult,
    PriorityModeId,
    StrategyBlock,
    StrategyId,
    SubStrategyId,
    TaxonomyRef,
)
from riskdesk.core.strategy import (
    StrategyInputs,
    combined_measures,
    strategy_block,
)
from riskdesk.core.taxonomy import Taxonomy

ChainKey = tuple[str, str | None]


class Decision(BaseModel):
    """What the analyst decided about the engine's classification."""

    type: Outcome = Field(description="the classification the analyst stands behind")
    engine_type: Outcome = Field(description="the engine's primary classification")
    engine_score: float | None = Field(default=None, description="the engine's primary score")
    overridden: bool = Field(description="the analyst's type differs from the engine's")
    reason: str = ""
    analyst: str | None = None
    at: datetime | None = None
    measures_added: list[str] = Field(
        default_factory=list, description="measures the analyst wrote (not in the taxonomy)"
    )

    def summary(self, taxonomy: Taxonomy, lang: Lang) -> str:
        """'engine: X (0.62) → analyst: Y — reason — who — when' (one line for every output)."""
        engine = taxonomy.label(self.engine_type.value, lang)
        if self.engine_score is not None:
            engine += f" ({self.engine_score:.2f})"
        mine = taxonomy.label(self.type.value, lang)
        head = ("引擎" if lang == "zh" else "engine") + f": {engine} → "
        head += ("分析人员" if lang == "zh" else "analyst") + f": {mine}"
        parts = [head]
        if self.reason:
            parts.append(self.reason)
        if self.analyst:
            parts.append(self.analyst)
        if self.at is not None:
            parts.append(self.at.strftime("%Y-%m-%d %H:%M"))
        return " — ".join(parts)


class MeasureChoice(BaseModel):
    """One measure of the effective result: a taxonomy measure (maybe reworded) or the analyst's."""

    measure_id: str | None = None
    text: str | None = Field(default=None, description="the analyst's wording, else the taxonomy's")
    added: bool = False

    def title(self, taxonomy: Taxonomy, lang: Lang) -> str:
        if self.measure_id is not None:
            measure = next((m for m in taxonomy.measures if m.id == self.measure_id), None)
            if measure is not None:
                return measure.title(lang)
        return self.text or self.measure_id or ""

    def body(self, taxonomy: Taxonomy, lang: Lang) -> str:
        if self.text:
            return self.text
        measure = next((m for m in taxonomy.measures if m.id == self.measure_id), None)
        return "" if measure is None else measure.text(lang)


class EffectiveResult(BaseModel):
    """One chain's verdict as every output shows it."""

    engine: ChainResult
    effective_type: Outcome
    decision: Decision | None = Field(
        default=None, description="None until the analyst accepts or overrides the engine"
    )
    strategy: StrategyId
    strategies: list[StrategyBlock]
    sub_strategy: SubStrategyId | None = None
    priority_mode: PriorityModeId | None = None
    priority_note: str | None = None
    measures: list[MeasureChoice]
    note: str | None = None
    status: Status = Status.DRAFT
    status_by: str | None = None
    status_at: datetime | None = None
    taxonomy_sha256: str
    stale: bool = Field(
        default=False, description="computed with another taxonomy than the current one"
    )

    @property
    def chain_id(self) -> str:
        return self.engine.chain_id

    @property
    def segment(self) -> str | None:
        return self.engine.segment

    @property
    def chain_name(self) -> str:
        return self.engine.chain_name

    @property
    def key(self) -> ChainKey:
        return self.engine.key

    @property
    def overridden(self) -> bool:
        return self.decision is not None and self.decision.overridden

    @property
    def effective_risk_type(self) -> RiskType | None:
        values = {t.value for t in RiskType}
        return RiskType(self.effective_type.value) if self.effective_type.value in values else None

    @property
    def effective_score(self) -> float | None:
        """The engine's score for the type the analyst stands behind (None for non-types)."""
        risk_type = self.effective_risk_type
        return None if risk_type is None else self.engine.type_scores.get(risk_type)

    @property
    def effective_level(self) -> RiskLevel | None:
        risk_type = self.effective_risk_type
        return None if risk_type is None else self.engine.risk_levels.get(risk_type)

    @property
    def measure_ids(self) -> list[str]:
        return [m.measure_id for m in self.measures if m.measure_id is not None]

    def decided(self) -> ChainResult:
        """The engine's result headed by the analyst's decision: type, strategy and measures as
        the analyst stands behind them; scores, indicators and explanation stay the engine's.
        This is what a report prints as "the verdict"; `decision` says how it differs."""
        types = list(self.engine.types)
        risk_type = self.effective_risk_type
        if risk_type is not None:
            types = [risk_type, *(t for t in types if t != risk_type)]
        elif self.overridden:
            types = []
        update: dict[str, Any] = {
            "primary_type": self.effective_type,
            "types": types,
            "strategy": self.strategy,
            "strategies": self.strategies,
            "sub_strategy": self.sub_strategy,
            "priority_mode": self.priority_mode,
            "priority_note": self.priority_note,
            "measures": self.measure_ids,
        }
        if self.overridden:
            update["normal_dependence"] = self.effective_type == Outcome.NORMAL_DEPENDENCE
            update["tie"] = False
        return self.engine.model_copy(update=update)

    def to_json_dict(self) -> dict[str, Any]:
        """SPEC §11.1: the engine's result with the effective strategy fields at the top level,
        the engine's own under `engine`, and `effective_type`, `decision`, `status`, `note`."""
        data = self.engine.model_dump(mode="json")
        engine_keys = ("primary_type", "strategy", "strategies", "sub_strategy", "priority_mode",
                       "priority_note", "measures")
        data["engine"] = {k: data[k] for k in engine_keys}
        data.update(
            effective_type=self.effective_type.value,
            decision=None if self.decision is None else self.decision.model_dump(mode="json"),
            strategy=self.strategy,
            strategies=[b.model_dump(mode="json") for b in self.strategies],
            sub_strategy=self.sub_strategy,
            priority_mode=self.priority_mode,
            priority_note=self.priority_note,
            measures=self.measure_ids,
            measure_texts=[m.model_dump(mode="json", exclude_none=True) for m in self.measures],
            status=self.status.value,
            status_by=self.status_by,
            status_at=None if self.status_at is None else self.status_at.isoformat(),
            note=self.note,
            taxonomy_sha256=self.taxonomy_sha256,
            stale=self.stale,
        )
        return data


def decided_type(engine_type: Outcome, judgement: Judgement | None) -> Outcome:
    """The type the analyst stands behind: their decision's, else the engine's primary."""
    override = judgement.override if judgement is not None else None
    return engine_type if override is None else override.outcome


def effective_result(
    engine: ChainResult,
    judgement: Judgement | None,
    taxonomy: Taxonomy,
    *,
    computed_with: str | None = None,
) -> EffectiveResult:
    """Engine result + analyst decision → the effective result.

    The strategy is re-derived from the decided type with the same rules the engine uses
    (riskdesk.core.strategy), the engine's other assigned types keep their blocks after it, and
    the measures are the analyst's choice when one was made, else the recommended ones.
    `computed_with` is the hash of the taxonomy the engine result came from; a result from another
    taxonomy than `taxonomy` is flagged stale.
    """
    judgement = judgement or Judgement()
    override = judgement.override
    inputs = StrategyInputs.of(engine)
    if override is None or override.outcome == engine.primary_type:
        blocks = list(engine.strategies) or [strategy_block(taxonomy, engine.primary_type, inputs)]
        effective_type = engine.primary_type
    else:
        effective_type = override.outcome
        others = [b for b in engine.strategies
                  if b.type != effective_type and b.type.value in {t.value for t in RiskType}
                  and effective_type.value in {t.value for t in RiskType}]
        blocks = [strategy_block(taxonomy, effective_type, inputs), *others]
    primary = blocks[0]
    decision = None
    if override is not None:
        decision = Decision(
            type=override.outcome,
            engine_type=engine.primary_type,
            engine_score=engine.primary_score,
            overridden=override.outcome != engine.primary_type,
            reason=override.reason,
            analyst=override.by,
            at=override.at,
            measures_added=[m.text for m in judgement.measures or [] if m.added and m.text],
        )
    return EffectiveResult(
        engine=engine,
        effective_type=effective_type,
        decision=decision,
        strategy=primary.strategy,
        strategies=blocks,
        sub_strategy=primary.sub_strategy,
        priority_mode=primary.priority_mode,
        priority_note=primary.priority_note,
        measures=_measures(judgement.measures, combined_measures(blocks)),
        note=judgement.note,
        status=judgement.status.status,
        status_by=judgement.status.by,
        status_at=judgement.status.at,
        taxonomy_sha256=computed_with or taxonomy.sha256,
        stale=computed_with is not None and computed_with != taxonomy.sha256,
    )


def _measures(chosen: list[SelectedMeasure] | None, recommended: list[str]) -> list[MeasureChoice]:
    if chosen is None:
        return [MeasureChoice(measure_id=m) for m in recommended]
    return [MeasureChoice(measure_id=m.measure_id, text=m.text, added=m.added) for m in chosen]


class EffectiveRun(BaseModel):
    """A run's header with every chain's effective result — what reports and JSON are made of."""

    riskdesk_version: str
    taxonomy: TaxonomyRef
    input: InputSource | None
    assessed_at: str
    country: str = "CHN"
    chains: list[EffectiveResult]
    issues: list[DataIssue] = Field(default_factory=list)
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="further inputs by role ('country_risk', 'trade', …) → 'name sha256'",
    )

    @property
    def engine_run(self) -> AssessmentRun:
        """The engine's own run (for code that needs only engine results)."""
        return AssessmentRun(
            riskdesk_version=self.riskdesk_version, taxonomy=self.taxonomy, input=self.input,
            assessed_at=self.assessed_at, country=self.country,
            chains=[c.engine for c in self.chains], issues=self.issues, sources=self.sources,
        )

    def decided_run(self) -> AssessmentRun:
        """The run as the analyst stands behind it (each chain's `decided()` result)."""
        return self.engine_run.model_copy(update={"chains": [c.decided() for c in self.chains]})

    def chain(self, chain_id: str) -> EffectiveResult:
        for c in self.chains:
            if c.chain_id == chain_id:
                return c
        raise KeyError(chain_id)

    def to_json_dict(self) -> dict[str, Any]:
        header = self.model_dump(mode="json", exclude={"chains"})
        return {**header, "chains": [c.to_json_dict() for c in self.chains]}


def effective_run(
    run: AssessmentRun,
    judgements: Mapping[ChainKey, Judgement],
    taxonomy: Taxonomy,
    *,
    issues: list[DataIssue] | None = None,
    sources: Mapping[str, str] | None = None,
) -> EffectiveRun:
    """Every chain of a run with its judgement applied (chains without one: engine verdict)."""
    return EffectiveRun(
        riskdesk_version=run.riskdesk_version,
        taxonomy=run.taxonomy,
        input=run.input,
        assessed_at=run.assessed_at,
        country=run.country,
        chains=[
            effective_result(c, judgements.get(c.key), taxonomy, computed_with=run.taxonomy.sha256)
            for c in run.chains
        ],
        issues=list(run.issues if issues is None else issues),
        sources={**(sources or {}), **run.sources},  # the run's own files win
    )
