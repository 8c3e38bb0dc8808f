"""`riskdesk template OUT.xlsx`: a blank inventory workbook to fill in by hand."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskdesk.cli.common import check_outputs, input_files, load_taxonomy_arg, writing
from riskdesk.cli.main import EXIT_OK, EXIT_USAGE, CliError
from riskdesk.core.models import Lang


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "template",
        help="write a blank inventory workbook",
        description="Write a blank inventory workbook: header row, a comment on each header with "
        "description, unit and valid range, drop-down lists and numeric ranges, a frozen header, "
        "empty sources / timeseries / trade sheets and an instructions sheet.",
    )
    p.add_argument("output", type=Path, metavar="OUT.xlsx", help="where to write the workbook")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="header language")
    p.add_argument("--taxonomy", type=Path, metavar="DIR", help="use a modified taxonomy directory")
    p.set_defaults(func=run_template)


def run_template(args: argparse.Namespace) -> int:
    from riskdesk.io.template import write_template

    lang: Lang = args.lang
    out: Path = args.output
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise CliError(f"{out}: the template is an Excel workbook; name it *.xlsx", EXIT_USAGE)
    if not out.parent.exists():
        raise CliError(f"{out.parent}: folder does not exist", EXIT_USAGE)
    check_outputs(input_files(taxonomy=args.taxonomy), [("OUT.xlsx", out)])
    taxonomy = load_taxonomy_arg(args.taxonomy)
    with writing(out):
        write_template(out, taxonomy, lang)
    print(f"已写入模板：{out}" if lang == "zh" else f"template written: {out}")
    return EXIT_OK
