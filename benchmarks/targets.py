"""The speed goals, checked against one run's figures on never-seen values.

>>> Target("x", "ratio", 1.5, "at most", 1.2).met, Target("y", "ratio", 3, "at least", 2).met
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchmarks.groups import GroupResult
from benchmarks.harness import HarnessFigures
from benchmarks.parsers import ETAGSPEC, LOWER_BOUND, SEED_API
from benchmarks.roundtrip import BARE, MIDDLEWARE, WEBOB, WERKZEUG, WITH_ETAG
from benchmarks.scaling import MAX_SLOPE, Series

__all__ = ["HARNESS_RATE", "Target", "check_targets"]

#: Checked requests per second the harness must drive against the demo.
HARNESS_RATE = 3000
_WERKZEUG_PARSER = "werkzeug.http.parse_etags"


@dataclass(frozen=True)
class Target:
    """One goal: ``measured`` must be ``direction`` ("at most" / "at least") ``goal``."""

    name: str
    unit: str
    goal: float
    direction: str
    measured: float | None

    @property
    def met(self) -> bool:
        if self.measured is None:
            return False
        if self.direction == "at most":
            return self.measured <= self.goal
        return self.measured >= self.goal


def _ratio(results: Mapping[str, GroupResult], key: str, case: str, to: str) -> float | None:
    result = results.get(key)
    if result is None or case not in result.seconds or to not in result.seconds:
        return None
    return result.ratio(case, to)


def check_targets(
    results: Mapping[str, GroupResult],
    harness: HarnessFigures | None,
    series: list[Series],
) -> list[Target]:
    """Every goal with the figure this run measured on never-seen values
    (None when the run did not measure it, which counts as missed)."""
    targets = []
    for count in (3, 20):
        key = f"etag-list-{count}"
        targets += [
            Target(
                f"{count}-tag list: Werkzeug parse_etags / parse_entity_tag_list",
                "×",
                1.5,
                "at least",
                _ratio(results, key, _WERKZEUG_PARSER, ETAGSPEC),
            ),
            Target(
                f"{count}-tag list: parse_entity_tag_list / one findall (lower bound)",
                "×",
                2,
                "at most",
                _ratio(results, key, ETAGSPEC, LOWER_BOUND),
            ),
            Target(
                f"{count}-tag list: Werkzeug parse_etags / seed parse_entity_tags",
                "×",
                1,
                "at least",
                _ratio(results, key, _WERKZEUG_PARSER, SEED_API),
            ),
        ]
    for path in (200, 304):
        key = f"round-trip-{path}"
        for peer, factor in ((WEBOB, 3), (WERKZEUG, 15)):
            targets.append(
                Target(
                    f"{path} path: {peer} / with_etag",
                    "×",
                    factor,
                    "at least",
                    _ratio(results, key, peer, WITH_ETAG),
                )
            )
    targets.append(
        Target(
            "304 path: etag_middleware / bare app",
            "×",
            3,
            "at most",
            _ratio(results, "round-trip-304", MIDDLEWARE, BARE),
        )
    )
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
