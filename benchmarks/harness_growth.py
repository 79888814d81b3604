"""How the harness's wall time grows with the paths it checks and the
examples it draws per check, and where that stops being linear.

Run: ``.venv/bin/python benchmarks/harness_growth.py [--quick]`` (``make
bench`` runs it too).

The whole catalogue runs against a fresh demo app in-process, serving as
many documents as there are paths, with the default seed. One series
doubles the paths at a fixed number of examples, the other doubles the
examples at a fixed number of paths; each run is timed once (the best of
two in a full run). A series is linear when each doubling costs about
twice the time: the table gives the growth of every step and the slope of
log(time) against log(size), and names the first step that grows more than
``STEEPER`` times the doubling (or says there is none).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scaling import slope
from etagspec.conformance import run_checks
from etagspec.conformance.catalogue import registered_checks
from etagspec.conformance.targets import WSGITarget
from etagspec.demo import make_app

__all__ = ["STEEPER", "Growth", "growth_series", "run_seconds"]

#: A doubling that costs more than this many times the time is not linear.
STEEPER = 2.5


@dataclass(frozen=True)
class Growth:
    """Wall seconds of whole-catalogue runs, against one varied size."""

    varied: str
    fixed: str
    sizes: tuple[int, ...]
    seconds: tuple[float, ...]
    requests: tuple[int, ...]

    @property
    def slope(self) -> float:
        """Slope of log(seconds) against log(size): 1 is linear."""
        return slope(self.sizes, self.seconds)

    @property
    def steps(self) -> tuple[float, ...]:
        """How many times longer each run took than the one before."""
        return tuple(b / a for a, b in zip(self.seconds, self.seconds[1:], strict=False))

    @property
    def first_steep_size(self) -> int | None:
        """The first size whose run grew more than linearly, or None."""
        for index, step in enumerate(self.steps, start=1):
            factor = self.sizes[index] / self.sizes[index - 1]
            if step > STEEPER * factor / 2:
                return self.sizes[index]
        return None


def run_seconds(paths: int, max_examples: int, repeats: int = 1) -> tuple[float, int]:
    """(best wall seconds, requests sent) of the catalogue on ``paths``
    documents of a fresh demo, ``max_examples`` examples per check."""
    documents = {f"/doc/{index}": b"document %d\n" % index for index in range(paths)}
    best = float("inf")
    requests = 0
    for _ in range(repeats):
        target = WSGITarget(make_app(documents), name="etagspec.demo")
        started = time.perf_counter()
        report = run_checks(target, list(documents), max_examples=max_examples)
        best = min(best, time.perf_counter() - started)
        requests = report.run.requests if report.run else 0
    return best, requests


def growth_series(quick: bool) -> list[Growth]:
    """Paths doubled at a fixed number of examples, then examples doubled
    at a fixed number of paths."""
    registered_checks()  # building the strategies is a one-off cost, not growth
    repeats = 1 if quick else 2
    path_sizes = (1, 2, 4) if quick else (1, 2, 4, 8)
    example_sizes = (5, 10, 20) if quick else (10, 20, 40, 80)
    fixed_examples, fixed_paths = (5, 1) if quick else (20, 2)
    series = []
    for varied, sizes in (("paths", path_sizes), ("examples per check", example_sizes)):
        runs = [
            run_seconds(size, fixed_examples, repeats)
            if varied == "paths"
            else run_seconds(fixed_paths, size, repeats)
            for size in sizes
        ]
        fixed = (
            f"{fixed_examples} examples per check"
            if varied == "paths"
            else f"{fixed_paths} path{'s' if fixed_paths > 1 else ''}"
        )
        series.append(
            Growth(
                varied,
                fixed,
                sizes,
                tuple(seconds for seconds, _ in runs),
                tuple(requests for _, requests in runs),
            )
        )
    return series


def growth_rows(series: list[Growth]) -> list[str]:
    """The Markdown table of the series."""
    rows = [
        "| varied | fixed | sizes | wall time | requests | growth per doubling | slope | |",
        "|---|---|---|---|---|---|---:|---|",
    ]
    for found in series:
        steep = found.first_steep_size
        verdict = "linear" if steep is None else f"**steeper from {steep}**"
        rows.append(
            f"| {found.varied} | {found.fixed} | {', '.join(map(str, found.sizes))} | "
            f"{', '.join(f'{seconds:.2f} s' for seconds in found.seconds)} | "
            f"{', '.join(f'{count:,}' for count in found.requests)} | "
            f"{', '.join(f'{step:.2f}×' for step in found.steps)} | {found.slope:.2f} | "
            f"{verdict} |"
        )
    return rows


def main(argv: list[str]) -> int:
    for row in growth_rows(growth_series("--quick" in argv)):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
