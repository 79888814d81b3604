"""WebOb: the wrapped app's answer as a ``webob.Response`` with
``conditional_response = True`` (its ``app_iter`` is the app's own
iterable), from WebOb's ``Request.get_response``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from webob import Request

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def conditional_response_layer(app: App) -> App:
    def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = Request(environ).get_response(app)
        response.conditional_response = True
        return response(environ, start_response)  # type: ignore[no-any-return]

    return layer
