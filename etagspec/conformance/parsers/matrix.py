"""The parser matrix's page: the campaign's parser targets (``kind =
"parser"`` in ``conformance/targets.toml``), run by ``etagspec matrix`` like
every other target into the same :class:`~etagspec.conformance.matrix_model.Matrix`,
written to ``reports/parsers/`` with each finding joined with its
confirmation without the harness (the campaign's ``confirm`` script, a
direct call of the library's function)::

    etagspec matrix conformance/targets.toml --out reports --kind parser

The confirmation script defines ``CONFIRMATIONS``: objects with ``parser``
(a parser target's name), ``check`` (a check ID), ``input`` (the finding's
minimal input, which the direct call uses), ``says`` (what the direct call
shows) and ``run()`` (which raises AssertionError when it does not). A
confirmation of another input than the finding's confirms nothing.
"""

from __future__ import annotations

import runpy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..matrix_model import Column, Matrix
from ..model import Status
from ..report._common import visible

__all__ = [
    "Confirmed",
    "column_from_parser_report",
    "confirm",
    "matrix_markdown",
    "unconfirmed",
]

_SYMBOLS = {
    Status.PASSED: "✓",
    Status.FAILED: "✗",
    Status.WARNED: "!",
    Status.LENIENT: "~",
    Status.SKIPPED: "–",
}


@dataclass(frozen=True)
class Confirmed:
    """A direct call's verdict on one (parser, check) finding."""

    says: str
    holds: bool
    error: str = ""
    input: str = ""


def column_from_parser_report(
    data: Mapping[str, Any],
    *,
    name: str,
    title: str,
    versions: Sequence[tuple[str, str]] = (),
) -> Column:
    """A matrix column from a parser report's JSON document
    (:meth:`~.report.ParserReport.to_json`).

    >>> data = {"seed": 1, "max_examples": 5,
    ...         "checks": [{"id": "PARSE-LIST-3", "status": "failed"}]}
    >>> column_from_parser_report(data, name="p", title="P").status("PARSE-LIST-3")
    <Status.FAILED: 'failed'>
    """
    return Column(
        name=name,
        title=title,
        kind="parser",
        versions=tuple(versions),
        statuses={str(check["id"]): Status(check["status"]) for check in data["checks"]},
        seed=int(data["seed"]),
        max_examples=int(data["max_examples"]),
    )


def _versions(column: Column) -> str:
    found = [
        f"{name} (not installed)" if version == "not installed" else f"{name} {version}"
        for name, version in column.versions
    ]
    return ", ".join(found) or "Python standard library"


def confirm(script: Path) -> dict[tuple[str, str], Confirmed]:
    """Run every confirmation of ``script``."""
    confirmations = runpy.run_path(str(script))["CONFIRMATIONS"]
    verdicts: dict[tuple[str, str], Confirmed] = {}
    for confirmation in confirmations:
        shown = repr(confirmation.input)
        try:
            confirmation.run()
        except AssertionError as error:
            verdict = Confirmed(confirmation.says, False, f"AssertionError: {error}", shown)
        except Exception as error:  # the direct call itself broke
            error_text = f"{type(error).__name__}: {error}"
            verdict = Confirmed(confirmation.says, False, error_text, shown)
        else:
            verdict = Confirmed(confirmation.says, True, "", shown)
        verdicts[(confirmation.parser, confirmation.check)] = verdict
    return verdicts


def _cell(text: str) -> str:
    return visible(text).replace("|", "\\|")


def matrix_markdown(
    matrix: Matrix,
    documents: Mapping[str, Mapping[str, Any]],
    confirmed: Mapping[tuple[str, str], Confirmed],
    *,
    notes: Sequence[str] = (),
    command: str = "",
) -> str:
    """The matrix page: a row per parser, a column per check, then each
    finding with its confirmation. ``documents`` holds each column's parser
    report (its JSON document, by target name)."""
    lines = [
        "# Parser matrix",
        "",
        "Entity-tag and HTTP-date parsers, formatters and comparison functions of Python "
        "libraries, checked with `etagspec check-parser` against RFC 9110 (the checks are "
        "docs/SPEC.md §9). Each library is reached through a small adapter module in "
        "`conformance/parsers/`; the fixed corpus of tricky values is tried first, then "
        f"Hypothesis inputs (seed {matrix.seed}, {matrix.max_examples} per check), and the "
        "first failure is shrunk. "
        f"Regenerate with `make parser-reports` ({command or 'see the Makefile'}).",
        "",
        "✓ passed, ✗ failed (MUST), ! warned (SHOULD), ~ lenient (a reading the catalogue "
        "permits for invalid input), – skipped (the library has no such function), "
        "(doc) a difference the library's own documentation announces. Every finding below is "
        "confirmed without the harness by a direct call of the library's function "
        "(`python conformance/parsers/confirm.py`).",
        "",
        "| parser | " + " | ".join(f"`{check.id}`" for check in matrix.checks) + " |",
        "|---|" + "---|" * len(matrix.checks),
    ]
    ran = [column for column in matrix.columns if column.name in documents]
    for column in ran:
        documented = {
            str(check["id"]) for check in documents[column.name]["checks"] if check["documented"]
        }
        cells = []
        for check in matrix.checks:
            status = column.status(check.id)
            cell = "" if status is None else _SYMBOLS[status]
            cells.append(cell + " (doc)" if check.id in documented else cell)
        lines.append(f"| [{column.name}]({column.name}.md) | " + " | ".join(cells) + " |")
    lines += ["", "## Parsers", ""]
    for column in ran:
        functions = documents[column.name]["functions"]
        lines.append(
            f"* **{column.name}**: {_cell(column.title)} ({_versions(column)}); "
            f"functions checked: {', '.join(functions)}"
        )
    for column in matrix.columns:
        if column.name not in documents:
            why = column.unavailable or "no report"
            lines.append(
                f"* **{column.name}**: {_cell(column.title)}: **unavailable**: {_cell(why)}"
            )
    lines += [*notes, "", "## Findings, each confirmed by a direct call", ""]
    for column in ran:
        found = [
            check
            for check in documents[column.name]["checks"]
            if check["finding"] is not None and check["status"] != Status.PASSED.value
        ]
        if not found:
            continue
        lines += [f"### {column.name}", ""]
        for check in found:
            lines.append(_finding_line(check, confirmed.get((column.name, str(check["id"])))))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _finding_line(check: Mapping[str, Any], verdict: Confirmed | None) -> str:
    """One finding of a parser report's JSON check, with its confirmation."""
    finding = check["finding"]
    cause = str(finding["signature"])
    if finding["lenient"]:
        cause = f"lenient ({finding['lenient']}): {cause}"
    if verdict is None:
        confirmation = "**not confirmed** (no direct call in confirm.py)"
    elif verdict.input != finding["input"]:
        confirmation = f"**not confirmed** (confirm.py calls it on {_cell(verdict.input)})"
    elif verdict.holds:
        confirmation = f"confirmed: {_cell(verdict.says)}"
    else:
        confirmation = f"**confirmation failed**: {_cell(verdict.says)} ({_cell(verdict.error)})"
    documented = f" Documented: {_cell(check['documented'])}." if check["documented"] else ""
    return (
        f"* `{check['id']}` {check['status']}: {_cell(cause)}. Minimal input "
        f"`{_cell(finding['input'])}` gave `{_cell(finding['got'])}` (expected "
        f"{_cell(finding['expected'])}).{documented} {confirmation}"
    )


def unconfirmed(page: str) -> int:
    """How many findings of a :func:`matrix_markdown` page no direct call
    confirms."""
    return page.count("**not confirmed**") + page.count("**confirmation failed**")
