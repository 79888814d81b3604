"""Batched exploration (CheckContext.explore with ``batch``): several
generated requests per Hypothesis example, the same budget of requests,
one minimal failing request recorded.

The speed it buys is measured in ``benchmarks/harness_throughput.py``;
these tests pin what it must not change.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from etagspec.conformance.context import CheckContext, Finding
from etagspec.conformance.model import CheckInfo, Level, ProbeRequest, ProbeResponse
from etagspec.conformance.oracle import Observed
from etagspec.conformance.probing import REQUESTS_PER_EXAMPLE

BUDGET = 20
#: Numbers a request is made of; the space is large enough that Hypothesis
#: does not run out of distinct requests within the budget.
NUMBERS = st.integers(0, 10**9)


class RecordingTarget:
    """Answers 200 to everything and keeps every request it was sent."""

    name = "recording"
    kind = "wsgi"

    def __init__(self) -> None:
        self.sent: list[ProbeRequest] = []

    def send(self, request: ProbeRequest) -> ProbeResponse:
        self.sent.append(request)
        return ProbeResponse(200)

    def reproduce(self, request: ProbeRequest) -> str:
        return repr(request)


def numbered(number: int) -> ProbeRequest:
    return ProbeRequest("GET", f"/{number}")


NUMBERED_REQUESTS = NUMBERS.map(numbered)


def context_for(target: RecordingTarget, *, max_examples: int = BUDGET) -> CheckContext:
    info = CheckInfo("batching", "a test check", "RFC 9110", Level.MUST, "a rule")
    observed = Observed.from_response("/", ProbeResponse(200))
    return CheckContext(info, target, "/", observed, max_examples=max_examples, seed=0)


def never_fails(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
    return None


def fails_from_1000(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
    if int(request.path[1:]) >= 1000:
        return Finding("a number below 1000", f"{request.path} is 1000 or more")
    return None


@pytest.mark.parametrize("batch", [1, REQUESTS_PER_EXAMPLE, 7])
def test_exploration_sends_its_budget_the_simplest_request_first(batch: int) -> None:
    target = RecordingTarget()
    context = context_for(target)

    context.explore(NUMBERED_REQUESTS, never_fails, batch=batch)

    # Never more than the budget (batches of 8 after the first example
    # would reach 25), and not fewer than the budget less a repeat or two
    # within a batch, which is sent once.
    assert BUDGET - 2 <= context.requests == len(target.sent) <= BUDGET
    assert target.sent[0] == numbered(0)
    assert context.failures == []


def test_a_batch_sends_a_repeated_request_once() -> None:
    target = RecordingTarget()
    context = context_for(target)

    context.explore(st.just(numbered(7)), never_fails, batch=REQUESTS_PER_EXAMPLE)

    assert target.sent == [numbered(7)]
    assert context.requests == 1


@pytest.mark.parametrize("batch", [1, REQUESTS_PER_EXAMPLE])
def test_a_failure_is_recorded_once_as_the_minimal_request(batch: int) -> None:
    target = RecordingTarget()
    context = context_for(target, max_examples=200)

    context.explore(NUMBERED_REQUESTS, fails_from_1000, batch=batch)

    (failure,) = context.failures
    assert failure.request == numbered(1000)
    assert failure.expected == "a number below 1000"
    assert "[batching: a rule]" in failure.explanation


def test_the_failing_request_of_a_batch_is_shrunk_with_shrink_with_too() -> None:
    # The compact search finds the failure in batches; the search again
    # with ``shrink_with`` (one request an example) gives the request recorded.
    target = RecordingTarget()
    context = context_for(target, max_examples=200)
    small_steps = st.integers(0, 10**9).map(lambda number: numbered(number - number % 10))

    context.explore(
        NUMBERED_REQUESTS, fails_from_1000, shrink_with=small_steps, batch=REQUESTS_PER_EXAMPLE
    )

    (failure,) = context.failures
    assert failure.request == numbered(1000)


def test_a_batch_that_fails_shrinks_to_its_minimal_request() -> None:
    # The last resort of explore(), when only the batches find a failure.
    target = RecordingTarget()
    context = context_for(target, max_examples=200)

    found = context._search(NUMBERED_REQUESTS, fails_from_1000, batch=REQUESTS_PER_EXAMPLE)

    assert found is not None
    assert found[0] == numbered(1000)


def test_a_batch_that_fails_unshrunk_stops_at_its_failing_request() -> None:
    target = RecordingTarget()
    context = context_for(target, max_examples=200)

    found = context._search(
        NUMBERED_REQUESTS, fails_from_1000, batch=REQUESTS_PER_EXAMPLE, shrink=False
    )

    assert found is not None
    failing = [request for request in target.sent if int(request.path[1:]) >= 1000]
    # The first failing request sent, as it was drawn: nothing was shrunk
    # (which would have ended on /1000) and nothing sent after it.
    assert found[0] == failing[0] == target.sent[-1] != numbered(1000)
