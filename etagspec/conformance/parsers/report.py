"""The outcome of ``etagspec check-parser``: a result per parser check, with
the same statuses and exit codes as the other harness reports, rendered as
text, JSON or Markdown. A finding is a function call, not an HTTP exchange,
so it has its own small record (:class:`~.checks.ParserFinding`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..model import CheckInfo, Status, exit_status, fails_the_run, status_counts
from ..report._common import plural, visible
from .checks import ParserFinding

__all__ = ["ParserReport", "ParserResult", "render_markdown", "render_text"]


@dataclass(frozen=True)
class ParserResult:
    """The verdict on one check. ``documented`` quotes the library's own
    documentation when the adapter declares the finding a documented
    difference (it then does not fail the run)."""

    check: CheckInfo
    status: Status
    finding: ParserFinding | None = None
    calls: int = 0
    note: str = ""
    documented: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            **self.check.to_json(),
            "status": self.status.value,
            "calls": self.calls,
            "note": self.note,
            "documented": self.documented or None,
            "finding": self.finding.to_json() if self.finding else None,
        }


@dataclass(frozen=True)
class ParserReport:
    """One run of the parser checks against one adapter."""

    name: str
    functions: tuple[str, ...]
    seed: int
    max_examples: int
    strict: bool
    version: str
    results: tuple[ParserResult, ...]

    @property
    def summary(self) -> dict[str, int]:
        return status_counts(result.status for result in self.results)

    def failed(self) -> list[ParserResult]:
        """The results that fail the run: FAILED ones (WARNED and LENIENT
        too under ``strict``), unless documented by the library."""
        return [
            result
            for result in self.results
            if fails_the_run(result.status, strict=self.strict) and not result.documented
        ]

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 when a check failed, 2 when every check
        was skipped (the adapter defines nothing that was checked)."""
        nothing = all(result.status is Status.SKIPPED for result in self.results)
        return exit_status(failed=bool(self.failed()), checked_nothing=nothing)

    def to_json(self) -> dict[str, Any]:
        return {
            "parser": self.name,
            "functions": list(self.functions),
            "seed": self.seed,
            "max_examples": self.max_examples,
            "strict": self.strict,
            "etagspec_version": self.version,
            "summary": self.summary,
            "checks": [result.to_json() for result in self.results],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"


def _verdict(report: ParserReport) -> str:
    if report.exit_code == 2:
        return "NOTHING CHECKED: the adapter defines none of the checked functions"
    failing = report.failed()
    return "PASS" if not failing else f"FAIL: {plural(len(failing), 'check')} failed"


def _status_word(result: ParserResult) -> str:
    word = result.status.value
    return f"{word} (documented)" if result.documented else word


def _finding_lines(finding: ParserFinding, indent: str) -> list[str]:
    lines = [
        f"{indent}input:      {visible(finding.input)}",
        f"{indent}got:        {visible(finding.got)}",
        f"{indent}expected:   {visible(finding.expected)}",
        f"{indent}root cause: "
        + (f"lenient ({finding.lenient}): " if finding.lenient else "")
        + visible(finding.signature),
        f"{indent}why:        {visible(finding.explanation)}",
        f"{indent}reproduce:  {visible(finding.reproduce)}",
    ]
    return lines


def render_text(report: ParserReport, *, quiet: bool = False) -> str:
    """The report as terminal text: a line per check, each finding in full
    (with ``quiet``, only the checks that did not pass or skip, and the
    verdict line)."""
    lines = [
        f"etagspec check-parser: {visible(report.name)} "
        f"({', '.join(report.functions)}), seed {report.seed}, "
        f"{report.max_examples} examples per check",
        "",
    ]
    results = report.results
    if quiet:
        lines = []
        results = tuple(r for r in results if r.status not in (Status.PASSED, Status.SKIPPED))
    for result in results:
        info = result.check
        lines.append(f"{_status_word(result):<20} {info.id:<13} {info.level.value:<6} {info.title}")
        if result.note:
            lines.append(f"{'':21}note: {visible(result.note)}")
        if result.documented:
            lines.append(f"{'':21}documented: {visible(result.documented)}")
        if result.finding is not None and result.status is not Status.PASSED:
            lines += _finding_lines(result.finding, " " * 21)
    counts = report.summary
    if not quiet:
        lines += ["", ", ".join(f"{counts[s.value]} {s.value}" for s in Status)]
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return visible(text).replace("|", "\\|").replace("`", "'")


def render_markdown(report: ParserReport) -> str:
    """The report as a Markdown page: a table of checks, then each finding."""
    lines = [
        f"# {_cell(report.name)}: parser checks",
        "",
        f"Functions checked: {', '.join(f'`{name}`' for name in report.functions)}. "
        f"Seed {report.seed}, {report.max_examples} examples per check. "
        f"Verdict: **{_verdict(report)}**.",
        "",
        "| Check | Level | Rule | Status | Root cause |",
        "|---|---|---|---|---|",
    ]
    for result in report.results:
        cause = ""
        if result.finding is not None and result.status is not Status.PASSED:
            cause = result.finding.signature
            if result.finding.lenient:
                cause = f"lenient ({result.finding.lenient}): {cause}"
        elif result.note:
            cause = result.note
        lines.append(
            f"| `{result.check.id}` | {result.check.level.value} | {_cell(result.check.title)} "
            f"| {_status_word(result)} | {_cell(cause)} |"
        )
    for result in report.results:
        finding = result.finding
        if finding is None or result.status is Status.PASSED:
            continue
        lines += ["", f"## `{result.check.id}`: {_cell(result.check.title)}", ""]
        if result.documented:
            lines += [f"Documented by the library: {_cell(result.documented)}", ""]
        lines += [
            f"* input: `{_cell(finding.input)}`",
            f"* got: `{_cell(finding.got)}`",
            f"* expected: {_cell(finding.expected)}",
            f"* why: {_cell(finding.explanation)}",
            "",
            "```sh",
            visible(finding.reproduce),
            "```",
        ]
    return "\n".join(lines) + "\n"
