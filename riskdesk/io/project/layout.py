"""A project file is data, never code: its schema is checked against the expected one before use.

SQLite stores triggers and views *in the file*; a trigger planted in a .rdproj runs with the
application's rights on the next write (it could quietly rewrite indicator values), and a
recursive view where a table belongs hangs every read. So before anything reads or writes a
project, the file's `sqlite_master` is compared with what `create_schema()` produces in a fresh
in-memory database: the same tables with the same columns, the same indexes, the same triggers
and views — nothing more. Names from the file are only ever passed as SQL parameters, never
pasted into SQL. A file of an older version is checked against the layout that version had.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from riskdesk.io.project.errors import ProjectError

_SPACE = re.compile(r"\s+")
_INTERNAL = ("sqlite_autoindex_", "sqlite_sequence", "sqlite_stat")

Column = tuple[str, str, int, str | None, int, int]  # name, type, notnull, default, pk, hidden


@dataclass(frozen=True)
class Layout:
    """The schema objects of a database: (type, name) → normalised SQL, and table columns."""

    objects: dict[tuple[str, str], str]
    columns: dict[str, list[Column]]


def _normal_sql(sql: str | None) -> str:
    return _SPACE.sub(" ", sql or "").strip().rstrip(";").casefold()


def read_layout(conn: sqlite3.Connection) -> Layout:
    """The layout of an open database, read with fixed SQL only (names are parameters)."""
    objects: dict[tuple[str, str], str] = {}
    columns: dict[str, list[Column]] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, _table, sql in rows:
        if str(name).startswith(_INTERNAL):
            continue
        objects[(str(kind), str(name))] = _normal_sql(sql)
        if kind == "table":
            columns[str(name)] = [
                (str(n), str(t).casefold(), int(nn), None if d is None else str(d), int(pk),
                 int(h))
                for n, t, nn, d, pk, h in conn.execute(
                    "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                    "FROM pragma_table_xinfo(?)", (str(name),)
                )
            ]
    return Layout(objects, columns)


def expected_layout(create: Callable[[sqlite3.Connection], None]) -> Layout:
    """What `create` (e.g. `create_schema`) builds in an empty in-memory database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create(conn)
        return read_layout(conn)
    finally:
        conn.close()


_KIND_ZH = {"table": "数据表", "index": "索引", "trigger": "触发器", "view": "视图"}


def differences(actual: Layout, expected: Layout, *, reading: bool = False
                ) -> list[tuple[str, str]]:
    """(English, Chinese) descriptions of every way `actual` differs from `expected`.

    `reading`: for a read-only opening, a missing trigger or index is tolerated (nothing is
    written, so the audit log's guard triggers have nothing to guard, and `verify()` is how a
    reader finds what a tamperer did); anything present that riskdesk did not define is not."""
    found: list[tuple[str, str]] = []
    by_name_expected = {name: kind for kind, name in expected.objects}
    for (kind, name), sql in sorted(actual.objects.items()):
        zh_kind = _KIND_ZH.get(kind, kind)
        want = by_name_expected.get(name)
        if want is None:
            found.append((f"unknown {kind} '{name}'", f"未知的{zh_kind}“{name}”"))
        elif want != kind:
            found.append((f"'{name}' is a {kind} where a {want} belongs",
                          f"“{name}”应为{_KIND_ZH.get(want, want)}，却是{zh_kind}"))
        elif kind == "table":
            if actual.columns.get(name) != expected.columns.get(name):
                have = ", ".join(c[0] for c in actual.columns.get(name, []))
                found.append((f"table '{name}' has other columns than expected ({have})",
                              f"数据表“{name}”的列与预期不同（{have}）"))
        elif sql != expected.objects[(kind, name)]:
            found.append((f"{kind} '{name}' differs from the one riskdesk defines",
                          f"{zh_kind}“{name}”与 riskdesk 定义的不同"))
    for kind, name in sorted(expected.objects):
        if reading and kind in ("trigger", "index"):
            continue
        if (kind, name) not in actual.objects and by_name_expected.get(name) == kind and not any(
            n == name for _, n in actual.objects
        ):
            found.append((f"{kind} '{name}' is missing", f"缺少{_KIND_ZH.get(kind, kind)}“{name}”"))
    return found


def refuse(path: Path, problems: list[tuple[str, str]], *, foreign: bool = False) -> ProjectError:
    shown = problems[:5]
    more = f" (+{len(problems) - 5})" if len(problems) > 5 else ""
    en = "; ".join(p[0] for p in shown) + more
    zh = "；".join(p[1] for p in shown) + more
    if foreign:
        return ProjectError(
            f"{path.name} is not a riskdesk project ({en})",
            f"{path.name} 不是 riskdesk 项目文件（{zh}）",
            code="not_a_project", file=str(path),
        )
    return ProjectError(
        f"{path.name} has been altered outside riskdesk and was not opened: {en}. A project file "
        "holds data only; restore it from a backup",
        f"{path.name} 已在 riskdesk 之外被改动，未打开：{zh}。项目文件只应包含数据；请从备份恢复",
        code="schema_mismatch", file=str(path),
    )


# --- version 0 (the first prototype) ---------------------------------------------------------

V0_COLUMNS: dict[str, frozenset[str]] = {
    "chains": frozenset({"chain_id", "chain_name", "sector", "tech_category", "strategic_value",
                         "generality", "description", "owner", "year"}),
    "indicator_values": frozenset({"chain_id", "indicator", "value", "source"}),
    "notes": frozenset({"chain_id", "text"}),
    "settings": frozenset({"key", "value"}),
}
V0_REQUIRED: dict[str, frozenset[str]] = {
    "chains": frozenset({"chain_id", "chain_name"}),
    "indicator_values": frozenset({"chain_id", "indicator", "value", "source"}),
    "notes": frozenset({"chain_id", "text"}),
    "settings": frozenset({"key", "value"}),
}


def verify_v0(conn: sqlite3.Connection, path: Path) -> None:
    """A version-0 file may hold only the prototype's tables and columns (and no code)."""
    layout = read_layout(conn)
    problems: list[tuple[str, str]] = []
    tables = {name for kind, name in layout.objects if kind == "table"}
    if not {"chains", "indicator_values"} <= tables:
        raise refuse(path, [("no chain tables", "缺少产业链数据表")], foreign=True)
    for kind, name in sorted(layout.objects):
        zh_kind = _KIND_ZH.get(kind, kind)
        if kind == "index" and layout.objects[(kind, name)] == "":
            continue
        if kind != "table" or name not in V0_COLUMNS:
            problems.append((f"unknown {kind} '{name}'", f"未知的{zh_kind}“{name}”"))
            continue
        names = {c[0] for c in layout.columns[name]}
        odd = sorted(names - V0_COLUMNS[name])
        lacking = sorted(V0_REQUIRED[name] - names)
        if odd or lacking:
            problems.append((
                f"table '{name}' has unexpected columns {odd} or lacks {lacking}",
                f"数据表“{name}”有意外的列 {odd} 或缺少 {lacking}",
            ))
    if problems:
        raise refuse(path, problems)
