"""How checks judge an answer: a 5xx or a broken exchange is always a
finding, and statuses are compared with what the oracle allows.

A status RFC 9110 allows passes; one it tolerates (conformant only by
ignoring a SHOULD) passes a MUST check and is a finding of a SHOULD check;
one a permitted lenient reading explains is a *lenient* finding; anything
else is a deviation, named by the known deviant reading that explains it
(:func:`etagspec.conformance.oracle.explain`).
"""

from __future__ import annotations

from collections.abc import Callable

from .context import CheckContext, Finding, Judge
from .model import ProbeRequest, ProbeResponse
from .oracle import Expectation, expect, explain


def describe(request: ProbeRequest) -> str:
    fields = "; ".join(f"{name}: {value}" for name, value in request.headers)
    return f"{request.method} {request.path}" + (f" with {fields}" if fields else "")


def server_error(response: ProbeResponse) -> Finding | None:
    """Any 5xx or broken exchange is a failure, whatever else the check says."""
    if response.error is not None:
        return Finding(
            "a valid HTTP response",
            f"the target failed: {response.error}",
            signature="no valid HTTP response (the target raised, hung or broke the exchange)",
        )
    if response.status >= 500:
        return Finding(
            "no 5xx",
            f"the target answered {response.status}",
            signature=f"{response.status} to a request it should have answered",
        )
    return None


def status_judge(
    context: CheckContext, *, baseline: int | None = None, deviations: bool = False
) -> Judge:
    """Compare the status with what the oracle allows. Statuses that are
    conformant only by ignoring a SHOULD count as findings when
    ``deviations`` is true (for SHOULD-level checks).

    A status that a permitted lenient reading explains is recorded once per
    reading as a lenient finding, and the search goes on (a real deviation
    behind it is still looked for and shrunk).
    """

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        expectation = expect(request, context.observed, baseline=baseline)
        got = response.status
        if context.transcript is not None:
            context.transcript.add(
                request,
                response,
                context.observed,
                baseline=baseline,
                check=context.check.id,
                failing=got not in expectation.allowed,
            )
        if got in expectation.allowed:
            return None
        if got in expectation.tolerated and not deviations:
            return None
        reading = explain(request, context.observed, got, baseline=baseline)
        text = _explanation(context, request, expectation, got)
        if reading is not None and reading.lenient:
            _record_lenient(
                context,
                request,
                response,
                Finding(
                    expectation.describe(),
                    f"{text} (lenient: {reading.id}, {reading.signature})",
                    signature=reading.signature,
                    lenient=reading.id,
                ),
            )
            return None
        if reading is not None:
            signature = reading.signature
        elif got in expectation.tolerated:
            signature = (
                f"{context.check.id}: {got} where a SHOULD asks for {expectation.describe()}"
            )
        else:
            signature = f"{context.check.id}: expected {expectation.describe()} vs got {got}"
        return Finding(expectation.describe(), text, signature=signature)

    return judge


def _explanation(
    context: CheckContext, request: ProbeRequest, expectation: Expectation, got: int
) -> str:
    current = context.observed.response.header("ETag")
    modified = context.observed.response.header("Last-Modified")
    state = f"current ETag {current}" if current else "no ETag"
    if modified:
        state += f", Last-Modified {modified}"
    return (
        f"{describe(request)} ({state}): RFC 9110 gives {expectation.describe()} "
        f"({expectation.rule}); got {got}"
    )


def _record_lenient(
    context: CheckContext, request: ProbeRequest, response: ProbeResponse, finding: Finding
) -> None:
    """Record a lenient finding unless this check already holds one with
    the same signature."""
    if all(failure.signature != finding.signature for failure in context.failures):
        context.record(request, response, finding)


def field_check(
    context: CheckContext, response: ProbeResponse, test: Callable[[ProbeResponse], Finding | None]
) -> Finding | None:
    return server_error(response) or test(response)
