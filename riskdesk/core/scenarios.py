"""Scenario libraries: what-if shocks to the supply of every chain (issue 13, SPEC §11).

A library is a TOML file (`schema = 1`) holding `[[scenario]]` tables. Each scenario has one kind:

* `partner_cutoff` / `export_ban` — one or more partners' supply cut by a fraction (`[[scenario.shock]]`
  with `partner`, `cut`) for `duration_days`;
* `logistics_block` — several partners partly cut (the same `shock` tables, usually several);
* `rating_shock` — partners' country risk ratings change (`[[scenario.rating]]` with `partner`,
  `rating`); no volume is lost, only the rating-weighted indicators move;
* `demand_surge` — consumption × (1 + `surge`) for the duration;
* `plant_outage` — domestic capacity down by the fraction `outage` for the duration.

Any scenario may carry substitution ramps (`[[scenario.substitution]]`: `partner`, `extra` as a
fraction of baseline import volume, `from_day`) and an optional annual `probability`. Ramps replace
lost supply only: Σ extra ≤ Σ cut of the scenario (SPEC §11.1).

The models here validate one scenario at a time; `riskdesk.io.scenarios` reads the file and turns
validation failures into located problems.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal, NoReturn, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1
MAX_DURATION_DAYS = 3650.0
ScenarioKind = Literal[
    "partner_cutoff", "export_ban", "logistics_block", "rating_shock", "demand_surge", "plant_outage"
]
CUT_KINDS: tuple[str, ...] = ("partner_cutoff", "export_ban", "logistics_block")


def _iso3(value: str) -> str:
    text = value.strip().upper()
    if len(text) != 3 or not text.isascii() or not text.isalpha():
        raise PydanticCustomError(
            "scenario_rule", "'(value)' is not a three-letter ISO country code".replace(
                "(value)", value.replace("{", "(").replace("}", ")")),
            {"zh": f"“{value}”不是三位字母的 ISO 国家代码"})  # fmt: skip
    return text


Iso3 = Annotated[str, AfterValidator(_iso3)]


def _fail(key: str, en: str, zh: str) -> NoReturn:
    """A rule across keys is broken: the error carries the key it belongs to and the Chinese
    sentence, so the file reader can locate and translate it."""
    raise PydanticCustomError("scenario_rule", en.replace("{", "(").replace("}", ")"),
                              {"key": key, "zh": zh})  # fmt: skip


class Shock(BaseModel):
    """A partner's supply cut by a fraction for the scenario's duration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: Iso3 = Field(description="ISO3 code of the partner whose supply is cut")
    cut: float = Field(gt=0.0, le=1.0, allow_inf_nan=False, description="fraction lost, (0, 1]")


class Substitution(BaseModel):
    """A ramp: from `from_day` on, `partner` supplies `extra` × baseline import volume more."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: Iso3
    extra: float = Field(gt=0.0, le=1.0, allow_inf_nan=False)
    from_day: float = Field(0.0, ge=0.0, le=MAX_DURATION_DAYS, allow_inf_nan=False)


class RatingChange(BaseModel):
    """A partner's country risk rating during a rating shock."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: Iso3
    rating: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)


class Scenario(BaseModel):
    """One what-if shock."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name: str = Field("", max_length=200)
    kind: ScenarioKind
    duration_days: float = Field(gt=0.0, le=MAX_DURATION_DAYS, allow_inf_nan=False)
    chains: tuple[str, ...] = Field(("*",), min_length=1, max_length=10_000)
    probability: float | None = Field(None, ge=0.0, le=1.0, allow_inf_nan=False)
    shocks: tuple[Shock, ...] = Field((), alias="shock", max_length=200)
    substitutions: tuple[Substitution, ...] = Field((), alias="substitution", max_length=200)
    ratings: tuple[RatingChange, ...] = Field((), alias="rating", max_length=200)
    surge: float | None = Field(None, gt=0.0, le=10.0, allow_inf_nan=False)
    outage: float | None = Field(None, gt=0.0, le=1.0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        kind = self.kind
        if kind in CUT_KINDS and not self.shocks:
            _fail("shock", f"a {kind} scenario needs at least one [[scenario.shock]]",
                  f"{kind} 情景至少需要一个 [[scenario.shock]]")  # fmt: skip
        if kind not in CUT_KINDS and self.shocks:
            _fail("shock", f"a {kind} scenario takes no [[scenario.shock]] (a cut is a "
                  f"{CUT_KINDS[0]})", f"{kind} 情景不接受 [[scenario.shock]]（断供请用 {CUT_KINDS[0]}）")  # fmt: skip
        if kind == "rating_shock" and not self.ratings:
            _fail("rating", "a rating_shock scenario needs [[scenario.rating]] tables",
                  "rating_shock 情景需要 [[scenario.rating]] 表")  # fmt: skip
        if kind != "rating_shock" and self.ratings:
            _fail("rating", f"a {kind} scenario takes no [[scenario.rating]] (that is a "
                  "rating_shock)", f"{kind} 情景不接受 [[scenario.rating]]（评级变化请用 rating_shock）")  # fmt: skip
        if (kind == "demand_surge") != (self.surge is not None):
            if kind == "demand_surge":
                _fail("surge", "a demand_surge scenario needs surge = x (consumption × (1 + x))",
                      "demand_surge 情景需要 surge = x（需求 ×(1 + x)）")  # fmt: skip
            _fail("surge", f"surge belongs to demand_surge scenarios, not {kind}",
                  f"surge 只用于 demand_surge 情景，不用于 {kind}")  # fmt: skip
        if (kind == "plant_outage") != (self.outage is not None):
            if kind == "plant_outage":
                _fail("outage", "a plant_outage scenario needs outage = fraction of domestic "
                      "capacity lost", "plant_outage 情景需要 outage = 国内产能损失比例")  # fmt: skip
            _fail("outage", f"outage belongs to plant_outage scenarios, not {kind}",
                  f"outage 只用于 plant_outage 情景，不用于 {kind}")  # fmt: skip
        for group, what in ((self.shocks, "shock"), (self.ratings, "rating")):
            partners = [x.partner for x in group]
            twice = sorted({p for p in partners if partners.count(p) > 1})
            if twice:
                _fail(what, f"partner {twice[0]} appears in two [[scenario.{what}]] tables",
                      f"伙伴 {twice[0]} 出现在两个 [[scenario.{what}]] 表中")  # fmt: skip
        cut = {s.partner for s in self.shocks}
        both = sorted(s.partner for s in self.substitutions if s.partner in cut)
        if both:
            _fail("substitution", f"a substitution ramp cannot come from {both[0]}, a partner "
                  "that is cut", f"替代来源 {both[0]} 本身被断供，不能作为替代")  # fmt: skip
        total_cut = sum(s.cut for s in self.shocks)
        total_extra = sum(s.extra for s in self.substitutions)
        if self.substitutions and total_extra > total_cut + 1e-9:
            _fail("substitution", f"substitution ramps replace lost supply only: Σ extra = "
                  f"{total_extra:g} exceeds Σ cut = {total_cut:g}",
                  f"替代只补足损失的供应：Σ extra = {total_extra:g} 超过 Σ cut = {total_cut:g}")  # fmt: skip
        late = [s for s in self.substitutions if s.from_day >= self.duration_days]
        if late:
            _fail("substitution", f"the ramp from {late[0].partner} starts on day "
                  f"{late[0].from_day:g}, after the scenario ends (duration_days = "
                  f"{self.duration_days:g})", f"来自 {late[0].partner} 的替代从第 "
                  f"{late[0].from_day:g} 天开始，晚于情景结束（duration_days = {self.duration_days:g}）")  # fmt: skip
        return self

    @field_validator("chains")
    @classmethod
    def _chains(cls, chains: tuple[str, ...]) -> tuple[str, ...]:
        if "*" in chains and len(chains) > 1:
            raise ValueError('chains is either ["*"] (every chain) or a list of chain ids')
        if any(not c.strip() for c in chains):
            raise ValueError("a chain id in chains is empty")
        return tuple(c.strip() for c in chains)

    def applies_to(self, chain_id: str) -> bool:
        return self.chains == ("*",) or chain_id in self.chains


class ScenarioLibrary(BaseModel):
    """The scenarios of one file, with the file's sha256 so a run names exactly what it used."""

    model_config = ConfigDict(frozen=True)

    schema_version: int = SCHEMA_VERSION
    scenarios: tuple[Scenario, ...]
    sha256: str
    source: str | None = None

    @classmethod
    def of(cls, scenarios: list[Scenario], data: bytes, source: str | None = None) -> ScenarioLibrary:
        return cls(scenarios=tuple(scenarios), sha256=hashlib.sha256(data).hexdigest(), source=source)

    def ids(self) -> list[str]:
        return [s.id for s in self.scenarios]
