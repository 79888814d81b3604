"""Where the time goes in each benchmark target that is missed.

Run: ``.venv/bin/python benchmarks/profile_misses.py [CALLS]``

For each speed goal of ``benchmarks/README.md`` (the entity-tag list parser,
``etag_middleware`` and a ``with_etag`` handler on the 304 path), on values
never seen before, it runs the measured call CALLS times under cProfile and
prints the functions that take the most time, with the cost of the call
itself and of its floor (the bare app, or the single-regex lower bound),
timed side by side by :func:`benchmarks.timing.measure` (fastest round).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.parsers import _LOWER_BOUND_FINDALL, fresh, tag_list
from benchmarks.roundtrip import (
    MIDDLEWARE,
    WITH_ETAG,
    apps,
    bare_app,
    never_seen_environs,
    round_trip,
)
from benchmarks.timing import Case, Settings, measure, time_batch
from etagspec.etags import parse_entity_tag_list

__all__ = ["main"]


def _profile(label: str, case: Case, floor: Case, calls: int) -> str:
    medians = measure({"call": case, "floor": floor}, Settings(best=True))
    cost, floor_cost = medians["call"] * 1e6, medians["floor"] * 1e6
    function, argument = case
    profiler = cProfile.Profile()
    profiler.enable()
    time_batch(function, argument, calls)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(8)
    body = out.getvalue().split("ncalls", 1)[-1]
    return (
        f"## {label}\n\n{cost:.2f} µs per call; its floor {floor_cost:.2f} µs "
        f"({cost / floor_cost:.1f} ×)\n\n   ncalls{body.rstrip()}\n"
    )


def main(argv: list[str]) -> int:
    calls = int(argv[0]) if argv else 20_000
    competitors = apps()
    bare: Case = (round_trip(bare_app), never_seen_environs(304, 0))
    sections = [
        _profile(
            "entity-tag list, 20 tags, never seen before",
            (parse_entity_tag_list, fresh(lambda n: tag_list(20, n), 0)),
            (_LOWER_BOUND_FINDALL, fresh(lambda n: tag_list(20, n), 1)),
            calls,
        ),
        _profile(
            "etag_middleware, 304 path, never seen",
            (round_trip(competitors[MIDDLEWARE]), never_seen_environs(304, 2)),
            bare,
            calls,
        ),
        _profile(
            "with_etag handler, 304 path, never seen",
            (round_trip(competitors[WITH_ETAG]), never_seen_environs(304, 3)),
            bare,
            calls,
        ),
    ]
    sys.stdout.write("\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
