"""Other ways to read a request: the lenient readings the catalogue permits
and the deviant readings that explain a failure.

The oracle (:mod:`etagspec.conformance.oracle`) says what RFC 9110 allows.
When a target answers something else, this module asks *why*: it rewrites
the request as another recipient would read it (case-blind dates, unquoted
entity-tags, ``*`` taken for a tag, If-Match ignored, ...), evaluates the
rewritten request with the same :func:`etagspec.preconditions.evaluate`,
and the first reading that predicts the observed status names the cause.

Each reading carries a verdict (:data:`VERDICTS`), the one the table of
docs/SPEC.md §6.3 and §6.5 gives its catalogue ID: ``pass`` (a reading the
RFC leaves open: conformant), ``lenient`` (a recovery RFC 9110 §2.2 and
§5.5 allow that yields the value's evident meaning), ``should`` (a SHOULD
not met) or ``fail``. The principle behind the table (§6.5): a recovery
(trimming whitespace or control characters around a tag, a case-blind
date, a ``UTC``, ``+0000`` or ``-0000`` zone, ...) is lenient in
If-None-Match, If-Modified-Since and If-Range; in If-Match and
If-Unmodified-Since one that lets the precondition pass where the strict
reading fails is a failure (LEN-9), one that can only make it fail is
lenient. So date leniency in If-Unmodified-Since stays lenient: accepting
a date can only turn "ignore the field" into 412, never into "go ahead".
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from .._abnf import DAY_NAMES, LONG_DAY_NAMES, MONTH_NAMES
from ..dates import format_http_date, http_date_to_timestamp
from ..errors import InvalidEntityTag, InvalidHTTPDate
from ..etags import EntityTag, parse_entity_tag, parse_entity_tag_list
from ..limits import NO_FIELD_LIMIT
from ..preconditions import Conditions, Outcome, Resource, evaluate
from ..ranges import InvalidRange, parse_range, resolve_ranges

__all__ = [
    "DATE_PARSES",
    "FAIL",
    "LENIENT",
    "PASS",
    "SHOULD",
    "VERDICTS",
    "Case",
    "Reading",
    "ReadingFunction",
    "ReadingOutcome",
    "deviant_reading",
    "deviant_signatures",
    "lenient_date",
    "lenient_reading",
    "permitted_reading",
    "reading_functions",
    "split_members",
    "tolerant_tags",
    "valid_list",
]

#: The verdicts a reading can get, best first (docs/SPEC.md §6.3, §6.5).
PASS: Final = "pass"
LENIENT: Final = "lenient"
SHOULD: Final = "should"
FAIL: Final = "fail"
VERDICTS: Final = (PASS, LENIENT, SHOULD, FAIL)


@dataclass(frozen=True, slots=True)
class Reading:
    """A reading of a request that predicts the status a target gave.

    ``id`` is the catalogue ID that names it ("" for a plain deviation),
    ``signature`` says in request-independent words what the target did,
    ``verdict`` what the catalogue says of it (one of :data:`VERDICTS`).
    """

    id: str
    signature: str
    verdict: str = FAIL

    @property
    def lenient(self) -> bool:
        """Whether the catalogue lists the reading as ``lenient``."""
        return self.verdict == LENIENT


@dataclass(frozen=True, slots=True)
class Case:
    """One request as the oracle sees it: the method, its precondition
    fields, the resource as the harness learned it, the status without
    preconditions, the representation's length and the server's clock."""

    method: str
    conditions: Conditions
    resource: Resource
    baseline: int
    length: int | None = None
    now: int | None = None

    def statuses(self) -> frozenset[int]:
        """Every status RFC 9110 allows for this case (tolerated included),
        under either strength of Last-Modified."""
        return _allowed(self)

    @property
    def unsatisfiable(self) -> bool:
        """Whether the request's valid Range selects nothing of the representation."""
        specs = _valid_range(self.conditions.range)
        return specs is not None and self.length is not None and not _resolves(specs, self.length)

    def with_fields(self, **fields: str | None) -> Case:
        return replace(self, conditions=replace(self.conditions, **fields))


# Pure functions of hashable values (a frozen case, a field's text), asked
# of the same few hundred values thousands of times in a run (by the judges
# and the diagnosis): cached. Each returns an immutable value.
_cached = functools.lru_cache(maxsize=1 << 12)


@_cached
def _allowed(case: Case) -> frozenset[int]:
    """:meth:`Case.statuses` (evaluate() reads nothing but its arguments)."""
    found: set[int] = set()
    for strong in (False, True):
        resource = replace(case.resource, last_modified_is_strong=strong)
        decision = evaluate(case.method, case.conditions, resource, NO_FIELD_LIMIT)
        if decision.outcome is Outcome.PRECONDITION_FAILED:
            found.add(412)
        elif decision.outcome is Outcome.NOT_MODIFIED:
            found.update((304, case.baseline) if decision.rule == "COND-PREC-4" else (304,))
        elif decision.process_range:
            found.update((case.baseline, 416 if case.unsatisfiable else 206))
        else:
            found.add(case.baseline)
    return frozenset(found)


def _valid_range(value: str | None) -> list[tuple[int | None, int | None]] | None:
    if value is None:
        return None
    try:
        return parse_range(value)
    except InvalidRange:
        return None


def _resolves(specs: list[tuple[int | None, int | None]], length: int) -> bool:
    try:
        return bool(resolve_ranges(specs, length))
    except InvalidRange:
        return False


# --- tolerant entity-tag lists --------------------------------------------------------

_OWS = " \t"
_UNQUOTED: Final = re.compile(r"[!#-+\--~\x80-\xff]+")  # visible, no DQUOTE or comma
_ETAGC_OUTSIDE: Final = re.compile(r'[ \t"]')

#: What a tolerant tag-list reader may do, and how to say it.
TAG_LENIENCIES: Final = {
    "unquoted": ("LEN-3", "unquoted entity-tag accepted in {field}"),
    "w/": ("LEN-6", "lowercase w/ read as a weak prefix in {field}"),
    "W/ ": ("LEN-7", "a space after W/ accepted in {field}"),
    "2616": ("LEN-3", "RFC 2616 quoted-string entity-tag accepted in {field}"),
    "salvage": ("AMB-ETAG-1", "the valid members of an invalid {field} list used"),
    "unescape": ("AMB-ETAG-2", "backslash escapes undone inside {field} entity-tags"),
}


@_cached
def _split_members(value: str) -> tuple[str, ...]:
    """The members of a list, split on commas outside double quotes (a
    backslash inside quotes escapes the next character, as in RFC 2616)."""
    # Only quotes, backslashes and commas change the state: visit those alone
    # (a Python loop over every character made a 17,000-character tag slow).
    members, start, quoted, skipped = [], 0, False, -1
    for match in _LIST_SPECIALS.finditer(value):
        at, char = match.start(), match.group()
        if at == skipped:
            continue
        if quoted and char == "\\":
            skipped = at + 1
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            members.append(value[start:at])
            start = at + 1
    return (*members, value[start:])


_LIST_SPECIALS: Final = re.compile(r'[",\\]')


@_cached
def tolerant_tags(value: str, allow: frozenset[str]) -> tuple[str, frozenset[str]] | None:
    """``value`` rewritten as the strict entity-tag list a tolerant reader
    makes of it, and what it had to tolerate; None when the strict reading
    already parses it, or when ``allow`` does not cover what it holds.

    Tags that can never equal a tag issued under RFC 9110 (an RFC 2616
    quoted-string with a space or an escaped quote) are left out: compared
    raw, they never match.

    >>> tolerant_tags('abc, W/"x"', frozenset({"unquoted"}))
    ('"abc", W/"x"', frozenset({'unquoted'}))
    >>> tolerant_tags('w/"x"', frozenset({"unquoted"})) is None
    True
    >>> tolerant_tags('"a", junk"', frozenset({"salvage"}))
    ('"a"', frozenset({'salvage'}))
    >>> tolerant_tags('"a"b", "v1"', frozenset({"salvage"}))
    ('"v1"', frozenset({'salvage'}))
    """
    if value.strip(_OWS) == "*":
        return None
    try:
        parse_entity_tag_list(value)
        if "unescape" not in allow or "\\" not in value:
            return None
    except InvalidEntityTag:
        pass
    kept: list[str] = []
    used: set[str] = set()
    members = list(_split_members(value))
    if "salvage" in allow and any(member.count('"') % 2 for member in members):
        # A DQUOTE without its partner ('"a"b", "v1"') would swallow the
        # members after it: a salvaging reader splits at every comma instead.
        members = value.split(",")
    for raw in members:
        member = raw.strip(_OWS)
        if not member:
            continue
        tag = _tolerant_member(member, allow, used)
        if tag is None:
            if "salvage" not in allow:
                return None
            used.add("salvage")
        elif tag:
            kept.append(tag)
    if not used:
        return None
    return ", ".join(kept), frozenset(used)


def _tolerant_member(member: str, allow: frozenset[str], used: set[str]) -> str | None:
    """The strict form of one member, "" for a member that can never match,
    or None when ``allow`` does not cover it."""
    if _strict_tag(member) and not ("\\" in member and "unescape" in allow):
        return member
    prefix, rest = "", member
    if rest[:2] in ("W/", "w/"):
        if rest[:2] == "w/":
            if "w/" not in allow:
                return None
            used.add("w/")
        prefix, rest = "W/", rest[2:]
        if rest[:1] in (" ", "\t"):
            if "W/ " not in allow:
                return None
            used.add("W/ ")
            rest = rest.lstrip(_OWS)
    if len(rest) >= 2 and rest[0] == '"' and rest[-1] == '"':
        inner = rest[1:-1]
        if "\\" in inner and "unescape" in allow:
            plain = re.sub(r"\\(.)", r"\1", inner)
            if _strict_tag(f'{prefix}"{plain}"'):
                used.add("unescape")
                return f'{prefix}"{plain}"'
        if _strict_tag(f'{prefix}"{inner}"'):
            return f'{prefix}"{inner}"'
        if "2616" in allow and _ETAGC_OUTSIDE.search(inner) and "\x00" not in inner:
            used.add("2616")
            return ""
        return None
    if '"' not in rest and _UNQUOTED.fullmatch(rest) and "unquoted" in allow:
        used.add("unquoted")
        return f'{prefix}"{rest}"'
    return None


@_cached
def _strict_tag(text: str) -> bool:
    try:
        parse_entity_tag(text)
    except InvalidEntityTag:
        return False
    return True


# --- lenient dates ----------------------------------------------------------------------

_CANONICAL: Final = {
    name.lower(): name for name in (*DAY_NAMES, *LONG_DAY_NAMES, *MONTH_NAMES, "GMT")
}
_WORD: Final = re.compile(r"[A-Za-z]+")
#: Rewrites toward the strict grammar, each tolerating one thing.
_DATE_REPAIRS: Final = (
    ("spacing", re.compile(r"[ \t]{2,}|\t"), " "),
    ("no-seconds", re.compile(r"(?<=[ ])(\d\d:\d\d)(?= (?:GMT|UTC?|Z|[+-]0000)$)"), r"\1:00"),
    # UT, and Z (a military zone RFC 5322 §4.3 takes as -0000), are UTC too.
    ("zone", re.compile(r" (?:UTC?|Z|\+0000)$"), " GMT"),
    # RFC 5322 §3.3: -0000 is Universal Time too (the sender's zone unknown).
    ("minus-zero", re.compile(r" -0000$"), " GMT"),
    ("one-digit-day", re.compile(r"(?<=, )(\d)(?=[ -])"), r"0\1"),
    ("one-digit-day", re.compile(r"^([A-Z][a-z]{2} [A-Z][a-z]{2}) (\d) "), r"\1  \2 "),
    ("other-form", re.compile(r"^([A-Z][a-z]{2}) (?=\d)"), r"\1, "),
    (
        "other-form",
        re.compile(r"^([A-Z][a-z]+), (\d\d)-([A-Z][a-z]{2})-(\d{4}) "),
        r"\1, \2 \3 \4 ",
    ),
    ("other-form", re.compile(r"^([A-Z][a-z]{2})[a-z]+, (?=\d\d [A-Z])"), r"\1, "),
    ("two-digit-year", re.compile(r"(?<=\d [A-Z][a-z]{2} )([0-6]\d)(?= \d)"), r"20\1"),
    ("two-digit-year", re.compile(r"(?<=\d [A-Z][a-z]{2} )([7-9]\d)(?= \d)"), r"19\1"),
)
#: What a lenient date reader may tolerate, and how to say it.
DATE_LENIENCIES: Final = {
    "case": ("AMB-DATE-2", "HTTP-date read case-insensitively"),
    "day-name": ("AMB-DATE-1", "HTTP-date with a wrong day-name accepted"),
    "zone": ("AMB-DATE-2", "HTTP-date with a UTC, UT, Z or +0000 zone accepted"),
    "minus-zero": ("LEN-8", "HTTP-date with a -0000 zone read as UTC"),
    "one-digit-day": ("AMB-DATE-2", "HTTP-date with a one-digit day accepted"),
    "spacing": ("AMB-DATE-2", "HTTP-date with extra spaces or tabs accepted"),
    "other-form": ("AMB-DATE-2", "HTTP-date in a mixed or comma-less form accepted"),
    "two-digit-year": ("AMB-DATE-2", "HTTP-date with a two-digit year in IMF form accepted"),
    "no-seconds": ("AMB-DATE-2", "HTTP-date without seconds accepted"),
    "leap-second": ("AMB-DATE-3", "leap second read as the next second"),
}


@_cached
def lenient_date(text: str) -> tuple[int, frozenset[str]] | None:
    """The instant a lenient reader takes ``text`` for, and what it had to
    tolerate (keys of :data:`DATE_LENIENCIES`); None when the strict reading
    already gives the same instant, or when no lenient reader would take it.

    >>> lenient_date("fri, 03 nov 2023 08:26:40 gmt")
    (1699000000, frozenset({'case'}))
    >>> lenient_date("Sat, 03 Nov 2023 08:26:40 GMT")
    (1699000000, frozenset({'day-name'}))
    >>> lenient_date("Fri, 3 Nov 2023 08:26 UTC")[1] == {"one-digit-day", "no-seconds", "zone"}
    True
    >>> lenient_date("Fri, 03 Nov 2023 08:26:40 GMT") is None
    True
    """
    strict = _strict_date(text)
    if strict is not None:
        if re.search(r"\d:60\b", text):
            return strict + 1, frozenset({"leap-second"})
        return None
    return _repaired_date(text, _DATE_REPAIRS)


def _repaired_date(
    text: str, repairs: tuple[tuple[str, re.Pattern[str], str], ...]
) -> tuple[int, frozenset[str]] | None:
    """Recase ``text``, then apply ``repairs`` one by one (and last, try the
    other day-names), until the strict reading takes it."""
    recased = _WORD.sub(lambda m: _CANONICAL.get(m.group().lower(), m.group()), text)
    repaired = recased.strip(_OWS)
    used = {"case"} if recased != text else set()
    steps: list[tuple[str, re.Pattern[str] | None, str]] = [("", None, ""), *repairs]
    for feature, pattern, replacement in steps:
        if pattern is not None:
            changed = pattern.sub(replacement, repaired)
            if changed == repaired:
                continue
            used.add(feature)
            repaired = changed
        strict = _strict_date(repaired)
        if strict is not None:
            return strict, frozenset(used)
        for named in _other_day_names(repaired):
            strict = _strict_date(named)
            if strict is not None:
                return strict, frozenset(used | {"day-name"})
    return None


#: Readings of a date that no lenient recipient should take (LEN-8: an
#: offset other than zero read as GMT names another instant; a year 0000
#: does not exist, AMB-DATE-5).
_DEVIANT_DATE_REPAIRS: Final = (
    *_DATE_REPAIRS,
    ("other-zone", re.compile(r" (?:[+-](?!0000)\d{4}|[ECMP][SD]T)$"), " GMT"),
    ("year-zero", re.compile(r"(?<= )0000(?= )"), "2000"),
)
DEVIANT_DATES: Final = {
    "other-zone": "HTTP-date with a zone offset other than zero read as GMT",
    "year-zero": "HTTP-date with the year 0000 read as 2000",
}


def _other_day_names(text: str) -> Iterator[str]:
    """``text`` with its leading day-name replaced by each other one of the
    same form (short or long)."""
    match = _WORD.match(text.lstrip(_OWS))
    if match is None:
        return
    word = match.group()
    names = DAY_NAMES if word in DAY_NAMES else LONG_DAY_NAMES if word in LONG_DAY_NAMES else ()
    rest = text.lstrip(_OWS)[len(word) :]
    for name in names:
        if name != word:
            yield name + rest


@_cached
def _strict_date(text: str) -> int | None:
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        return None


# --- the readings ---------------------------------------------------------------------

#: What a reading makes of a case (the case it reads instead, or the statuses
#: outright), its catalogue ID and its signature.
ReadingOutcome = tuple[Case | frozenset[int], str, str]
_ReadingFunction = Callable[[Case], ReadingOutcome | None]
#: The readings that do not fail (pass, lenient, should), in the order they
#: are tried, and the verdict of each; then the deviations (all ``fail``).
_LENIENT: list[_ReadingFunction] = []
_VERDICT_OF: dict[_ReadingFunction, str] = {}
_DEVIANT: list[_ReadingFunction] = []


_F = TypeVar("_F", bound=_ReadingFunction)


def _permitted(verdict: str) -> Callable[[_F], _F]:
    def register(function: _F) -> _F:
        _LENIENT.append(function)
        _VERDICT_OF[function] = verdict
        return function

    return register


_passing = _permitted(PASS)
_lenient = _permitted(LENIENT)
_should = _permitted(SHOULD)


def _deviant(function: _F) -> _F:
    _DEVIANT.append(function)
    return function


def _blank(value: str | None, characters: str) -> bool:
    return value is not None and value.strip(characters) == ""


@_lenient
def _empty_as_absent(case: Case) -> tuple[Case, str, str] | None:
    # An empty If-Match read as absent lets the request through where the
    # strict reading (an empty list: false) stops it: LEN-9, a deviation.
    c = case.conditions
    lists = {"if_none_match": c.if_none_match}
    others = {
        "if_modified_since": c.if_modified_since,
        "if_unmodified_since": c.if_unmodified_since,
        "if_range": c.if_range,
        "range": c.range,
    }
    blank = {k: None for k, v in lists.items() if _blank(v, " \t,")}
    blank.update({k: None for k, v in others.items() if _blank(v, " \t")})
    if not blank:
        return None
    # Named for the first field it reads so (the field its deviation is of).
    first = next(label for field, label in _EMPTY_FIELD_LABELS if field in blank)
    more = " (and the other empty fields)" if len(blank) > 1 else ""
    return case.with_fields(**blank), "AMB-LIST-1", f"an empty {first}{more} read as absent"


_EMPTY_FIELD_LABELS: Final = (
    ("if_none_match", "If-None-Match"),
    ("if_modified_since", "If-Modified-Since"),
    ("if_unmodified_since", "If-Unmodified-Since"),
    ("if_range", "If-Range"),
    ("range", "Range"),
)


def _tag_reading(
    case: Case, field: str, label: str, allow: frozenset[str], ids: str = ""
) -> tuple[Case, str, str] | None:
    value = getattr(case.conditions, field)
    if value is None:
        return None
    tolerant = tolerant_tags(value, allow)
    if tolerant is None:
        return None
    rewritten, used = tolerant
    found = [TAG_LENIENCIES[key] for key in TAG_LENIENCIES if key in used]
    reading_id = ids or ", ".join(dict.fromkeys(i for i, _ in found))
    signature = "; ".join(text.format(field=label) for _, text in found)
    return case.with_fields(**{field: rewritten}), reading_id, signature


_LEGACY = frozenset({"unquoted", "w/", "W/ ", "2616"})


@_lenient
def _legacy_if_none_match(case: Case) -> tuple[Case, str, str] | None:
    return _tag_reading(case, "if_none_match", "If-None-Match", _LEGACY)


@_lenient
def _salvaged_if_none_match(case: Case) -> tuple[Case, str, str] | None:
    return _tag_reading(case, "if_none_match", "If-None-Match", _LEGACY | {"salvage"})


#: What a recipient may trim around a tag: whitespace and the controls
#: (RFC 9110 §5.5 lets a recipient recover a value from around them).
_AROUND_A_TAG: Final = " \t" + "".join(map(chr, range(0x20))) + "\x7f"


def _trimmed(value: str) -> str | None:
    """The list with whitespace and controls trimmed around each member,
    None when that changes nothing."""
    members = [m.strip(_OWS) for m in _split_members(value)]
    trimmed = [m.strip(_AROUND_A_TAG) for m in members]
    return None if trimmed == members else ", ".join(trimmed)


def _trimmed_reading(field: str, label: str, reading_id: str) -> _ReadingFunction:
    def reading(case: Case) -> tuple[Case, str, str] | None:
        value = getattr(case.conditions, field)
        rewritten = None if value is None else _trimmed(value)
        if rewritten is None:
            return None
        signature = f"control characters around an {label} tag trimmed"
        return case.with_fields(**{field: rewritten}), reading_id, signature

    return reading


_lenient(_trimmed_reading("if_none_match", "If-None-Match", "LEN-5"))


def _date_reading(case: Case) -> tuple[Case, str, str] | None:
    rewritten: dict[str, str | None] = {}
    used: set[str] = set()
    for field in ("if_modified_since", "if_unmodified_since"):
        value = getattr(case.conditions, field)
        lenient = None if value is None else lenient_date(value)
        if lenient is not None and lenient[1] != {"leap-second"}:
            rewritten[field] = format_http_date(lenient[0])
            used |= lenient[1]
    if not rewritten:
        return None
    found = [DATE_LENIENCIES[key] for key in DATE_LENIENCIES if key in used]
    reading_id = ", ".join(dict.fromkeys(i for i, _ in found))
    return case.with_fields(**rewritten), reading_id, "; ".join(text for _, text in found)


_lenient(_date_reading)


@_passing
def _leap_second_as_the_next(case: Case) -> tuple[Case, str, str] | None:
    """AMB-DATE-3: ``:60`` read as the next second, the ``may`` reading."""
    rewritten: dict[str, str | None] = {}
    for field in ("if_modified_since", "if_unmodified_since", "if_range"):
        value = getattr(case.conditions, field)
        found = None if value is None else lenient_date(value)
        if found is not None and found[1] == {"leap-second"}:
            rewritten[field] = format_http_date(found[0])
    if not rewritten:
        return None
    return case.with_fields(**rewritten), "AMB-DATE-3", "leap second read as the next second"


@_should
def _future_if_modified_since(case: Case) -> tuple[Case, str, str] | None:
    value = case.conditions.if_modified_since
    date = None if value is None else _strict_date(value)
    now = case.now if case.now is not None else int(time.time())
    if date is None or date <= now:
        return None
    return (
        case.with_fields(if_modified_since=None),
        "AMB-DATE-6",
        "If-Modified-Since in the future ignored (RFC 2616)",
    )


@_lenient
def _invalid_if_range_as_absent(case: Case) -> tuple[Case, str, str] | None:
    value = case.conditions.if_range
    if value is None:
        return None
    text = value.strip(_OWS)
    if _strict_tag(text) or _strict_date(text) is not None:
        return None
    return case.with_fields(if_range=None), "AMB-IR-1", "an invalid If-Range read as absent"


@_passing
def _unsatisfiable_range_ignored(case: Case) -> tuple[frozenset[int], str, str] | None:
    if case.method != "GET" or not case.unsatisfiable:
        return None
    return (
        frozenset({case.baseline}),
        "AMB-RANGE-1",
        "an unsatisfiable Range ignored (200) rather than 416",
    )


@_lenient
def _range_on_head(case: Case) -> tuple[Case, str, str] | None:
    if case.method != "HEAD" or case.conditions.range is None:
        return None
    return replace(case, method="GET"), "AMB-RANGE-3", "Range honoured on HEAD"


@_passing
def _invalid_range_rejected(case: Case) -> tuple[frozenset[int], str, str] | None:
    if case.conditions.range is None or _valid_range(case.conditions.range) is not None:
        return None
    return frozenset({400, 416}), "AMB-RANGE-4", "an invalid Range rejected"


# Deviations: each names a root cause, none is permitted.

_EVERYTHING = frozenset(TAG_LENIENCIES)


@_deviant
def _deviant_dates(case: Case) -> tuple[Case, str, str] | None:
    rewritten: dict[str, str | None] = {}
    causes: list[str] = []
    for field in ("if_modified_since", "if_unmodified_since"):
        value = getattr(case.conditions, field)
        if value is None or _strict_date(value) is not None:
            continue
        found = _repaired_date(value, _DEVIANT_DATE_REPAIRS)
        if found is not None and found[1] & set(DEVIANT_DATES):
            rewritten[field] = format_http_date(found[0])
            causes += [DEVIANT_DATES[key] for key in DEVIANT_DATES if key in found[1]]
    if not rewritten:
        return None
    return case.with_fields(**rewritten), "", "; ".join(dict.fromkeys(causes))


def _invalid_date_as_false(field: str, label: str, status: int) -> _ReadingFunction:
    def reading(case: Case) -> tuple[frozenset[int], str, str] | None:
        value = getattr(case.conditions, field)
        if value is None or _strict_date(value) is not None or case.resource.last_modified is None:
            return None
        if field == "if_modified_since" and case.conditions.if_none_match is not None:
            return None
        if field == "if_unmodified_since" and case.conditions.if_match is not None:
            return None
        return frozenset({status}), "", f"an invalid {label} date answered {status}"

    return reading


_deviant(_invalid_date_as_false("if_unmodified_since", "If-Unmodified-Since", 412))
_deviant(_invalid_date_as_false("if_modified_since", "If-Modified-Since", 304))


def _list_oddity(field: str, label: str) -> _ReadingFunction:
    """Odd list readings: ``*`` inside a list read as ``*``; text after a
    closing quote ignored; whitespace other than SP/HTAB stripped; HTAB not
    taken for whitespace; one weak member failing a whole If-Match."""

    def reading(case: Case) -> tuple[Case | frozenset[int], str, str] | None:
        value = getattr(case.conditions, field)
        if value is None or value.strip(_OWS) == "*":
            return None
        members = [m.strip(_OWS) for m in _split_members(value)]
        if "*" in members:
            return case.with_fields(**{field: "*"}), "", f"* inside an {label} list read as *"
        trimmed = [re.sub(r'^((?:W/)?"[^"]*")\S+$', r"\1", m) for m in members]
        if trimmed != members:
            rewritten = ", ".join(trimmed)
            return case.with_fields(**{field: rewritten}), "", f"text after an {label} tag ignored"
        if "\t" in value:
            return (
                case.with_fields(**{field: value.replace("\t", "\x01")}),
                "",
                (f"HTAB around an {label} tag not taken for whitespace"),
            )
        if field == "if_match" and any(m.startswith("W/") for m in members):
            return frozenset({412}), "", "a weak member fails the whole If-Match list"
        return None

    return reading


_deviant(_list_oddity("if_match", "If-Match"))
_deviant(_list_oddity("if_none_match", "If-None-Match"))


@_deviant
def _tolerant_if_match(case: Case) -> tuple[Case, str, str] | None:
    found = _tag_reading(case, "if_match", "If-Match", _EVERYTHING - {"salvage"}, "LEN-9")
    return found or _tag_reading(case, "if_match", "If-Match", _EVERYTHING, "LEN-9")


_deviant(_trimmed_reading("if_match", "If-Match", "LEN-9"))


@_deviant
def _invalid_if_match_as_absent(case: Case) -> tuple[Case, str, str] | None:
    """An empty or invalid If-Match (strictly: false) read as absent, which
    lets the request through (LEN-9); the empty one is AMB-LIST-1's."""
    value = case.conditions.if_match
    if value is None or value.strip(_OWS) == "*":
        return None
    if value.strip(" \t,") and _valid_list(value):
        return None
    return (
        case.with_fields(if_match=None),
        "LEN-9",
        "an empty or invalid If-Match read as absent",
    )


@_deviant
def _invalid_if_match_and_empty_fields_as_absent(case: Case) -> tuple[Case, str, str] | None:
    """The same, with the other empty fields read as absent too (a reader
    that drops every empty field: AMB-LIST-1 for those, LEN-9 for If-Match)."""
    found = _invalid_if_match_as_absent(case)
    if found is None:
        return None
    blank = _empty_as_absent(found[0])
    return None if blank is None else (blank[0], found[1], found[2])


@_cached
def _valid_list(value: str) -> bool:
    try:
        parse_entity_tag_list(value)
    except InvalidEntityTag:
        return False
    return True


@_deviant
def _unescaped_if_none_match(case: Case) -> tuple[Case, str, str] | None:
    # Unescaping is named only where the reading needs it.
    found = _tag_reading(case, "if_none_match", "If-None-Match", _EVERYTHING - {"unescape"})
    return found or _tag_reading(case, "if_none_match", "If-None-Match", _EVERYTHING)


def _star_as_tag(field: str, label: str) -> _ReadingFunction:
    def reading(case: Case) -> tuple[Case, str, str] | None:
        value = getattr(case.conditions, field)
        if value is None or value.strip(_OWS) != "*":
            return None
        return case.with_fields(**{field: '"*"'}), "", f"{label}: * treated as a non-matching tag"

    return reading


_deviant(_star_as_tag("if_match", "If-Match"))
_deviant(_star_as_tag("if_none_match", "If-None-Match"))


@_deviant
def _strong_if_none_match(case: Case) -> tuple[Case, str, str] | None:
    value, current = case.conditions.if_none_match, case.resource.etag
    if value is None or current is None:
        return None
    try:
        tags = parse_entity_tag_list(value)
    except InvalidEntityTag:
        return None
    if not isinstance(tags, tuple):
        return None
    kept = [str(tag) for tag in tags if not tag.weak and not current.weak]
    if len(kept) == len(tags):
        return None
    reading = case.with_fields(if_none_match=", ".join(kept) or '"\x7e-never"')
    return reading, "", "If-None-Match compared strongly (no weak comparison)"


@_deviant
def _weak_if_match(case: Case) -> tuple[Case, str, str] | None:
    value, current = case.conditions.if_match, case.resource.etag
    if value is None or current is None or not ("W/" in value or current.weak):
        return None
    strong = replace(case.resource, etag=EntityTag(current.opaque))
    reading = replace(case, resource=strong).with_fields(if_match=value.replace("W/", ""))
    return reading, "", "If-Match compared weakly"


@_deviant
def _ims_after_unmatched_inm(case: Case) -> tuple[Case, str, str] | None:
    c = case.conditions
    if c.if_none_match is None or c.if_modified_since is None:
        return None
    return (
        case.with_fields(if_none_match=None),
        "",
        "If-Modified-Since evaluated although If-None-Match was present",
    )


@_deviant
def _both_for_304(case: Case) -> tuple[Case, str, str] | None:
    c = case.conditions
    if c.if_none_match is None or c.if_modified_since is None:
        return None
    return (
        case.with_fields(if_none_match=None, if_modified_since=None),
        "",
        "304 only when If-None-Match and If-Modified-Since both match (RFC 2616)",
    )


@_deviant
def _ius_despite_if_match(case: Case) -> tuple[Case, str, str] | None:
    c = case.conditions
    if c.if_match is None or c.if_unmodified_since is None:
        return None
    return (
        case.with_fields(if_match=None),
        "",
        "If-Unmodified-Since evaluated although If-Match was present",
    )


@_deviant
def _inm_before_if_match(case: Case) -> tuple[Case, str, str] | None:
    c = case.conditions
    if c.if_none_match is None or (c.if_match is None and c.if_unmodified_since is None):
        return None
    return (
        case.with_fields(if_match=None, if_unmodified_since=None),
        "",
        "If-None-Match evaluated before If-Match / If-Unmodified-Since",
    )


def _ignored(field: str, label: str) -> _ReadingFunction:
    def reading(case: Case) -> tuple[Case, str, str] | None:
        if getattr(case.conditions, field) is None:
            return None
        return case.with_fields(**{field: None}), "", f"{label} ignored"

    return reading


for _field, _label in (
    ("if_match", "If-Match"),
    ("if_unmodified_since", "If-Unmodified-Since"),
    ("if_none_match", "If-None-Match"),
    ("if_modified_since", "If-Modified-Since"),
    ("if_range", "If-Range"),
):
    _deviant(_ignored(_field, _label))


@_deviant
def _retrieval_412(case: Case) -> tuple[frozenset[int], str, str] | None:
    if case.method not in ("GET", "HEAD") or case.conditions.if_none_match is None:
        return None
    if 304 not in case.statuses():
        return None
    return frozenset({412}), "", "412 instead of 304 to a matching If-None-Match on GET/HEAD"


@_deviant
def _weak_if_range(case: Case) -> tuple[Case, str, str] | None:
    value = case.conditions.if_range
    if value is None or not value.strip(_OWS).startswith("W/"):
        return None
    return (
        case.with_fields(if_range=value.strip(_OWS)[2:]),
        "",
        "a weak entity-tag matched in If-Range",
    )


@_deviant
def _satisfiable_range_416(case: Case) -> tuple[frozenset[int], str, str] | None:
    if case.conditions.range is None or _valid_range(case.conditions.range) is None:
        return None
    if case.length is None or case.unsatisfiable:
        return None
    return frozenset({416}), "", "a satisfiable Range answered 416"


_LABELS: Final = (
    ("if_match", "If-Match"),
    ("if_none_match", "If-None-Match"),
    ("if_modified_since", "If-Modified-Since"),
    ("if_unmodified_since", "If-Unmodified-Since"),
    ("if_range", "If-Range"),
)


@_deviant
def _rejected(case: Case) -> tuple[frozenset[int], str, str] | None:
    present = [label for field, label in _LABELS if getattr(case.conditions, field) is not None]
    if not present:
        return None
    return frozenset({400}), "", f"a request with {present[0]} rejected with 400"


def _predicts(functions: list[_ReadingFunction], case: Case, status: int) -> Reading | None:
    for function in functions:
        found = function(case)
        if found is None:
            continue
        outcome, reading_id, signature = found
        statuses = outcome if isinstance(outcome, frozenset) else outcome.statuses()
        if status in statuses:
            return Reading(reading_id, signature, _VERDICT_OF.get(function, FAIL))
    return None


def permitted_reading(case: Case, status: int) -> Reading | None:
    """The first reading of ``case`` that gives ``status`` and that the
    catalogue does not call a failure: a ``pass``, ``lenient`` or
    ``should`` one (its ``verdict`` says which).

    >>> from etagspec.etags import EntityTag
    >>> case = Case("GET", Conditions(if_none_match="v1"), Resource(etag=EntityTag("v1")), 200)
    >>> permitted_reading(case, 304).verdict
    'lenient'
    >>> permitted_reading(case, 304).signature
    'unquoted entity-tag accepted in If-None-Match'
    """
    return _predicts(_LENIENT, case, status)


#: The name this function had when every permitted reading was lenient.
lenient_reading = permitted_reading


@_cached
def deviant_signatures(case: Case, status: int) -> frozenset[str]:
    """The signature of every known deviation that explains ``status`` for
    ``case`` (:func:`deviant_reading` names the first): a search for further
    deviations of a check passes over a request any known one explains.

    >>> from etagspec.etags import EntityTag
    >>> case = Case("GET", Conditions(if_none_match='W/"v1"'), Resource(etag=EntityTag("v1")), 200)
    >>> sorted(deviant_signatures(case, 200))[:1]
    ['If-None-Match compared strongly (no weak comparison)']
    """
    found = set()
    for function in _DEVIANT:
        predicted = function(case)
        if predicted is None:
            continue
        outcome, _, signature = predicted
        statuses = outcome if isinstance(outcome, frozenset) else outcome.statuses()
        if status in statuses:
            found.add(signature)
    return frozenset(found)


def deviant_reading(case: Case, status: int) -> Reading | None:
    """The first known deviation that explains ``status`` for ``case``.

    >>> from etagspec.etags import EntityTag
    >>> case = Case("GET", Conditions(if_match="*"), Resource(etag=EntityTag("v1")), 200)
    >>> deviant_reading(case, 412).signature
    'If-Match: * treated as a non-matching tag'
    >>> case = Case("PUT", Conditions(if_match="v0"), Resource(etag=EntityTag("v0")), 204)
    >>> deviant_reading(case, 204)
    Reading(id='LEN-9', signature='unquoted entity-tag accepted in If-Match', verdict='fail')
    """
    if not 200 <= case.baseline < 300:
        evaluated = replace(case, baseline=200)
        if status in evaluated.statuses() or status in (304, 412):
            return Reading("", f"preconditions evaluated on a {case.baseline} response")
    return _predicts(_DEVIANT, case, status)


ReadingFunction = _ReadingFunction
split_members = _split_members
valid_list = _valid_list

#: The readings that parse a date another way: composed with others, they
#: come first (a target parses a date before it compares it).
DATE_PARSES: Final[frozenset[ReadingFunction]] = frozenset(
    {_date_reading, _leap_second_as_the_next, _deviant_dates}
)


def reading_functions() -> tuple[tuple[ReadingFunction, str], ...]:
    """Every reading, the permitted ones first, each with its verdict
    (``"pass"``, ``"lenient"``, ``"should"`` or ``"fail"``; the diagnosis
    composes them, see conformance.diagnosis)."""
    return (*((f, _VERDICT_OF[f]) for f in _LENIENT), *((f, FAIL) for f in _DEVIANT))
