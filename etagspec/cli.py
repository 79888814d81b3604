"""The ``etagspec`` command.

``etagspec check [TARGET]`` runs the conformance harness and writes its
reports. TARGET is ``package.module:attr`` (a WSGI or ASGI app, or a
zero-argument factory returning one) or the ``http://`` URL of a running
server; without it, the embedded reference app. Exit codes: see
:data:`EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from . import __version__
from ._cli_runs import (
    add_budget_options,
    add_run_options,
    add_timeout_option,
    budget_error,
    missing_dependency,
    run_and_report,
    run_keywords,
    run_options_error,
    say_error,
    target_caps,
)
from ._pipes import pipe_safe_streams
from .demo import DEMO_SERVER
from .layer_cli import add_check_layer_parser, run_check_layer
from .parser_cli import add_check_parser_parser, run_check_parser

if TYPE_CHECKING:  # the harness is imported only when a command needs it
    from .conformance.model import Report
    from .conformance.runner import Progress
    from .conformance.targets import Target

__all__ = ["main"]

DEFAULT_TARGET = "etagspec.demo:make_app"
DEFAULT_DEMO_PATHS = ("/", "/hello", "/data.json")

#: What ``etagspec check`` exits with.
EXIT_CODES = """\
exit codes:
  0  no MUST check failed (warned and lenient checks do not fail the run)
  1  a MUST check failed; with --strict, also a warned or lenient check
  2  usage error: an unknown option or check ID, a target that cannot be
     loaded or reached, a checked path whose plain GET is not 2xx, a report
     directory that cannot be written, or a run in which every check was
     skipped (it checked nothing); or a run stopped by a bound: a response
     past --max-header-bytes or --max-body-bytes (never judged on a part),
     or a run past --max-time (no verdict)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="etagspec", description="HTTP validators and conditional requests, executable."
    )
    parser.add_argument("--version", action="version", version=f"etagspec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check",
        help="run the conformance harness against a WSGI/ASGI app or a server URL",
        description="Run the conformance checks against TARGET and write reports.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "target",
        nargs="?",
        default=None,
        help="package.module:attr of a WSGI or ASGI app or factory, or http://host:port/ "
        f"of a running server (default: {DEFAULT_TARGET}, also named demo)",
    )
    check.add_argument(
        "--asgi", metavar="SPEC", help="package.module:attr of an ASGI app (forces the ASGI kind)"
    )
    add_timeout_option(check, what="one request, from connect to its last body byte,")
    check.add_argument(
        "-H",
        "--header",
        dest="headers",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header field sent with every request, e.g. credentials or a Host "
        "(repeatable; not the fields the checks set; default: none)",
    )
    check.add_argument(
        "--path",
        dest="paths",
        action="append",
        metavar="PATH",
        help="a path to check (repeatable; default: / for a target, the demo's documents)",
    )
    check.add_argument(
        "--unsafe",
        dest="unsafe_paths",
        action="append",
        default=[],
        metavar="PATH",
        help="a writable path on which PUT/DELETE checks may run (repeatable; it may "
        "answer GET with 404 until a PUT creates it; default: none, so those checks skip)",
    )
    add_run_options(
        check,
        strict_help="SHOULD-level findings and lenient readings fail the run too",
        select_help="run only these check IDs",
        prefix="COND-IMS",
    )

    _add_matrix_parser(commands)
    add_check_layer_parser(commands)
    add_check_parser_parser(commands)

    demo = commands.add_parser(
        "demo",
        help="serve the reference app on 127.0.0.1",
        description="Serve the reference app (an in-memory document store) on "
        f"http://127.0.0.1:PORT/ with the {DEMO_SERVER} WSGI server, which hands header "
        "fields to the app as sent (so `etagspec check` over the wire judges the app), "
        "until Ctrl-C.",
    )
    demo.add_argument(
        "port", nargs="?", type=int, default=8000, help="the port (default: 8000; 0: a free one)"
    )
    return parser


def _list_checks(out: TextIO) -> int:
    from .conformance import registered_checks

    for item in registered_checks():
        info = item.info
        extra = "  (--unsafe)" if info.unsafe else ""
        out.write(f"{info.id:<13} {info.level.value:<6} {info.rfc:<28} {info.title}{extra}\n")
    return 0


def _unusable_path(
    target: Target, paths: Sequence[str], unsafe_paths: Sequence[str], base_path: str = ""
) -> str | None:
    """Why the target cannot be checked at all, else None: a path whose
    plain GET gets no HTTP answer (it raised, hung, refused...), or a checked
    path whose plain GET is not 2xx (nothing about its validators could be
    learned, so every check would pass or skip without meaning). A writable
    (``--unsafe``) path may answer 404: a PUT may create it. The message
    names the request-target sent: a URL's ``base_path``, then the path."""
    from .conformance.model import ProbeRequest

    for path in dict.fromkeys([*paths, *unsafe_paths]):
        answer = target.send(ProbeRequest("GET", path))
        sent = base_path + path
        if answer.error is not None:
            return f"GET {sent} got no answer: {answer.error}"
        if path in paths and not 200 <= answer.status < 300:
            return (
                f"GET {sent} answered {answer.status}, not 2xx: give a --path that serves a "
                "representation (or --unsafe for a path a PUT creates)"
            )
    return None


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .conformance import TargetError, load_target, registered_checks, run_checks
    from .conformance.bounds import run_time_limit
    from .conformance.extra_headers import HeaderOptionError, WithHeaders, parse_header_option
    from .conformance.targets.live import URLTarget

    if args.list_checks:
        return _list_checks(out)
    known = [item.info.id for item in registered_checks()]
    problem = run_options_error(args, known=known, what="check", listing="--list-checks")
    if problem is not None:
        say_error(err, problem)
        return 2
    if args.asgi and args.target:
        say_error(err, "give either TARGET or --asgi SPEC, not both")
        return 2
    named = None if args.target == "demo" else args.target  # the plugin's short name too
    given = args.asgi or named
    spec = given or DEFAULT_TARGET
    paths = args.paths or (list(DEFAULT_DEMO_PATHS) if given is None else ["/"])
    for path in [*paths, *args.unsafe_paths]:
        if not path.startswith("/"):
            say_error(err, f"path {path!r} must start with '/'")
            return 2
    try:
        extra = [parse_header_option(text) for text in args.headers]
    except HeaderOptionError as error:
        say_error(err, str(error))
        return 2
    try:
        target = load_target(
            spec, kind="asgi" if args.asgi else None, timeout=args.timeout, **target_caps(args)
        )
    except TargetError as error:
        say_error(err, str(error))
        return 2
    base_path = target.base_path if isinstance(target, URLTarget) else ""
    if extra:
        target = WithHeaders(target, extra)

    def run(progress: Progress) -> Report | str:
        with run_time_limit(args.max_time):  # the first GETs count too
            broken = _unusable_path(target, paths, args.unsafe_paths, base_path)
            if broken is not None:
                return f"{target.name}: {broken}"
            return run_checks(
                target,
                paths,
                unsafe_paths=args.unsafe_paths,
                progress=progress,
                **run_keywords(args),
            )

    return run_and_report(args, out, err, len(args.chosen), run)


#: The kinds of campaign target (``conformance.campaign.KINDS``, spelled here
#: so that building the parser imports no harness module; a test holds them equal).
MATRIX_KINDS = ("wsgi", "asgi", "server", "layer", "parser")


def _add_matrix_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    matrix = commands.add_parser(
        "matrix",
        help="run the campaign of a targets.toml and write the reports matrix",
        description="Run every target of TOML (or those given with --only) and write "
        "their reports and the matrix (README.md, index.html, matrix.json) into --out. "
        "Exit 0 when every target ran and the reference passes, 1 when not, 2 for a "
        "usage error or an invalid TOML file.",
    )
    matrix.add_argument("toml", metavar="TOML", help="the campaign (conformance/targets.toml)")
    matrix.add_argument("--out", required=True, metavar="DIR", help="the reports directory")
    matrix.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only the targets of this name (repeatable; an app, a layer and a parser "
        "may share one: narrow with --kind); the others are kept from DIR",
    )
    matrix.add_argument(
        "--kind",
        action="append",
        default=[],
        choices=MATRIX_KINDS,
        help="run only the targets of this kind (repeatable); the others are kept from DIR",
    )
    add_budget_options(matrix, defaults=False)
    matrix.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="run up to N targets at once, each in its own process (default 1)",
    )


def _matrix(args: argparse.Namespace, err: TextIO) -> int:
    from .conformance.campaign import InvalidCampaign, load_campaign
    from .conformance.matrix import run_matrix

    problem = budget_error(args)
    if problem is not None:
        say_error(err, problem)
        return 2
    try:
        campaign = load_campaign(args.toml)
        return run_matrix(
            campaign,
            args.out,
            only=args.only,
            kinds=args.kind,
            max_examples=args.max_examples,
            seed=args.seed,
            err=err,
            jobs=args.jobs,
        )
    except InvalidCampaign as error:
        say_error(err, str(error))
        return 2


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code. Without ``out`` and
    ``err``, on the process's standard streams, where a reader that goes
    away (``| head``) ends the output quietly and leaves the exit status as
    the run decided."""
    if out is None and err is None:
        with pipe_safe_streams() as (safe_out, safe_err):
            return main(argv, safe_out, safe_err)
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    try:
        return _run(args, out, err)
    except ModuleNotFoundError as error:
        problem = missing_dependency(error, f"etagspec {args.command}")
        if problem is None:
            raise
        say_error(err, problem)
        return 2


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "check":
        return _check(args, out, err)
    if args.command == "matrix":
        return _matrix(args, err)
    if args.command == "check-layer":
        return run_check_layer(args, out, err)
    if args.command == "check-parser":
        return run_check_parser(args, out, err)
    from .demo import main as serve

    if not 0 <= args.port <= 65535:
        say_error(err, f"the port must be 0 to 65535, not {args.port}")
        return 2
    try:
        serve([str(args.port)], out)
    except OSError as error:  # the port is taken, or not ours to use
        say_error(err, f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}")
        return 2
    return 0


def entry_point() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry_point()
