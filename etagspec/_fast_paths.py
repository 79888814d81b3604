"""The WSGI layer's shortcuts, in one place.

:func:`etagspec.preconditions.evaluate` is the one model of RFC 9110
§13.2.2. Everything here answers some common request from field *text*,
without building the Conditions, Resource and Decision that ``evaluate``
takes and gives, and each shortcut gives exactly what ``evaluate`` would:

* :func:`decision_without_conditions` (behind
  :func:`etagspec.environ.evaluate_environ`): no precondition field at all,
  or a GET / HEAD where If-None-Match decides alone;
* :func:`if_none_match_alone`, :func:`if_none_match_answer` and
  :func:`etag_field`: a tag-only conditional handler answering a lone
  If-None-Match from its ETag's field text;
* :func:`not_modified_lines`: ``etag_middleware`` judging a lone
  If-None-Match in one pass over the app's header lines.

``tests/test_evaluate_environ.py`` and ``tests/test_fast_paths.py`` hold
each of them to ``evaluate`` with Hypothesis.

The same values come back request after request (an app sends the same
header names, status lines and validators; a handler serves the same
revision), so this module also keeps the WSGI layer's bounded tables
(:func:`etagspec._memo.remember`) of what it worked out from them. A parser's
own table of its results stays with the parser (``etagspec.etags``,
``etagspec.dates``, ``etagspec.cache_control``), which is part of the
sans-IO core and may not reach this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from ._abnf import ETAGC, OWS_CHARS
from ._memo import remember
from .dates import http_date_to_timestamp
from .digest import MAX_AS_IS_LENGTH, SAFE_OPAQUE, etag_value
from .errors import InvalidEntityTag, InvalidHTTPDate
from .etags import EntityTag, parse_entity_tag
from .limits import MAX_FIELD_LENGTH
from .preconditions import (
    IF_NONE_MATCH_NOT_MODIFIED,
    NON_SELECTING,
    NON_SELECTING_METHODS,
    PROCEED,
    Decision,
    Resource,
    if_none_match_holds,
    if_none_match_passes,
    known_resource,
)
from .response import Response, status_line

__all__ = [
    "DROPPED",
    "ETAG",
    "LAST_MODIFIED",
    "NOT_MODIFIED",
    "decision_without_conditions",
    "etag_field",
    "header_kind",
    "if_none_match_alone",
    "if_none_match_answer",
    "is_success",
    "lines_kept_on_304",
    "not_modified_lines",
    "resource_from_headers",
    "resource_of_revision",
    "to_entity_tag",
]

#: The texts kept in this module's tables are at most this long.
CACHEABLE_LENGTH: Final = 256

# --- header names ------------------------------------------------------------

#: Representation metadata a 304 leaves out (ST-304-3; RFC 9110 §15.4.5 ¶4: it
#: "SHOULD NOT generate representation metadata other than" the fields the
#: 200 would need to update a cache; these describe content it does not have).
DROPPED_ON_304: Final = frozenset(
    {
        "content-type",
        "content-encoding",
        "content-language",
        "content-range",
        "content-md5",
        "content-disposition",
        "transfer-encoding",
        "trailer",
    }
)

# What the WSGI layer needs to know about a header name, as bits: whatever
# the case of the name, one table lookup instead of a lower() per line.
_KNOWN: Final = 1  # always set, so that a kind is never 0
#: Representation metadata a 304 leaves out.
DROPPED: Final = 2
#: The ETag field.
ETAG: Final = 4
#: The Last-Modified field.
LAST_MODIFIED: Final = 8

_HEADER_KINDS: dict[str, int] = {}


def header_kind(name: str) -> int:
    """The bits of a header name (names come from code: few of them).

    >>> header_kind("etag") == header_kind("ETag") == ETAG | 1
    True
    """
    kind = _HEADER_KINDS.get(name)
    if kind is not None:
        return kind
    lower = name.lower()
    kind = _KNOWN
    if lower in DROPPED_ON_304:
        kind |= DROPPED
    elif lower == "etag":
        kind |= ETAG
    elif lower == "last-modified":
        kind |= LAST_MODIFIED
    if name.__class__ is str and len(name) <= CACHEABLE_LENGTH:
        remember(_HEADER_KINDS, name, kind)
    return kind


def lines_kept_on_304(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The lines of ``headers`` that are not representation metadata (see
    :func:`etagspec.caching.not_modified_headers`).

    >>> lines_kept_on_304([("content-type", "text/plain"), ("ETag", '"a"')])
    [('ETag', '"a"')]
    """
    kinds = _HEADER_KINDS
    kept = []
    for line in headers:  # a loop costs less than a comprehension's call
        if not (kinds.get(line[0]) or header_kind(line[0])) & DROPPED:
            kept.append(line)
    return kept


def is_success(status: str) -> bool:
    """Whether an app's status line is 2xx.

    >>> is_success("204 No Content"), is_success("304 Not Modified"), is_success("2xx")
    (True, False, False)
    """
    success = _SUCCESS_BY_STATUS.get(status) if status.__class__ is str else None
    if success is None:
        code = int(status.split(" ", 1)[0]) if status[:3].isdigit() else 0
        success = 200 <= code < 300
        if status.__class__ is str:
            remember(_SUCCESS_BY_STATUS, status, success)
    return success


# Whether each status line an app sent is 2xx (status lines come from code,
# so there are few of them).
_SUCCESS_BY_STATUS: dict[str, bool] = {}

# --- reading an environ ------------------------------------------------------


def decision_without_conditions(
    method: str, environ: Mapping[str, object], resource: Resource
) -> Decision | None:
    """``evaluate(method, conditions_from_environ(environ), resource)`` for
    the two commonest requests, without building Conditions; None for any
    other (the caller evaluates):

    * no precondition field and no Range: nothing to evaluate (COND-PREC-6,
      or COND-EVAL-4 for CONNECT, OPTIONS and TRACE);
    * If-None-Match deciding alone (:func:`if_none_match_alone`): step 3.

    >>> current = Resource(etag=EntityTag("v1"))
    >>> decision_without_conditions("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, current).status
    304
    >>> decision_without_conditions("PUT", {"HTTP_IF_MATCH": '"v0"'}, current) is None
    True
    """
    get = environ.get
    if (
        get("HTTP_IF_NONE_MATCH") is None
        and get("HTTP_IF_MODIFIED_SINCE") is None
        and get("HTTP_IF_MATCH") is None
        and get("HTTP_IF_UNMODIFIED_SINCE") is None
        and get("HTTP_IF_RANGE") is None
        and get("HTTP_RANGE") is None
    ):
        return NON_SELECTING if method in NON_SELECTING_METHODS else PROCEED
    if_none_match = if_none_match_alone(method, environ, resource.supports_range)
    if if_none_match is None:
        return None
    if if_none_match_passes(if_none_match, resource):
        return PROCEED
    return IF_NONE_MATCH_NOT_MODIFIED


def if_none_match_alone(
    method: str, environ: Mapping[str, object], supports_range: bool = False
) -> str | None:
    """The If-None-Match value of a request where it decides alone, else None.

    That is a GET or HEAD with If-None-Match (a ``str``) and neither
    If-Match nor If-Unmodified-Since, and no Range the resource would
    process: then RFC 9110 §13.2.2 step 3 decides. If-Modified-Since is
    ignored (step 4 runs only without If-None-Match) and so is If-Range
    (step 5 needs a Range the resource supports), so the answer is PROCEED
    when If-None-Match is true and 304 when it is false.

    >>> if_none_match_alone("GET", {"HTTP_IF_NONE_MATCH": '"a"', "HTTP_IF_MODIFIED_SINCE": "x"})
    '"a"'
    >>> if_none_match_alone("GET", {"HTTP_IF_NONE_MATCH": '"a"', "HTTP_IF_MATCH": "*"}) is None
    True
    """
    get = environ.get
    if_none_match = get("HTTP_IF_NONE_MATCH")
    if (
        if_none_match.__class__ is str
        and (method == "GET" or method == "HEAD")
        and get("HTTP_IF_MATCH") is None
        and get("HTTP_IF_UNMODIFIED_SINCE") is None
        and (not supports_range or get("HTTP_RANGE") is None)
    ):
        return if_none_match
    return None


# --- a tag-only conditional handler -------------------------------------------

_SAFE_OPAQUE_MATCH: Final = SAFE_OPAQUE.fullmatch
_STRONG_TAGS: dict[str, EntityTag] = {}
_WEAK_TAGS: dict[str, EntityTag] = {}
#: The status line of a 304 (the one object the answers below carry).
NOT_MODIFIED: Final = status_line(304)


def to_entity_tag(value: object, weak: bool) -> EntityTag | None:
    """The ETag made of what an etag function returned (see
    :func:`etagspec.caching.with_etag`), or None when it returned None.

    >>> to_entity_tag("r1", weak=True)
    EntityTag(opaque='r1', weak=True)
    """
    if value is None:
        return None
    if isinstance(value, EntityTag):
        return value
    if type(value) is not str or len(value) > CACHEABLE_LENGTH:
        return EntityTag(etag_value(value), bool(weak))
    cache = _WEAK_TAGS if weak else _STRONG_TAGS
    tag = cache.get(value)
    if tag is None:
        tag = remember(cache, value, EntityTag(etag_value(value), bool(weak)))
    return tag


def etag_field(value: object, weak: bool) -> str | None:
    """The ETag field value for what an etag function returned, or None
    when it returned None: ``str(to_entity_tag(value, weak))``.

    >>> etag_field("r1", weak=False), etag_field(None, weak=False)
    ('"r1"', None)
    """
    if value is None:
        return None
    if type(value) is str and len(value) <= MAX_AS_IS_LENGTH and _SAFE_OPAQUE_MATCH(value):
        opaque = value  # the commonest revision: used as-is (etag_value)
    elif isinstance(value, EntityTag):
        return str(value)
    else:
        opaque = etag_value(value)
    # etag_value() only returns characters of SAFE_OPAQUE, all etagc.
    return 'W/"' + opaque + '"' if weak else '"' + opaque + '"'


def resource_of_revision(
    revision: object,
    weak: bool,
    strong_last_modified: bool,
    ranges: bool,
    table: dict[str, Resource],
) -> Resource:
    """The existing resource whose only validator is the ETag made of
    ``revision``, kept in ``table`` (one per handler) by its str revision."""
    if type(revision) is not str:
        return known_resource(to_entity_tag(revision, weak), None, strong_last_modified, ranges)
    resource = table.get(revision)
    if resource is None:
        tag = to_entity_tag(revision, weak)
        resource = known_resource(tag, None, strong_last_modified, ranges)
        if len(revision) <= CACHEABLE_LENGTH:
            remember(table, revision, resource)
    return resource


def if_none_match_answer(
    response: Response, field: str | None, if_none_match: str | None
) -> tuple[str, list[tuple[str, str]]] | None:
    """What to send instead of the handler's ``response`` when If-None-Match
    decides alone (RFC 9110 §13.2.2 step 3), or when there is no
    precondition at all (``if_none_match`` None), and ``field`` is the
    current ETag's field value: the 304 status and its lines (COND-INM-4a),
    or the response's status with an ETag line added (VAL-200-1); None when
    the response is not 2xx (RFC 9110 §13.2.1) or already says all of that."""
    if not 200 <= response.status_code < 300:
        return None
    headers = response.headers
    if if_none_match is None:
        not_modified = False
    elif field is None:
        not_modified = not if_none_match_holds(if_none_match, None)
    elif field == if_none_match:  # the current tag sent back, alone: false
        not_modified = True
    else:
        strong = field if field[0] == '"' else field[2:]
        if strong not in if_none_match:  # no member can be the current tag: only * is false
            not_modified = if_none_match.strip(OWS_CHARS) == "*" and (
                len(if_none_match) <= MAX_FIELD_LENGTH
            )
        else:
            not_modified = not if_none_match_holds(if_none_match, strong[1:-1])
    needs_etag = field is not None
    if needs_etag:
        kinds = _HEADER_KINDS
        for name, _ in headers:
            if (kinds.get(name) or header_kind(name)) & ETAG:
                needs_etag = False  # the handler's own ETag stands
                break
    if not_modified:
        lines = lines_kept_on_304(headers)
        if needs_etag:
            lines.append(("ETag", field))  # type: ignore[arg-type]
        return NOT_MODIFIED, lines
    if not needs_etag:
        return None
    return response.status, [*headers, ("ETag", field)]  # type: ignore[list-item]


# --- etag_middleware -----------------------------------------------------------

# One entity-tag with OWS around it, the opaque value as group 1: an ETag
# line the app sent, read as parse_entity_tag() reads it.
_ETAG_LINE: Final = re.compile(f'[ \\t]*+(?:W/)?+"([{ETAGC}]*+)"[ \\t]*+').fullmatch


def not_modified_lines(
    status: str, headers: Iterable[tuple[str, str]], if_none_match: str
) -> list[tuple[str, str]] | None:
    """The lines of the 304 that answers a lone If-None-Match (RFC 9110
    §13.2.2 step 3) to a GET whose response has this ``status`` and these
    ``headers``, or None when the response stands: it is not 2xx (RFC 9110
    §13.2.1) or the If-None-Match is true. The current ETag is the first
    ETag line; an invalid one counts as absent.

    >>> not_modified_lines("200 OK", [("Content-Type", "text/plain"), ("ETag", '"a"')], 'W/"a"')
    [('ETag', '"a"')]
    >>> not_modified_lines("200 OK", [("ETag", '"a"')], '"b"') is None
    True
    """
    success = _SUCCESS_BY_STATUS.get(status)  # (a status that is not str: None)
    if not (success or (success is None and is_success(status))):
        return None
    kinds = _HEADER_KINDS
    etag_line = None
    kept = []
    for line in headers:  # one pass: the ETag, and the lines a 304 keeps
        kind = kinds.get(line[0]) or header_kind(line[0])
        if not kind & DROPPED:
            kept.append(line)
            if kind & ETAG and etag_line is None:
                etag_line = line[1]
    match = None if etag_line is None else _ETAG_LINE(etag_line)
    if match is None:  # no ETag, or an invalid one: absent
        holds = if_none_match_holds(if_none_match, None)
    elif etag_line == if_none_match and len(etag_line) <= MAX_FIELD_LENGTH:
        holds = False  # the current tag sent back, alone (COND-INM-4a)
    else:
        holds = if_none_match_holds(if_none_match, match[1])
    return None if holds else kept


def resource_from_headers(headers: Iterable[tuple[str, str]]) -> Resource:
    """The resource an app's ETag and Last-Modified lines describe (the
    first of each; an invalid value counts as absent).

    >>> resource_from_headers([("ETag", '"a"'), ("etag", '"b"')]).etag
    EntityTag(opaque='a', weak=False)
    """
    etag_text: str | None = None
    date_text: str | None = None
    for name, value in headers:
        kind = header_kind(name)
        if kind & ETAG:
            if etag_text is None:
                etag_text = value
        elif kind & LAST_MODIFIED and date_text is None:
            date_text = value
    key = (etag_text, date_text)
    resource = _RESOURCES_BY_FIELDS.get(key)
    if resource is None:
        resource = _parse_resource(etag_text, date_text)
        if len(etag_text or "") + len(date_text or "") <= CACHEABLE_LENGTH:
            remember(_RESOURCES_BY_FIELDS, key, resource)
    return resource


# Resources by the (ETag, Last-Modified) texts an app sent (apps send the
# same few).
_RESOURCES_BY_FIELDS: dict[tuple[str | None, str | None], Resource] = {}


def _parse_resource(etag_text: str | None, date_text: str | None) -> Resource:
    etag: EntityTag | None = None
    last_modified: int | None = None
    if etag_text is not None:
        try:
            etag = parse_entity_tag(etag_text)
        except InvalidEntityTag:
            etag = None
    if date_text is not None:
        try:
            last_modified = http_date_to_timestamp(date_text)
        except InvalidHTTPDate:
            last_modified = None
    return known_resource(etag, last_modified)
