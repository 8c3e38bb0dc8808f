"""`riskdesk assess INPUT`: read an inventory, assess every chain, print a summary, write outputs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from riskdesk.cli.common import (
    SummaryTable,
    add_taxonomy_options,
    chain_filter,
    check_outputs,
    input_files,
    load_country_risk,
    load_taxonomy_arg,
    print_summary,
    report_options,
    report_outputs,
    run_json,
    streamed_json,
    text_progress,
    write_json,
    write_reports,
    writing,
)
from riskdesk.cli.db import DB_HELP, place_name
from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.assess import Portfolio, assess_portfolio
from riskdesk.core.inventory import Inventory
from riskdesk.core.models import Lang, Severity, file_sha256
from riskdesk.core.progress import ProgressFn, report, sub_progress
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.io.options import DuplicatePolicy


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "assess",
        help="assess every chain of an inventory workbook",
        description="Read an inventory (xlsx, xls, xlsm, ods, csv), classify and score every chain, "
        "recommend strategies, print a summary and write JSON / PDF / Excel outputs. The JSON, "
        "the workbook and the summary are written chain by chain (a 100,000-row inventory in "
        "about 1 GiB); --pdf, --project and --db hold every chain's result in memory at once "
        "(~70 KB a chain).",
    )
    p.add_argument("input", type=Path, metavar="INPUT", help="inventory workbook or csv")
    add_taxonomy_options(p)
    add_output_options(p)
    p.add_argument(
        "--trade",
        type=Path,
        metavar="FILE",
        help="a trade table (csv/xlsx, Comtrade-style long format) to compute TC, RCA and concentration",
    )
    p.add_argument(
        "--partner",
        metavar="ISO3",
        help="also compute the bilateral TC* and RCA* (paper 000) against this trade partner",
    )
    p.add_argument(
        "--skip-invalid-rows", action="store_true", help="assess the valid rows, list the rest"
    )
    p.add_argument(
        "--duplicate-ids", choices=("keep_first", "suffix", "skip"), default=None,
        help="rows repeating a chain id: keep the first, import the later ones as ID-2, ID-3 …, "
             "or leave all of them out (default: stop with a located error)",
    )
    p.add_argument(
        "--no-robustness", action="store_true", help="skip the weight-perturbation check"
    )
    place = p.add_mutually_exclusive_group()
    place.add_argument(
        "--project", type=Path, metavar="P.rdproj",
        help="store the run in a project file (holds every result in memory)",
    )
    place.add_argument(
        "--db", metavar="ADDRESS", default=None,
        help="store the run in a team database (as --project does in a file; holds every "
        "result in memory); " + DB_HELP,
    )
    p.add_argument(
        "--round", default=None, metavar="ROUND", help="assessment round (default: the year)"
    )
    p.set_defaults(func=run_assess)


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", type=Path, metavar="OUT", help="write the full results as JSON")
    p.add_argument("--pdf", type=Path, metavar="OUT",
                   help="write a PDF dossier / portfolio report (holds every result in memory)")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="write an Excel workbook")
    p.add_argument("--docx", type=Path, metavar="OUT",
                   help="write an editable Word report (same content as the PDF)")
    p.add_argument("--chain", nargs="+", metavar="ID", help="only these chains in the reports")
    p.add_argument("--organisation", default="", help="organisation named on the report cover")
    p.add_argument("--author", default="", help="author named on the report cover")
    p.add_argument("--marking", default=None, help="classification marking (default 内部资料)")


def load_inventory(
    path: Path,
    taxonomy: Taxonomy,
    *,
    skip_invalid_rows: bool,
    lang: Lang,
    progress: ProgressFn | None,
    duplicate_ids: DuplicatePolicy | None = None,
) -> Inventory:
    """Read an input file; errors are printed with their location and end the command."""
    from riskdesk.io.inventory import read_inventory
    from riskdesk.io.issues import InventoryReadError
    from riskdesk.io.options import ImportOptions

    if not path.exists():
        raise CliError(f"{path}: file not found", EXIT_USAGE)
    if path.is_dir():
        raise CliError(f"{path}: is a directory, not a spreadsheet", EXIT_USAGE)
    try:
        inventory = read_inventory(
            path,
            taxonomy,
            options=ImportOptions(skip_invalid_rows=skip_invalid_rows,
                                  duplicate_ids=duplicate_ids),
            progress=progress,
        )
    except InventoryReadError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    errors = [i for i in inventory.issues
              if i.severity == Severity.ERROR and i.resolution is None]
    if errors and not skip_invalid_rows:
        for issue in errors[:50]:
            print(f"  {issue.location(lang)}: {issue.message(lang)}", file=sys.stderr)
        if len(errors) > 50:
            print(
                f"  … {len(errors) - 50} more (riskdesk validate lists them all)", file=sys.stderr
            )
        if lang == "zh":
            msg = (
                f"输入文件有 {len(errors)} 个错误；请修正，或使用 --skip-invalid-rows 跳过出错的行"
            )
        else:
            msg = f"the input has {len(errors)} error(s); fix them or pass --skip-invalid-rows"
        raise CliError(msg, EXIT_INPUT)
    if skip_invalid_rows or duplicate_ids:
        skipped = [i for i in inventory.issues
                   if i.code in ("row_skipped", "duplicate_renamed") or i.resolution == "excluded"]
        for issue in skipped:
            print(f"  {issue.location(lang)}: {issue.message(lang)}", file=sys.stderr)
    if len(inventory) == 0:
        raise CliError(
            "没有可评估的产业链" if lang == "zh" else "no chains to assess in the input", EXIT_INPUT
        )
    return inventory


def add_trade_file(inventory: Inventory, path: Path, taxonomy: Taxonomy, lang: Lang) -> None:
    """Append a separate trade table to the inventory's (SPEC §7.2); its errors end the command."""
    import pandas as pd

    from riskdesk.io.inventory import read_trade_file
    from riskdesk.io.issues import InventoryReadError

    if not path.exists():
        raise CliError(f"{path}: trade file not found", EXIT_USAGE)
    try:
        table, issues = read_trade_file(path, taxonomy)
    except InventoryReadError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    errors = [i for i in issues if i.severity == Severity.ERROR]
    for issue in errors[:50]:
        print(f"  {issue.location(lang)}: {issue.message(lang)}", file=sys.stderr)
    if errors:
        raise CliError(
            f"贸易数据有 {len(errors)} 个错误"
            if lang == "zh"
            else f"the trade table has {len(errors)} error(s)",
            EXIT_INPUT,
        )
    inventory.issues.extend(issues)
    inventory.trade = table if inventory.trade is None else pd.concat([inventory.trade, table])


def write_outputs(
    args: argparse.Namespace,
    run: AssessmentRun,
    inventory: Inventory | None,
    taxonomy: Taxonomy,
    progress: ProgressFn | None,
) -> list[Path]:
    """JSON, PDF, Excel and Word as asked; returns the paths written."""
    source = inventory.source.path if inventory is not None and inventory.source else None
    check_outputs(  # every caller (assess, demo) gets the guard; the inventory is an input
        input_files(Path(source) if source else None),
        report_outputs(args),
    )
    written: list[Path] = []
    if args.json:
        from riskdesk.core.effective import effective_run

        write_json(args.json, run_json(effective_run(run, {}, taxonomy)))
        written.append(args.json)
    if not (args.pdf or args.xlsx or args.docx):
        return written
    options = report_options(args, [c.chain_id for c in chain_filter(run, args.chain)])
    return written + write_reports(args, run, options, inventory=inventory, taxonomy=taxonomy,
                                   progress=progress)


def input_sources(country_risk: Path | None, trade: Path | None) -> dict[str, str]:
    """The further input files of a run by role, as 'file name sha256' (the report's data
    sources name and hash them)."""
    files = {"country_risk": country_risk, "trade": trade}
    return {role: f"{path.name} {file_sha256(path)}" for role, path in files.items() if path}


def stream_outputs(
    args: argparse.Namespace,
    portfolio: Portfolio,
    taxonomy: Taxonomy,
    progress: ProgressFn | None,
    *,
    sources: dict[str, str] | None = None,
) -> list[Path]:
    """Summary, JSON and workbook in one pass over the results, a block of chains at a time:
    no list of every chain's result is built (SPEC §9: 100,000 rows in 1 GiB)."""
    from riskdesk.reports.xlsx import blocks_of, write_xlsx, write_xlsx_blocks

    header = portfolio.run_header(country=args.country.upper())
    if sources:
        header = header.model_copy(update={"sources": sources})
    total = max(len(portfolio.groups.chain_ids), 1)
    summary = SummaryTable(taxonomy, args.lang)

    def results() -> Iterator[list[ChainResult]]:
        done = 0
        for block in blocks_of(portfolio.iter_results()):
            summary.add(block)
            done += len(block)
            report(progress, 0.9 * done / total, "results")
            yield block

    blocks = results()
    if args.xlsx and not args.chain:
        blocks = _writing_blocks(args.xlsx, write_xlsx_blocks(
            header, blocks, args.xlsx, report_options(args, None), taxonomy=taxonomy))  # fmt: skip
    if args.json:
        write_json(args.json, streamed_json(header, (c for b in blocks for c in b), taxonomy))
    else:
        for _block in blocks:
            pass
    if args.xlsx and args.chain:  # a selection: only those chains, in input order
        wanted = set(args.chain)
        chosen = [c for c in portfolio.groups.chain_ids if c in wanted]
        run = header.model_copy(update={"chains": portfolio.results(chosen)})
        with writing(args.xlsx):
            write_xlsx(run, args.xlsx, report_options(args, chosen), inventory=None,
                       taxonomy=taxonomy)  # fmt: skip
    report(progress, 1.0, "done")
    summary.print(header.issues)
    return [p for p in (args.json, args.xlsx) if p]


def _writing_blocks(path: Path, blocks: Iterator[list[ChainResult]]) -> Iterator[list[ChainResult]]:
    """The blocks, with an OSError of the workbook's named as the workbook's (not the JSON's)."""
    with writing(path):
        yield from blocks


def _partner(code: str | None) -> str | None:
    if code is None:
        return None
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise CliError(f"--partner {code}: expected a three-letter ISO code (e.g. USA)", EXIT_USAGE)
    return code.upper()


def _known_chains(portfolio: Portfolio, chain_ids: list[str] | None) -> None:
    known = set(portfolio.groups.chain_ids)
    unknown = [c for c in chain_ids or [] if c not in known]
    if unknown:
        raise CliError(f"unknown chain id(s): {', '.join(unknown)}", EXIT_USAGE)


def run_assess(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    check_outputs(
        input_files(args.input, args.trade, args.country_risk, taxonomy=args.taxonomy,
                    project=args.project),
        report_outputs(args),
    )  # fmt: skip
    taxonomy = load_taxonomy_arg(args.taxonomy)
    country_risk = load_country_risk(args.country_risk, taxonomy)
    progress = text_progress(True)
    inventory = load_inventory(
        args.input, taxonomy, skip_invalid_rows=args.skip_invalid_rows, lang=lang,
        duplicate_ids=args.duplicate_ids,
        progress=sub_progress(progress, 0.0, 0.3),
    )  # fmt: skip
    if args.trade:
        add_trade_file(inventory, args.trade, taxonomy, lang)
    portfolio = assess_portfolio(
        inventory,
        taxonomy,
        country=args.country.upper(),
        country_risk=country_risk,
        partner=_partner(args.partner),
        robustness=not args.no_robustness,
        progress=sub_progress(progress, 0.3, 0.6),
    )
    sources = input_sources(args.country_risk, args.trade)
    _known_chains(portfolio, args.chain)  # unknown ids are a usage error before anything is written
    if not (args.pdf or args.docx or args.project or args.db):
        del inventory  # the portfolio holds the copy it assessed
        written = stream_outputs(args, portfolio, taxonomy, sub_progress(progress, 0.6, 1.0),
                                 sources=sources)
        places = [str(path) for path in written]
    else:  # the PDF, the Word report and the stored run need the whole run at once
        run = portfolio.to_run(country=args.country.upper())
        run = run.model_copy(update={"sources": sources})
        del portfolio
        print_summary(run, taxonomy, lang)
        written = write_outputs(args, run, inventory, taxonomy, sub_progress(progress, 0.6, 1.0))
        places = [str(path) for path in written]
        if args.project or args.db:
            from riskdesk.cli.project import store_assessment

            store_assessment(args.project or args.db, inventory, run, taxonomy,
                             round_name=args.round, lang=lang)
            places.append(str(args.project) if args.project else place_name(args))
    for place in places:
        print(("已写入 " if lang == "zh" else "written: ") + place)
    return EXIT_OK
