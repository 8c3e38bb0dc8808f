"""The `riskdesk` console command: subcommands over the headless core; no subcommand opens the GUI.

Each subcommand lives in its own module exposing `register(subparsers)`; the module's handler
returns an exit code. Errors reach the user as one sentence (exit 1 for input problems, 2 for
usage errors); a traceback only with `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from riskdesk import __version__

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2

# Subcommand modules, in help order. A module that is absent (a partial install) is skipped.
COMMAND_MODULES = (
    "riskdesk.cli.assess",
    "riskdesk.cli.demo",
    "riskdesk.cli.validate",
    "riskdesk.cli.template",
    "riskdesk.cli.project",
    "riskdesk.cli.gui",
)


class CliError(Exception):
    """A problem to report to the user in one sentence, with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage and exits 2 — keep that, but as one clear line.
        self.exit(EXIT_USAGE, f"riskdesk: {message} (see `riskdesk --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="riskdesk",
        description="Industrial-chain security assessment by capability type. "
        "Without a subcommand, opens the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"riskdesk {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if "riskdesk.cli.gui" in sys.modules:
            args = parser.parse_args([*argv, "gui"])
        else:
            parser.print_help()
            return EXIT_USAGE
    try:
        code: int = args.func(args)
    except CliError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"riskdesk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("riskdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"riskdesk: unexpected error: {type(exc).__name__}: {exc} "
                "(run again with --debug for details)",
                file=sys.stderr,
            )
        return EXIT_INPUT
    return code


def configure_stdout() -> None:
    """Chinese text on a console that is not UTF-8 (Windows code pages) must not crash printing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


configure_stdout()
