"""``etagspec check-layer TARGET``: the layer harness on the command line,
with the options, exit codes and report files of ``etagspec check``. The
harness is imported only when the command runs."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ._cli_runs import (
    CheckCommand,
    add_run_options,
    add_timeout_option,
    run_and_report,
    run_keywords,
    say_error,
    target_caps,
)

__all__ = ["add_check_layer_parser", "run_check_layer"]

_DESCRIPTION = (
    "Check a conditional WSGI or ASGI layer: TARGET is package.module:attr naming "
    "wrap(app) -> app (a middleware factory; an ASGI one, whose result is an async callable "
    "of scope, receive and send, is detected, or forced with --asgi). Handler behaviours and "
    "requests are drawn with Hypothesis and run through the layer in-process. Exit codes: 0 "
    "when no MUST check failed (nor a SHOULD check under --strict), 1 when one did, 2 for a "
    "usage error, a layer that cannot be loaded, or a run stopped by a bound (a response past "
    "a size cap, a run past --max-time)."
)

_COMMAND = CheckCommand(
    "check-layer",
    "check a conditional WSGI or ASGI layer (middleware) with drawn handler behaviours",
    _DESCRIPTION,
    "target",
    "package.module:attr of wrap(app) -> app",
    "TARGET (package.module:attr)",
    "layer check",
    (15, 24),
)


def add_check_layer_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``check-layer`` subcommand to an argparse subparsers object."""
    parser = _COMMAND.add_to(commands)
    add_timeout_option(parser, what="one exchange through the layer")
    parser.add_argument(
        "--asgi",
        action="store_true",
        help="TARGET is an ASGI middleware factory (detected when wrap(app) of an ASGI app "
        "is an async callable)",
    )
    add_run_options(
        parser,
        strict_help="SHOULD-level findings fail the run too",
        select_help="run only these layer check IDs",
        prefix="LAYER-ASGI",
    )
    return parser


def run_check_layer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``check-layer`` for parsed ``args``; returns the exit code."""
    from .conformance.layers.checks import layer_checks
    from .conformance.layers.loading import load_layer, not_a_layer
    from .conformance.layers.runner import check_layer
    from .conformance.layers.target import LayerTargetError

    refused = _COMMAND.listed_or_refused(args, out, err, [c.info for c in layer_checks()])
    if refused is not None:
        return refused
    from .conformance.bounds import DEFAULT_TIMEOUT, Bounds

    bounds = Bounds(args.timeout or DEFAULT_TIMEOUT, **target_caps(args))
    try:
        target = load_layer(args.target, bounds=bounds, asgi=True if args.asgi else None)
    except LayerTargetError as error:
        say_error(err, str(error))
        return 2
    refusal = not_a_layer(target)
    if refusal is not None:
        say_error(err, refusal)
        return 2
    applicable = {check.info.id for check in layer_checks(target.protocol)}
    chosen = len(applicable.intersection(args.chosen))
    return run_and_report(
        args,
        out,
        err,
        chosen,
        lambda progress: check_layer(target, progress=progress, **run_keywords(args)),
    )
