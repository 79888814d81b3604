"""Flask: a view that streams the wrapped app's content in a
``flask.Response`` and calls ``make_conditional(request)`` on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE"]


def flask_view_layer(app: App) -> App:
    flask_app = Flask(__name__)

    @flask_app.route("/", methods=METHODS)
    def view() -> Response:
        response = Response.from_app(app, request.environ)
        return response.make_conditional(request)

    return flask_app
