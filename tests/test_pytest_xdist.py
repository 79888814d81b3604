"""The pytest plugin under pytest-xdist: ``-n 2`` gives each check the
verdict it gets without xdist, and the SHOULD notes still reach the summary.

Each check is one item that runs its whole Hypothesis exploration with the
configured seed, so the worker that gets an item reaches the verdict the
single process would have reached.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ElementTree

import pytest
from target_sources import IGNORES_PRECONDITIONS, SHOULD_ONLY

pytest.importorskip("xdist")
pytest_plugins = ["pytester"]

FAST = ("--etagspec-max-examples=5", "-p", "no:cacheprovider")


def verdicts(pytester: pytest.Pytester, name: str, *args: str) -> dict[str, str]:
    """Each item's outcome (passed, failure, skipped, error) in a run with
    ``args``, read from its JUnit XML. A run with ``-n`` is a process of its
    own (its workers are); one without runs in this process."""
    report = pytester.path / f"{name}.xml"
    run = pytester.runpytest_subprocess if "-n" in args else pytester.runpytest
    run(*args, f"--junitxml={report}", *FAST)
    found = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        outcomes = [child.tag for child in case if child.tag in ("failure", "skipped", "error")]
        found[case.get("name", "")] = outcomes[0] if outcomes else "passed"
    return found


def test_two_workers_give_the_verdicts_of_one_process(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(etagspec_broken_app=textwrap.dedent(IGNORES_PRECONDITIONS))
    target = "--etagspec-target=etagspec_broken_app:app"
    # Three families of the catalogue: enough items for two workers, and
    # each verdict among them (the app ignores preconditions and has no Date).
    some = ("-k", "INM or ABNF or DATE")
    alone = verdicts(pytester, "alone", target, *some)
    spread = verdicts(pytester, "spread", target, *some, "-n", "2")
    assert spread == alone
    assert {"passed", "failure", "skipped"} <= set(alone.values())  # every verdict is compared


@pytest.mark.slow
def test_should_notes_reach_the_summary_from_the_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(etagspec_should_only_app=textwrap.dedent(SHOULD_ONLY))
    target = "--etagspec-target=etagspec_should_only_app:app"
    result = pytester.runpytest_subprocess(target, "-k", "CC-8 or COND-INM-4a", "-n", "2", *FAST)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*etagspec: 1 check(s) warned (SHOULD not met) or lenient*",
            "etagspec::CC-8: SHOULD not met: Cache-Control has no contradictory*",
        ]
    )
