"""The `riskdesk` console command: subcommands over the headless core; no subcommand opens the GUI.

Each subcommand lives in its own module exposing `register(subparsers)`; the module's handler
returns an exit code. Errors reach the user as one sentence (exit 1 for input problems, 2 for
usage errors); a traceback only with `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback
import warnings
from collections.abc import Sequence

from riskdesk import __version__
from riskdesk.core.errors import Lang, Location, UserError

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2

# Subcommand modules, in help order. A module that is absent (a partial install) is skipped.
COMMAND_MODULES = (
    "riskdesk.cli.assess",
    "riskdesk.cli.scenario",
    "riskdesk.cli.demo",
    "riskdesk.cli.validate",
    "riskdesk.cli.template",
    "riskdesk.cli.project",
    "riskdesk.cli.decide",
    "riskdesk.cli.db",
    "riskdesk.cli.gui",
    "riskdesk.cli.review",
)


class CliError(UserError):
    """A problem to report to the user in one sentence, with an exit code.

    `CliError(message)` carries one text (already in the user's language); `CliError.of(...)`
    both languages and a message code.
    """

    def __init__(self, message: str, exit_code: int = EXIT_INPUT) -> None:
        super().__init__("cli_error", message, message, exit_code=exit_code)

    @classmethod
    def of(cls, code: str, zh: str, en: str, exit_code: int = EXIT_INPUT,
           location: Location | None = None) -> CliError:
        error = cls(en, exit_code)
        error.code, error.message_zh = code, zh
        if location is not None:
            error.location = location
        return error


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
    lang: Lang = "en" if getattr(args, "lang", None) == "en" else "zh"
    if not args.debug:
        # Library warnings (matplotlib's layout notes on a crowded chart, pandas deprecations)
        # say nothing an analyst can act on; --debug shows them.
        warnings.simplefilter("ignore")
    try:
        code: int = args.func(args)
    except UserError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"riskdesk: {exc.message(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("riskdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        sentence = system_error_sentence(exc, args, lang)
        if sentence is not None:
            print(f"riskdesk: {sentence}", file=sys.stderr)
        elif not args.debug:
            print(
                f"riskdesk: unexpected error: {type(exc).__name__}: {exc} "
                "(run again with --debug for details)",
                file=sys.stderr,
            )
        return EXIT_INPUT
    return code


def system_error_sentence(exc: BaseException, args: argparse.Namespace, lang: str) -> str | None:
    """One sentence for the errors the system raises about files (not bugs), else None."""
    import sqlite3

    zh = lang == "zh"
    if isinstance(exc, OSError):
        name = exc.filename or getattr(args, "input", None) or ""
        why = exc.strerror or str(exc)
        if isinstance(exc, PermissionError):
            return f"{name}：没有读写权限" if zh else f"{name}: permission denied"
        if isinstance(exc, IsADirectoryError):
            return f"{name} 是文件夹，不是文件" if zh else f"{name} is a folder, not a file"
        return f"{name}：无法读写（{why}）" if zh else f"{name}: cannot read or write ({why})"
    if isinstance(exc, UnicodeError):
        name = getattr(args, "input", None) or ""
        return (f"{name}：文字编码无法识别（{exc}）" if zh
                else f"{name}: the text encoding cannot be read ({exc})")
    if isinstance(exc, RecursionError):
        return ("输入文件嵌套过深，无法读取" if zh
                else "an input file is nested too deeply to be read")
    if isinstance(exc, MemoryError):
        return "内存不足，无法完成" if zh else "not enough memory to finish"
    from pydantic import ValidationError

    if isinstance(exc, ValidationError | json.JSONDecodeError):
        # Stored records are validated when read: a record riskdesk cannot read was altered.
        name = getattr(args, "project", None) or getattr(args, "input", None) or ""
        detail = _first_problem(exc)
        return (f"{name} 中有一条记录已损坏或被改动，无法读取（{detail}）；请从备份恢复" if zh
                else f"{name} holds a record that is damaged or was altered and cannot be read "
                f"({detail}); restore it from a backup")
    if type(exc).__module__.startswith("sqlalchemy"):  # a team database went away mid-command
        from riskdesk.io.team.connect import redact

        detail = redact(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0])[:300]
        return (f"团队数据库无法使用（{detail}）" if zh
                else f"the team database cannot be used ({detail})")
    if isinstance(exc, sqlite3.Error):
        name = getattr(args, "project", None) or ""
        return (f"项目文件 {name} 无法使用（{exc}）" if zh
                else f"the project file {name} cannot be used ({exc})")
    return None


def _first_problem(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}"
    return str(exc).splitlines()[0][:120]


def configure_stdout() -> None:
    """Chinese text on a console that is not UTF-8 (Windows code pages) must not crash printing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


configure_stdout()
