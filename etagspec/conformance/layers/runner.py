"""Run the layer checks against a layer and produce a
:class:`~etagspec.conformance.model.Report`, the same record ``etagspec
check`` produces, so every report writer renders it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from hypothesis import example, given, seed

from ... import __version__
from ...strategies import HandlerBehaviour
from ..bounds import run_time_limit
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
from .checks import LayerCheck, emitted_headers, layer_checks
from .loading import load_layer
from .requests import CANONICAL_BEHAVIOURS, canonical_requests
from .target import LayerExchange, LayerTarget, LayerTargetError, Wrap

__all__ = ["canonical_examples", "check_layer", "require_answers", "run_layer_check"]


class _Found(Exception):
    pass


def run_layer_check(
    check: LayerCheck, target: LayerTarget, *, max_examples: int, seed_value: int
) -> CheckResult:
    """Explore one check with Hypothesis; the minimal failing exchange it
    shrinks to becomes the check's failure. The canonical examples (see
    :func:`canonical_examples`) come first, then drawn ones around the
    validators the layer itself emits. A deviation is searched for
    first; only when there is none is a lenient reading (a finding the
    catalogue permits) searched for and reported, so that shrinking never
    trades a deviation for a lenient example. A check whose decisive
    situation never occurred (no 304 for the checks of a 304, ...) is
    skipped as "not exercised", never passed."""
    found: list[tuple[LayerExchange, Finding]] = []
    count = [0]
    decisive = [0]
    target.rebuild()
    note = ""
    lenient_counts = [False]
    lenient_seen = [False]

    def attempt(example: tuple[HandlerBehaviour, ProbeRequest]) -> None:
        behaviour, request = example
        count[0] += 1
        exchange = target.exchange(behaviour, request)
        finding = check.judge(target, exchange)
        if finding is not None or check.decisive(exchange):
            decisive[0] += 1
        if finding is not None and (lenient_counts[0] or not finding.lenient):
            found[:] = [(exchange, finding)]
            raise _Found
        if finding is not None:
            lenient_seen[0] = True

    for lenient in (False, True):
        lenient_counts[0] = lenient
        settings = exploration_settings(max_examples * check.weight)
        test = given(check.examples(target))(attempt)
        for explicit in reversed(canonical_examples(check, target)):
            test = example(explicit)(test)
        test = settings(test)
        try:
            seed(seed_value)(test)()
        except _Found:
            pass
        except MemoryError:  # not the check's fault: the run stops and says so (exit 2)
            raise
        except Exception as error:  # never hide it, never crash the run
            if not found:
                info = check.info
                status = Status.FAILED if info.level is Level.MUST else Status.WARNED
                note = f"the check itself raised {type(error).__name__}: {error}"
                return CheckResult(info, status, (), count[0], note, decisive[0])
            note = f"the search ended with {type(error).__name__}: {error}"
        if found or not lenient_seen[0]:
            break
    if not found and not decisive[0]:
        unmet = f"not exercised ({check.situation} never occurred in {count[0]} exchanges)"
        note = "; ".join(filter(None, (unmet, note)))
        return CheckResult(check.info, Status.SKIPPED, (), count[0], note, decisive[0])
    if not found:
        return CheckResult(check.info, Status.PASSED, (), count[0], note, decisive[0])
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
    return CheckResult(check.info, status, (failure,), count[0], note, decisive[0])


def canonical_examples(
    check: LayerCheck, target: LayerTarget
) -> list[tuple[HandlerBehaviour, ProbeRequest]]:
    """The explicit examples a check runs before drawn ones: each canonical
    behaviour its own behaviours include (a 200 with ETag, Last-Modified
    and Content-Type; streamed; a plain list), with the requests of
    :func:`canonical_requests` around what the layer emits for it (GET and
    HEAD, plain and conditional)."""
    behaviours: tuple[HandlerBehaviour, ...] = CANONICAL_BEHAVIOURS
    if target.protocol == "asgi":  # a streamed answer watches for the client going
        behaviours = tuple(
            dataclasses.replace(b, watches_disconnect=b.content != "list") for b in behaviours
        )
    return [
        (behaviour, request)
        for behaviour in behaviours
        if check.fits(behaviour)
        for request in canonical_requests(
            emitted_headers(target, behaviour),
            methods=check.methods,
            preconditions=check.preconditions,
        )
    ]


def require_answers(target: LayerTarget) -> None:
    """Raise :class:`LayerTargetError` when the layer answers none of the
    canonical behaviours (it raises on every call, or gives no response):
    nothing could be checked, a usage error rather than a report."""
    problems: list[str] = []
    for behaviour in CANONICAL_BEHAVIOURS:
        try:
            outer = target.plain(behaviour).outer
        except MemoryError:  # the harness's own memory: the run's bounds say so
            raise
        except Exception as error:  # wrap(app) itself failed
            raise LayerTargetError(
                f"{target.name} could not wrap an app: {type(error).__name__}: {error}"
            ) from error
        if (outer.response.error is None and outer.response.status) or target.hung:
            return  # it answers; or it hangs, which the checks report as such
        problems.append(
            f"{type(outer.raised).__name__}: {outer.raised}"
            if outer.raised is not None
            else str(outer.response.error)
        )
    target.rebuild()
    raise LayerTargetError(
        f"{target.name} answered no plain GET through it ({problems[0]}): "
        f"is it a {target.protocol.upper()} middleware factory, wrap(app) -> app?"
    )


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
    max_time: float | None = None,
) -> Report:
    """Check a conditional WSGI or ASGI layer, ``wrap(app) -> app`` (or its
    ``package.module:attr``; see :func:`~.target.load_layer`), with drawn
    handler behaviours and requests, and return the report
    (``report.exit_code`` is 0 when no MUST check failed, nor under
    ``strict`` a SHOULD check). ``select`` and ``exclude``
    take layer check IDs or prefixes, as :func:`~etagspec.conformance.check_app`.
    ``max_time`` bounds the whole run (seconds): past it, or past a size cap,
    the run stops with :class:`~etagspec.conformance.bounds.BoundExceeded`.

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
    with run_time_limit(max_time):  # and a size cap passed: BoundExceeded
        require_answers(target)
        for check in layer_checks(target.protocol):
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
