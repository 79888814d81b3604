"""Issue 5's targets, checked against one run's figures.

>>> Target("x", "ratio", 1.5, "at most", 1.2).met, Target("y", "ratio", 3, "at least", 2).met
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchmarks.groups import GroupResult
from benchmarks.harness import HarnessFigures
from benchmarks.parsers import LOWER_BOUND
from benchmarks.roundtrip import BARE, MIDDLEWARE, WEBOB, WERKZEUG, WITH_ETAG
from benchmarks.scaling import MAX_SLOPE, Series

__all__ = ["Target", "check_targets"]


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
    """Every target of issue 5 with the figure this run measured (None when
    the run did not measure it, which counts as missed)."""
    targets = []
    for count in (1, 3, 20):
        key = f"etag-list-{count}"
        targets.append(
            Target(
                f"{count}-tag list: etagspec / lower bound",
                "×",
                1.5,
                "at most",
                _ratio(results, key, "etagspec", LOWER_BOUND),
            )
        )
        targets.append(
            Target(
                f"{count}-tag list: etagspec (uncached) / lower bound",
                "×",
                1.5,
                "at most",
                _ratio(results, key, "etagspec (uncached)", LOWER_BOUND),
            )
        )
        werkzeug = _ratio(results, key, "werkzeug.http.parse_etags", "etagspec")
        targets.append(
            Target(f"{count}-tag list: Werkzeug / etagspec", "×", 3, "at least", werkzeug)
        )
        uncached = _ratio(results, key, "werkzeug.http.parse_etags", "etagspec (uncached)")
        targets.append(
            Target(
                f"{count}-tag list: Werkzeug / etagspec (uncached)", "×", 3, "at least", uncached
            )
        )
    for path, limit in ((200, 4), (304, 3)):
        key = f"round-trip-{path}"
        targets.append(
            Target(
                f"{path} path: etag_middleware / bare app",
                "×",
                limit,
                "at most",
                _ratio(results, key, MIDDLEWARE, BARE),
            )
        )
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
            "harness: checked requests per second",
            "req/s",
            2000,
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
