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
from dataclasses import dataclass

from .._memo import kept
from .context import CheckContext, Finding, Judge
from .model import ProbeRequest, ProbeResponse
from .oracle import Expectation, Observed, case_of, expect, explain
from .readings import FAIL, LENIENT, PASS, SHOULD, Reading, deviant_signatures


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


@dataclass(frozen=True, slots=True)
class StatusVerdict:
    """What the verdict engine says of one status: ``verdict`` (``pass``,
    ``lenient``, ``should`` or ``fail``, as docs/SPEC.md §6.3 and §6.5 name
    them), what RFC 9110 gives, and the reading that explains the status
    (None when the status is allowed, or when no known reading gives it)."""

    verdict: str
    expectation: Expectation
    reading: Reading | None = None


def status_verdict(
    request: ProbeRequest, observed: Observed, got: int, *, baseline: int | None = None
) -> StatusVerdict:
    """The verdict on answering ``request`` with ``got`` on the observed path.

    An allowed status passes; so does one a ``pass`` reading explains (a
    ``may`` reading of the catalogue). A status RFC 9110 tolerates (it
    ignores a SHOULD) is ``should``, unless a lenient reading explains it;
    otherwise the verdict of the reading that explains it, and ``fail``
    when none does.

    >>> observed = Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'),), b"x"))
    >>> status_verdict(ProbeRequest("GET", "/", (("If-None-Match", "v1"),)), observed, 304).verdict
    'lenient'
    >>> status_verdict(ProbeRequest("GET", "/", (("If-Match", "v1"),)), observed, 200).verdict
    'fail'
    """
    return kept(
        _VERDICTS,
        (request, observed, got, baseline),
        lambda: _status_verdict(request, observed, got, baseline),
    )


def _status_verdict(
    request: ProbeRequest, observed: Observed, got: int, baseline: int | None
) -> StatusVerdict:
    expectation = expect(request, observed, baseline=baseline)
    if got in expectation.allowed:
        return StatusVerdict(PASS, expectation)
    reading = explain(request, observed, got, baseline=baseline)
    if reading is not None and reading.verdict != FAIL:
        return StatusVerdict(reading.verdict, expectation, reading)
    if got in expectation.tolerated:
        return StatusVerdict(SHOULD, expectation, reading)
    return StatusVerdict(FAIL, expectation, reading)


# What was judged already (see etagspec._memo): a search judges the requests
# it shrinks again and again, and a verdict is worked out from frozen values
# alone. (The deviations explaining a status need no table here: case_of and
# deviant_signatures keep theirs.)
_VERDICTS: dict[tuple[ProbeRequest, Observed, int, int | None], StatusVerdict] = {}


def status_judge(
    context: CheckContext,
    *,
    baseline: int | None = None,
    deviations: bool = False,
    decisive: Callable[[Expectation], bool] | None = None,
) -> Judge:
    """Compare the status with what the oracle allows (see
    :func:`status_verdict`). A ``should`` verdict is a finding only when
    ``deviations`` is true (for SHOULD-level checks): a MUST check passes it.
    ``decisive`` says which expectations are the check's decisive situation
    (by default every judged exchange is).

    A status that a lenient reading explains is recorded once per
    reading as a lenient finding, and the search goes on (a real deviation
    behind it is still looked for and shrunk).
    """

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        got = response.status
        judged = status_verdict(request, context.observed, got, baseline=baseline)
        expectation, reading = judged.expectation, judged.reading
        if context.transcript is not None:
            context.transcript.add(
                request,
                response,
                context.observed,
                baseline=baseline,
                check=context.check.id,
                failing=got not in expectation.allowed,
            )
        if decisive is not None and not decisive(expectation):
            context.not_decisive()
        if judged.verdict == PASS or (judged.verdict == SHOULD and not deviations):
            return None
        text = status_explanation(request, context.observed, expectation, got)
        if judged.verdict == LENIENT and reading is not None:
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
        explained_by: frozenset[str] = frozenset()
        if reading is not None:
            signature = reading.signature
            case = case_of(request, context.observed, baseline=baseline)
            explained_by = deviant_signatures(case, got)
        elif got in expectation.tolerated:
            signature = (
                f"{context.check.id}: {got} where a SHOULD asks for {expectation.describe()}"
            )
        else:
            signature = f"{context.check.id}: expected {expectation.describe()} vs got {got}"
        return Finding(expectation.describe(), text, signature=signature, explained_by=explained_by)

    return judge


def status_explanation(
    request: ProbeRequest, observed: Observed, expectation: Expectation, got: int
) -> str:
    """How a status judge words a failure: the request, the path's state,
    what RFC 9110 gives and what came back."""
    current = observed.response.header("ETag")
    modified = observed.response.header("Last-Modified")
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
