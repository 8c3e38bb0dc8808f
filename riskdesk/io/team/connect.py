"""Team database addresses: what a user types, what SQLAlchemy gets, what messages show.

A user gives a libpq service name (`service=riskdesk`, or just a name defined in
~/.pg_service.conf / PGSERVICEFILE), a URL (`postgresql://analyst@db.example/riskdesk`,
`postgresql:///?service=riskdesk`), or `sqlite:///path` (the same store on SQLite, for tests and a
single workstation). Passwords come from libpq (PGPASSFILE, ~/.pgpass, PGPASSWORD, the service
file) and are never stored: a URL with an embedded password is refused wherever it would be saved,
and every message shows the address with its password redacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from riskdesk.io.project.errors import ProjectError

_SERVICE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def to_url(address: str) -> URL:
    """The SQLAlchemy URL of a team database address (PostgreSQL always through psycopg 3)."""
    text = address.strip()
    if text.startswith("service="):
        text = "postgresql:///?" + text
    elif _SERVICE_NAME.match(text):
        text = f"postgresql:///?service={text}"
    try:
        url = make_url(text)
    except ArgumentError:
        raise ProjectError(
            f"{redact(address)} is not a database address (give a service name, "
            "postgresql://user@host/database or service=NAME)",
            f"{redact(address)} 不是数据库地址（请填写服务名、postgresql://用户@主机/数据库 "
            "或 service=服务名）",
            code="bad_database_address",
        ) from None
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    elif url.get_backend_name() != "sqlite":
        raise ProjectError(
            f"{redact(address)}: riskdesk team databases are PostgreSQL (or SQLite for one "
            "workstation)",
            f"{redact(address)}：riskdesk 团队数据库须为 PostgreSQL（单机可用 SQLite）",
            code="bad_database_address",
        )
    return url


def redact(address: str) -> str:
    """The address as messages show it: any password replaced by ***."""
    text = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", address)
    return re.sub(r"(?i)(password\s*=\s*)('[^']*'|[^\s&]+)", r"\1***", text)


def has_password(address: str) -> bool:
    return redact(address) != address


def refuse_password(address: str) -> None:
    """Before an address is saved (settings, project, recent list): no password in it."""
    if has_password(address):
        raise ProjectError(
            f"{redact(address)} contains a password; riskdesk never stores passwords — put it "
            "in a libpq password file (PGPASSFILE, ~/.pgpass) or a service file and give the "
            "address without it",
            f"{redact(address)} 含有密码；riskdesk 从不保存密码——请将密码放入 libpq 密码文件"
            "（PGPASSFILE、~/.pgpass）或服务文件，并填写不含密码的地址",
            code="password_in_address",
        )


def libpq_address(address: str) -> str:
    """The address as libpq (psycopg.connect) takes it: a postgresql:// URI, service included."""
    url = to_url(address).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def describe(address: str) -> str:
    """A short name for the database in titles and messages (no password)."""
    url = to_url(address)
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    service = url.query.get("service")
    if service:
        return f"service={service}"
    host = url.host or "localhost"
    who = f"{url.username}@" if url.username else ""
    return f"{who}{host}/{url.database or ''}"


@contextmanager
def unreachable_as_project_error(where: str) -> Iterator[None]:
    """A server that cannot be reached (or refuses the login) as one sentence for the user."""
    try:
        yield
    except OperationalError as exc:
        detail = redact(str(exc.orig or exc).strip().splitlines()[0])[:300]
        raise ProjectError(
            f"cannot connect to the team database {where} ({detail})",
            f"无法连接团队数据库 {where}（{detail}）",
            code="team_database_unreachable",
        ) from None


def team_engine(address: str) -> Engine:
    """An engine for the team store: PostgreSQL through psycopg 3 with a small pool; SQLite with
    the project's safety settings and `BEGIN IMMEDIATE` transactions (one writer at a time)."""
    url = to_url(address)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, poolclass=NullPool)
        _sqlite_safety(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)


def _sqlite_safety(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        for pragma in ("busy_timeout = 10000", "foreign_keys = ON", "synchronous = FULL",
                       "journal_mode = WAL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
