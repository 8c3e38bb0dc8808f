"""People of a team database: LOGIN roles that are members of riskdesk's group roles.

A password never reaches the server in clear text: `add_user` sends a SCRAM-SHA-256 verifier
computed here (what `psql \\password` does), so no server log or statement view shows it, and it
is never printed. The server checks a login against the verifier; riskdesk stores nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata

import sqlalchemy as sa
from pydantic import BaseModel

from riskdesk.io.project.errors import ProjectError
from riskdesk.io.team.roles import ROLE_KINDS, Roles

_USER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")
SCRAM_ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)


class TeamUser(BaseModel):
    name: str
    roles: list[str]
    can_login: bool


def scram_verifier(password: str, *, salt: bytes | None = None,
                   iterations: int = SCRAM_ITERATIONS) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802 / 7677).

    PostgreSQL prepares the password with SASLprep; NFKC normalisation is its part that matters
    for passwords people type (other mappings concern control and unassigned characters)."""
    salt = salt or os.urandom(16)
    prepared = unicodedata.normalize("NFKC", password).encode("utf-8")
    salted = hashlib.pbkdf2_hmac("sha256", prepared, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_user_name(name: str) -> None:
    if not _USER.match(name):
        raise ProjectError(
            f"'{name}' is not a usable user name (letters, digits, _ . @ -, starting with a "
            "letter or _, at most 63 characters)",
            f"“{name}”不能用作用户名（字母、数字、_ . @ -，以字母或 _ 开头，最多 63 个字符）",
            code="bad_user_name",
        )


def add_user(conn: sa.Connection, name: str, kinds: list[str], password: str | None,
             roles: Roles) -> bool:
    """Create the LOGIN role (or update an existing one) and make it a member of the groups;
    returns True when the user is new. `password=None` leaves any existing password alone
    (for people who log in by peer, certificate or Kerberos)."""
    check_user_name(name)
    for kind in kinds:
        roles.of(kind)
    group_names = {roles.of(k) for k in (*ROLE_KINDS, "workflow")}
    if name in group_names:
        raise ProjectError(f"'{name}' is one of riskdesk's group roles, not a person",
                           f"“{name}”是 riskdesk 的角色组，不是用户", code="bad_user_name")
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                          {"n": name}).first() is not None
    verb = "ALTER" if exists else "CREATE"
    clause = ""
    if password is not None:
        if not password:
            raise ProjectError("the password is empty", "密码为空", code="empty_password")
        verifier = scram_verifier(password)
        # The verifier is base64 and '$:' only; it cannot break out of the literal.
        assert "'" not in verifier
        clause = f" PASSWORD '{verifier}'"
    conn.exec_driver_sql(f"{verb} ROLE {_quote(name)} LOGIN{clause}".replace("%", "%%"))
    for kind in kinds:
        conn.exec_driver_sql(f"GRANT {_quote(roles.of(kind))} TO {_quote(name)}")
    return not exists


def users(conn: sa.Connection, roles: Roles) -> list[TeamUser]:
    """Everyone granted one of riskdesk's groups, by name, with the groups granted to them
    (reader is implied by every other group, and assessor by admin)."""
    by_group = {roles.of(k): k for k in ROLE_KINDS}
    rows = conn.execute(sa.text(
        "SELECT u.rolname, u.rolcanlogin, g.rolname FROM pg_auth_members m "
        "JOIN pg_roles u ON u.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
        "WHERE g.rolname = ANY(:groups) ORDER BY u.rolname"), {"groups": list(by_group)})
    found: dict[str, TeamUser] = {}
    for name, can_login, group in rows:
        if name in by_group:
            continue  # a group inside another (assessor in reader …), not a person
        person = found.setdefault(str(name), TeamUser(name=str(name), roles=[],
                                                      can_login=bool(can_login)))
        person.roles.append(by_group[str(group)])
    order = {k: i for i, k in enumerate(("admin", "approver", "reviewer", "assessor", "reader"))}
    for person in found.values():
        person.roles.sort(key=order.__getitem__)
    return list(found.values())
