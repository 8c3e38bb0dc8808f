"""The analyst's decisions on their way into a report (SPEC §11: one effective result).

Exporters accept the engine's `AssessmentRun` (nothing decided yet, e.g. `riskdesk assess`) or an
`EffectiveRun`. For the latter the report is written from the decided run — the analyst's type,
strategy and measures — and each chain's decision (the engine's verdict, the reason, who, when, the
analyst's own measures) travels in the options so every section can print it beside the verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime

from riskdesk.core.effective import EffectiveResult, EffectiveRun
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.reports.options import ChainApproval, ChainDecision, ReportOptions
from riskdesk.reports.templates import ReportText


def chain_decision(eff: EffectiveResult, taxonomy: Taxonomy, options: ReportOptions) -> (
        ChainDecision | None):
    """The decision line of one chain, or None when the analyst has neither decided nor chosen
    measures of their own."""
    added = [m.text for m in eff.measures if m.measure_id is None and m.text]
    reworded = {m.measure_id: m.text for m in eff.measures if m.measure_id and m.text}
    d = eff.decision
    if d is None and not added and not reworded:
        return None
    engine_type = eff.engine.primary_type.value if d is None else d.engine_type.value
    return ChainDecision(
        summary="" if d is None else d.summary(taxonomy, options.lang),
        engine_type=engine_type,
        overridden=eff.overridden,
        reason="" if d is None else d.reason,
        analyst=None if d is None else d.analyst,
        at=None if d is None or d.at is None else d.at.strftime("%Y-%m-%d %H:%M"),
        status=eff.status.value,
        added_measures=added,
        reworded=reworded,
    )


def report_inputs(
    run: AssessmentRun | EffectiveRun, options: ReportOptions, taxonomy: Taxonomy
) -> tuple[AssessmentRun, ReportOptions]:
    """The run a report prints and its options with the analyst's decisions and notes."""
    if isinstance(run, AssessmentRun):
        return run, options
    decisions: dict[str, ChainDecision] = {}
    notes: dict[str, str] = {}
    for eff in run.chains:
        if eff.segment is not None:
            continue
        decision = chain_decision(eff, taxonomy, options)
        if decision is not None:
            decisions[eff.chain_id] = decision
        if eff.note:
            notes[eff.chain_id] = eff.note
    update = {
        "decisions": {**decisions, **options.decisions},
        "notes": {**notes, **options.notes},
    }
    return run.decided_run(), options.model_copy(update=update)


def approval_line(approval: ChainApproval, text: ReportText) -> str:
    """'Approved — Approved by 王五 — 2026-12-02 08:15 UTC — Approved snapshot (SHA-256): …'
    (the hash whole: a reader checks it against the exported snapshot)."""
    colon = "：" if text.lang == "zh" else ": "
    parts = [text.labels.get(f"review_{approval.status}", approval.status)]
    if approval.approved_by:
        parts.append(f"{text.label('approved_by')}{colon}{approval.approved_by}")
    if approval.approved_at:
        parts.append(f"{text.label('approved_at')}{colon}{_utc_minute(approval.approved_at)}")
    if approval.snapshot_sha256:
        parts.append(f"{text.label('snapshot_sha256')}{colon}{approval.snapshot_sha256}")
    return " — ".join(parts)


def _utc_minute(iso: str) -> str:
    try:
        at = datetime.fromisoformat(iso).astimezone(UTC)
    except ValueError:
        return iso
    return at.strftime("%Y-%m-%d %H:%M UTC")
