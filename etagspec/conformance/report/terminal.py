"""The report for a terminal, and a one-line progress display."""

from __future__ import annotations

from typing import TextIO

from etagspec.conformance.model import CheckInfo, CheckResult, Failure, Report, Status

from ._common import (
    ATTENTION,
    CLASS_LABELS,
    SUMMARY_ORDER,
    class_counts,
    decisive_probe_text,
    deviation_checks_text,
    failure_text,
    feature_rows,
    plural,
    root_cause_line,
    root_causes,
    summary_line,
    visible,
)
from .progress_log import FinishedOnExit

__all__ = ["ProgressPrinter", "render_terminal"]

LABELS: dict[Status, str] = {
    Status.PASSED: "PASS",
    Status.FAILED: "FAIL",
    Status.WARNED: "WARN",
    Status.LENIENT: "LENI",
    Status.SKIPPED: "SKIP",
}
_COLORS: dict[Status, str] = {
    Status.PASSED: "32",  # green
    Status.FAILED: "1;31",  # bold red
    Status.WARNED: "33",  # yellow
    Status.LENIENT: "36",  # cyan
    Status.SKIPPED: "2",  # dim
}
_BOLD = "1"
_DIM = "2"


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + line if line else prefix.rstrip() for line in text.splitlines()]


def _failure_lines(
    index: int, total: int, failure: Failure, check: CheckInfo, color: bool, wire: bool
) -> list[str]:
    text = failure_text(failure, check, over_the_wire=wire)
    lines = [f"  finding {index} of {total}:"]
    lines += [_paint(line, _BOLD, color) for line in _indent(text.request, "    > ")]
    lines += _indent(text.response, "    < ")
    lines += [
        f"    expected:   {text.expected}",
        f"    why:        {text.why}",
        f"    root cause: {text.cause}",
        *([f"    server?     {text.server}"] if text.server else []),
        f"    reproduce ({text.language}, flush left between the rules):",
        "-" * 40,
        text.reproduce,
        "-" * 40,
    ]
    return lines


def _details(result: CheckResult, color: bool, wire: bool) -> list[str]:
    check = result.check
    head = f"{LABELS[result.status]}  {visible(check.id)}  {check.level.value}  "
    lines = [
        "",
        _paint(head, _COLORS[result.status], color)
        + f"{visible(check.title)} ({visible(check.rfc)})",
        f"  rule: {visible(check.rule, multiline=True)}",
    ]
    if result.note:
        lines.append(f"  note: {visible(result.note, multiline=True)}")
    for index, failure in enumerate(result.failures, 1):
        lines += _failure_lines(index, len(result.failures), failure, check, color, wire)
    return lines


def _features(report: Report) -> list[str]:
    """The feature table: what the target evaluates, path by path."""
    if not report.features:
        return []
    rows = feature_rows(report.features)
    width = max(len(row.name) for row in rows)
    lines = ["Features (what the target evaluates, decided by the probes):"]
    for row in rows:
        note = f" ({row.note})" if row.note else ""
        lines.append(f"  {row.path}  {row.name:<{width}}  {row.support}{note}")
        lines += [f"      {probe}" for probe in row.probes]
    return [*lines, ""]


def _diagnosis(report: Report) -> list[str]:
    """The diagnosis: each deviation, its class, checks and decisive probe."""
    diagnosis = report.diagnosis
    if diagnosis is None or not diagnosis.deviations:
        return []
    lines = [
        "",
        f"Diagnosis: {root_cause_line(report)} (explaining {diagnosis.answers} answers"
        + (f", {diagnosis.unexplained} unexplained)" if diagnosis.unexplained else ")"),
    ]
    for deviation in diagnosis.deviations:
        label = CLASS_LABELS.get(deviation.kind, deviation.kind)
        if deviation.reading:
            label += f" ({visible(deviation.reading)})"
        checks = deviation_checks_text(deviation)
        lines.append(f"  - {visible(deviation.name)} [{label}; {deviation.id}; {checks}]")
        lines.append(f"      probe: {decisive_probe_text(deviation)}")
    return lines


def _summary(report: Report, color: bool) -> str:
    classes = class_counts(report)
    if not color:
        return summary_line(report.summary) + (f"; deviations: {classes}" if classes else "")
    counts = report.summary
    parts = []
    for status in SUMMARY_ORDER:
        text = f"{counts[status.value]} {status.value}"
        parts.append(_paint(text, _COLORS[status], True) if counts[status.value] else text)
    return ", ".join(parts) + (f"; deviations: {classes}" if classes else "")


def render_terminal(report: Report, *, color: bool = False, quiet: bool = False) -> str:
    """The report as terminal text (ending with a newline).

    One line per check in run order (``PASS  COND-INM-4a  MUST  title``),
    then the details of each failed, warned or lenient check (the minimal
    request as an HTTP message, the response, expected, why, the root cause,
    a reproduction printed flush left), the root causes grouped ("2 distinct
    deviations (5 checks)"), and last ``N passed, N failed, N warned,
    N lenient, N skipped`` and the verdict.
    The feature table opens it, and a diagnosis, when the run made one,
    takes the root causes' place (each deviation with its class and its
    decisive probe); the counts line then ends with the deviations by class.
    ANSI colors only with ``color=True``; control characters from the
    target are always shown escaped, so a hostile header cannot drive the
    terminal. With ``quiet``, only the details of the checks that fail the
    run (an empty string when none does).
    """
    wire = report.target.kind == "url"
    if quiet:
        lines: list[str] = []
        for result in report.failed():
            lines += _details(result, color, wire)
        return "\n".join([*lines[1:], ""]) if lines else ""
    results = report.results
    id_width = max((len(visible(r.check.id)) for r in results), default=0)
    level_width = max((len(r.check.level.value) for r in results), default=0)
    target = report.target
    lines = [
        _paint(
            f"etagspec {report.version}: {visible(target.name)} ({visible(target.kind)}), "
            f"seed {report.seed}, {report.max_examples} examples"
            + (", strict" if report.strict else ""),
            _BOLD,
            color,
        ),
        "",
        *_features(report),
    ]
    for result in results:
        check = result.check
        title = visible(check.title)
        if result.status is Status.SKIPPED and result.note:
            title += _paint(f" ({visible(result.note)})", _DIM, color)
        elif result.failures:
            title += f" ({plural(len(result.failures), 'failure')})"
        elif result.exercised:  # how often the check met its decisive situation
            title += f" ({plural(result.exercised, 'decisive exchange')})"
        label = _paint(LABELS[result.status], _COLORS[result.status], color)
        lines.append(
            f"{label}  {visible(check.id):<{id_width}}  {check.level.value:<{level_width}}  {title}"
        )
    for result in results:
        if result.status in ATTENTION:
            lines += _details(result, color, wire)
    causes = root_causes(report)
    if report.diagnosis is not None:
        lines += _diagnosis(report)
    elif causes:
        lines += ["", f"Root causes: {root_cause_line(report)}"]
        for cause in causes:
            label = f"lenient ({cause.lenient})" if cause.lenient else "deviation"
            checks = ", ".join(cause.checks)
            lines.append(f"  - {visible(cause.signature)} [{label}; {checks}]")
    if report.findings:
        lines += ["", "Confirmed findings:"]
        lines += [
            f"  - {visible(f.check)} ({visible(f.kind)}): {visible(f.does)}"
            for f in report.findings
        ]
    lines += ["", _summary(report, color)]
    return "\n".join(lines) + "\n"


class ProgressPrinter(FinishedOnExit):
    """A single, updating progress line: ``\\r[ 12/35] COND-INM-4a ...``.

    Give it to the runner as ``progress``; it gets ``start(check_id)`` and
    ``done(check_id, status)`` for each check. Call :meth:`finish` (or use it
    as a context manager) to clear the line before printing the report.
    When ``enabled`` is false (the stream is not a TTY) it writes nothing.

    >>> import io
    >>> stream = io.StringIO()
    >>> with ProgressPrinter(stream, 2, enabled=False) as progress:
    ...     progress.start("COND-INM-4a")
    ...     progress.done("COND-INM-4a", Status.PASSED)
    >>> stream.getvalue()
    ''
    """

    def __init__(self, stream: TextIO, total: int, *, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self._index = 0
        self._current: str | None = None
        self._shown = 0  # length of the line on screen
        self._digits = max(3, len(str(total)))

    def _show(self, text: str) -> None:
        if not self.enabled:
            return
        padding = " " * max(0, self._shown - len(text))
        self.stream.write(f"\r{text}{padding}")
        self.stream.flush()
        self._shown = len(text)

    def _counter(self) -> str:
        return f"[{self._index:>{self._digits}}/{self.total}]"

    def start(self, check_id: str) -> None:
        """A check begins."""
        self._index += 1
        self._current = check_id
        self._show(f"{self._counter()} {visible(check_id)} ...")

    def done(self, check_id: str, status: Status | str) -> None:
        """A check ended with ``status``."""
        if check_id != self._current:  # done() without start()
            self._index += 1
            self._current = check_id
        label = status.value if isinstance(status, Status) else str(status)
        self._show(f"{self._counter()} {visible(check_id)} {label}")

    def finish(self) -> None:
        """Erase the progress line (the cursor ends at its start)."""
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
        self._shown = 0
