"""`riskdesk history | diff | export` over a project file or a team database (--db), and
`store_assessment` for `riskdesk assess INPUT --project P.rdproj` / `--db ADDRESS`.

The three commands open a project file read-only, so they work while the GUI has it open; on a
team database they only read.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from riskdesk.cli.common import (
    check_outputs,
    input_files,
    print_table,
    report_options,
    report_outputs,
    write_json,
    write_reports,
)
from riskdesk.cli.db import add_place, open_place, place_name
from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.effective import EffectiveRun
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Lang
from riskdesk.core.results import AssessmentRun
from riskdesk.core.rounds import RoundDiff
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.project import Project, ProjectError
from riskdesk.io.project.audit import AuditEntry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    h = sub.add_parser(
        "history",
        help="show a project's audit trail and assessment history",
        description="Print who changed what and when (old → new), and the stored assessments; "
        "--verify checks the tamper-evident hash chain (exit 1 if it is broken).",
    )
    add_place(h)
    h.add_argument("--chain", metavar="ID", help="only this chain")
    h.add_argument("--verify", action="store_true", help="verify the audit hash chain")
    h.add_argument("--json", type=Path, metavar="OUT", help="write the history as JSON")
    h.add_argument("--lang", choices=("zh", "en"), default="zh")
    h.set_defaults(func=run_history)

    d = sub.add_parser(
        "diff",
        help="compare two assessment rounds of a project",
        description="Per chain: changed indicator values, type scores, classification and strategy "
        "between two rounds (e.g. 2025 → 2026).",
    )
    add_place(d)
    d.add_argument("--from", dest="from_round", required=True, metavar="ROUND")
    d.add_argument("--to", dest="to_round", required=True, metavar="ROUND")
    d.add_argument("--json", type=Path, metavar="OUT", help="write the diff as JSON")
    d.add_argument("--lang", choices=("zh", "en"), default="zh")
    d.set_defaults(func=run_diff)

    e = sub.add_parser(
        "export",
        help="write the reports and JSON of a project's assessment, decisions included",
        description="Reports of a round's latest results with every analyst decision applied "
        "(engine verdict and analyst's beside each other where they differ), the taxonomy "
        "version the results used, notes and measures.",
    )
    add_place(e)
    e.add_argument("--round", metavar="ROUND", help="default: the latest round with a run")
    e.add_argument("--json", type=Path, metavar="OUT",
                   help="write the effective results (analyst decisions applied) as JSON")
    e.add_argument("--pdf", type=Path, metavar="OUT", help="write a PDF dossier / portfolio report")
    e.add_argument("--xlsx", type=Path, metavar="OUT", help="write an Excel workbook")
    e.add_argument("--docx", type=Path, metavar="OUT",
                   help="write an editable Word report (same content as the PDF)")
    e.add_argument("--chain", nargs="+", metavar="ID", help="only these chains")
    e.add_argument("--organisation", default="", help="organisation named on the report cover")
    e.add_argument("--author", default="", help="author named on the report cover")
    e.add_argument("--marking", default=None, help="classification marking (default 内部资料)")
    e.add_argument("--lang", choices=("zh", "en"), default="zh")
    # Team review (issue 14, riskdesk/cli/review.py): only approved chains, from their snapshots.
    e.add_argument("--approved-only", action="store_true",
                   help="only approved chains of a team database (--db), each as frozen at "
                        "approval, its snapshot hash verified")
    e.set_defaults(func=run_export)




def _where(e: AuditEntry) -> str:
    parts = [e.round, e.chain_id, e.segment, e.field]
    return " ".join(p for p in parts if p)


def _change(e: AuditEntry, width: int = 60) -> str:
    def short(text: str | None) -> str:
        if text is None:
            return "—"
        return text if len(text) <= width else text[: width - 1] + "…"

    if e.old is None and e.new is None:
        return ""
    return f"{short(e.old)} → {short(e.new)}"


HISTORY_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("序号", "时间 (UTC)", "操作人", "操作", "对象", "位置", "原值 → 新值"),
    "en": ("#", "When (UTC)", "Who", "Action", "Entity", "Where", "Old → new"),
}
ASSESSMENT_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("运行", "轮次", "评估时间", "保存人", "环节", "主类型", "策略", "分类体系"),
    "en": ("Run", "Round", "Assessed at", "Stored by", "Segment", "Primary", "Strategy",
           "Taxonomy"),
}


DECISION_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("时间 (UTC)", "操作", "环节", "决定", "类型", "理由", "分析人员"),
    "en": ("When (UTC)", "Action", "Segment", "Decision", "Type", "Reason", "Analyst"),
}


def decision_rows(entries: list[AuditEntry]) -> list[list[str]]:
    """The classification decisions of a chain, oldest first, with their reasons."""
    rows = []
    for e in entries:
        if e.entity != "override":
            continue
        data = json.loads(e.new) if e.new else None
        if not isinstance(data, dict):
            rows.append([e.at[:19].replace("T", " "), e.action, e.segment or "—", "—", "—", "",
                         e.who])
            continue
        rows.append([
            e.at[:19].replace("T", " "), e.action, e.segment or "—",
            str(data.get("decision", "")), str(data.get("outcome", "")),
            str(data.get("reason", "")), str(data.get("by") or e.who),
        ])
    return rows


def run_history(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    check_outputs(input_files(project=args.project), [("--json", args.json)])
    with open_place(args, lang) as project:
        entries = project.history(args.chain)
        records = project.assessment_history(args.chain) if args.chain else []
        verification = project.verify() if args.verify else None
    rows = [
        [str(e.seq), e.at[:19].replace("T", " "), e.who, e.action, e.entity, _where(e), _change(e)]
        for e in entries
    ]
    print_table(HISTORY_HEADERS[lang], rows)
    if args.chain:
        print()
        print_table(DECISION_HEADERS[lang], decision_rows(entries))
        print()
        print_table(ASSESSMENT_HEADERS[lang], [
            [str(r.run_id), r.round, r.assessed_at[:19], r.stored_by, r.segment or "—",
             r.primary_type, r.strategy, r.taxonomy_sha256[:12]]
            for r in records
        ])
    code = EXIT_OK
    if verification is not None:
        if verification.ok:
            print(f"\n审计链完整：{verification.entries} 条记录均通过校验" if lang == "zh" else
                  f"\naudit trail intact: all {verification.entries} entries verify")
        else:
            print("\n审计链校验失败：" if lang == "zh" else "\naudit trail verification FAILED:")
            for p in verification.problems:
                print("  " + (p.problem_zh if lang == "zh" else p.problem_en))
            code = EXIT_INPUT
    if args.json:
        data: dict[str, Any] = {
            "project": place_name(args),
            "chain": args.chain,
            "entries": [e.model_dump() for e in entries],
            "decisions": [dict(zip(DECISION_HEADERS["en"], row, strict=True))
                          for row in decision_rows(entries)],
            "assessments": [r.model_dump() for r in records],
        }
        if verification is not None:
            data["verification"] = {"ok": verification.ok, **verification.model_dump()}
        write_json(args.json, data)
    return code


def run_diff(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    check_outputs(input_files(project=args.project), [("--json", args.json)])
    with open_place(args, lang) as project:
        try:
            diff = project.diff(args.from_round, args.to_round)
        except ProjectError as exc:
            raise CliError(exc.message(lang), EXIT_USAGE) from None
    for line in diff.lines(lang):
        print(line)
    if args.json:
        write_json(args.json, diff.model_dump(mode="json"))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from riskdesk.session import Session

    lang: Lang = args.lang
    if args.approved_only:
        from riskdesk.cli.review import run_approved_export

        return run_approved_export(args)
    if not (args.pdf or args.xlsx or args.docx or args.json):
        raise CliError("nothing to export: give --json, --pdf, --xlsx and/or --docx", EXIT_USAGE)
    check_outputs(input_files(project=args.project), report_outputs(args))
    with open_place(args, lang) as probe:
        round_name = args.round or _latest_round_with_run(probe, lang)
    try:
        if args.db:
            session = Session.connect(args.db, create=False, round=round_name)
        else:
            session = Session.open(args.project, read_only=True, round=round_name)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    try:
        if round_name not in session.project.round_names():
            raise CliError(
                f"项目中没有评估轮次“{round_name}”" if lang == "zh"
                else f"no round '{round_name}' in this project", EXIT_USAGE)
        effective = session.effective_run()
        if effective is None:
            raise CliError(
                f"轮次“{round_name}”还没有评估结果" if lang == "zh"
                else f"round '{round_name}' has no stored assessment", EXIT_INPUT)
        taxonomy = session.run_taxonomy()
        inventory = session.inventory
        changes = session.previous_round_diff()
    finally:
        session.close()
    if args.chain:
        known = {c.chain_id for c in effective.chains}
        unknown = [c for c in args.chain if c not in known]
        if unknown:
            raise CliError(f"unknown chain id(s) / 未知的链条编号: {', '.join(unknown)}",
                           EXIT_USAGE)
        effective = effective.model_copy(
            update={"chains": [c for c in effective.chains if c.chain_id in set(args.chain)]})
    written: list[Path] = []
    if args.json:
        write_json(args.json, effective.to_json_dict())
        written.append(args.json)
    written += _write_reports(args, effective, inventory, taxonomy, round_name, changes)
    for path in written:
        print(("已写入 " if lang == "zh" else "written: ") + str(path))
    return EXIT_OK


def _latest_round_with_run(project: Project, lang: Lang) -> str:
    runs = project.runs()
    if not runs:
        raise CliError("项目中还没有评估结果" if lang == "zh"
                       else "the project has no stored assessment yet", EXIT_INPUT)
    return runs[-1].round


def _write_reports(args: argparse.Namespace, effective: EffectiveRun, inventory: Inventory,
                   taxonomy: Taxonomy, round_name: str,
                   changes: RoundDiff | None = None) -> list[Path]:
    approvals: dict[str, object] = {}
    if args.db:  # a team's review states beside each chain (riskdesk/cli/review.py)
        from riskdesk.cli.review import approvals_of

        approvals = dict(approvals_of(args.db, round_name, args.lang))
    options = report_options(args, [c.chain_id for c in effective.chains],
                             notes={c.chain_id: c.note for c in effective.chains if c.note},
                             approvals=approvals)
    return write_reports(args, effective, options, inventory=inventory, taxonomy=taxonomy,
                         changes=changes)


def default_round(inventory: Inventory, run: AssessmentRun) -> str:
    """The round a run goes to when none is named: the inventory's most common year, else the
    year of the run."""
    years = [int(y) for y in inventory.frame["year"].dropna().tolist()]
    if years:
        return str(Counter(years).most_common(1)[0][0])
    try:
        return str(datetime.fromisoformat(run.assessed_at).year)
    except ValueError:
        return str(datetime.now(UTC).year)


def store_assessment(
    project_path: Path | str,
    inventory: Inventory,
    run: AssessmentRun,
    taxonomy: Taxonomy,
    *,
    round_name: str | None = None,
    user: str | None = None,
    lang: Lang = "en",
) -> int:
    """Store an inventory and its run in a project (created if absent); returns the run id.

    A new round starts from the project's latest round (values and judgements carried over,
    then overwritten by the fresh import). Values the analyst entered in this round are kept
    over re-imported ones; the run, its taxonomy and every changed classification go into the
    audit trail.
    """
    round_name = round_name or default_round(inventory, run)
    try:
        if isinstance(project_path, str):  # a team database address
            project = Project.connect(project_path, user)
        elif project_path.exists():
            project = Project.open(project_path, user)
        else:
            project = Project.create(project_path, user)
        with project, project.store.transaction():
            # One transaction: a kill leaves the project as it was, never a round without a run.
            rounds = project.round_names()
            if rounds and round_name not in rounds:
                project.new_round(rounds[-1], round_name)
            project.store_taxonomy(taxonomy)
            if project.get_taxonomy_sha() != taxonomy.sha256:
                project.put_taxonomy_sha(taxonomy.sha256)
            project.import_inventory(inventory, round_name, taxonomy)
            return project.save_run(run, round_name, taxonomy)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    except sqlite3.Error as exc:  # e.g. the disk filled up during the write
        raise CliError.of(
            "project_write_failed",
            f"无法写入项目 {project_path}（{exc}）；本次评估结果未保存",
            f"cannot write the project {project_path} ({exc}); the results of this run were not "
            "stored",
            EXIT_INPUT,
        ) from None


def store_run(
    project_path: Path,
    inventory: Inventory,
    run: AssessmentRun,
    round: str | None,
    *,
    user: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> int:
    """The brief's name for `store_assessment` (taxonomy defaults to the bundled one)."""
    from riskdesk.core.taxonomy import default_taxonomy

    return store_assessment(project_path, inventory, run, taxonomy or default_taxonomy(),
                            round_name=round, user=user)
