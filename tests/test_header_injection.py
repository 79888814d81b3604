"""No header injection: no value reaches the wire with CR, LF or NUL.

Whatever an etag function or a last-modified function returns, and whatever
text reaches ``make_etag``, ``quoted_string``, ``cache_control`` or a
Response header, etagspec either refuses it with its documented error or
emits header lines free of CR, LF and NUL; and every ETag it emits matches
the RFC 9110 §8.8.3 grammar, checked here with a pattern written from the
ABNF independently of the one etagspec uses.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec import strategies as ets
from etagspec import to_wsgi
from etagspec.cache_control import format_cache_control
from etagspec.caching import cache_control, make_etag, quoted_string, with_etag, with_last_modified
from etagspec.errors import (
    InvalidCacheControl,
    InvalidEntityTag,
    InvalidHeaderValue,
    InvalidHTTPDate,
)
from etagspec.etags import EntityTag, format_entity_tag_list
from etagspec.request import Request
from etagspec.response import Response
from etagspec.testing import TestApp

# entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE
# etagc = %x21 / %x23-7E / obs-text ; obs-text = %x80-FF
ENTITY_TAG = re.compile('(?:W/)?"[!#-~\x80-\xff]*"')
# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
# qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
QUOTED_STRING = re.compile('"(?:[\t !#-\\[\\]-~\x80-\xff]|\\\\[\t -~\x80-\xff])*"')
FORBIDDEN = re.compile("[\r\n\x00]")

#: Any text at all, with the dangerous characters made frequent.
hostile_text = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["\r", "\n", "\r\n", "\x00", '"', "\\", " ", "\t", "W/", "a", "\xff", "é"])
    ).map("".join),
)
#: What an etag or last-modified function might return.
returned_values = st.one_of(
    st.none(),
    hostile_text,
    st.binary(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.tuples(hostile_text, st.integers()),
    st.dictionaries(hostile_text, hostile_text, max_size=3),
    st.datetimes(timezones=st.none() | st.timezones()),
    ets.entity_tags(),
)


def _headers_of(app: Any) -> list[tuple[str, str]]:
    """The headers ``app`` sends to a GET, exactly as it passed them.
    WebTest's lint is off: it refuses the HTAB that a quoted-string may hold."""
    return TestApp(app, lint=False).get("/").headers


def _assert_clean(headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        assert not FORBIDDEN.search(name) and not FORBIDDEN.search(value), (name, value)
        if name.lower() == "etag":
            assert ENTITY_TAG.fullmatch(value), value


def _handler(request: Request) -> Response:
    return Response(["x"], content_type="text/plain")


@given(value=returned_values, weak=st.booleans())
def test_with_etag_emits_a_grammatical_etag_whatever_the_function_returns(
    value: object, weak: bool
) -> None:
    app = to_wsgi(with_etag(lambda request: value, weak=weak)(_handler))
    headers = _headers_of(app)
    _assert_clean(headers)
    etags = [v for k, v in headers if k == "ETag"]
    assert len(etags) == (0 if value is None else 1)


@given(value=returned_values)
def test_with_last_modified_emits_clean_dates_or_refuses(value: object) -> None:
    app = to_wsgi(with_last_modified(lambda request: value)(_handler))
    try:
        headers = _headers_of(app)
    except (TypeError, InvalidHTTPDate):
        # Documented: a value that is not a datetime or seconds is a TypeError;
        # one outside the years 1..9999 (or NaN) an InvalidHTTPDate.
        return
    _assert_clean(headers)


@given(text=hostile_text, weak=st.booleans())
def test_make_etag_output_is_an_entity_tag(text: str, weak: bool) -> None:
    try:
        tag = make_etag(text, weak)
    except InvalidEntityTag:
        return
    assert ENTITY_TAG.fullmatch(tag) and not FORBIDDEN.search(tag)


@given(text=hostile_text)
def test_quoted_string_output_is_a_quoted_string(text: str) -> None:
    try:
        quoted = quoted_string(text)
    except InvalidHeaderValue:
        assert FORBIDDEN.search(text) or re.search("[^\t\x20-\x7e\x80-\xff]", text)
        return
    assert QUOTED_STRING.fullmatch(quoted) and not FORBIDDEN.search(quoted)


directive_names = st.one_of(
    st.sampled_from(
        ["max_age", "no_cache", "private", "no_store", "public", "s_maxage", "community"]
    ),
    st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True),
)
directive_values = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(-5, 2**40),
    hostile_text,
    st.lists(hostile_text, max_size=3),
)


@given(directives=st.dictionaries(directive_names, directive_values, max_size=4))
def test_cache_control_emits_clean_headers_or_refuses(directives: dict[str, object]) -> None:
    try:
        decorate: Callable[..., Any] = cache_control(**directives)
    except (InvalidCacheControl, TypeError):
        return
    _assert_clean(_headers_of(to_wsgi(decorate(_handler))))
    value = format_cache_control(**directives)
    assert not FORBIDDEN.search(value)


@given(name=hostile_text, value=hostile_text)
def test_a_response_header_is_clean_or_refused(name: str, value: str) -> None:
    try:
        response = Response(["x"], headers=[(name, value)])
    except InvalidHeaderValue:
        return
    _assert_clean(response.headers)
    _assert_clean(response.add_header("X-Extra", value).headers)


@given(tags=st.lists(ets.entity_tags(), max_size=4))
def test_formatted_tags_are_entity_tags(tags: list[EntityTag]) -> None:
    for tag in tags:
        assert ENTITY_TAG.fullmatch(str(tag))
    assert not FORBIDDEN.search(format_entity_tag_list(tags))


@pytest.mark.parametrize(
    "evil", ["v1\r\nSet-Cookie: a=b", "v1\nX: y", "v1\x00", 'v1"\r\n', "\r\n\r\n<html>"]
)
def test_the_classic_injections_become_digests(evil: str) -> None:
    headers = _headers_of(to_wsgi(with_etag(lambda request: evil)(_handler)))
    _assert_clean(headers)
    with pytest.raises(InvalidEntityTag):
        make_etag(evil)


def test_the_patterns_reject_what_they_must() -> None:
    # The independent patterns are what the properties rely on: they must fail.
    assert not ENTITY_TAG.fullmatch('"a b"') and not ENTITY_TAG.fullmatch('"a"\r\nX: y')
    assert not QUOTED_STRING.fullmatch('"a"b"') and not QUOTED_STRING.fullmatch('"\\\n"')
    assert FORBIDDEN.search("a\r\nb") and FORBIDDEN.search("\x00")
    assert ENTITY_TAG.fullmatch('W/"\xff!"') and QUOTED_STRING.fullmatch('"a\\"b"')
    naive = datetime.datetime(2000, 1, 1)
    assert _headers_of(to_wsgi(with_last_modified(lambda request: naive)(_handler)))
