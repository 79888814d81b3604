"""CherryPy 18: a handler that runs the wrapped app and answers with its
status, headers and (streamed) content, under ``tools.etags`` (ETag checked
against If-Match / If-None-Match) or, in the second layer,
``lib.cptools.validate_since`` (Last-Modified against If-Unmodified-Since /
If-Modified-Since, which ``lib.static.serve_file`` calls) hooked as a tool
where ``tools.etags`` runs. Both run after the handler
(``before_finalize``), which is how CherryPy documents them. Each layer is
a ``cherrypy.Application`` called as a WSGI app, for every method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import cherrypy
from cherrypy.lib import cptools
from inner import call_inner

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_INNER = "etagspec.inner_app"

# Embedded in a harness: no engine, no autoreload, no log on the screen.
cherrypy.config.update({"environment": "embedded", "log.screen": False})
cherrypy.tools.validate_since = cherrypy.Tool(
    "before_finalize", cptools.validate_since, priority=76
)


class _Root:
    @cherrypy.expose  # type: ignore[misc]
    def index(self) -> Iterator[bytes]:
        request, response = cherrypy.serving.request, cherrypy.serving.response
        environ = request.wsgi_environ
        status, headers, content = call_inner(environ[_INNER], environ)
        response.status = status
        response.headers.clear()
        for name, value in headers:
            response.headers[name] = value
        # CherryPy's own cleanup hook closes the app's content on every path
        # (a 304 or 412 raised by a tool replaces the body unread).
        request.hooks.attach("on_end_request", content.close)
        return iter(content)


def _layer(tools: dict[str, Any]) -> Callable[[App], App]:
    # tools.encode (on by default) would add a charset to the app's text/*
    # Content-Type: off, so the answers show what the validating tools do.
    settings = {"response.stream": True, "request.show_tracebacks": False}
    config = {"/": {**settings, "tools.encode.on": False, **tools}}

    def wrap(app: App) -> App:
        application = cherrypy.Application(_Root(), "", config)

        def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            environ[_INNER] = app
            return application(environ, start_response)  # type: ignore[no-any-return]

        return layer

    return wrap


etags_tool = _layer({"tools.etags.on": True})
validate_since_tool = _layer({"tools.validate_since.on": True})
