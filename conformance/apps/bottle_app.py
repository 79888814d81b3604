"""Bottle: ``static_file`` for a file route.

The idiom of Bottle's tutorial, "Static Files" (``return static_file(
filename, root=...)``); ``static_file`` sets ETag and Last-Modified and
answers If-None-Match, If-Modified-Since and Range itself.
"""

from __future__ import annotations

from pathlib import Path

from bottle import Bottle, HTTPResponse, static_file

STATIC = Path(__file__).resolve().parent.parent / "static"

app = Bottle()


@app.route("/hello.txt")
def hello() -> HTTPResponse:
    return static_file("hello.txt", root=str(STATIC))
