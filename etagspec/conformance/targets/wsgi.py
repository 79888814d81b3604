"""The WSGI target: a WSGI application driven in-process, its exchange
checked against PEP 3333."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..._abnf import TCHAR
from ...headers import is_field_value, is_token
from ..model import ProbeRequest, ProbeResponse
from .base import (
    CheckedExchange,
    InProcessTarget,
    body_over,
    carries_body,
    describe_error,
    python_reproduction,
)

__all__ = ["WSGIApp", "WSGITarget", "server_environ"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def server_environ(request: ProbeRequest) -> dict[str, Any]:
    """The PEP 3333 environ a server on http://localhost/ sets up for
    ``request`` before its header fields: the method, the path and query,
    the server's own keys, the body as ``wsgi.input``.

    >>> environ = server_environ(ProbeRequest("GET", "/a?b=1"))
    >>> environ["PATH_INFO"], environ["QUERY_STRING"], environ["wsgi.url_scheme"]
    ('/a', 'b=1', 'http')
    """
    path, _, query = request.path.partition("?")
    return {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


# PEP 3333: "a string like '200 OK'" (RFC 9110 §15: three digits, 100-599)
_STATUS = re.compile(r"[1-5][0-9][0-9](?: [\t\x20-\x7e\x80-\xff]*)?")

# headers.is_token and headers.is_field_value over all of a response's
# headers at once, one per line (the common case costs two regex calls
# instead of two per header). RFC 9110 §5.1: field-name = token (1*tchar);
# §5.5: a field value holds no control but HTAB, nothing above U+00FF (one
# character class: a search for it costs a third of one for two alternatives).
_TOKEN_LINES = re.compile(rf"{TCHAR}+(?:\n{TCHAR}+)*")
_INVALID_VALUE_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0100-\U0010ffff]")


def _valid_headers(headers: list[Any]) -> bool:
    """Whether every item is a (str, str) tuple with a token name and a
    value free of control and non-latin-1 characters."""
    if not headers:
        return True
    if not all([type(item) is tuple and len(item) == 2 for item in headers]):
        return False
    try:
        names = "\n".join([name for name, _ in headers])
        values = "\n".join([value for _, value in headers])
    except TypeError:  # not str
        return False
    return (
        _TOKEN_LINES.fullmatch(names) is not None
        and _INVALID_VALUE_LINES.search(values) is None
        and names.count("\n") == values.count("\n") == len(headers) - 1
    )


class BodyTooLong(Exception):
    """Raised at an app that writes past the body cap (the run then stops)."""


class _WSGIExchange(CheckedExchange):
    """One WSGI call's server side: ``start_response``, ``write`` and what
    they received, checked against PEP 3333 as it arrives."""

    __slots__ = ("body", "cap", "headers", "over_cap", "size", "status")

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.body: list[bytes] = []
        self.cap = cap
        self.size = 0
        self.over_cap = False

    def start_response(
        self, status: Any, headers: Any, exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None:
            if self.body:  # PEP 3333: too late to change the status; re-raise
                raise exc_info[1].with_traceback(exc_info[2])
        elif self.status is not None:
            raise self.fail("start_response was called twice without exc_info")
        if not isinstance(status, str) or _STATUS.fullmatch(status) is None:
            raise self.fail(f"invalid status {status!r} (want a str like '200 OK')")
        if not isinstance(headers, list):
            raise self.fail(f"response headers must be a list, not {type(headers).__name__}")
        if not _valid_headers(headers):
            self._find_invalid_header(headers)
        self.status = status
        self.headers = headers
        return self.write

    def _find_invalid_header(self, headers: list[Any]) -> None:
        """Raise for the first header that is not valid, and say why."""
        for item in headers:
            if not (
                isinstance(item, tuple)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], str)
            ):
                raise self.fail(f"invalid response header {item!r} (want a (str, str) tuple)")
            if not is_token(item[0]):
                raise self.fail(f"invalid response header name {item[0]!r}")
            if not is_field_value(item[1]):
                raise self.fail(f"invalid {item[0]} value {item[1]!r} (control or non-latin-1)")

    def write(self, chunk: Any) -> None:
        if not isinstance(chunk, bytes):
            raise self.fail(f"the app wrote {type(chunk).__name__}, not bytes")
        if chunk:
            if self.status is None:
                raise self.fail("the app produced body bytes before calling start_response")
            self.size += len(chunk)
            if self.size > self.cap:
                self.over_cap = True  # kept out: the body is never buffered past the cap
                raise BodyTooLong(f"the response body passed the cap of {self.cap} bytes")
            self.body.append(chunk)


class WSGITarget(InProcessTarget[WSGIApp]):
    """A WSGI application driven in-process.

    The environ is built the way a server would build it: each header
    becomes ``HTTP_*`` with its value as given (latin-1 text), so the
    exact bytes of a generated field reach the app. The response is read
    completely and the app's iterable closed. The exchange is checked
    against PEP 3333 (status, headers, bytes, ``start_response`` once).

    The app runs in the target's worker thread (see :mod:`.worker`): a call
    that takes longer than ``timeout`` seconds is abandoned and reported,
    and the target then answers every later probe at once with an error
    instead of trying again. The body is read chunk by chunk and never kept
    past the cap of its :class:`~etagspec.conformance.bounds.Bounds` (the run
    stops, the target is unusable).

    >>> from etagspec.demo import make_app
    >>> target = WSGITarget(make_app())
    >>> target.send(ProbeRequest("GET", "/hello")).status
    200
    >>> def broken(environ, start_response):
    ...     start_response(200, [])
    ...     return [b"x"]
    >>> WSGITarget(broken).send(ProbeRequest("GET", "/")).error
    "invalid status 200 (want a str like '200 OK')"
    """

    kind = "wsgi"

    def environ(self, request: ProbeRequest) -> dict[str, Any]:
        environ = server_environ(request)
        if carries_body(request):
            environ["CONTENT_LENGTH"] = str(len(request.body))
        for name, raw_value in request.headers:
            key = name.upper().replace("-", "_")
            # A server hands the app the field value without the whitespace
            # around it (RFC 9110 §5.5), as it would arrive over the wire.
            value = raw_value.strip(" \t")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
                continue
            key = "HTTP_" + key
            # A server joins repeated field lines with a comma (RFC 9110 §5.2).
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
        return environ

    def send(self, request: ProbeRequest) -> ProbeResponse:
        return self.bounded(lambda deadline: self._exchange(request, deadline))

    def _exchange(self, request: ProbeRequest, deadline: float | None) -> ProbeResponse:
        exchange = _WSGIExchange(self.bounds.max_body_bytes)
        iterable: Any = None
        failure: str | None = None
        try:
            iterable = self.app(self.environ(request), exchange.start_response)
            try:
                chunks = iter(iterable)
            except TypeError:
                raise exchange.fail(
                    f"the app returned {type(iterable).__name__}, not an iterable of bytes"
                ) from None
            for chunk in chunks:
                if not isinstance(chunk, bytes):
                    raise exchange.fail(f"the app yielded {type(chunk).__name__}, not bytes")
                exchange.write(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    break  # never buffer past the cap; past the deadline nobody waits
        except Exception as error:  # the app's failure is a finding, not a crash
            failure = exchange.problem or describe_error(error)
        close = getattr(iterable, "close", None)
        if close is not None:
            try:
                close()
            except Exception as error:
                failure = failure or "close() raised " + describe_error(error)
        if exchange.over_cap:
            raise body_over(self.bounds, exchange.size, request)
        if failure is None:
            failure = exchange.problem  # a violation the app caught and hid
        if failure is not None:
            return ProbeResponse(0, error=failure)
        if exchange.status is None:
            return ProbeResponse(0, error="the app never called start_response")
        status = int(exchange.status[:3])
        return ProbeResponse(status, tuple(exchange.headers), b"".join(exchange.body))

    def reproduce(self, request: ProbeRequest) -> str:
        """A runnable Python snippet that sends the same request."""
        return python_reproduction(
            self.spec, self.kind, "WSGITarget(app)", request, factory=self.factory
        )
