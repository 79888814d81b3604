"""Long If-Match / If-None-Match values take the element-by-element path;
it must agree with the single-match path everywhere."""

from __future__ import annotations

import contextlib
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etagspec import etags
from etagspec.errors import InvalidEntityTag
from etagspec.etags import parse_entity_tag_list

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


@settings(max_examples=300)
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
    value = unit * (512 * 1024 // len(unit))
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
