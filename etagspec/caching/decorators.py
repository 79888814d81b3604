"""The decorators for handlers (``handler(request) -> Response``).

* :func:`with_etag` / :func:`with_last_modified` (or :func:`conditional`
  for both at once) compute the current validators *before* the handler
  runs and evaluate the request's preconditions in RFC 9110 §13.2.2 order:
  a failed If-Match on a PUT is a 412 and the handler never runs.
* :func:`no_cache` and :func:`cache_control` set Cache-Control.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar, cast

from .._fast_paths import (
    ETAG,
    LAST_MODIFIED,
    NOT_MODIFIED,
    etag_field,
    header_kind,
    if_none_match_alone,
    if_none_match_answer,
    resource_of_revision,
    to_entity_tag,
)
from ..cache_control import format_cache_control
from ..dates import format_http_date, posix_seconds
from ..environ import evaluate_environ, has_preconditions
from ..errors import InvalidRange
from ..etags import EntityTag
from ..preconditions import Outcome, Resource, known_resource
from ..ranges import content_range, parse_range, resolve_ranges, unsatisfied_content_range
from ..request import Request
from ..response import Response, StartResponse
from .answers import not_modified_headers, precondition_failed_body

__all__ = [
    "cache_control",
    "conditional",
    "no_cache",
    "to_timestamp",
    "with_etag",
    "with_last_modified",
]

F = TypeVar("F", bound=Callable[..., Response])
ValidatorFunc = Callable[..., Any]

#: Methods that may create a resource that does not exist yet; only these
#: have their preconditions evaluated against a missing resource.
CREATING_METHODS: Final = frozenset({"PUT", "POST", "PATCH"})
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The outcomes as module constants (an Enum member is slower to look up).
_ANSWER_304: Final = Outcome.NOT_MODIFIED
_ANSWER_412: Final = Outcome.PRECONDITION_FAILED

_NO_CACHE_HEADERS: Final = (
    ("Cache-Control", "no-cache, no-store, must-revalidate"),
    ("Expires", "Mon, 26 Jul 1997 05:00:00 GMT"),
    ("Pragma", "no-cache"),
)


def _find_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request:
    for candidate in (*reversed(args), *kwargs.values()):
        if isinstance(candidate, Request):
            return candidate
    raise TypeError("a conditional handler must be called with a Request argument")


def to_timestamp(value: object) -> int | None:
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
            return resource_of_revision(
                revision, self.weak, self.strong_last_modified, self.ranges, self._by_revision
            )
        if self.exists is not None and not self.exists(*args, **kwargs):
            return _MISSING
        etag = to_entity_tag(self.etag(*args, **kwargs), self.weak) if self.etag else None
        last_modified = (
            to_timestamp(self.last_modified(*args, **kwargs)) if self.last_modified else None
        )
        return known_resource(etag, last_modified, self.strong_last_modified, self.ranges)

    def field(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
        """The current ETag's field value, from the etag function (None without one)."""
        return etag_field(self.etag(*args, **kwargs), self.weak) if self.etag else None

    def tag(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> EntityTag | None:
        """The current ETag, from the etag function (None without one)."""
        return to_entity_tag(self.etag(*args, **kwargs), self.weak) if self.etag else None

    def resource_of(self, tag: EntityTag | None) -> Resource:
        """The existing resource whose only validator is ``tag``."""
        return known_resource(tag, None, self.strong_last_modified, self.ranges)


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
    for name, _ in headers:
        kind = header_kind(name)
        if kind & ETAG:
            etag = None
        elif kind & LAST_MODIFIED:
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
    return Response._from_checked(NOT_MODIFIED, headers)


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
                    answer = if_none_match_answer(response, field, if_none_match)
                    if answer is None:
                        return response
                    status, lines = answer
                    if status is NOT_MODIFIED:
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
                    [precondition_failed_body(decision)],
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
            field = None if revision is None else etag_field(revision, weak_tags)
            response = inner(request)
            answer = if_none_match_answer(response, field, if_none_match)
            if answer is None:
                return response(environ, start_response)
            status, lines = answer
            if status is NOT_MODIFIED:
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
