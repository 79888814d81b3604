"""Where :class:`URLTarget` has always been imported from; it lives in
:mod:`etagspec.conformance.targets.live`."""

from __future__ import annotations

from .targets.live import URLTarget, curl_command

__all__ = ["URLTarget", "curl_command"]
