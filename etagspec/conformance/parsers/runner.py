"""Run the parser checks against an adapter: the corpus first, then
Hypothesis, whose shrinking makes the reported input minimal. A deviation
is searched for before a lenient reading, so that shrinking never trades a
deviation for a lenient example."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from hypothesis.strategies import SearchStrategy

from ... import __version__
from ..hypothesis_home import scratch_hypothesis_home
from ..model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, Status
from ..run_clock import RunClock
from ..runner import Budget, judged_status, run_selected
from ..search import search
from .adapter import FUNCTIONS, ParserAdapter, load_adapter
from .checks import ParserCheck, ParserFinding, parser_checks
from .report import ParserReport, ParserResult

__all__ = ["check_parser", "run_parser_check"]


@functools.cache
def _examples(make: Callable[[], SearchStrategy[Any]]) -> SearchStrategy[Any]:
    """A check's strategy, made once per process: Hypothesis validates a
    new strategy's whole tree when a search starts (each check, on each
    adapter); a strategy made once is validated once."""
    return make()


def _search(
    check: ParserCheck, adapter: ParserAdapter, lenient: bool, max_examples: int, seed_value: int
) -> tuple[ParserFinding | None, bool, int]:
    """(the finding, whether a lenient one was seen, calls made): the
    corpus first, in order, then drawn inputs."""
    assert check.judge is not None and check.examples is not None
    judge = check.judge
    calls = [0]
    seen_lenient = [False]

    def attempt(example: Any) -> ParserFinding | None:
        calls[0] += 1
        finding = judge(adapter, example)
        if finding is not None and finding.lenient and not lenient:
            seen_lenient[0] = True
            return None
        return finding

    for example in check.corpus:  # the corpus never shrinks: tried as it is
        finding = attempt(example)
        if finding is not None:
            return finding, seen_lenient[0], calls[0]
    examples = _examples(check.examples)
    searched = search(examples, attempt, max_examples=max_examples, seed=seed_value)
    return searched.found, seen_lenient[0], calls[0]


def run_parser_check(
    check: ParserCheck,
    adapter: ParserAdapter,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed_value: int = DEFAULT_SEED,
) -> ParserResult:
    """The verdict of one check on one adapter."""
    info = check.info
    present = [name for name in check.needs if adapter.has(name)]
    if not present if check.any_of else len(present) < len(check.needs):
        missing = " or ".join(check.needs) if check.any_of else ", ".join(check.needs)
        return ParserResult(info, Status.SKIPPED, note=f"the adapter defines no {missing}")
    documented = adapter.documented.get(info.id, "")
    deviation = judged_status(info.level, deviation=True)
    try:
        if check.measure is not None:
            finding = check.measure(adapter)
            status = deviation if finding else Status.PASSED
            return ParserResult(info, status, finding, 0, "", documented if finding else "")
        calls = 0
        for lenient in (False, True):
            finding, seen_lenient, made = _search(check, adapter, lenient, max_examples, seed_value)
            calls += made
            if finding is not None:
                lenient_only = bool(finding.lenient)
                status = judged_status(info.level, deviation=not lenient_only, lenient=lenient_only)
                return ParserResult(info, status, finding, calls, "", documented)
            if not seen_lenient:
                break
    except Exception as error:  # never hide it, never crash the run
        note = f"the check itself raised {type(error).__name__}: {error}"
        return ParserResult(info, deviation, None, 0, note)
    return ParserResult(info, Status.PASSED, None, calls)


@scratch_hypothesis_home()
def check_parser(
    adapter: str | ModuleType | ParserAdapter,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    select: Iterable[str] | None = None,
    strict: bool = False,
    exclude: Iterable[str] | None = None,
) -> ParserReport:
    """Check anyone's entity-tag and HTTP-date functions, given as an
    adapter module (its name, a ``.py`` path or the module itself; see
    :mod:`etagspec.conformance.parsers.adapter`), and return the report
    (``report.exit_code`` is 0 when no MUST check failed). ``select`` and
    ``exclude`` take parser check IDs or prefixes, in any case, as
    :func:`~etagspec.conformance.check_app` does; one that names no check
    raises :class:`~etagspec.conformance.selection.UnknownCheckError`.

    >>> report = check_parser("etagspec.conformance.parsers.reference", max_examples=5,
    ...                       select=["PARSE-LIST-1", "FMT-ETAG-1"])
    >>> [(result.check.id, result.status.value) for result in report.results]
    [('PARSE-LIST-1', 'passed'), ('FMT-ETAG-1', 'passed')]
    """
    loaded = adapter if isinstance(adapter, ParserAdapter) else load_adapter(adapter)
    run = _ParserRun(loaded, Budget(max_examples, seed, strict))
    return run_selected(run, select=select, exclude=exclude)


class _ParserRun:
    """The parser kind: checks of a library's functions (a :class:`ParserAdapter`)."""

    what = "parser check"

    def __init__(self, adapter: ParserAdapter, budget: Budget) -> None:
        self.adapter = adapter
        self.budget = budget

    def known(self) -> list[str]:
        return [check.info.id for check in parser_checks()]

    def applicable(self) -> list[tuple[str, ParserCheck]]:
        return [(check.info.id, check) for check in parser_checks()]

    def prepare(self) -> None:
        pass  # an adapter needs no learning

    def run_one(self, check: ParserCheck) -> ParserResult:
        budget = self.budget
        return run_parser_check(
            check, self.adapter, max_examples=budget.max_examples, seed_value=budget.seed
        )

    def finish(self, results: list[ParserResult], clock: RunClock) -> ParserReport:
        # A parser report has no run header: its calls are the same each run.
        return ParserReport(
            name=self.adapter.name,
            functions=tuple(name for name in FUNCTIONS if self.adapter.has(name)),
            seed=self.budget.seed,
            max_examples=self.budget.max_examples,
            strict=self.budget.strict,
            version=__version__,
            results=tuple(results),
        )
