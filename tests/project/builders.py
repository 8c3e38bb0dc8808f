"""Builders for project tests: a small inventory and hand-made assessment runs."""


from __future__ import annotations

from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Chain, IndicatorValue, InputSource, Outcome, Provenance, RiskType
from riskdesk.core.results import (
    AssessmentRun,
    ChainResult,
    DimensionScore,
    Explanation,
    TaxonomyRef,
)
from riskdesk.core.taxonomy import Taxonomy

ROUND = "2025"


def make_inventory(taxonomy: Taxonomy, n: int = 3, scale: float = 1.0) -> Inventory:
    chains = [Chain(chain_id=f"C{i}", chain_name=f"链 {i}", sector="半导体") for i in range(n)]
    ids = taxonomy.indicator_ids
    values = [
        (
            c.chain_id,
            None,
            IndicatorValue(
                indicator=ids[j],
                value=round(0.1 * (i + 1) * (j + 1) * scale, 6),
                provenance=Provenance(kind="imported", file="inv.xlsx", sheet="chains",
                                      cell=f"{chr(70 + j)}{i + 2}"),
            ),
        )
        for i, c in enumerate(chains)
        for j in range(3)
    ]
    source = InputSource(path="inv.xlsx", sha256="ab" * 32)
    return Inventory.from_records(taxonomy, chains, values, source=source)


def make_result(chain_id: str, primary: Outcome, missing: float | None,
                strategy: str = "gradient_cultivation") -> ChainResult:
    scores = {RiskType.MISSING: missing, RiskType.DESTROYED: 0.2, RiskType.RESPONSE: None}
    return ChainResult(
        chain_id=chain_id,
        chain_name=f"链 {chain_id}",
        primary_type=primary,
        types=[RiskType.MISSING] if primary == Outcome.MISSING else [],
        type_scores=scores,
        risk_levels=dict.fromkeys(RiskType),
        dimension_scores={"lock_in": DimensionScore(score=missing, coverage=1.0, sufficient=True)},
        exposure=0.6,
        strategy=strategy,  # type: ignore[arg-type]
        explanation=Explanation(zh="说明", en="explanation"),
        indicators={},
    )


def make_run(taxonomy: Taxonomy, results: list[ChainResult]) -> AssessmentRun:
    return AssessmentRun(
        riskdesk_version="0.1.0",
        taxonomy=TaxonomyRef(name=taxonomy.name, sha256=taxonomy.sha256),
        input=InputSource(path="inv.xlsx", sha256="ab" * 32),
        assessed_at="2026-01-01T00:00:00+00:00",
        chains=results,
    )
