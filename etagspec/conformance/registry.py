"""The check registry: ``@check(...)`` records a check under its docs/SPEC.md ID."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .context import CheckContext
from .model import CheckInfo, Level

__all__ = ["CHECKS", "Check", "check"]

CheckFunction = Callable[[CheckContext], None]
F = TypeVar("F", bound=CheckFunction)


class Check:
    """A registered check: its identity and the function that runs it."""

    __slots__ = ("function", "info")

    def __init__(self, info: CheckInfo, function: CheckFunction) -> None:
        self.info = info
        self.function = function

    def __repr__(self) -> str:
        return f"<Check {self.info.id} {self.info.level.value}>"


#: Every check, by ID, in registration order.
CHECKS: dict[str, Check] = {}


def check(
    *, id: str, title: str, rfc: str, level: Level, rule: str, unsafe: bool = False
) -> Callable[[F], F]:
    """Register a check function under a stable requirement ID.

    Duplicate IDs are refused, so an ID always means one check.
    """

    def register(function: F) -> F:
        if id in CHECKS:
            raise ValueError(f"check ID {id!r} is registered twice")
        CHECKS[id] = Check(CheckInfo(id, title, rfc, level, rule, unsafe), function)
        return function

    return register
