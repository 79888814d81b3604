"""The speed goals, checked against one run's figures on never-seen values.

Each goal is a ratio between two rows of the same group. Where a floor row
bounds what the goal can reach (the single-regex lower bound for parsing,
a handler that evaluates nothing, the least judging of If-None-Match), the
same ratio is worked out with the floor in etagspec's place: a goal that
the floor itself misses cannot be met.

>>> Target("x", "ratio", 1.5, "at most", 1.2).met, Target("y", "ratio", 3, "at least", 2).met
(True, False)
>>> Target("z", "×", 8, "at least", 9.0, floor=7.5).floor_met
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchmarks.groups import GroupResult
from benchmarks.harness import HarnessFigures
from benchmarks.parsers import ETAGSPEC, LOWER_BOUND, SEED_API, WERKZEUG_PARSER, etag_list_key
from benchmarks.roundtrip import (
    HANDLER_FLOOR,
    JUDGING_FLOOR,
    MIDDLEWARE,
    WEBOB,
    WERKZEUG,
    WITH_ETAG,
)
from benchmarks.scaling import MAX_SLOPE, Series

__all__ = ["HARNESS_RATE", "Target", "check_targets"]

#: Checked requests per second the harness must drive against the demo.
HARNESS_RATE = 3000


def _meets(measured: float | None, goal: float, direction: str) -> bool:
    if measured is None:
        return False
    return measured <= goal if direction == "at most" else measured >= goal


@dataclass(frozen=True)
class Target:
    """One goal: ``measured`` must be ``direction`` ("at most" / "at least")
    ``goal``; ``floor`` is the same ratio with the floor row (``floor_name``)
    in etagspec's place, when one bounds the goal."""

    name: str
    unit: str
    goal: float
    direction: str
    measured: float | None
    floor: float | None = None
    floor_name: str = ""

    @property
    def met(self) -> bool:
        return _meets(self.measured, self.goal, self.direction)

    @property
    def floor_met(self) -> bool | None:
        """Whether the floor itself meets the goal (None: no floor)."""
        return None if self.floor is None else _meets(self.floor, self.goal, self.direction)


def _ratio(results: Mapping[str, GroupResult], key: str, case: str, to: str) -> float | None:
    result = results.get(key)
    if result is None or case not in result.seconds or to not in result.seconds:
        return None
    return result.ratio(case, to)


def _parse_targets(results: Mapping[str, GroupResult]) -> list[Target]:
    one = etag_list_key(1)
    targets = [
        Target(
            "1-tag list: parse_entity_tag_list / one findall (lower bound)",
            "×",
            2,
            "at most",
            _ratio(results, one, ETAGSPEC, LOWER_BOUND),
            1.0 if one in results else None,
            LOWER_BOUND,
        )
    ]
    for count, half_weak, goal in ((3, True, 1.2), (20, True, 1.3), (20, False, 1.6)):
        key = etag_list_key(count, half_weak)
        targets.append(
            Target(
                f"{count}-tag list{', half weak' if half_weak else ''}: "
                "Werkzeug parse_etags / parse_entity_tag_list",
                "×",
                goal,
                "at least",
                _ratio(results, key, WERKZEUG_PARSER, ETAGSPEC),
                _ratio(results, key, WERKZEUG_PARSER, LOWER_BOUND),
                LOWER_BOUND,
            )
        )
    for count in (3, 20):
        targets.append(
            Target(
                f"{count}-tag list: Werkzeug parse_etags / seed parse_entity_tags",
                "×",
                1,
                "at least",
                _ratio(results, etag_list_key(count), WERKZEUG_PARSER, SEED_API),
            )
        )
    return targets


def _round_trip_targets(results: Mapping[str, GroupResult]) -> list[Target]:
    key = "round-trip-304"
    targets = [
        Target(
            f"304 path: {peer} / with_etag",
            "×",
            factor,
            "at least",
            _ratio(results, key, peer, WITH_ETAG),
            _ratio(results, key, peer, HANDLER_FLOOR),
            HANDLER_FLOOR,
        )
        for peer, factor in ((WERKZEUG, 8), (WEBOB, 3))
    ]
    targets.append(
        Target(
            "304 path: etag_middleware / least judging of If-None-Match (floor)",
            "×",
            1.3,
            "at most",
            _ratio(results, key, MIDDLEWARE, JUDGING_FLOOR),
            1.0 if key in results else None,
            JUDGING_FLOOR,
        )
    )
    return targets


def check_targets(
    results: Mapping[str, GroupResult],
    harness: HarnessFigures | None,
    series: list[Series],
) -> list[Target]:
    """Every goal with the figure this run measured on never-seen values
    (None when the run did not measure it, which counts as missed)."""
    targets = _parse_targets(results) + _round_trip_targets(results)
    targets.append(
        Target(
            "harness: checked requests per second",
            "req/s",
            HARNESS_RATE,
            "at least",
            None if harness is None else harness.rate,
        )
    )
    if series:
        worst = max(series, key=lambda found: found.slope)
        targets.append(
            Target(
                f"scaling: steepest log-log slope ({worst.subject}, {worst.shape})",
                "",
                MAX_SLOPE,
                "at most",
                worst.slope,
            )
        )
    return targets
