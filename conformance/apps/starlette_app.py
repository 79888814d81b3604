"""Starlette (ASGI): ``StaticFiles`` under /static, and ``FileResponse``.

Both idioms are from Starlette's docs: "Static Files"
(``Mount('/static', app=StaticFiles(directory=...))``) and "Responses" →
``FileResponse`` (ETag, Last-Modified and Range handled by the response).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static"


async def hello_file(request: Request) -> FileResponse:
    return FileResponse(STATIC / "hello.txt", media_type="text/plain")


app = Starlette(
    routes=[
        Route("/file", hello_file),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
)
