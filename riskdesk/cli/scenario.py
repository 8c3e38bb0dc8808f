"""`riskdesk scenario INPUT --scenarios FILE`: what each chain's supply, stock and classification
become under each scenario of a library; JSON, Excel and PDF outputs (docs/scenarios.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from riskdesk import __version__
from riskdesk.cli.assess import add_trade_file, load_inventory
from riskdesk.cli.common import (
    add_taxonomy_options,
    check_outputs,
    input_files,
    load_country_risk,
    load_taxonomy_arg,
    print_table,
    text_progress,
    write_json,
    writing,
)
from riskdesk.cli.main import EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.models import Lang
from riskdesk.core.progress import sub_progress
from riskdesk.core.results import AssessmentRun
from riskdesk.core.scenario_run import ScenarioRun
from riskdesk.core.scenarios import ScenarioLibrary
from riskdesk.core.taxonomy import Taxonomy


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "scenario",
        help="what-if scenarios: shortfall, time to survive and re-classification per chain",
        description="Assess an inventory, apply every scenario of a library (TOML) to every chain: "
        "shortfall, time-to-survive, unmet demand, shocked indicators and the classification the "
        "engine gives them. Writes JSON, an Excel workbook and a PDF chapter.",
    )
    p.add_argument("input", type=Path, metavar="INPUT", help="inventory workbook or csv")
    p.add_argument(
        "--scenarios", type=Path, required=True, metavar="FILE", help="scenario library (TOML)"
    )
    add_taxonomy_options(p)
    p.add_argument("--trade", type=Path, metavar="FILE", help="a trade table (partner shares)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    p.add_argument("--xlsx", type=Path, metavar="OUT", help="write the scenario workbook")
    p.add_argument("--pdf", type=Path, metavar="OUT", help="write the scenario analysis PDF")
    p.add_argument(
        "--skip-invalid-rows", action="store_true", help="assess the valid rows, list the rest"
    )
    p.set_defaults(func=run_scenario)


def load_library(path: Path, lang: Lang) -> ScenarioLibrary:
    """The library, or every located problem on stderr and exit 1 (exit 2 when absent)."""
    from riskdesk.io.scenarios import ScenarioFileError, read_scenario_library

    if not path.exists():
        raise CliError.of(
            "scenario_file_missing", f"{path}：情景文件不存在", f"{path}: scenario file not found",
            EXIT_USAGE,
        )  # fmt: skip
    try:
        return read_scenario_library(path)
    except ScenarioFileError as exc:
        for issue in exc.issues[1:50]:
            print(f"  {issue.location(lang)}: {issue.message(lang)}", file=sys.stderr)
        raise


def run_scenario(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    check_outputs(
        input_files(args.input, args.scenarios, args.trade, args.country_risk,
                    taxonomy=args.taxonomy),
        [("--json", args.json), ("--xlsx", args.xlsx), ("--pdf", args.pdf)],
    )  # fmt: skip
    taxonomy = load_taxonomy_arg(args.taxonomy)
    country_risk = load_country_risk(args.country_risk, taxonomy)
    library = load_library(args.scenarios, lang)
    progress = text_progress(True)
    inventory = load_inventory(
        args.input, taxonomy, skip_invalid_rows=args.skip_invalid_rows, lang=lang,
        progress=sub_progress(progress, 0.0, 0.4),
    )  # fmt: skip
    if args.trade:
        add_trade_file(inventory, args.trade, taxonomy, lang)
    from riskdesk.core.assess import assess_portfolio
    from riskdesk.core.scenario_run import run_scenarios

    portfolio = assess_portfolio(
        inventory, taxonomy, country=args.country.upper(), country_risk=country_risk,
        robustness=False, progress=sub_progress(progress, 0.4, 0.6),
    )  # fmt: skip
    known = set(portfolio.groups.chain_ids)
    for sc in library.scenarios:
        unknown = [c for c in sc.chains if c != "*" and c not in known]
        if unknown:
            print(
                f"  {sc.id}: " + ("输入中没有产业链 " if lang == "zh" else "no chain in the input: ")
                + ", ".join(unknown),
                file=sys.stderr,
            )
    run = run_scenarios(
        portfolio, library, country_risk=country_risk, progress=sub_progress(progress, 0.6, 0.9)
    )
    print_scenario_summary(run, lang)
    written: list[Path] = []
    if args.json:
        write_json(args.json, scenario_json(run, taxonomy, country=args.country.upper()))
        written.append(args.json)
    if args.xlsx:
        from riskdesk.reports.scenario_xlsx import write_scenario_xlsx

        with writing(args.xlsx):
            write_scenario_xlsx(args.xlsx, run, taxonomy, lang)
        written.append(args.xlsx)
    if args.pdf:
        from riskdesk.reports.options import ReportOptions
        from riskdesk.reports.pdf_scenarios import write_scenario_pdf

        with writing(args.pdf):
            write_scenario_pdf(args.pdf, run, taxonomy, ReportOptions(lang=lang),
                               country=args.country.upper())  # fmt: skip
        written.append(args.pdf)
    for path in written:
        print(("已写入 " if lang == "zh" else "written: ") + str(path))
    return EXIT_OK


def scenario_json(
    run: ScenarioRun, taxonomy: Taxonomy, *, country: str, baseline: AssessmentRun | None = None
) -> dict[str, Any]:
    """SPEC §11.1: per chain its `baseline` (the usual result) and `scenarios: {ID: …}`; the
    chains are a generator, so `write_json` streams them. `baseline`: the portfolio's run when
    the caller already built it."""
    from riskdesk.core.effective import effective_run

    base = effective_run(baseline or run.portfolio.to_run(country=country), {}, taxonomy)
    lib = run.library

    def chains() -> Iterator[dict[str, Any]]:
        for g, chain in enumerate(base.chains):
            yield {
                "chain_id": chain.engine.chain_id,
                "chain_name": chain.engine.chain_name,
                "baseline": chain.to_json_dict(),
                "scenarios": {
                    sid: o.model_dump(mode="json") for sid, o in run.chain_block(g).items()
                },
            }

    return {
        "riskdesk_version": __version__,
        "taxonomy": base.taxonomy.model_dump(mode="json"),
        "input": None if base.input is None else base.input.model_dump(mode="json"),
        "assessed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "country": country,
        "scenario_library": {
            "source": lib.source,
            "sha256": lib.sha256,
            "schema": lib.schema_version,
            "scenarios": [s.model_dump(mode="json", by_alias=True) for s in lib.scenarios],
        },
        "chains": chains(),
    }


def print_scenario_summary(run: ScenarioRun, lang: Lang) -> None:
    """Chains × scenarios: unmet share (n/a without stock data) and the shocked outcome id, ▲ where
    the chain's priority worsened; the workbook and JSON carry the labels."""
    ids = [s.id for s in run.library.scenarios]
    header = ["链" if lang == "zh" else "chain", *ids]
    rows = []
    for g, chain_id in enumerate(run.chain_ids):
        cells = [chain_id]
        for o in run.chain_block(g).values():
            if not o.applies:
                cells.append("—")
                continue
            share = "n/a" if o.unmet_share is None else f"{o.unmet_share:.1%}"
            mark = " ▲" if o.worsened else ""
            cells.append(f"{share} {o.primary_type.value}{mark}")
        rows.append(cells)
    print_table(header, rows)
