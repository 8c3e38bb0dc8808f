"""`riskdesk gui [PROJECT] [--screenshot PNG] [--lang zh|en] [--page NAME]`: the desktop application."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskdesk.cli.main import EXIT_USAGE, CliError

PAGES = ("inventory", "assessment", "dashboard", "taxonomy", "reports")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the desktop application (or render a screenshot of it)",
        description="Open the desktop application. With --screenshot, render the window offscreen "
        "when there is no display, save it as PNG and exit.",
    )
    parser.add_argument(
        "project",
        nargs="?",
        type=Path,
        help="a project (.rdproj) or a spreadsheet to open; default: the demo on first start",
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="save a picture of the window and exit"
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), help="interface language (default: last used, else zh)"
    )
    parser.add_argument("--page", choices=PAGES, help="page to show")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    if args.screenshot is not None and args.screenshot.suffix.lower() != ".png":
        raise CliError("--screenshot must name a .png file", EXIT_USAGE)
    try:
        from riskdesk.gui.app import StartupError, run_gui
    except ImportError as exc:
        raise CliError(f"the desktop application needs PySide6 ({exc})") from None
    try:
        return run_gui(
            args.project, screenshot_path=args.screenshot, lang=args.lang, page=args.page
        )
    except StartupError as exc:
        raise CliError(str(exc)) from None
