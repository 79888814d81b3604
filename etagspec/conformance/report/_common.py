"""Helpers shared by the renderers: ordering, counting, and showing what the
target sent without letting it control the output.

Everything a target produces (header names and values, paths, error
messages) is untrusted text. :func:`visible` turns the characters that would
be invisible, ambiguous or dangerous in a terminal, an HTML page or an XML
file (C0/C1 controls, DEL, surrogates, noncharacters, bidi overrides) into
``\\xNN`` / ``\\uNNNN`` escapes; the renderers then apply their own syntax
escaping (HTML entities, XML, Markdown) on top.
"""

from __future__ import annotations

import http
import re
from collections.abc import Mapping
from dataclasses import dataclass

from etagspec._display import visible
from etagspec.conformance.model import (
    CheckInfo,
    CheckResult,
    DecisiveProbe,
    Deviation,
    Failure,
    Feature,
    FeatureProbe,
    Level,
    ProbeRequest,
    ProbeResponse,
    Report,
    RootCause,
    Status,
)

__all__ = [
    "ATTENTION",
    "CLASS_LABELS",
    "LEVEL_ORDER",
    "STATUS_ORDER",
    "SUMMARY_ORDER",
    "FailureText",
    "FeatureRow",
    "class_counts",
    "decisive_probe_text",
    "deviation_checks_text",
    "failure_text",
    "feature_rows",
    "field_line",
    "http_request",
    "http_response",
    "plural",
    "reproduce_language",
    "root_cause_line",
    "root_causes",
    "server_suspect",
    "sorted_results",
    "summary_line",
    "verdict",
    "visible",
]

#: Display order: what needs attention first.
STATUS_ORDER: dict[Status, int] = {
    Status.FAILED: 0,
    Status.WARNED: 1,
    Status.LENIENT: 2,
    Status.PASSED: 3,
    Status.SKIPPED: 4,
}
#: The statuses whose findings every report shows in full.
ATTENTION: tuple[Status, ...] = (Status.FAILED, Status.WARNED, Status.LENIENT)
LEVEL_ORDER: dict[Level, int] = {Level.MUST: 0, Level.SHOULD: 1, Level.MAY: 2}


def plural(count: int, noun: str) -> str:
    """``"1 byte"``, ``"2 bytes"``.

    >>> plural(1, "byte"), plural(0, "failure")
    ('1 byte', '0 failures')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def sorted_results(report: Report) -> list[CheckResult]:
    """Results failed → warned → passed → skipped, then MUST → SHOULD → MAY,
    otherwise in run order."""
    return sorted(
        report.results,
        key=lambda result: (STATUS_ORDER[result.status], LEVEL_ORDER[result.check.level]),
    )


#: The order of the counts in a summary line.
SUMMARY_ORDER = (Status.PASSED, Status.FAILED, Status.WARNED, Status.LENIENT, Status.SKIPPED)


def summary_line(counts: Mapping[str, int]) -> str:
    """``"N passed, N failed, N warned, N lenient, N skipped"`` from a count
    per status value (a report's or a matrix column's ``summary``).

    >>> summary_line({"passed": 30, "failed": 2, "warned": 1, "lenient": 1, "skipped": 0})
    '30 passed, 2 failed, 1 warned, 1 lenient, 0 skipped'
    """
    return ", ".join(f"{counts.get(status.value, 0)} {status.value}" for status in SUMMARY_ORDER)


def verdict(report: Report) -> str:
    """One sentence on the outcome: what makes the run fail, if anything."""
    if report.checked_nothing:
        return "NOTHING CHECKED: every check was skipped, so this run proves nothing"
    failing = report.failed()
    if not failing:
        remarks = []
        if report.summary[Status.WARNED.value]:
            remarks.append("warnings: SHOULD requirements not met")
        if report.summary[Status.LENIENT.value]:
            remarks.append("lenient readings the catalogue permits")
        return f"PASS (with {'; '.join(remarks)})" if remarks else "PASS"
    failed = sum(1 for result in failing if result.status is Status.FAILED)
    warned = sum(1 for result in failing if result.status is Status.WARNED)
    lenient = len(failing) - failed - warned
    parts = []
    if failed:
        parts.append(f"{plural(failed, 'MUST check')} failed")
    if warned:
        parts.append(f"{plural(warned, 'SHOULD check')} warned under --strict")
    if lenient:
        parts.append(f"{plural(lenient, 'check')} lenient under --strict")
    return "FAIL: " + ", ".join(parts)


def root_causes(report: Report) -> list[RootCause]:
    """The report's root causes: deviations first, then lenient readings."""
    return report.root_causes()


def root_cause_line(report: Report) -> str:
    """``"3 distinct deviations (7 checks); 1 lenient reading (2 checks)"``;
    with a diagnosis, its counts (``"4 distinct deviations: 1 bug,
    3 unsupported; 0 lenient readings"``)."""
    if report.diagnosis is not None:
        found = [d for d in report.diagnosis.deviations if d.explained]
        lenient = sum(1 for d in found if d.kind == "lenient")
        unexplained = len(report.diagnosis.unexplained_failures)
        return (
            f"{plural(len(found) - lenient, 'distinct deviation')}: {class_counts(report)}; "
            f"{plural(lenient, 'lenient reading')}"
        ) + (f"; {plural(unexplained, 'failure')} no reading explains" if unexplained else "")
    parts = []
    for lenient, noun in ((False, "distinct deviation"), (True, "lenient reading")):
        groups = report.deviations(lenient=lenient)
        checks = {result.check.id for results in groups.values() for result in results}
        parts.append(f"{plural(len(groups), noun)} ({plural(len(checks), 'check')})")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class FailureText:
    """One finding as every report shows it: the request and the response as
    HTTP messages, what was expected, why, the root cause, and a
    reproduction with its language (``sh`` or ``python``); ``server`` says
    why the server rather than the app may be the cause, when it may."""

    request: str
    response: str
    expected: str
    why: str
    cause: str
    reproduce: str
    language: str
    server: str = ""


# What a server in front of an app may change in a request field before the
# app sees it: control characters (stripped, like \x0b by some, or refused),
# bytes outside ASCII (decoded or refused).
_SERVER_MAY_CHANGE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\xff]")


def server_suspect(request: ProbeRequest) -> str:
    """Why a finding over the wire may be the server's doing rather than the
    app's (a field a server may have normalised before the app saw it: a
    control character, a byte outside ASCII, an empty or a repeated field),
    else "".

    >>> print(server_suspect(ProbeRequest("GET", "/", (("If-Match", '\\x0b"a"'),))))
    the If-Match field holds \\x0b, which a server in front of the app may strip, \
refuse or rewrite before the app sees it: if the app passes this check in-process \
(etagspec check package.module:app), the server is the cause
    >>> server_suspect(ProbeRequest("GET", "/", (("If-Match", '"a"'),)))
    ''
    """
    names = [name.lower() for name, _ in request.headers]
    for name, value in request.headers:
        odd = _SERVER_MAY_CHANGE.search(value)
        if odd is not None:
            holds = f"holds {visible(odd.group(), wire=True)}"
        elif not value.strip(" \t"):
            holds = "is empty"
        elif names.count(name.lower()) > 1:
            holds = "is repeated"
        else:
            continue
        return (
            f"the {visible(name, wire=True)} field {holds}, which a server in front of the app "
            "may strip, refuse or rewrite before the app sees it: if the app passes this check "
            "in-process (etagspec check package.module:app), the server is the cause"
        )
    return ""


def failure_text(
    failure: Failure, check: CheckInfo | None = None, *, over_the_wire: bool = False
) -> FailureText:
    """The parts of a finding, made visible (control characters escaped).

    Given the ``check`` it belongs to (whose rule the report states once,
    above its findings), the explanation's closing ``[ID: rule]`` is left
    out rather than repeated in every finding. ``over_the_wire`` (a server
    at a URL was checked) fills ``server`` when the request holds a field
    the server may have normalised (:func:`server_suspect`)."""
    cause = failure.signature
    if failure.lenient:
        cause = f"lenient ({failure.lenient}): {cause}"
    why = failure.explanation
    if check is not None:
        why = why.removesuffix(f" [{check.id}: {check.rule}]")
    return FailureText(
        request=http_request(failure.request),
        response=http_response(failure.response),
        expected=visible(failure.expected, multiline=True),
        why=visible(why, multiline=True),
        cause=visible(cause, multiline=True),
        reproduce=visible(failure.reproduce, multiline=True),
        language=reproduce_language(failure.reproduce),
        server=server_suspect(failure.request) if over_the_wire else "",
    )


def indent(text: str, prefix: str = "    ") -> str:
    """Every non-blank line of ``text`` behind ``prefix``; blank lines stay empty.

    >>> indent("a\\n\\nb")
    '    a\\n\\n    b'
    """
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def field_line(name: str, value: str) -> str:
    """A header field as its line, every byte outside printable ASCII escaped.

    >>> field_line("ETag", '"caf\\xc3\\xa9"')
    'ETag: "caf\\\\xc3\\\\xa9"'
    """
    return f"{visible(name, wire=True)}: {visible(value, wire=True)}"


def http_request(request: ProbeRequest) -> str:
    """The request as an HTTP/1.1 message head (bodies are summarized)."""
    lines = [f"{visible(request.method, wire=True)} {visible(request.path)} HTTP/1.1"]
    lines += [f"{field_line(name, value)}" for name, value in request.headers]
    if request.body:
        lines += ["", f"[body: {plural(len(request.body), 'byte')}]"]
    return "\n".join(lines)


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_response(response: ProbeResponse, *, with_error: bool = True) -> str:
    """The response as an HTTP/1.1 message head, with the body's length
    (and, with ``with_error``, the transport error if there was no valid
    response)."""
    if response.status == 0 and response.error is not None:
        lines = ["(no valid HTTP response)"]
    else:
        lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}".rstrip()]
    lines += [f"{field_line(name, value)}" for name, value in response.headers]
    lines += ["", f"[body: {plural(len(response.body), 'byte')}]"]
    if with_error and response.error is not None:
        lines.append(f"[error: {visible(response.error, multiline=True)}]")
    return "\n".join(lines)


def reproduce_language(reproduce: str) -> str:
    """``"sh"`` for a shell command line (curl, or printf piped into curl
    or nc), else ``"python"``.

    >>> reproduce_language("curl -i http://localhost/"), reproduce_language("print(1)")
    ('sh', 'python')
    >>> reproduce_language("printf 'x' | curl --data-binary @- http://localhost/")
    'sh'
    """
    return "sh" if reproduce.lstrip().startswith(("curl ", "printf ")) else "python"


#: How the reports name each class of deviation.
CLASS_LABELS: dict[str, str] = {
    "bug": "bug",
    "unsupported": "unsupported",
    "server-duty": "server duty",
    "should": "SHOULD deviation",
    "lenient": "lenient",
}


def class_counts(report: Report) -> str:
    """The deviations of the diagnosis by class, bugs and unsupported
    features apart: ``"1 bug, 3 unsupported, 0 server duty"``, then the
    SHOULD deviations when there are any ("" without a diagnosis).

    >>> from etagspec.conformance.model import Diagnosis, TargetInfo
    >>> report = Report(TargetInfo("t", "wsgi", ("/",)), 1, 1, False, "0", (),
    ...                 diagnosis=Diagnosis((Deviation("If-Match not evaluated",
    ...                                                "unsupported", "", ()),)))
    >>> class_counts(report)
    '0 bugs, 1 unsupported, 0 server duty'
    """
    if report.diagnosis is None:
        return ""
    counts = report.diagnosis.counts
    return (
        f"{plural(counts['bug'], 'bug')}, {counts['unsupported']} unsupported, "
        f"{counts['server-duty']} server duty"
    ) + (f", {counts['should']} SHOULD" if counts["should"] else "")


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One feature of the table every report opens with."""

    path: str
    name: str
    support: str
    probes: tuple[str, ...]
    note: str


def _probe_text(probe: FeatureProbe) -> str:
    fields = "; ".join(f"{name}: {value}" for name, value in probe.request.headers)
    sent = f"{probe.request.method} {probe.request.path}" + (f" {fields}" if fields else "")
    rfc = " or ".join(map(str, probe.rfc))
    got = probe.response.error or str(probe.response.status)
    return visible(f"{sent} -> {got} (RFC 9110: {rfc})")


def feature_rows(features: tuple[Feature, ...]) -> list[FeatureRow]:
    """The feature probes' table, each probe as ``GET / If-Match: "x" ->
    200 (RFC 9110: 412)``."""
    return [
        FeatureRow(
            visible(feature.path),
            visible(feature.name),
            feature.support.value,
            tuple(_probe_text(probe) for probe in feature.probes),
            visible(feature.note),
        )
        for feature in features
    ]


def decisive_probe_text(deviation: Deviation) -> str:
    """The deviation's decisive probe in one line: the request, what RFC
    9110 gives, what the target answered."""
    probe: DecisiveProbe | None = deviation.probe
    if probe is None:
        return "no decisive probe among the requests of the run"
    fields = "; ".join(f"{name}: {value}" for name, value in probe.request.headers)
    sent = f"{probe.request.method} {probe.request.path}" + (f" {fields}" if fields else "")
    got = probe.response.error or str(probe.response.status)
    text = f"{sent} -> {got} (RFC 9110 gives {probe.rfc}; with this deviation {probe.deviant})"
    if not probe.confirmed:
        text += " [not confirmed]"
    return visible(text)


def deviation_checks_text(deviation: Deviation) -> str:
    """The checks a deviation fails, the MUST ones named apart:
    ``"COND-IMS-6, COND-PREC-0 (MUST: COND-PREC-0)"``, or ``(all MUST)``."""
    if not deviation.checks:
        return "no failed check"
    text = ", ".join(deviation.checks)
    if deviation.must == deviation.checks:
        text += " (all MUST)"
    elif deviation.must:
        text += f" (MUST: {', '.join(deviation.must)})"
    return text
