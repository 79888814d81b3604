"""Targets: where probes go. Checks only ever see :class:`ProbeResponse`.

Three kinds are built in: a WSGI app in-process (:mod:`.wsgi`), an ASGI app
in-process (:mod:`.asgi`) and a live server by URL (:mod:`.live`). Each
imports only :mod:`.base` (the protocol, the errors, the in-process base);
:func:`load_target` (:mod:`.load`) picks one from a spec.
"""

from __future__ import annotations

from .base import (
    DEFAULT_TIMEOUT,
    KINDS,
    InProcessTarget,
    InvalidExchange,
    Target,
    TargetError,
    carries_body,
)
from .load import is_asgi_app, load_target, resolve_object
from .wsgi import WSGIApp, WSGITarget

__all__ = [
    "DEFAULT_TIMEOUT",
    "KINDS",
    "InProcessTarget",
    "InvalidExchange",
    "Target",
    "TargetError",
    "WSGIApp",
    "WSGITarget",
    "carries_body",
    "is_asgi_app",
    "load_target",
    "resolve_object",
]
