"""Run the parser checks against an adapter: the corpus first, then
Hypothesis, whose shrinking makes the reported input minimal. A deviation
is searched for before a lenient reading, so that shrinking never trades a
deviation for a lenient example."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from hypothesis import given, seed

from ... import __version__
from ..context import exploration_settings
from ..hypothesis_home import scratch_hypothesis_home
from ..model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, Level, Status
from .adapter import FUNCTIONS, ParserAdapter, load_adapter
from .checks import ParserCheck, ParserFinding, parser_checks
from .report import ParserReport, ParserResult

__all__ = ["check_parser", "run_parser_check"]


class _Found(Exception):
    pass


def _search(
    check: ParserCheck, adapter: ParserAdapter, lenient: bool, max_examples: int, seed_value: int
) -> tuple[ParserFinding | None, bool, int]:
    """(the finding, whether a lenient one was seen, calls made)."""
    assert check.judge is not None and check.examples is not None
    judge = check.judge
    calls = [0]
    seen_lenient = [False]

    def accept(finding: ParserFinding | None) -> bool:
        if finding is None:
            return False
        if finding.lenient and not lenient:
            seen_lenient[0] = True
            return False
        return True

    for example in check.corpus:
        calls[0] += 1
        finding = judge(adapter, example)
        if accept(finding):
            return finding, seen_lenient[0], calls[0]
    found: list[ParserFinding] = []

    def attempt(example: Any) -> None:
        calls[0] += 1
        finding = judge(adapter, example)
        if accept(finding):
            assert finding is not None
            found[:] = [finding]
            raise _Found

    test = exploration_settings(max_examples)(given(check.examples())(attempt))
    with contextlib.suppress(_Found):
        seed(seed_value)(test)()
    return (found[0] if found else None), seen_lenient[0], calls[0]


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
    deviation = Status.FAILED if info.level is Level.MUST else Status.WARNED
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
                status = Status.LENIENT if finding.lenient else deviation
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
) -> ParserReport:
    """Check anyone's entity-tag and HTTP-date functions, given as an
    adapter module (its name, a ``.py`` path or the module itself; see
    :mod:`etagspec.conformance.parsers.adapter`), and return the report
    (``report.exit_code`` is 0 when no MUST check failed).

    >>> report = check_parser("etagspec.conformance.parsers.reference", max_examples=5,
    ...                       select=["PARSE-LIST-1", "FMT-ETAG-1"])
    >>> [(result.check.id, result.status.value) for result in report.results]
    [('PARSE-LIST-1', 'passed'), ('FMT-ETAG-1', 'passed')]
    """
    loaded = adapter if isinstance(adapter, ParserAdapter) else load_adapter(adapter)
    chosen = set(select) if select is not None else None
    unknown = sorted((chosen or set()) - {check.info.id for check in parser_checks()})
    if unknown:
        raise ValueError(f"unknown parser check ID(s): {', '.join(unknown)}")
    results = tuple(
        run_parser_check(check, loaded, max_examples=max_examples, seed_value=seed)
        for check in parser_checks()
        if chosen is None or check.info.id in chosen
    )
    return ParserReport(
        name=loaded.name,
        functions=tuple(name for name in FUNCTIONS if loaded.has(name)),
        seed=seed,
        max_examples=max_examples,
        strict=strict,
        version=__version__,
        results=results,
    )
