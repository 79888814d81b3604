"""Werkzeug: ``Response.make_conditional`` on a streamed body.

The wrapped app becomes a streamed ``werkzeug.wrappers.Response`` through
Werkzeug's own ``Response.from_app`` (unbuffered), and
``make_conditional(request)`` answers 304 / 412 from its headers, as a view
streaming a large body would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_conditional_layer(app: App) -> App:
    def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        response = Response.from_app(app, environ)
        response.make_conditional(request)
        return response(environ, start_response)

    return layer
