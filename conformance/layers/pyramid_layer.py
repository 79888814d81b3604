"""Pyramid: a view answering with the wrapped app's status, headers and
content as a ``pyramid.response.Response(app_iter=...)`` with
``conditional_response=True``, served by Pyramid's own router
(``Configurator.make_wsgi_app()``), for every method."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from inner import call_inner
from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def conditional_response_layer(app: App) -> App:
    def view(request: Request) -> Response:
        status, headers, content = call_inner(app, request.environ)
        return Response(
            status=status, headerlist=list(headers), app_iter=content, conditional_response=True
        )

    with Configurator() as config:
        config.add_route("root", "/")
        config.add_view(view, route_name="root")
        return config.make_wsgi_app()  # type: ignore[no-any-return]
