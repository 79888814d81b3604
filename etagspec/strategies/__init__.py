"""Hypothesis strategies for HTTP validators and conditional requests.

These generate what docs/SPEC.md asks property-based tests to cover: entity
tags drawn from all of ``etagc``, If-Match / If-None-Match lists with random
OWS and empty elements, HTTP-dates in all three formats around a chosen
instant, the near misses that RFC 9110 rejects, Cache-Control values, and
whole precondition scenarios (method, request fields, resource state). The
conformance harness uses them, and so can anyone testing their own server::

    from hypothesis import given

    from etagspec.preconditions import evaluate
    from etagspec.strategies import precondition_scenarios

    @given(precondition_scenarios())
    def test_decisions_are_304_412_or_proceed(scenario):
        method, conditions, resource = scenario
        assert evaluate(method, conditions, resource).status in (None, 304, 412)

For speed, :func:`etag_list_values`, :func:`malformed_etag_list_values`,
:func:`http_dates`, :func:`invalid_http_dates` and :func:`if_range_values`
take ``compact=True``, and :func:`compact` builds whole values (a request,
say) from them: a compact value is ONE Hypothesis choice, a byte string the
same generators read their decisions from, several times cheaper to draw
than the thirty or more choices of a list of tags, and it shrinks towards
the same simplest value. The conformance harness draws its requests so.

:func:`handler_behaviours` draws inner WSGI apps for checking a layer that
wraps apps (``etagspec check-layer``): each builds an app whose ledger
records what it computed, wrote, raised and how often it was closed.
:func:`asgi_handler_behaviours` draws the same behaviours as inner ASGI
apps, for ASGI layers.

Every strategy that promises valid (or invalid) text says so in its
docstring, and every promise is checked by ``tests/test_strategies.py``
against the library's parsers and against regular expressions written
independently from the ABNF.

Options are keyword-only. As with Hypothesis's own strategies, they are
checked when the strategy is first used (drawn from, or ``.validate()``-d),
and misuse raises :class:`hypothesis.errors.InvalidArgument`:

>>> entity_tags(weak="yes").validate()
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: weak='yes' must be True, False or None
>>> http_dates(formats=["iso8601"]).validate()
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: formats=['iso8601'] may only contain 'imf', 'rfc850', 'asctime'
"""

from __future__ import annotations

from ._cache_control import cache_control_values, cache_controls
from ._dates import dated_http_dates, http_dates, if_range_values, invalid_http_dates
from ._etags import entity_tags, legacy_entity_tag_texts, malformed_entity_tag_texts, opaque_tags
from ._handlers import (
    ASGIBehaviourApp,
    BehaviourApp,
    HandlerBehaviour,
    HandlerError,
    HandlerLedger,
    HandlerOutput,
    asgi_handler_behaviours,
    handler_behaviours,
    with_asgi_traits,
)
from ._lists import etag_list_values, malformed_etag_list_values
from ._scenarios import conditions, methods, precondition_scenarios, resources
from ._tape import choose, compact

# Written by hand: tests/test_strategies.py checks that every name here exists
# and is public, and that every public strategy of the package is here.
__all__ = [
    "ASGIBehaviourApp",
    "BehaviourApp",
    "HandlerBehaviour",
    "HandlerError",
    "HandlerLedger",
    "HandlerOutput",
    "asgi_handler_behaviours",
    "cache_control_values",
    "cache_controls",
    "choose",
    "compact",
    "conditions",
    "dated_http_dates",
    "entity_tags",
    "etag_list_values",
    "handler_behaviours",
    "http_dates",
    "if_range_values",
    "invalid_http_dates",
    "legacy_entity_tag_texts",
    "malformed_entity_tag_texts",
    "malformed_etag_list_values",
    "methods",
    "opaque_tags",
    "precondition_scenarios",
    "resources",
    "with_asgi_traits",
]
