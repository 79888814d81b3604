"""A layer under test: :class:`LayerTarget` wraps a switchable inner app once
with ``wrap(app) -> app`` and runs one handler behaviour and one request
through it (and through the bare behaviour, for comparison)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...strategies import BehaviourApp, HandlerBehaviour, HandlerLedger
from ..bounds import Bounds, out_of_time, request_deadline
from ..model import ProbeRequest, ProbeResponse
from ..targets import WSGIApp
from ..targets.base import hung_error
from ..targets.worker import Worker
from .serving import Served, serve_request

__all__ = ["LayerExchange", "LayerTarget", "LayerTargetError", "Wrap"]

Wrap = Callable[[WSGIApp], WSGIApp]
_PLAIN_GET = ProbeRequest("GET", "/")


class LayerTargetError(ValueError):
    """A layer spec that cannot be loaded, or is not ``wrap(app) -> app``."""


@dataclass(frozen=True)
class LayerExchange:
    """One request through the bare behaviour (``inner``) and through the
    layer (``outer``), with the ledger of the app the layer wrapped."""

    behaviour: HandlerBehaviour
    request: ProbeRequest
    inner: Served
    outer: Served
    ledger: HandlerLedger


class _Switch:
    """The inner app the layer wraps once: it runs whichever behaviour app
    is current (so a layer is built once per check, not per request)."""

    def __init__(self) -> None:
        self.current: BehaviourApp | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        assert self.current is not None
        return self.current(environ, start_response)


class LayerTarget:
    """A conditional layer: ``wrap(app) -> app``, a WSGI middleware factory.

    >>> from etagspec.caching import etag_middleware
    >>> target = LayerTarget(etag_middleware, name="etag_middleware")
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),), chunks=(b"", b"big"),
    ...                              content="generator", lazy_start=True)
    >>> request = ProbeRequest("GET", "/", (("If-None-Match", '"v1"'),))
    >>> exchange = target.exchange(behaviour, request)
    >>> exchange.outer.response.status, exchange.ledger.computed
    (304, [0])
    """

    kind = "layer"
    #: The protocol between the layer and the app it wraps.
    protocol = "wsgi"

    def __init__(
        self,
        wrap: Wrap,
        *,
        name: str | None = None,
        spec: str | None = None,
        bounds: Bounds | None = None,
    ) -> None:
        if not callable(wrap):
            raise LayerTargetError(f"{wrap!r} is not callable: a layer is wrap(app) -> app")
        self.wrap = wrap
        self.spec = spec
        self.name: str = name or spec or str(getattr(wrap, "__qualname__", repr(wrap)))
        self._switch: Any = _Switch()
        self._wrapped: Any = None
        self._plain: dict[HandlerBehaviour, LayerExchange] = {}
        self._plain_passes: dict[HandlerBehaviour, tuple[Served, HandlerLedger]] = {}
        self.bounds = Bounds() if bounds is None else bounds
        #: Why every later exchange fails at once (the layer hung), or None.
        self.hung: str | None = None
        self._worker = Worker(f"etagspec layer {self.name}", interrupt=self.protocol == "wsgi")

    def __repr__(self) -> str:
        return f"LayerTarget({self.name!r})"

    def rebuild(self) -> None:
        """Wrap a new inner app (each check starts from a fresh layer)."""
        self._wrapped = None
        self._plain.clear()
        self._plain_passes.clear()

    def wrapped(self) -> Any:
        if self._wrapped is None:
            wrapped = self.wrap(self._switch)
            if not callable(wrapped):
                raise LayerTargetError(f"{self.name}(app) returned {wrapped!r}, not a WSGI app")
            self._wrapped = wrapped
        return self._wrapped

    def exchange(self, behaviour: HandlerBehaviour, request: ProbeRequest) -> LayerExchange:
        """Serve ``request`` from ``behaviour`` bare, then through the layer,
        within the bounds: in a worker thread abandoned at the deadline (the
        layer hung: this and every later exchange get no response), each
        body never kept past the cap (the run stops)."""
        inner = self._serve_bare(behaviour, request)
        outer, ledger = self._through_layer(behaviour, request)
        return LayerExchange(behaviour, request, inner, outer, ledger)

    def _through_layer(
        self, behaviour: HandlerBehaviour, request: ProbeRequest
    ) -> tuple[Served, HandlerLedger]:
        """``request`` served from ``behaviour`` through the layer (see
        :meth:`exchange`), and the ledger of the app the layer wrapped."""
        app = self._behaviour_app(behaviour)
        if self.hung is None:
            deadline, run_end = request_deadline(self.bounds.timeout)
            finished, outer = self._worker.call(
                lambda: self._serve_outer(app, request, deadline), deadline
            )
            if finished and outer is not None:
                return outer, app.ledger
            if run_end:
                raise out_of_time()
            self.hung = f"no response within {self.bounds.timeout:g} s{self._worker.stuck_at}"
            error = self.hung
        else:
            error = hung_error(self.hung)
        return Served(ProbeResponse(0, error=error), None, (), ()), app.ledger

    def _behaviour_app(self, behaviour: HandlerBehaviour) -> Any:
        """The inner app the layer wraps for one exchange (it has a ``ledger``)."""
        return behaviour.as_wsgi_app()

    def _serve_bare(self, behaviour: HandlerBehaviour, request: ProbeRequest) -> Served:
        """``request`` served by the bare behaviour, for comparison."""
        cap = self.bounds.max_body_bytes
        return serve_request(behaviour.as_wsgi_app(), request, max_body_bytes=cap)

    def _serve_outer(self, app: Any, request: ProbeRequest, deadline: float | None) -> Served:
        self._switch.current = app
        try:
            return serve_request(
                self.wrapped(),
                request,
                max_body_bytes=self.bounds.max_body_bytes,
                deadline=deadline,
            )
        finally:
            self._switch.current = None

    def plain(self, behaviour: HandlerBehaviour) -> LayerExchange:
        """A plain GET of ``behaviour`` through the layer (once per behaviour
        and layer, the one :meth:`emitted` makes): what the layer itself
        emits, its own validators included.

        >>> from etagspec.caching import etag_middleware
        >>> target = LayerTarget(etag_middleware)
        >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),), chunks=(b"hi",))
        >>> target.plain(behaviour).outer.response.header("ETag")
        '"v1"'
        """
        if behaviour not in self._plain:
            outer, ledger = self._plain_pass(behaviour)
            inner = self._serve_bare(behaviour, _PLAIN_GET)
            self._plain[behaviour] = LayerExchange(behaviour, _PLAIN_GET, inner, outer, ledger)
        return self._plain[behaviour]

    def emitted(self, behaviour: HandlerBehaviour) -> Served:
        """What the layer answers a plain GET of ``behaviour`` with (the
        answer :meth:`plain` holds, without serving the bare behaviour too,
        which nothing that asks for the layer's own fields reads)."""
        return self._plain_pass(behaviour)[0]

    def _plain_pass(self, behaviour: HandlerBehaviour) -> tuple[Served, HandlerLedger]:
        if behaviour not in self._plain_passes:
            self._plain_passes[behaviour] = self._through_layer(behaviour, _PLAIN_GET)
        return self._plain_passes[behaviour]

    def reproduce(self, behaviour: HandlerBehaviour, request: ProbeRequest) -> str:
        """Python that replays one exchange without the harness."""
        if self.spec and ":" in self.spec:
            module, _, attribute = self.spec.partition(":")
            source = f"from {module} import {attribute} as wrap"
        else:
            source = f"wrap = ...  # the layer checked: {self.name}"
        serve = "serve_asgi" if self.protocol == "asgi" else "serve"
        return "\n".join(
            [
                f"from etagspec.conformance.layers import {serve}",
                "from etagspec.strategies import HandlerBehaviour",
                source,
                "",
                f"behaviour = {behaviour!r}",
                f"app = behaviour.as_{self.protocol}_app()",
                f"print({serve}(wrap(app), {request.method!r}, {list(request.headers)!r}))",
                "print(app.ledger)",
            ]
        )
