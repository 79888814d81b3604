"""An ASGI layer under test: :class:`ASGILayerTarget` is a
:class:`~.target.LayerTarget` whose ``wrap(app) -> app`` is an ASGI
middleware factory. Each handler behaviour becomes an ASGI app
(:meth:`~etagspec.strategies.HandlerBehaviour.as_asgi_app`), the layer runs
on a private event loop in the target's worker thread (abandoned at the
deadline, like an in-process ASGI target), and each exchange comes back as
the same :class:`~.target.LayerExchange`, so the layer checks judge it as
they judge a WSGI layer."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import MutableMapping
from typing import Any

from ...strategies import HandlerBehaviour
from ..model import ProbeRequest
from ..targets.asgi import _close_loop
from ..targets.load import is_asgi_app
from .asgi_serving import call_asgi
from .serving import Served
from .target import LayerTarget, LayerTargetError

__all__ = ["ASGILayerTarget", "wraps_asgi"]


class _ASGISwitch:
    """The inner ASGI app the layer wraps once: it runs whichever behaviour
    app is current."""

    def __init__(self) -> None:
        self.current: Any = None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        assert self.current is not None
        await self.current(scope, receive, send)


async def _probe_app(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def wraps_asgi(wrap: Any) -> bool:
    """Whether ``wrap`` is an ASGI middleware factory: what it makes of an
    ASGI app is an ASGI app (an ``async`` callable of scope, receive and
    send). Anything that cannot wrap one is not.

    >>> from etagspec import asgi, caching
    >>> wraps_asgi(asgi.etag_middleware), wraps_asgi(caching.etag_middleware)
    (True, False)
    """
    if not callable(wrap) or is_asgi_app(wrap):
        return False
    try:
        return is_asgi_app(wrap(_probe_app))
    except Exception:  # not a factory of ASGI apps
        return False


class ASGILayerTarget(LayerTarget):
    """A conditional ASGI layer: ``wrap(app) -> app``, an ASGI middleware factory.

    >>> from etagspec.asgi import etag_middleware
    >>> target = ASGILayerTarget(etag_middleware, name="etag_middleware")
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),), chunks=(b"big",),
    ...                              content="generator", watches_disconnect=True)
    >>> request = ProbeRequest("GET", "/", (("If-None-Match", '"v1"'),))
    >>> exchange = target.exchange(behaviour, request)
    >>> exchange.outer.response.status, exchange.ledger.computed, len(exchange.outer.sent)
    (304, [], 2)
    """

    protocol = "asgi"

    def __init__(self, *args: Any, **keywords: Any) -> None:
        super().__init__(*args, **keywords)
        self._switch = _ASGISwitch()
        # One loop runs the layer (in the worker's thread), one the bare
        # behaviours; both closed when the target is collected (a loop still
        # stuck in an abandoned call is left to its thread).
        self._loop = asyncio.new_event_loop()
        self._bare_loop = asyncio.new_event_loop()
        for loop in (self._loop, self._bare_loop):
            weakref.finalize(self, _close_loop, loop)

    def __repr__(self) -> str:
        return f"ASGILayerTarget({self.name!r})"

    def wrapped(self) -> Any:
        if self._wrapped is None:
            wrapped = self.wrap(self._switch)
            if not callable(wrapped):
                raise LayerTargetError(f"{self.name}(app) returned {wrapped!r}, not an ASGI app")
            self._wrapped = wrapped
        return self._wrapped

    def _behaviour_app(self, behaviour: HandlerBehaviour) -> Any:
        return behaviour.as_asgi_app()

    def _serve_bare(self, behaviour: HandlerBehaviour, request: ProbeRequest) -> Served:
        cap = self.bounds.max_body_bytes
        call = call_asgi(behaviour.as_asgi_app(), request, max_body_bytes=cap)
        return self._bare_loop.run_until_complete(call)

    def _serve_outer(self, app: Any, request: ProbeRequest, deadline: float | None) -> Served:
        self._switch.current = app
        try:
            call = call_asgi(self.wrapped(), request, max_body_bytes=self.bounds.max_body_bytes)
            return self._loop.run_until_complete(call)
        finally:
            self._switch.current = None
