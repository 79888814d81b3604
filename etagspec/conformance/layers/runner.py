"""Run the layer checks against a layer and produce a
:class:`~etagspec.conformance.model.Report`, the same record ``etagspec
check`` produces, so every report writer renders it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import given, seed

from ... import __version__
from ...strategies import HandlerBehaviour
from ..context import Finding, exploration_settings
from ..hypothesis_home import scratch_hypothesis_home
from ..model import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    CheckResult,
    Failure,
    Level,
    ProbeRequest,
    Report,
    Status,
    TargetInfo,
)
from ..run_clock import RunClock
from ..selection import choose_checks
from .checks import LayerCheck, layer_checks
from .target import LayerExchange, LayerTarget, Wrap, load_layer

__all__ = ["check_layer", "run_layer_check"]


class _Found(Exception):
    pass


def run_layer_check(
    check: LayerCheck, target: LayerTarget, *, max_examples: int, seed_value: int
) -> CheckResult:
    """Explore one check with Hypothesis; the minimal failing exchange it
    shrinks to becomes the check's failure. A deviation is searched for
    first; only when there is none is a lenient reading (a finding the
    catalogue permits) searched for and reported, so that shrinking never
    trades a deviation for a lenient example."""
    found: list[tuple[LayerExchange, Finding]] = []
    count = [0]
    target.rebuild()
    note = ""
    lenient_counts = [False]
    lenient_seen = [False]

    def attempt(example: tuple[HandlerBehaviour, ProbeRequest]) -> None:
        behaviour, request = example
        count[0] += 1
        exchange = target.exchange(behaviour, request)
        finding = check.judge(target, exchange)
        if finding is not None and (lenient_counts[0] or not finding.lenient):
            found[:] = [(exchange, finding)]
            raise _Found
        if finding is not None:
            lenient_seen[0] = True

    for lenient in (False, True):
        lenient_counts[0] = lenient
        settings = exploration_settings(max_examples * check.weight)
        test = settings(given(check.examples())(attempt))
        try:
            seed(seed_value)(test)()
        except _Found:
            pass
        except Exception as error:  # never hide it, never crash the run
            if not found:
                info = check.info
                status = Status.FAILED if info.level is Level.MUST else Status.WARNED
                note = f"the check itself raised {type(error).__name__}: {error}"
                return CheckResult(info, status, (), count[0], note)
            note = f"the search ended with {type(error).__name__}: {error}"
        if found or not lenient_seen[0]:
            break
    if not found:
        return CheckResult(check.info, Status.PASSED, (), count[0], note)
    exchange, finding = found[0]
    failure = Failure(
        request=exchange.request,
        response=exchange.outer.response,
        expected=finding.expected,
        explanation=f"{finding.explanation} [{check.info.id}: {check.info.rule}] "
        f"(inner app: {exchange.behaviour!r})",
        reproduce=target.reproduce(exchange.behaviour, exchange.request),
        signature=finding.signature or f"{check.info.id}: {check.info.title}",
        lenient=finding.lenient,
    )
    if finding.lenient:
        status = Status.LENIENT
    else:
        status = Status.FAILED if check.info.level is Level.MUST else Status.WARNED
    return CheckResult(check.info, status, (failure,), count[0], note)


@scratch_hypothesis_home()
def check_layer(
    wrap: Wrap | str | LayerTarget,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    strict: bool = False,
    progress: Any = None,
) -> Report:
    """Check a conditional WSGI layer, ``wrap(app) -> app`` (or its
    ``package.module:attr``), with drawn handler behaviours and requests,
    and return the report (``report.exit_code`` is 0 when no MUST check
    failed, nor under ``strict`` a SHOULD check). ``select`` and ``exclude``
    take layer check IDs or prefixes, as :func:`~etagspec.conformance.check_app`.

    >>> from etagspec.caching import etag_middleware
    >>> report = check_layer(etag_middleware, max_examples=5, select=["LAYER-COND-1"])
    >>> [(result.check.id, result.status.value) for result in report.results]
    [('LAYER-COND-1', 'passed')]
    """
    target = wrap if isinstance(wrap, LayerTarget) else load_layer(wrap)
    clock = RunClock()
    known = [check.info.id for check in layer_checks()]
    chosen = set(choose_checks(known, select, exclude, what="layer check"))
    results: list[CheckResult] = []
    for check in layer_checks():
        if check.info.id not in chosen:
            continue
        if progress is not None:
            progress.start(check.info.id)
        result = run_layer_check(check, target, max_examples=max_examples, seed_value=seed)
        results.append(result)
        if progress is not None:
            progress.done(check.info.id, result.status)
    header = clock.header(sum(result.requests for result in results))
    return Report(
        target=TargetInfo(target.name, target.kind, ("/",)),
        seed=seed,
        max_examples=max_examples,
        strict=strict,
        version=__version__,
        results=tuple(results),
        run=header,
    )
