"""Run the layer checks against a layer and produce a
:class:`~etagspec.conformance.model.Report`, the same record ``etagspec
check`` produces, so every report writer renders it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

from ... import __version__
from ...strategies import HandlerBehaviour
from ..context import Finding
from ..hypothesis_home import scratch_hypothesis_home
from ..model import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    CheckResult,
    Failure,
    ProbeRequest,
    Report,
    TargetInfo,
)
from ..run_clock import RunClock
from ..runner import Budget, Progress, judged_status, run_selected
from ..search import search
from .checks import LayerCheck, emitted_headers, layer_checks
from .loading import load_layer
from .requests import CANONICAL_BEHAVIOURS, canonical_requests
from .target import LayerExchange, LayerTarget, LayerTargetError, Wrap

__all__ = ["canonical_examples", "check_layer", "require_answers", "run_layer_check"]


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
    count = [0]
    decisive = [0]
    target.rebuild()
    note = ""
    lenient_seen = [False]
    found: tuple[LayerExchange, Finding] | None = None

    def attempt(
        pair: tuple[HandlerBehaviour, ProbeRequest], lenient_counts: bool
    ) -> tuple[LayerExchange, Finding] | None:
        behaviour, request = pair
        count[0] += 1
        exchange = target.exchange(behaviour, request)
        finding = check.judge(target, exchange)
        if finding is not None or check.decisive(exchange):
            decisive[0] += 1
        if finding is not None and (lenient_counts or not finding.lenient):
            return exchange, finding
        if finding is not None:
            lenient_seen[0] = True
        return None

    for lenient in (False, True):
        try:
            searched = search(
                check.examples(target),
                functools.partial(attempt, lenient_counts=lenient),
                max_examples=max_examples * check.weight,
                seed=seed_value,
                explicit=canonical_examples(check, target),
            )
            found = searched.found
            if searched.flaky:
                note = "the layer answered the same request differently (flaky)"
        except MemoryError:  # not the check's fault: the run stops and says so (exit 2)
            raise
        except Exception as error:  # never hide it, never crash the run
            raised = f"{type(error).__name__}: {error}"
            note = f"the check itself raised {raised}"
            status = judged_status(check.info.level, deviation=True)
            return CheckResult(check.info, status, (), count[0], note, decisive[0])
        if found or not lenient_seen[0]:
            break
    if found is None:
        if not decisive[0]:
            unmet = f"not exercised ({check.situation} never occurred in {count[0]} exchanges)"
            note = "; ".join(filter(None, (unmet, note)))
        status = judged_status(check.info.level, deviation=False, exercised=bool(decisive[0]))
        return CheckResult(check.info, status, (), count[0], note, decisive[0])
    exchange, finding = found
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
    lenient_only = bool(finding.lenient)
    status = judged_status(check.info.level, deviation=not lenient_only, lenient=lenient_only)
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
            outer = target.emitted(behaviour)
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
        f"is it {'an ASGI' if target.protocol == 'asgi' else 'a WSGI'} middleware factory, "
        "wrap(app) -> app?"
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
    progress: Progress | None = None,
    max_time: float | None = None,
) -> Report:
    """Check a conditional WSGI or ASGI layer, ``wrap(app) -> app`` (or its
    ``package.module:attr``; see :func:`~.loading.load_layer`), with drawn
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
    run = _LayerRun(target, Budget(max_examples, seed, strict))
    return run_selected(run, select=select, exclude=exclude, progress=progress, max_time=max_time)


class _LayerRun:
    """The layer kind: checks of exchanges through a layer (a :class:`LayerTarget`)."""

    what = "layer check"

    def __init__(self, target: LayerTarget, budget: Budget) -> None:
        self.target = target
        self.budget = budget

    def known(self) -> list[str]:
        return [check.info.id for check in layer_checks()]

    def applicable(self) -> list[tuple[str, LayerCheck]]:
        return [(check.info.id, check) for check in layer_checks(self.target.protocol)]

    def prepare(self) -> None:
        require_answers(self.target)

    def run_one(self, check: LayerCheck) -> CheckResult:
        budget = self.budget
        return run_layer_check(
            check, self.target, max_examples=budget.max_examples, seed_value=budget.seed
        )

    def finish(self, results: list[CheckResult], clock: RunClock) -> Report:
        return Report(
            target=TargetInfo(self.target.name, self.target.kind, ("/",)),
            seed=self.budget.seed,
            max_examples=self.budget.max_examples,
            strict=self.budget.strict,
            version=__version__,
            results=tuple(results),
            run=clock.header(sum(result.requests for result in results)),
        )
