"""How checks judge an answer: a 5xx or a broken exchange is always a
finding, and statuses are compared with what the oracle allows.
"""

from __future__ import annotations

from collections.abc import Callable

from .context import CheckContext, Finding, Judge
from .model import ProbeRequest, ProbeResponse
from .oracle import expect


def describe(request: ProbeRequest) -> str:
    fields = "; ".join(f"{name}: {value}" for name, value in request.headers)
    return f"{request.method} {request.path}" + (f" with {fields}" if fields else "")


def server_error(response: ProbeResponse) -> Finding | None:
    """Any 5xx or broken exchange is a failure, whatever else the check says."""
    if response.error is not None:
        return Finding("a valid HTTP response", f"the target failed: {response.error}")
    if response.status >= 500:
        return Finding("no 5xx", f"the target answered {response.status}")
    return None


def status_judge(
    context: CheckContext, *, baseline: int | None = None, deviations: bool = False
) -> Judge:
    """Compare the status with what the oracle allows. Statuses that are
    conformant only by ignoring a SHOULD count as findings when
    ``deviations`` is true (for SHOULD-level checks)."""

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        expectation = expect(request, context.observed, baseline=baseline)
        if response.status in expectation.allowed:
            return None
        if response.status in expectation.tolerated and not deviations:
            return None
        current = context.observed.response.header("ETag")
        modified = context.observed.response.header("Last-Modified")
        state = f"current ETag {current}" if current else "no ETag"
        if modified:
            state += f", Last-Modified {modified}"
        return Finding(
            expectation.describe(),
            f"{describe(request)} ({state}): RFC 9110 gives {expectation.describe()} "
            f"({expectation.rule}); got {response.status}",
        )

    return judge


def field_check(
    context: CheckContext, response: ProbeResponse, test: Callable[[ProbeResponse], Finding | None]
) -> Finding | None:
    return server_error(response) or test(response)
