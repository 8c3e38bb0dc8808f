"""A blank inventory workbook an analyst fills in by hand (`riskdesk template OUT.xlsx`).

Header row in the chosen language (every header is an alias the importer knows), a comment on
each header with id, description, unit and valid range, drop-down validation for tech_category,
numeric ranges for shares, levels and counts, a frozen header, empty `sources` / `timeseries` /
`trade` sheets with their headers, and an instructions sheet. Written to a temporary file and
renamed, so a failed write never leaves half a workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from riskdesk.core.models import Lang, TechCategory
from riskdesk.core.taxonomy import Indicator, Taxonomy
from riskdesk.io.atomic import atomic_path
from riskdesk.io.headers import RATIO_INPUTS

PROFILE_LABELS: dict[str, tuple[str, str, str, str]] = {
    # id: (zh header, en header, zh note, en note)
    "chain_id": (
        "产业链编号",
        "chain id",
        "必填；每条产业链唯一（分环节时与环节一起唯一）",
        "required; unique per chain (with segment, per chain × segment)",
    ),
    "chain_name": ("产业链名称", "chain name", "必填", "required"),
    "segment": (
        "环节",
        "segment",
        "可选：设计/材料/设备/制造/封测/应用 等",
        "optional: design / materials / equipment / manufacturing / …",
    ),
    "sector": ("行业", "sector", "可选", "optional"),
    "tech_category": ("技术类别", "tech category", "从下拉列表选择", "choose from the list"),
    "strategic_value": ("战略价值", "strategic value", "1–5 的整数", "whole number 1–5"),
    "generality": ("通用性", "generality", "1–5 的整数", "whole number 1–5"),
    "description": ("说明", "description", "可选", "optional"),
    "owner": ("责任处室", "owner", "可选", "optional"),
    "year": ("年份", "year", "数据所属年份，如 2024", "year of the data, e.g. 2024"),
}
RATIO_LABELS = {
    "ttr_days": (
        "恢复时间(天)",
        "time to recover (days)",
        "与生存时间一起给出时自动计算 TTR/TTS",
        "with time to survive, TTR/TTS is computed",
    ),
    "tts_days": (
        "生存时间(天)",
        "time to survive (days)",
        "与恢复时间一起给出时自动计算 TTR/TTS",
        "with time to recover, TTR/TTS is computed",
    ),
}
SHEET_NAMES = {
    "zh": {
        "chains": "产业链清单",
        "sources": "数据来源",
        "timeseries": "指标时间序列",
        "trade": "贸易数据",
        "instructions": "填写说明",
    },
    "en": {
        "chains": "chains",
        "sources": "sources",
        "timeseries": "timeseries",
        "trade": "trade",
        "instructions": "instructions",
    },
}
LONG_HEADERS = {
    "sources": ["chain_id", "segment", "indicator", "evidence", "year", "illustrative"],
    "timeseries": ["chain_id", "segment", "indicator", "year", "value"],
    "trade": ["product", "reporter", "partner", "year", "flow", "value"],
}
MAX_ROW = 5000
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def write_template(path: Path, taxonomy: Taxonomy, lang: Lang = "zh") -> Path:
    """Write the blank inventory workbook to `path` (atomically) and return it."""
    wb = Workbook()
    names = SHEET_NAMES[lang]
    chains = wb.active
    assert chains is not None
    chains.title = names["chains"]
    _chains_sheet(chains, taxonomy, lang)
    for key, header in LONG_HEADERS.items():
        ws = wb.create_sheet(names[key])
        ws.append(header)
        _style_header(ws, len(header))
    _instructions(wb.create_sheet(names["instructions"]), taxonomy, lang)
    _text_stays_text(wb)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _text_stays_text(wb: Workbook) -> None:
    """Taxonomy labels are text: one that starts with "=" must not become a live formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"


def _style_header(ws: Worksheet, width: int) -> None:
    for c in range(1, width + 1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.freeze_panes = "A2"


def _chains_sheet(ws: Worksheet, taxonomy: Taxonomy, lang: Lang) -> None:
    zh = lang == "zh"
    columns: list[tuple[str, str, str, Indicator | None]] = []
    for field, (h_zh, h_en, n_zh, n_en) in PROFILE_LABELS.items():
        columns.append((field, h_zh if zh else h_en, n_zh if zh else n_en, None))
    for ind in taxonomy.indicators:
        note = _indicator_note(ind, lang)
        columns.append((ind.id, ind.name_zh if zh else ind.name_en, note, ind))
        if ind.id == "ttr_tts_ratio":
            for field, (h_zh, h_en, n_zh, n_en) in RATIO_LABELS.items():
                assert field in RATIO_INPUTS
                columns.append((field, h_zh if zh else h_en, n_zh if zh else n_en, None))
    for c, (field, header, note, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.comment = Comment(f"{field}\n{note}", "riskdesk", width=260, height=140)
    _style_header(ws, len(columns))
    for c, (field, _, _, spec) in enumerate(columns, start=1):
        letter = get_column_letter(c)
        span = f"{letter}2:{letter}{MAX_ROW}"
        validation = _validation(field, spec, taxonomy, lang)
        if validation is not None:
            validation.add(span)
            ws.add_data_validation(validation)
        if spec is not None and spec.kind in ("share", "share_delta", "rate"):
            for r in range(2, 202):
                ws.cell(row=r, column=c).number_format = "0.0%"


def _indicator_note(ind: Indicator, lang: Lang) -> str:
    low = "" if ind.valid_min is None else f"{ind.valid_min:g}"
    high = "" if ind.valid_max is None else f"{ind.valid_max:g}"
    if lang == "zh":
        rng = f"有效范围 {low or '−∞'} – {high or '∞'}"
        pct = "；比例可填 0.9 或 90%" if ind.kind in ("share", "share_delta") else ""
        return f"{ind.description_zh}\n单位：{ind.unit}；{rng}{pct}"
    rng = f"valid {low or '−∞'} – {high or '∞'}"
    pct = "; shares as 0.9 or 90%" if ind.kind in ("share", "share_delta") else ""
    return f"{ind.description_en}\nunit: {ind.unit}; {rng}{pct}"


def _validation(
    field: str, ind: Indicator | None, taxonomy: Taxonomy, lang: Lang
) -> DataValidation | None:
    zh = lang == "zh"
    if field == "tech_category":
        labels = taxonomy.columns.tech_category_labels
        options = [labels.get(c, [c.value])[0] if zh else c.value for c in TechCategory]
        return DataValidation(
            type="list",
            formula1='"' + ",".join(options) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="技术类别" if zh else "tech category",
            error=("请从列表中选择" if zh else "choose a value from the list"),
        )
    if field in ("strategic_value", "generality"):
        return _range("whole", 1, 5, zh)
    if field == "year":
        return _range("whole", 1900, 2100, zh)
    if ind is None:
        return _range("decimal", 0, None, zh) if field in RATIO_INPUTS else None
    return _range("whole" if ind.kind == "count" else "decimal", ind.valid_min, ind.valid_max, zh)


def _range(
    kind: Literal["whole", "decimal"], low: float | None, high: float | None, zh: bool
) -> DataValidation | None:
    if low is None and high is None:
        return None
    operator: Literal["between", "greaterThanOrEqual", "lessThanOrEqual"]
    f2: str | None = None
    if high is None:
        operator, f1 = "greaterThanOrEqual", f"{low:g}"
    elif low is None:
        operator, f1 = "lessThanOrEqual", f"{high:g}"
    else:
        operator, f1, f2 = "between", f"{low:g}", f"{high:g}"
    shown = f"{'' if low is None else f'{low:g}'} – {'' if high is None else f'{high:g}'}"
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=f1,
        formula2=f2,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="超出范围" if zh else "out of range",
        error=(f"有效范围：{shown}" if zh else f"valid range: {shown}"),
    )


def _instructions(ws: Worksheet, taxonomy: Taxonomy, lang: Lang) -> None:
    names = SHEET_NAMES[lang]
    if lang == "zh":
        lines = [
            "riskdesk 产业链清单模板 — 填写说明",
            "",
            (
                f"1. 在「{names['chains']}」表中每行填写一条产业链（或产业链的一个环节）。"
                "产业链编号与名称必填；其余可留空（留空即“缺失”，不会按 0 计算）。"
            ),
            "2. 列名可用中文名、英文名或指标编号；表头上方可以有标题行。",
            "3. 比例类指标可填 0.9、90% 或 ９０％；列名注明 (%) 时 90 按 90% 理解。",
            "4. 技术类别从下拉列表选择：新兴技术 / 核心技术 / 基础零部件与材料 / 成熟技术。",
            "5. 同时填写恢复时间与生存时间（天）时，自动计算 TTR/TTS。",
            (
                f"6.「{names['sources']}」表为单个数值注明出处与是否为示意数据；"
                f"「{names['timeseries']}」表填历年指标值（如 RCA，用于计算趋势）；"
                f"「{names['trade']}」表为 UN Comtrade 式贸易数据（reporter/partner 为 ISO3 代码，"
                "flow 为 export/import 或 出口/进口，value 为美元）。"
            ),
            "7. 导入前可运行 riskdesk validate 文件名 检查；每个问题都会给出行、列和原值。",
            "",
            (
                f"指标目录：{taxonomy.name}（{len(taxonomy.indicators)} 项），"
                "各列批注中有说明、单位和有效范围。"
            ),
        ]
    else:
        lines = [
            "riskdesk inventory template — how to fill it in",
            "",
            (
                f"1. In '{names['chains']}', one row per chain (or per chain segment). chain id "
                "and chain name are required; leave anything unknown blank "
                "(blank is missing, never 0)."
            ),
            (
                "2. Headers may be the Chinese name, the English name or the indicator id; a title "
                "row above the header is fine."
            ),
            "3. Shares may be written 0.9 or 90%; with (%) in the header, 90 means 90%.",
            "4. tech category: choose emerging / core / foundational / mature from the list.",
            "5. With both time to recover and time to survive (days), TTR/TTS is computed.",
            (
                f"6. '{names['sources']}' gives evidence and an illustrative flag per value; "
                f"'{names['timeseries']}' holds yearly values (e.g. RCA, for its trend); "
                f"'{names['trade']}' is a UN Comtrade-style table (reporter/partner as ISO3 codes, "
                "flow export/import, value in USD)."
            ),
            (
                "7. Check a file with `riskdesk validate FILE`: every problem names row, "
                "column and value."
            ),
            "",
            (
                f"Indicator catalogue: {taxonomy.name} ({len(taxonomy.indicators)} indicators); "
                "each header's comment gives description, unit and valid range."
            ),
        ]
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 120
    ws["A1"].font = Font(bold=True, size=13)
