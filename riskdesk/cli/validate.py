"""`riskdesk validate INPUT`: every problem of an inventory file as a table; exit 1 on any error."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli.common import (
    check_outputs,
    clip,
    input_files,
    load_taxonomy_arg,
    print_table,
    text_progress,
    write_json,
)
from riskdesk.cli.main import EXIT_INPUT, EXIT_OK
from riskdesk.core.models import DataIssue, Lang, Severity

HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("级别", "文件", "工作表", "行", "列", "值", "问题"),
    "en": ("Severity", "File", "Sheet", "Row", "Column", "Value", "Problem"),
}
SEVERITY_LABEL: dict[Lang, dict[Severity, str]] = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.ASSUMPTION: "假设"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.ASSUMPTION: "assumption"},
}
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ASSUMPTION: 2}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check an inventory file and list every problem",
        description="Read an inventory (xlsx, xlsm, xls, ods, csv) exactly as `assess` would and "
        "print every problem with its file, sheet, row, column and value. Exit code 1 when "
        "there is an error, 0 otherwise (warnings and assumptions do not fail).",
    )
    p.add_argument("input", type=Path, metavar="INPUT", help="inventory workbook or csv")
    p.add_argument("--json", type=Path, metavar="OUT", help="also write the problems as JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language")
    p.add_argument("--sheet", default=None, help="read this sheet as the chains list")
    p.add_argument("--taxonomy", type=Path, metavar="DIR", help="use a modified taxonomy directory")
    p.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    from riskdesk.io.issues import InventoryReadError
    from riskdesk.io.options import ImportOptions
    from riskdesk.io.preview import preview_inventory

    lang: Lang = args.lang
    check_outputs(input_files(args.input, taxonomy=args.taxonomy), [("--json", args.json)])
    taxonomy = load_taxonomy_arg(args.taxonomy)
    summary: dict[str, Any]
    try:
        preview = preview_inventory(
            args.input, taxonomy, ImportOptions(sheet=args.sheet),
            progress=text_progress(True),
        )  # fmt: skip
    except InventoryReadError as exc:
        issues = [exc.issue]
        summary = {"readable": False}
    else:
        issues = [i for group in preview.issues.values() for i in group]
        summary = {
            "readable": True,
            "file_kind": preview.file_kind,
            "encoding": preview.encoding,
            "sheet": preview.sheet,
            "header_row": preview.header_row,
            "rows_ok": preview.rows_ok,
            "rows_with_problems": preview.rows_with_problems,
            "chains": len(preview.inventory),
        }
    issues.sort(key=lambda i: (ORDER[i.severity], i.sheet or "", i.row or 0))
    counts = {s.value: sum(1 for i in issues if i.severity == s) for s in Severity}
    if issues:
        print_table(HEADERS[lang], [_row(i, lang) for i in issues])
        print()
    print(_summary_line(summary, counts, lang))
    if args.json is not None:
        write_json(
            args.json,
            {
                "file": str(args.input),
                **summary,
                "counts": counts,
                "issues": [i.model_dump(mode="json") for i in issues],
            },
        )
    return EXIT_INPUT if counts["error"] else EXIT_OK


def _row(item: DataIssue, lang: Lang) -> list[str]:
    return [
        SEVERITY_LABEL[lang][item.severity],
        Path(item.file).name if item.file else "",
        item.sheet or "",
        "" if item.row is None else str(item.row),
        clip(item.column or "", 24),
        clip(item.value or "", 20),
        item.message(lang),
    ]


def _summary_line(summary: dict[str, Any], counts: dict[str, int], lang: Lang) -> str:
    e, w, a = counts["error"], counts["warning"], counts["assumption"]
    if not summary["readable"]:
        return "文件无法读取。" if lang == "zh" else "The file cannot be read."
    where = summary["sheet"] or summary["file_kind"]
    if lang == "zh":
        enc = f"，编码 {summary['encoding']}" if summary["encoding"] else ""
        return (
            f"{where}{enc}：表头在第 {summary['header_row'] or '—'} 行，"
            f"读取 {summary['chains']} 行，"
            f"{summary['rows_ok']} 行无问题，{len(summary['rows_with_problems'])} 行有错误；"
            f"共 {e} 个错误、{w} 个警告、{a} 个假设。"
        )
    enc = f", encoding {summary['encoding']}" if summary["encoding"] else ""
    return (
        f"{where}{enc}: header on row {summary['header_row'] or '—'}, {summary['chains']} rows "
        f"read, {summary['rows_ok']} without problems, {len(summary['rows_with_problems'])} with "
        f"errors; {e} error(s), {w} warning(s), {a} assumption(s)."
    )
