"""`riskdesk review submit|return|approve|reopen|status --db ADDRESS CHAIN…`: the team workflow.

Each step is one call of a function on the PostgreSQL server, which checks the user's role and
the rules (an assessor submits, a reviewer or approver returns with a comment, an approver other
than the assessor approves, an admin reopens) and records the step in the audit trail; this
command only reports what the server decided. `riskdesk export --approved-only --db ADDRESS`
(run_approved_export) writes only approved chains, each from its frozen snapshot.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.models import Lang
from riskdesk.io.project import ProjectError

if TYPE_CHECKING:
    from riskdesk.io.team.workflow import ReviewStatus
    from riskdesk.reports.options import ChainApproval

_STEPS = {
    "submit": "hand the assessment of chains to review (assessor)",
    "return": "send submitted chains back to their assessor with --comment (reviewer, approver)",
    "approve": "approve submitted chains, freezing their effective result (approver; not your "
               "own submission)",
    "reopen": "open approved chains for editing again, with --comment saying why (admin)",
    "status": "show where each chain of the round stands",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "review",
        help="submit, return, approve or reopen chains in a team database",
        description="The review workflow of a team database (docs/team.md): draft → submitted "
        "→ returned (with a comment) / approved; an admin may reopen an approved chain. The "
        "PostgreSQL server enforces who may do what.",
    )
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    for step, text in _STEPS.items():
        s = steps.add_parser(step, help=text, description=text)
        s.add_argument("--db", required=True, metavar="ADDRESS",
                       help="team database: a libpq service name or postgresql://user@host/db "
                            "(the password comes from ~/.pgpass or the service file)")
        s.add_argument("--round", default=None, metavar="ROUND",
                       help="default: the round of the latest stored assessment")
        if step == "status":
            s.add_argument("chains", nargs="*", metavar="CHAIN_ID", help="default: all chains")
            s.add_argument("--json", type=Path, metavar="OUT", help="write the states as JSON")
        else:
            s.add_argument("chains", nargs="+", metavar="CHAIN_ID")
        if step in ("return", "reopen"):
            s.add_argument("--comment", required=True, metavar="TEXT",
                           help="what to revise" if step == "return" else "why it is reopened")
        s.add_argument("--lang", choices=("zh", "en"), default="zh")
        s.set_defaults(func=run_review)


def open_engine(address: str, lang: Lang, *, postgresql_only: bool = True) -> sa.Engine:
    """An engine for a team database address (the password comes from libpq, never argv)."""
    from riskdesk.io.team.connect import team_engine

    try:
        engine = team_engine(address)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_USAGE) from None
    if postgresql_only and engine.dialect.name != "postgresql":
        engine.dispose()
        raise CliError("团队审批需要 PostgreSQL 数据库" if lang == "zh"
                       else "the review workflow needs a PostgreSQL team database", EXIT_USAGE)
    return engine


def default_round(engine: sa.Engine, lang: Lang) -> str:
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT round FROM runs ORDER BY id DESC LIMIT 1")).scalar()
        if found is None:
            found = conn.execute(sa.text(
                "SELECT name FROM rounds ORDER BY created_at DESC LIMIT 1")).scalar()
    if found is None:
        raise CliError("团队数据库中还没有评估轮次" if lang == "zh"
                       else "the team database has no round yet", EXIT_INPUT)
    return str(found)


def run_review(args: argparse.Namespace) -> int:
    from riskdesk.io.team import workflow

    lang: Lang = args.lang
    engine = open_engine(args.db, lang)
    try:
        round_name = args.round or default_round(engine, lang)
        if args.step == "status":
            return _print_status(engine, round_name, args)
        failed = 0
        for chain_id in args.chains:
            try:
                if args.step == "submit":
                    workflow.submit(engine, round_name, chain_id)
                    said = ("已提交", "submitted")
                elif args.step == "return":
                    workflow.return_(engine, round_name, chain_id, args.comment)
                    said = ("已退回", "returned")
                elif args.step == "approve":
                    digest = workflow.approve(engine, round_name, chain_id)
                    said = (f"已批准（快照 SHA-256 {digest}）",
                            f"approved (snapshot SHA-256 {digest})")
                else:
                    workflow.reopen(engine, round_name, chain_id, args.comment)
                    said = ("已重新打开", "reopened")
            except ProjectError as exc:
                failed += 1
                print(f"riskdesk: {chain_id}: {exc.message(lang)}", file=sys.stderr)
                continue
            print(f"{chain_id}: {said[0] if lang == 'zh' else said[1]}")
        return EXIT_INPUT if failed else EXIT_OK
    finally:
        engine.dispose()


def _print_status(engine: sa.Engine, round_name: str, args: argparse.Namespace) -> int:
    from riskdesk.cli.common import print_table, write_json
    from riskdesk.io.team import workflow

    lang: Lang = args.lang
    states = workflow.statuses(engine, round_name)
    if args.chains:
        known = {s.chain_id for s in states}
        unknown = [c for c in args.chains if c not in known]
        if unknown:
            raise CliError(f"unknown chain id(s) / 未知的链条编号: {', '.join(unknown)}",
                           EXIT_USAGE)
        states = [s for s in states if s.chain_id in set(args.chains)]
    if args.json:
        write_json(args.json, {"round": round_name,
                               "chains": [s.model_dump(exclude={"snapshot"}) for s in states]})
    headers = (("编号", "状态", "评估员", "审核/批准", "时间", "快照 SHA-256", "意见") if lang == "zh"
               else ("ID", "Status", "Assessor", "Reviewer/approver", "At", "Snapshot SHA-256",
                     "Comment"))
    rows = [[s.chain_id, s.status_word(lang), s.assessor or "—",
             s.approved_by or s.reviewer or "—", (s.approved_at or s.submitted_at or "—")[:16],
             (s.snapshot_sha256 or "—")[:16], s.comment or ""] for s in states]
    print_table(headers, rows)
    return EXIT_OK


# --- export --approved-only ----------------------------------------------------------------------


def run_approved_export(args: argparse.Namespace) -> int:
    """Only approved chains, each from its frozen snapshot, the snapshot's hash verified first."""
    from riskdesk.cli.common import check_outputs, report_outputs, write_json
    from riskdesk.io.team import workflow

    lang: Lang = args.lang
    if not args.db:
        raise CliError("--approved-only 需要 --db（团队数据库）" if lang == "zh"
                       else "--approved-only needs --db (a team database)", EXIT_USAGE)
    if not (args.pdf or args.xlsx or args.docx or args.json):
        raise CliError("nothing to export: give --json, --pdf, --xlsx and/or --docx", EXIT_USAGE)
    check_outputs([], report_outputs(args))
    engine = open_engine(args.db, lang)
    try:
        round_name = args.round or default_round(engine, lang)
        approved = [s for s in workflow.statuses(engine, round_name) if s.status == "approved"]
        if args.chain:
            approved = [s for s in approved if s.chain_id in set(args.chain)]
        if not approved:
            raise CliError(f"轮次“{round_name}”中没有已批准的链条" if lang == "zh"
                           else f"no approved chain in round '{round_name}'", EXIT_INPUT)
        try:
            frozen = [workflow.frozen_result(s) for s in approved]
        except ProjectError as exc:
            raise CliError(exc.message(lang), EXIT_INPUT) from None
        header, canonical = _run_header(engine, round_name, frozen[0].taxonomy_sha256, lang)
    finally:
        engine.dispose()
    from riskdesk.core.effective import EffectiveRun
    from riskdesk.core.taxonomy import Taxonomy

    effective = EffectiveRun.model_validate({**header, "chains": frozen})
    taxonomy = Taxonomy.model_validate_json(canonical)
    written: list[Path] = []
    if args.json:
        chains = []
        for state, result in zip(approved, frozen, strict=True):
            review = state.model_dump(exclude={"snapshot", "round"})
            chains.append({**result.to_json_dict(), "review": review,
                           "snapshot": state.snapshot})
        write_json(args.json, {**effective.to_json_dict(), "round": round_name,
                               "approved_only": True, "chains": chains})
        written.append(args.json)
    written += _write_approved_reports(args, effective, taxonomy, approved)
    for path in written:
        print(("已写入 " if lang == "zh" else "written: ") + str(path))
    return EXIT_OK


def approvals_of(address: str, round_name: str, lang: Lang) -> dict[str, ChainApproval]:
    """The review state of every chain that entered the workflow (none on a SQLite team store,
    which has no roles), for a report of a team database."""
    from riskdesk.io.team import workflow

    engine = open_engine(address, lang, postgresql_only=False)
    try:
        if engine.dialect.name != "postgresql":
            return {}
        return {s.chain_id: _approval(s) for s in workflow.statuses(engine, round_name)
                if s.version > 0}
    finally:
        engine.dispose()


def _approval(state: ReviewStatus) -> ChainApproval:
    from riskdesk.reports.options import ChainApproval

    return ChainApproval(status=state.status, approved_by=state.approved_by,
                         approved_at=state.approved_at, snapshot_sha256=state.snapshot_sha256)


def _run_header(engine: sa.Engine, round_name: str, taxonomy_sha256: str,
                lang: Lang) -> tuple[dict[str, Any], str]:
    with engine.connect() as conn:
        header = conn.execute(sa.text(
            "SELECT header FROM runs WHERE round = :r AND taxonomy_sha256 = :t "
            "ORDER BY id DESC LIMIT 1"), {"r": round_name, "t": taxonomy_sha256}).scalar()
        canonical = conn.execute(sa.text("SELECT canonical FROM taxonomies WHERE sha256 = :t"),
                                 {"t": taxonomy_sha256}).scalar()
    if header is None or canonical is None:
        raise CliError(
            f"轮次“{round_name}”缺少批准时所用的评估记录或分类体系" if lang == "zh"
            else f"round '{round_name}' lacks the run or taxonomy the approvals were made with",
            EXIT_INPUT)
    data: dict[str, Any] = json.loads(str(header))
    keep = ("riskdesk_version", "taxonomy", "input", "assessed_at", "country", "issues",
            "sources")
    return {k: data[k] for k in keep if k in data}, str(canonical)


def _write_approved_reports(args: argparse.Namespace, effective: Any, taxonomy: Any,
                            approved: list[Any]) -> list[Path]:
    from riskdesk.cli.common import report_options, write_reports

    options = report_options(args, [c.chain_id for c in effective.chains],
                             approvals={s.chain_id: _approval(s) for s in approved})
    return write_reports(args, effective, options, inventory=None, taxonomy=taxonomy)
