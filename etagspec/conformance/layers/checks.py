"""The layer checks: what a conditional WSGI layer owes the app it wraps.

Each check draws handler behaviours (:func:`etagspec.strategies.handler_behaviours`)
and requests aimed at their validators, runs each request through the bare
behaviour and through the layer, and judges the pair. The checks live in
their own catalogue (:data:`LAYER_CHECKS`), never run by ``etagspec check``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ...dates import http_date_to_timestamp
from ...errors import InvalidHTTPDate
from ...etags import EntityTag
from ...preconditions import Outcome, Resource, evaluate
from ...strategies import HandlerBehaviour, handler_behaviours, with_asgi_traits
from ...strategies._handlers import _writing_behaviours
from ...strategies._tape import _kept  # .filter(), without validating it at every draw
from ..context import Finding
from ..model import CheckInfo, Level, ProbeRequest, ProbeResponse
from ..oracle import Observed, conditions_of, expect, explain
from ..readings import PASS
from ..registry import CheckKind, KindRegistry
from .requests import Preconditions, draw_request
from .serving import content_length, environ_for
from .target import LayerExchange, LayerTarget

__all__ = ["LAYER_CHECKS", "LayerCheck", "layer_checks"]

LayerJudge = Callable[[LayerTarget, LayerExchange], "Finding | None"]
#: Whether an exchange met a check's decisive situation (a 304 for the
#: checks of a 304's fields, ...): a check that never met it is "not
#: exercised", never passed.
Decisive = Callable[[LayerExchange], bool]


def _always(exchange: LayerExchange) -> bool:
    return True


def _no_failure(behaviour: HandlerBehaviour) -> bool:
    return behaviour.fails == "none"


SUCCESS: Final = (200, 201, 203, 204, 206)
#: Fields a 304 must carry when the 200 would (RFC 9110 §15.4.5).
KEPT_ON_304: Final = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")
#: Representation metadata a 304 should not carry (RFC 9110 §15.4.5).
DROPPED_ON_304: Final = ("Content-Type", "Content-Language", "Content-Range")
_UNSAFE: Final = ("POST", "PUT", "DELETE")
#: The protocols of a check that judges every layer, and of WSGI-only ones.
BOTH: Final = ("wsgi", "asgi")
WSGI_ONLY: Final = ("wsgi",)


@dataclass(frozen=True)
class LayerCheck:
    """A registered layer check: its identity, what it draws, and its judge."""

    info: CheckInfo
    behaviours: SearchStrategy[HandlerBehaviour]
    methods: tuple[str, ...]
    preconditions: Preconditions
    judge: LayerJudge
    #: How many times max_examples this check draws (the status check, whose
    #: revealing combinations of fields and validators are the rarest, more).
    weight: int = 1
    #: The decisive situation, as a test and in words.
    decisive: Decisive = _always
    situation: str = "an exchange the check could judge"
    #: Which canonical behaviours (requests.CANONICAL_BEHAVIOURS) the
    #: check's own behaviours include.
    fits: Callable[[HandlerBehaviour], bool] = _no_failure
    #: The layers it judges: WSGI, ASGI or both (see ``LayerTarget.protocol``).
    protocols: tuple[str, ...] = BOTH

    def examples(
        self, target: LayerTarget | None = None
    ) -> SearchStrategy[tuple[HandlerBehaviour, ProbeRequest]]:
        """(behaviour, request) pairs this check judges; with ``target``,
        the requests also aim at the validators the layer itself emits
        for each behaviour (learned by a plain pass through it)."""

        behaviours = self.behaviours
        if target is not None and target.protocol == "asgi":
            behaviours = with_asgi_traits(behaviours)
        return _pairs(behaviours, self.methods, self.preconditions, target)


@st.composite
def _pairs(
    draw: st.DrawFn,
    behaviours: SearchStrategy[HandlerBehaviour],
    methods: tuple[str, ...],
    preconditions: Preconditions,
    target: LayerTarget | None,
) -> tuple[HandlerBehaviour, ProbeRequest]:
    """A behaviour, then a request of :func:`~.requests.layer_requests` for
    it. (One composite rather than a flatmap, which would build and
    validate new strategies for every behaviour drawn.)"""
    behaviour = draw(behaviours)
    emitted = () if target is None else emitted_headers(target, behaviour)
    return behaviour, draw_request(draw, behaviour, methods, preconditions, emitted)


def emitted_headers(
    target: LayerTarget, behaviour: HandlerBehaviour
) -> tuple[tuple[str, str], ...]:
    """The headers the layer answers a plain GET of ``behaviour`` with."""
    return target.emitted(behaviour).response.headers


#: The layer checks, a kind of the one registry (:mod:`..registry`).
LAYER_REGISTRY: KindRegistry[LayerCheck] = KindRegistry(CheckKind.LAYER)
#: Every layer check, by ID, in registration order.
LAYER_CHECKS: dict[str, LayerCheck] = LAYER_REGISTRY.entries


def layer_checks(protocol: str | None = None) -> list[LayerCheck]:
    """Every layer check, in registration order (with ``protocol``, those
    that judge layers of that protocol, ``"wsgi"`` or ``"asgi"``).

    >>> [check.info.id for check in layer_checks()][:2]
    ['LAYER-COND-1', 'LAYER-LAZY-1']
    >>> [check.info.id for check in layer_checks("asgi")][:2]
    ['LAYER-COND-1', 'LAYER-EXC-1']
    """
    return [c for c in LAYER_CHECKS.values() if protocol is None or protocol in c.protocols]


def _register(
    id: str,
    title: str,
    rfc: str,
    level: Level,
    rule: str,
    behaviours: SearchStrategy[HandlerBehaviour],
    *,
    methods: tuple[str, ...] = ("GET", "HEAD"),
    preconditions: Preconditions = "some",
    weight: int = 1,
    decisive: Decisive = _always,
    situation: str = "an exchange the check could judge",
    fits: Callable[[HandlerBehaviour], bool] = _no_failure,
    protocols: tuple[str, ...] = BOTH,
) -> Callable[[LayerJudge], LayerJudge]:
    def register(judge: LayerJudge) -> LayerJudge:
        info = CheckInfo(id, title, rfc, level, rule)
        LAYER_REGISTRY.add(
            LayerCheck(
                info,
                behaviours,
                methods,
                preconditions,
                judge,
                weight,
                decisive,
                situation,
                fits,
                protocols,
            )
        )
        return judge

    return register


def _broken(exchange: LayerExchange) -> Finding | None:
    """A finding when the layer gave no answer, or raised where the bare app did not."""
    outer, inner = exchange.outer, exchange.inner
    if outer.raised is not None and inner.raised is None:
        return Finding(
            expected=f"{inner.response.status}, as the bare app answered",
            explanation=f"the layer raised {type(outer.raised).__name__}: {outer.raised}",
        )
    if outer.response.error is not None and inner.response.error is None:
        return Finding(
            expected=f"{inner.response.status}", explanation=f"no answer: {outer.response.error}"
        )
    return None


def _readings(response: ProbeResponse) -> list[ProbeResponse]:
    """The inner answer as a layer may read it: with each of its ETag lines
    alone (a repeated ETag), and without a Last-Modified in the future
    (RFC 9110 §8.8.2.1 has the origin replace it)."""
    etags = response.header_values("ETag")
    others = tuple((n, v) for n, v in response.headers if n.lower() != "etag")
    readings = [dataclasses.replace(response, headers=(*others, ("ETag", tag))) for tag in etags]
    readings = readings or [response]
    for reading in list(readings):
        if _in_the_future(reading.header("Last-Modified")):
            kept = tuple((n, v) for n, v in reading.headers if n.lower() != "last-modified")
            readings.append(dataclasses.replace(reading, headers=kept))
    return readings


def _in_the_future(date: str | None) -> bool:
    """Whether an HTTP-date is after the clock's now."""
    if date is None:
        return False
    try:
        return http_date_to_timestamp(date) > time.time()
    except InvalidHTTPDate:
        return False


def _allowed(target: LayerTarget, exchange: LayerExchange) -> tuple[set[int], str]:
    """Statuses RFC 9110 §13.2.2 allows for the request, from the inner
    app's validators (each reading of them) or those the layer itself
    sends in its full answer (a layer may make its own), and the deciding
    rules."""
    allowed: set[int] = set()
    rules: list[str] = []
    baseline = exchange.inner.response.status
    own = _own_validators(target, exchange)
    answers = [exchange.inner.response, *([own] if own is not None else [])]
    for reading in (reading for answer in answers for reading in _readings(answer)):
        observed = Observed.from_response("/", reading)
        expectation = expect(exchange.request, observed, baseline=baseline)
        allowed |= expectation.allowed | expectation.tolerated
        rules.append(expectation.rule)
    return allowed, ", ".join(dict.fromkeys(rules))


def _own_validators(target: LayerTarget, exchange: LayerExchange) -> ProbeResponse | None:
    """The layer's full answer to a plain GET when its validators differ
    from the inner app's (it makes or changes them), else None."""
    plain = target.emitted(exchange.behaviour).response
    inner = exchange.inner.response
    if not 200 <= plain.status < 300:
        return None
    names = ("ETag", "Last-Modified")
    if all(plain.header_values(n) == inner.header_values(n) for n in names):
        return None
    return plain


_SUCCESSFUL: Final = handler_behaviours(statuses=SUCCESS, fails=["none"])


@_register(
    "LAYER-COND-1",
    "the layer answers 2xx GET/HEAD as §13.2.2 gives",
    "RFC 9110 §13.2.2",
    Level.MUST,
    "a conditional layer answers a GET or HEAD whose inner answer is 2xx with the status "
    "RFC 9110 §13.2.2 gives for the inner app's own ETag and Last-Modified",
    _SUCCESSFUL,
    weight=3,
)
def _conditional_status(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    broken = _broken(exchange)
    if broken is not None:
        return broken
    allowed, rule = _allowed(target, exchange)
    status = exchange.outer.response.status
    if status in allowed:
        return None
    # The root cause: a lenient reading the catalogue permits (the finding is
    # then LENIENT), else a known deviation, named as for `etagspec check`.
    inner = exchange.inner.response
    reading = explain(exchange.request, Observed.from_response("/", inner), status)
    if reading is not None and reading.verdict == PASS:
        return None  # a reading the RFC leaves open
    return Finding(
        expected=" or ".join(str(s) for s in sorted(allowed)) + f" ({rule})",
        explanation=f"the layer answered {status} for an inner {inner.status} with these "
        "validators"
        + (f" ({', '.join(filter(None, (reading.signature, reading.id)))})" if reading else ""),
        signature=reading.signature if reading else "",
        lenient=reading.id if reading is not None and reading.lenient else "",
    )


@_register(
    "LAYER-LAZY-1",
    "a 304 or 412 computes no content",
    "seed promise; PEP 3333",
    Level.MUST,
    "on a 304 or 412 the layer reads the inner content no further than the chunk in which "
    "start_response was called",
    handler_behaviours(
        statuses=SUCCESS, contents=["generator", "closing", "file_wrapper"], fails=["none"]
    ),
    decisive=lambda exchange: exchange.outer.response.status in (304, 412),
    situation="a 304 or 412 from the layer",
    fits=lambda behaviour: behaviour.content != "list" and _no_failure(behaviour),
    protocols=WSGI_ONLY,
)
def _lazy(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    status = exchange.outer.response.status
    computed = exchange.ledger.computed_after_start
    if status in (304, 412) and computed:
        return Finding(
            expected=f"{status} with no content computed after start_response",
            signature="the app's content computed before a 304 or 412",
            explanation=f"the layer answered {status} but made the app compute "
            f"chunk(s) {computed} of its content",
        )
    return None


@_register(
    "LAYER-CLOSE-1",
    "the inner iterable is closed exactly once",
    "PEP 3333",
    Level.MUST,
    "the layer calls close() on the inner app's iterable exactly once on every path, "
    "errors included",
    handler_behaviours(contents=["closing", "file_wrapper"], fails=["none", "during_iteration"]),
    preconditions="any",
    decisive=lambda exchange: exchange.ledger.closes is not None,
    situation="an inner iterable that counts its closes",
    fits=lambda behaviour: behaviour.content in ("closing", "file_wrapper"),
    protocols=WSGI_ONLY,
)
def _closed_once(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    ledger = exchange.ledger
    if ledger.closes is None or ledger.closes == ledger.calls:
        return None
    return Finding(
        expected=f"close() called {ledger.calls} time(s), once per call of the app",
        signature=f"the app's iterable closed {ledger.closes} time(s) per call",
        explanation=f"the inner iterable was closed {ledger.closes} time(s)",
    )


@_register(
    "LAYER-EXC-1",
    "exceptions propagate; exc_info passes through",
    "PEP 3333",
    Level.MUST,
    "an exception the inner app raises is neither swallowed nor turned into a 2xx, 3xx or "
    "4xx, and an error page sent with exc_info reaches the server as the app sent it",
    handler_behaviours(
        statuses=SUCCESS, fails=["before_start", "after_start", "during_iteration", "error_page"]
    ),
    preconditions="any",
    decisive=lambda exchange: bool(exchange.ledger.raised),
    situation="an inner app that raised",
    fits=lambda behaviour: False,
)
def _exceptions(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    outer = exchange.outer
    if exchange.behaviour.fails == "error_page":
        if outer.raised is not None:
            return Finding(
                expected="the 500 error page the app sent with exc_info",
                explanation=f"the layer raised {type(outer.raised).__name__}: {outer.raised}",
            )
        if outer.protocol_errors:
            return Finding(
                expected="start_response called again only with exc_info",
                explanation="; ".join(outer.protocol_errors),
            )
        body_kept = (
            exchange.request.method != "GET"
            or outer.response.body == exchange.behaviour.output().body
        )
        if outer.response.status != 500 or not body_kept:
            return Finding(
                expected="500 with the app's error page",
                explanation=f"the layer answered {outer.response.status} "
                f"with {len(outer.response.body)} bytes",
            )
        return None
    if not exchange.ledger.raised or outer.raised is not None or outer.response.status >= 500:
        return None
    return Finding(
        expected="the app's exception, raised to the server (or a 5xx)",
        signature="an exception of the app swallowed",
        explanation=f"the app raised {exchange.ledger.raised[0]!r}; the layer answered "
        f"{outer.response.status}",
    )


@_register(
    "LAYER-WRITE-1",
    "write() output is kept",
    "PEP 3333",
    Level.MUST,
    "content the inner app sends through write() reaches the client, in order, in a full answer",
    _writing_behaviours(starts=["eager"], fails=["none"]),
    methods=("GET",),
    preconditions="any",
    decisive=lambda exchange: exchange.outer.response.status == exchange.inner.response.status,
    situation="a full answer from the layer",
    fits=lambda behaviour: False,
    protocols=WSGI_ONLY,
)
def _writes_kept(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    outer, inner = exchange.outer.response, exchange.inner.response
    if outer.status != inner.status or outer.body == inner.body:
        return _broken(exchange)
    return Finding(
        expected=f"{inner.status} with the body {inner.body!r}",
        signature="write() output lost",
        explanation=f"the layer answered {outer.status} with the body {outer.body!r}",
    )


@_register(
    "LAYER-PASS-1",
    "non-2xx answers pass through",
    "RFC 9110 §13.2.1",
    Level.MUST,
    "the layer leaves the status of a non-2xx inner answer to a GET or HEAD as the app gave it "
    "(unsafe methods: LAYER-UNSAFE-1, LAYER-UNSAFE-2)",
    handler_behaviours(fails=["none"]),
    decisive=lambda exchange: exchange.inner.response.status not in SUCCESS,
    situation="a non-2xx inner answer",
)
def _passes_through(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    inner, outer = exchange.inner.response, exchange.outer.response
    if inner.status in SUCCESS:
        return None
    if outer.status == inner.status:
        return _broken(exchange)
    return Finding(
        expected=f"{inner.status}, as the app answered",
        signature="a non-2xx answer judged",
        explanation=f"the layer turned a non-2xx answer ({inner.status}) into {outer.status}",
    )


@_register(
    "LAYER-UNSAFE-1",
    "an unsafe request is refused only on validators, before it runs",
    "RFC 9110 §13.2.2",
    Level.MUST,
    "a layer that does not run a POST, PUT or DELETE answers 412, and only when RFC 9110 §13.2.2 "
    "gives 412 for the validators it asked the app for (a safe call of the app), or for every "
    "state the resource could be in; a layer that knows no validators passes the request on",
    handler_behaviours(fails=["none"]),
    methods=_UNSAFE,
    weight=2,
)
def _refused_before_running(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    request, ledger = exchange.request, exchange.ledger
    if request.method in ledger.methods:
        return None  # the app ran it: LAYER-UNSAFE-2 judges what came after
    broken = _broken(exchange)
    if broken is not None:
        return broken
    status, inner = exchange.outer.response.status, exchange.inner.response.status
    if status == 412 and _fails_in_every_state(request):
        return None
    if not ledger.calls:
        return Finding(
            expected=f"{inner}, the app's answer: knowing no validators, the layer cannot "
            f"judge the preconditions before the {request.method} runs",
            signature="an unsafe request refused without the app's validators",
            explanation=f"the layer answered {status} to a {request.method} without calling "
            "the app at all",
        )
    if status == 412 and _fails_on_the_apps_validators(exchange):
        return None
    return Finding(
        expected=f"{inner}, the app running the {request.method} (its validators do not "
        "make the preconditions fail)",
        signature="an unsafe request refused though its preconditions hold",
        explanation=f"the layer answered {status} without running the {request.method}; "
        f"it called the app with {', '.join(ledger.methods)} only",
    )


def _fails_on_the_apps_validators(exchange: LayerExchange) -> bool:
    """Whether §13.2.2 gives 412 for the request on the inner app's
    validators (any reading of them; the resource exists if its answer is 2xx)."""
    conditions = conditions_of(exchange.request)
    return any(
        evaluate(
            exchange.request.method, conditions, Observed.from_response("/", r).resource()
        ).outcome
        is Outcome.PRECONDITION_FAILED
        for r in _readings(exchange.inner.response)
    )


_QUOTED: Final = re.compile(r'"[^"]*"')


def _fails_in_every_state(request: ProbeRequest) -> bool:
    """Whether §13.2.2 gives 412 for the request whatever the resource is:
    missing, or present with no validators, with any tag the request names
    (weak or strong) or with any date it names (or an early one)."""
    conditions = conditions_of(request)
    fields = [conditions.if_match or "", conditions.if_none_match or ""]
    tags: list[EntityTag | None] = [None]
    for opaque in dict.fromkeys(m[1:-1] for f in fields for m in _QUOTED.findall(f)):
        with contextlib.suppress(ValueError):  # not an opaque-tag: no state has it
            tags += [EntityTag(opaque), EntityTag(opaque, weak=True)]
    dates: list[int | None] = [None, 0]
    for value in (conditions.if_unmodified_since, conditions.if_modified_since):
        with contextlib.suppress(InvalidHTTPDate, TypeError):
            dates.append(http_date_to_timestamp(value or ""))
    states = [Resource(exists=False)] + [
        Resource(etag=tag, last_modified=date) for tag in tags for date in dates
    ]
    return all(
        evaluate(request.method, conditions, state).outcome is Outcome.PRECONDITION_FAILED
        for state in states
    )


@_register(
    "LAYER-UNSAFE-2",
    "an unsafe request the app has run keeps its answer",
    "RFC 9110 §13.2.1",
    Level.MUST,
    "when the layer runs a POST, PUT or DELETE, the app gets the request's precondition fields "
    "as sent, and its status reaches the client (no 304 or 412 after the write)",
    handler_behaviours(fails=["none"]),
    methods=_UNSAFE,
    weight=2,
    decisive=lambda exchange: exchange.request.method in exchange.ledger.methods,
    situation="an unsafe request the app ran",
)
def _unsafe_kept_after_running(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    request, ledger = exchange.request, exchange.ledger
    if request.method not in ledger.methods:
        return None  # refused before running it: LAYER-UNSAFE-1
    inner, outer = exchange.inner.response, exchange.outer.response
    sent = _preconditions_sent(request)
    seen = ledger.preconditions[ledger.methods.index(request.method)]
    if seen != sent:
        return Finding(
            expected=f"the {request.method} run with its precondition fields {dict(sent)}",
            signature="an unsafe request's preconditions withheld from the app",
            explanation=f"the app ran the {request.method} with {dict(seen)}",
        )
    if outer.status == inner.status:
        return _broken(exchange)
    return Finding(
        expected=f"{inner.status}, as the app answered",
        signature="an unsafe method judged after the app ran it",
        explanation=f"the layer turned a {request.method} the app had run ({inner.status}) "
        f"into {outer.status}",
    )


def _preconditions_sent(request: ProbeRequest) -> tuple[tuple[str, str], ...]:
    """The HTTP_IF_* environ entries a server makes of the request."""
    environ = environ_for(request)
    return tuple(sorted((k, str(v)) for k, v in environ.items() if k.startswith("HTTP_IF_")))


def _missing(kept: ProbeResponse, answer: ProbeResponse, names: tuple[str, ...]) -> list[str]:
    """The fields of ``names`` in ``kept`` that ``answer`` lacks or changed."""
    return [
        name
        for name in names
        if kept.has_header(name)
        and (answer.header_values(name) != kept.header_values(name))
        and not (name == "Date" and answer.has_header("Date"))
    ]


@_register(
    "LAYER-PASS-2",
    "a request without preconditions is untouched",
    "RFC 9110 §13.1",
    Level.MUST,
    "the layer answers a request with no precondition field as the inner app did: same status, "
    "every header field, same content",
    handler_behaviours(fails=["none"]),
    methods=("GET", "HEAD", "POST"),
    preconditions="none",
)
def _untouched(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    broken = _broken(exchange)
    if broken is not None:
        return broken
    inner, outer = exchange.inner.response, exchange.outer.response
    names = tuple(dict.fromkeys(name for name, _ in inner.headers))
    changed = _missing(inner, outer, names)
    same_body = exchange.request.method == "HEAD" or outer.body == inner.body
    if outer.status == inner.status and not changed and same_body:
        return None
    what = [f"status {outer.status}"] if outer.status != inner.status else []
    what += [f"{name} changed or dropped" for name in changed]
    what += [] if same_body else [f"content {outer.body!r} instead of {inner.body!r}"]
    return Finding(expected=f"{inner.status} as the app answered it", explanation="; ".join(what))


_TAGGED: Final = _kept(
    _SUCCESSFUL, lambda b: any(n == "ETag" and v.endswith('"') for n, v in b.headers)
)


@_register(
    "LAYER-304-1",
    "a 304 keeps the 200's caching fields",
    "RFC 9110 §15.4.5",
    Level.MUST,
    "a 304 carries the Cache-Control, Content-Location, Date, ETag, Expires and Vary the "
    "200 would carry, no content, and a Content-Length only if it is the 200's",
    _TAGGED,
    decisive=lambda exchange: exchange.outer.response.status == 304,
    situation="a 304 from the layer",
)
def _not_modified_headers(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    outer, inner = exchange.outer.response, exchange.inner.response
    if outer.status != 304:
        return None
    # The 200 the client would get is the layer's own full answer, when the
    # layer makes or changes the validators.
    inner = _own_validators(target, exchange) or inner
    problems = [f"{name} missing or changed" for name in _missing(inner, outer, KEPT_ON_304)]
    # A singleton field the app repeated (two ETag lines): any one of them will do.
    problems = [
        problem
        for problem in problems
        if not (
            len(inner.header_values(name := problem.split(" ")[0])) > 1
            and set(outer.header_values(name)) <= set(inner.header_values(name))
            and outer.has_header(name)
        )
    ]
    length = content_length(outer)
    full = content_length(inner)
    if full is None and exchange.request.method == "GET":
        full = len(inner.body)
    if outer.has_header("Content-Length") and length != full:
        problems.append(f"Content-Length {outer.header('Content-Length')} (the 200's is {full})")
    if outer.body:
        problems.append(f"{len(outer.body)} bytes of content")
    if not problems:
        return None
    return Finding(expected="304 with the 200's caching fields", explanation="; ".join(problems))


@_register(
    "LAYER-304-2",
    "a 304 sends no other representation metadata",
    "RFC 9110 §15.4.5",
    Level.SHOULD,
    "a 304 does not carry representation metadata such as Content-Type",
    _TAGGED,
    decisive=lambda exchange: exchange.outer.response.status == 304,
    situation="a 304 from the layer",
)
def _not_modified_metadata(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    outer = exchange.outer.response
    if outer.status != 304:
        return None
    extra = [name for name in DROPPED_ON_304 if outer.has_header(name)]
    if not extra:
        return None
    return Finding(
        expected="304 without Content-Type, Content-Language or Content-Range",
        signature="representation metadata on a 304",
        explanation=f"the 304 carries {', '.join(extra)}",
    )


@_register(
    "LAYER-LAZYSR-1",
    "start_response on the first iteration is handled",
    "PEP 3333",
    Level.MUST,
    "an inner app that calls start_response on its first iteration gets the same answer from "
    "the layer as one that calls it at once (a 304 still happens)",
    handler_behaviours(statuses=SUCCESS, starts=["lazy"], fails=["none"]),
    fits=lambda behaviour: behaviour.lazy_start and _no_failure(behaviour),
)
def _lazy_start(target: LayerTarget, exchange: LayerExchange) -> Finding | None:
    eager = dataclasses.replace(exchange.behaviour, lazy_start=False)
    twin = target.exchange(eager, exchange.request).outer.response
    status = exchange.outer.response.status
    if status == twin.status:
        return _broken(exchange)
    return Finding(
        expected=f"{twin.status}, the layer's answer when start_response is called at once",
        signature="an app starting on its first iteration not judged like one starting at once",
        explanation=f"the layer answered {status} when start_response came on the first iteration",
    )
