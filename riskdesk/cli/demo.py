"""`riskdesk demo`: assess the bundled demo inventory, write its reports, open the GUI on a display."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from riskdesk.cli.assess import load_inventory, write_outputs
from riskdesk.cli.common import load_country_risk, load_taxonomy_arg, print_summary, text_progress
from riskdesk.cli.main import EXIT_OK
from riskdesk.core.assess import assess_inventory
from riskdesk.core.models import Lang
from riskdesk.core.paths import DEMO_COUNTRY_RISK, DEMO_INVENTORY
from riskdesk.core.progress import sub_progress


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="assess the bundled demo inventory and write its PDF and Excel",
        description="Runs the main job on the bundled demo inventory (typical cases of the source "
        "papers): assessment, PDF report, Excel workbook and JSON. Opens the desktop application "
        "afterwards when a display is available (use --no-gui to stop that).",
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
    run = assess_inventory(
        inventory, taxonomy, country_risk=country_risk, progress=sub_progress(progress, 0.2, 0.4)
    )
    print_summary(run, taxonomy, lang)
    out: Path = args.out
    outputs = argparse.Namespace(
        json=out / "demo_results.json",
        pdf=out / f"demo_report_{lang}.pdf",
        xlsx=out / f"demo_workbook_{lang}.xlsx",
        chain=None,
        lang=lang,
        organisation="riskdesk 演示" if lang == "zh" else "riskdesk demo",
        author="riskdesk",
        marking=None,
    )
    written = write_outputs(outputs, run, inventory, taxonomy, sub_progress(progress, 0.4, 1.0))
    for path in written:
        print(("已写入 " if lang == "zh" else "written: ") + str(path.resolve()))
    if not args.no_gui and has_display():
        from riskdesk.cli import gui

        return gui.handle(argparse.Namespace(project=None, screenshot=None, lang=lang, page=None))
    return EXIT_OK
