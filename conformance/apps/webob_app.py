"""WebOb: ``Response(conditional_response=True)`` with validators.

The idiom of WebOb's reference for ``webob.response.Response``
("conditional_response: ... if true, the response will answer conditional
requests (If-None-Match, If-Modified-Since, Range) itself") together with
``webob.dec.wsgify`` from WebOb's "Do-It-Yourself Framework" docs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from webob import Request, Response
from webob.dec import wsgify
from webob.exc import HTTPNotFound

HELLO = b"Hello from WebOb, with validators.\n"
LAST_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


@wsgify
def app(request: Request) -> Response:
    if request.path_info != "/hello.txt":
        return HTTPNotFound()
    response = Response(body=HELLO, content_type="text/plain", conditional_response=True)
    response.md5_etag()
    response.last_modified = LAST_MODIFIED
    return response
