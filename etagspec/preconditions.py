"""RFC 9110 §13.2.2: which precondition decides, and what the answer is.

:func:`evaluate` is the one ordered function that both the reference WSGI
layer and the conformance harness's oracle use. It takes the request method,
the raw precondition fields (:class:`Conditions`) and what the origin knows
about the selected representation (:class:`Resource`), and returns a
:class:`Decision`: proceed (and whether Range is to be processed), 304, or
412. It never raises on malformed fields: each is treated exactly as RFC 9110
says for an invalid value (RFC 9110 §13.1).

>>> from etagspec.etags import EntityTag
>>> current = Resource(etag=EntityTag("v1"), last_modified=1699000000)
>>> evaluate("GET", Conditions(if_none_match='W/"v1"'), current).status
304
>>> evaluate("PUT", Conditions(if_match='"v0"'), current).status
412
>>> evaluate("GET", Conditions(if_none_match='"v0"'), current).outcome
<Outcome.PROCEED: 'proceed'>
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ._abnf import OWS_CHARS
from .dates import http_date_to_timestamp, posix_seconds
from .errors import InvalidEntityTag, InvalidHTTPDate
from .etags import EntityTag, parse_entity_tag, split_entity_tag_list
from .limits import MAX_FIELD_LENGTH

__all__ = [
    "IF_NONE_MATCH_NOT_MODIFIED",
    "NON_SELECTING",
    "PROCEED",
    "Conditions",
    "Decision",
    "Outcome",
    "Resource",
    "evaluate",
    "if_match_passes",
    "if_modified_since_passes",
    "if_none_match_holds",
    "if_none_match_passes",
    "if_range_passes",
    "if_unmodified_since_passes",
    "known_resource",
]

#: Methods that neither select nor modify a representation (COND-EVAL-4).
NON_SELECTING_METHODS: Final = frozenset({"CONNECT", "OPTIONS", "TRACE"})
#: Methods for which a false If-None-Match / If-Modified-Since means 304.
SAFE_RETRIEVAL_METHODS: Final = frozenset({"GET", "HEAD"})


class Outcome(enum.Enum):
    """What the origin does after evaluating the preconditions."""

    #: Perform the method (step 6).
    PROCEED = "proceed"
    #: Answer 304 Not Modified (steps 3 and 4, GET/HEAD only).
    NOT_MODIFIED = "not-modified"
    #: Answer 412 Precondition Failed (steps 1, 2, and 3 for other methods).
    PRECONDITION_FAILED = "precondition-failed"


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of :func:`evaluate`.

    ``rule`` is the rule ID (docs/SPEC.md) of the step that decided, so a
    caller (or a failure report) can say why.  ``process_range`` is true only
    when the outcome is PROCEED, the method is GET, a Range field is present,
    the resource supports ranges and If-Range is absent or true.
    """

    outcome: Outcome
    rule: str
    process_range: bool = False

    @property
    def status(self) -> int | None:
        """304 or 412 when the decision is to answer with that status, else None."""
        if self.outcome is Outcome.NOT_MODIFIED:
            return 304
        if self.outcome is Outcome.PRECONDITION_FAILED:
            return 412
        return None


@dataclass(frozen=True, slots=True)
class Resource:
    """What the origin knows about the selected representation.

    ``last_modified`` is the value it would send in Last-Modified, as whole
    POSIX seconds (or an aware datetime, truncated to the second).
    ``last_modified_is_strong`` says whether that date can be used as a strong
    validator (RFC 9110 §8.8.2.2); it only matters for If-Range.
    """

    exists: bool = True
    etag: EntityTag | None = None
    last_modified: int | None = None
    last_modified_is_strong: bool = False
    supports_range: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.last_modified, (datetime.datetime, float)):
            object.__setattr__(self, "last_modified", posix_seconds(self.last_modified))


@dataclass(frozen=True, slots=True)
class Conditions:
    """The raw request fields that take part in evaluation; None when absent.

    A field sent with an empty value is present (``""``), which matters:
    an empty If-Match is false and an empty If-None-Match is true
    (AMB-LIST-1).
    """

    if_match: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    if_unmodified_since: str | None = None
    if_range: str | None = None
    range: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Conditions:
        """Read the fields from a name → value mapping (names case-insensitive).

        >>> Conditions.from_headers({"if-match": "*"}).if_match
        '*'
        """
        lower = {name.lower(): value for name, value in headers.items()}
        return cls(
            lower.get("if-match"),
            lower.get("if-none-match"),
            lower.get("if-modified-since"),
            lower.get("if-unmodified-since"),
            lower.get("if-range"),
            lower.get("range"),
        )

    @property
    def any_present(self) -> bool:
        """Whether any precondition field (not counting Range) is present."""
        return not (
            self.if_match is None
            and self.if_none_match is None
            and self.if_modified_since is None
            and self.if_unmodified_since is None
            and self.if_range is None
        )


def known_resource(
    etag: EntityTag | None,
    last_modified: int | None,
    last_modified_is_strong: bool = False,
    supports_range: bool = False,
) -> Resource:
    """The resource that exists and has these validators:
    ``Resource(True, etag, last_modified, ...)``.

    >>> known_resource(None, 5) == Resource(last_modified=5)
    True
    """
    return Resource(True, etag, last_modified, last_modified_is_strong, supports_range)


# --- per-field truth (RFC 9110 §13.1) -------------------------------------------


def if_match_passes(value: str, resource: Resource, limit: int = MAX_FIELD_LENGTH) -> bool:
    """Truth of If-Match (COND-IM-4a, COND-IM-4b, COND-IM-4c): ``*`` is true
    iff the resource exists; a list is true iff a member strongly matches the
    current ETag; anything else (invalid, empty list, no ETag) is false.

    >>> if_match_passes('"v1", "v2"', Resource(etag=EntityTag("v2")))
    True
    >>> if_match_passes('W/"v2"', Resource(etag=EntityTag("v2")))
    False
    """
    if len(value) > limit:
        return False
    exists = resource.exists
    current = resource.etag if exists else None
    if current is None or current.weak:  # no list can match: only * is true
        return exists and value.strip(OWS_CHARS) == "*"
    opaque = current.opaque
    if value[1:-1] == opaque and len(value) > 1 and value[0] == '"' and value[-1] == '"':
        return True  # the commonest If-Match: the current tag, alone
    if opaque not in value:  # no member can be the current tag
        return value.strip(OWS_CHARS) == "*"
    parts = split_entity_tag_list(value)
    if parts is None:  # invalid, or *
        return value.strip(OWS_CHARS) == "*"
    # parts alternates separator, opaque, ...: a member is weak when the
    # separator before it ends with "W/" (see split_entity_tag_list).
    for index in range(1, len(parts), 2):
        if parts[index] == opaque and not parts[index - 1].endswith("W/"):
            return True
    return False


def if_none_match_passes(value: str, resource: Resource, limit: int = MAX_FIELD_LENGTH) -> bool:
    """Truth of If-None-Match (COND-INM-4a, COND-INM-4b, COND-INM-4c): ``*``
    is false iff the resource exists; a list is false iff a member weakly
    matches the current ETag; anything else (invalid value, no ETag) is true.

    >>> if_none_match_passes('W/"v1"', Resource(etag=EntityTag("v1")))
    False
    >>> if_none_match_passes('v1', Resource(etag=EntityTag("v1")))  # invalid
    True
    """
    exists = resource.exists
    current = resource.etag if exists else None
    return if_none_match_holds(value, None if current is None else current.opaque, exists, limit)


def if_none_match_holds(
    value: str, opaque: str | None, exists: bool = True, limit: int = MAX_FIELD_LENGTH
) -> bool:
    """:func:`if_none_match_passes` given only what it needs: the opaque value
    of the current ETag (weak comparison ignores ``W/``), or None when there
    is none, and whether the resource exists. For callers that have a tag's
    text, not a :class:`Resource` (COND-INM-4a, COND-INM-4b, COND-INM-4c).

    >>> if_none_match_holds('"a", W/"v1"', "v1"), if_none_match_holds("*", None)
    (False, False)
    """
    if len(value) > limit:
        return True
    if opaque is None or not exists:  # no list can match: only * is false
        return not (exists and value.strip(OWS_CHARS) == "*")
    if value[1:-1] == opaque and len(value) > 1 and value[0] == '"' and value[-1] == '"':
        return False  # the commonest If-None-Match: the current tag, alone
    if '"' + opaque + '"' not in value:  # no member can be the current tag
        return value.strip(OWS_CHARS) != "*"
    parts = split_entity_tag_list(value)
    if parts is None:  # invalid, or *
        return value.strip(OWS_CHARS) != "*"
    return opaque not in parts[1::2]


def if_unmodified_since_passes(
    value: str, resource: Resource, limit: int = MAX_FIELD_LENGTH
) -> bool | None:
    """Truth of If-Unmodified-Since (COND-IUS-3, COND-IUS-4, COND-IUS-6), or None when the field
    must be ignored (invalid date, list of dates, no Last-Modified).

    >>> if_unmodified_since_passes("Fri, 03 Nov 2023 08:26:40 GMT",
    ...                            Resource(last_modified=1699000000))
    True
    >>> if_unmodified_since_passes("yesterday", Resource(last_modified=1699000000)) is None
    True
    """
    known = _last_modified_and_date(value, resource, limit)
    return None if known is None else known[0] <= known[1]


def if_modified_since_passes(
    value: str, resource: Resource, limit: int = MAX_FIELD_LENGTH
) -> bool | None:
    """Truth of If-Modified-Since (COND-IMS-3, COND-IMS-4, COND-IMS-6), or None when it must be
    ignored. The caller ignores it for methods other than GET and HEAD.

    >>> if_modified_since_passes("Fri, 03 Nov 2023 08:26:40 GMT",
    ...                          Resource(last_modified=1699000000))
    False
    """
    known = _last_modified_and_date(value, resource, limit)
    return None if known is None else known[0] > known[1]


def _last_modified_and_date(value: str, resource: Resource, limit: int) -> tuple[int, int] | None:
    """(Last-Modified, the field's date), or None when the field is to be
    ignored: no Last-Modified (or no resource), or not a valid HTTP-date."""
    last_modified = resource.last_modified if resource.exists else None
    if last_modified is None:
        return None
    date = _parse_date(value, limit)
    return None if date is None else (last_modified, date)


def if_range_passes(value: str, resource: Resource, limit: int = MAX_FIELD_LENGTH) -> bool:
    """Truth of If-Range (COND-IR-2, COND-IR-7a, COND-IR-7b, COND-IR-8;
    AMB-IR-1 and AMB-IR-2).

    An entity tag (DQUOTE as 1st or 3rd character) is true only if it
    strongly matches the current ETag; a date only if Last-Modified is
    strong and the same instant; anything invalid is false.

    >>> if_range_passes('"v1"', Resource(etag=EntityTag("v1")))
    True
    >>> if_range_passes('W/"v1"', Resource(etag=EntityTag("v1")))
    False
    """
    if len(value) > limit:
        return False
    text = value.strip(OWS_CHARS)
    if text[:1] == '"' or text[2:3] == '"':
        try:
            tag = parse_entity_tag(text)
        except InvalidEntityTag:
            return False
        current = resource.etag if resource.exists else None
        return current is not None and tag.strong_match(current)
    date = _parse_date(text, limit)
    if date is None or not resource.exists:
        return False
    if resource.last_modified is None or not resource.last_modified_is_strong:
        return False
    return date == resource.last_modified


def _parse_date(value: str, limit: int = MAX_FIELD_LENGTH) -> int | None:
    if len(value) > limit:
        return None
    try:
        return http_date_to_timestamp(value)
    except InvalidHTTPDate:
        return None


# --- the order (RFC 9110 §13.2.2) ----------------------------------------------

# Every decision evaluate() can return, made once (they are immutable). The
# WSGI layer's shortcuts (etagspec.environ) return the same objects.
#: CONNECT, OPTIONS and TRACE: preconditions do not apply (COND-EVAL-4).
NON_SELECTING: Final = Decision(Outcome.PROCEED, "COND-EVAL-4")
_IF_MATCH_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-1")
_IF_UNMODIFIED_SINCE_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-2")
#: A GET or HEAD whose If-None-Match is false: 304 (COND-PREC-3).
IF_NONE_MATCH_NOT_MODIFIED: Final = Decision(Outcome.NOT_MODIFIED, "COND-PREC-3")
_IF_NONE_MATCH_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-3")
_IF_MODIFIED_SINCE_NOT_MODIFIED: Final = Decision(Outcome.NOT_MODIFIED, "COND-PREC-4")
#: Perform the method (COND-PREC-6).
PROCEED: Final = Decision(Outcome.PROCEED, "COND-PREC-6")
_PROCEED_IGNORING_RANGE: Final = Decision(Outcome.PROCEED, "COND-PREC-5")
_PROCEED_WITH_RANGE: Final = Decision(Outcome.PROCEED, "COND-PREC-6", process_range=True)


def evaluate(
    method: str, conditions: Conditions, resource: Resource, limit: int = MAX_FIELD_LENGTH
) -> Decision:
    """Evaluate the preconditions of a request in RFC 9110 §13.2.2 order
    (COND-PREC-0). Invalid field values never raise: each is classed as its
    field's section says (COND-GEN-5).

    Call it when the response *without* preconditions would be 2xx (or
    412): a request that would fail anyway (404, 405, 3xx, ...) ignores its
    preconditions (COND-EVAL-2), and that is the caller's decision to make.
    ``method`` is case-sensitive (``get`` is not GET). A field longer than
    ``limit`` characters is classed as invalid (the reference's own cap,
    :data:`etagspec.limits.MAX_FIELD_LENGTH`); pass
    :data:`etagspec.limits.NO_FIELD_LIMIT` to judge by RFC 9110 alone, which
    sets no length limit.

    >>> from etagspec.etags import EntityTag
    >>> res = Resource(etag=EntityTag("v1"), last_modified=1699000000)
    >>> evaluate("GET", Conditions(if_match='"zz"', if_none_match='"v1"'), res).status
    412
    >>> evaluate("OPTIONS", Conditions(if_match='"zz"'), res).status is None
    True
    >>> evaluate("GET", Conditions(if_none_match='"zz"',
    ...     if_modified_since="Fri, 03 Nov 2023 08:26:40 GMT"), res).status is None
    True
    """
    if method in NON_SELECTING_METHODS:
        return NON_SELECTING
    if not conditions.any_present and conditions.range is None:
        return PROCEED
    retrieval = method in SAFE_RETRIEVAL_METHODS

    # Step 1: If-Match (COND-PREC-1).
    if conditions.if_match is not None:
        if not if_match_passes(conditions.if_match, resource, limit):
            return _IF_MATCH_FAILED
    # Step 2: If-Unmodified-Since, only when If-Match is absent (COND-PREC-2;
    # COND-IUS-2: any If-Match, even an invalid one, makes it irrelevant).
    elif conditions.if_unmodified_since is not None:
        if if_unmodified_since_passes(conditions.if_unmodified_since, resource, limit) is False:
            return _IF_UNMODIFIED_SINCE_FAILED

    # Step 3: If-None-Match (COND-PREC-3).
    if conditions.if_none_match is not None:
        if not if_none_match_passes(conditions.if_none_match, resource, limit):
            if retrieval:
                return IF_NONE_MATCH_NOT_MODIFIED
            return _IF_NONE_MATCH_FAILED
    # Step 4: If-Modified-Since (COND-PREC-4), GET/HEAD only (COND-IMS-3), when
    # If-None-Match is absent (COND-IMS-2: any If-None-Match makes it irrelevant).
    elif retrieval and conditions.if_modified_since is not None:
        if if_modified_since_passes(conditions.if_modified_since, resource, limit) is False:
            # COND-IMS-7b: not modified since (a date in the future too, AMB-DATE-6).
            return _IF_MODIFIED_SINCE_NOT_MODIFIED

    # Step 5: If-Range decides whether Range is processed (COND-PREC-5): GET
    # only (RNG-3), and only with Range (COND-IR-3b) on a resource that
    # supports ranges (COND-IR-3c).
    if method != "GET" or conditions.range is None or not resource.supports_range:
        return PROCEED
    if conditions.if_range is not None and not if_range_passes(
        conditions.if_range, resource, limit
    ):
        return _PROCEED_IGNORING_RANGE  # a false If-Range: any Range ignored (COND-IR-9a)
    # Step 6: perform the method, with Range (COND-PREC-6).
    return _PROCEED_WITH_RANGE
