"""Where :class:`ASGITarget` has always been imported from; it lives in
:mod:`etagspec.conformance.targets.asgi`."""

from __future__ import annotations

from .targets.asgi import ASGITarget

__all__ = ["ASGITarget"]
