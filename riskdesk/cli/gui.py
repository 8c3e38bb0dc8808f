"""`riskdesk gui [PROJECT | --db ADDRESS] [--screenshot PNG] [--lang zh|en] [--page NAME]`: the
desktop application."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskdesk.cli.main import EXIT_INPUT, EXIT_USAGE, CliError

PAGES = ("inventory", "assessment", "dashboard", "taxonomy", "reports", "scenarios")


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
    parser.add_argument("--db", metavar="ADDRESS", default=None,
                        help="open a team database instead of a file: a libpq service name or "
                             "postgresql://user@host/database (password from PGPASSFILE / "
                             "~/.pgpass, never on the command line)")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    if args.screenshot is not None and args.screenshot.suffix.lower() != ".png":
        raise CliError("--screenshot must name a .png file", EXIT_USAGE)
    if args.screenshot is not None:
        from riskdesk.cli.common import check_outputs, input_files

        check_outputs(input_files(project=args.project), [("--screenshot", args.screenshot)])
    if args.project is not None and args.db:
        raise CliError.of("project_and_db", "请只给出项目文件或 --db 之一",
                          "give a project or --db, not both", EXIT_USAGE)
    if args.project is not None:
        check_project(args.project)
    try:
        from riskdesk.gui.app import StartupError, run_gui
    except ImportError as exc:
        raise CliError(f"the desktop application needs PySide6 ({exc})") from None
    try:
        return run_gui(
            args.project, screenshot_path=args.screenshot, lang=args.lang, page=args.page,
            db=args.db,
        )
    except StartupError as exc:
        raise CliError(str(exc)) from None


def check_project(path: Path) -> None:
    """A project that cannot be opened is told here, in one sentence, before Qt starts (a dialog
    would wait for a click that a `--screenshot` run never gets)."""
    from riskdesk.io.project import PROJECT_SUFFIX, Project, ProjectError

    if not path.exists():
        raise CliError(f"{path}: file not found", EXIT_INPUT)
    if path.suffix.lower() != PROJECT_SUFFIX:
        # A spreadsheet: the GUI's import preview reports its problems, but one that cannot be
        # read at all (a folder, a device, not a spreadsheet) is said here.
        from riskdesk.io.issues import InventoryReadError
        from riskdesk.io.options import ImportOptions
        from riskdesk.io.safety import inspect_file

        try:
            inspect_file(path, ImportOptions())
        except InventoryReadError as exc:
            error = CliError(exc.message_en, EXIT_INPUT)
            error.code, error.message_zh, error.location = exc.code, exc.message_zh, exc.location
            raise error from None
        return
    if not path.is_file():
        raise CliError.of("not_a_file", f"{path} 不是文件（可能是文件夹）",
                          f"{path} is not a file (a folder?)", EXIT_USAGE)
    try:
        Project.open(path, read_only=True).close()
    except ProjectError as exc:
        error = CliError(exc.message_en, EXIT_INPUT)
        error.code, error.message_zh, error.location = exc.code, exc.message_zh, exc.location
        raise error from None
