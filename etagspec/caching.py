"""The seed's caching module: ETags, Last-Modified and Cache-Control for
handlers and WSGI apps, correct under RFC 9110 and RFC 9111.

Decorators for handlers (``handler(request) -> Response``):

* :func:`with_etag` / :func:`with_last_modified` (or :func:`conditional`
  for both at once) compute the current validators *before* the handler
  runs and evaluate the request's preconditions in RFC 9110 §13.2.2 order:
  a failed If-Match on a PUT is a 412 and the handler never runs.
* :func:`no_cache` and :func:`cache_control` set Cache-Control.

Middleware for any WSGI app: :func:`etag_middleware` answers 304 or 412 to
GET and HEAD from the app's own ETag and Last-Modified, without iterating
its content further than it takes to see the headers.

The seed's parsing helpers are re-exported here: :func:`quoted_string`,
:func:`parse_entity_tags`, :func:`make_etag`, :func:`etags_match`.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, TypeVar, cast

from ._abnf import ENTITY_TAG_RE, OWS_CHARS
from ._memo import remember
from .cache_control import format_cache_control
from .dates import format_http_date, http_date_to_timestamp, posix_seconds
from .digest import MAX_AS_IS_LENGTH, SAFE_OPAQUE, etag_value
from .environ import evaluate_environ, has_preconditions, if_none_match_alone
from .errors import InvalidEntityTag, InvalidHTTPDate
from .etags import (
    EntityTag,
    etags_match,
    make_etag,
    parse_entity_tag,
    parse_entity_tags,
    quoted_string,
)
from .headers import header_value
from .limits import MAX_FIELD_LENGTH
from .preconditions import (
    Decision,
    Outcome,
    Resource,
    if_none_match_holds,
    known_resource,
)
from .ranges import (
    InvalidRange,
    content_range,
    parse_range,
    resolve_ranges,
    unsatisfied_content_range,
)
from .request import Request
from .response import Response, StartResponse, status_line
from .wsgi_adapter import to_wsgi

__all__ = [
    "cache_control",
    "conditional",
    "etag_middleware",
    "etags_match",
    "make_etag",
    "no_cache",
    "not_modified_headers",
    "parse_entity_tags",
    "quoted_string",
    "with_etag",
    "with_last_modified",
]

F = TypeVar("F", bound=Callable[..., Response])
ValidatorFunc = Callable[..., Any]

#: Methods that may create a resource that does not exist yet; only these
#: have their preconditions evaluated against a missing resource.
CREATING_METHODS: Final = frozenset({"PUT", "POST", "PATCH"})
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

#: Representation metadata a 304 leaves out (ST-304-3; RFC 9110 §15.4.5 ¶4: it
#: "SHOULD NOT generate representation metadata other than" the fields the
#: 200 would need to update a cache; these describe content it does not have).
_DROPPED_ON_304: Final = frozenset(
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

_NOT_MODIFIED: Final = status_line(304)
_ENTITY_TAG_MATCH: Final = ENTITY_TAG_RE.fullmatch
_PRECONDITION_FAILED: Final = status_line(412)
# The outcomes as module constants (an Enum member is slower to look up).
_PROCEED: Final = Outcome.PROCEED
_ANSWER_304: Final = Outcome.NOT_MODIFIED
_ANSWER_412: Final = Outcome.PRECONDITION_FAILED

_NO_CACHE_HEADERS: Final = (
    ("Cache-Control", "no-cache, no-store, must-revalidate"),
    ("Expires", "Mon, 26 Jul 1997 05:00:00 GMT"),
    ("Pragma", "no-cache"),
)


# --- building blocks ---------------------------------------------------------


def not_modified_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The header lines of a 304 built from those of the 200 it replaces.

    Keeps what RFC 9110 §15.4.5 requires (ST-304-2: Content-Location, Date,
    ETag, Vary, Cache-Control, Expires), Last-Modified (useful to caches) and
    any field that is not representation metadata; drops Content-Type,
    Content-Encoding and the like (ST-304-3). Content-Length is kept as it
    was: the 200's length is the only value a 304 may carry (CL-304).

    >>> not_modified_headers([("Content-Type", "text/html"), ("ETag", '"a"'),
    ...                       ("Vary", "Accept")])
    [('ETag', '"a"'), ('Vary', 'Accept')]
    """
    kinds = _HEADER_KINDS
    kept = []
    for line in headers:  # a loop costs less than a comprehension's call
        if not (kinds.get(line[0]) or _kind(line[0])) & _DROPPED:
            kept.append(line)
    return kept


# What etagspec needs to know about a header name, as bits: whatever the
# case of the name, one table lookup instead of a lower() per line.
_KNOWN: Final = 1  # always set, so that a kind is never 0
_DROPPED: Final = 2  # representation metadata a 304 leaves out
_ETAG: Final = 4
_LAST_MODIFIED: Final = 8


def _kind(name: str) -> int:
    """The bits of a header name, remembered (names come from code: few)."""
    lower = name.lower()
    kind = _KNOWN
    if lower in _DROPPED_ON_304:
        kind |= _DROPPED
    elif lower == "etag":
        kind |= _ETAG
    elif lower == "last-modified":
        kind |= _LAST_MODIFIED
    if name.__class__ is str and len(name) <= _CACHEABLE_LENGTH:
        remember(_HEADER_KINDS, name, kind)
    return kind


_HEADER_KINDS: dict[str, int] = {}


def _precondition_failed_body(decision: Decision) -> bytes:
    return (
        f"412 Precondition Failed: a condition in the request was false "
        f"(RFC 9110 {decision.rule}); fetch the current representation and retry.\n"
    ).encode("ascii")


def _find_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request:
    for candidate in (*reversed(args), *kwargs.values()):
        if isinstance(candidate, Request):
            return candidate
    raise TypeError("a conditional handler must be called with a Request argument")


def _to_entity_tag(value: object, weak: bool) -> EntityTag | None:
    if value is None:
        return None
    if isinstance(value, EntityTag):
        return value
    # etag_value() only returns characters of SAFE_OPAQUE, all etagc: the
    # tag needs no second check (tuple.__new__ skips EntityTag's).
    if value.__class__ is not str or len(value) > _CACHEABLE_LENGTH:
        return _new_pair(EntityTag, (etag_value(value), bool(weak)))
    cache = _WEAK_TAGS if weak else _STRONG_TAGS
    tag = cache.get(value)
    if tag is None:
        made = _new_pair(EntityTag, (etag_value(value), bool(weak)))
        tag = remember(cache, value, made)
    return tag


_new_pair: Final = tuple.__new__
_SAFE_OPAQUE_MATCH: Final = SAFE_OPAQUE.fullmatch


def _etag_field(value: object, weak: bool) -> str | None:
    """The ETag field value for what an etag function returned (see
    :func:`with_etag`), or None when it returned None."""
    if value is None:
        return None
    if value.__class__ is str and len(value) <= MAX_AS_IS_LENGTH and _SAFE_OPAQUE_MATCH(value):
        opaque = value  # the commonest revision: used as-is (etag_value)
    elif isinstance(value, EntityTag):
        return str(value)
    else:
        opaque = etag_value(value)
    # etag_value() only returns characters of SAFE_OPAQUE, all etagc.
    return 'W/"' + opaque + '"' if weak else '"' + opaque + '"'


def _if_none_match_answer(
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
            if (kinds.get(name) or _kind(name)) & _ETAG:
                needs_etag = False  # the handler's own ETag stands
                break
    if not_modified:
        lines = not_modified_headers(headers)
        if needs_etag:
            lines.append(("ETag", field))  # type: ignore[arg-type]
        return _NOT_MODIFIED, lines
    if not needs_etag:
        return None
    return response.status, [*headers, ("ETag", field)]  # type: ignore[list-item]


# Tags made from the str revisions that etag functions return (a handler
# serves the same revision many times; see etagspec._memo). The texts kept
# in this module's tables are at most _CACHEABLE_LENGTH long.
_CACHEABLE_LENGTH: Final = 256
_STRONG_TAGS: dict[str, EntityTag] = {}
_WEAK_TAGS: dict[str, EntityTag] = {}


def _to_timestamp(value: object) -> int | None:
    """Whole POSIX seconds, never later than now (VAL-LM-4, VAL-LM-5)."""
    if value is None:
        return None
    if not isinstance(value, (datetime.datetime, int, float)) or isinstance(value, bool):
        raise TypeError(
            "a last-modified function must return a datetime, POSIX seconds "
            f"(int or float) or None, not {type(value).__name__}: {value!r}"
        )
    return min(posix_seconds(value), int(time.time()))


class _Validators:
    """The validator functions attached to one conditional handler."""

    __slots__ = (
        "_by_revision",
        "etag",
        "exists",
        "last_modified",
        "ranges",
        "strong_last_modified",
        "tag_only",
        "weak",
    )

    def __init__(
        self,
        etag: ValidatorFunc | None,
        last_modified: ValidatorFunc | None,
        weak: bool,
        exists: ValidatorFunc | None,
        ranges: bool = False,
        strong_last_modified: bool = False,
    ) -> None:
        self.etag = etag
        self.last_modified = last_modified
        self.weak = weak
        self.exists = exists
        self.ranges = ranges
        self.strong_last_modified = strong_last_modified
        #: Whether the ETag is all there is to know (no last_modified, no
        #: exists, no ranges): the resource then always exists.
        self.tag_only = last_modified is None and exists is None and not ranges
        # Resources by the str revision ``etag`` returned, when that is all
        # there is to know (no last_modified, no exists): a handler serves
        # the same revision many times.
        self._by_revision: dict[str, Resource] = {}

    def merged(self, other: _Validators) -> _Validators:
        return _Validators(
            other.etag or self.etag,
            other.last_modified or self.last_modified,
            other.weak if other.etag else self.weak,
            other.exists or self.exists,
            other.ranges or self.ranges,
            other.strong_last_modified or self.strong_last_modified,
        )

    def current(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Resource:
        """What the validator functions say about the resource now."""
        if self.last_modified is None and self.exists is None:
            revision = self.etag(*args, **kwargs) if self.etag else None
            known = self._by_revision.get(revision) if type(revision) is str else None
            return known if known is not None else self._from_revision(revision)
        if self.exists is not None and not self.exists(*args, **kwargs):
            return _MISSING
        etag = _to_entity_tag(self.etag(*args, **kwargs), self.weak) if self.etag else None
        last_modified = (
            _to_timestamp(self.last_modified(*args, **kwargs)) if self.last_modified else None
        )
        return known_resource(etag, last_modified, self.strong_last_modified, self.ranges)

    def field(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
        """The current ETag's field value, from the etag function (None without one)."""
        return _etag_field(self.etag(*args, **kwargs), self.weak) if self.etag else None

    def tag(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> EntityTag | None:
        """The current ETag, from the etag function (None without one)."""
        return _to_entity_tag(self.etag(*args, **kwargs), self.weak) if self.etag else None

    def resource_of(self, tag: EntityTag | None) -> Resource:
        """The existing resource whose only validator is ``tag``."""
        return known_resource(tag, None, self.strong_last_modified, self.ranges)

    def _from_revision(self, revision: object) -> Resource:
        """The resource whose only validator is the ETag made of ``revision``."""
        tag = _to_entity_tag(revision, self.weak)
        resource = known_resource(tag, None, self.strong_last_modified, self.ranges)
        if type(revision) is str and len(revision) <= _CACHEABLE_LENGTH:
            remember(self._by_revision, revision, resource)
        return resource


_MISSING: Final = Resource(exists=False)


def _partial_response(response: Response, range_value: str) -> Response:
    """The 206 (or 416) for a single byte range; other cases keep the 200."""
    try:
        specs = parse_range(range_value)
    except InvalidRange:
        return response  # invalid or another unit: ignore Range (RFC 9110 §14.2)
    body = response.read_body()
    length = len(body)
    kept = [(k, v) for k, v in response.headers if k.lower() not in ("content-length",)]
    resolved = resolve_ranges(specs, length)
    if length == 0 or len(resolved) > 1:
        # Zero length (RFC 9110 §14.2 ¶7) or several ranges: the whole representation
        # (which drops none of the ranges asked for, ST-206-11).
        return Response([body], response.status, [*kept, ("Content-Length", str(length))])
    if not resolved:
        # Content-Range names the length (ST-416-1).
        message = b"416 Range Not Satisfiable\n"
        return Response(
            [message],
            416,
            [
                ("Content-Range", unsatisfied_content_range(length)),
                ("Content-Length", str(len(message))),
            ],
            content_type="text/plain; charset=us-ascii",
        )
    # The 200's fields, Date, ETag, Cache-Control and Vary among them
    # (ST-206-1), and exactly the range its Content-Range names (ST-206-3).
    first, last = resolved[0]
    headers = [
        *kept,
        ("Content-Range", content_range(first, last, length)),
        ("Content-Length", str(last - first + 1)),
    ]
    return Response([body[first : last + 1]], 206, headers)


def _missing_validators(
    headers: list[tuple[str, str]], etag: EntityTag | None, last_modified: int | None
) -> list[tuple[str, str]]:
    """The ETag and Last-Modified lines of the current validators that
    ``headers`` lack (an EntityTag and an IMF-fixdate are always valid
    field values: no check needed)."""
    if etag is None and last_modified is None:
        return []
    kinds = _HEADER_KINDS
    for name, _ in headers:
        kind = kinds.get(name) or _kind(name)
        if kind & _ETAG:
            etag = None
        elif kind & _LAST_MODIFIED:
            last_modified = None
    missing = []
    if etag is not None:
        missing.append(("ETag", str(etag)))
    if last_modified is not None:
        missing.append(("Last-Modified", format_http_date(last_modified)))
    return missing


def _with_validators(
    response: Response, etag: EntityTag | None, last_modified: int | None
) -> Response:
    """``response`` with the current validators it lacks."""
    missing = _missing_validators(response.headers, etag, last_modified)
    if not missing:
        return response
    return Response._from_checked(response.status, [*response.headers, *missing], response.content)


def _not_modified(
    response: Response, etag: EntityTag | None, last_modified: int | None
) -> Response:
    """The 304 that replaces ``response`` (closed unread), with the current
    validators."""
    headers = not_modified_headers(response.headers)
    headers += _missing_validators(response.headers, etag, last_modified)
    response.close()
    return Response._from_checked(_NOT_MODIFIED, headers)


def conditional(
    etag: ValidatorFunc | None = None,
    last_modified: ValidatorFunc | None = None,
    *,
    weak: bool = False,
    exists: ValidatorFunc | None = None,
    ranges: bool = False,
    strong_last_modified: bool = False,
) -> Callable[[F], F]:
    """Make a handler conditional on its current validators.

    Each function is called with the handler's own arguments (so methods
    work too) *before* the handler runs:

    * ``etag`` returns the current revision (see :func:`with_etag` for how
      a value becomes a tag), or None when there is no ETag;
    * ``last_modified`` returns a datetime or POSIX seconds, or None;
    * ``exists`` returns whether the target has a current representation.
      When it does not, GET, HEAD, DELETE and other methods that cannot
      create it go straight to the handler (which answers 404, say:
      preconditions are ignored when the response would not be 2xx, RFC 9110
      §13.2.1), while PUT, POST and PATCH are evaluated against a missing
      resource (``If-None-Match: *`` passes, ``If-Match: *`` fails).

    Then RFC 9110 §13.2.2 decides: 412 without running the handler
    (COND-IM-5, COND-IUS-7, COND-INM-5b), 304 built from the handler's
    response (its content is closed unread), or the handler's response with
    ETag / Last-Modified added when missing (VAL-200-1). After a successful
    unsafe method the validators are computed again, so they describe the
    new representation (METH-PUT-3).

    With ``ranges=True`` a single byte range of a GET is answered with 206
    (416 when unsatisfiable; several ranges get the whole 200), If-Range
    deciding first; the content is read to cut the range. Set
    ``strong_last_modified=True`` only if the resource never changes twice
    within one second: then a date in If-Range can match (RFC 9110 §8.8.2.2).

    Stacking :func:`with_etag` and :func:`with_last_modified` merges them
    into one evaluation, so If-None-Match still overrides If-Modified-Since.
    """
    added = _Validators(etag, last_modified, weak, exists, ranges, strong_last_modified)

    def decorate(handler: F) -> F:
        validators = added
        inner = handler
        existing = getattr(handler, "__etagspec_validators__", None)
        if isinstance(existing, _Validators):
            validators = existing.merged(added)
            inner = handler.__wrapped__  # type: ignore[attr-defined]

        @functools.wraps(inner)
        def conditional_handler(*args: Any, **kwargs: Any) -> Response:
            request = args[-1] if args else None  # the usual handler(request)
            if not isinstance(request, Request):
                request = _find_request(args, kwargs)
            method = request.method
            if validators.tag_only:
                if_none_match = if_none_match_alone(method, request.environ)
                if if_none_match is not None:  # step 3 decides alone: only the tag matters
                    field = validators.field(args, kwargs)
                    response = inner(*args, **kwargs)
                    answer = _if_none_match_answer(response, field, if_none_match)
                    if answer is None:
                        return response
                    status, lines = answer
                    if status is _NOT_MODIFIED:
                        response.close()
                        return Response._from_checked(status, lines)
                    return Response._from_checked(status, lines, response.content)
                resource = validators.resource_of(validators.tag(args, kwargs))
            else:
                resource = validators.current(args, kwargs)
            if not resource.exists and method not in CREATING_METHODS:
                return inner(*args, **kwargs)
            decision = evaluate_environ(method, request.environ, resource)
            outcome = decision.outcome
            # LAYER-UNSAFE-1: an unsafe method is refused here, before the
            # handler runs, and only on the current validators the functions
            # gave; when it proceeds, its 2xx is never turned into a 412 after.
            if outcome is _ANSWER_412:
                return Response(
                    [_precondition_failed_body(decision)],
                    412,
                    content_type="text/plain; charset=us-ascii",
                )
            response = inner(*args, **kwargs)
            if not 200 <= response.status_code < 300:
                return response  # the handler's own answer (404, 405, ...) stands
            if method not in SAFE_METHODS:
                resource = validators.current(args, kwargs)
            if outcome is _ANSWER_304:
                # Decided before Range is looked at (RNG-7).
                return _not_modified(response, resource.etag, resource.last_modified)
            response = _with_validators(response, resource.etag, resource.last_modified)
            if validators.ranges and response.status_code == 200 and method in SAFE_METHODS:
                if response.get_header("Accept-Ranges") is None:
                    response = response.add_header("Accept-Ranges", "bytes")
                range_value = request.conditions.range
                if decision.process_range and range_value is not None:
                    return _partial_response(response, range_value)
            return response

        def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            """``to_wsgi(conditional_handler)`` for a handler whose ETag is
            all there is to know: the commonest conditional GET (If-None-Match
            deciding alone) is answered without building a second Response."""
            request = Request(environ)
            get = environ.get
            if_none_match = get("HTTP_IF_NONE_MATCH")
            method = get("REQUEST_METHOD", "GET")
            if (
                (method != "GET" and method != "HEAD")
                or get("HTTP_IF_MATCH") is not None
                or get("HTTP_IF_UNMODIFIED_SINCE") is not None
            ):
                return conditional_handler(request)(environ, start_response)
            if if_none_match.__class__ is not str:
                if if_none_match is not None or has_preconditions(environ):
                    return conditional_handler(request)(environ, start_response)
                # A plain GET or HEAD (If-Range without Range means nothing here).
            revision = etag_function(request) if etag_function is not None else None
            field = None if revision is None else _etag_field(revision, weak_tags)
            response = inner(request)
            answer = _if_none_match_answer(response, field, if_none_match)
            if answer is None:
                return response(environ, start_response)
            status, lines = answer
            if status is _NOT_MODIFIED:
                response.close()
                start_response(status, lines)
                return []
            return response._send(environ, start_response, lines)

        etag_function, weak_tags = validators.etag, validators.weak
        if validators.tag_only:
            # to_wsgi() serves the handler with this when it is given
            # conditional_handler itself (not a wrapper copying its attributes).
            conditional_handler.__etagspec_wsgi__ = (conditional_handler, serve)  # type: ignore[attr-defined]
        conditional_handler.__etagspec_validators__ = validators  # type: ignore[attr-defined]
        return cast(F, conditional_handler)

    return decorate


def with_etag(etag_func: ValidatorFunc, weak: bool = False) -> Callable[[F], F]:
    """Decorate a handler to add an ETag and honour the preconditions that
    use it (If-Match, If-None-Match, If-Range).

    ``etag_func`` gets the handler's arguments and returns the current
    revision: an :class:`~etagspec.etags.EntityTag` is used as it is; a
    number or a short string of safe characters (letters, digits and
    ``-._~+/=:``, at most 64) is used as-is; anything else (a long string,
    bytes, a tuple, a dict, a dataclass, a datetime, ...) is replaced by a
    digest of a deterministic encoding, equal in every process
    (:func:`etagspec.digest.etag_value`); None means no ETag. See
    :func:`conditional` for the evaluation.

    >>> from etagspec.wsgi_adapter import to_wsgi
    >>> from etagspec.testing import TestApp
    >>> from etagspec.response import Response
    >>> from etagspec.caching import with_etag
    >>> def generate_etag(request):
    ...     return "whoa-nelly"
    >>> @with_etag(generate_etag, False)
    ... def view(request):
    ...     return Response(["This response should have an etag"])
    >>> print(TestApp(to_wsgi(view)).get())
    200 OK
    Content-Type: text/html; charset=UTF-8
    ETag: "whoa-nelly"
    <BLANKLINE>
    This response should have an etag
    >>> print(TestApp(to_wsgi(view)).get('/', HTTP_IF_NONE_MATCH='"whoa-nelly"'))
    304 Not Modified
    ETag: "whoa-nelly"
    """
    return conditional(etag=etag_func, weak=weak)


def with_last_modified(func: ValidatorFunc) -> Callable[[F], F]:
    """Decorate a handler to add Last-Modified and honour If-Modified-Since,
    If-Unmodified-Since and date-valued If-Range.

    ``func`` gets the handler's arguments and returns a datetime (naive means
    UTC), POSIX seconds, or None. The value is truncated to whole seconds and
    never sent later than the present (RFC 9110 §8.8.2.1).

    >>> from etagspec.wsgi_adapter import to_wsgi
    >>> from etagspec.testing import TestApp
    >>> @with_last_modified(lambda request: 784111777)
    ... def page(request):
    ...     return Response(["hello"])
    >>> app = TestApp(to_wsgi(page))
    >>> print(app.get('/', HTTP_IF_MODIFIED_SINCE='Sun, 06 Nov 1994 08:49:37 GMT'))
    304 Not Modified
    Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT
    """
    return conditional(last_modified=func)


def no_cache(func: F) -> F:
    """Decorate a handler so that its responses are not cached.

    Sets ``Cache-Control: no-cache, no-store, must-revalidate``, an Expires
    date in the past, and ``Pragma: no-cache`` (the only Pragma directive
    there is, RFC 9111 §5.4; Pesto sent ``Pragma: no-store``).

    >>> from etagspec.testing import TestApp
    >>> from etagspec.wsgi_adapter import to_wsgi
    >>> from etagspec.response import Response
    >>> from etagspec.caching import no_cache
    >>> @no_cache
    ... def view(request):
    ...     return Response(['cache me if you can!'])
    >>> print(TestApp(to_wsgi(view)).get().text())
    200 OK
    Cache-Control: no-cache, no-store, must-revalidate
    Content-Type: text/html; charset=UTF-8
    Expires: Mon, 26 Jul 1997 05:00:00 GMT
    Pragma: no-cache
    <BLANKLINE>
    cache me if you can!
    """

    @functools.wraps(func)
    def no_cache_handler(*args: Any, **kwargs: Any) -> Response:
        response = func(*args, **kwargs)
        for name, value in _NO_CACHE_HEADERS:
            response = response.replace_header(name, value)
        return response

    return cast(F, no_cache_handler)


def cache_control(**directives: object) -> Callable[[F], F]:
    """Decorate a handler to send these Cache-Control directives.

    Directive names are Python names (``max_age`` for ``max-age``); values
    follow :func:`etagspec.cache_control.format_cache_control`, which checks
    them when the decorator is applied, not on every request.

    >>> from etagspec.testing import TestApp
    >>> from etagspec.wsgi_adapter import to_wsgi
    >>> @cache_control(max_age=3600, public=True, immutable=True)
    ... def logo(request):
    ...     return Response([b"..."], content_type="image/png")
    >>> TestApp(to_wsgi(logo)).get().header("Cache-Control")
    'max-age=3600, public, immutable'
    """
    value = format_cache_control(**directives)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def cache_control_handler(*args: Any, **kwargs: Any) -> Response:
            return func(*args, **kwargs).replace_header("Cache-Control", value)

        return cast(F, cache_control_handler)

    return decorate


# --- the middleware ----------------------------------------------------------

WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _resource_from_headers(headers: list[tuple[str, str]]) -> Resource:
    """The resource an app's ETag and Last-Modified lines describe (the
    first of each; an invalid value counts as absent)."""
    etag_text: str | None = None
    date_text: str | None = None
    for name, value in headers:
        lower = name.lower()
        if lower == "etag":
            if etag_text is None:
                etag_text = value
        elif lower == "last-modified" and date_text is None:
            date_text = value
    key = (etag_text, date_text)
    resource = _RESOURCES_BY_FIELDS.get(key)
    if resource is None:
        resource = _parse_resource(etag_text, date_text)
        if len(etag_text or "") + len(date_text or "") <= _CACHEABLE_LENGTH:
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


class _Prefixed:
    """The app's iterable, with the chunks already read put back in front."""

    __slots__ = ("_iterable", "_iterator", "_prefix")

    def __init__(
        self, prefix: list[bytes], iterator: Iterator[bytes] | None, iterable: Iterable[bytes]
    ) -> None:
        self._prefix = prefix
        self._iterator = iterator
        self._iterable: Iterable[bytes] | None = iterable

    def __iter__(self) -> Iterator[bytes]:
        yield from self._prefix
        if self._iterator is not None:
            yield from self._iterator
        elif self._iterable is not None:
            yield from self._iterable

    def close(self) -> None:
        iterable, self._iterable = self._iterable, None
        _close(iterable)


def _close(iterable: object) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


def _as_wsgi(app: WSGIApp | Callable[[Request], Response]) -> WSGIApp:
    """A WSGI app as it is; a handler (one positional parameter, as in the
    seed's ``etag_middleware(my_handler)``) through :func:`to_wsgi`."""
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return cast(WSGIApp, app)
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if len(positional) == 1 and not any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return to_wsgi(cast(Callable[[Request], Response], app))
    return cast(WSGIApp, app)


def etag_middleware(app: WSGIApp | Callable[[Request], Response]) -> WSGIApp:
    """Answer 304 or 412 to conditional GET and HEAD requests for any WSGI
    app, from the ETag and Last-Modified the app itself sends.

    The app is called on every request (it has to be, to say what its
    validators are), but its content is only read as far as it takes for it
    to call ``start_response``: a handler whose content is a generator that
    starts with ``yield ''`` does none of its expensive work on a 304. The
    app's iterable is closed on every path. Only 2xx responses are judged
    (RFC 9110 §13.2.1); other methods pass straight through, because a
    middleware that runs the app first cannot undo a PUT: guard those with
    :func:`with_etag` instead. Like the seed's, it also takes a handler
    (``handler(request) -> Response``) and wraps it with :func:`to_wsgi`.

    >>> from etagspec.testing import TestApp
    >>> def app(environ, start_response):
    ...     start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"v1"')])
    ...     return [b"body"]
    >>> print(TestApp(etag_middleware(app)).get('/', HTTP_IF_NONE_MATCH='"v1"'))
    304 Not Modified
    ETag: "v1"
    >>> print(TestApp(etag_middleware(app)).get('/', HTTP_IF_MATCH='"v0"').status)
    412 Precondition Failed
    """

    app = _as_wsgi(app)

    def middleware(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        get = environ.get
        method = get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            # LAYER-UNSAFE-2: the app runs an unsafe method with the request's
            # preconditions and its answer stands (judged after the write, a
            # 412 would come too late); nothing is refused without validators.
            return app(environ, start_response)
        # The commonest conditional GET: If-None-Match decides alone (no
        # If-Match, no If-Unmodified-Since; see environ.if_none_match_alone),
        # and only the app's ETag is needed to judge it.
        if_none_match = get("HTTP_IF_NONE_MATCH")
        if (
            if_none_match.__class__ is not str
            or get("HTTP_IF_MATCH") is not None
            or get("HTTP_IF_UNMODIFIED_SINCE") is not None
        ):
            if_none_match = None
            if not has_preconditions(environ):
                return app(environ, start_response)

        captured: list[tuple[str, list[tuple[str, str]], Any]] = []
        written: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.append((status, headers, exc_info))
            return written.append

        iterable = app(environ, capture)
        iterator: Iterator[bytes] | None = None
        if not captured:
            try:
                iterator = iter(iterable)
                for chunk in iterator:
                    written.append(chunk)
                    if captured:
                        break
                # An iterable may call start_response and then end empty.
                if not captured:
                    raise RuntimeError("the application never called start_response")
            except BaseException:
                _close(iterable)
                raise
        status, headers, exc_info = captured[-1]
        success = _SUCCESS_BY_STATUS.get(status) if status.__class__ is str else None
        if success or (success is None and _is_success(status)):
            if if_none_match is not None:
                # One pass over the app's lines: its first ETag (an invalid
                # one counts as absent) and the lines a 304 keeps.
                kinds = _HEADER_KINDS
                etag_line = None
                kept = []
                for line in headers:
                    kind = kinds.get(line[0]) or _kind(line[0])
                    if not kind & _DROPPED:
                        kept.append(line)
                        if kind & _ETAG and etag_line is None:
                            etag_line = line[1]
                match = None if etag_line is None else _ENTITY_TAG_MATCH(etag_line.strip(OWS_CHARS))
                if match is None:  # no ETag, or an invalid one: absent
                    not_modified = not if_none_match_holds(if_none_match, None)
                elif etag_line == if_none_match and len(etag_line) <= MAX_FIELD_LENGTH:
                    not_modified = True  # the current tag sent back, alone (COND-INM-4a)
                else:
                    not_modified = not if_none_match_holds(if_none_match, match[2])
                if not_modified:
                    if iterable.__class__ is not list:
                        _close(iterable)
                    start_response(_NOT_MODIFIED, kept)
                    return []
            else:
                decision = evaluate_environ(method, environ, _resource_from_headers(headers))
                if decision.outcome is not _PROCEED:
                    _close(iterable)
                    return _answer(decision, method, headers, start_response)
        start_response(status, headers, exc_info)
        if iterator is None and not written:
            return iterable
        return _Prefixed(written, iterator, iterable)

    return middleware


def _is_success(status: str) -> bool:
    """Whether an app's status line is 2xx."""
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


def _answer(
    decision: Decision,
    method: str,
    headers: list[tuple[str, str]],
    start_response: StartResponse,
) -> list[bytes]:
    if decision.outcome is _ANSWER_304:
        start_response(_NOT_MODIFIED, not_modified_headers(headers))
        return []
    body = _precondition_failed_body(decision)
    failed_headers = [("Content-Type", "text/plain; charset=us-ascii")]
    date = header_value(headers, "Date")
    if date is not None:
        failed_headers.append(("Date", date))
    if method == "HEAD":
        start_response(_PRECONDITION_FAILED, failed_headers)
        return []
    failed_headers.append(("Content-Length", str(len(body))))
    start_response(_PRECONDITION_FAILED, failed_headers)
    return [body]
