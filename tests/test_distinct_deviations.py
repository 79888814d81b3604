"""One check, several deviations: after the first minimal failure the
exploration goes on with the requests the known deviations do not explain
(CheckContext.explore), so a second bug behind the first is found, shrunk
and reported too, and a target with one bug still gets one failure.
"""

from __future__ import annotations

import zoo
from hypothesis import strategies as st

from etagspec.conformance import Status, check_app
from etagspec.conformance.context import (
    MAX_DEVIATIONS,
    CheckContext,
    Finding,
    deviation_key,
    unexplained,
)
from etagspec.conformance.model import CheckInfo, Level, ProbeRequest, ProbeResponse
from etagspec.conformance.oracle import Observed
from etagspec.conformance.probing import explore_with_examples


class AnswersEverything:
    """Answers 200 to everything."""

    name = "answers-everything"
    kind = "wsgi"

    def send(self, request: ProbeRequest) -> ProbeResponse:
        return ProbeResponse(200)

    def reproduce(self, request: ProbeRequest) -> str:
        return repr(request)


def context_for(max_examples: int = 200) -> CheckContext:
    info = CheckInfo("distinct", "a test check", "RFC 9110", Level.MUST, "a rule")
    observed = Observed.from_response("/", ProbeResponse(200))
    return CheckContext(info, AnswersEverything(), "/", observed, max_examples=max_examples, seed=0)


def numbered(number: int) -> ProbeRequest:
    return ProbeRequest("GET", f"/{number}")


NUMBERED = st.integers(0, 10**6).map(numbered)


def two_ways(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
    """Numbers of 1000 or more are one deviation, multiples of 7 above 0
    another (1000 is not a multiple of 7, 7 is below 1000)."""
    number = int(request.path[1:])
    if number >= 1000:
        return Finding("a number below 1000", f"{number} is too big", signature="too big")
    if number and number % 7 == 0:
        return Finding("no multiple of 7", f"{number} is a multiple of 7", signature="seven")
    return None


def test_two_independent_deviations_are_both_recorded_each_shrunk() -> None:
    context = context_for()

    context.explore(NUMBERED, two_ways)

    found = {f.signature: int(f.request.path[1:]) for f in context.failures}
    assert found.keys() == {"too big", "seven"}
    assert found["too big"] == 1000
    # Shrunk within its own deviation: a small multiple of 7, not a big number.
    assert found["seven"] % 7 == 0 and found["seven"] < 1000


def test_one_deviation_met_by_many_requests_is_recorded_once() -> None:
    context = context_for()

    context.explore(NUMBERED, lambda q, r: two_ways(q, r) if int(q.path[1:]) >= 1000 else None)

    (failure,) = context.failures
    assert failure.request == numbered(1000)


def test_at_most_max_deviations_are_recorded() -> None:
    context = context_for()

    def every_number_its_own(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        return Finding("nothing", request.path, signature=request.path)

    context.explore(NUMBERED, every_number_its_own)

    assert len(context.failures) == MAX_DEVIATIONS


def test_a_known_deviation_lets_its_requests_pass() -> None:
    judge = unexplained(two_ways, {"too big"})

    assert judge(numbered(5000), ProbeResponse(200)) is None
    finding = judge(numbered(14), ProbeResponse(200))
    assert finding is not None and deviation_key(finding) == "seven"


def test_a_deviation_only_the_corpus_shows_is_recorded_as_the_corpus_request() -> None:
    # Hypothesis draws below 100 here: it finds the sevens, never the big ones.
    context = context_for()

    explore_with_examples(
        context,
        [numbered(3), numbered(2000), numbered(3000)],
        st.integers(0, 99).map(numbered),
        two_ways,
    )

    found = {f.signature: int(f.request.path[1:]) for f in context.failures}
    assert found["too big"] == 2000  # the first corpus request that showed it
    assert found["seven"] % 7 == 0


def test_an_app_with_two_independent_bugs_shows_both_under_one_check() -> None:
    # The zoo with a strong If-None-Match comparison (200 where W/"v1" must
    # give 304) and a weak If-Match comparison (304 or 200 where W/"v1" must
    # give 412): COND-PREC-0 combines both fields, and the first deviation
    # found no longer hides the other.
    app = zoo.make_app(strong_if_none_match=True, weak_if_match=True)

    report = check_app(app, paths=["/"], max_examples=30, select=["COND-PREC-0"])

    (result,) = report.results
    assert result.status is Status.FAILED
    deviations = [f for f in result.failures if not f.lenient]
    signatures = {f.signature for f in deviations}
    assert {
        "If-None-Match compared strongly (no weak comparison)",
        "If-Match compared weakly",
    } <= signatures, signatures
    for failure in deviations:
        assert "COND-PREC-0" in failure.explanation
        compile(failure.reproduce, "<reproduce>", "exec")


def test_a_corpus_request_a_recorded_deviation_explains_is_not_recorded() -> None:
    # "too big" is explored and recorded; the corpus request 2000 holds the
    # same deviation under another name, which says it is explained by it.
    def renamed(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        found = two_ways(request, response)
        if found is not None and request.path == "/2000":
            return Finding(
                "another name", "same cause", "renamed", explained_by=frozenset({"too big"})
            )
        return found

    context = context_for()

    explore_with_examples(context, [numbered(2000)], NUMBERED, renamed)

    assert "renamed" not in {failure.signature for failure in context.failures}


def test_every_reading_that_explains_a_status_is_named() -> None:
    from etagspec.conformance.oracle import case_of
    from etagspec.conformance.readings import deviant_signatures

    observed = Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'),), b"x"))
    request = ProbeRequest("GET", "/", (("If-None-Match", 'W/"v1"'),))

    names = deviant_signatures(case_of(request, observed), 200)

    # A target that answers 200 may ignore the field or compare strongly.
    assert {
        "If-None-Match ignored",
        "If-None-Match compared strongly (no weak comparison)",
    } <= names
    assert deviant_signatures(case_of(request, observed), 304) == frozenset()
