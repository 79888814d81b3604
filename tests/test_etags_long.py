"""Long If-Match / If-None-Match values take the element-by-element path;
it must agree with the single-match path everywhere."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from webtest import TestApp

from etagspec import etags
from etagspec.caching import etag_middleware
from etagspec.errors import InvalidEntityTag
from etagspec.etags import EntityTag, parse_entity_tag_list
from etagspec.limits import MAX_EMPTY_LIST_ELEMENTS, MAX_FIELD_LENGTH
from etagspec.preconditions import if_none_match_holds

pieces = st.sampled_from(
    ['"a"', 'W/"b,c"', '"\\\\"', ",", " ", "\t", "*", "x", '"', "W/", '"d" "e"']
)


def both_paths(value: str) -> tuple[object, object]:
    """What the single match and the element-by-element scan make of
    ``value`` (its parts, or None when it is not a list)."""
    short = etags.split_entity_tag_list(value)
    limit = etags._SINGLE_MATCH_LIMIT
    try:
        etags._SINGLE_MATCH_LIMIT = -1  # type: ignore[misc]
        long = etags.split_entity_tag_list(value)
    finally:
        etags._SINGLE_MATCH_LIMIT = limit  # type: ignore[misc]
    return short, long


@given(st.lists(pieces, max_size=12).map("".join))
def test_scanner_agrees_with_single_match(value: str) -> None:
    short, long = both_paths(value)
    assert short == long
    try:  # and the parser reads the tags of exactly the values both accept
        parse_entity_tag_list(value)
    except InvalidEntityTag:
        assert short is None
    else:
        assert short is not None or value.strip(" \t") == "*"


@pytest.mark.parametrize("unit", [", ", '"a", ', 'W/"abc",,', " \t"])
def test_long_lists_use_little_memory(unit: str) -> None:
    # A parse that costs memory per input character costs it at any size, and
    # tracing every allocation of a parse is slow: 128 KiB, not 512 KiB. (The
    # old one-regex list match costs 107-145 bytes a character on these units
    # at 64, 128 and 512 KiB alike, over the bound at each size.)
    value = unit * (128 * 1024 // len(unit))
    tracemalloc.start()
    try:
        with contextlib.suppress(InvalidEntityTag):
            parse_entity_tag_list(value)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The tags themselves may be kept; the parse must not cost ~270 bytes per
    # input character as one backtracking match did.
    assert peak < 100 * len(value)


# --- commas inside tags ------------------------------------------------------------
# A comma is an etagc (ABNF-ETAG-5): inside the quotes it belongs to the tag and
# delimits no list element, so it never counts against MAX_EMPTY_LIST_ELEMENTS.

ETAGC = "\x21" + "".join(map(chr, range(0x23, 0x7F))) + "".join(map(chr, range(0x80, 0x100)))
ows = st.text(alphabet=" \t", max_size=2)
# Opaque values rich in commas: short etagc runs and runs of up to 4000 commas
# (a 16 KiB field, MAX_FIELD_LENGTH, holds a few of them).
comma_opaques = st.lists(
    st.one_of(
        st.text(alphabet=ETAGC, max_size=4),
        st.integers(0, 4000).map(lambda n: "," * n),
    ),
    max_size=4,
).map("".join)
comma_tags = st.builds(EntityTag, comma_opaques, st.booleans())


@st.composite
def lists_with_comma_tags(draw: st.DrawFn) -> tuple[list[EntityTag], str, int]:
    """Tags holding commas, written as a list with OWS and up to
    MAX_EMPTY_LIST_ELEMENTS empty elements between, before and after them;
    the tags, the value and its number of empty elements."""
    tags = draw(st.lists(comma_tags, min_size=1, max_size=12))
    # k empty elements in a gap are k extra commas, each with OWS around it.
    budget = draw(st.integers(0, MAX_EMPTY_LIST_ELEMENTS))
    gaps = [0] * (len(tags) + 1)
    for _ in range(draw(st.integers(0, 4))):
        gap = draw(st.integers(0, len(tags)))
        gaps[gap] += draw(st.integers(0, budget - sum(gaps)))

    def empties(count: int) -> str:
        return (draw(ows) + ",") * count + draw(ows)

    pieces = [empties(gaps[0])]
    for index, member in enumerate(tags):
        if index:
            pieces.append("," + empties(gaps[index]))
        pieces.append(str(member) + draw(ows))
    pieces.append(("," + draw(ows)) * gaps[-1])
    return tags, "".join(pieces), sum(gaps)


@given(lists_with_comma_tags())
def test_lists_of_tags_holding_commas_parse_to_their_tags(
    case: tuple[list[EntityTag], str, int],
) -> None:
    tags, value, empty_elements = case
    assert empty_elements <= MAX_EMPTY_LIST_ELEMENTS
    assert parse_entity_tag_list(value) == tuple(tags)
    assert both_paths(value)[0] == both_paths(value)[1]
    if len(value) <= MAX_FIELD_LENGTH:  # what precondition evaluation reads
        for member in tags:
            assert not if_none_match_holds(value, member.opaque)
    # The cap still holds, counted outside the tags only.
    over = value + "," * (MAX_EMPTY_LIST_ELEMENTS - empty_elements + 1)
    with pytest.raises(InvalidEntityTag):
        parse_entity_tag_list(over)


def test_the_comma_run_tag_of_the_report_parses() -> None:
    value = '"a", "' + "," * 1001 + '"'
    assert parse_entity_tag_list(value) == (EntityTag("a"), EntityTag("," * 1001))
    assert etags.split_entity_tag_list(value) == ["", "a", ", ", "," * 1001, ""]


def _app_tagged(etag: str) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", etag)])
        return [b"body"]

    return app


@pytest.mark.parametrize(
    ("etag", "if_none_match"),
    [
        ('"v1"', '"a", "' + "," * 1001 + '", "v1"'),
        ('"' + "," * 1001 + '"', '"a", "' + "," * 1001 + '"'),
        ('W/"' + "," * 1001 + '"', 'W/"a", W/"' + "," * 1001 + '"'),
    ],
    ids=["tag-after-comma-run", "comma-run-tag", "weak-comma-run-tag"],
)
def test_middleware_answers_304_past_a_tag_full_of_commas(etag: str, if_none_match: str) -> None:
    app = etag_middleware(_app_tagged(etag))
    response = TestApp(app).get("/", headers={"If-None-Match": if_none_match}, status=304)
    assert response.body == b""
    assert response.headers["ETag"] == etag
