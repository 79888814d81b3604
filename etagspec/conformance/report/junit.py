"""The report as JUnit XML: ``junit.xml`` (for CI test-report viewers).

The document is built with :mod:`xml.etree.ElementTree`, which escapes
markup (``<``, ``&``, ``]]>`` in text, quotes and newlines in attributes);
characters XML 1.0 does not allow at all (control characters, lone
surrogates, U+FFFE/U+FFFF) are replaced by visible escapes first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from etagspec.conformance.model import CheckResult, Report, Status

from ._common import failure_text, indent, plural, visible

__all__ = ["render_junit"]


def _text(text: str) -> str:
    """Untrusted text, safe for XML 1.0 element content."""
    return visible(text, multiline=True)


def _attribute(text: str) -> str:
    """Untrusted text, safe for an XML attribute and on one line."""
    return " ".join(visible(text, multiline=True).split())


def _body(result: CheckResult) -> str:
    """A plain-text account of a failed or warned check."""
    check = result.check
    parts = [
        f"{check.level.value} {check.id}: {check.title} ({check.rfc})",
        f"Rule: {check.rule}",
    ]
    if result.note:
        parts.append(f"Note: {result.note}")
    total = len(result.failures)
    for index, failure in enumerate(result.failures, 1):
        text = failure_text(failure, check)
        parts += [
            "",
            f"Finding {index} of {total}:",
            "  Request:",
            indent(text.request),
            "  Response:",
            indent(text.response),
            f"  Expected: {text.expected}",
            f"  Why: {text.why}",
            f"  Root cause: {text.cause}",
            f"  Reproduce ({text.language}), flush left:",
            text.reproduce,
        ]
    return _text("\n".join(parts)) + "\n"


def _message(result: CheckResult) -> str:
    if result.failures:
        first = result.failures[0]
        more = len(result.failures) - 1
        extra = f" (and {plural(more, 'more failure')})" if more else ""
        return _attribute(f"{first.explanation}{extra}")
    return _attribute(result.note or result.check.rule)


def render_junit(report: Report) -> str:
    """The report as a JUnit XML document (with an XML declaration).

    One ``<testsuite name="etagspec: <target>">`` holds one ``<testcase
    classname="etagspec.<LEVEL>" name="<ID> <title>">`` per check. A failed
    check carries a ``<failure type="<LEVEL>">`` whose text lists each
    failure (request, response, expected, why, root cause, reproduction); a
    warned or lenient check does too under ``strict``, otherwise it passes
    with a ``<system-out>`` saying so; a skipped check carries ``<skipped
    message=note>``.
    """
    target = report.target
    counts = report.summary
    failing = len(report.failed())
    suite = ET.Element(
        "testsuite",
        {
            "name": _attribute(f"etagspec: {target.name}"),
            "tests": str(len(report.results)),
            "failures": str(failing),
            "errors": "0",
            "skipped": str(counts[Status.SKIPPED.value]),
        },
    )
    if report.run is not None:
        suite.set("timestamp", _attribute(report.run.started))
        suite.set("time", f"{report.run.duration_seconds:.3f}")
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("etagspec.version", report.version),
        ("seed", str(report.seed)),
        ("max_examples", str(report.max_examples)),
        ("strict", "true" if report.strict else "false"),
        ("target.kind", target.kind),
        ("target.paths", " ".join(target.paths)),
        ("target.unsafe_paths", " ".join(target.unsafe_paths)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _attribute(value)})
    for result in report.results:
        check = result.check
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"etagspec.{check.level.value}",
                "name": _attribute(f"{check.id} {check.title}"),
            },
        )
        status = result.status
        lenient_or_warned = (Status.WARNED, Status.LENIENT)
        if status is Status.FAILED or (status in lenient_or_warned and report.strict):
            failure = ET.SubElement(
                case, "failure", {"message": _message(result), "type": check.level.value}
            )
            failure.text = _body(result)
        elif status is Status.WARNED:
            out = ET.SubElement(case, "system-out")
            out.text = (
                f"warned: {check.level.value} requirement not met "
                f"(not a failure without --strict)\n{_body(result)}"
            )
        elif status is Status.LENIENT:
            out = ET.SubElement(case, "system-out")
            out.text = (
                "lenient: the target took a reading the catalogue permits "
                f"(not a failure without --strict)\n{_body(result)}"
            )
        elif status is Status.SKIPPED:
            ET.SubElement(case, "skipped", {"message": _attribute(result.note or "skipped")})
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )
