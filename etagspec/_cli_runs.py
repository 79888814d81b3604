"""What the commands of ``etagspec`` share: each option of a run defined
once (the budget, the selection, strictness, the report directory, ``-q``,
the bounds, ``--timeout``), their validation, the progress line and the report
output.

``check`` and ``check-layer`` take every run option, ``check-parser`` the
budget, the selection, ``--strict``, ``--report-dir`` and ``-q``,
``matrix`` the budget; all give the
same exit codes. The harness is imported only when a run starts.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_run_options(parser, strict_help="SHOULD findings fail", select_help="run only these",
...                 prefix="COND-IMS")
>>> args = parser.parse_args(["--max-examples", "0", "--select", "NOPE"])
>>> run_options_error(args, known=["COND-IM-1"], what="check", listing="--list-checks")
'--max-examples must be at least 1'
>>> args.max_examples = 5
>>> run_options_error(args, known=["COND-IM-1"], what="check", listing="--list-checks")
'unknown check ID or prefix: NOPE (see --list-checks)'
>>> args = parser.parse_args(["--select", "cond-im,COND-IMS-2", "--exclude", "COND-IM-4a"])
>>> run_options_error(args, known=["COND-IM-1", "COND-IM-4a", "COND-IMS-2"], what="check",
...                   listing="--list-checks") is None
True
>>> args.chosen
['COND-IM-1', 'COND-IMS-2']
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypedDict

if TYPE_CHECKING:  # the harness is imported only when a run needs it
    from .conformance.model import CheckInfo, Report
    from .conformance.report import ProgressPrinter
    from .conformance.report.progress_log import LogProgress

__all__ = [
    "HARNESS_DEPENDENCIES",
    "MAX_EXAMPLES_HELP",
    "CheckCommand",
    "add_budget_options",
    "add_output_options",
    "add_run_options",
    "add_selection_options",
    "add_timeout_option",
    "budget_error",
    "missing_dependency",
    "progress_for",
    "run_and_report",
    "run_keywords",
    "run_options_error",
    "say_error",
    "target_caps",
    "unwritable",
    "write_run_output",
]

#: What ``--max-examples`` counts, for every command that takes it.
MAX_EXAMPLES_HELP = "generated requests per check and path"


@dataclass(frozen=True)
class CheckCommand:
    """A check command (``check-layer``, ``check-parser``): its ``name``,
    its help (``summary``, ``description``), its one optional operand
    (``operand`` is its argparse name, ``about`` its help, ``needs`` what
    the error of a missing one calls it), what its checks are called
    (``what``) and the columns of its ``--list-checks`` (ID, RFC)."""

    name: str
    summary: str
    description: str
    operand: str
    about: str
    needs: str
    what: str
    widths: tuple[int, int]

    def add_to(self, commands: Any) -> argparse.ArgumentParser:
        """Add the command, with its operand, to an argparse subparsers object."""
        parser: argparse.ArgumentParser = commands.add_parser(
            self.name, help=self.summary, description=self.description
        )
        parser.add_argument(self.operand, nargs="?", default=None, help=self.about)
        return parser

    def listed_or_refused(
        self, args: argparse.Namespace, out: TextIO, err: TextIO, checks: Sequence[CheckInfo]
    ) -> int | None:
        """What the command does before it loads what it checks: with
        ``--list-checks``, list ``checks`` and return 0; without its
        operand, or with run options that cannot be used, say why in one
        line and return 2; else None, ``args.chosen`` holding the checks to
        run."""
        if args.list_checks:
            id_width, rfc_width = self.widths
            for info in checks:
                row = f"{info.id:<{id_width}} {info.level.value:<6} {info.rfc:<{rfc_width}}"
                out.write(f"{row} {info.title}\n")
            return 0
        if getattr(args, self.operand) is None:
            say_error(err, f"{self.name} needs {self.needs}")
            return 2
        known = [info.id for info in checks]
        listing = f"{self.name} --list-checks"
        problem = run_options_error(args, known=known, what=self.what, listing=listing)
        if problem is not None:
            say_error(err, problem)
            return 2
        return None


def add_budget_options(
    parser: argparse.ArgumentParser, *, defaults: bool = True, counts: str = MAX_EXAMPLES_HELP
) -> None:
    """Add ``--max-examples`` (which ``counts`` what) and ``--seed`` (with
    ``defaults``, their default values in the help; without, the command
    takes them from elsewhere, a campaign file)."""
    from .conformance.model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

    examples = f" (default: {DEFAULT_MAX_EXAMPLES})" if defaults else ""
    seed = f" (default: {DEFAULT_SEED})" if defaults else ""
    parser.add_argument(
        "--max-examples",
        type=int,
        default=None,
        metavar="N",
        help=f"{counts}{examples}",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help=f"random seed: same seed, same report{seed}",
    )


def add_selection_options(
    parser: argparse.ArgumentParser, *, select_help: str, strict_help: str, prefix: str
) -> None:
    """Add ``--select``, ``--exclude``, ``--list-checks`` and ``--strict``;
    the help of ``--select`` shows ``prefix``, one that selects checks of
    the command."""
    parser.add_argument("--strict", action="store_true", help=strict_help)
    parser.add_argument(
        "--select",
        action="append",
        metavar="IDS",
        help=f"{select_help}: IDs or prefixes such as {prefix}, any case, comma separated "
        "or repeated (default: all)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="IDS",
        help="leave out these check IDs or prefixes (as --select; default: none)",
    )
    parser.add_argument("--list-checks", action="store_true", help="list the checks and exit")


def add_output_options(parser: argparse.ArgumentParser, *, files: str) -> None:
    """Add ``--report-dir`` (which writes ``files``) and ``-q/--quiet``."""
    parser.add_argument(
        "--report-dir", metavar="DIR", help=f"write {files} here (default: no files)"
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the failures and the verdict line (default: every check)",
    )


def add_timeout_option(parser: argparse.ArgumentParser, *, what: str) -> None:
    """Add ``--timeout``: how long ``what`` may take."""
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"how long {what} may take (default: 10)",
    )


def add_run_options(
    parser: argparse.ArgumentParser, *, strict_help: str, select_help: str, prefix: str
) -> None:
    """Add the options every checking command takes: ``--report-dir``,
    ``--max-examples``, ``--seed``, ``--strict``, ``-q/--quiet``,
    ``--select``, ``--exclude``, ``--list-checks``, ``--color``, and the
    bounds ``--max-time``, ``--max-header-bytes`` and ``--max-body-bytes``."""
    add_output_options(parser, files="report.{json,html,md} and junit.xml")
    add_budget_options(parser)
    add_selection_options(parser, select_help=select_help, strict_help=strict_help, prefix=prefix)
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colours (default: auto, on a terminal)",
    )
    parser.add_argument(
        "--max-time",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the whole run after this long, exit 2 with no verdict (default: no limit)",
    )
    parser.add_argument(
        "--max-header-bytes",
        type=int,
        default=None,
        metavar="N",
        help="a response header section longer than this makes the target unusable "
        "(exit 2) (default: 1048576, 1 MiB)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=None,
        metavar="N",
        help="a response body longer than this (announced or sent) makes the target "
        "unusable (exit 2, never judged on a part) (default: 134217728, 128 MiB)",
    )


#: The harness's dependencies and what they bring, by import name (one
#: missing means an install with ``--no-deps``).
HARNESS_DEPENDENCIES = frozenset(
    {"hypothesis", "sortedcontainers", "webtest", "webob", "waitress", "bs4", "soupsieve"}
)


def missing_dependency(error: ModuleNotFoundError, needs: str) -> str | None:
    """The one line that says what ``needs`` (a command, an option) lacks
    when ``error`` is a harness dependency missing (an install with
    ``--no-deps``); None when the missing module is another one.

    >>> absent = ModuleNotFoundError(name="hypothesis.strategies")
    >>> print(missing_dependency(absent, "etagspec check"))
    etagspec check needs hypothesis (a dependency of etagspec that --no-deps left out): \
pip install etagspec, without --no-deps
    >>> missing_dependency(ModuleNotFoundError(name="myapp"), "etagspec check") is None
    True
    """
    missing = (error.name or "").partition(".")[0]
    if missing not in HARNESS_DEPENDENCIES:
        return None
    return (
        f"{needs} needs {missing} (a dependency of etagspec that --no-deps left out): "
        "pip install etagspec, without --no-deps"
    )


def say_error(err: TextIO, message: str) -> None:
    """Print ``etagspec: error: MESSAGE`` as one line, every control
    character in it escaped: a message may quote a target's bytes (a
    status line, a field, an exception's text), and none of them may move
    the cursor, ring the bell or start a second line on the user's terminal.

    >>> import io
    >>> stream = io.StringIO()
    >>> say_error(stream, "bad status line: 'HTTP/1.1 200\\x1b[2J\\r\\nX: 1'")
    >>> stream.getvalue()
    "etagspec: error: bad status line: 'HTTP/1.1 200\\\\x1b[2J\\\\x0d\\\\x0aX: 1'\\n"
    """
    from ._display import visible

    err.write(f"etagspec: error: {visible(message)}\n")


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
    args: argparse.Namespace, *, known: Sequence[str], what: str, listing: str
) -> str | None:
    """Why the run options in ``args`` cannot be used, else None: too few
    examples, a ``--select``/``--exclude`` item that names none of ``known``
    (the IDs of ``what``, which ``listing`` lists) or a choice that leaves
    nothing, or a report directory that cannot be written. When they can,
    ``args.chosen`` is the list of check IDs to run."""
    from .conformance.selection import UnknownCheckError, choose_checks

    problem = budget_error(args)
    if problem is not None:
        return problem
    if getattr(args, "max_time", None) is not None and not args.max_time > 0:
        return "--max-time must be a positive number of seconds"
    if getattr(args, "timeout", None) is not None and not args.timeout > 0:
        return "--timeout must be a positive number of seconds"
    for option in ("max_header_bytes", "max_body_bytes"):
        value = getattr(args, option, None)
        if value is not None and value < 1:
            return f"--{option.replace('_', '-')} must be at least 1"
    try:
        args.chosen = choose_checks(known, args.select, args.exclude, what=what)
    except UnknownCheckError as error:
        return f"{error} (see {listing})"
    if getattr(args, "report_dir", None):
        return unwritable(args.report_dir)
    return None


def budget_error(args: argparse.Namespace) -> str | None:
    """Why ``--max-examples`` cannot be used, else None.

    >>> budget_error(argparse.Namespace(max_examples=0))
    '--max-examples must be at least 1'
    """
    if args.max_examples is not None and args.max_examples < 1:
        return "--max-examples must be at least 1"
    return None


def run_keywords(args: argparse.Namespace, *, timed: bool = True) -> dict[str, Any]:
    """The keyword arguments of a run (``run_checks``, ``check_layer``,
    ``check_parser`` without ``timed``) from the run options, with the
    defaults filled in.

    >>> args = argparse.Namespace(max_examples=None, seed=0, strict=False, chosen=["CMP-USE-1"])
    >>> sorted(run_keywords(args).items())  # doctest: +NORMALIZE_WHITESPACE
    [('max_examples', 40), ('max_time', None), ('seed', 0),
     ('select', ['CMP-USE-1']), ('strict', False)]
    """
    from .conformance.model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

    keywords: dict[str, Any] = {
        "max_examples": args.max_examples or DEFAULT_MAX_EXAMPLES,
        "seed": DEFAULT_SEED if args.seed is None else args.seed,
        "strict": args.strict,
        "select": args.chosen,
    }
    if timed:
        keywords["max_time"] = getattr(args, "max_time", None)
    return keywords


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


def progress_for(err: TextIO, total: int, *, quiet: bool = False) -> ProgressPrinter | LogProgress:
    """The progress of a run of ``total`` checks on ``err``: one updating
    line on a terminal; elsewhere (a CI log, a file) plain lines at each
    check's end and every :data:`~etagspec.conformance.report.progress_log.LOG_INTERVAL`
    seconds, so that a long run shows it is alive; none under ``-q``."""
    from .conformance.report import ProgressPrinter
    from .conformance.report.progress_log import LogProgress

    if quiet:
        return ProgressPrinter(err, total, enabled=False)
    if hasattr(err, "isatty") and err.isatty():
        return ProgressPrinter(err, total, enabled=True)
    return LogProgress(err, total)


def run_and_report(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    total: int,
    run: Callable[[ProgressPrinter | LogProgress], Report | str],
) -> int:
    """Run ``run`` with the progress of ``total`` checks, then print and
    write its report (:func:`write_run_output`) and return the exit code.
    A ``run`` that returns a message instead of a report, or raises (a
    harness bug, a target or layer that raised, a bound passed), stops
    with that one line and exit 2, no traceback."""
    progress = progress_for(err, total, quiet=args.quiet)
    try:
        report = run(progress)
    except Exception as error:
        progress.finish()
        say_error(err, f"the run stopped: {type(error).__name__}: {error}")
        return 2
    progress.finish()
    if isinstance(report, str):
        say_error(err, report)
        return 2
    return write_run_output(report, args, out, err)


def write_run_output(report: Report, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the report and its verdict (in colour as ``--color`` asks),
    write the report files into ``--report-dir`` if given, and return the
    exit code: the report's, or 2 when the files cannot be written."""
    from .conformance.report import render_terminal, verdict, write_reports

    color = args.color == "always" or (
        args.color == "auto" and hasattr(out, "isatty") and out.isatty()
    )
    out.write(render_terminal(report, color=color, quiet=args.quiet))
    out.write(verdict(report) + "\n")
    if args.report_dir:
        try:
            written = write_reports(report, args.report_dir)
        except OSError as error:
            say_error(err, f"cannot write reports: {error}")
            return 2
        if not args.quiet:
            out.write("reports: " + ", ".join(str(path) for path in written.values()) + "\n")
    if report.checked_nothing:
        say_error(
            err,
            "nothing was checked: every check was skipped (see the notes above), "
            "so this run is not a pass",
        )
    return report.exit_code
