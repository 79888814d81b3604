"""``etagspec check-layer TARGET``: the layer harness on the command line,
with the options, exit codes and report files of ``etagspec check``. The
harness is imported only when the command runs."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

__all__ = ["add_check_layer_parser", "run_check_layer"]

_DESCRIPTION = (
    "Check a conditional WSGI layer: TARGET is package.module:attr naming wrap(app) -> app "
    "(a middleware factory). Handler behaviours and requests are drawn with Hypothesis and "
    "run through the layer in-process. Exit codes: 0 when no MUST check failed (nor a SHOULD "
    "check under --strict), 1 when one did, 2 for a usage error or a layer that cannot be loaded."
)


def add_check_layer_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``check-layer`` subcommand to an argparse subparsers object."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "check-layer",
        help="check a conditional WSGI layer (middleware) with drawn handler behaviours",
        description=_DESCRIPTION,
    )
    parser.add_argument(
        "target", nargs="?", help="package.module:attr of wrap(app) -> app", default=None
    )
    parser.add_argument(
        "--report-dir", metavar="DIR", help="write report.{json,html,md} and junit.xml here"
    )
    parser.add_argument(
        "--max-examples", type=int, default=None, metavar="N", help="Hypothesis examples per check"
    )
    parser.add_argument(
        "--seed", type=int, default=None, metavar="N", help="random seed (same seed, same report)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="SHOULD-level findings fail the run too"
    )
    parser.add_argument(
        "--select", action="append", metavar="ID", help="run only these layer check IDs"
    )
    parser.add_argument("--list-checks", action="store_true", help="list the checks and exit")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser


def run_check_layer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``check-layer`` for parsed ``args``; returns the exit code."""
    from .conformance.layers.checks import layer_checks
    from .conformance.layers.runner import check_layer
    from .conformance.layers.target import LayerTargetError, load_layer
    from .conformance.model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED
    from .conformance.report import ProgressPrinter, render_terminal, write_reports

    if args.list_checks:
        for check in layer_checks():
            info = check.info
            out.write(f"{info.id:<15} {info.level.value:<6} {info.rfc:<24} {info.title}\n")
        return 0
    if args.target is None:
        err.write("etagspec: error: check-layer needs TARGET (package.module:attr)\n")
        return 2
    if args.max_examples is not None and args.max_examples < 1:
        err.write("etagspec: error: --max-examples must be at least 1\n")
        return 2
    known = {check.info.id for check in layer_checks()}
    unknown = sorted(set(args.select or ()) - known)
    if unknown:
        err.write(
            f"etagspec: error: unknown layer check ID(s): {', '.join(unknown)} "
            "(see check-layer --list-checks)\n"
        )
        return 2
    try:
        target = load_layer(args.target)
    except LayerTargetError as error:
        err.write(f"etagspec: error: {error}\n")
        return 2
    interactive = hasattr(err, "isatty") and err.isatty()
    color = args.color == "always" or (
        args.color == "auto" and hasattr(out, "isatty") and out.isatty()
    )
    progress = ProgressPrinter(err, len(args.select or known), enabled=interactive)
    try:
        report = check_layer(
            target,
            max_examples=args.max_examples or DEFAULT_MAX_EXAMPLES,
            seed=DEFAULT_SEED if args.seed is None else args.seed,
            select=args.select,
            strict=args.strict,
            progress=progress,
        )
    except Exception as error:  # a layer that cannot even be built: say so, no traceback
        progress.finish()
        err.write(f"etagspec: error: the run stopped: {type(error).__name__}: {error}\n")
        return 2
    progress.finish()
    out.write(render_terminal(report, color=color))
    if args.report_dir:
        written = write_reports(report, args.report_dir)
        out.write("reports: " + ", ".join(str(path) for path in written.values()) + "\n")
    return report.exit_code
