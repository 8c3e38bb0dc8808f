"""`riskdesk decide P.rdproj CHAIN_ID --type TYPE --reason TEXT` (or `decide --db ADDRESS …`):
record the analyst's decision.

Scripted review: the decision goes through the same session as the desktop application — one
undoable, audited edit — and every later export (PDF, workbook, DOCX, JSON) shows it beside the
engine's own verdict.
"""

from __future__ import annotations

import argparse

from riskdesk.cli.db import add_place, check_place
from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.commands import OverrideError
from riskdesk.core.models import Lang, Outcome
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import ProjectError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "decide",
        help="record the analyst's decision on a chain's classification",
        description="Accept the engine's classification of a chain, or override it with another "
        "type and a written reason; --measure adds the analyst's own measures. The decision is "
        "recorded with the analyst's name and the time, kept in the audit trail and shown in "
        "every report beside the engine's verdict.",
    )
    add_place(p)
    p.add_argument("chain", metavar="CHAIN_ID")
    p.add_argument("--type", required=True, metavar="TYPE",
                   help="missing | destroyed | response | normal_dependence | monitor | "
                        "insufficient_evidence (or the Chinese / English label)")
    p.add_argument("--reason", default="", help="why (required when the type differs from the "
                                                "engine's)")
    p.add_argument("--analyst", default=None, metavar="NAME",
                   help="name recorded with the decision (default: RISKDESK_USER or the OS user)")
    p.add_argument("--measure", action="append", default=[], metavar="TEXT",
                   help="a measure of the analyst's own (repeat for several)")
    p.add_argument("--segment", default=None, metavar="SEG", help="decide on one segment")
    p.add_argument("--round", default=None, metavar="ROUND", help="default: the latest round")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=run_decide)


def parse_outcome(text: str, taxonomy: Taxonomy, lang: Lang) -> Outcome:
    """A type by id or by its Chinese / English label."""
    wanted = text.strip().casefold()
    for outcome in Outcome:
        names = {outcome.value, taxonomy.label(outcome.value, "zh"),
                 taxonomy.label(outcome.value, "en")}
        if wanted in {n.casefold() for n in names}:
            return outcome
    choices = ", ".join(o.value for o in Outcome)
    raise CliError(
        f"未知的类型“{text}”；可选：{choices}" if lang == "zh"
        else f"unknown type '{text}'; choose one of {choices}", EXIT_USAGE)


def run_decide(args: argparse.Namespace) -> int:
    from riskdesk.session import Session

    lang: Lang = args.lang
    check_place(args, lang)
    try:
        if args.db:
            session = Session.connect(args.db, args.analyst, create=False, round=args.round)
        else:
            session = Session.open(args.project, args.analyst, round=args.round)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    try:
        return _decide(session, args, lang)
    finally:
        session.close()


def _decide(session: object, args: argparse.Namespace, lang: Lang) -> int:
    from riskdesk.session import Session

    assert isinstance(session, Session)
    outcome = parse_outcome(args.type, session.taxonomy, lang)
    key = (args.chain, args.segment)
    keys = set(session.keys())
    if key not in keys and not any(k[0] == args.chain for k in keys):
        raise CliError(
            f"轮次“{session.round}”中没有产业链 {args.chain}" if lang == "zh"
            else f"no chain {args.chain} in round '{session.round}'", EXIT_INPUT)
    if session.run is None or session.stale or session.result(key) is None:
        session.rescore(robustness=False)  # a decision is taken against the current verdict
    if session.result(key) is None:
        raise CliError(
            f"产业链 {args.chain} 没有环节“{args.segment}”" if lang == "zh"
            else f"chain {args.chain} has no segment '{args.segment}'", EXIT_INPUT)
    try:
        session.decide(key, outcome, args.reason, measures_added=args.measure)
    except OverrideError:
        raise CliError(
            "改判分类必须填写理由（--reason）" if lang == "zh"
            else "an override needs a written reason (--reason)", EXIT_INPUT) from None
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    effective = session.effective(key)
    assert effective is not None
    assert effective.decision is not None
    print(effective.decision.summary(session.taxonomy, lang))
    strategy = session.taxonomy.label(effective.strategy, lang)
    print(("策略：" if lang == "zh" else "strategy: ") + strategy)
    for text in effective.decision.measures_added:
        print(("新增措施：" if lang == "zh" else "added measure: ") + text)
    return EXIT_OK
