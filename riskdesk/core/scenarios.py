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
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1
MAX_DURATION_DAYS = 3650.0
ScenarioKind = Literal[
    "partner_cutoff", "export_ban", "logistics_block", "rating_shock", "demand_surge", "plant_outage"
]
CUT_KINDS: tuple[str, ...] = ("partner_cutoff", "export_ban", "logistics_block")


def _iso3(value: str) -> str:
    text = value.strip().upper()
    if len(text) != 3 or not text.isascii() or not text.isalpha():
        raise ValueError(f"'{value}' is not a three-letter ISO country code")
    return text


Iso3 = Annotated[str, AfterValidator(_iso3)]


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
            raise ValueError(f"a {kind} scenario needs at least one [[scenario.shock]]")
        if kind not in CUT_KINDS and self.shocks:
            raise ValueError(f"a {kind} scenario takes no [[scenario.shock]] (a cut is a {CUT_KINDS[0]})")
        if (kind == "rating_shock") != bool(self.ratings):
            raise ValueError(
                "a rating_shock scenario needs [[scenario.rating]] tables"
                if kind == "rating_shock"
                else f"a {kind} scenario takes no [[scenario.rating]] (that is a rating_shock)"
            )
        if (kind == "demand_surge") != (self.surge is not None):
            raise ValueError(
                "a demand_surge scenario needs surge = x (consumption × (1 + x))"
                if kind == "demand_surge"
                else f"surge belongs to demand_surge scenarios, not {kind}"
            )
        if (kind == "plant_outage") != (self.outage is not None):
            raise ValueError(
                "a plant_outage scenario needs outage = fraction of domestic capacity lost"
                if kind == "plant_outage"
                else f"outage belongs to plant_outage scenarios, not {kind}"
            )
        for group, what in ((self.shocks, "shock"), (self.substitutions, "substitution"),
                            (self.ratings, "rating")):  # fmt: skip
            partners = [x.partner for x in group]
            twice = sorted({p for p in partners if partners.count(p) > 1})
            if twice and what != "substitution":
                raise ValueError(f"partner {twice[0]} appears in two [[scenario.{what}]] tables")
        cut = {s.partner for s in self.shocks}
        if any(s.partner in cut for s in self.substitutions):
            raise ValueError("a substitution ramp cannot come from a partner that is cut")
        total_cut = sum(s.cut for s in self.shocks)
        total_extra = sum(s.extra for s in self.substitutions)
        if self.substitutions and total_extra > total_cut + 1e-9:
            raise ValueError(
                f"substitution ramps replace lost supply only: Σ extra = {total_extra:g} exceeds "
                f"Σ cut = {total_cut:g}"
            )
        late = [s for s in self.substitutions if s.from_day >= self.duration_days]
        if late:
            raise ValueError(
                f"the ramp from {late[0].partner} starts on day {late[0].from_day:g}, after the "
                f"scenario ends (duration_days = {self.duration_days:g})"
            )
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
