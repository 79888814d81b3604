"""The report as GitHub-flavoured Markdown: ``report.md`` (for a pull
request comment or a CI job summary)."""

from __future__ import annotations

import re

from etagspec.conformance.model import CheckInfo, CheckResult, Failure, Report, Status

from ._common import (
    ATTENTION,
    CLASS_LABELS,
    class_counts,
    decisive_probe_text,
    deviation_checks_text,
    failure_text,
    feature_rows,
    plural,
    root_cause_line,
    root_causes,
    sorted_results,
    summary_line,
    verdict,
    visible,
)

__all__ = ["render_markdown"]

SYMBOLS: dict[Status, str] = {
    Status.PASSED: "✅",
    Status.FAILED: "❌",
    Status.WARNED: "⚠️",
    Status.LENIENT: "🟦",
    Status.SKIPPED: "⏭",
}

# Characters that could start Markdown or raw HTML syntax inside a line
# (``|`` ends a table cell); each is backslash-escaped (CommonMark §2.4).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
_BACKTICKS = re.compile(r"`+")


def md(text: str) -> str:
    """``text`` as literal inline Markdown on one line.

    >>> md("a | b <script> *x*")
    'a \\\\| b \\\\<script\\\\> \\\\*x\\\\*'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(visible(text, multiline=True).split()))


def fenced(text: str, language: str = "") -> str:
    """``text`` in a fenced code block that nothing inside can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{visible(text, multiline=True)}\n{fence}"


def _failure(index: int, total: int, failure: Failure, check: CheckInfo) -> list[str]:
    text = failure_text(failure, check)
    return [
        f"#### Finding {index} of {total}",
        "",
        "Request:",
        "",
        fenced(text.request, "http"),
        "",
        "Response:",
        "",
        fenced(text.response, "http"),
        "",
        f"- **Expected:** {md(text.expected)}",
        f"- **Why:** {md(text.why)}",
        f"- **Root cause:** {md(text.cause)}",
        "",
        f"Reproduce ({text.language}):",
        "",
        fenced(text.reproduce, text.language),
        "",
    ]


def _details(result: CheckResult) -> list[str]:
    check = result.check
    lines = [
        f"### {SYMBOLS[result.status]} {md(check.id)}: {md(check.title)}",
        "",
        f"**{check.level.value}** · {md(check.rfc)} · {result.status.value} · "
        f"{plural(result.requests, 'request')}",
        "",
        f"> **Rule:** {md(check.rule)}",
        "",
    ]
    if result.note:
        lines += [f"*Note:* {md(result.note)}", ""]
    for index, failure in enumerate(result.failures, 1):
        lines += _failure(index, len(result.failures), failure, check)
    return lines


def _features(report: Report) -> list[str]:
    """The feature table every report opens with."""
    if not report.features:
        return []
    lines = [
        "## Features: what the target evaluates",
        "",
        "| Path | Feature | Evaluated | Probes (request → answer, RFC 9110) |",
        "|---|---|---|---|",
    ]
    for row in feature_rows(report.features):
        probes = "<br>".join(md(probe) for probe in row.probes)
        note = f" ({md(row.note)})" if row.note else ""
        lines.append(f"| `{md(row.path)}` | {md(row.name)} | {row.support}{note} | {probes} |")
    return [*lines, ""]


def _diagnosis(report: Report) -> list[str]:
    """Each deviation of the diagnosis: class, checks, decisive probe."""
    diagnosis = report.diagnosis
    if diagnosis is None or not diagnosis.deviations:
        return []
    unexplained = f" ({diagnosis.unexplained} left unexplained)" if diagnosis.unexplained else ""
    lines = [
        f"## Diagnosis: {root_cause_line(report)}",
        "",
        f"The smallest set of readings found that reproduces the {diagnosis.answers} judged "
        f"answers of the run{unexplained}.",
        "",
    ]
    for deviation in diagnosis.deviations:
        label = CLASS_LABELS.get(deviation.kind, deviation.kind)
        if deviation.reading:
            label += f" ({md(deviation.reading)})"
        checks = md(deviation_checks_text(deviation))
        lines.append(f"- {md(deviation.name)} · **{label}** · `{deviation.id}` · {checks}")
        lines.append(f"  - probe: {md(decisive_probe_text(deviation))}")
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The report as Markdown: a header (target, version, seed), the
    verdict and counts (with the deviations by class), the feature table, a
    table of every check (failed first), the diagnosis (else the root
    causes grouped by signature), the campaign's confirmed findings, one
    section per failed, warned or lenient check with each finding (request and response as
    HTTP messages, expected vs. why, the rule, a reproduction), the skipped
    checks' reasons, and the run's facts last."""
    target = report.target
    paths = ", ".join(f"`{md(path)}`" for path in target.paths) or "none"
    lines = [
        f"# etagspec conformance report: {md(target.name)} ({md(target.kind)})",
        "",
        f"etagspec {md(report.version)} · seed `{report.seed}` · "
        f"{report.max_examples} examples per property · strict: "
        f"{'yes' if report.strict else 'no'} · paths: {paths}",
    ]
    if target.unsafe_paths:
        unsafe = ", ".join(f"`{md(path)}`" for path in target.unsafe_paths)
        lines[-1] += f" · writable paths: {unsafe}"
    classes = class_counts(report)
    lines += [
        "",
        f"**{md(verdict(report))}**: {summary_line(report.summary)}"
        + (f"; deviations: {classes}" if classes else ""),
        "",
        *_features(report),
        "| ID | Level | Status | Title | RFC |",
        "|---|---|---|---|---|",
    ]
    results = sorted_results(report)
    for result in results:
        check = result.check
        lines.append(
            f"| {md(check.id)} | {check.level.value} | {SYMBOLS[result.status]} "
            f"{result.status.value} | {md(check.title)} | {md(check.rfc)} |"
        )
    lines.append("")
    causes = root_causes(report)
    lines += _diagnosis(report)
    if causes and report.diagnosis is None:
        lines += [f"## Root causes: {root_cause_line(report)}", ""]
        for cause in causes:
            label = f"lenient ({md(cause.lenient)})" if cause.lenient else "deviation"
            checks = ", ".join(md(check) for check in cause.checks)
            lines.append(f"- {md(cause.signature)} · {label} · {checks}")
        lines.append("")
    if report.findings:
        lines += ["## Confirmed findings", ""]
        lines += [f"- **{md(f.check)}** ({md(f.kind)}): {md(f.does)}" for f in report.findings]
        lines.append("")
    attention = [r for r in results if r.status in ATTENTION]
    if attention:
        lines += ["## Failures, warnings and lenient readings", ""]
        for result in attention:
            lines += _details(result)
    skipped = [r for r in results if r.status is Status.SKIPPED]
    if skipped:
        lines += ["## Skipped", ""]
        lines += [f"- **{md(r.check.id)}**: {md(r.note or 'skipped')}" for r in skipped]
        lines.append("")
    if report.run is not None:
        run = report.run
        lines += [
            "## Run",
            "",
            f"- Started: {md(run.started)}",
            f"- Duration: {run.duration_seconds:.3f} s",
            f"- Requests: {run.requests}",
            f"- Python: {md(run.python)}",
            f"- Platform: {md(run.platform)}",
            "",
        ]
    return "\n".join(lines)
