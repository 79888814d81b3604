"""The conformance harness: does a WSGI app do conditional requests right?

>>> from etagspec.conformance import check_app
>>> from etagspec.demo import make_app
>>> report = check_app(make_app(), paths=["/hello"], max_examples=5)
>>> report.exit_code, report.summary["failed"]
(0, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .bounds import BoundExceeded, Bounds
from .model import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
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
    from .catalogue import registered_checks
    from .context import CheckContext, Finding
    from .layers import check_layer
    from .parsers import check_parser
    from .registry import CHECKS, check
    from .runner import run_checks

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
    unsafe_paths: Sequence[str] = (),
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    strict: bool = False,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    name: str | None = None,
    max_time: float | None = None,
) -> Report:
    """Check a WSGI app (or a Target, or a ``"module:attr"`` string) and
    return the :class:`Report` (``max_time``: see :func:`run_checks`).

    ``select`` and ``exclude`` take check IDs or prefixes (any case, comma
    separated lists allowed); one that names no check raises
    :class:`UnknownCheckError` (a ValueError) before any request is sent.

    >>> check_app("etagspec.demo:app", select=["cond-imx"])
    Traceback (most recent call last):
    ...
    etagspec.conformance.selection.UnknownCheckError: unknown check ID or prefix: COND-IMX
    """
    from .runner import run_checks

    target = load_target(app, name=name)
    return run_checks(
        target,
        paths,
        unsafe_paths=unsafe_paths,
        max_examples=max_examples,
        seed=seed,
        strict=strict,
        select=select,
        max_time=max_time,
        exclude=exclude,
    )
