"""What the subcommands share: loading the taxonomy and inputs, the summary table, progress, output."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from riskdesk.cli.main import EXIT_INPUT, EXIT_USAGE, CliError
from riskdesk.core.effective import EffectiveResult, EffectiveRun
from riskdesk.core.errors import Location
from riskdesk.core.models import DataIssue, Lang, Severity
from riskdesk.core.progress import ProgressFn
from riskdesk.core.results import AssessmentRun, ChainResult
from riskdesk.core.taxonomy import Taxonomy, TaxonomyError, default_taxonomy, load_taxonomy
from riskdesk.core.text import fmt_score, level_label
from riskdesk.core.trade import CountryRiskError, CountryRiskList

if TYPE_CHECKING:
    from riskdesk.reports.options import ReportOptions


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
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    print_rows(headers, widths, rows, stream)


def print_rows(
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[str]],
    stream: TextIO | None = None,
) -> None:
    """A table whose column widths are already known."""
    stream = stream or sys.stdout
    line = "  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip(), file=stream)
    print("  ".join("-" * w for w in widths), file=stream)
    for row in rows:
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip(), file=stream)


SUMMARY_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("编号", "产业链", "主类型", "等级", "得分", "战略", "子战略", "稳健性"),
    "en": ("ID", "Chain", "Primary", "Level", "Score", "Strategy", "Sub-strategy", "Stability"),
}


def summary_row(c: ChainResult, taxonomy: Taxonomy, lang: Lang) -> list[str]:
    name = c.chain_name + (f" [{c.weakest_segment}]" if c.weakest_segment else "")
    return [
        c.chain_id,
        clip(name, 28),
        taxonomy.label(c.primary_type.value, lang),
        level_label(c.primary_level, lang) if c.primary_level else "—",
        fmt_score(c.primary_score, lang) if c.primary_score is not None else "—",
        taxonomy.strategy_by_id[c.strategy].name(lang),
        taxonomy.label(c.sub_strategy, lang) if c.sub_strategy else "—",
        f"{c.robustness.primary_stability:.0%}" if c.robustness else "—",
    ]


def summary_rows(run: AssessmentRun, taxonomy: Taxonomy, lang: Lang) -> list[list[str]]:
    return [summary_row(c, taxonomy, lang) for c in run.chains]


class SummaryTable:
    """The console summary, fed chain by chain: a row is kept as one short string (its cells
    joined) and the column widths grow with the rows, so no chain result is held for it."""

    SEP = "\x1f"

    def __init__(self, taxonomy: Taxonomy, lang: Lang) -> None:
        self.taxonomy = taxonomy
        self.lang = lang
        self.widths = [display_width(h) for h in SUMMARY_HEADERS[lang]]
        self.rows: list[str] = []

    def add(self, chains: Iterable[ChainResult]) -> None:
        for c in chains:
            row = summary_row(c, self.taxonomy, self.lang)
            self.widths = [max(w, display_width(x)) for w, x in zip(self.widths, row, strict=True)]
            self.rows.append(self.SEP.join(row))

    def print(self, issues: Sequence[DataIssue]) -> None:
        print_rows(SUMMARY_HEADERS[self.lang], self.widths,
                   (r.split(self.SEP) for r in self.rows))  # fmt: skip
        errors = sum(1 for i in issues if i.severity == Severity.ERROR)
        warnings = sum(1 for i in issues if i.severity == Severity.WARNING)
        if self.lang == "zh":
            print(f"\n共 {len(self.rows)} 条产业链；数据问题：{errors} 个错误，{warnings} 个警告。")
        else:
            print(f"\n{len(self.rows)} chains; data issues: {errors} errors, {warnings} warnings.")


def print_summary(run: AssessmentRun, taxonomy: Taxonomy, lang: Lang) -> None:
    table = SummaryTable(taxonomy, lang)
    table.add(run.chains)
    table.print(run.issues)


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


# --- outputs ------------------------------------------------------------------------------------
# An output path that resolves to an input (or to another output of the same run) would replace
# the analyst's file with a report: refused before anything is read or written.


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """(real path, (st_dev, st_ino) when the file exists): symlinks and hard links compare equal."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError:
        return real, None
    return real, (st.st_dev, st.st_ino)


def input_files(*paths: Path | None, taxonomy: Path | None = None,
                project: Path | None = None) -> list[Path]:
    """The files a command reads: plain inputs, a taxonomy folder's files, a project's files."""
    from riskdesk.core.taxonomy import TAXONOMY_FILES

    found = [p for p in paths if p is not None]
    if taxonomy is not None:
        found += [taxonomy / name for name in TAXONOMY_FILES]
    if project is not None:
        found += [project, *(project.with_name(project.name + s)
                             for s in ("-wal", "-shm", "-journal", ".lock"))]
    return found


def check_outputs(inputs: Iterable[Path | None], outputs: Iterable[tuple[str, Path | None]]) -> None:
    """Refuse (exit 2) an output that is an input, another output of the run, or a folder.

    `outputs` pairs the option that named the path (e.g. "--xlsx") with the path. Paths are
    compared after resolving symlinks, and by device and inode when the file exists (hard links).
    """
    seen_inputs = [(p, *_identity(p)) for p in inputs if p is not None]
    seen_outputs: list[tuple[str, Path, str, tuple[int, int] | None]] = []
    for option, out in outputs:
        if out is None:
            continue
        real, inode = _identity(out)
        if os.path.isdir(real):
            raise CliError.of(
                "output_is_folder",
                f"{option} {out} 是文件夹；请给出要写入的文件名",
                f"{option} {out} is a folder; give the name of the file to write",
                EXIT_USAGE, Location(file=str(out)),
            )
        if os.path.exists(real) and not os.path.isfile(real):
            # A device or a pipe would be *replaced* by the atomic rename (as root, /dev/full
            # becomes a regular file): refuse it like a folder.
            raise CliError.of(
                "output_not_regular",
                f"{option} {out} 不是普通文件（设备、管道等）；请给出要写入的文件名",
                f"{option} {out} is not a regular file (a device, a pipe, …); give the name of "
                "the file to write",
                EXIT_USAGE, Location(file=str(out)),
            )
        for path, other_real, other_inode in seen_inputs:
            if real == other_real or (inode is not None and inode == other_inode):
                raise CliError.of(
                    "output_is_input",
                    f"{option} {out} 与输入文件 {path} 是同一个文件；为保护输入，没有写入任何文件。"
                    "请换一个输出路径",
                    f"{option} {out} is the same file as the input {path}; nothing was written, "
                    "to protect the input. Choose another output path",
                    EXIT_USAGE, Location(file=str(out)),
                )
        for other_option, other, other_real, other_inode in seen_outputs:
            if real == other_real or (inode is not None and inode == other_inode):
                raise CliError.of(
                    "output_twice",
                    f"{option} {out} 与 {other_option} {other} 是同一个文件；请为每个输出给出不同的路径",
                    f"{option} {out} and {other_option} {other} are the same file; give each "
                    "output its own path",
                    EXIT_USAGE, Location(file=str(out)),
                )
        seen_outputs.append((option, out, real, inode))


def report_outputs(args: argparse.Namespace) -> list[tuple[str, Path | None]]:
    """Every output a command was asked to write, with the option that named it (the guard
    refuses one that is an input or another output)."""
    return [("--json", args.json), ("--pdf", args.pdf), ("--xlsx", args.xlsx),
            ("--docx", getattr(args, "docx", None))]  # fmt: skip


def report_writer(fmt: str) -> Callable[..., Path]:
    """The exporter of one format, imported when needed (keeps start-up fast)."""
    if fmt == "pdf":
        from riskdesk.reports.pdf import write_pdf

        return write_pdf
    if fmt == "xlsx":
        from riskdesk.reports.xlsx import write_xlsx

        return write_xlsx
    from riskdesk.reports.docx_report import write_docx

    return write_docx


def report_options(args: argparse.Namespace, chains: list[str] | None,
                   **extra: object) -> ReportOptions:
    """The report options a command's arguments give (cover fields, marking), for `chains`
    (None: all), plus `extra` fields such as notes or approvals."""
    from riskdesk.reports.options import ReportOptions

    fields: dict[str, object] = {
        "lang": args.lang,
        "chains": chains,
        "organisation": args.organisation,
        "author": args.author,
        **extra,
    }
    if args.marking is not None:
        fields["marking"] = args.marking
    return ReportOptions.model_validate(fields)


def write_reports(args: argparse.Namespace, run: AssessmentRun | EffectiveRun,
                  options: ReportOptions, *, inventory: Any, taxonomy: Taxonomy,
                  progress: ProgressFn | None = None, changes: Any = None) -> list[Path]:
    """The PDF, Excel and Word reports a command was asked for; returns the paths written.
    `changes` (the previous round's diff) goes to the PDF and Word reports, which say it."""
    from riskdesk.core.progress import sub_progress

    asked = [(fmt, path) for fmt, path in (("pdf", args.pdf), ("xlsx", args.xlsx),
                                           ("docx", getattr(args, "docx", None))) if path]  # fmt: skip
    for i, (fmt, path) in enumerate(asked):
        step = sub_progress(progress, i / len(asked), (i + 1) / len(asked))
        since = {} if fmt == "xlsx" else {"changes": changes}
        with writing(path):
            report_writer(fmt)(run, path, options, inventory=inventory, taxonomy=taxonomy,
                               progress=step, **since)  # fmt: skip
    return [path for _, path in asked]


def write_failed(path: Path, exc: OSError) -> CliError:
    """The sentence for an output that could not be written, naming the path the user gave."""
    why = exc.strerror or str(exc)
    return CliError.of(
        "cannot_write",
        f"无法写入 {path}（{why}）；原有文件（如有）保持不变",
        f"cannot write {path} ({why}); any existing file there is unchanged",
        EXIT_INPUT, Location(file=str(path)),
    )


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an OSError while writing `path` into one sentence that names `path`."""
    try:
        yield
    except OSError as exc:
        if exc.filename not in (None, str(path)):
            raise CliError.of(
                "cannot_write",
                f"写入 {path} 时无法访问 {exc.filename}（{exc.strerror or exc}）",
                f"while writing {path}, {exc.filename} could not be used "
                f"({exc.strerror or exc})",
                EXIT_INPUT, Location(file=str(path)),
            ) from None
        raise write_failed(path, exc) from None


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically; an iterator anywhere in `data` is written item by item (streamed),
    so a run's chains need never be one large list of dicts in memory."""
    from riskdesk.io.atomic import atomic_path

    try:
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for chunk in iter_json(data):
                fh.write(chunk)
            fh.write("\n")
    except OSError as exc:
        raise write_failed(path, exc) from None


def iter_json(value: Any, indent: str = "") -> Iterator[str]:
    """`json.dumps(value, indent=2, ensure_ascii=False)` in pieces; iterators count as lists.

    Only the containers on the way to an iterator are walked here; everything else (e.g. one
    chain's result) is encoded by the json module in one call, at C speed."""
    inner = indent + "  "
    if isinstance(value, dict) and _holds_iterator(value):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + "\n" + inner + json.dumps(str(key), ensure_ascii=False)
            yield ": "
            yield from iter_json(item, inner)
        yield "\n" + indent + "}"
    elif isinstance(value, Iterator) and not isinstance(value, str | bytes):
        first = True
        for item in value:
            yield ("[" if first else ",") + "\n" + inner
            first = False
            yield from iter_json(item, inner)
        yield "[]" if first else "\n" + indent + "]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", "\n" + indent) if indent and "\n" in text else text


def _holds_iterator(value: dict[Any, Any]) -> bool:
    return any(isinstance(v, Iterator) or (isinstance(v, dict) and _holds_iterator(v))
               for v in value.values())


def run_json(run: EffectiveRun, chains: Iterable[EffectiveResult] | None = None) -> dict[str, Any]:
    """`run.to_json_dict()` with the chains as a generator, for `write_json` to stream; `chains`
    (when given) replaces the run's own, e.g. results made one at a time."""
    header = run.model_dump(mode="json", exclude={"chains"})
    items = run.chains if chains is None else chains
    return {
        name: (c.to_json_dict() for c in items) if name == "chains"
        else header[name]
        for name in type(run).model_fields
        if name == "chains" or name in header
    }


def streamed_json(
    header: AssessmentRun, chains: Iterable[ChainResult], taxonomy: Taxonomy
) -> dict[str, Any]:
    """What `run_json(effective_run(run, {}, taxonomy))` gives for the run `header` + `chains`
    (nothing decided yet), each chain's effective result made as the JSON is written."""
    from riskdesk.core.effective import effective_result, effective_run

    sha = header.taxonomy.sha256
    return run_json(
        effective_run(header, {}, taxonomy),
        (effective_result(c, None, taxonomy, computed_with=sha) for c in chains),
    )


def chain_filter(run: AssessmentRun, chain_ids: list[str] | None) -> list[ChainResult]:
    if not chain_ids:
        return run.chains
    known = {c.chain_id for c in run.chains}
    unknown = [c for c in chain_ids if c not in known]
    if unknown:
        raise CliError(f"unknown chain id(s): {', '.join(unknown)}", EXIT_USAGE)
    return [c for c in run.chains if c.chain_id in chain_ids]
