"""Resource hygiene: every iterable is closed once, every exception propagates.

Every iterable an app (or a handler's Response) hands to etagspec is closed
exactly once, on every path: 200, HEAD, 206, 304, 412, and exceptions raised
by the etag function, by the app or handler, or while the content is read.
Exceptions propagate as they would without etagspec: the very exception
object reaches the server (never swallowed, never wrapped), and
``start_response`` is called once (twice only with ``exc_info``).

Hypothesis generates thousands of requests over ``with_etag``,
``with_last_modified``, ``conditional`` and ``etag_middleware``; a ledger
counts every iterable opened and every ``close()``. The same ledger catches
a wrapper that forgets to close and one that closes twice.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etagspec import to_wsgi
from etagspec.caching import conditional, etag_middleware, with_etag, with_last_modified
from etagspec.environ import ENVIRON_KEYS
from etagspec.request import Request
from etagspec.response import Response

LAST_MODIFIED = 1_699_000_000
LAST_MODIFIED_TEXT = "Fri, 03 Nov 2023 08:26:40 GMT"
CHUNKS = (b"", b"first", b"second")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Boom(Exception):
    """What the app, its etag function or its content raises."""


@dataclass
class Ledger:
    """Every iterable opened for one request, and how often each was closed."""

    closes: list[int] = field(default_factory=list)
    failure_reached: bool = False

    def open(self) -> int:
        self.closes.append(0)
        return len(self.closes) - 1


class Tracked:
    """An app iterable: yields CHUNKS, raises ``failure`` at chunk
    ``fail_at`` (if set), optionally calls ``start_response`` lazily, and
    records its closes in the ledger."""

    def __init__(
        self,
        ledger: Ledger,
        fail_at: int | None,
        failure: BaseException,
        lazy_start: Callable[[], object] | None = None,
    ) -> None:
        self.ledger = ledger
        self.index = ledger.open()
        self.fail_at = fail_at
        self.failure = failure
        self.lazy_start = lazy_start

    def __iter__(self) -> Iterator[bytes]:
        if self.lazy_start is not None:
            self.lazy_start()
        for position, chunk in enumerate(CHUNKS):
            if position == self.fail_at:
                self.ledger.failure_reached = True
                raise self.failure
            yield chunk

    def close(self) -> None:
        self.ledger.closes[self.index] += 1


@dataclass(frozen=True)
class Scenario:
    """One request and how the app behind it misbehaves."""

    wrapper: str
    method: str
    fields: dict[str, str]
    fail: str  # "none", "etag", "call", "content"
    fail_at: int
    lazy_start: bool


@dataclass
class Outcome:
    status: str | None = None
    start_calls: int = 0
    raised: BaseException | None = None


def _handler_app(scenario: Scenario, ledger: Ledger, failure: Boom) -> WSGIApp:
    def current_etag(request: Request) -> str:
        if scenario.fail == "etag":
            raise failure
        return "v1"

    def handler(request: Request) -> Response:
        if scenario.fail == "call":
            raise failure
        fail_at = scenario.fail_at if scenario.fail == "content" else None
        return Response(Tracked(ledger, fail_at, failure), content_type="text/plain")

    decorate = {
        "with_etag": with_etag(current_etag),
        "with_last_modified": with_last_modified(lambda request: LAST_MODIFIED),
        "conditional": conditional(
            etag=current_etag, last_modified=lambda request: LAST_MODIFIED, ranges=True
        ),
    }[scenario.wrapper]
    return to_wsgi(decorate(handler))


def _bare_app(scenario: Scenario, ledger: Ledger, failure: Boom) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if scenario.fail in ("call", "etag"):
            raise failure
        headers = [
            ("Content-Type", "text/plain"),
            ("ETag", '"v1"'),
            ("Last-Modified", LAST_MODIFIED_TEXT),
        ]
        fail_at = scenario.fail_at if scenario.fail == "content" else None

        def start() -> object:
            return start_response("200 OK", headers)

        if scenario.lazy_start:
            return Tracked(ledger, fail_at, failure, lazy_start=start)
        start()
        return Tracked(ledger, fail_at, failure)

    return app


def build_app(scenario: Scenario, ledger: Ledger, failure: Boom) -> WSGIApp:
    if scenario.wrapper == "etag_middleware":
        return etag_middleware(_bare_app(scenario, ledger, failure))
    return _handler_app(scenario, ledger, failure)


def serve(app: WSGIApp, scenario: Scenario) -> Outcome:
    """Call ``app`` as a strict WSGI server does: iterate, then close."""
    outcome = Outcome()

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        assert outcome.start_calls == 0 or exc_info is not None, "start_response called twice"
        outcome.start_calls += 1
        outcome.status = status
        return lambda data: None

    environ = {
        "REQUEST_METHOD": scenario.method,
        "PATH_INFO": "/",
        "wsgi.input": io.BytesIO(),
        **scenario.fields,
    }
    try:
        result = app(environ, start_response)
    except Boom as error:
        outcome.raised = error
        return outcome
    try:
        for _ in result:
            pass
    except Boom as error:
        outcome.raised = error
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return outcome


def check_hygiene(scenario: Scenario, ledger: Ledger, outcome: Outcome, failure: Boom) -> None:
    """The rules of point 5 for one served request."""
    assert all(count == 1 for count in ledger.closes), f"closes per iterable: {ledger.closes}"
    if outcome.raised is not None:
        assert outcome.raised is failure  # the app's own exception, not a wrapper's
    else:
        assert outcome.start_calls == 1, "no response started"
        # Nothing swallowed: a failure that happened reached the server.
        assert not ledger.failure_reached, "an exception from the content was swallowed"
        if scenario.fail == "etag" and scenario.wrapper != "with_last_modified":
            pytest.fail("the etag function's exception was swallowed")
        if scenario.fail == "call":
            assert outcome.status is not None and outcome.status.startswith("412"), (
                "the app's exception was swallowed"
            )


WRAPPERS = ("with_etag", "with_last_modified", "conditional", "etag_middleware")
_PRECONDITION_FIELDS = st.dictionaries(
    st.sampled_from(list(ENVIRON_KEYS.values())),
    st.sampled_from(['"v1"', '"v0"', "*", 'W/"v1"', LAST_MODIFIED_TEXT, "bytes=0-2", "junk"]),
    max_size=3,
)
scenarios = st.builds(
    Scenario,
    wrapper=st.sampled_from(WRAPPERS),
    method=st.sampled_from(["GET", "HEAD", "PUT", "DELETE", "POST"]),
    fields=_PRECONDITION_FIELDS,
    fail=st.sampled_from(["none", "etag", "call", "content"]),
    fail_at=st.integers(0, len(CHUNKS) - 1),
    lazy_start=st.booleans(),
)

SERVED = {"requests": 0, "iterables": 0}


# Its own budget: the test below wants 1000 requests or more (about 1400).
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(scenarios, min_size=1, max_size=10))
def test_every_iterable_is_closed_once_and_exceptions_propagate(batch: list[Scenario]) -> None:
    for scenario in batch:
        ledger, failure = Ledger(), Boom(scenario)
        outcome = serve(build_app(scenario, ledger, failure), scenario)
        check_hygiene(scenario, ledger, outcome, failure)
        SERVED["requests"] += 1
        SERVED["iterables"] += len(ledger.closes)


def test_the_campaign_served_thousands_of_requests() -> None:
    # Runs after the property (pytest keeps file order); -p no:randomly safe.
    if SERVED["requests"] == 0:
        pytest.skip("run together with the property test")
    print(f"\nhygiene: {SERVED['requests']} requests, {SERVED['iterables']} iterables closed once")
    assert SERVED["requests"] >= 1000


@pytest.mark.parametrize("wrapper", WRAPPERS)
@pytest.mark.parametrize(
    ("fields", "status"),
    [({}, "200"), ({"HTTP_IF_NONE_MATCH": '"v1"'}, "304"), ({"HTTP_IF_MATCH": '"v0"'}, "412")],
)
def test_each_answer_closes_the_app_iterable(
    wrapper: str, fields: dict[str, str], status: str
) -> None:
    if wrapper == "with_last_modified" and status != "200":
        fields = (
            {"HTTP_IF_MODIFIED_SINCE": LAST_MODIFIED_TEXT}
            if status == "304"
            else {"HTTP_IF_UNMODIFIED_SINCE": "Thu, 01 Jan 1970 00:00:00 GMT"}
        )
    scenario = Scenario(wrapper, "GET", fields, "none", 0, False)
    ledger, failure = Ledger(), Boom()
    outcome = serve(build_app(scenario, ledger, failure), scenario)
    assert outcome.status is not None and outcome.status.startswith(status)
    check_hygiene(scenario, ledger, outcome, failure)


def test_an_exception_after_start_response_keeps_its_exc_info() -> None:
    """An app that reports its own error with exc_info passes it on once."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"v1"')])
        try:
            raise Boom("late")
        except Boom:
            start_response(
                "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
            )
        return [b"error"]

    calls: list[tuple[str, Any]] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        calls.append((status, exc_info))
        return lambda data: None

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_IF_NONE_MATCH": '"v1"'}
    body = etag_middleware(app)(environ, start_response)
    assert b"".join(body) == b"error"
    assert len(calls) == 1 and calls[0][0].startswith("500")
    assert calls[0][1] is not None and calls[0][1][0] is Boom


# --- the ledger catches wrappers that get closing wrong ------------------------------


def _forgets_to_close(app: WSGIApp) -> WSGIApp:
    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return iter(list(app(environ, start_response)))

    return wrapper


def _closes_twice(app: WSGIApp) -> WSGIApp:
    class Twice:
        def __init__(self, inner: Iterable[bytes]) -> None:
            self.inner = inner

        def __iter__(self) -> Iterator[bytes]:
            return iter(self.inner)

        def close(self) -> None:
            self.inner.close()  # type: ignore[attr-defined]
            self.inner.close()  # type: ignore[attr-defined]

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return Twice(app(environ, start_response))

    return wrapper


def _swallows(app: WSGIApp) -> WSGIApp:
    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return list(app(environ, start_response))
        except Boom:
            return []

    return wrapper


@pytest.mark.parametrize(
    ("mutant", "fail", "message"),
    [
        (_forgets_to_close, "none", "closes per iterable"),
        (_closes_twice, "none", "closes per iterable"),
        (_swallows, "content", "closes per iterable|swallowed"),
    ],
)
def test_the_ledger_catches_a_careless_wrapper(
    mutant: Callable[[WSGIApp], WSGIApp], fail: str, message: str
) -> None:
    scenario = Scenario("etag_middleware", "GET", {}, fail, 1, False)
    ledger, failure = Ledger(), Boom()
    outcome = serve(mutant(_bare_app(scenario, ledger, failure)), scenario)
    with pytest.raises(AssertionError, match=message):
        check_hygiene(scenario, ledger, outcome, failure)
