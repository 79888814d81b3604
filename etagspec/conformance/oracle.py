"""The oracle: which statuses RFC 9110 allows for a request, given what the
harness learned about the path.

It is :func:`etagspec.preconditions.evaluate`, the function the reference
implementation itself uses, run under every reading the RFC leaves open
(a Last-Modified the server may or may not treat as strong; an empty field
that may be read as absent, SPEC AMB-LIST-1), with each resulting status
classed as *allowed* or *tolerated* (conformant only by ignoring a SHOULD).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import http_date_to_timestamp
from ..errors import InvalidEntityTag, InvalidHTTPDate
from ..etags import EntityTag, parse_entity_tag
from ..headers import is_field_value
from ..preconditions import Conditions, Decision, Outcome, Resource, evaluate
from .model import ProbeRequest, ProbeResponse

__all__ = ["Expectation", "Observed", "conditions_of", "expect", "may_be_rejected"]


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
    """The precondition fields of a probe, repeated lines joined by ", "."""
    joined: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return Conditions.from_headers(joined)


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


def _status(decision: Decision, baseline: int) -> tuple[int, int | None]:
    """(status, tolerated alternative or None) for one decision."""
    if decision.outcome is Outcome.PRECONDITION_FAILED:
        return 412, None
    if decision.outcome is Outcome.NOT_MODIFIED:
        # 304 for If-Modified-Since is a SHOULD (COND-IMS-7b).
        return 304, (baseline if decision.rule == "COND-PREC-4" else None)
    if decision.process_range:
        return 206, baseline  # RNG-8 is a SHOULD
    return baseline, None


def _empty(value: str | None, blank: str) -> bool:
    return value is not None and value.strip(blank) == ""


def _readings(conditions: Conditions) -> list[Conditions]:
    """The request as sent, and with empty fields read as absent (AMB-LIST-1).

    For If-Match and If-None-Match, "empty" includes a list of nothing but
    empty elements (``,,``: RFC 9110 §5.6.1 has recipients ignore them).
    """
    readings = [conditions]
    lists = (conditions.if_match, conditions.if_none_match)
    others = (
        conditions.if_modified_since,
        conditions.if_unmodified_since,
        conditions.if_range,
        conditions.range,
    )
    if any(_empty(v, " \t,") for v in lists) or any(_empty(v, " \t") for v in others):
        absent = [None if _empty(v, " \t,") else v for v in lists]
        absent += [None if _empty(v, " \t") else v for v in others]
        readings.append(Conditions(*absent))
    return readings


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
    base = observed.baseline if baseline is None else baseline
    if not 200 <= base < 300:
        return Expectation(frozenset({base}), rule="COND-EVAL-2")
    allowed: set[int] = set()
    tolerated: set[int] = set()
    rules: list[str] = []
    for conditions in _readings(conditions_of(request)):
        for strong in _strength_readings(conditions):
            resource = observed.resource(last_modified_is_strong=strong)
            decision = evaluate(request.method, conditions, resource)
            status, alternative = _status(decision, base)
            allowed.add(status)
            if alternative is not None:
                tolerated.add(alternative)
            if decision.rule not in rules:
                rules.append(decision.rule)
    if may_be_rejected(request):
        allowed.add(400)
        rules.append("a control character in a field: 400 allowed (RFC 9110 §5.5)")
    return Expectation(frozenset(allowed), frozenset(tolerated - allowed), ", ".join(rules))
