"""What a benchmark group is, and what measuring one gives.

A :class:`Group` is a set of competitors run on the same input in the same
interleaved rounds (:func:`benchmarks.timing.measure`); its
:class:`GroupResult` reports each median and its ratio to the group's
reference (the single-regex lower bound, the bare app, or etagspec itself).

>>> group = Group("len", "len vs repr", "len", {"len": (len, "ab"), "repr": (repr, "ab")})
>>> result = run_group(group, Settings(rounds=3, batch_seconds=0.0005))
>>> result.ratio("len")
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from benchmarks.timing import Case, Settings, measure

__all__ = ["Group", "GroupResult", "run_group"]


@dataclass(frozen=True)
class Group:
    """Competitors measured side by side; ratios are to ``reference``.
    ``own`` names etagspec's rows and ``peers`` the other libraries' (not
    floors or lower bounds), for the comparison with the fastest peer."""

    key: str
    title: str
    reference: str
    cases: Mapping[str, Case]
    own: tuple[str, ...] = ()
    peers: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupResult:
    """Median seconds per call of each case of a group."""

    group: Group
    seconds: dict[str, float] = field(default_factory=dict)

    def ratio(self, case: str, to: str | None = None) -> float:
        """``case``'s median over ``to``'s (the group's reference by default)."""
        return self.seconds[case] / self.seconds[to or self.group.reference]

    def fastest_with(self, other: GroupResult) -> GroupResult:
        """The same group with each case's faster figure of two measurements.

        >>> group = Group("g", "g", "a", {})
        >>> first, second = GroupResult(group, {"a": 2.0, "b": 1.0}), GroupResult(group, {"a": 1.0})
        >>> first.fastest_with(second).seconds
        {'a': 1.0, 'b': 1.0}
        """
        seconds = {
            name: min(time, other.seconds.get(name, time)) for name, time in self.seconds.items()
        }
        return GroupResult(self.group, seconds)

    def fastest_peer(self) -> str | None:
        """The peer with the smallest median, if the group names peers."""
        measured = [peer for peer in self.group.peers if peer in self.seconds]
        return min(measured, key=self.seconds.__getitem__) if measured else None


def run_group(group: Group, settings: Settings) -> GroupResult:
    """Measure every case of ``group`` in the same rounds."""
    return GroupResult(group, measure(group.cases, settings))
