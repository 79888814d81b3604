"""Byte ranges: the parser, resolution, and the reference app's 206/416."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec.demo import make_app
from etagspec.ranges import HUGE_POSITION, InvalidRange, parse_range, resolve_ranges
from etagspec.testing import TestApp

BODY = bytes(range(100))


@pytest.mark.parametrize(
    ("value", "length", "expected"),
    [
        ("bytes=0-499", 10000, [(0, 499)]),  # RFC 9110 §14.1.2 examples
        ("bytes=500-999", 10000, [(500, 999)]),
        ("bytes=-500", 10000, [(9500, 9999)]),
        ("bytes=9500-", 10000, [(9500, 9999)]),
        ("bytes=0-0,-1", 10000, [(0, 0), (9999, 9999)]),
        ("bytes= 0-999, 4500-5499, -1000", 10000, [(0, 999), (4500, 5499), (9000, 9999)]),
        ("BYTES=0-1", 10, [(0, 1)]),  # range units are case-insensitive (RNG-2)
        ("bytes=0-1000", 10, [(0, 9)]),  # last-pos beyond the end (RNG-14)
        ("bytes=-20", 10, [(0, 9)]),
        ("bytes=10-", 10, []),  # first-pos at the length: unsatisfiable
        ("bytes=-0", 10, []),
        ("bytes=-5", 0, []),
    ],
)
def test_rfc_examples(value: str, length: int, expected: list[tuple[int, int]]) -> None:
    assert resolve_ranges(parse_range(value), length) == expected


@pytest.mark.parametrize(
    "value", ["bytes=9-1", "pages=1-2", "bytes=", "bytes=a-b", "bytes=1-2-3", "bytes", "=0-1"]
)
def test_invalid(value: str) -> None:
    with pytest.raises(InvalidRange):
        parse_range(value)


@given(st.text(st.characters(max_codepoint=0xFF), max_size=40))
def test_never_raises_anything_else(value: str) -> None:
    try:
        specs = parse_range(value)
    except InvalidRange:
        return
    for first, last in resolve_ranges(specs, 50):
        assert 0 <= first <= last < 50


@given(st.integers(0, 200), st.integers(0, 200), st.integers(1, 300))
def test_resolved_ranges_lie_inside_the_representation(a: int, b: int, length: int) -> None:
    first, last = min(a, b), max(a, b)
    for start, end in resolve_ranges(parse_range(f"bytes={first}-{last}"), length):
        assert start == first and end == min(last, length - 1)


def demo() -> TestApp:
    return TestApp(make_app({"/blob": BODY}))


def test_single_range_gets_206() -> None:
    response = demo().get("/blob", HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response.body == BODY[10:20]
    assert response.header("Content-Range") == "bytes 10-19/100"
    assert response.header("Content-Length") == "10"
    assert response.header("ETag") is not None  # ST-206-1


def test_unsatisfiable_range_gets_416() -> None:
    response = demo().get("/blob", HTTP_RANGE="bytes=500-")
    assert response.status_code == 416
    assert response.header("Content-Range") == "bytes */100"


@pytest.mark.parametrize("value", ["bytes=9-1", "pages=1-2", "bytes=0-1,5-6"])
def test_invalid_unknown_or_multiple_ranges_get_the_whole_200(value: str) -> None:
    response = demo().get("/blob", HTTP_RANGE=value)
    assert response.status_code == 200
    assert response.body == BODY


def test_if_range_decides() -> None:
    client = demo()
    full = client.get("/blob")
    etag, modified = full.header("ETag"), full.header("Last-Modified")
    assert full.header("Accept-Ranges") == "bytes"
    assert client.get("/blob", HTTP_RANGE="bytes=0-0", HTTP_IF_RANGE=etag).status_code == 206
    assert client.get("/blob", HTTP_RANGE="bytes=0-0", HTTP_IF_RANGE=modified).status_code == 206
    assert client.get("/blob", HTTP_RANGE="bytes=0-0", HTTP_IF_RANGE='"old"').status_code == 200
    weak = f"W/{etag}"
    assert client.get("/blob", HTTP_RANGE="bytes=0-0", HTTP_IF_RANGE=weak).status_code == 200


def test_head_ignores_range() -> None:
    response = demo().head("/blob", HTTP_RANGE="bytes=0-0")
    assert response.status_code == 200
    assert response.header("Content-Length") == "100"


def test_positions_of_any_length_parse_without_a_stray_error() -> None:
    # Thousands of digits: no ValueError from int()'s digit limit, and the
    # order of first/last is still judged exactly.
    huge = "9" * 8000
    assert parse_range(f"bytes=0-{huge}") == [(0, HUGE_POSITION)]
    assert parse_range(f"bytes={huge}-") == [(HUGE_POSITION, None)]
    assert parse_range(f"bytes=-{huge}") == [(None, HUGE_POSITION)]
    assert parse_range(f"bytes={huge}8-{huge}9") == [(HUGE_POSITION, HUGE_POSITION)]
    assert parse_range("bytes=000000000000000000000000005-7") == [(5, 7)]
    with pytest.raises(InvalidRange):
        parse_range(f"bytes={huge}9-{huge}8")
    assert resolve_ranges(parse_range(f"bytes=0-{huge}"), 10) == [(0, 9)]
    assert resolve_ranges(parse_range(f"bytes={huge}-"), 10) == []


def test_a_range_with_thousands_of_digits_is_no_server_error() -> None:
    # Before: int() refused the 5,000-digit last-pos and the demo answered 500.
    response = TestApp(make_app()).get("/hello", HTTP_RANGE="bytes=0-" + "9" * 5000)
    assert response.status_code == 206
