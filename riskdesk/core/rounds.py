"""What changed between two assessment rounds (e.g. 2025 → 2026), per chain.

Pure functions over indicator values and ChainResults, so the CLI, the GUI and the reports show the
same diff whatever store the rounds came from. A value that is missing in one round and present in
the other is a change (missing is never 0); scores are compared with a small tolerance so a
re-run that reproduces a result bit for bit — or nearly — is not reported as a change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from riskdesk.core.models import Lang, RiskType
from riskdesk.core.results import ChainResult

ChainKey = tuple[str, str | None]
SCORE_TOLERANCE = 1e-9


class ValueChange(BaseModel):
    indicator: str
    old: float | None
    new: float | None


class ScoreChange(BaseModel):
    type: RiskType
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


class FieldChange(BaseModel):
    old: str | None
    new: str | None


class ResultDigest(BaseModel):
    """What a diff compares of a stored result (cheap to read from a store without parsing the
    whole ChainResult)."""

    primary_type: str
    strategy: str
    type_scores: dict[str, float | None]

    @classmethod
    def of(cls, result: ChainResult) -> ResultDigest:
        return cls(
            primary_type=result.primary_type.value,
            strategy=result.strategy,
            type_scores={t.value: s for t, s in result.type_scores.items()},
        )


class ChainDiff(BaseModel):
    chain_id: str
    segment: str | None = None
    change: Literal["added", "removed", "changed", "unchanged"]
    values: list[ValueChange] = Field(default_factory=list)
    scores: list[ScoreChange] = Field(default_factory=list)
    classification: FieldChange | None = None
    strategy: FieldChange | None = None
    assessed: tuple[bool, bool] = Field(
        default=(False, False), description="whether each round has a stored result for the chain"
    )


class RoundDiff(BaseModel):
    from_round: str
    to_round: str
    chains: list[ChainDiff]

    @property
    def changed(self) -> list[ChainDiff]:
        return [c for c in self.chains if c.change != "unchanged"]

    def lines(self, lang: Lang = "zh") -> list[str]:
        """A plain-text rendering for the console, one chain per block."""
        zh = lang == "zh"
        out = [
            (
                f"轮次比较 {self.from_round} → {self.to_round}：{len(self.changed)} 条产业链有变化"
                if zh
                else f"Round {self.from_round} → {self.to_round}: {len(self.changed)} chain(s) changed"
            )
        ]
        for c in self.changed:
            name = c.chain_id + (f" / {c.segment}" if c.segment else "")
            head = {
                "added": ("新增", "added"),
                "removed": ("移除", "removed"),
                "changed": ("变化", "changed"),
                "unchanged": ("未变", "unchanged"),
            }[c.change]
            out.append(f"* {name}: {head[0] if zh else head[1]}")
            for assessed, round_name in zip(
                c.assessed, (self.from_round, self.to_round), strict=True
            ):
                if not assessed and c.change == "changed":
                    out.append(
                        f"    {round_name} 轮无评估结果"
                        if zh
                        else f"    no stored result in round {round_name}"
                    )
            if c.classification is not None:
                label = "分类" if zh else "classification"
                out.append(f"    {label}: {_s(c.classification.old)} → {_s(c.classification.new)}")
            if c.strategy is not None:
                label = "策略" if zh else "strategy"
                out.append(f"    {label}: {_s(c.strategy.old)} → {_s(c.strategy.new)}")
            for s in c.scores:
                label = "得分" if zh else "score"
                out.append(f"    {label} {s.type}: {_f(s.old)} → {_f(s.new)}")
            out.extend(f"    {v.indicator}: {_f(v.old)} → {_f(v.new)}" for v in c.values)
        return out


def _s(value: str | None) -> str:
    return "—" if value is None else value


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=SCORE_TOLERANCE, abs_tol=SCORE_TOLERANCE)


def diff_chain(
    key: ChainKey,
    values_a: Mapping[str, float | None] | None,
    values_b: Mapping[str, float | None] | None,
    result_a: ChainResult | ResultDigest | None,
    result_b: ChainResult | ResultDigest | None,
) -> ChainDiff:
    """Compare one chain across two rounds. `values_x is None` = the chain is absent there."""
    chain_id, segment = key
    if values_a is None and values_b is None:
        raise ValueError(f"chain {chain_id} is in neither round")
    value_changes: list[ValueChange] = []
    old_values = values_a or {}
    new_values = values_b or {}
    for ind in sorted(set(old_values) | set(new_values)):
        old, new = old_values.get(ind), new_values.get(ind)
        if not _same(old, new):
            value_changes.append(ValueChange(indicator=ind, old=old, new=new))
    score_changes = []
    classification = strategy = None
    # Results are compared only when both rounds assessed the chain: a round not yet assessed
    # has no scores to differ (`assessed` says which side lacks a result).
    if result_a is not None and result_b is not None:
        a = result_a if isinstance(result_a, ResultDigest) else ResultDigest.of(result_a)
        b = result_b if isinstance(result_b, ResultDigest) else ResultDigest.of(result_b)
        for t in RiskType:
            old_score, new_score = a.type_scores.get(t.value), b.type_scores.get(t.value)
            if not _same(old_score, new_score):
                score_changes.append(ScoreChange(type=t, old=old_score, new=new_score))
        if a.primary_type != b.primary_type:
            classification = FieldChange(old=a.primary_type, new=b.primary_type)
        if a.strategy != b.strategy:
            strategy = FieldChange(old=a.strategy, new=b.strategy)
    if values_a is None:
        change: Literal["added", "removed", "changed", "unchanged"] = "added"
    elif values_b is None:
        change = "removed"
    elif value_changes or score_changes or classification or strategy:
        change = "changed"
    else:
        change = "unchanged"
    return ChainDiff(
        chain_id=chain_id,
        segment=segment,
        change=change,
        values=value_changes,
        scores=score_changes,
        classification=classification,
        strategy=strategy,
        assessed=(result_a is not None, result_b is not None),
    )


def diff_rounds(
    from_round: str,
    to_round: str,
    *,
    values_a: Mapping[ChainKey, Mapping[str, float | None]],
    values_b: Mapping[ChainKey, Mapping[str, float | None]],
    results_a: Mapping[ChainKey, ChainResult | ResultDigest],
    results_b: Mapping[ChainKey, ChainResult | ResultDigest],
) -> RoundDiff:
    """Per chain (every chain of either round, in a stable order): what changed from a to b.

    `values_x` maps each chain present in the round to its indicator values (missing = absent
    or None); `results_x` holds the chains' latest stored results in that round, if any.
    """
    keys = sorted(set(values_a) | set(values_b), key=lambda k: (k[0], k[1] or ""))
    chains = [
        diff_chain(k, values_a.get(k), values_b.get(k), results_a.get(k), results_b.get(k))
        for k in keys
    ]
    return RoundDiff(from_round=from_round, to_round=to_round, chains=chains)
