"""The taxonomy: types, dimensions, indicators, rules, strategies, measures and questions — as data.

A taxonomy is a directory of TOML files (`taxonomy.toml`, `indicators.toml`, `strategies.toml`,
`questions.toml`). They are parsed with `tomllib` (never evaluated) and validated by the pydantic
models below; a problem is reported with the file, the key path and what is wrong. The content hash
(sha256 of the canonical JSON of the validated model) identifies the version an assessment used,
so formatting or comments do not change it but any weight or text does.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from riskdesk.core.models import Lang, RiskType, TechCategory
from riskdesk.core.paths import TAXONOMY_DIR

SCHEMA_VERSION = 1
DEFAULT_TAXONOMY_DIR = TAXONOMY_DIR
TAXONOMY_FILES = (
    "taxonomy.toml",
    "indicators.toml",
    "strategies.toml",
    "measures.toml",
    "questions.toml",
)
OPTIONAL_FILES = frozenset({"measures.toml", "questions.toml"})
EXPOSURE = "exposure"


class TaxonomyError(ValueError):
    """An invalid taxonomy: one clear sentence per problem, with file and key path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class _Strict(BaseModel):
    # allow_inf_nan=False: a nan weight or an inf anchor would silently change every score.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Bilingual(_Strict):
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    def name(self, lang: Lang) -> str:
        return self.name_zh if lang == "zh" else self.name_en


class LevelThresholds(_Strict):
    """Upper bounds of low, medium and high; at or above `high` the level is critical."""

    low: float = Field(0.30, ge=0, le=1)
    medium: float = Field(0.50, ge=0, le=1)
    high: float = Field(0.75, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> LevelThresholds:
        if not self.low < self.medium < self.high:
            raise ValueError("level thresholds must rise: low < medium < high")
        return self


class ExposureDamping(_Strict):
    """g(e) = base + slope·e applied to the capability gap of `missing` (SPEC §5.4)."""

    base: float = Field(0.4, ge=0, le=1)
    slope: float = Field(0.6, ge=0, le=1)
    unknown_exposure: float = Field(
        0.5,
        ge=0,
        le=1,
        description="exposure assumed in g(e) when the gate lacks evidence: neither safe nor exposed",
    )

    @model_validator(mode="after")
    def _bounded(self) -> ExposureDamping:
        if self.base + self.slope > 1.0 + 1e-12:
            raise ValueError("base + slope must not exceed 1 so scores stay in [0, 1]")
        return self


class NormalDependenceRule(_Strict):
    """002's false chokepoint: a gap of at least `gap_min` with exposure below `exposure_max`."""

    gap_min: float = Field(0.5, ge=0, le=1)
    exposure_max: float = Field(0.3, ge=0, le=1)


class DependenceRule(Bilingual):
    """`missing` and normal dependence need actual dependence (003 §1: a gap alone is no verdict).

    A chain whose `indicator` is below `minimum` is not dependent; its gap is reported and it is
    monitored. An unknown value does not block the verdict (the explanation says so)."""

    name_zh: str = "依赖前提"
    name_en: str = "Dependence precondition"
    indicator: str = "import_dependence"
    minimum: float = Field(0.30, ge=0, le=1)
    description_zh: str = "对外依存度不低于该值，才作能力缺失型或常态化分工依赖判定。"
    description_en: str = (
        "Capability missing and normal dependence are assigned only at or above this import "
        "dependence."
    )


class DriverGate(Bilingual):
    """A factor in [0, 1] that lets a dimension count only in proportion to its cause.

    gate score s = the max (or weighted mean) of the risks of `indicators` present;
    factor = min(1, s / full_at); when no indicator is present, s = `unknown` (neutral) and the
    explanation says so."""

    indicators: dict[str, float] = Field(min_length=1, description="indicator id -> weight")
    combine: Literal["max", "weighted_mean"] = "max"
    full_at: float = Field(gt=0, le=1, description="gate score at which the dimension counts fully")
    unknown: float = Field(0.5, ge=0, le=1, description="gate score assumed without data")
    description_zh: str = ""
    description_en: str = ""

    @model_validator(mode="after")
    def _weights(self) -> DriverGate:
        if any(w <= 0 for w in self.indicators.values()):
            raise ValueError("gate indicator weights must be positive")
        return self


class RetainedPosition(Bilingual):
    """A strong retained position damps `transfer`: RCA ≥ rca_min and TC > tc_min (000)."""

    name_zh: str = "保有竞争地位"
    name_en: str = "Retained position"
    rca_indicator: str = "rca_index"
    rca_min: float = 1.25
    tc_indicator: str = "tc_index"
    tc_min: float = 0.5
    factor: float = Field(0.5, ge=0, le=1)
    description_zh: str = ""
    description_en: str = ""


def _route_gate() -> DriverGate:
    return DriverGate(
        name_zh="非市场驱动",
        name_en="Non-market driver",
        indicators={"non_market_pressure": 1.0},
        combine="max",
        full_at=2 / 3,
    )


def _transfer_gate() -> DriverGate:
    return DriverGate(
        name_zh="能力流失证据",
        name_en="Evidence of capability leaving",
        indicators={"rca_trend": 0.3, "employment_change": 0.3},
        combine="weighted_mean",
        full_at=0.5,
    )


class ImportanceInput(_Strict):
    """One input of the importance axis: `source` mapped linearly from `low` (0) to `high` (1)."""

    source: str = Field(description="'strategic_value', 'generality' or an indicator id")
    low: float
    high: float
    weight: float = Field(gt=0)

    @model_validator(mode="after")
    def _span(self) -> ImportanceInput:
        if self.low == self.high:
            raise ValueError(f"importance input {self.source}: low and high must differ")
        return self


def _importance_inputs() -> list[ImportanceInput]:
    return [
        ImportanceInput(source="strategic_value", low=1, high=5, weight=0.6),
        ImportanceInput(source="generality", low=1, high=5, weight=0.4),
    ]


class ImportanceRule(Bilingual):
    """Importance (EU CRM's economic importance, DOE's importance axis): weighted mean of the
    inputs present, each clipped to [0, 1]; `unknown` when none is given."""

    name_zh: str = "重要性"
    name_en: str = "Importance"
    inputs: list[ImportanceInput] = Field(default_factory=_importance_inputs, min_length=1)
    unknown: float = Field(0.5, ge=0, le=1)
    description_zh: str = ""
    description_en: str = ""


class PriorityScoreRule(Bilingual):
    """priority_score = risk × (base + slope·importance): risk is the primary type's score, or
    for a chain without an assigned type its highest type score below the assignment threshold
    (so a monitored chain ranks low but is still ranked)."""

    name_zh: str = "优先级得分"
    name_en: str = "Priority score"
    base: float = Field(0.4, ge=0, le=1)
    slope: float = Field(0.6, ge=0, le=1)
    description_zh: str = ""
    description_en: str = ""

    @model_validator(mode="after")
    def _bounded(self) -> PriorityScoreRule:
        if self.base + self.slope > 1.0 + 1e-12:
            raise ValueError("base + slope must not exceed 1 so priority stays in [0, 1]")
        return self


class Scoring(_Strict):
    min_coverage: float = Field(0.5, gt=0, le=1)
    assign_threshold: float = Field(0.5, ge=0, le=1)
    levels: LevelThresholds = LevelThresholds()
    exposure_damping: ExposureDamping = ExposureDamping()
    normal_dependence: NormalDependenceRule = NormalDependenceRule()
    dependence: DependenceRule = DependenceRule()
    route_switch_gate: DriverGate = Field(default_factory=_route_gate)
    transfer_gate: DriverGate = Field(default_factory=_transfer_gate)
    retained_position: RetainedPosition = RetainedPosition()
    importance: ImportanceRule = ImportanceRule()
    priority_score: PriorityScoreRule = PriorityScoreRule()
    # "weakest": the chain takes its weakest segment's whole result; "value_weighted": 001's
    # overall index (segment scores weighted by segment_value_share). "max" is the first
    # version's name for the weakest-segment rule, accepted so stored taxonomies still load.
    segment_rollup: Literal["weakest", "value_weighted", "max"] = "weakest"
    segment_share_indicator: str = "segment_value_share"
    unrated_country_risk: float = Field(0.3, ge=0, le=1)
    high_risk_country: float = Field(0.7, ge=0, le=1)


class ValueSpread(_Strict):
    """How far the robustness draws move an indicator value, by the kind of its source."""

    computed: float = Field(0.05, ge=0, lt=1, description="relative, e.g. TC from trade data")
    imported: float = Field(0.10, ge=0, lt=1, description="relative, reported data")
    illustrative: float = Field(0.25, ge=0, lt=1, description="relative, demo fill-ins")
    expert_steps: int = Field(1, ge=0, le=3, description="answer levels up or down")


class Robustness(_Strict):
    draws: int = Field(300, ge=1, le=100_000)
    spread: float = Field(0.25, ge=0, lt=1, description="relative spread of every weight")
    seed: int = 20221115
    anchor_spread: float = Field(0.10, ge=0, lt=1, description="share of the anchor span")
    threshold_shift: float = Field(0.03, ge=0, lt=0.5)
    gate_spread: float = Field(0.25, ge=0, lt=1, description="relative, gate parameters")
    rating_shift: float = Field(0.1, ge=0, le=1)
    values: ValueSpread = ValueSpread()
    borderline_below: float = Field(
        0.9, ge=0, le=1, description="stability under which a verdict is borderline"
    )
    flip_range: float = Field(
        4.0, gt=0, le=20, description="how far the one-at-a-time search goes, in uncertainties"
    )


class RiskTypeSpec(Bilingual):
    id: RiskType
    description_zh: str
    description_en: str
    dimensions: list[str] = Field(min_length=1)
    aggregation: Literal["max", "weighted_mean"] = "max"
    dimension_weights: dict[str, float] = Field(default_factory=dict)
    damped_by_exposure: bool = False
    strategy: str


class DimensionSpec(Bilingual):
    id: str
    type: RiskType | Literal["exposure"]
    description_zh: str
    description_en: str


class OutcomeSpec(Bilingual):
    id: Literal["normal_dependence", "monitor", "insufficient_evidence"]
    description_zh: str
    description_en: str


class Indicator(Bilingual):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    unit: str
    kind: Literal[
        "share", "share_delta", "rate", "ratio", "index", "count", "level", "days", "years"
    ]
    safe: float
    critical: float
    valid_min: float | None = None
    valid_max: float | None = None
    # Empty for an indicator that is not scored: an importance input, a roll-up share or
    # information such as the bilateral TC*/RCA* (shown, never part of a risk score).
    weights: dict[str, float] = Field(default_factory=dict)
    aliases: list[str] = Field(default_factory=list)
    description_zh: str
    description_en: str
    source: str = ""

    @model_validator(mode="after")
    def _anchors(self) -> Indicator:
        if self.safe == self.critical:
            raise ValueError(f"{self.id}: safe and critical anchors must differ")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError(f"{self.id}: weights must not be negative")
        bounded = self.valid_min is not None and self.valid_max is not None
        if bounded and self.valid_min >= self.valid_max:  # type: ignore[operator]
            raise ValueError(f"{self.id}: valid_min must be below valid_max")
        return self

    @property
    def scored(self) -> bool:
        """Whether the indicator feeds a risk dimension (else it is context only)."""
        return any(w > 0 for w in self.weights.values())

    @property
    def lower_is_worse(self) -> bool:
        return self.critical < self.safe

    def risk(self, value: float) -> float:
        """Linear risk between the anchors, clipped to [0, 1] (the scalar twin of the engine's)."""
        r = (value - self.safe) / (self.critical - self.safe)
        return min(1.0, max(0.0, r))


class StrategySpec(Bilingual):
    id: Literal["gradient_cultivation", "defence", "reconstruction", "monitor"]
    summary_zh: str
    summary_en: str
    source: str = ""


class SubStrategySpec(Bilingual):
    id: Literal["leadership", "domestic_substitution", "asymmetric_advantage"]
    strategy: Literal["gradient_cultivation"]
    tech_categories: list[TechCategory]
    summary_zh: str
    summary_en: str


class PriorityCondition(_Strict):
    field: Literal["generality", "strategic_value", "supplier_count"]
    op: Literal[">=", "<=", ">", "<", "=="]
    value: float
    when_unknown: Literal["pass", "fail", "undetermined"] = "undetermined"


class PriorityModeSpec(Bilingual):
    id: Literal["government_led", "market_led"]
    summary_zh: str
    summary_en: str


class PriorityRule(_Strict):
    applies_to: RiskType = RiskType.MISSING
    conditions: list[PriorityCondition] = Field(min_length=1)
    mature_substitution_when_government_led: bool = True


class Measure(_Strict):
    id: str
    applies_to: str = Field(
        description="a dimension id, a sub-strategy id, a priority mode or 'monitor'"
    )
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    source: str = ""

    def title(self, lang: Lang) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def text(self, lang: Lang) -> str:
        return self.text_zh if lang == "zh" else self.text_en


class AnswerLevel(_Strict):
    value: float
    label_zh: str
    label_en: str
    description_zh: str
    description_en: str


class Question(_Strict):
    id: str
    dimension: str
    indicator: str
    text_zh: str
    text_en: str
    levels: list[AnswerLevel] = Field(min_length=2)


class ColumnAliases(_Strict):
    """Header aliases for the profile columns; indicator aliases live on each indicator."""

    aliases: dict[str, list[str]] = Field(default_factory=dict)
    tech_category_labels: dict[TechCategory, list[str]] = Field(default_factory=dict)


class Taxonomy(_Strict):
    schema_version: int
    name: str
    description: str = ""
    scoring: Scoring = Scoring()
    robustness: Robustness = Robustness()
    types: list[RiskTypeSpec]
    dimensions: list[DimensionSpec]
    outcomes: list[OutcomeSpec]
    indicators: list[Indicator]
    strategies: list[StrategySpec]
    sub_strategies: list[SubStrategySpec]
    priority_rule: PriorityRule
    priority_modes: list[PriorityModeSpec]
    measures: list[Measure] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    columns: ColumnAliases = ColumnAliases()

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, ignored_types=(cached_property,)
    )

    @model_validator(mode="after")
    def _cross_references(self) -> Taxonomy:
        problems: list[str] = []
        if self.schema_version > SCHEMA_VERSION:
            problems.append(
                f"schema_version {self.schema_version} is newer than this riskdesk understands "
                f"({SCHEMA_VERSION})"
            )
        type_ids = [t.id for t in self.types]
        if sorted(type_ids) != sorted(RiskType):
            problems.append(
                f"types must be exactly {', '.join(RiskType)}; found {', '.join(type_ids)}"
            )
        dim_ids = {d.id for d in self.dimensions}
        if EXPOSURE not in dim_ids:
            problems.append("a dimension with id 'exposure' (the exposure gate) is required")
        for t in self.types:
            problems += [
                f"type {t.id}: unknown dimension '{d}'" for d in t.dimensions if d not in dim_ids
            ]
        for d in self.dimensions:
            owners = [t.id for t in self.types if d.id in t.dimensions]
            if d.id != EXPOSURE and owners != [d.type]:
                problems.append(f"dimension {d.id}: must be listed by exactly its type '{d.type}'")
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                problems.append(f"indicator {ind.id}: defined twice")
            seen.add(ind.id)
            problems += [
                f"indicator {ind.id}: weight for unknown dimension '{d}'"
                for d in ind.weights
                if d not in dim_ids
            ]
        for dim_id in sorted(dim_ids):
            if not any(ind.weights.get(dim_id, 0) > 0 for ind in self.indicators):
                problems.append(f"dimension {dim_id}: no indicator feeds it with a positive weight")
        strategy_ids = {s.id for s in self.strategies}
        for t in self.types:
            if t.strategy not in strategy_ids:
                problems.append(f"type {t.id}: unknown strategy '{t.strategy}'")
        if "monitor" not in strategy_ids:
            problems.append("a strategy with id 'monitor' is required")
        targets = dim_ids | {s.id for s in self.sub_strategies} | {"monitor", "normal_dependence"}
        targets |= {m.id for m in self.priority_modes}
        problems += [
            f"measure {m.id}: applies_to '{m.applies_to}' is not a dimension, sub-strategy or mode"
            for m in self.measures
            if m.applies_to not in targets
        ]
        problems += self._rule_references(seen)
        for q in self.questions:
            if q.dimension not in dim_ids:
                problems.append(f"question {q.id}: unknown dimension '{q.dimension}'")
            if q.indicator not in seen:
                problems.append(f"question {q.id}: unknown indicator '{q.indicator}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _rule_references(self, indicator_ids: set[str]) -> list[str]:
        """Indicators named by the scoring rules must exist (a typo would silently disable a gate)."""
        rules = self.scoring
        named = {
            "scoring.dependence": [rules.dependence.indicator],
            "scoring.route_switch_gate": list(rules.route_switch_gate.indicators),
            "scoring.transfer_gate": list(rules.transfer_gate.indicators),
            "scoring.retained_position": [
                rules.retained_position.rca_indicator,
                rules.retained_position.tc_indicator,
            ],
            "scoring.importance": [
                i.source
                for i in rules.importance.inputs
                if i.source not in ("strategic_value", "generality")
            ],
        }
        if rules.segment_rollup == "value_weighted":
            named["scoring.segment_share_indicator"] = [rules.segment_share_indicator]
        return [
            f"{where}: unknown indicator '{ind}'"
            for where, ids in named.items()
            for ind in ids
            if ind not in indicator_ids
        ]

    # --- look-ups (derived, cached on the frozen instance) -------------------------------------

    @cached_property
    def sha256(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def dimension_by_id(self) -> dict[str, DimensionSpec]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def type_by_id(self) -> dict[RiskType, RiskTypeSpec]:
        return {t.id: t for t in self.types}

    @cached_property
    def capability_dimensions(self) -> tuple[str, ...]:
        """Dimensions of the three types in type order (missing, destroyed, response)."""
        return tuple(d for t in RiskType for d in self.type_by_id[t].dimensions)

    @cached_property
    def strategy_by_id(self) -> dict[str, StrategySpec]:
        return {s.id: s for s in self.strategies}

    @cached_property
    def sub_strategy_by_id(self) -> dict[str, SubStrategySpec]:
        return {s.id: s for s in self.sub_strategies}

    @cached_property
    def outcome_by_id(self) -> dict[str, OutcomeSpec]:
        return {o.id: o for o in self.outcomes}

    def measures_for(self, target: str) -> list[Measure]:
        return [m for m in self.measures if m.applies_to == target]

    def questions_for(self, dimension: str) -> list[Question]:
        return [q for q in self.questions if q.dimension == dimension]

    def label(self, key: str, lang: Lang) -> str:
        """Display name of any type, outcome, dimension, strategy, sub-strategy or mode id."""
        for table in (
            self.type_by_id,
            self.outcome_by_id,
            self.dimension_by_id,
            self.strategy_by_id,
            self.sub_strategy_by_id,
            {m.id: m for m in self.priority_modes},
            self.indicator_by_id,
        ):
            item = table.get(key)  # type: ignore[call-overload]
            if item is not None:
                return str(item.name(lang))
        return key

    def with_changes(self, **changes: Any) -> Taxonomy:
        """A validated copy with top-level fields replaced (the taxonomy editor uses this)."""
        data = self.model_dump()
        data.update(changes)
        return Taxonomy.model_validate(data)


def _format_validation_error(err: ValidationError, where: dict[str, str]) -> list[str]:
    problems = []
    for e in err.errors():
        loc = e["loc"]
        path = ".".join(str(p) for p in loc)
        file = where.get(str(loc[0]), "taxonomy") if loc else "taxonomy"
        msg = e["msg"].removeprefix("Value error, ")
        problems.append(f"{file}: {path or '(top level)'}: {msg}")
    return problems


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy directory; raise TaxonomyError naming every problem."""
    directory = Path(directory) if directory is not None else DEFAULT_TAXONOMY_DIR
    if not directory.is_dir():
        raise TaxonomyError([f"{directory}: taxonomy directory not found"])
    data: dict[str, Any] = {}
    where: dict[str, str] = {}
    problems: list[str] = []
    for name in TAXONOMY_FILES:
        path = directory / name
        if not path.exists():
            if name in OPTIONAL_FILES:
                continue
            problems.append(f"{path}: file missing")
            continue
        text = read_regular_text(path, problems)
        if text is None:
            continue
        try:
            part = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path}: not valid TOML ({exc})")
            continue
        except RecursionError:
            problems.append(f"{path}: nested too deeply to be read (arrays or tables inside "
                            "each other hundreds of levels deep)")
            continue
        for key, value in part.items():
            if key in data:
                problems.append(f"{path}: key '{key}' also defined in {where[key]}")
            data[key] = value
            where[key] = str(path)
    if problems:
        raise TaxonomyError(problems)
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as err:
        raise TaxonomyError(_format_validation_error(err, where)) from None


MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024


def read_regular_text(path: Path, problems: list[str]) -> str | None:
    """The UTF-8 text of a small regular file, or None with the reason added to `problems`.

    A FIFO, device or folder with the expected name is refused before it is opened (reading a
    FIFO would wait forever, /dev/zero never ends)."""
    try:
        if not path.is_file():
            problems.append(f"{path}: not a regular file (a folder, device or pipe)")
            return None
        if path.stat().st_size > MAX_TEXT_FILE_BYTES:
            problems.append(f"{path}: larger than {MAX_TEXT_FILE_BYTES} bytes")
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
    return None


_DEFAULT: Taxonomy | None = None


def default_taxonomy() -> Taxonomy:
    """The bundled taxonomy, loaded once per process."""
    global _DEFAULT  # noqa: PLW0603 - a process-wide cache of immutable data
    if _DEFAULT is None:
        _DEFAULT = load_taxonomy(DEFAULT_TAXONOMY_DIR)
    return _DEFAULT


def indicator_weight_table(
    taxonomy: Taxonomy, dimensions: Iterable[str]
) -> dict[str, dict[str, float]]:
    """dimension -> {indicator: weight} for the given dimensions (positive weights only)."""
    return {
        d: {i.id: i.weights[d] for i in taxonomy.indicators if i.weights.get(d, 0) > 0}
        for d in dimensions
    }
