"""The shortcuts of the hot paths answer exactly what the general evaluation does.

A tag-only conditional handler served by ``to_wsgi`` answers the commonest
conditional GET (If-None-Match deciding alone, RFC 9110 §13.2.2 step 3)
without building an EntityTag, a Resource or a second Response, and
``etag_middleware`` judges If-None-Match in one pass over the app's lines.
These tests compare both with the general path on the same requests: for a
handler, the same decorator with an ``exists`` function (which never takes
the shortcut); for the middleware, :func:`etagspec.preconditions.evaluate`
on the app's own validators.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec.caching import conditional, etag_middleware
from etagspec.etags import EntityTag, parse_entity_tag
from etagspec.preconditions import Conditions, Outcome, Resource, evaluate
from etagspec.request import Request
from etagspec.response import Response
from etagspec.strategies import (
    etag_list_values,
    http_dates,
    malformed_etag_list_values,
    opaque_tags,
)
from etagspec.wsgi_adapter import to_wsgi

REVISIONS = st.one_of(
    opaque_tags(alphabet="safe", min_size=1, max_size=12),
    st.text(max_size=8),
    st.integers(-5, 10**6),
    st.builds(EntityTag, opaque_tags(max_size=8), st.booleans()),
    st.none(),
)
METHODS = st.sampled_from(["GET", "HEAD", "PUT", "DELETE", "POST", "OPTIONS"])
STATUSES = st.sampled_from([200, 201, 204, 206, 301, 404])


@st.composite
def if_none_match_values(draw: st.DrawFn, current: str | None) -> str:
    """An If-None-Match that may name the current tag, in any form."""
    options = [etag_list_values(), malformed_etag_list_values(), st.just("*")]
    if current is not None:
        options += [st.just(current), st.just(" " + current + " ,"), st.just('W/"x", ' + current)]
    return draw(st.one_of(options))


def _environ(method: str, fields: dict[str, str]) -> dict[str, Any]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": "/doc"}
    environ.update(
        {"HTTP_" + name.upper().replace("-", "_"): value for name, value in fields.items()}
    )
    return environ


def _served(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    seen: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append((status, headers))
        return None

    iterable = app(dict(environ), start_response)
    try:
        body = b"".join(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    status, headers = seen[-1]
    return status, list(headers), body


@st.composite
def handler_cases(draw: st.DrawFn) -> tuple[Any, bool, int, bool, dict[str, Any]]:
    revision = draw(REVISIONS)
    weak = draw(st.booleans())
    status = draw(STATUSES)
    own_etag = draw(st.booleans())
    current = None
    if isinstance(revision, EntityTag):
        current = str(revision)
    elif revision is not None and draw(st.booleans()):
        current = ('W/"' if weak else '"') + str(revision) + '"'
    fields: dict[str, str] = {}
    if draw(st.booleans()):
        fields["If-None-Match"] = draw(if_none_match_values(current))
    for name in ("If-Match", "If-Unmodified-Since", "If-Modified-Since"):
        if draw(st.integers(0, 5)) == 0:
            fields[name] = draw(http_dates()) if "Since" in name else draw(etag_list_values())
    environ = _environ(draw(METHODS), fields)
    return revision, weak, status, own_etag, environ


@given(handler_cases())
def test_a_tag_only_handler_served_by_to_wsgi_answers_as_the_general_path(
    case: tuple[Any, bool, int, bool, dict[str, Any]],
) -> None:
    revision, weak, status, own_etag, environ = case

    def view(request: Request) -> Response:
        headers = [("ETag", '"own"')] if own_etag else []
        return Response([b"body"], status, headers, cache_control="max-age=1")

    fast = to_wsgi(conditional(etag=lambda request: revision, weak=weak)(view))
    general = to_wsgi(
        conditional(etag=lambda request: revision, weak=weak, exists=lambda request: True)(view)
    )
    assert fast is not general
    assert _served(fast, environ) == _served(general, environ)


@st.composite
def middleware_cases(draw: st.DrawFn) -> tuple[list[tuple[str, str]], str, dict[str, Any]]:
    etag = draw(
        st.one_of(
            st.none(),
            st.builds(str, st.builds(EntityTag, opaque_tags(max_size=8), st.booleans())),
            st.text(max_size=6),
            st.sampled_from(["*", ' "a" ', '"a", "b"', 'W/"a"', '"a']),
        )
    )
    headers = [("Content-Type", "text/plain"), ("Vary", "Accept")]
    if etag is not None:
        headers.insert(draw(st.integers(0, 2)), (draw(st.sampled_from(["ETag", "etag"])), etag))
    status = draw(st.sampled_from(["200 OK", "203 Non-Authoritative Information", "404 Not Found"]))
    current = etag if etag is not None and draw(st.booleans()) else None
    fields = {"If-None-Match": draw(if_none_match_values(current))}
    if draw(st.integers(0, 4)) == 0:
        fields["If-Match"] = draw(etag_list_values())
    return headers, status, _environ(draw(st.sampled_from(["GET", "HEAD"])), fields)


def _expected_status(headers: list[tuple[str, str]], status: str, environ: dict[str, Any]) -> str:
    """What RFC 9110 §13.2.2 says, from the app's first valid ETag."""
    if not status.startswith("2"):
        return status
    etag: EntityTag | None = None
    for name, value in headers:
        if name.lower() == "etag":
            try:
                etag = parse_entity_tag(value)
            except ValueError:
                etag = None
            break
    conditions = Conditions(
        if_none_match=environ.get("HTTP_IF_NONE_MATCH"), if_match=environ.get("HTTP_IF_MATCH")
    )
    decision = evaluate(environ["REQUEST_METHOD"], conditions, Resource(etag=etag))
    if decision.outcome is Outcome.NOT_MODIFIED:
        return "304 Not Modified"
    if decision.outcome is Outcome.PRECONDITION_FAILED:
        return "412 Precondition Failed"
    return status


@given(middleware_cases())
def test_etag_middleware_judges_if_none_match_as_evaluate_does(
    case: tuple[list[tuple[str, str]], str, dict[str, Any]],
) -> None:
    headers, status, environ = case

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response(status, list(headers))
        return [b"body"]

    answered, lines, body = _served(etag_middleware(app), environ)
    assert answered == _expected_status(headers, status, environ)
    if answered.startswith("304"):
        assert body == b""
        assert [line for line in lines if line[0].lower() == "etag"] == [
            line for line in headers if line[0].lower() == "etag"
        ]
        assert ("Content-Type", "text/plain") not in lines


@pytest.mark.parametrize(
    ("etag", "if_none_match", "expected"),
    [
        ("*", "*", "304 Not Modified"),  # an invalid ETag is absent: * is false
        ('"a b"', '"a b"', "200 OK"),  # invalid on both sides: the field is true
        (' "a" ', ' "a" ', "304 Not Modified"),  # OWS around a valid tag
        ('W/"a"', 'W/"a"', "304 Not Modified"),
    ],
)
def test_etag_middleware_on_an_if_none_match_equal_to_the_etag_line(
    etag: str, if_none_match: str, expected: str
) -> None:
    headers = [("ETag", etag), ("Content-Type", "text/plain")]
    environ = _environ("GET", {"If-None-Match": if_none_match})
    assert _expected_status(headers, "200 OK", environ) == expected

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", list(headers))
        return [b"body"]

    assert _served(etag_middleware(app), environ)[0] == expected
