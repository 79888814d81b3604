"""The search decision by decision that follows a compact one
(CheckContext.explore with ``shrink_with``): once a failure is known to
exist, the decision-by-decision search records what it shrinks to and the
compact failure is never shrunk; the compact search shrinks to the end only
when the decision-by-decision search finds nothing."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from etagspec.conformance.context import CheckContext, Finding
from etagspec.conformance.model import CheckInfo, Level, ProbeRequest, ProbeResponse
from etagspec.conformance.oracle import Observed

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


def context_for(target: RecordingTarget) -> CheckContext:
    info = CheckInfo("companion", "a test check", "RFC 9110", Level.MUST, "a rule")
    observed = Observed.from_response("/", ProbeResponse(200))
    return CheckContext(info, target, "/", observed, max_examples=50, seed=0)


def requests_under(prefix: str) -> st.SearchStrategy[ProbeRequest]:
    """Requests for ``/<prefix><number>``: which search sent a request shows."""
    return NUMBERS.map(lambda number: ProbeRequest("GET", f"/{prefix}{number}"))


def number_of(request: ProbeRequest) -> int:
    return int(request.path.lstrip("/cd"))


def fails_from_1000(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
    if number_of(request) >= 1000:
        return Finding("a number below 1000", f"{request.path} is 1000 or more")
    return None


def attempts_after_the_first_failure(sent: list[ProbeRequest], prefix: str) -> int:
    """Requests the first search under ``prefix`` sent after its first
    failing one (the next search under another prefix ends it)."""
    start = next(i for i, r in enumerate(sent) if r.path.startswith(f"/{prefix}"))
    first = next(i for i in range(start, len(sent)) if number_of(sent[i]) >= 1000)
    end = next(
        (i for i in range(first, len(sent)) if not sent[i].path.startswith(f"/{prefix}")),
        len(sent),
    )
    return end - first - 1


@pytest.mark.parametrize("batch", [1, 8])
def test_the_compact_failure_is_not_shrunk_when_shrink_with_records_one(batch: int) -> None:
    target = RecordingTarget()
    context = context_for(target)

    context.explore(
        requests_under("c"), fails_from_1000, shrink_with=requests_under("d"), batch=batch
    )

    assert [failure.request.path for failure in context.failures] == ["/d1000"]
    # The compact search stopped at its first failure (which Hypothesis
    # replays once to report it); the search decision by decision shrank.
    assert attempts_after_the_first_failure(target.sent, "c") <= 1
    assert attempts_after_the_first_failure(target.sent, "d") > 1


@pytest.mark.parametrize("batch", [1, 8])
def test_the_compact_failure_is_shrunk_to_the_end_when_shrink_with_finds_nothing(
    batch: int,
) -> None:
    target = RecordingTarget()
    context = context_for(target)
    passing = st.just(ProbeRequest("GET", "/d0"))

    context.explore(requests_under("c"), fails_from_1000, shrink_with=passing, batch=batch)

    # Minimal, as Hypothesis shrinks it.
    assert [failure.request.path for failure in context.failures] == ["/c1000"]


def test_nothing_is_searched_decision_by_decision_when_the_compact_search_finds_nothing() -> None:
    target = RecordingTarget()
    context = context_for(target)

    context.explore(
        requests_under("c"),
        lambda request, response: None,
        shrink_with=requests_under("d"),
    )

    assert context.failures == []
    assert target.sent and all(request.path.startswith("/c") for request in target.sent)
