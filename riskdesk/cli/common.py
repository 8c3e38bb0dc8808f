"""What the subcommands share: loading the taxonomy and inputs, the summary table, progress, output."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from riskdesk.cli.main import EXIT_INPUT, EXIT_USAGE, CliError
from riskdesk.core.models import Lang, Severity
from riskdesk.core.progress import ProgressFn
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy, TaxonomyError, default_taxonomy, load_taxonomy
from riskdesk.core.text import fmt_score, level_label
from riskdesk.core.trade import CountryRiskError, CountryRiskList


def add_taxonomy_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--taxonomy", type=Path, metavar="DIR", help="use a modified taxonomy directory"
    )
    parser.add_argument(
        "--country-risk",
        type=Path,
        metavar="FILE",
        help="country risk list (csv ISO3,rating or TOML)",
    )
    parser.add_argument(
        "--country", default="CHN", metavar="ISO3", help="assessed country (default CHN)"
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="output language (default zh)"
    )


def load_taxonomy_arg(directory: Path | None) -> Taxonomy:
    try:
        return default_taxonomy() if directory is None else load_taxonomy(directory)
    except TaxonomyError as exc:
        detail = "; ".join(exc.problems[:5])
        more = f" (+{len(exc.problems) - 5} more)" if len(exc.problems) > 5 else ""
        raise CliError(f"the taxonomy is invalid: {detail}{more}", EXIT_INPUT) from None


def load_country_risk(path: Path | None, taxonomy: Taxonomy) -> CountryRiskList:
    scoring = taxonomy.scoring
    if path is None:
        return CountryRiskList(
            unrated=scoring.unrated_country_risk, high_risk=scoring.high_risk_country
        )
    if not path.exists():
        raise CliError(f"{path}: country risk list not found", EXIT_USAGE)
    try:
        return CountryRiskList.load(
            path, unrated=scoring.unrated_country_risk, high_risk=scoring.high_risk_country
        )
    except CountryRiskError as exc:
        raise CliError(str(exc), EXIT_INPUT) from None


def display_width(text: str) -> int:
    """Terminal columns of a string: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch + "…") > width:
            break
        out += ch
    return out + "…"


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], stream: TextIO | None = None
) -> None:
    stream = stream or sys.stdout
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip(), file=stream)
    print("  ".join("-" * w for w in widths), file=stream)
    for row in rows:
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip(), file=stream)


SUMMARY_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("编号", "产业链", "主类型", "等级", "得分", "战略", "子战略", "稳健性"),
    "en": ("ID", "Chain", "Primary", "Level", "Score", "Strategy", "Sub-strategy", "Stability"),
}


def summary_rows(run: AssessmentRun, taxonomy: Taxonomy, lang: Lang) -> list[list[str]]:
    rows = []
    for c in run.chains:
        name = c.chain_name + (f" [{c.weakest_segment}]" if c.weakest_segment else "")
        rows.append(
            [
                c.chain_id,
                clip(name, 28),
                taxonomy.label(c.primary_type.value, lang),
                level_label(c.primary_level, lang) if c.primary_level else "—",
                fmt_score(c.primary_score, lang) if c.primary_score is not None else "—",
                taxonomy.strategy_by_id[c.strategy].name(lang),
                taxonomy.label(c.sub_strategy, lang) if c.sub_strategy else "—",
                f"{c.robustness.primary_stability:.0%}" if c.robustness else "—",
            ]
        )
    return rows


def print_summary(run: AssessmentRun, taxonomy: Taxonomy, lang: Lang) -> None:
    print_table(SUMMARY_HEADERS[lang], summary_rows(run, taxonomy, lang))
    errors = sum(1 for i in run.issues if i.severity == Severity.ERROR)
    warnings = sum(1 for i in run.issues if i.severity == Severity.WARNING)
    if lang == "zh":
        print(f"\n共 {len(run.chains)} 条产业链；数据问题：{errors} 个错误，{warnings} 个警告。")
    else:
        print(f"\n{len(run.chains)} chains; data issues: {errors} errors, {warnings} warnings.")


def text_progress(enabled: bool, stream: TextIO | None = None) -> ProgressFn | None:
    """A one-line progress bar on stderr when it is a terminal; nothing otherwise."""
    out = stream or sys.stderr
    if not enabled or not out.isatty():
        return None
    last = [-1]

    def show(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if percent == last[0]:
            return
        last[0] = percent
        bar = "#" * (percent // 4)
        out.write(f"\r[{bar:<25}] {percent:3d}% {message[:30]:<30}")
        if percent >= 100:
            out.write("\n")
        out.flush()

    return show


def write_json(path: Path, data: Any) -> None:
    from riskdesk.reports.atomic import atomic_path

    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})", EXIT_INPUT) from None


def chain_filter(run: AssessmentRun, chain_ids: list[str] | None) -> list[ChainResult]:
    if not chain_ids:
        return run.chains
    known = {c.chain_id for c in run.chains}
    unknown = [c for c in chain_ids if c not in known]
    if unknown:
        raise CliError(f"unknown chain id(s): {', '.join(unknown)}", EXIT_USAGE)
    return [c for c in run.chains if c.chain_id in chain_ids]
