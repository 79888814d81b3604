"""The hostile-input campaign on a small budget: no input crashes a parser or an app.

The rules live in ``fuzz/hostile.py`` and are shared with the atheris
campaign (``make fuzz``); here Hypothesis draws the inputs: arbitrary latin-1
text (what a WSGI server delivers), runs of the classic ReDoS fragments, and
the valid and near-miss values of :mod:`etagspec.strategies`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etagspec import strategies as ets
from etagspec.demo import make_app
from etagspec.testing import TestApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))

import hostile

#: Text as a WSGI server delivers it: any octet, decoded as latin-1.
latin1_text = st.one_of(
    st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=40),
    st.binary(max_size=40).map(lambda data: data.decode("latin-1")),
)
#: Runs of the fragments that make backtracking parsers slow.
redos_shapes = st.lists(
    st.sampled_from([",", " ", "\t", "W/", '"', "\\", "=", "-", "0", "a", "*", ";"]),
    max_size=60,
).map("".join)
field_texts = st.one_of(
    latin1_text,
    redos_shapes,
    st.sampled_from(hostile.WELL_FORMED_VALUES),
    st.tuples(st.sampled_from(hostile.WELL_FORMED_VALUES), latin1_text).map("".join),
    ets.etag_list_values(),
    ets.malformed_etag_list_values(),
    ets.http_dates(),
    ets.invalid_http_dates(),
    ets.if_range_values(),
    ets.cache_control_values(),
)

requests = st.builds(
    hostile.HostileRequest,
    method=st.one_of(st.sampled_from(hostile.METHODS), latin1_text),
    path=st.one_of(st.sampled_from(["/hello", "/data.json", "/new"]), latin1_text),
    fields=st.dictionaries(st.sampled_from(hostile.ENVIRON_FIELDS), field_texts, max_size=4),
    body=st.binary(max_size=8),
)

BUDGET = settings(suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("parser", sorted(hostile.PARSERS))
@BUDGET
@given(text=field_texts)
def test_parsers_raise_only_their_documented_errors(parser: str, text: str) -> None:
    hostile.check_parser(parser, text)


@pytest.mark.parametrize("target", sorted(hostile.WSGI_TARGETS))
@BUDGET
@given(batch=st.lists(requests, min_size=1, max_size=4))
def test_apps_answer_every_request_validly(
    target: str, batch: list[hostile.HostileRequest]
) -> None:
    app = hostile.WSGI_TARGETS[target]()
    for request in batch:
        assert hostile.check_wsgi(app, request) < 500


# --- the rules themselves can fail --------------------------------------------


def test_an_undocumented_parser_error_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> None:
        raise IndexError(text)

    monkeypatch.setitem(hostile.PARSERS, "broken", hostile.Parser(broken, (ValueError,)))
    with pytest.raises(hostile.Finding, match="IndexError"):
        hostile.check_parser("broken", "x")


def _app(status: str, headers: list[tuple[str, str]], write_error: bool = False) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if write_error:
            environ["wsgi.errors"].write("Traceback (most recent call last):\n")
        start_response(status, headers)
        return [b"x"]

    return app


def _raising_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    raise KeyError("oops")


@pytest.mark.parametrize(
    ("app", "why"),
    [
        (_app("500 Internal Server Error", [("Content-Type", "text/plain")]), "500"),
        (_raising_app, "KeyError"),
        (_app("200 OK", [("Content-Type", "text/plain")], write_error=True), "wsgi.errors"),
        (_app("200 OK", [("Content-Type", "text/plain\tx")]), "Bad header value"),
        (_app("304 Not Modified", [("Content-Type", "text/plain")]), "Content-Type"),
    ],
)
def test_a_broken_app_is_a_finding(app: Any, why: str) -> None:
    with pytest.raises(hostile.Finding, match=why):
        hostile.check_wsgi(app, hostile.HostileRequest())


# --- what the campaign found in the demo (fixed) -----------------------------------


@pytest.mark.parametrize("content_type", ["text/plain\r\nX-Evil: 1", "text/plain;\tq=1", "a\x00"])
def test_demo_refuses_a_content_type_it_could_not_send_back(content_type: str) -> None:
    app = make_app({})
    assert (
        hostile.check_wsgi(
            app, hostile.HostileRequest("PUT", "/d", {"CONTENT_TYPE": content_type}, b"x")
        )
        == 400
    )
    assert hostile.check_wsgi(app, hostile.HostileRequest("GET", "/d")) == 404


def test_demo_percent_encodes_the_location_of_a_created_document() -> None:
    client = TestApp(make_app({}))
    # PATH_INFO is the decoded path: "/a\r\nSet-Cookie: x=1\x00\xff".
    created = client.put("/a%0d%0aSet-Cookie:%20x=1%00%ff", b"x", CONTENT_TYPE="text/plain")
    assert created.status_code == 201
    assert created.header("Location") == "/a%0D%0ASet-Cookie:%20x=1%00%FF"


def test_demo_waits_on_the_clock_it_is_given() -> None:
    slept: list[float] = []
    now = [1_000_000.25]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    client = TestApp(make_app({}, clock=lambda: now[0], sleep=sleep))
    first = client.put("/d", b"1", CONTENT_TYPE="text/plain")
    second = client.put("/d", b"2", CONTENT_TYPE="text/plain")
    assert slept == [0.75]  # the second write waited for the next second, simulated
    assert first.header("Last-Modified") != second.header("Last-Modified")
