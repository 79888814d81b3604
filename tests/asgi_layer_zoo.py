"""A conditional ASGI layer written from RFC 9110 and the ASGI HTTP spec
(it imports nothing from etagspec; its §13.2.2 decision is the WSGI zoo's),
and mutants of it with exactly one flaw each, for the ASGI layer checks.

:class:`ConditionalASGILayer` is ``wrap(app) -> app``: on a conditional GET
or HEAD it judges the app's 2xx ``http.response.start`` at once, answers a
304 / 412 in its place as one start and one final body, forwards none of
the app's later messages, answers the app's ``receive`` with
``http.disconnect`` from then on, and lets exceptions through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from layer_zoo import ConditionalLayer, ReadsEmptyFieldsAsAbsent

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

#: The WSGI zoo's correct layer, used for its decisions only.
_RULES = ConditionalLayer(lambda environ, start_response: [])


def _environ(scope: MutableMapping[str, Any]) -> dict[str, Any]:
    """The method and ``HTTP_*`` keys a WSGI server would make of a scope."""
    environ: dict[str, Any] = {"REQUEST_METHOD": scope.get("method", "GET")}
    for name, value in scope.get("headers", ()):
        key = "HTTP_" + bytes(name).decode("latin-1").upper().replace("-", "_")
        text = bytes(value).decode("latin-1")
        environ[key] = f"{environ[key]}, {text}" if key in environ else text
    return environ


def _final(body: bytes = b"") -> Message:
    return {"type": "http.response.body", "body": body, "more_body": False}


class ConditionalASGILayer:
    """The correct ASGI layer. Each method is one decision a mutant may get wrong."""

    #: The §13.2.2 decisions (the WSGI zoo's correct layer).
    rules: ConditionalLayer = _RULES

    def __init__(self, app: App) -> None:
        self.app = app

    def judged(self, environ: dict[str, Any]) -> bool:
        return scope_is_http(environ) and self.rules.judged(environ)

    async def call_app(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    async def finish(self, send: Send) -> None:
        """After the app returned: nothing more to send."""

    async def send_body(self, send: Send, body: bytes) -> None:
        await send(_final(body))

    async def answer(
        self, decision: int, environ: dict[str, Any], headers: list[tuple[str, str]], send: Send
    ) -> None:
        if decision == 304:
            fields = self.rules.not_modified_headers(headers)
            body = b""
        else:
            body = b"" if environ["REQUEST_METHOD"] == "HEAD" else b"precondition failed"
            fields = [("content-type", "text/plain"), ("content-length", str(len(body)))]
        encoded = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in fields]
        await send({"type": "http.response.start", "status": decision, "headers": encoded})
        await self.send_body(send, body)

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        environ = _environ(scope)
        if scope.get("type") != "http" or not self.judged(environ):
            await self.call_app(scope, receive, send)
            await self.finish(send)
            return
        decided = [False]

        async def inner_receive() -> Message:
            if decided[0]:
                return {"type": "http.disconnect"}
            return await receive()

        async def inner_send(message: Message) -> None:
            if decided[0]:
                return
            status = message.get("status", 0)
            if message.get("type") == "http.response.start" and 200 <= status < 300:
                headers = [
                    (bytes(n).decode("latin-1"), bytes(v).decode("latin-1"))
                    for n, v in message.get("headers", ())
                ]
                decision = self.rules.decide(environ, headers)
                if decision is not None:
                    decided[0] = True
                    await self.answer(decision, environ, headers, send)
                    return
            await send(message)

        await self.call_app(scope, inner_receive, inner_send)
        await self.finish(send)


def scope_is_http(environ: dict[str, Any]) -> bool:
    return "REQUEST_METHOD" in environ


# ---- mutants: exactly one flaw each -------------------------------------------------


class PassesThrough(ConditionalASGILayer):
    """Judges nothing: every answer is the app's."""

    def judged(self, environ: dict[str, Any]) -> bool:
        return False


class SendsBodyInPieces(ConditionalASGILayer):
    """A 304 / 412 body as a chunk with more_body, then an empty final one."""

    async def send_body(self, send: Send, body: bytes) -> None:
        await send({"type": "http.response.body", "body": body, "more_body": True})
        await send(_final())


class SwallowsLateErrors(ConditionalASGILayer):
    """Ends the body and returns when the app raises after its start."""

    async def call_app(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        started = [False]

        async def tracking(message: Message) -> None:
            started[0] = started[0] or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            if not started[0]:
                raise
            await send(_final())


class SendsAfterFinal(ConditionalASGILayer):
    """Sends one more empty body message after the app has returned."""

    async def finish(self, send: Send) -> None:
        await send(_final())


class BuffersBody(ConditionalASGILayer):
    """Holds the app's messages until its final body, then decides: the app
    streams its whole content before a 304."""

    async def call_app(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        held: list[Message] = []

        async def holding(message: Message) -> None:
            held.append(message)
            if message.get("type") == "http.response.body" and not message.get("more_body"):
                for kept in held:
                    await send(kept)
                held.clear()

        await self.app(scope, receive, holding)
        for kept in held:
            await send(kept)


def correct_asgi_layer(app: App) -> App:
    """``wrap(app) -> app`` for the correct ASGI layer."""
    return ConditionalASGILayer(app)


#: Each mutant, and the layer check that must catch it.
MUTANTS: dict[type[ConditionalASGILayer], str] = {
    PassesThrough: "LAYER-COND-1",
    SendsBodyInPieces: "LAYER-ASGI-1",
    SwallowsLateErrors: "LAYER-ASGI-2",
    SendsAfterFinal: "LAYER-ASGI-3",
    BuffersBody: "LAYER-ASGI-4",
}


class ReadsEmptyFieldsAsAbsentASGI(ConditionalASGILayer):
    """Correct, but lenient: the WSGI zoo's ``ReadsEmptyFieldsAsAbsent``
    decisions (an empty If-None-Match read as absent, AMB-LIST-1)."""

    rules = ReadsEmptyFieldsAsAbsent(lambda environ, start_response: [])
