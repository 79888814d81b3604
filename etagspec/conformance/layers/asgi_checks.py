"""The layer checks only ASGI layers have: how a layer's messages go to the
server (one start and one final body for a 304 or 412, nothing after the
final body), an exception after the start, and what "a 304 computes no
content" means when the app pushes its body (the definition of
:mod:`etagspec.asgi`). Registered after the checks of :mod:`.checks`."""

from __future__ import annotations

import dataclasses

from ...strategies import handler_behaviours
from ..context import Finding
from ..model import Level
from .checks import SUCCESS, _register
from .target import LayerExchange, LayerTarget

__all__: list[str] = []

ASGI_ONLY = ("asgi",)


def _decided(exchange: LayerExchange) -> bool:
    return exchange.outer.response.status in (304, 412)


@_register(
    "LAYER-ASGI-1",
    "a 304 or 412 is one start and one final body message",
    "ASGI HTTP spec; RFC 9110 §15.4.5",
    Level.MUST,
    "a layer that answers 304 or 412 sends exactly one http.response.start and one "
    "http.response.body, with more_body false",
    handler_behaviours(statuses=SUCCESS, fails=["none"]),
    decisive=_decided,
    situation="a 304 or 412 from the layer",
    protocols=ASGI_ONLY,
)
def _one_start_one_body(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    if not _decided(exchange):
        return None
    sent = exchange.outer.sent
    kinds = [message.kind for message in sent]
    if kinds == ["start", "body"] and not sent[1].more_body:
        return None
    shown = ", ".join(f"{m.kind} {m.size}" + (" more_body" if m.more_body else "") for m in sent)
    return Finding(
        expected=f"{exchange.outer.response.status}: one start, one body with more_body false",
        signature="a 304 or 412 sent as more than one start and one final body",
        explanation=f"the layer sent: {shown}",
    )


@_register(
    "LAYER-ASGI-2",
    "an exception after the start propagates",
    "ASGI HTTP spec",
    Level.MUST,
    "an exception the inner app raises after its http.response.start reaches the server",
    handler_behaviours(statuses=SUCCESS, fails=["after_start", "during_iteration"]),
    preconditions="any",
    decisive=lambda exchange: bool(exchange.ledger.raised) and exchange.inner.response.status > 0,
    situation="an inner app that raised after its start",
    fits=lambda behaviour: False,
    protocols=ASGI_ONLY,
)
def _late_exception_raised(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    late = bool(exchange.ledger.raised) and exchange.inner.response.status > 0
    if not late or exchange.outer.raised is not None:
        return None
    return Finding(
        expected="the app's exception, raised to the server",
        signature="an exception after the start swallowed",
        explanation=f"the app raised {exchange.ledger.raised[0]!r} after its start; the layer "
        f"returned normally with {exchange.outer.response.status}",
    )


@_register(
    "LAYER-ASGI-3",
    "nothing is sent after the final body message",
    "ASGI HTTP spec",
    Level.MUST,
    "the layer sends one http.response.start before any body, ends a response it started "
    "with an http.response.body whose more_body is false (unless the app raised), and sends "
    "no message after that one",
    handler_behaviours(fails=["none"]),
    preconditions="any",
    methods=("GET", "HEAD", "POST"),
    protocols=ASGI_ONLY,
)
def _nothing_after_the_end(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    errors = [e for e in exchange.outer.protocol_errors if e not in exchange.inner.protocol_errors]
    if not errors:
        return None
    return Finding(
        expected="one start, bodies, and nothing after the final body",
        signature="messages out of the ASGI order",
        explanation="; ".join(errors),
    )


@_register(
    "LAYER-ASGI-4",
    "a 304 or 412 stops a streaming app",
    "seed promise; etagspec.asgi",
    Level.MUST,
    "on a 304 or 412 an inner app that streams its body and watches for http.disconnect "
    "computes no non-empty chunk after its http.response.start: the layer decides on the "
    "start and tells the app the client is gone",
    handler_behaviours(
        statuses=SUCCESS, contents=["generator", "closing", "file_wrapper"], fails=["none"]
    ).map(lambda behaviour: dataclasses.replace(behaviour, watches_disconnect=True)),
    decisive=lambda exchange: _decided(exchange) and exchange.behaviour.watches_disconnect,
    situation="a 304 or 412 from the layer for a streaming app",
    fits=lambda behaviour: behaviour.content != "list" and behaviour.fails == "none",
    protocols=ASGI_ONLY,
)
def _streaming_stopped(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    computed = exchange.ledger.computed_after_start
    if not (_decided(exchange) and exchange.behaviour.watches_disconnect and computed):
        return None
    status = exchange.outer.response.status
    return Finding(
        expected=f"{status} with no content computed after the app's start",
        signature="the app's content computed before a 304 or 412",
        explanation=f"the layer answered {status} but the app computed chunk(s) {computed} "
        "after its start",
    )
