"""etagspec's own layers: ``etag_middleware`` as it is, and the
``conditional`` decorator (behind ``with_etag`` / ``with_last_modified``)
through an adapter whose validator functions ask the wrapped app (a GET
without preconditions) before the handler runs, as ``conditional`` has them
look the validators up first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from inner import call_inner

from etagspec import Request, Response
from etagspec.caching import conditional, etag_middleware
from etagspec.dates import http_date_to_timestamp
from etagspec.errors import InvalidEntityTag, InvalidHTTPDate
from etagspec.etags import EntityTag, parse_entity_tag
from etagspec.wsgi_adapter import to_wsgi

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_PRECONDITIONS = ("IF_MATCH", "IF_NONE_MATCH", "IF_MODIFIED_SINCE", "IF_UNMODIFIED_SINCE")

__all__ = ["conditional_decorator", "etag_middleware"]


def conditional_decorator(app: App) -> App:
    def validators(request: Request) -> dict[str, str]:
        environ = {k: v for k, v in request.environ.items() if k[5:] not in _PRECONDITIONS}
        environ["REQUEST_METHOD"] = "GET"
        status, headers, content = call_inner(app, environ)
        content.close()
        if not status.startswith("2"):
            return {}
        return {name.lower(): value for name, value in reversed(headers)}

    def etag(request: Request) -> EntityTag | None:
        try:
            return parse_entity_tag(validators(request)["etag"])
        except (KeyError, InvalidEntityTag):
            return None

    def last_modified(request: Request) -> int | None:
        try:
            return http_date_to_timestamp(validators(request)["last-modified"])
        except (KeyError, InvalidHTTPDate):
            return None

    def exists(request: Request) -> bool:
        return bool(validators(request))

    @conditional(etag=etag, last_modified=last_modified, exists=exists)
    def handler(request: Request) -> Response:
        status, headers, content = call_inner(app, request.environ)
        return Response(content, status, headers=headers)

    return to_wsgi(handler)
