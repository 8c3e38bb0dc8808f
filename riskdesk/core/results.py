"""Per-chain assessment results — the shape the CLI's JSON, the reports, the project and the GUI share.

The engine computes everything vectorised (`riskdesk.core.scoring`); `riskdesk.core.assess`
materialises these models for the chains a caller wants to show, export or store.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from riskdesk.core.models import DataIssue, InputSource, Lang, Outcome, RiskLevel, RiskType


class DimensionScore(BaseModel):
    score: float | None = Field(description="weighted mean risk of the indicators present")
    coverage: float = Field(ge=0, le=1, description="present weight / total weight")
    sufficient: bool = Field(description="coverage ≥ the taxonomy's min_coverage")


class GateResult(BaseModel):
    """How a gate let a dimension count (SPEC §11): route_switch by its non-market driver,
    transfer by the evidence that capability is leaving, damped by a retained position."""

    dimension: str
    score: float | None = Field(description="the gate's score from its indicators; None = no data")
    assumed: float | None = Field(
        default=None, description="the neutral score assumed because no gate indicator is given"
    )
    factor: float = Field(ge=0, le=1, description="what the dimension score is multiplied by")
    retained: bool = Field(
        default=False, description="transfer: damped by a strong retained position (RCA, TC)"
    )


class IndicatorResult(BaseModel):
    value: float | None
    risk: float | None
    source: str = Field(description="provenance in one line ('' when missing)")
    unit: str | None = None
    year: int | None = None
    kind: Literal["imported", "computed", "expert"] | None = None
    illustrative: bool = False


class Driver(BaseModel):
    """One indicator's contribution to a type's driving dimension: weight × r / Σ weights present."""

    type: RiskType
    dimension: str
    indicator: str
    value: float
    risk: float
    contribution: float


class Explanation(BaseModel):
    zh: str
    en: str
    drivers: list[Driver] = Field(default_factory=list)
    driving_dimensions: dict[str, str | None] = Field(
        default_factory=dict, description="type -> its highest dimension with sufficient evidence"
    )

    def text(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class FlipPoint(BaseModel):
    """The input whose one-at-a-time change flips the verdict soonest (robustness v2)."""

    input: str = Field(description="what is varied, e.g. 'rating:JPN', 'value:import_dependence'")
    kind: Literal["value", "rating", "weight", "anchor", "threshold", "gate"]
    baseline: float | None = None
    flips_at: float | None = Field(default=None, description="the value at which it flips")
    becomes: Outcome | None = Field(default=None, description="the verdict after the flip")
    zh: str = ""
    en: str = ""

    def text(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class RobustnessResult(BaseModel):
    primary_stability: float = Field(
        ge=0, le=1, description="share of draws keeping the primary"
    )
    draws: int
    spread: float = 0.25
    alternatives: dict[str, float] = Field(
        default_factory=dict, description="other primaries seen in the draws and their share"
    )
    driving_stability: float | None = Field(
        default=None, ge=0, le=1, description="share of draws keeping the driving dimension"
    )
    borderline: bool = Field(default=False, description="the verdict is close to a threshold")
    flip: FlipPoint | None = None
    varied: list[str] = Field(
        default_factory=list, description="what the draws perturb (weights, anchors, …)"
    )


class SupplierShare(BaseModel):
    """One import partner of a chain (from the trade table's partner shares) with the rating the
    country-risk list gives it; `rating` is None when the country is not on the list."""

    country: str = Field(description="ISO3 code of the partner")
    share: float = Field(ge=0, le=1, description="share of the chain's imports")
    rating: float | None = None


StrategyId = Literal["gradient_cultivation", "defence", "reconstruction", "monitor"]
SubStrategyId = Literal["leadership", "domestic_substitution", "asymmetric_advantage"]
PriorityModeId = Literal["government_led", "market_led"]


class StrategyBlock(BaseModel):
    """The strategy for one assigned type (SPEC §11): sub-strategy and priority mode belong to
    gradient cultivation only. A chain with no assigned type has one `monitor` block."""

    type: Outcome
    strategy: StrategyId
    sub_strategy: SubStrategyId | None = None
    priority_mode: PriorityModeId | None = None
    priority_note: str | None = None
    measures: list[str] = Field(default_factory=list, description="measure ids, in order")


class ChainResult(BaseModel):
    """The assessment of one chain, or of one segment of a chain (then `segment` is set)."""

    chain_id: str
    chain_name: str
    segment: str | None = None
    sector: str | None = None
    tech_category: str | None = None
    strategic_value: int | None = None
    generality: int | None = None
    primary_type: Outcome
    types: list[RiskType] = Field(description="assigned types, highest score first")
    tie: bool = Field(default=False, description="the primary was chosen by tie-break order")
    normal_dependence: bool = Field(
        default=False,
        description="the capability gap met an unexposed supply (002's false chokepoint)",
    )
    type_scores: dict[RiskType, float | None]
    risk_levels: dict[RiskType, RiskLevel | None]
    gap: float | None = Field(default=None, description="highest sufficient dimension of `missing`")
    dimension_scores: dict[str, DimensionScore]
    exposure: float | None
    exposure_coverage: float = 0.0
    dependence_met: bool | None = Field(
        default=None,
        description="import dependence ≥ the precondition (None: unknown, the verdict is allowed)",
    )
    gates: dict[str, GateResult] = Field(
        default_factory=dict, description="dimension -> how its gate let it count"
    )

    def counted_score(self, dimension: str) -> float | None:
        """A dimension's score as it enters its type's score (after its gate, if it has one)."""
        score = self.dimension_scores[dimension].score
        gate = self.gates.get(dimension)
        return score if score is None or gate is None else score * gate.factor
    strategy: StrategyId
    sub_strategy: SubStrategyId | None = None
    priority_mode: PriorityModeId | None = None
    priority_note: str | None = Field(
        default=None, description="why the priority mode is undetermined"
    )
    measures: list[str] = Field(
        default_factory=list, description="recommended measure ids, in order"
    )
    strategies: list[StrategyBlock] = Field(
        default_factory=list, description="one block per assigned type, primary first"
    )
    importance: float | None = Field(
        default=None, ge=0, le=1, description="importance of the chain (strategic value, …)"
    )
    importance_assumed: bool = Field(
        default=False, description="no importance input was given; the neutral value is used"
    )
    priority_score: float = Field(
        default=0.0, description="portfolio ranking key: risk × (base + slope·importance)"
    )
    explanation: Explanation
    indicators: dict[str, IndicatorResult]
    robustness: RobustnessResult | None = None
    data_to_collect: list[str] = Field(
        default_factory=list, description="missing indicators, most informative first"
    )
    weakest_segment: str | None = None
    suppliers: list[SupplierShare] = Field(
        default_factory=list,
        description="import partners from the trade table, largest share first (empty: no data)",
    )
    segments: list[ChainResult] = Field(
        default_factory=list, description="every segment's own verdict, in input order"
    )
    segment_rollup: Literal["weakest", "value_weighted"] | None = Field(
        default=None, description="the roll-up rule that made this chain result from its segments"
    )
    overall_index: dict[RiskType, float | None] | None = Field(
        default=None,
        description="001's value-weighted index per type (segments weighted by value share)",
    )

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.chain_id, self.segment)

    @property
    def primary_level(self) -> RiskLevel | None:
        risk_type = self.primary_risk_type
        return None if risk_type is None else self.risk_levels.get(risk_type)

    @property
    def primary_score(self) -> float | None:
        risk_type = self.primary_risk_type
        return None if risk_type is None else self.type_scores.get(risk_type)

    @property
    def primary_risk_type(self) -> RiskType | None:
        """The primary type when it is one of the three capability types."""
        values = {t.value for t in RiskType}
        return RiskType(self.primary_type.value) if self.primary_type.value in values else None

    @property
    def evidence_coverage(self) -> float:
        """Mean coverage over the seven capability dimensions (for summary boxes)."""
        values = [d.coverage for k, d in self.dimension_scores.items() if k != "exposure"]
        return sum(values) / len(values) if values else 0.0


class TaxonomyRef(BaseModel):
    name: str
    sha256: str


class AssessmentRun(BaseModel):
    """All chain results of one run, with what identifies the run (for JSON, reports, storage)."""

    riskdesk_version: str
    taxonomy: TaxonomyRef
    input: InputSource | None
    assessed_at: str = Field(description="ISO-8601 time of the run (UTC)")
    country: str = "CHN"
    chains: list[ChainResult]
    issues: list[DataIssue] = Field(default_factory=list)
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="further inputs by role ('country_risk', 'trade') → 'file name sha256'",
    )

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def chain(self, chain_id: str) -> ChainResult:
        for c in self.chains:
            if c.chain_id == chain_id:
                return c
        raise KeyError(chain_id)
