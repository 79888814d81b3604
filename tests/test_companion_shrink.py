"""The shrinking budget of a compact search that a search decision by
decision follows (CheckContext.explore with ``shrink_with``): the compact
failure is shrunk a bounded number of attempts when the second search
records its own, and to the end when the second search finds nothing."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from etagspec.conformance import context as context_module
from etagspec.conformance.context import CheckContext, Finding
from etagspec.conformance.model import CheckInfo, Level, ProbeRequest, ProbeResponse
from etagspec.conformance.oracle import Observed
from etagspec.conformance.search import search

NUMBERS = st.integers(0, 10**9)
#: Small enough that shrinking a number to 1000 needs more attempts.
SMALL_BUDGET = 3


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


def test_search_stops_shrinking_at_its_budget() -> None:
    tried: list[int] = []

    def attempt(number: int) -> int | None:
        tried.append(number)
        return number if number >= 1000 else None

    cut = search(NUMBERS, attempt, max_examples=50, seed=0, shrink_budget=SMALL_BUDGET)
    first = next(i for i, number in enumerate(tried) if number >= 1000)
    assert len(tried) - first - 1 == SMALL_BUDGET
    assert cut.found is not None and cut.found >= 1000 and not cut.shrunk

    whole = search(NUMBERS, attempt, max_examples=50, seed=0)
    assert (whole.found, whole.shrunk) == (1000, True)


def test_the_compact_failure_is_shrunk_within_the_budget_when_shrink_with_records_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context_module, "COMPANION_SHRINK_BUDGET", SMALL_BUDGET)
    target = RecordingTarget()
    context = context_for(target)

    context.explore(requests_under("c"), fails_from_1000, shrink_with=requests_under("d"))

    assert [failure.request.path for failure in context.failures] == ["/d1000"]
    assert attempts_after_the_first_failure(target.sent, "c") == SMALL_BUDGET
    # The search decision by decision shrank to the end.
    assert attempts_after_the_first_failure(target.sent, "d") > SMALL_BUDGET


def test_the_compact_failure_is_shrunk_to_the_end_when_shrink_with_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context_module, "COMPANION_SHRINK_BUDGET", SMALL_BUDGET)
    target = RecordingTarget()
    context = context_for(target)
    passing = st.just(ProbeRequest("GET", "/d0"))

    context.explore(requests_under("c"), fails_from_1000, shrink_with=passing)

    # Minimal, as Hypothesis shrinks it without a budget.
    assert [failure.request.path for failure in context.failures] == ["/c1000"]
