"""The seed's caching promise for ASGI: 304 and 412 from the app's own
validators, and no content computed for them.

Two pieces, both on the same sans-IO evaluator as the WSGI layer
(:func:`etagspec.preconditions.evaluate`, RFC 9110 §13.2.2):

* :func:`etag_middleware` wraps any ASGI app. On a GET or HEAD that carries
  a precondition it waits for the app's ``http.response.start``; a 2xx start
  is judged from the ETag and Last-Modified the app sent, and a false
  precondition is answered 304 (with the fields RFC 9110 §15.4.5 keeps) or
  412 in place of the app's answer. Other methods, other statuses and
  unconditional requests pass through untouched: a layer that only sees
  the app's validators after the app has run cannot undo a PUT, so it
  never judges one (guard those with :func:`conditional`).
* :func:`conditional` (and :func:`with_etag`, :func:`with_last_modified`)
  decorates an ASGI endpoint with functions that compute its validators
  from the request's scope, *before* the endpoint runs: a 304 or a 412
  never calls it, on any method.

What "a 304 computes no content" means for ASGI, where the app pushes its
body through ``send`` rather than handing over an iterable: once the layer
has decided on 304 or 412 it sends exactly one ``http.response.start`` and
one final ``http.response.body`` (``more_body`` false) of its own, forwards
none of the app's body messages, and answers every later ``receive`` with
``http.disconnect``, exactly as a server does when the client has gone.
An app that streams its body and watches for the disconnect (Starlette's
``StreamingResponse`` does) stops there; what a plain app computes before
its first ``send`` is out of any middleware's reach, which is why the
decorator exists.

>>> import asyncio
>>> async def app(scope, receive, send):
...     await send({"type": "http.response.start", "status": 200,
...                 "headers": [(b"etag", b'"v1"'), (b"content-type", b"text/plain")]})
...     await send({"type": "http.response.body", "body": b"hello"})
>>> sent = []
>>> async def send(message):
...     sent.append(message)
>>> async def receive():
...     return {"type": "http.request", "body": b"", "more_body": False}
>>> scope = {"type": "http", "method": "GET", "path": "/",
...          "headers": [(b"if-none-match", b'W/"v1"')]}
>>> asyncio.run(etag_middleware(app)(scope, receive, send))
>>> sent[0]["status"], sent[0]["headers"], sent[1]
(304, [(b'etag', b'"v1"')], {'type': 'http.response.body', 'body': b'', 'more_body': False})
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any, Final

from ._fast_paths import resource_from_headers, to_entity_tag
from .caching.answers import not_modified_headers, precondition_failed_body
from .caching.decorators import to_timestamp
from .dates import format_http_date
from .preconditions import Conditions, Decision, Outcome, Resource, evaluate

__all__ = [
    "ASGIApp",
    "conditional",
    "etag_middleware",
    "with_etag",
    "with_last_modified",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
#: An ASGI 3 application: ``await app(scope, receive, send)``.
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
#: A validator function: gets the request's scope, returns a value (or an
#: awaitable of one).
ScopeValidator = Callable[[Scope], Any]

_JUDGED_METHODS: Final = frozenset({"GET", "HEAD"})
_DISCONNECT: Final = {"type": "http.disconnect"}
_FIELD_NAMES: Final = {
    b"if-match": "if_match",
    b"if-none-match": "if_none_match",
    b"if-modified-since": "if_modified_since",
    b"if-unmodified-since": "if_unmodified_since",
    b"if-range": "if_range",
    b"range": "range",
}


def request_conditions(headers: Iterable[tuple[bytes, bytes]]) -> Conditions:
    """The precondition fields of an ASGI scope's ``headers``.

    Names are matched case-blind; a field sent on several lines is one
    comma-separated list, as RFC 9110 §5.3 combines them (a repeated date
    field thus becomes an invalid date, which is ignored).

    >>> request_conditions([(b"If-None-Match", b'"a"'), (b"if-none-match", b'"b"')])
    Conditions(if_match=None, if_none_match='"a", "b"', if_modified_since=None, \
if_unmodified_since=None, if_range=None, range=None)
    """
    found: dict[str, str] = {}
    for name, value in headers:
        key = _FIELD_NAMES.get(bytes(name).lower())
        if key is None:
            continue
        text = bytes(value).decode("latin-1")
        found[key] = found[key] + ", " + text if key in found else text
    return Conditions(**found)


def _text_lines(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """ASGI header lines as the WSGI layer's (name, value) text pairs."""
    return [(bytes(n).decode("latin-1"), bytes(v).decode("latin-1")) for n, v in headers]


def _byte_lines(lines: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in lines]


def _decided_messages(
    decision: Decision, method: str, lines: list[tuple[str, str]]
) -> tuple[Message, Message]:
    """The start and final body messages of a 304 or 412 that replace the
    app's answer whose header lines are ``lines``."""
    if decision.outcome is Outcome.NOT_MODIFIED:
        kept = _byte_lines(not_modified_headers(lines))
        start: Message = {"type": "http.response.start", "status": 304, "headers": kept}
        return start, {"type": "http.response.body", "body": b"", "more_body": False}
    body = precondition_failed_body(decision)
    failed = [(b"content-type", b"text/plain; charset=us-ascii")]
    failed += _byte_lines([(n, v) for n, v in lines if n.lower() == "date"][:1])
    if method != "HEAD":
        failed.append((b"content-length", str(len(body)).encode("ascii")))
    else:
        body = b""
    start = {"type": "http.response.start", "status": 412, "headers": failed}
    return start, {"type": "http.response.body", "body": body, "more_body": False}


class _Judge:
    """One request through :func:`etag_middleware`: the wrapped ``send`` and
    ``receive`` the app is given."""

    def __init__(self, method: str, conditions: Conditions, receive: Receive, send: Send) -> None:
        self.method = method
        self.conditions = conditions
        self.outer_receive = receive
        self.outer_send = send
        #: True once the layer has answered 304 or 412 in the app's place.
        self.decided = False
        #: Body messages the app sent after the decision (never forwarded).
        self.discarded = 0

    async def receive(self) -> Message:
        if self.decided:  # LAYER-ASGI-4: a streaming app learns the client has gone
            return dict(_DISCONNECT)
        return await self.outer_receive()

    async def send(self, message: Message) -> None:
        kind = message.get("type")
        if self.decided:  # LAYER-ASGI-3: nothing after our own final body
            if kind == "http.response.body":
                self.discarded += 1
            return
        if kind == "http.response.start":
            status = int(message.get("status", 200))
            if 200 <= status < 300:
                lines = _text_lines(message.get("headers", ()))
                decision = evaluate(self.method, self.conditions, resource_from_headers(lines))
                if decision.outcome is not Outcome.PROCEED:
                    self.decided = True
                    # LAYER-ASGI-1: one start, one final body, decided on the start
                    start, end = _decided_messages(decision, self.method, lines)
                    await self.outer_send(start)
                    await self.outer_send(end)
                    return
        await self.outer_send(message)


def etag_middleware(app: ASGIApp) -> ASGIApp:
    """Answer 304 or 412 to conditional GET and HEAD requests for any ASGI
    app, from the ETag and Last-Modified the app itself sends.

    See the module's documentation for what the app is told after a 304
    (``http.disconnect``) and what is never forwarded (its body).
    Non-HTTP scopes (lifespan, websocket) pass straight through.

    >>> import asyncio
    >>> async def app(scope, receive, send):
    ...     await send({"type": "http.response.start", "status": 200,
    ...                 "headers": [(b"etag", b'"v1"')]})
    ...     await send({"type": "http.response.body", "body": b"x"})
    >>> sent = []
    >>> async def send(message):
    ...     sent.append(message)
    >>> scope = {"type": "http", "method": "GET", "headers": [(b"if-match", b'"v0"')]}
    >>> asyncio.run(etag_middleware(app)(scope, None, send))
    >>> sent[0]["status"]
    412
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope.get("type") != "http" or method not in _JUDGED_METHODS:
            await app(scope, receive, send)
            return
        conditions = request_conditions(scope.get("headers", ()))
        if not conditions.any_present:
            await app(scope, receive, send)
            return
        judge = _Judge(method, conditions, receive, send)
        await app(scope, judge.receive, judge.send)  # LAYER-ASGI-2: what it raises goes on

    return middleware


async def _value_of(func: ScopeValidator | None, scope: Scope) -> Any:
    if func is None:
        return None
    value = func(scope)
    if inspect.isawaitable(value):
        value = await value
    return value


class _ConditionalEndpoint:
    """An ASGI endpoint behind validators computed before it runs.

    A class instance rather than a function, so that routers which wrap
    plain functions as request handlers (Starlette's ``Route``) mount it
    as the ASGI app it is.
    """

    def __init__(
        self,
        endpoint: ASGIApp,
        etag: ScopeValidator | None,
        last_modified: ScopeValidator | None,
        weak: bool,
    ) -> None:
        self.endpoint = endpoint
        self.etag = etag
        self.last_modified = last_modified
        self.weak = weak
        self.__wrapped__ = endpoint
        self.__doc__ = getattr(endpoint, "__doc__", None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.endpoint(scope, receive, send)
            return
        tag = to_entity_tag(await _value_of(self.etag, scope), self.weak)
        seconds = to_timestamp(await _value_of(self.last_modified, scope))
        lines: list[tuple[bytes, bytes]] = []
        if tag is not None:
            lines.append((b"etag", str(tag).encode("latin-1")))
        if seconds is not None:
            lines.append((b"last-modified", format_http_date(seconds).encode("ascii")))
        method = str(scope.get("method", "GET"))
        conditions = request_conditions(scope.get("headers", ()))
        if conditions.any_present:
            # COND-EVAL-1: evaluated before the method is performed, so a
            # false precondition never runs the endpoint, on any method.
            decision = evaluate(method, conditions, Resource(etag=tag, last_modified=seconds))
            if decision.outcome is not Outcome.PROCEED:
                start, end = _decided_messages(decision, method, _text_lines(lines))
                await send(start)
                await send(end)
                return

        async def send_with_validators(message: Message) -> None:
            if message.get("type") == "http.response.start" and lines:
                status = int(message.get("status", 200))
                headers = [(bytes(n), bytes(v)) for n, v in message.get("headers", ())]
                if 200 <= status < 300:
                    own = {n.lower() for n, _ in headers}
                    headers += [line for line in lines if line[0] not in own]
                message = {**message, "headers": headers}
            await send(message)

        await self.endpoint(scope, receive, send_with_validators)


def conditional(
    etag: ScopeValidator | None = None,
    last_modified: ScopeValidator | None = None,
    weak: bool = False,
) -> Callable[[ASGIApp], ASGIApp]:
    """Decorate an ASGI endpoint with the functions that compute its current
    validators from the request's ``scope`` (plain or ``async``), evaluated
    in RFC 9110 §13.2.2 order before the endpoint runs.

    ``etag`` returns an :class:`~etagspec.etags.EntityTag`, a revision (made
    into a tag as :func:`etagspec.caching.with_etag` does) or None;
    ``last_modified`` a datetime, POSIX seconds or None. The validators are
    added to the endpoint's 2xx answers (unless it sends its own). A 304 or
    a 412 never calls the endpoint.

    >>> import asyncio
    >>> calls = []
    >>> @conditional(etag=lambda scope: "rev-7")
    ... async def page(scope, receive, send):
    ...     calls.append(scope["method"])
    ...     await send({"type": "http.response.start", "status": 200, "headers": []})
    ...     await send({"type": "http.response.body", "body": b"page"})
    >>> sent = []
    >>> async def send(message):
    ...     sent.append(message)
    >>> scope = {"type": "http", "method": "PUT", "headers": [(b"if-match", b'"rev-6"')]}
    >>> asyncio.run(page(scope, None, send))
    >>> sent[0]["status"], calls
    (412, [])
    """

    def decorate(endpoint: ASGIApp) -> ASGIApp:
        return _ConditionalEndpoint(endpoint, etag, last_modified, weak)

    return decorate


def with_etag(etag_func: ScopeValidator, weak: bool = False) -> Callable[[ASGIApp], ASGIApp]:
    """:func:`conditional` with an ETag alone (If-Match, If-None-Match).

    >>> import asyncio
    >>> @with_etag(lambda scope: "v1", weak=True)
    ... async def page(scope, receive, send):
    ...     raise AssertionError("a 304 never runs the endpoint")
    >>> sent = []
    >>> async def send(message):
    ...     sent.append(message)
    >>> scope = {"type": "http", "method": "GET", "headers": [(b"if-none-match", b'"v1"')]}
    >>> asyncio.run(page(scope, None, send))
    >>> sent[0]["status"], sent[0]["headers"]
    (304, [(b'etag', b'W/"v1"')])
    """
    return conditional(etag=etag_func, weak=weak)


def with_last_modified(func: ScopeValidator) -> Callable[[ASGIApp], ASGIApp]:
    """:func:`conditional` with Last-Modified alone (If-Modified-Since,
    If-Unmodified-Since).

    >>> import asyncio
    >>> @with_last_modified(lambda scope: 784111777)
    ... async def page(scope, receive, send):
    ...     raise AssertionError("a 304 never runs the endpoint")
    >>> sent = []
    >>> async def send(message):
    ...     sent.append(message)
    >>> since = b"Sun, 06 Nov 1994 08:49:37 GMT"
    >>> scope = {"type": "http", "method": "GET", "headers": [(b"if-modified-since", since)]}
    >>> asyncio.run(page(scope, None, send))
    >>> sent[0]["status"]
    304
    """
    return conditional(last_modified=func)
