"""`riskdesk db init | adduser | users --db ADDRESS`: set up a team database and its people.

Registered in riskdesk.cli.db's subcommand registry (listed in SUBCOMMAND_MODULES there).

`init` brings the tables to this version (Alembic migrations) and then installs the server-side
rules: group roles, grants, the review functions and the edit guards (riskdesk.io.team.roles); it
can be run again at any time (after an upgrade, to re-apply grants) and changes nothing twice.
`adduser` creates a LOGIN role and makes it a member of one or more groups; the password is read
from a prompt or `--password-file`, never from the command line, and never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from riskdesk.cli.db import DB_HELP, subcommand
from riskdesk.cli.main import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError
from riskdesk.cli.review import open_engine
from riskdesk.core.models import Lang
from riskdesk.io.project import ProjectError
from riskdesk.io.team.roles import DEFAULT_PREFIX, ROLE_KINDS, Roles

if TYPE_CHECKING:
    from riskdesk.cli.db import Subparsers

ROLE_HELP = ("reader: read only; assessor: edit chains, values, decisions and submit; reviewer: "
             "return with comments; approver: approve or return (never their own submission); "
             "admin: assessor's rights, reopen approved chains, set-up")


@subcommand("init")
def _register_init(db: Subparsers) -> None:
    i = db.add_parser("init", help="create or upgrade a team database with its roles and rules",
                      description="Run the schema migrations, then create the group roles "
                      f"({', '.join(ROLE_KINDS)}), grants, review functions and edit guards. "
                      "Run as the database owner or a superuser (e.g. postgres). Idempotent.")
    _common(i)
    i.set_defaults(func=run_init)


@subcommand("adduser")
def _register_adduser(db: Subparsers) -> None:
    a = db.add_parser("adduser", help="add a person (LOGIN role) with a riskdesk role",
                      description="Create a LOGIN role for a person, or add a role to an existing "
                      "one. " + ROLE_HELP)
    a.add_argument("name", metavar="NAME", help="the login name")
    a.add_argument("--role", required=True, action="append", choices=ROLE_KINDS,
                   help="riskdesk role (repeat for several)")
    how = a.add_mutually_exclusive_group()
    how.add_argument("--password-file", type=Path, metavar="FILE",
                     help="read the password from the first line of FILE (default: prompt)")
    how.add_argument("--no-password", action="store_true",
                     help="set no password (peer, certificate or Kerberos log-in)")
    _common(a)
    a.set_defaults(func=run_adduser)


@subcommand("users")
def _register_users(db: Subparsers) -> None:
    u = db.add_parser("users", help="list the people of a team database and their roles")
    _common(u)
    u.set_defaults(func=run_users)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="ADDRESS", help=DB_HELP)
    p.add_argument("--role-prefix", default=None, metavar="PREFIX",
                   help=f"group role names <PREFIX>_reader … (default: {DEFAULT_PREFIX}, or what "
                        "init recorded in this database)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")


def _roles(conn: sa.Connection, args: argparse.Namespace, lang: Lang) -> Roles:
    from riskdesk.io.team.roles import installed_prefix

    try:
        return Roles(args.role_prefix or installed_prefix(conn))
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_USAGE) from None


def run_init(args: argparse.Namespace) -> int:
    from riskdesk.io.team import migrate, roles

    lang: Lang = args.lang
    engine = open_engine(args.db, lang)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, args.db)
            names = roles.install(conn, _roles(conn, args, lang))
            revision = migrate.current_revision(conn)
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_INPUT) from None
    except sa.exc.DBAPIError as exc:
        raise _refused(exc, lang) from None
    finally:
        engine.dispose()
    groups = ", ".join(names.of(k) for k in ROLE_KINDS)
    print(f"团队数据库已就绪（版本 {revision}）；角色：{groups}" if lang == "zh"
          else f"team database ready (revision {revision}); roles: {groups}")
    return EXIT_OK


def _read_password(args: argparse.Namespace, lang: Lang) -> str | None:
    if args.no_password:
        return None
    if args.password_file is not None:
        try:
            lines = args.password_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CliError(f"{args.password_file}: {exc.strerror}", EXIT_INPUT) from None
        if not lines or not lines[0]:
            raise CliError(f"{args.password_file}: 文件第一行应为密码" if lang == "zh"
                           else f"{args.password_file}: the first line must be the password",
                           EXIT_INPUT)
        return str(lines[0])
    if not sys.stdin.isatty():
        raise CliError("没有终端可输入密码：请使用 --password-file" if lang == "zh"
                       else "no terminal to type a password: use --password-file", EXIT_USAGE)
    first = getpass.getpass("密码：" if lang == "zh" else "Password: ")
    second = getpass.getpass("再次输入：" if lang == "zh" else "Again: ")
    if first != second:
        raise CliError("两次输入的密码不一致" if lang == "zh" else "the passwords differ",
                       EXIT_USAGE)
    return first


def run_adduser(args: argparse.Namespace) -> int:
    from riskdesk.io.team.users import add_user

    lang: Lang = args.lang
    password = _read_password(args, lang)
    engine = open_engine(args.db, lang)
    try:
        with engine.begin() as conn:
            new = add_user(conn, args.name, list(args.role), password, _roles(conn, args, lang))
    except ProjectError as exc:
        raise CliError(exc.message(lang), EXIT_USAGE) from None
    except sa.exc.DBAPIError as exc:
        raise _refused(exc, lang) from None
    finally:
        engine.dispose()
    kinds = ", ".join(args.role)
    if lang == "zh":
        print(f"{'已添加用户' if new else '已更新用户'} {args.name}（{kinds}）")
    else:
        print(f"{'added' if new else 'updated'} user {args.name} ({kinds})")
    return EXIT_OK


def run_users(args: argparse.Namespace) -> int:
    from riskdesk.cli.common import print_table
    from riskdesk.io.team.users import users

    lang: Lang = args.lang
    engine = open_engine(args.db, lang)
    try:
        with engine.connect() as conn:
            people = users(conn, _roles(conn, args, lang))
    except sa.exc.DBAPIError as exc:
        raise _refused(exc, lang) from None
    finally:
        engine.dispose()
    headers = ("用户", "角色", "可登录") if lang == "zh" else ("User", "Roles", "Can log in")
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    print_table(headers, [[p.name, ", ".join(p.roles), yes if p.can_login else no]
                          for p in people])
    return EXIT_OK


def _refused(exc: sa.exc.DBAPIError, lang: Lang) -> CliError:
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    message = getattr(diag, "message_primary", None) or str(orig).strip()
    if getattr(orig, "sqlstate", None) == "42501":
        return CliError(
            f"数据库拒绝了该操作（权限不足：{message}）；请以数据库所有者或 postgres 身份运行"
            if lang == "zh" else
            f"the database refused (insufficient privilege: {message}); run this as the "
            "database owner or postgres", EXIT_INPUT)
    return CliError(f"数据库拒绝了该操作：{message}" if lang == "zh"
                    else f"the database refused: {message}", EXIT_INPUT)
