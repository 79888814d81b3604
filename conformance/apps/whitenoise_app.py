"""WhiteNoise wrapping a WSGI app, serving conformance/static under /static/.

The idiom of WhiteNoise's "Using WhiteNoise with any WSGI application"
(``application = WhiteNoise(application, root=..., prefix=...)``).
WhiteNoise needs no setting for precompressed files: it serves
``compressible.txt.gz`` or ``.br`` (beside ``compressible.txt``) to a
request whose Accept-Encoding names gzip or br, the smaller variants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whitenoise import WhiteNoise

STATIC = Path(__file__).resolve().parent.parent / "static"


def not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The application behind WhiteNoise: nothing but 404s."""
    start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
    return [b"not found\n"]


app = WhiteNoise(not_found, root=str(STATIC), prefix="static/")
