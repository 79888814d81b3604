"""Werkzeug: ``Response.make_conditional`` on a response with validators.

The idiom from Werkzeug's documentation of ``Response.make_conditional``
("works best if an etag was defined for the response already; the
``add_etag`` method can be used to do that") and of ``Request.application``
(API docs, "Wrappers"): build the response, give it an ETag and a
Last-Modified, then let ``make_conditional`` answer 304/412/206.
``/hello.txt`` carries a strong ETag; ``/weak.txt`` the same content with
a weak one (``add_etag(weak=True)``), so weak comparison is exercised too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Request, Response

HELLO = b"Hello from Werkzeug, with validators.\n"
LAST_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


@Request.application
def app(request: Request) -> Response:
    if request.path not in ("/hello.txt", "/weak.txt"):
        error: HTTPException = NotFound()
        return error.get_response(request.environ)
    response = Response(HELLO, mimetype="text/plain")
    response.add_etag(weak=request.path == "/weak.txt")
    response.last_modified = LAST_MODIFIED
    return response.make_conditional(request, accept_ranges=True, complete_length=len(HELLO))
