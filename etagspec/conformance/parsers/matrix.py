"""The published parser matrix: every adapter of ``conformance/parsers.toml``
checked with the parser checks, each finding joined with its confirmation
without the harness (``conformance/parsers/confirm.py``, a direct call of
the library's function), written to ``reports/parsers/``::

    python -m etagspec.conformance.parsers.matrix conformance/parsers.toml --out reports/parsers

The confirmation script defines ``CONFIRMATIONS``: objects with ``parser``
(a ``[[parser]]`` name), ``check`` (a check ID), ``input`` (the finding's
minimal input, which the direct call uses), ``says`` (what the direct call
shows) and ``run()`` (which raises AssertionError when it does not). A
confirmation of another input than the finding's confirms nothing.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import runpy
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import __version__
from ..model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, Status
from ..report._common import visible
from .adapter import load_adapter
from .checks import parser_checks
from .report import ParserReport, render_markdown
from .runner import check_parser

__all__ = ["Confirmed", "ParserEntry", "main", "matrix_markdown"]

_SYMBOLS = {
    Status.PASSED: "✓",
    Status.FAILED: "✗",
    Status.WARNED: "!",
    Status.LENIENT: "~",
    Status.SKIPPED: "–",
}


@dataclass(frozen=True)
class ParserEntry:
    """One ``[[parser]]`` of the configuration."""

    name: str
    title: str
    adapter: str
    packages: tuple[str, ...]


@dataclass(frozen=True)
class Confirmed:
    """A direct call's verdict on one (parser, check) finding."""

    says: str
    holds: bool
    error: str = ""
    input: str = ""


def _entries(config: dict[str, Any], base: Path) -> list[ParserEntry]:
    return [
        ParserEntry(
            str(item["name"]),
            str(item["title"]),
            str(base / item["adapter"])
            if str(item["adapter"]).endswith(".py")
            else item["adapter"],
            tuple(item.get("packages", ())),
        )
        for item in config["parser"]
    ]


def _versions(packages: Sequence[str]) -> str:
    found = []
    for package in packages:
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found) or "Python standard library"


def _confirm(script: Path) -> dict[tuple[str, str], Confirmed]:
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
    entries: Sequence[ParserEntry],
    reports: Sequence[ParserReport],
    confirmed: dict[tuple[str, str], Confirmed],
    *,
    notes: Sequence[str] = (),
    command: str = "",
) -> str:
    """The matrix page: a row per parser, a column per check, then each
    finding with its confirmation."""
    checks = [check.info for check in parser_checks()]
    seed = reports[0].seed if reports else DEFAULT_SEED
    examples = reports[0].max_examples if reports else DEFAULT_MAX_EXAMPLES
    lines = [
        "# Parser matrix",
        "",
        "Entity-tag and HTTP-date parsers, formatters and comparison functions of Python "
        "libraries, checked with `etagspec check-parser` against RFC 9110 (the checks are "
        "docs/SPEC.md §9). Each library is reached through a small adapter module in "
        "`conformance/parsers/`; the fixed corpus of tricky values is tried first, then "
        f"Hypothesis inputs (seed {seed}, {examples} per check), and the first failure is shrunk. "
        f"Regenerate with `make parser-reports` ({command or 'see the Makefile'}).",
        "",
        "✓ passed, ✗ failed (MUST), ! warned (SHOULD), ~ lenient (a reading the catalogue "
        "permits for invalid input), – skipped (the library has no such function), "
        "(doc) a difference the library's own documentation announces. Every finding below is "
        "confirmed without the harness by a direct call of the library's function "
        "(`python conformance/parsers/confirm.py`).",
        "",
        "| parser | " + " | ".join(f"`{info.id}`" for info in checks) + " |",
        "|---|" + "---|" * len(checks),
    ]
    for entry, report in zip(entries, reports, strict=True):
        cells = []
        for result in report.results:
            cell = _SYMBOLS[result.status]
            cells.append(cell + " (doc)" if result.documented else cell)
        lines.append(f"| [{entry.name}]({entry.name}.md) | " + " | ".join(cells) + " |")
    lines += ["", "## Parsers", ""]
    for entry, report in zip(entries, reports, strict=True):
        lines.append(
            f"* **{entry.name}**: {_cell(entry.title)} ({_versions(entry.packages)}); "
            f"functions checked: {', '.join(report.functions)}"
        )
    lines += [*notes, "", "## Findings, each confirmed by a direct call", ""]
    for entry, report in zip(entries, reports, strict=True):
        found = [
            r for r in report.results if r.finding is not None and r.status is not Status.PASSED
        ]
        if not found:
            continue
        lines += [f"### {entry.name}", ""]
        for result in found:
            finding = result.finding
            assert finding is not None
            cause = finding.signature
            if finding.lenient:
                cause = f"lenient ({finding.lenient}): {cause}"
            verdict = confirmed.get((entry.name, result.check.id))
            if verdict is None:
                confirmation = "**not confirmed** (no direct call in confirm.py)"
            elif verdict.input != finding.input:
                confirmation = f"**not confirmed** (confirm.py calls it on {_cell(verdict.input)})"
            elif verdict.holds:
                confirmation = f"confirmed: {_cell(verdict.says)}"
            else:
                confirmation = (
                    f"**confirmation failed**: {_cell(verdict.says)} ({_cell(verdict.error)})"
                )
            documented = f" Documented: {_cell(result.documented)}." if result.documented else ""
            lines.append(
                f"* `{result.check.id}` {result.status.value}: {_cell(cause)}. Minimal input "
                f"`{_cell(finding.input)}` gave `{_cell(finding.got)}` (expected "
                f"{_cell(finding.expected)}).{documented} {confirmation}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the parser matrix (reports/parsers/).")
    parser.add_argument("config", help="conformance/parsers.toml")
    parser.add_argument("--out", required=True, help="the directory to write")
    args = parser.parse_args(argv)
    config_path = Path(args.config)
    config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    campaign = config.get("campaign", {})
    base = config_path.parent
    seed = int(campaign.get("seed", DEFAULT_SEED))
    max_examples = int(campaign.get("max_examples", DEFAULT_MAX_EXAMPLES))
    entries = _entries(config, base)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    reports = []
    for entry in entries:
        print(f"checking {entry.name}", file=sys.stderr)
        report = check_parser(load_adapter(entry.adapter), seed=seed, max_examples=max_examples)
        reports.append(report)
        (out / f"{entry.name}.md").write_text(render_markdown(report), encoding="utf-8")
        (out / f"{entry.name}.json").write_text(report.to_json_text(), encoding="utf-8")
    confirmed = _confirm(base / campaign.get("confirm", "parsers/confirm.py"))
    notes = [f"* {note}" for note in campaign.get("notes", ())]
    command = f"python -m etagspec.conformance.parsers.matrix {args.config} --out {args.out}"
    page = matrix_markdown(entries, reports, confirmed, notes=notes, command=command)
    (out / "README.md").write_text(page.replace("\n\n\n", "\n\n"), encoding="utf-8")
    unconfirmed = page.count("**not confirmed**") + page.count("**confirmation failed**")
    print(
        f"etagspec {__version__}: {len(entries)} parsers, {unconfirmed} findings unconfirmed",
        file=sys.stderr,
    )
    return 1 if unconfirmed else 0


if __name__ == "__main__":  # pragma: no cover - command line
    sys.exit(main())
