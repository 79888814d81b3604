"""Where the time goes in each benchmark target that is missed.

Run: ``.venv/bin/python benchmarks/profile_misses.py [CALLS]``

For each missed target of ``benchmarks/README.md`` (the uncached entity-tag
list parser, ``etag_middleware`` on the 304 path, a ``with_etag`` handler on
the 304 path) it runs the measured call CALLS times under cProfile and
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

from benchmarks.parsers import _LOWER_BOUND_FINDALL, tag_list
from benchmarks.roundtrip import MIDDLEWARE, WITH_ETAG, apps, bare_app, round_trip, wsgi_environ
from benchmarks.timing import Case, Settings, measure
from etagspec.etags import _parse_list_uncached

__all__ = ["main"]


def _profile(label: str, case: Case, floor: Case, calls: int) -> str:
    medians = measure({"call": case, "floor": floor}, Settings(best=True))
    cost, floor_cost = medians["call"] * 1e6, medians["floor"] * 1e6
    function, argument = case
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        function(argument)
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
    twenty = tag_list(20)
    competitors = apps()
    fresh = wsgi_environ("/", {"If-None-Match": '"xyzzy"'})
    bare: Case = (round_trip(bare_app), fresh)
    sections = [
        _profile(
            "entity-tag list, 20 tags, never seen before (parser behind the cache)",
            (_parse_list_uncached, twenty),
            (_LOWER_BOUND_FINDALL, twenty),
            calls,
        ),
        _profile(
            "etag_middleware, 304 path", (round_trip(competitors[MIDDLEWARE]), fresh), bare, calls
        ),
        _profile(
            "with_etag handler, 304 path", (round_trip(competitors[WITH_ETAG]), fresh), bare, calls
        ),
    ]
    sys.stdout.write("\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
