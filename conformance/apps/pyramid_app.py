"""Pyramid: a view returning ``request.response`` with validators and
``conditional_response = True``.

Pyramid's responses are WebOb responses; the narrative docs ("Request and
Response Objects" → "Response") point to WebOb's ``conditional_response``
and ``md5_etag()``; the app is the single-file ``Configurator`` app of
Pyramid's "Quick Tour".
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response

DOCUMENT = b"A document served by a Pyramid view.\n"
LAST_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


def document(request: Request) -> Response:
    response: Response = request.response
    response.content_type = "text/plain"
    response.body = DOCUMENT
    response.last_modified = LAST_MODIFIED
    response.md5_etag()
    response.conditional_response = True
    return response


def make_app() -> object:
    with Configurator() as config:
        config.add_route("doc", "/doc")
        config.add_view(document, route_name="doc")
        return config.make_wsgi_app()


app = make_app()
