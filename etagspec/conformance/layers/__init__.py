"""The layer harness: check a conditional WSGI layer (``wrap(app) -> app``,
a middleware that answers 304 / 412 for the app it wraps) against drawn
handler behaviours, from outside and inside at once: the answer the client
gets, and what the wrapped app was made to compute, close and raise.

* :func:`check_layer` runs the layer checks (:func:`layer_checks`) and
  returns the same :class:`~etagspec.conformance.model.Report` as
  ``etagspec check``; ``etagspec check-layer module:attr`` is its command.
* :func:`serve` is the checking server the harness calls apps with; a
  failure's reproduction is a few lines around it.
"""

from __future__ import annotations

from . import asgi_checks  # noqa: F401 -- registers the checks only ASGI layers have, after the others
from .asgi_serving import serve_asgi
from .checks import LAYER_CHECKS, LayerCheck, layer_checks
from .loading import load_layer
from .requests import layer_requests
from .runner import check_layer, run_layer_check
from .serving import Served, environ_for, serve, serve_request
from .target import LayerExchange, LayerTarget, LayerTargetError

__all__ = [
    "LAYER_CHECKS",
    "LayerCheck",
    "LayerExchange",
    "LayerTarget",
    "LayerTargetError",
    "Served",
    "check_layer",
    "environ_for",
    "layer_checks",
    "layer_requests",
    "load_layer",
    "run_layer_check",
    "serve",
    "serve_asgi",
    "serve_request",
]
