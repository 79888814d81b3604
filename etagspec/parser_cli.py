"""``etagspec check-parser MODULE``: the parser checks (docs/SPEC.md §9) on
the command line. MODULE is an adapter module (a module name or a ``.py``
path) exposing any of ``parse_etags``, ``parse_etag``, ``format_etag``, ``parse_date``,
``format_date``, ``strong_match`` and ``weak_match``. The harness is
imported only when the command runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ._cli_runs import (
    CheckCommand,
    add_budget_options,
    add_output_options,
    add_selection_options,
    run_keywords,
    say_error,
)

__all__ = ["add_check_parser_parser", "run_check_parser"]

_DESCRIPTION = (
    "Check a library's entity-tag and HTTP-date parsers, formatters and comparison functions "
    "against RFC 9110. MODULE is an adapter module (package.module or path/to/adapter.py) "
    "defining any of parse_etags(text), parse_etag(text), format_etag(opaque, weak), "
    "parse_date(text), format_date(seconds), strong_match(a, b) and weak_match(a, b); see "
    "conformance/README.md. "
    "Exit codes: 0 when no MUST check failed (nor a SHOULD or lenient one under --strict), 1 "
    "when one did, 2 for a usage error, an adapter that cannot be loaded, or nothing checked."
)

_COMMAND = CheckCommand(
    "check-parser",
    "check a library's entity-tag and HTTP-date parsers and formatters",
    _DESCRIPTION,
    "module",
    "the adapter module or .py file",
    "MODULE (an adapter module or .py file)",
    "parser check",
    (13, 26),
)


def add_check_parser_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``check-parser`` subcommand to an argparse subparsers object."""
    parser = _COMMAND.add_to(commands)
    add_output_options(parser, files="report.json and report.md")
    add_budget_options(parser, counts="Hypothesis inputs per check, after the fixed corpus")
    add_selection_options(
        parser,
        select_help="run only these parser check IDs",
        strict_help="SHOULD-level findings and lenient readings fail the run too",
        prefix="PARSE-DATE",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown")
    return parser


def run_check_parser(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``check-parser`` for parsed ``args``; returns the exit code."""
    from .conformance.parsers import (
        AdapterError,
        check_parser,
        load_adapter,
        parser_checks,
        render_markdown,
        render_text,
    )

    refused = _COMMAND.listed_or_refused(args, out, err, [c.info for c in parser_checks()])
    if refused is not None:
        return refused
    try:
        adapter = load_adapter(args.module)
    except AdapterError as error:
        say_error(err, str(error))
        return 2
    report = check_parser(adapter, **run_keywords(args, timed=False))
    out.write(render_text(report, quiet=args.quiet))
    json_files = [args.json] if args.json else []
    markdown_files = [args.markdown] if args.markdown else []
    if args.report_dir:
        json_files.append(str(Path(args.report_dir) / "report.json"))
        markdown_files.append(str(Path(args.report_dir) / "report.md"))
    try:
        for name in json_files:
            Path(name).write_text(report.to_json_text(), encoding="utf-8")
        for name in markdown_files:
            Path(name).write_text(render_markdown(report), encoding="utf-8")
    except OSError as error:
        say_error(err, f"cannot write the report: {error}")
        return 2
    return report.exit_code
