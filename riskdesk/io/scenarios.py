"""Read a scenario library (TOML, `schema = 1`) with located, bilingual problems.

The file is data only: it is parsed with `tomllib` (nothing is evaluated or imported), bounded in
size and in the number of scenarios, and every problem names the file, the scenario (its number
and id), the key and the value as written — like a spreadsheet cell's address. All problems of a
file are reported at once (up to `MAX_PROBLEMS`), not only the first.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from riskdesk.core.errors import Location, UserError, shorten
from riskdesk.core.models import DataIssue, Severity
from riskdesk.core.scenarios import SCHEMA_VERSION, Scenario, ScenarioLibrary

MAX_SCENARIO_BYTES = 1024 * 1024
MAX_SCENARIOS = 500
MAX_PROBLEMS = 100
TOP_KEYS = ("schema", "scenario")
SCENARIO_KEYS = tuple(
    (f.alias or name) for name, f in Scenario.model_fields.items()
)  # the keys as written in the file


class ScenarioFileError(UserError):
    """A scenario library that cannot be used; `issues` lists every located problem."""

    def __init__(self, issues: list[DataIssue]) -> None:
        first = issues[0]
        more_zh = f"（另有 {len(issues) - 1} 处问题）" if len(issues) > 1 else ""
        more_en = f" (and {len(issues) - 1} more problem(s))" if len(issues) > 1 else ""
        super().__init__(
            "scenario_file_invalid",
            f"{first.location('zh')}：{first.message_zh}{more_zh}",
            f"{first.location('en')}: {first.message_en}{more_en}",
            location=Location(
                file=first.file, sheet=first.sheet, column=first.column, value=first.value
            ),
        )
        self.issues = issues


def _problem(
    file: str, zh: str, en: str, *, where: str | None = None, key: str | None = None,
    value: object = None, code: str = "scenario_invalid",
) -> DataIssue:  # fmt: skip
    return DataIssue(
        severity=Severity.ERROR,
        code=code,
        message_zh=zh,
        message_en=en,
        file=file,
        sheet=where,
        column=key,
        value=None if value is None else shorten(value),
    )


def read_scenario_library(path: Path) -> ScenarioLibrary:
    """The library in `path`, or `ScenarioFileError` naming every problem."""
    file = str(path)
    try:
        if not path.is_file():
            raise ScenarioFileError([_problem(
                file, "不是普通文件（文件夹、设备或管道）", "not a regular file (a folder, device or pipe)",
                code="scenario_not_file")])  # fmt: skip
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioFileError([_problem(
                file, f"文件过大（{size} 字节，上限 {MAX_SCENARIO_BYTES} 字节）",
                f"the file is too large ({size} bytes; at most {MAX_SCENARIO_BYTES})",
                value=size, code="scenario_file_too_large")])  # fmt: skip
        with path.open("rb") as fh:
            data = fh.read(MAX_SCENARIO_BYTES + 1)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise ScenarioFileError([_problem(file, f"无法读取（{why}）", f"cannot be read ({why})",
                                          code="scenario_unreadable")]) from None  # fmt: skip
    if len(data) > MAX_SCENARIO_BYTES:  # grew while being read
        raise ScenarioFileError([_problem(
            file, "文件过大", "the file is too large", code="scenario_file_too_large")])  # fmt: skip
    return parse_scenario_library(data, file)


def parse_scenario_library(data: bytes, file: str = "<scenarios>") -> ScenarioLibrary:
    """Parse the bytes of a library (the sha256 is of exactly these bytes)."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError([_problem(
            file, f"不是 UTF-8 文本（第 {exc.start} 字节）", f"not UTF-8 text (at byte {exc.start})",
            code="scenario_not_utf8")]) from None  # fmt: skip
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError([_problem(
            file, f"不是有效的 TOML（{exc}）", f"not valid TOML ({exc})", code="scenario_not_toml")
        ]) from None  # fmt: skip
    except RecursionError:
        raise ScenarioFileError([_problem(
            file, "嵌套过深，无法读取", "nested too deeply to be read", code="scenario_not_toml")
        ]) from None  # fmt: skip
    problems: list[DataIssue] = [
        _problem(
            file, f"未知的顶层键 {key}（可用：schema、[[scenario]]）",
            f"unknown top-level key '{key}' (allowed: schema, [[scenario]])", key=key,
            value=raw[key])
        for key in raw
        if key not in TOP_KEYS
    ]  # fmt: skip
    schema = raw.get("schema")
    if schema != SCHEMA_VERSION or isinstance(schema, bool):
        problems.append(_problem(
            file, f"schema 须为 {SCHEMA_VERSION}" + ("（缺失）" if schema is None else ""),
            f"schema must be {SCHEMA_VERSION}" + (" (missing)" if schema is None else ""),
            key="schema", value=schema))  # fmt: skip
    items = raw.get("scenario")
    if not isinstance(items, list) or not items:
        problems.append(_problem(
            file, "没有情景：需要至少一个 [[scenario]] 表", "no scenarios: at least one [[scenario]] "
            "table is needed", key="scenario", value=None if items is None else items))  # fmt: skip
        raise ScenarioFileError(problems)
    if len(items) > MAX_SCENARIOS:
        problems.append(_problem(
            file, f"情景过多（{len(items)} 个，上限 {MAX_SCENARIOS}）",
            f"too many scenarios ({len(items)}; at most {MAX_SCENARIOS})", key="scenario",
            value=len(items), code="scenario_too_many"))  # fmt: skip
        raise ScenarioFileError(problems)
    scenarios: list[Scenario] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        where = _where(number, item)
        if not isinstance(item, dict):
            problems.append(_problem(
                file, "须为表（[[scenario]]）", "must be a table ([[scenario]])", where=where,
                value=item))  # fmt: skip
            continue
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as err:
            problems += [_from_pydantic(file, where, e, item) for e in err.errors()]
            continue
        if scenario.id in seen:
            problems.append(_problem(
                file, f"情景编号 {scenario.id} 与第 {seen[scenario.id]} 个情景重复",
                f"scenario id {scenario.id} repeats scenario #{seen[scenario.id]}", where=where,
                key="id", value=scenario.id))  # fmt: skip
            continue
        seen[scenario.id] = number
        scenarios.append(scenario)
    if problems:
        raise ScenarioFileError(problems[:MAX_PROBLEMS])
    return ScenarioLibrary.of(scenarios, data, source=file)


def _where(number: int, item: object) -> str:
    sid = item.get("id") if isinstance(item, dict) else None
    shown = f" ({shorten(sid, 40)})" if isinstance(sid, str) and sid else ""
    return f"scenario #{number}{shown}"


def _key_path(loc: tuple[int | str, ...]) -> str:
    """('shock', 0, 'cut') → 'shock[1].cut' (tables counted from 1, as the analyst counts)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out


def _value_at(item: dict[str, Any], loc: tuple[int | str, ...]) -> object:
    value: object = item
    for part in loc:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


_ZH = {
    "extra_forbidden": "未知的键",
    "missing": "缺少必填键",
    "literal_error": "取值不在允许范围内",
    "less_than_equal": "超过上限",
    "less_than": "超过上限",
    "greater_than": "须大于下限",
    "greater_than_equal": "低于下限",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "string_type": "须为文字",
    "tuple_type": "须为列表",
    "too_long": "条目过多",
    "too_short": "不能为空",
    "string_too_long": "文字过长",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "只能包含字母、数字和 _ . -",
    "finite_number": "须为有限数字",
    "model_type": "须为表",
}


def _brief(value: object) -> object:
    """A table or list of tables (e.g. every ramp) shown briefly: its partners."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return ", ".join(str(v.get("partner", "?")) for v in value) or None
    return value


def _from_pydantic(file: str, where: str, error: Any, item: dict[str, Any]) -> DataIssue:
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    key = _key_path(loc) or None
    value = _value_at(item, loc) if loc else None
    ctx = error.get("ctx") or {}
    if kind == "scenario_rule":  # a rule across keys: located at the key it names
        if loc:
            value = _value_at(item, loc)
        else:
            key = str(ctx.get("key", "")) or None
            value = item.get(key) if key else None
        return _problem(file, str(ctx.get("zh", message)), message, where=where, key=key,
                        value=_brief(value))  # fmt: skip
    if kind == "extra_forbidden":
        allowed = ", ".join(SCENARIO_KEYS) if len(loc) == 1 else None
        en = f"unknown key '{loc[-1]}'" + (f" (allowed: {allowed})" if allowed else "")
        zh = f"未知的键 {loc[-1]}" + (f"（可用：{allowed}）" if allowed else "")
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        en = f"{key} = {shorten(value)} is not one of {expected}"
        zh = f"{key} 的取值 {shorten(value)} 不在允许范围内（{expected}）"
    elif kind in ("less_than_equal", "less_than", "greater_than", "greater_than_equal"):
        en = f"{key} = {shorten(value)}: {message}"
        bound = next(iter(error.get("ctx", {}).values()), "")
        zh = f"{key} = {shorten(value)}：{_ZH[kind]}（{bound}）"
    elif kind == "value_error":
        en, zh = message, message
        if not loc:
            key = None
    else:
        en = f"{key}: {message}" if key else message
        zh = f"{key}：{_ZH.get(kind, message)}" if key else _ZH.get(kind, message)
    return _problem(file, zh, en, where=where, key=key, value=value)
