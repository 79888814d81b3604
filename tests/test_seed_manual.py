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

The module API examples:

>>> from etagspec.caching import etags_match
>>> etags_match((False, 'a'), [(False, 'a'), (False, 'b')], allow_weak=False)
True
>>> etags_match((False, 'a'), [(True, 'a'), (False, 'b')], allow_weak=False)
False
>>> etags_match((False, 'a'), [(True, 'a'), (False, 'b')], allow_weak=True)
True
>>> etags_match((True, 'b'), [(True, 'a'), (False, 'b')], allow_weak=True)
True
>>> etags_match((False, 'a'), [(False, '*')])
True

>>> from etagspec.caching import make_etag
>>> make_etag('r1089')
'"r1089"'
>>> make_etag('r1089', True)
'W/"r1089"'

RFC: Pragma has one directive, no-cache (RFC 9111 §5.4); Pesto sent no-store.

>>> from etagspec.core import to_wsgi
>>> from etagspec.caching import no_cache
>>> @no_cache
... def view(request):
...     return Response(['cache me if you can!'])
>>> print(TestApp(to_wsgi(view)).get().text())
200 OK
Cache-Control: no-cache, no-store, must-revalidate
Content-Type: text/html; charset=UTF-8
Expires: Mon, 26 Jul 1997 05:00:00 GMT
Pragma: no-cache
<BLANKLINE>
cache me if you can!

>>> from etagspec.caching import parse_entity_tags
>>> parse_entity_tags(r'"tag a", W/"tag b"')
[(False, 'tag a'), (True, 'tag b')]
>>> parse_entity_tags(r'"\\"a\\"", "b"')
[(False, '"a"'), (False, 'b')]
>>> parse_entity_tags(r'"\\"a\\",\\\\b", "b"')
[(False, '"a",\\\\b'), (False, 'b')]
>>> parse_entity_tags(r'"\\"a\\",\\\\b\\\\", "b"')
[(False, '"a",\\\\b\\\\'), (False, 'b')]
>>> parse_entity_tags(r'"some longer \\"text\\"", "b"')
[(False, 'some longer "text"'), (False, 'b')]

>>> from etagspec.caching import quoted_string
>>> quoted_string(r'"this" is quoted')
'"\\\\"this\\\\" is quoted"'
>>> quoted_string(r'this is \\"quoted\\"') == r'"this is \\\\\\"quoted\\\\\\""'
True

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

from etagspec import caching, core, response, testing


def test_the_seed_import_lines_work() -> None:
    import etagspec

    assert etagspec.to_wsgi is core.to_wsgi
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
