"""The benchmark suite runs (one tiny measurement of each kind); no timing is judged."""

from __future__ import annotations

from benchmarks.evaluation import evaluation_groups
from benchmarks.groups import Group, run_group
from benchmarks.harness_growth import Growth, growth_rows, run_seconds
from benchmarks.parsers import LOWER_BOUND, etag_groups, strictness
from benchmarks.report import BEGIN, END, render, replace_between_markers
from benchmarks.roundtrip import (
    BARE,
    JUDGING_FLOOR,
    MIDDLEWARE,
    bare_app,
    least_judging,
    round_trip,
    status_of,
    wsgi_environ,
)
from benchmarks.scaling import slope
from benchmarks.targets import check_targets
from benchmarks.timing import Settings
from etagspec.caching import etag_middleware

TINY = Settings(rounds=2, batch_seconds=0.0002)


def test_one_parsing_group_measures_every_competitor() -> None:
    group = etag_groups(quick=True)[0]
    result = run_group(group, TINY)
    assert set(result.seconds) == set(group.cases)
    assert all(seconds > 0 for seconds in result.seconds.values())
    assert result.ratio(LOWER_BOUND) == 1.0


def test_one_evaluation_group_checks_and_measures_every_competitor() -> None:
    group = evaluation_groups(quick=True)[0]
    result = run_group(group, TINY)
    assert set(result.seconds) == set(group.cases) and len(group.cases) == 4
    assert result.fastest_peer() in group.peers


def test_round_trip_group_and_report() -> None:
    environ = wsgi_environ("/doc/xyzzy", {"If-None-Match": '"xyzzy"'})
    middleware = etag_middleware(bare_app)
    floor = least_judging(bare_app)
    assert status_of(middleware, environ) == 304 and status_of(floor, environ) == 304
    group = Group(
        "round-trip-304",
        "304 path",
        BARE,
        {
            BARE: (round_trip(bare_app), environ),
            MIDDLEWARE: (round_trip(middleware), environ),
            JUDGING_FLOOR: (round_trip(floor), environ),
        },
        (MIDDLEWARE,),
        (BARE,),  # a stand-in peer, for the table against the fastest peer
    )
    results = {group.key: run_group(group, TINY)}
    targets = check_targets(results, None, [])
    by_name = {target.name: target for target in targets}
    judged = by_name["304 path: etag_middleware / least judging of If-None-Match (floor)"]
    assert judged.measured is not None and judged.floor == 1.0 and judged.floor_met
    assert by_name["harness: checked requests per second"].measured is None
    assert by_name["304 path: Werkzeug make_conditional / with_etag"].floor is None
    report = render("run.py --test", targets, results, None, [])
    assert "304 path" in report and "**missed**" in report  # the harness was not measured
    assert "against the fastest peer" in report
    document = replace_between_markers(f"x\n{BEGIN}\nold\n{END}\n", report)
    assert "old" not in document and report.strip() in document


def test_strictness_and_slope() -> None:
    assert all(strict and not bound for strict, bound in strictness().values())
    assert round(slope([8, 64, 512], [1.0, 64.0, 4096.0]), 6) == 2.0


def test_growth_names_the_first_steep_doubling() -> None:
    linear = Growth("paths", "20 examples", (1, 2, 4), (1.0, 2.0, 4.1), (10, 20, 40))
    steep = Growth("examples", "2 paths", (10, 20, 40), (1.0, 2.1, 8.0), (10, 20, 40))
    assert linear.first_steep_size is None and steep.first_steep_size == 40
    rows = growth_rows([linear, steep])
    assert rows[2].endswith("| linear |") and "**steeper from 40**" in rows[3]
    assert run_seconds(1, 1)[1] > 0  # one tiny real run of the catalogue
