"""ASGI conditional layers for the layer matrix, each ``wrap(app) -> app``:

* ``asgi_etags_layer``: asgi-etags' ``ETagMiddlewareFactory``, with an MD5
  tag of each body message as its ETag generator (it requires one) and no
  ignored paths;
* ``etag_middleware_layer``: etag-middleware's ``ETagMiddleware`` with its
  defaults. Its distribution installs a top-level ``etag`` package, the
  name of the ``etag`` parser library of the parser matrix, so ``make
  reports`` installs it apart (``--target build/etag-middleware``) and this
  adapter loads it from there under another name;
* ``starlette_static_files_layer``: Starlette's own conditional handling,
  ``StaticFiles.is_not_modified`` and ``NotModifiedResponse``, applied to
  the app's 2xx answer to a GET or HEAD, as ``StaticFiles`` applies them to
  a file's.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.staticfiles import NotModifiedResponse, StaticFiles

Message = MutableMapping[str, Any]
ASGIApp = Callable[..., Awaitable[None]]

__all__ = ["asgi_etags_layer", "etag_middleware_layer", "starlette_static_files_layer"]

#: Where ``make reports`` installs etag-middleware (see the module docstring).
ETAG_MIDDLEWARE_HOME = Path(__file__).resolve().parents[2] / "build" / "etag-middleware"


def _md5_tag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def asgi_etags_layer(app: ASGIApp) -> ASGIApp:
    from asgi_etags import ETagMiddlewareFactory

    return ETagMiddlewareFactory(etag_generator=_md5_tag, ignore_paths=[])(app)  # type: ignore[no-any-return]


def etag_middleware_module() -> Any:
    """etag-middleware's ``etag`` package, loaded as ``etag_middleware_0_2``."""
    name = "etag_middleware_0_2"
    if name not in sys.modules:
        source = ETAG_MIDDLEWARE_HOME / "etag" / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, source)
        if spec is None or spec.loader is None or not source.exists():
            raise ImportError(f"etag-middleware is not installed in {ETAG_MIDDLEWARE_HOME}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def etag_middleware_layer(app: ASGIApp) -> ASGIApp:
    return etag_middleware_module().ETagMiddleware(app)  # type: ignore[no-any-return]


def starlette_static_files_layer(app: ASGIApp) -> ASGIApp:
    judge = StaticFiles(directory=str(Path(__file__).parent), check_dir=False)

    async def layer(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        decided = [False]

        async def inner_receive() -> Message:
            if decided[0]:
                return {"type": "http.disconnect"}
            return await receive()  # type: ignore[no-any-return]

        async def inner_send(message: Message) -> None:
            if decided[0]:
                return
            if message.get("type") == "http.response.start" and 200 <= message["status"] < 300:
                headers = Headers(raw=list(message.get("headers", [])))
                try:  # it reads the ETag of a file, which always has one
                    not_modified = judge.is_not_modified(headers, request_headers)
                except KeyError:
                    not_modified = False
                if not_modified:
                    decided[0] = True
                    await NotModifiedResponse(headers)(scope, receive, send)
                    return
            await send(message)

        await app(scope, inner_receive, inner_send)

    return layer
