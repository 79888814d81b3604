"""The conformance harness: does a WSGI app do conditional requests right?

>>> from etagspec.conformance import check_app
>>> from etagspec.demo import make_app
>>> report = check_app(make_app(), paths=["/hello"], max_examples=5)
>>> report.exit_code, report.summary["failed"]
(0, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .bounds import BoundExceeded, Bounds
from .model import (
    CheckInfo,
    CheckResult,
    Failure,
    Level,
    ProbeRequest,
    ProbeResponse,
    Report,
    Status,
    TargetInfo,
)
from .selection import UnknownCheckError
from .targets import Target, TargetError, WSGITarget, load_target

if TYPE_CHECKING:  # imported lazily: they pull in Hypothesis
    from typing_extensions import Unpack

    from .catalogue import registered_checks
    from .context import CheckContext, Finding
    from .layers import check_layer
    from .parsers import check_parser
    from .registry import CHECKS, check
    from .runner import RunOptions, run_checks

_LAZY = {
    "CHECKS": "registry",
    "check": "registry",
    "registered_checks": "catalogue",
    "CheckContext": "context",
    "Finding": "context",
    "run_checks": "runner",
    "check_layer": "layers",
    "check_parser": "parsers",
}


def __getattr__(name: str) -> Any:
    """Import the Hypothesis-backed parts on first use (PEP 562), so that
    loading the pytest plugin costs little when it is not used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "CHECKS",
    "BoundExceeded",
    "Bounds",
    "CheckContext",
    "CheckInfo",
    "CheckResult",
    "Failure",
    "Finding",
    "Level",
    "ProbeRequest",
    "ProbeResponse",
    "Report",
    "Status",
    "Target",
    "TargetError",
    "TargetInfo",
    "UnknownCheckError",
    "WSGITarget",
    "check",
    "check_app",
    "check_layer",
    "check_parser",
    "load_target",
    "registered_checks",
    "run_checks",
]


def check_app(
    app: Any,
    paths: Sequence[str] = ("/",),
    *,
    name: str | None = None,
    **options: Unpack[RunOptions],
) -> Report:
    """Check a WSGI app (or a Target, or a ``"module:attr"`` string) and
    return the :class:`Report`; ``options`` are :func:`run_checks`'s
    keywords (``unsafe_paths``, ``max_examples``, ``seed``, ``strict``,
    ``select``, ``exclude``, ``max_time``: :class:`~.runner.RunOptions`).

    ``select`` and ``exclude`` take check IDs or prefixes (any case, comma
    separated lists allowed); one that names no check raises
    :class:`UnknownCheckError` (a ValueError) before any request is sent.

    >>> check_app("etagspec.demo:app", select=["cond-imx"])
    Traceback (most recent call last):
    ...
    etagspec.conformance.selection.UnknownCheckError: unknown check ID or prefix: COND-IMX
    """
    from .runner import run_checks

    return run_checks(load_target(app, name=name), paths, **options)
