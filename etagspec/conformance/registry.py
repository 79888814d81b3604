"""The one check registry: every check of every kind, under its docs/SPEC.md ID.

A check has a kind (:class:`CheckKind`): an exchange with an app or a
server (``@check``, the catalogue of :mod:`.checks`), an exchange through a
layer (:mod:`.layers.checks`), or a call of a library's parser
(:mod:`.parsers.checks`). Each kind keeps its entries in a
:class:`KindRegistry`, and every kind's registry refuses an ID that any
kind already holds, in any case, since selections match IDs in any case:
an ID always names one check.

>>> sorted(kind.value for kind in CheckKind)
['exchange', 'layer', 'parser']
>>> CHECKS is EXCHANGE_CHECKS.entries
True
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from .context import CheckContext
from .model import CheckInfo, Level

__all__ = [
    "CHECKS",
    "EXCHANGE_CHECKS",
    "Check",
    "CheckKind",
    "KindRegistry",
    "check",
    "kind_of",
    "registry_of",
]

CheckFunction = Callable[[CheckContext], None]
F = TypeVar("F", bound=CheckFunction)


class CheckKind(enum.Enum):
    """What a check exercises, which decides how a run sends its examples."""

    EXCHANGE = "exchange"  # a request to an app or a server (a Target)
    LAYER = "layer"  # a request through a layer around a drawn app (a LayerTarget)
    PARSER = "parser"  # a call of a library's parser or formatter (a ParserAdapter)


class Registered(Protocol):
    """What every registered check has, whatever its kind."""

    @property
    def info(self) -> CheckInfo: ...


E = TypeVar("E", bound=Registered)

#: The registry of each kind.
_KINDS: dict[CheckKind, KindRegistry[Registered]] = {}


class KindRegistry(Generic[E]):
    """The checks of one kind, by ID, in registration order (``entries``)."""

    def __init__(self, kind: CheckKind) -> None:
        # A kind has one registry: the one its module made last. A module
        # imported again (pytester's in-process runs drop the modules they
        # imported) registers its checks afresh in a new registry, which
        # replaces the old one rather than clash with the IDs it held.
        self.kind = kind
        self.entries: dict[str, E] = {}
        _KINDS[kind] = self  # type: ignore[assignment]  # read back only as Registered

    def add(self, entry: E) -> E:
        """Register ``entry``; an ID any kind holds already (in any case) is refused."""
        check_id = entry.info.id
        taken = kind_of(check_id)
        if taken is not None:
            raise ValueError(f"check ID {check_id!r} is registered twice ({taken.value})")
        self.entries[check_id] = entry
        return entry

    def all(self) -> list[E]:
        """Every check of the kind, in registration order."""
        return list(self.entries.values())

    def ids(self) -> list[str]:
        """The IDs of every check of the kind, in registration order."""
        return list(self.entries)


def registry_of(kind: CheckKind) -> KindRegistry[Registered]:
    """The registry of ``kind`` (once the module of its checks is imported)."""
    return _KINDS[kind]


def kind_of(check_id: str) -> CheckKind | None:
    """The kind of the check registered under ``check_id`` (any case), else None.

    >>> from etagspec.conformance import catalogue  # registers the exchange checks
    >>> kind_of("cmp-use-1")
    <CheckKind.EXCHANGE: 'exchange'>
    >>> kind_of("NOPE-1") is None
    True
    """
    upper = check_id.upper()
    for kind, registry in _KINDS.items():
        if any(known.upper() == upper for known in registry.entries):
            return kind
    return None


class Check:
    """A registered exchange check: its identity and the function that runs it."""

    __slots__ = ("function", "info")

    def __init__(self, info: CheckInfo, function: CheckFunction) -> None:
        self.info = info
        self.function = function

    def __repr__(self) -> str:
        return f"<Check {self.info.id} {self.info.level.value}>"


#: The exchange checks (an app or a server), in registration order.
EXCHANGE_CHECKS: KindRegistry[Check] = KindRegistry(CheckKind.EXCHANGE)
#: Every exchange check, by ID (the public name of the table).
CHECKS: dict[str, Check] = EXCHANGE_CHECKS.entries


def check(
    *, id: str, title: str, rfc: str, level: Level, rule: str, unsafe: bool = False
) -> Callable[[F], F]:
    """Register an exchange check function under a stable requirement ID.

    Duplicate IDs are refused, so an ID always means one check.
    """

    def register(function: F) -> F:
        EXCHANGE_CHECKS.add(Check(CheckInfo(id, title, rfc, level, rule, unsafe), function))
        return function

    return register
