"""What ``etagspec check`` and ``etagspec check-layer`` share: the options of
a run, their validation, the progress line and the report output.

Both commands take the same run options and give the same exit codes; only
what they run differs. The harness is imported only when a run starts.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_run_options(parser, strict_help="SHOULD findings fail", select_help="run only these")
>>> args = parser.parse_args(["--max-examples", "0", "--select", "NOPE"])
>>> run_options_error(args, known={"COND-IM-1"}, what="check", listing="--list-checks")
'--max-examples must be at least 1'
>>> args.max_examples = 5
>>> run_options_error(args, known={"COND-IM-1"}, what="check", listing="--list-checks")
'unknown check ID(s): NOPE (see --list-checks)'
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypedDict

if TYPE_CHECKING:  # the harness is imported only when a run needs it
    from .conformance.model import Report
    from .conformance.report import ProgressPrinter

__all__ = [
    "MAX_EXAMPLES_HELP",
    "add_run_options",
    "progress_for",
    "run_keywords",
    "run_options_error",
    "target_caps",
    "unwritable",
    "write_run_output",
]

#: What ``--max-examples`` counts, for every command that takes it.
MAX_EXAMPLES_HELP = "generated requests per check and path"


def add_run_options(parser: argparse.ArgumentParser, *, strict_help: str, select_help: str) -> None:
    """Add the options every checking command takes: ``--report-dir``,
    ``--max-examples``, ``--seed``, ``--strict``, ``--select``,
    ``--list-checks``, ``--color``, and the bounds ``--max-time``,
    ``--max-header-bytes`` and ``--max-body-bytes``."""
    parser.add_argument(
        "--report-dir", metavar="DIR", help="write report.{json,html,md} and junit.xml here"
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        default=None,
        metavar="N",
        help=MAX_EXAMPLES_HELP,
    )
    parser.add_argument(
        "--seed", type=int, default=None, metavar="N", help="random seed (same seed, same report)"
    )
    parser.add_argument("--strict", action="store_true", help=strict_help)
    parser.add_argument("--select", action="append", metavar="ID", help=select_help)
    parser.add_argument("--list-checks", action="store_true", help="list the checks and exit")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument(
        "--max-time",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the whole run after this long (exit 2, no verdict); default: no limit",
    )
    parser.add_argument(
        "--max-header-bytes",
        type=int,
        default=None,
        metavar="N",
        help="a response header section longer than this makes the target unusable "
        "(exit 2); default 1048576 (1 MiB)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=None,
        metavar="N",
        help="a response body longer than this (announced or sent) makes the target "
        "unusable (exit 2, never judged on a part); default 134217728 (128 MiB)",
    )


def unwritable(directory: str) -> str | None:
    """Why reports cannot be written into ``directory``, else None.

    >>> import os
    >>> unwritable(os.devnull).startswith("cannot write reports into ")
    True
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".etagspec-probe-"):
            pass
    except OSError as error:
        return f"cannot write reports into {directory}: {error.strerror or error}"
    return None


def run_options_error(
    args: argparse.Namespace, *, known: Collection[str], what: str, listing: str
) -> str | None:
    """Why the run options in ``args`` cannot be used, else None: too few
    examples, a ``--select`` ID not among ``known`` (the IDs of ``what``,
    which ``listing`` lists), or a report directory that cannot be written."""
    if args.max_examples is not None and args.max_examples < 1:
        return "--max-examples must be at least 1"
    if getattr(args, "max_time", None) is not None and not args.max_time > 0:
        return "--max-time must be a positive number of seconds"
    for option in ("max_header_bytes", "max_body_bytes"):
        value = getattr(args, option, None)
        if value is not None and value < 1:
            return f"--{option.replace('_', '-')} must be at least 1"
    unknown = sorted(set(args.select or ()) - set(known))
    if unknown:
        return f"unknown {what} ID(s): {', '.join(unknown)} (see {listing})"
    if args.report_dir:
        return unwritable(args.report_dir)
    return None


def run_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of a run (``run_checks``, ``check_layer``)
    from the run options, with the defaults filled in.

    >>> args = argparse.Namespace(max_examples=None, seed=0, strict=False, select=None)
    >>> sorted(run_keywords(args).items())
    [('max_examples', 40), ('max_time', None), ('seed', 0), ('select', None), ('strict', False)]
    """
    from .conformance.model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

    return {
        "max_examples": args.max_examples or DEFAULT_MAX_EXAMPLES,
        "seed": DEFAULT_SEED if args.seed is None else args.seed,
        "strict": args.strict,
        "select": args.select,
        "max_time": getattr(args, "max_time", None),
    }


class TargetCaps(TypedDict, total=False):
    """The size caps of a target (keywords of ``load_target`` and ``Bounds``)."""

    max_header_bytes: int
    max_body_bytes: int


def target_caps(args: argparse.Namespace) -> TargetCaps:
    """The size caps the run options set (``load_target``'s keywords;
    the defaults of :mod:`etagspec.conformance.bounds` when not given).

    >>> target_caps(argparse.Namespace(max_header_bytes=None, max_body_bytes=5))
    {'max_body_bytes': 5}
    """
    caps = TargetCaps()
    if getattr(args, "max_header_bytes", None) is not None:
        caps["max_header_bytes"] = args.max_header_bytes
    if getattr(args, "max_body_bytes", None) is not None:
        caps["max_body_bytes"] = args.max_body_bytes
    return caps


def progress_for(err: TextIO, total: int) -> ProgressPrinter:
    """The progress line of a run of ``total`` checks, shown only on a terminal."""
    from .conformance.report import ProgressPrinter

    return ProgressPrinter(err, total, enabled=hasattr(err, "isatty") and err.isatty())


def write_run_output(report: Report, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the report and its verdict (in colour as ``--color`` asks),
    write the report files into ``--report-dir`` if given, and return the
    exit code: the report's, or 2 when the files cannot be written."""
    from .conformance.report import render_terminal, verdict, write_reports

    color = args.color == "always" or (
        args.color == "auto" and hasattr(out, "isatty") and out.isatty()
    )
    out.write(render_terminal(report, color=color))
    out.write(verdict(report) + "\n")
    if args.report_dir:
        try:
            written = write_reports(report, args.report_dir)
        except OSError as error:
            err.write(f"etagspec: error: cannot write reports: {error}\n")
            return 2
        out.write("reports: " + ", ".join(str(path) for path in written.values()) + "\n")
    return report.exit_code
