"""The seed's expensive-calculation example: why content should be lazy.

``bad_handler`` computes its content before returning, so the calculation
runs even when the answer is a 304. ``good_handler`` returns a generator
that starts with ``yield ''``: on a 304 its content is closed unread and the
calculation never runs.

>>> from etagspec.testing import TestApp
>>> calls.clear()
>>> print(TestApp(good_app).get('/', HTTP_IF_NONE_MATCH='"foo"').text())
304 Not Modified
ETag: "foo"
>>> calls
[]
>>> print(TestApp(good_app).get('/').text())
200 OK
Content-Type: text/html; charset=UTF-8
ETag: "foo"
<BLANKLINE>
The answer is 42
>>> calls
['Calculating!']
"""

from __future__ import annotations

from collections.abc import Iterator

from etagspec import to_wsgi
from etagspec.caching import etag_middleware, with_etag
from etagspec.request import Request
from etagspec.response import Response

calls: list[str] = []


def very_expensive_calculation() -> str:
    calls.append("Calculating!")
    return "The answer is 42"


@with_etag(lambda request: "foo")
def bad_handler(request: Request) -> Response:
    return Response([very_expensive_calculation()])


@with_etag(lambda request: "foo")
def good_handler(request: Request) -> Response:
    def generate_content() -> Iterator[str]:
        yield ""
        yield very_expensive_calculation()

    return Response(generate_content())


bad_app = etag_middleware(to_wsgi(bad_handler))
good_app = etag_middleware(to_wsgi(good_handler))
