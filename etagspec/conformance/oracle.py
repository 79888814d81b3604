"""The oracle: which statuses RFC 9110 allows for a request, given what the
harness learned about the path.

It is :func:`etagspec.preconditions.evaluate`, the function the reference
implementation itself uses, run under every reading the RFC leaves open
(a Last-Modified the server may or may not treat as strong, AMB-IR-3), with
each resulting status classed as *allowed* or *tolerated* (conformant only
by ignoring a SHOULD). :func:`explain` then says why a target gave another
status: a lenient reading the catalogue permits (an empty field read as
absent, AMB-LIST-1; a case-blind date, AMB-DATE-2; ...), or a known
deviation (see :mod:`etagspec.conformance.readings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from .._memo import kept
from ..dates import http_date_to_timestamp
from ..errors import InvalidEntityTag, InvalidHTTPDate
from ..etags import EntityTag, parse_entity_tag
from ..headers import is_field_value
from ..limits import NO_FIELD_LIMIT
from ..preconditions import Conditions, Decision, Outcome, Resource, evaluate
from .model import ProbeRequest, ProbeResponse
from .readings import Case, Reading, deviant_reading, permitted_reading

__all__ = [
    "Expectation",
    "Observed",
    "Reading",
    "case_of",
    "conditions_of",
    "expect",
    "explain",
    "may_be_rejected",
]


@dataclass(frozen=True, slots=True)
class Observed:
    """What a plain GET (and a one-byte Range probe) said about a path."""

    path: str
    response: ProbeResponse
    etag: EntityTag | None = None
    last_modified: int | None = None
    supports_range: bool = False

    @classmethod
    def from_response(
        cls, path: str, response: ProbeResponse, supports_range: bool = False
    ) -> Observed:
        etag: EntityTag | None = None
        last_modified: int | None = None
        etag_text = response.header("ETag")
        if etag_text is not None:
            try:
                etag = parse_entity_tag(etag_text)
            except InvalidEntityTag:
                etag = None
        date_text = response.header("Last-Modified")
        if date_text is not None:
            try:
                last_modified = http_date_to_timestamp(date_text)
            except InvalidHTTPDate:
                last_modified = None
        return cls(path, response, etag, last_modified, supports_range)

    @property
    def baseline(self) -> int:
        """The status of the plain GET."""
        return self.response.status

    @property
    def length(self) -> int:
        """The 200's content length (its Content-Length, else its body)."""
        declared = self.response.header("Content-Length")
        if declared is not None and declared.strip().isdigit():
            return int(declared.strip())
        return len(self.response.body)

    def resource(self, *, last_modified_is_strong: bool = False) -> Resource:
        return Resource(
            exists=200 <= self.baseline < 300,
            etag=self.etag,
            last_modified=self.last_modified,
            last_modified_is_strong=last_modified_is_strong,
            supports_range=self.supports_range,
        )


@dataclass(frozen=True, slots=True)
class Expectation:
    """Statuses RFC 9110 allows, those it tolerates, and the deciding rule."""

    allowed: frozenset[int]
    tolerated: frozenset[int] = field(default_factory=frozenset)
    rule: str = ""

    def describe(self) -> str:
        allowed = " or ".join(str(s) for s in sorted(self.allowed))
        if not self.tolerated:
            return allowed
        tolerated = " or ".join(str(s) for s in sorted(self.tolerated))
        return f"{allowed} (or {tolerated}, which ignores a SHOULD)"


def conditions_of(request: ProbeRequest) -> Conditions:
    """The precondition fields of a probe, repeated lines joined by ", ".

    >>> conditions_of(ProbeRequest("GET", "/", (("If-Match", '"a"'), ("if-match", '"b"')))).if_match
    '"a", "b"'
    >>> conditions_of(ProbeRequest("GET", "/", [("Range", "bytes=0-0")])).range  # lists too
    'bytes=0-0'
    """
    return kept(_CONDITIONS, request.headers, lambda: _conditions(request.headers))


def _conditions(headers: Iterable[tuple[str, str]]) -> Conditions:
    joined: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return Conditions.from_headers(joined)


# The oracle's tables (see etagspec._memo): everything in them is a frozen
# value worked out from frozen values alone, so a hit is the same answer.
# Header sections come back across a run (a search replays and varies the
# same few fields), so do the paths' observations; the cases of a run come
# back when its transcript is read again for the diagnosis, so that table
# holds a whole run's worth.
_CONDITIONS: dict[tuple[tuple[str, str], ...], Conditions] = {}
_OBSERVATIONS: dict[Observed, tuple[Resource, int | None, int | None]] = {}
_CASES: dict[tuple[ProbeRequest, Observed, int | None], Case] = {}
#: Cases kept before their table is emptied.
CASES_KEPT: Final = 8192


def may_be_rejected(request: ProbeRequest) -> bool:
    """Whether a server may answer 400 to ``request`` before looking at any
    precondition: one of its field values holds a control character other
    than HTAB, which makes it invalid (RFC 9110 §5.5, §15.5.1).

    >>> may_be_rejected(ProbeRequest("GET", "/", (("If-Range", "\x1f"),)))
    True
    >>> may_be_rejected(ProbeRequest("GET", "/", (("If-Range", '\t"a"'),)))
    False
    """
    return not all(is_field_value(value) for _, value in request.headers)


def _status(decision: Decision, case: Case) -> tuple[int, int | None]:
    """(status, tolerated alternative or None) for one decision."""
    if decision.outcome is Outcome.PRECONDITION_FAILED:
        return 412, None
    if decision.outcome is Outcome.NOT_MODIFIED:
        # 304 for If-Modified-Since is a SHOULD (COND-IMS-7b).
        return 304, (case.baseline if decision.rule == "COND-PREC-4" else None)
    if decision.process_range:
        if case.unsatisfiable:
            return 416, None  # 200 is the may reading of AMB-RANGE-1
        return 206, case.baseline  # RNG-8 is a SHOULD
    return case.baseline, None


def _strength_readings(conditions: Conditions) -> tuple[bool, ...]:
    """Last-Modified read as weak, and as strong where that can matter: only
    an If-Range date on a request with Range compares it strongly."""
    if conditions.if_range is None or conditions.range is None:
        return (False,)
    return (False, True)


def expect(
    request: ProbeRequest, observed: Observed, *, baseline: int | None = None
) -> Expectation:
    """What RFC 9110 allows in answer to ``request`` on the observed path.

    ``baseline`` is the status without preconditions for this method (by
    default the plain GET's). When it is not 2xx the preconditions must be
    ignored (COND-EVAL-2).
    """
    case = case_of(request, observed, baseline=baseline)
    if not 200 <= case.baseline < 300:
        return Expectation(frozenset({case.baseline}), rule="COND-EVAL-2")
    allowed: set[int] = set()
    tolerated: set[int] = set()
    rules: list[str] = []
    for strong in _strength_readings(case.conditions):
        resource = observed.resource(last_modified_is_strong=True) if strong else case.resource
        # By RFC 9110, which sets no length limit: never by our own field cap.
        decision = evaluate(request.method, case.conditions, resource, NO_FIELD_LIMIT)
        status, alternative = _status(decision, case)
        if alternative is not None and decision.rule == "COND-PREC-4":
            # Ignoring the SHOULD of If-Modified-Since is answering as if it
            # were absent: 206 for a GET with a satisfiable Range (RNG-7).
            without = replace(case.conditions, if_modified_since=None)
            tolerated.update(
                found
                for found in _status(evaluate(request.method, without, resource), case)
                if found is not None
            )
        allowed.add(status)
        if alternative is not None:
            tolerated.add(alternative)
        if decision.rule not in rules:
            rules.append(decision.rule)
    if may_be_rejected(request):
        allowed.add(400)
        rules.append("a control character in a field: 400 allowed (RFC 9110 §5.5)")
    return Expectation(frozenset(allowed), frozenset(tolerated - allowed), ", ".join(rules))


def case_of(request: ProbeRequest, observed: Observed, *, baseline: int | None = None) -> Case:
    """The request as the readings see it (Last-Modified read as weak)."""
    return kept(
        _CASES,
        (request, observed, baseline),
        lambda: _case(request, observed, baseline),
        CASES_KEPT,
    )


def _case(request: ProbeRequest, observed: Observed, baseline: int | None) -> Case:
    resource, length, now = kept(_OBSERVATIONS, observed, lambda: _observation(observed))
    return Case(
        request.method,
        conditions_of(request),
        resource,
        observed.baseline if baseline is None else baseline,
        length,
        now,
    )


def _observation(observed: Observed) -> tuple[Resource, int | None, int | None]:
    """What a case takes from the observed path: its resource (Last-Modified
    read as weak), its length (None when the GET got no answer) and the
    server's clock (its Date, when valid)."""
    date = observed.response.header("Date")
    now: int | None = None
    if date is not None:
        try:
            now = http_date_to_timestamp(date)
        except InvalidHTTPDate:
            now = None
    length = observed.length if observed.response.status else None
    return observed.resource(), length, now


def explain(
    request: ProbeRequest, observed: Observed, status: int, *, baseline: int | None = None
) -> Reading | None:
    """Why a target answered ``status`` where RFC 9110 allows something
    else: the first reading the catalogue does not call a failure that
    gives it (its verdict ``pass``, ``lenient`` or ``should``), else the
    first known deviation that does, else None.

    >>> observed = Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'),), b"x"))
    >>> explain(ProbeRequest("GET", "/", (("If-Match", ""),)), observed, 200)
    Reading(id='LEN-9', signature='an empty or invalid If-Match read as absent', verdict='fail')
    >>> explain(ProbeRequest("GET", "/", (("If-Match", "*"),)), observed, 412).signature
    'If-Match: * treated as a non-matching tag'
    """
    case = case_of(request, observed, baseline=baseline)
    if 200 <= case.baseline < 300:
        found = permitted_reading(case, status)
        if found is not None:
            return found
    return deviant_reading(case, status)
