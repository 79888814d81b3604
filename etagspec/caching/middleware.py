"""The middleware for any WSGI app: :func:`etag_middleware` answers 304 or
412 to GET and HEAD from the app's own ETag and Last-Modified, without
iterating its content further than it takes to see the headers."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, cast

from .._fast_paths import NOT_MODIFIED, is_success, not_modified_lines, resource_from_headers
from ..environ import evaluate_environ, has_preconditions
from ..headers import header_value
from ..preconditions import Decision, Outcome
from ..request import Request
from ..response import Response, StartResponse, status_line
from ..wsgi_adapter import WSGIApp, to_wsgi
from .answers import not_modified_headers, precondition_failed_body

__all__ = ["etag_middleware"]

_PRECONDITION_FAILED: Final = status_line(412)
# The outcomes as module constants (an Enum member is slower to look up).
_PROCEED: Final = Outcome.PROCEED
_ANSWER_304: Final = Outcome.NOT_MODIFIED


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
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            # LAYER-UNSAFE-2: the app runs an unsafe method with the request's
            # preconditions and its answer stands (judged after the write, a
            # 412 would come too late); nothing is refused without validators.
            return app(environ, start_response)
        # The commonest conditional GET: If-None-Match decides alone (no
        # If-Match, no If-Unmodified-Since; see _fast_paths.if_none_match_alone),
        # and only the app's ETag is needed to judge it. A key that is
        # there with the value None takes the general path, which ignores it.
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if (
            if_none_match.__class__ is not str
            or "HTTP_IF_MATCH" in environ
            or "HTTP_IF_UNMODIFIED_SINCE" in environ
        ):
            if_none_match = None
            if not has_preconditions(environ):
                return app(environ, start_response)

        # Each call of start_response, as (status, headers, exc_info), and
        # each chunk the app writes (bytes), in order: one list for both.
        calls: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            calls.append((status, headers, exc_info))
            return calls.append

        iterable = app(environ, capture)
        if len(calls) == 1:  # the usual app: started, and wrote nothing
            status, headers, exc_info = calls[0]
            started = None
        else:
            started = _Started(iterable, calls)
            status, headers, exc_info = started.call
        if if_none_match is not None:
            lines = not_modified_lines(status, headers, if_none_match)
            if lines is not None:
                if iterable.__class__ is not list:
                    _close(iterable)
                start_response(NOT_MODIFIED, lines)
                return []
        elif is_success(status):
            decision = evaluate_environ(method, environ, resource_from_headers(headers))
            if decision.outcome is not _PROCEED:
                _close(iterable)
                return _answer(decision, method, headers, start_response)
        start_response(status, headers, exc_info)
        if started is None:
            return iterable
        return _Prefixed(started.written, started.iterator, iterable)

    return middleware


class _Started:
    """What an app that did more than call start_response once did before
    its content is sent: the last start_response call, the chunks it wrote
    or yielded until then, and the iterator to read the rest from (None if
    it started before returning)."""

    __slots__ = ("call", "iterator", "written")

    def __init__(self, iterable: Iterable[bytes], calls: list[Any]) -> None:
        self.iterator: Iterator[bytes] | None = None
        if not calls:  # a lazy app: read it until it calls start_response
            try:
                self.iterator = iter(iterable)
                for read, chunk in enumerate(self.iterator, 1):
                    calls.append(chunk)
                    if len(calls) > read:  # start_response was called
                        break
                # An iterable may call start_response and then end empty.
                if not any(call.__class__ is tuple for call in calls):
                    raise RuntimeError("the application never called start_response")
            except BaseException:
                _close(iterable)
                raise
        self.call: tuple[str, list[tuple[str, str]], Any] = [
            call for call in calls if call.__class__ is tuple
        ][-1]
        self.written: list[bytes] = [chunk for chunk in calls if chunk.__class__ is not tuple]


def _answer(
    decision: Decision,
    method: str,
    headers: list[tuple[str, str]],
    start_response: StartResponse,
) -> list[bytes]:
    if decision.outcome is _ANSWER_304:
        start_response(NOT_MODIFIED, not_modified_headers(headers))
        return []
    body = precondition_failed_body(decision)
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
