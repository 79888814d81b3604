"""RFC 9110 §13.2.2: which precondition decides, and what the answer is.

:func:`evaluate` is the one ordered function that both the reference WSGI
layer and the conformance harness's oracle use. It takes the request method,
the raw precondition fields (:class:`Conditions`) and what the origin knows
about the selected representation (:class:`Resource`), and returns a
:class:`Decision`: proceed (and whether Range is to be processed), 304, or
412. It never raises on malformed fields: each is treated exactly as RFC 9110
says for an invalid value (SPEC.md §5.2).

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from .dates import http_date_to_timestamp, posix_seconds
from .errors import InvalidEntityTag, InvalidHTTPDate
from .etags import ANY, EntityTag, EntityTagList, parse_entity_tag, parse_entity_tag_list
from .limits import MAX_FIELD_LENGTH

__all__ = [
    "Conditions",
    "Decision",
    "Outcome",
    "Resource",
    "evaluate",
    "evaluate_environ",
    "has_preconditions",
    "if_match_passes",
    "if_modified_since_passes",
    "if_none_match_passes",
    "if_range_passes",
    "if_unmodified_since_passes",
    "known_resource",
]

#: Methods that neither select nor modify a representation (COND-EVAL-4).
NON_SELECTING_METHODS: Final = frozenset({"CONNECT", "OPTIONS", "TRACE"})
#: Methods for which a false If-None-Match / If-Modified-Since means 304.
SAFE_RETRIEVAL_METHODS: Final = frozenset({"GET", "HEAD"})

_OWS: Final = " \t"


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

    ``rule`` is the SPEC.md requirement ID of the step that decided, so a
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
    (SPEC AMB-LIST-1).
    """

    if_match: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    if_unmodified_since: str | None = None
    if_range: str | None = None
    range: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, object]) -> Conditions:
        """Read the fields from a WSGI environ (``HTTP_IF_MATCH`` and so on).

        >>> Conditions.from_environ({"HTTP_IF_NONE_MATCH": '"a"'}).if_none_match
        '"a"'
        """
        get = environ.get
        if cls is not Conditions:
            return cls(*[_text(get(key)) for key, _ in _ENVIRON_FIELDS])
        conditions = _new(Conditions)
        for key, set_field in _ENVIRON_FIELD_SETTERS:
            value = get(key)
            set_field(conditions, value if isinstance(value, str) else None)
        return conditions

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


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# Building the frozen records of the hot path without the dataclass
# __init__ (which sets each field through object.__setattr__): the slots'
# own setters, for values already known to be of the right type.
_new = object.__new__


def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    setter: Callable[[object, object], None] = vars(cls)[name].__set__
    return setter


#: The environ key of each field of Conditions, in field order.
_ENVIRON_FIELDS: Final = (
    ("HTTP_IF_MATCH", "if_match"),
    ("HTTP_IF_NONE_MATCH", "if_none_match"),
    ("HTTP_IF_MODIFIED_SINCE", "if_modified_since"),
    ("HTTP_IF_UNMODIFIED_SINCE", "if_unmodified_since"),
    ("HTTP_IF_RANGE", "if_range"),
    ("HTTP_RANGE", "range"),
)
_ENVIRON_FIELD_SETTERS: Final = tuple(
    (key, _setter(Conditions, field)) for key, field in _ENVIRON_FIELDS
)
_RESOURCE_SETTERS: Final = tuple(
    _setter(Resource, name)
    for name in ("exists", "etag", "last_modified", "last_modified_is_strong", "supports_range")
)


def known_resource(
    etag: EntityTag | None,
    last_modified: int | None,
    last_modified_is_strong: bool = False,
    supports_range: bool = False,
) -> Resource:
    """``Resource(True, etag, last_modified, ...)`` for a ``last_modified``
    that is already whole seconds (an int) or None, built without the
    dataclass machinery (the WSGI layer builds one per request).

    >>> known_resource(None, 5) == Resource(last_modified=5)
    True
    """
    if last_modified.__class__ is not int and last_modified is not None:
        return Resource(True, etag, last_modified, last_modified_is_strong, supports_range)
    resource = _new(Resource)
    set_exists, set_etag, set_last_modified, set_strong, set_ranges = _RESOURCE_SETTERS
    set_exists(resource, True)
    set_etag(resource, etag)
    set_last_modified(resource, last_modified)
    set_strong(resource, last_modified_is_strong)
    set_ranges(resource, supports_range)
    return resource


# --- per-field truth (SPEC.md §5.2, first table) -----------------------------


def if_match_passes(value: str, resource: Resource) -> bool:
    """Truth of If-Match (COND-IM-4a/b/c): ``*`` is true iff the resource
    exists; a list is true iff a member strongly matches the current ETag;
    anything else (invalid, empty list, no ETag) is false.

    >>> if_match_passes('"v1", "v2"', Resource(etag=EntityTag("v2")))
    True
    >>> if_match_passes('W/"v2"', Resource(etag=EntityTag("v2")))
    False
    """
    parsed = _parse_tags(value)
    if parsed is None:
        return False
    if parsed is ANY:
        return resource.exists
    current = resource.etag if resource.exists else None
    if current is None or current.weak:
        return False
    opaque = current.opaque
    for tag in parsed:  # noqa: SIM110 - tag.strong_match(current), without a generator
        if tag.opaque == opaque and not tag.weak:
            return True
    return False


def if_none_match_passes(value: str, resource: Resource) -> bool:
    """Truth of If-None-Match (COND-INM-4a/b/c): ``*`` is false iff the
    resource exists; a list is false iff a member weakly matches the current
    ETag; anything else (invalid value, no ETag) is true.

    >>> if_none_match_passes('W/"v1"', Resource(etag=EntityTag("v1")))
    False
    >>> if_none_match_passes('v1', Resource(etag=EntityTag("v1")))  # invalid
    True
    """
    parsed = _parse_tags(value)
    if parsed is None:
        return True
    if parsed is ANY:
        return not resource.exists
    current = resource.etag if resource.exists else None
    if current is None:
        return True
    opaque = current.opaque
    for tag in parsed:  # noqa: SIM110 - tag.weak_match(current), without a generator
        if tag.opaque == opaque:
            return False
    return True


def if_unmodified_since_passes(value: str, resource: Resource) -> bool | None:
    """Truth of If-Unmodified-Since (COND-IUS-3/4/6), or None when the field
    must be ignored (invalid date, list of dates, no Last-Modified).

    >>> if_unmodified_since_passes("Fri, 03 Nov 2023 08:26:40 GMT",
    ...                            Resource(last_modified=1699000000))
    True
    >>> if_unmodified_since_passes("yesterday", Resource(last_modified=1699000000)) is None
    True
    """
    known = _last_modified_and_date(value, resource)
    return None if known is None else known[0] <= known[1]


def if_modified_since_passes(value: str, resource: Resource) -> bool | None:
    """Truth of If-Modified-Since (COND-IMS-3/4/6), or None when it must be
    ignored. The caller ignores it for methods other than GET and HEAD.

    >>> if_modified_since_passes("Fri, 03 Nov 2023 08:26:40 GMT",
    ...                          Resource(last_modified=1699000000))
    False
    """
    known = _last_modified_and_date(value, resource)
    return None if known is None else known[0] > known[1]


def _last_modified_and_date(value: str, resource: Resource) -> tuple[int, int] | None:
    """(Last-Modified, the field's date), or None when the field is to be
    ignored: no Last-Modified (or no resource), or not a valid HTTP-date."""
    last_modified = resource.last_modified if resource.exists else None
    if last_modified is None:
        return None
    date = _parse_date(value)
    return None if date is None else (last_modified, date)


def if_range_passes(value: str, resource: Resource) -> bool:
    """Truth of If-Range (COND-IR-2, -7a, -7b, -8; AMB-IR-1 and AMB-IR-2).

    An entity tag (DQUOTE as 1st or 3rd character) is true only if it
    strongly matches the current ETag; a date only if Last-Modified is
    strong and the same instant; anything invalid is false.

    >>> if_range_passes('"v1"', Resource(etag=EntityTag("v1")))
    True
    >>> if_range_passes('W/"v1"', Resource(etag=EntityTag("v1")))
    False
    """
    if len(value) > MAX_FIELD_LENGTH:
        return False
    text = value.strip(_OWS)
    if text[:1] == '"' or text[2:3] == '"':
        try:
            tag = parse_entity_tag(text)
        except InvalidEntityTag:
            return False
        current = resource.etag if resource.exists else None
        return current is not None and tag.strong_match(current)
    date = _parse_date(text)
    if date is None or not resource.exists:
        return False
    if resource.last_modified is None or not resource.last_modified_is_strong:
        return False
    return date == resource.last_modified


def _parse_tags(value: str) -> EntityTagList | None:
    """ANY, a tuple of tags, or None for an invalid or over-long value."""
    if len(value) > MAX_FIELD_LENGTH:
        return None
    try:
        return parse_entity_tag_list(value)
    except InvalidEntityTag:
        return None


def _parse_date(value: str) -> int | None:
    if len(value) > MAX_FIELD_LENGTH:
        return None
    try:
        return http_date_to_timestamp(value)
    except InvalidHTTPDate:
        return None


# --- the order (SPEC.md §3.5, §5.4) ---------------------------------------------

# Every decision evaluate() can return, made once (they are immutable).
_NON_SELECTING: Final = Decision(Outcome.PROCEED, "COND-EVAL-4")
_IF_MATCH_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-1")
_IF_UNMODIFIED_SINCE_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-2")
_IF_NONE_MATCH_NOT_MODIFIED: Final = Decision(Outcome.NOT_MODIFIED, "COND-PREC-3")
_IF_NONE_MATCH_FAILED: Final = Decision(Outcome.PRECONDITION_FAILED, "COND-PREC-3")
_IF_MODIFIED_SINCE_NOT_MODIFIED: Final = Decision(Outcome.NOT_MODIFIED, "COND-PREC-4")
_PROCEED: Final = Decision(Outcome.PROCEED, "COND-PREC-6")
_PROCEED_IGNORING_RANGE: Final = Decision(Outcome.PROCEED, "COND-PREC-5")
_PROCEED_WITH_RANGE: Final = Decision(Outcome.PROCEED, "COND-PREC-6", process_range=True)


def evaluate(method: str, conditions: Conditions, resource: Resource) -> Decision:
    """Evaluate the preconditions of a request in RFC 9110 §13.2.2 order.

    Call it when the response *without* preconditions would be 2xx (or
    412): a request that would fail anyway (404, 405, 3xx, ...) ignores its
    preconditions (COND-EVAL-2), and that is the caller's decision to make.
    ``method`` is case-sensitive (``get`` is not GET).

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
        return _NON_SELECTING
    if not conditions.any_present and conditions.range is None:
        return _PROCEED
    retrieval = method in SAFE_RETRIEVAL_METHODS

    # Step 1: If-Match (COND-PREC-1).
    if conditions.if_match is not None:
        if not if_match_passes(conditions.if_match, resource):
            return _IF_MATCH_FAILED
    # Step 2: If-Unmodified-Since, only when If-Match is absent (COND-PREC-2).
    elif conditions.if_unmodified_since is not None:
        if if_unmodified_since_passes(conditions.if_unmodified_since, resource) is False:
            return _IF_UNMODIFIED_SINCE_FAILED

    # Step 3: If-None-Match (COND-PREC-3).
    if conditions.if_none_match is not None:
        if not if_none_match_passes(conditions.if_none_match, resource):
            if retrieval:
                return _IF_NONE_MATCH_NOT_MODIFIED
            return _IF_NONE_MATCH_FAILED
    # Step 4: If-Modified-Since, GET/HEAD only, when If-None-Match is absent.
    elif retrieval and conditions.if_modified_since is not None:
        if if_modified_since_passes(conditions.if_modified_since, resource) is False:
            return _IF_MODIFIED_SINCE_NOT_MODIFIED

    # Step 5: If-Range decides whether Range is processed (GET only, RNG-3).
    if method != "GET" or conditions.range is None or not resource.supports_range:
        return _PROCEED
    if conditions.if_range is not None and not if_range_passes(conditions.if_range, resource):
        return _PROCEED_IGNORING_RANGE
    # Step 6: perform the method, with Range.
    return _PROCEED_WITH_RANGE


# --- the same decision, read straight from a WSGI environ -------------------------

#: The environ keys of the precondition fields (Range excluded), the
#: commonest first.
_CONDITION_KEYS: Final = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


def has_preconditions(environ: Mapping[str, object]) -> bool:
    """``Conditions.from_environ(environ).any_present``, without building
    the Conditions.

    >>> has_preconditions({"HTTP_IF_NONE_MATCH": '"a"'})
    True
    >>> has_preconditions({"HTTP_RANGE": "bytes=0-1", "HTTP_IF_MATCH": None})
    False
    """
    get = environ.get
    for key in _CONDITION_KEYS:  # noqa: SIM110 - any(...), without a generator
        if isinstance(get(key), str):
            return True
    return False


def evaluate_environ(method: str, environ: Mapping[str, object], resource: Resource) -> Decision:
    """``evaluate(method, Conditions.from_environ(environ), resource)``, with
    two shortcuts that give the same Decision without building Conditions:

    * no precondition field and no Range: nothing to evaluate (COND-PREC-6,
      or COND-EVAL-4 for CONNECT, OPTIONS and TRACE);
    * a GET or HEAD whose only precondition that can decide is
      If-None-Match (no If-Match, no If-Unmodified-Since, no Range to
      process): step 3 decides alone. If-Modified-Since is then ignored
      (step 4 runs only without If-None-Match) and so is If-Range (step 5
      needs a Range the resource supports).

    Anything else (including environ values that are not exactly ``str``
    or None) goes to :func:`evaluate`.

    >>> from etagspec.etags import EntityTag
    >>> current = Resource(etag=EntityTag("v1"))
    >>> evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, current).status
    304
    >>> evaluate_environ("PUT", {"HTTP_IF_MATCH": '"v0"'}, current).status
    412
    """
    get = environ.get
    if_none_match = get("HTTP_IF_NONE_MATCH")
    if if_none_match is None:
        if (
            get("HTTP_IF_MODIFIED_SINCE") is None
            and get("HTTP_IF_MATCH") is None
            and get("HTTP_IF_UNMODIFIED_SINCE") is None
            and get("HTTP_IF_RANGE") is None
            and get("HTTP_RANGE") is None
        ):
            return _NON_SELECTING if method in NON_SELECTING_METHODS else _PROCEED
    elif (
        type(if_none_match) is str
        and (method == "GET" or method == "HEAD")
        and get("HTTP_IF_MATCH") is None
        and get("HTTP_IF_UNMODIFIED_SINCE") is None
        and (get("HTTP_RANGE") is None or not resource.supports_range)
    ):
        if if_none_match_passes(if_none_match, resource):
            return _PROCEED
        return _IF_NONE_MATCH_NOT_MODIFIED
    return evaluate(method, Conditions.from_environ(environ), resource)
