"""The seed's hit counter, on etagspec: an image that changes every 7 hits.

The ETag is weak (``W/"0"``, ``W/"1"``, ...): the picture may be a few hits
out of date and still be an acceptable substitute. The PNG is drawn lazily,
inside a generator that starts with ``yield b''``, so a 304 never draws it.

Needs Pillow (``pip install 'etagspec[examples]'``). Run it with
``python examples/hitcounter.py`` and open http://127.0.0.1:8000/.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from etagspec import to_wsgi
from etagspec.caching import etag_middleware, with_etag
from etagspec.request import Request
from etagspec.response import Response


class HitCounter:
    """Counts hits and draws the count as a PNG."""

    def __init__(self) -> None:
        self.current_count = 0
        self.images_drawn = 0

    def hitcounter_etag(self, request: Request) -> int:
        return self.current_count // 7

    @with_etag(hitcounter_etag, weak=True)
    def counter(self, request: Request) -> Response:
        self.current_count += 1

        def image() -> Iterator[bytes]:
            yield b""
            yield self.draw(self.current_count)

        return Response(image(), content_type="image/png")

    def draw(self, count: int) -> bytes:
        from PIL import Image, ImageDraw

        self.images_drawn += 1
        img = Image.new("RGB", (50, 30))
        ImageDraw.Draw(img).text((10, 10), str(count))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()


def make_app(counter: HitCounter | None = None):  # type: ignore[no-untyped-def]
    counter = counter or HitCounter()
    return etag_middleware(to_wsgi(counter.counter))


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    httpd = make_server("127.0.0.1", 8000, make_app())
    print("Now load http://127.0.0.1:8000/ in a web browser")
    httpd.serve_forever()
