"""``etagspec check-layer TARGET``: the layer harness on the command line,
with the options, exit codes and report files of ``etagspec check``. The
harness is imported only when the command runs."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ._cli_runs import (
    add_run_options,
    progress_for,
    run_keywords,
    run_options_error,
    target_caps,
    write_run_output,
)

__all__ = ["add_check_layer_parser", "run_check_layer"]

_DESCRIPTION = (
    "Check a conditional WSGI layer: TARGET is package.module:attr naming wrap(app) -> app "
    "(a middleware factory). Handler behaviours and requests are drawn with Hypothesis and "
    "run through the layer in-process. Exit codes: 0 when no MUST check failed (nor a SHOULD "
    "check under --strict), 1 when one did, 2 for a usage error, a layer that cannot be loaded, "
    "or a run stopped by a bound (a response past a size cap, a run past --max-time)."
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
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long one exchange through the layer may take; default 10",
    )
    add_run_options(
        parser,
        strict_help="SHOULD-level findings fail the run too",
        select_help="run only these layer check IDs",
    )
    return parser


def run_check_layer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``check-layer`` for parsed ``args``; returns the exit code."""
    from .conformance.layers.checks import layer_checks
    from .conformance.layers.runner import check_layer
    from .conformance.layers.target import LayerTargetError, load_layer

    if args.list_checks:
        for check in layer_checks():
            info = check.info
            out.write(f"{info.id:<15} {info.level.value:<6} {info.rfc:<24} {info.title}\n")
        return 0
    if args.target is None:
        err.write("etagspec: error: check-layer needs TARGET (package.module:attr)\n")
        return 2
    known = {check.info.id for check in layer_checks()}
    listing = "check-layer --list-checks"
    problem = run_options_error(args, known=known, what="layer check", listing=listing)
    if problem is not None:
        err.write(f"etagspec: error: {problem}\n")
        return 2
    if args.timeout is not None and not args.timeout > 0:
        err.write("etagspec: error: --timeout must be a positive number of seconds\n")
        return 2
    from .conformance.bounds import DEFAULT_TIMEOUT, Bounds

    bounds = Bounds(args.timeout or DEFAULT_TIMEOUT, **target_caps(args))
    try:
        target = load_layer(args.target, bounds=bounds)
    except LayerTargetError as error:
        err.write(f"etagspec: error: {error}\n")
        return 2
    progress = progress_for(err, len(args.select or known))
    try:
        report = check_layer(target, progress=progress, **run_keywords(args))
    except Exception as error:  # a layer that cannot even be built: say so, no traceback
        progress.finish()
        err.write(f"etagspec: error: the run stopped: {type(error).__name__}: {error}\n")
        return 2
    progress.finish()
    return write_run_output(report, args, out, err)
