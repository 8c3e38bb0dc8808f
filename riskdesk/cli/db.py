"""`riskdesk db …`: the team database — push a project file into it, pull a portfolio out of it —
and the `--db ADDRESS` option the project commands share (assess, decide, export, history, diff).

An address is a libpq service name (`riskdesk`, `service=riskdesk`) or a URL
(`postgresql://analyst@db.example/riskdesk`); the password comes from libpq (PGPASSFILE,
~/.pgpass, the service file), never from riskdesk, and any password in an address is redacted in
messages. The `db` group is a registry: a module adds a subcommand with `@subcommand("name")`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.models import Lang
from riskdesk.io.project import Project, ProjectError

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
Registrar: TypeAlias = "Callable[[Subparsers], None]"

# name → function adding the subcommand's parser (with set_defaults(func=…)); in help order.
SUBCOMMANDS: dict[str, Registrar] = {}
# Modules that add `db` subcommands with @subcommand when imported (an absent one is skipped).
SUBCOMMAND_MODULES: tuple[str, ...] = ("riskdesk.cli.team_setup",)  # init, adduser, users

DB_HELP = ("team database: a libpq service name or postgresql://user@host/database (the password "
           "comes from PGPASSFILE / ~/.pgpass or the service file, never from the command line)")


def subcommand(name: str) -> Callable[[Registrar], Registrar]:
    def add(registrar: Registrar) -> Registrar:
        SUBCOMMANDS[name] = registrar
        return registrar
    return add


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "db",
        help="team database: push a project into it, pull a portfolio out of it",
        description="Work with a shared PostgreSQL team database (see docs/team.md).",
    )
    group = p.add_subparsers(dest="db_command", metavar="SUBCOMMAND",
                             parser_class=type(p))
    group.required = True
    for name in SUBCOMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    for registrar in SUBCOMMANDS.values():
        registrar(group)


# --- P.rdproj or --db, for the project commands ---------------------------------------------


def add_place(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """A project file (optional positional P.rdproj) or --db ADDRESS: exactly one of them."""
    if positional:
        parser.add_argument("project", type=Path, nargs="?", metavar="P.rdproj",
                            help="project file (or give --db)")
    parser.add_argument("--db", metavar="ADDRESS", default=None, help=DB_HELP)


def check_place(args: argparse.Namespace, lang: Lang) -> None:
    """Usage errors: both a file and --db, or neither."""
    if args.project is not None and args.db:
        raise CliError("请只给出项目文件或 --db 之一" if lang == "zh"
                       else "give a project file or --db, not both", EXIT_USAGE)
    if args.project is None and not args.db:
        raise CliError("请给出项目文件 P.rdproj 或 --db 团队数据库" if lang == "zh"
                       else "give a project file P.rdproj or --db ADDRESS", EXIT_USAGE)
    if args.project is not None and not args.project.exists():
        raise CliError(f"{args.project}: project file not found", EXIT_USAGE)


def place_name(args: argparse.Namespace) -> str:
    """How messages name the place (a database address without its password)."""
    from riskdesk.io.team.connect import redact

    return redact(args.db) if args.db else str(args.project)


def open_place(args: argparse.Namespace, lang: Lang, *, read_only: bool = True,
               user: str | None = None) -> Project:
    check_place(args, lang)
    try:
        if args.db:
            return Project.connect(args.db, user, create=not read_only)
        return Project.open(args.project, user, read_only=read_only)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None


# --- push and pull ----------------------------------------------------------------------------


@subcommand("push")
def _register_push(group: Subparsers) -> None:
    p = group.add_parser(
        "push", help="copy a project file into an empty team database",
        description="Copy a whole .rdproj (rounds, values, judgements, runs and the audit trail, "
        "verified first) into an empty team database, in one transaction.")
    p.add_argument("project", type=Path, metavar="P.rdproj")
    p.add_argument("--db", metavar="ADDRESS", required=True, help=DB_HELP)
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=run_push)


@subcommand("pull")
def _register_pull(group: Subparsers) -> None:
    p = group.add_parser(
        "pull", help="copy a team portfolio (or some chains) into a new project file",
        description="Write the team database's portfolio, or the chains named with --chain, into "
        "a new .rdproj for offline work; the audit trail comes along and verifies.")
    p.add_argument("--db", metavar="ADDRESS", required=True, help=DB_HELP)
    p.add_argument("out", type=Path, metavar="OUT.rdproj")
    p.add_argument("--chain", nargs="+", metavar="ID", help="only these chains")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=run_pull)


def run_push(args: argparse.Namespace) -> int:
    from riskdesk.io.team.store import TeamStore
    from riskdesk.io.team.transfer import push_file

    lang: Lang = args.lang
    if not args.project.exists():
        raise CliError(f"{args.project}: project file not found", EXIT_USAGE)
    try:
        store = TeamStore.open(args.db)
        try:
            summary = push_file(args.project, store)
        finally:
            store.close()
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    print(summary.describe(lang))
    return EXIT_OK


def run_pull(args: argparse.Namespace) -> int:
    from riskdesk.io.team.store import TeamStore
    from riskdesk.io.team.transfer import pull_to_file

    lang: Lang = args.lang
    if args.out.exists():
        raise CliError(f"{args.out} 已存在" if lang == "zh" else f"{args.out} already exists",
                       EXIT_USAGE)
    if not args.out.parent.is_dir():
        raise CliError(f"folder {args.out.parent} does not exist", EXIT_USAGE)
    try:
        store = TeamStore.open(args.db, create=False)
        try:
            summary = pull_to_file(store, args.out, args.chain)
        finally:
            store.close()
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    print(summary.describe(lang))
    print(("已写入 " if lang == "zh" else "written: ") + str(args.out))
    return EXIT_OK
