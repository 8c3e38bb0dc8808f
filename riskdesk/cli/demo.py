"""`riskdesk demo`: assess the bundled demo inventory, write its reports and its scenario analysis
(the bundled library, taxonomy/scenarios.toml), open the GUI on a display."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from riskdesk.cli.assess import input_sources, load_inventory, write_outputs
from riskdesk.cli.common import (
    load_country_risk,
    load_taxonomy_arg,
    print_summary,
    text_progress,
    write_json,
)
from riskdesk.cli.main import EXIT_OK
from riskdesk.cli.scenario import load_library, scenario_json
from riskdesk.core.assess import Portfolio, assess_portfolio
from riskdesk.core.models import Lang
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY, TAXONOMY_DIR
from riskdesk.core.progress import ProgressFn, report, sub_progress
from riskdesk.core.results import AssessmentRun
from riskdesk.core.taxonomy import Taxonomy
from riskdesk.core.trade import CountryRiskList

DEMO_SCENARIOS = TAXONOMY_DIR / "scenarios.toml"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="assess the bundled demo inventory and write its PDF, Word, Excel and scenario analysis",
        description="Runs the main job on the bundled demo inventory (typical cases of the source "
        "papers): assessment, PDF and Word report, Excel workbook and JSON, and the bundled scenario "
        "library (scenario PDF, workbook and JSON). Opens the desktop application afterwards when "
        "a display is available (use --no-gui to stop that).",
    )
    p.add_argument("--out", type=Path, default=Path("riskdesk-demo"), metavar="DIR",
                   help="output folder (default ./riskdesk-demo)")  # fmt: skip
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="report language (default zh)"
    )
    p.add_argument("--no-gui", action="store_true", help="do not open the desktop application")
    p.set_defaults(func=run_demo)


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def write_scenarios(
    out: Path,
    portfolio: Portfolio,
    baseline: AssessmentRun,
    taxonomy: Taxonomy,
    country_risk: CountryRiskList | None,
    lang: Lang,
    progress: ProgressFn | None,
) -> list[Path]:
    """The bundled library on the demo portfolio: scenarios_<lang>.pdf, .xlsx and .json."""
    from riskdesk.core.scenario_run import run_scenarios
    from riskdesk.reports.options import ReportOptions
    from riskdesk.reports.pdf_scenarios import write_scenario_pdf
    from riskdesk.reports.scenario_xlsx import write_scenario_xlsx

    library = load_library(DEMO_SCENARIOS, lang)
    run = run_scenarios(
        portfolio, library, country_risk=country_risk, progress=sub_progress(progress, 0.0, 0.2)
    )
    pdf, xlsx, json = (out / f"scenarios_{lang}.{ext}" for ext in ("pdf", "xlsx", "json"))
    organisation = "riskdesk 演示" if lang == "zh" else "riskdesk demo"
    options = ReportOptions(lang=lang, organisation=organisation, author="riskdesk")
    write_scenario_pdf(pdf, run, taxonomy, options, progress=sub_progress(progress, 0.2, 0.8))
    write_scenario_xlsx(xlsx, run, taxonomy, lang)
    write_json(json, scenario_json(run, taxonomy, country="CHN", baseline=baseline))
    report(progress, 1.0, "scenarios")
    return [pdf, xlsx, json]


def run_demo(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    taxonomy = load_taxonomy_arg(None)
    country_risk = load_country_risk(DEMO_COUNTRY_RISK, taxonomy)
    progress = text_progress(True)
    inventory = load_inventory(
        DEMO_INVENTORY,
        taxonomy,
        skip_invalid_rows=False,
        lang=lang,
        progress=sub_progress(progress, 0, 0.2),
    )
    portfolio = assess_portfolio(
        inventory, taxonomy, country_risk=country_risk, progress=sub_progress(progress, 0.2, 0.4)
    )
    run = portfolio.to_run(country="CHN")
    run = run.model_copy(update={"sources": input_sources(DEMO_COUNTRY_RISK, None)})
    print_summary(run, taxonomy, lang)
    out: Path = args.out
    outputs = argparse.Namespace(
        json=out / "demo_results.json",
        pdf=out / f"demo_report_{lang}.pdf",
        xlsx=out / f"demo_workbook_{lang}.xlsx",
        docx=out / f"demo_report_{lang}.docx",
        chain=None,
        lang=lang,
        organisation="riskdesk 演示" if lang == "zh" else "riskdesk demo",
        author="riskdesk",
        marking=None,
    )
    written = write_outputs(outputs, run, inventory, taxonomy, sub_progress(progress, 0.4, 0.85))
    written += write_scenarios(
        out, portfolio, run, taxonomy, country_risk, lang, sub_progress(progress, 0.85, 1.0)
    )
    for path in written:
        print(("已写入 " if lang == "zh" else "written: ") + str(path.resolve()))
    if not args.no_gui and has_display():
        from riskdesk.cli import gui

        return gui.handle(argparse.Namespace(project=None, screenshot=None, lang=lang, page=None))
    return EXIT_OK
