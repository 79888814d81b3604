"""Run the benchmark suite and rewrite the table in ``benchmarks/README.md``.

    .venv/bin/python benchmarks/run.py            # everything (make bench), a few minutes
    .venv/bin/python benchmarks/run.py --quick    # a smaller, noisier run; README untouched
    .venv/bin/python benchmarks/run.py --only parsing --only roundtrip --no-readme

The report (Markdown) goes to stdout; the exit status is 0 even when a
target is missed (the table says which).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.evaluation import evaluation_groups
from benchmarks.groups import Group, GroupResult, run_group
from benchmarks.harness import HarnessFigures, harness_figures
from benchmarks.harness_growth import Growth, growth_series
from benchmarks.parsers import cache_control_groups, date_groups, etag_groups
from benchmarks.report import render, replace_between_markers
from benchmarks.roundtrip import round_trip_groups
from benchmarks.scaling import Series, scaling_series
from benchmarks.targets import check_targets
from benchmarks.timing import Settings

README = Path(__file__).resolve().parent / "README.md"
PARTS = ("parsing", "evaluation", "roundtrip", "harness", "growth", "scaling")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and inputs")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only these parts")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite README.md")
    parser.add_argument(
        "--max-examples", type=int, default=None, help="harness examples per check (default 40)"
    )
    parser.add_argument(
        "--passes",
        type=int,
        default=None,
        help="times every group is measured, its fastest figures kept (default 3; --quick 1)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen parts, print the report, and (full runs) update the README."""
    arguments = _arguments(argv)
    parts = arguments.only or list(PARTS)
    quick = arguments.quick
    # The fastest round of each case: on a shared machine other processes
    # only ever add time, and short batches are seldom interrupted. Every
    # group is measured in several passes over the whole list, so that its
    # rounds are spread over minutes rather than one burst of load.
    settings = Settings(rounds=7 if quick else 11, batch_seconds=0.002, best=True)
    passes = arguments.passes or (1 if quick else 3)
    scaling_settings = Settings(rounds=3 if quick else 7, batch_seconds=0.005, best=True)

    groups: list[Group] = []
    if "parsing" in parts:
        groups += etag_groups(quick) + date_groups(quick) + cache_control_groups(quick)
    if "evaluation" in parts:
        groups += evaluation_groups(quick)
    if "roundtrip" in parts:
        groups += round_trip_groups(quick)
    results: dict[str, GroupResult] = {}
    for number in range(1, passes + 1):
        for group in groups:
            print(f"measuring {group.title} (pass {number} of {passes}) ...", file=sys.stderr)
            result = run_group(group, settings)
            earlier = results.get(group.key)
            results[group.key] = result if earlier is None else earlier.fastest_with(result)

    harness: HarnessFigures | None = None
    if "harness" in parts:
        print("measuring harness throughput ...", file=sys.stderr)
        max_examples = arguments.max_examples or (10 if quick else 40)
        harness = harness_figures(max_examples, settings)

    growth: list[Growth] = []
    if "growth" in parts:
        print("measuring how the harness grows with paths and examples ...", file=sys.stderr)
        growth = growth_series(quick)

    series: list[Series] = []
    if "scaling" in parts:
        print("measuring scaling ...", file=sys.stderr)
        series = scaling_series(quick, scaling_settings)

    command = " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    targets = check_targets(results, harness, series)
    report = render(command, targets, results, harness, series, growth=growth)
    print(report)
    if not (quick or arguments.no_readme or arguments.only):
        README.write_text(replace_between_markers(README.read_text(), report))
        print(f"updated {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
