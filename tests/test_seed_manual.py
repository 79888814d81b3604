"""The seed's manual page (Pesto's caching module), ported to Python 3.

Every example of the page, with ``pesto`` replaced by ``etagspec``,
``print`` as a function and ``//`` for integer division. Where the output
differs from the page, the README's "Differences from Pesto" table says
why; those places are marked ``RFC:`` here.

The expensive-calculation example, first the bad way:

>>> from etagspec.caching import with_etag, etag_middleware
>>> from etagspec.response import Response
>>> from etagspec import to_wsgi
>>> calls = []
>>> def very_expensive_calculation():
...     calls.append("Calculating!")
...     return "The answer is 42"
>>> @with_etag(lambda request: 'foo')
... def my_handler(request):
...     return Response([very_expensive_calculation()])
>>> app = etag_middleware(my_handler)
>>> from etagspec.testing import TestApp
>>> print(TestApp(app).get('/').text())
200 OK
Content-Type: text/html; charset=UTF-8
ETag: "foo"
<BLANKLINE>
The answer is 42

RFC: a 304 carries no Content-Type (RFC 9110 §15.4.5).

>>> print(TestApp(app).get('/', HTTP_IF_NONE_MATCH='"foo"').text())
304 Not Modified
ETag: "foo"
>>> calls
['Calculating!', 'Calculating!']

Then with lazy content, so that a 304 never calculates:

>>> @with_etag(lambda request: 'foo')
... def my_handler(request):
...     def generate_content():
...         yield ''
...         yield very_expensive_calculation()
...     return Response(generate_content())
>>> app = etag_middleware(my_handler)
>>> calls.clear()
>>> print(TestApp(app).get('/', HTTP_IF_NONE_MATCH='"foo"').text())
304 Not Modified
ETag: "foo"
>>> calls
[]

The page's module API examples for ``etags_match``, ``make_etag``,
``no_cache``, ``parse_entity_tags`` and ``quoted_string`` are the doctests
of those functions (``etagspec.etags`` and ``etagspec.caching``), run with
the rest of the suite; ``no_cache`` sends ``Pragma: no-cache`` where the
page shows ``no-store`` (RFC 9111 §5.4).

>>> from etagspec.wsgi_adapter import to_wsgi

RFC: "whoa nelly!" has a space, which no entity tag may hold (RFC 9110
§8.8.3), so it is replaced by a deterministic digest instead of being sent
as-is.

>>> def generate_etag(request):
...     return "whoa nelly!"
>>> @with_etag(generate_etag, False)
... def view(request):
...     return Response(["This response should have an etag"])
>>> print(TestApp(to_wsgi(view)).get())
200 OK
Content-Type: text/html; charset=UTF-8
ETag: "5e09cidZJKf-oczGNMyAU0"
<BLANKLINE>
This response should have an etag
"""

from __future__ import annotations

from etagspec import caching, response, testing, wsgi_adapter


def test_the_seed_import_lines_work() -> None:
    import etagspec

    assert etagspec.to_wsgi is wsgi_adapter.to_wsgi
    assert response.Response is etagspec.Response
    assert testing.TestApp.__name__ == "TestApp"
    for name in (
        "quoted_string",
        "parse_entity_tags",
        "make_etag",
        "etags_match",
        "with_etag",
        "no_cache",
        "etag_middleware",
    ):
        assert callable(getattr(caching, name)), name
