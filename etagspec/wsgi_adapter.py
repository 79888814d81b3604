"""The WSGI adapter: :func:`to_wsgi` turns a handler ``handler(request) -> Response``
into a WSGI app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .request import Request
from .response import Response, StartResponse

__all__ = ["Handler", "WSGIApp", "to_wsgi"]

Handler = Callable[[Request], Response]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def to_wsgi(handler: Handler) -> WSGIApp:
    """Wrap a handler as a WSGI application.

    The handler gets a :class:`~etagspec.request.Request` and returns a
    :class:`~etagspec.response.Response`, whose content is sent lazily.
    ``to_wsgi`` adds no header of its own (no Date, no Content-Length): the
    WSGI server adds Date, and Content-Length is the handler's to give.

    >>> from etagspec.testing import TestApp
    >>> app = to_wsgi(lambda request: Response(["hi ", request.path]))
    >>> print(TestApp(app).get("/there").text())
    200 OK
    Content-Type: text/html; charset=UTF-8
    <BLANKLINE>
    hi /there
    """

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = handler(Request(environ))
        return response(environ, start_response)

    # A conditional handler (etagspec.caching) may bring its own way to be
    # served, answering its commonest requests without a second Response;
    # only when it is the handler given here, not a wrapper around it.
    own = getattr(handler, "__etagspec_wsgi__", None)
    if own is not None and own[0] is handler:
        application = own[1]

    application.handler = handler  # type: ignore[attr-defined]
    application.__name__ = getattr(handler, "__name__", "application")
    application.__doc__ = getattr(handler, "__doc__", None)
    return application
