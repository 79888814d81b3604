"""Falcon: a resource that handles its own preconditions, and a static route.

``/doc`` follows the example in Falcon's API reference for ``falcon.ETag``
(``on_get`` walks ``req.if_none_match``, comparing with ``==`` and ``'*'``,
and answers 304), with ``resp.etag`` / ``resp.last_modified`` set on every
answer; ``on_put`` guards the write with ``req.if_match`` and
``ETag.strong_compare`` (the other half of the same reference entry) and
raises ``falcon.HTTPPreconditionFailed``. Falcon routes HEAD to
``on_head`` only, so the resource declares it. ``/static`` is
``App.add_static_route`` over conformance/static (API reference, "App").
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import falcon

STATIC = Path(__file__).resolve().parent.parent / "static"


class DocumentResource:
    """An in-memory document whose ETag and Last-Modified change on PUT."""

    def __init__(self) -> None:
        self.text = b"A document served by a Falcon resource.\n"
        self.modified = datetime(2024, 1, 1, tzinfo=UTC)

    @property
    def etag(self) -> falcon.ETag:
        return falcon.ETag(hashlib.sha256(self.text).hexdigest()[:16])

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        content_etag = self.etag
        resp.etag = content_etag
        resp.last_modified = self.modified
        for etag in req.if_none_match or []:
            if etag == "*" or etag == content_etag:
                resp.status = falcon.HTTP_304
                return
        resp.content_type = falcon.MEDIA_TEXT
        resp.data = self.text
        resp.status = falcon.HTTP_200

    on_head = on_get

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        content_etag = self.etag
        if req.if_match is not None and not any(
            etag == "*" or (isinstance(etag, falcon.ETag) and etag.strong_compare(content_etag))
            for etag in req.if_match
        ):
            raise falcon.HTTPPreconditionFailed(description="The document has changed.")
        self.text = req.bounded_stream.read()
        self.modified = datetime.now(UTC).replace(microsecond=0)
        resp.etag = self.etag
        resp.status = falcon.HTTP_204


app = falcon.App()
app.add_route("/doc", DocumentResource())
app.add_static_route("/static", str(STATIC))
