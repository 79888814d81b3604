"""The diagnosis: the smallest set of readings that reproduces every answer
the target gave in the run, each confirmed by a decisive probe.

A *reading* is a way of reading requests that differs from RFC 9110's: a
field not evaluated, its value not compared, a lenient or deviant parse, a
changed comparison or precedence (the readings of
:mod:`etagspec.conformance.readings`, and a few of this module). A target
*with* a set of readings answers a request as RFC 9110 says for the
request those readings rewrite. The diagnosis looks for the set that
reproduces every judged answer of the run (the transcript, feature probes
included), greedily: at each step the reading that explains the most
answers no other reading in the set explains, *and contradicts none* that
the set already reproduced (a reading one answer contradicts is not the
cause); then every reading the rest make redundant is dropped. Each
failure the checks recorded is then told by the reading(s) it needs, so one
cause met by many checks is one deviation, and a lenient reading is only
credited where nothing else explains the answer.

Each reading kept is *confirmed*: among the requests of the run, the
simplest on which a conforming target and a target with only that reading
must answer differently is sent again, and its answer recorded.

A failure the whole set, composed at once, does not reproduce is first
tried against combinations of the set's readings (each alone, then any
two applied together, the other forms of a catalogue reading of the set
counting as in it) and told by the first that reproduces it. A failure no
combination explains is listed on its own, marked unexplained, and not
counted: the number of distinct deviations is the size of the set of
readings, and how many causes the unexplained failures hide is not known
(their checks still fail; the reports give their number apart).

Every deviation has a stable ID (:func:`deviation_id`): what it is (its
catalogue ID, ``LENIENT`` for a lenient reading, or the code of the
function that models it) ``@`` the field it reads. The readings that share
an ID (an unquoted tag, ``w/``, a space after ``W/``: all LEN-9 in
If-Match; every lenient reading of If-None-Match) are one deviation: one
parser, its forms listed as manifestations, with the simplest confirmed
probe among theirs. Each failure carries the IDs of the deviations that
explain it, and a check's class is the most severe of theirs
(:data:`~etagspec.conformance.model.SEVERITY`), so a check met only by
lenient readings is never a bug. A check's search passes over what the
deviations it already recorded explain, so which failures it recorded
depends on what its searches met: where the check's own answers need a
reading of the set that none of its failures carries, the simplest of
those answers is added as one more failure, told by that reading. A
check's class thus follows from every answer it got. A lenient finding
(recorded the first time a check met it, never shrunk) is likewise told by
the simplest of the check's answers that the same readings explain.

Classes come from the evidence: a field the set says is *not evaluated*
(and the feature probes agree) is ``unsupported``, one deviation per
field; a lenient reading is ``lenient``; a body sent in answer to HEAD by an
in-process app is ``server-duty`` (the server in front of it strips it,
PEP 3333 leaves that to the server); a reading of the catalogue takes the
class of its verdict (``should``: a SHOULD deviation, warned, never a bug);
everything else is a ``bug``.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from ..dates import format_http_date, http_date_to_timestamp
from ..errors import InvalidEntityTag, InvalidHTTPDate
from ..etags import parse_entity_tag
from ..preconditions import Outcome, evaluate
from .judging import status_explanation
from .model import (
    SEVERITY,
    CheckInfo,
    CheckResult,
    DecisiveProbe,
    Deviation,
    Diagnosis,
    Failure,
    Feature,
    Level,
    ProbeRequest,
    ProbeResponse,
    Status,
    Support,
)
from .oracle import Observed, case_of, expect, may_be_rejected
from .readings import (
    DATE_PARSES,
    Case,
    ReadingFunction,
    ReadingOutcome,
    reading_functions,
    split_members,
    valid_list,
)
from .targets import Target
from .transcript import Exchange

__all__ = [
    "IN_PROCESS_KINDS",
    "SERVER_DUTY_CHECKS",
    "Candidate",
    "deviation_id",
    "diagnose",
    "explain_answers",
]

#: Checks whose failure, by an app called in process, is the server's duty.
SERVER_DUTY_CHECKS: Final = frozenset({"METH-HEAD-1"})
#: Target kinds that are an app without its server.
IN_PROCESS_KINDS: Final = frozenset({"wsgi", "asgi"})
_NEVER: Final = '"etagspec-never-issued"'
#: A list member as a loose reader takes it: anything between two quotes.
_QUOTED_LOOSELY: Final = re.compile(r'(?:W/)?"[^"]*"')
#: An RFC 2616 quoted-string (a backslash escapes the next character).
_QUOTED_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_FIELDS: Final = (
    ("if_none_match", "If-None-Match"),
    ("if_match", "If-Match"),
    ("if_modified_since", "If-Modified-Since"),
    ("if_unmodified_since", "If-Unmodified-Since"),
    ("if_range", "If-Range"),
)
#: What each reading function gave for each case it was asked about, in one
#: diagnosis (see :meth:`_Answer.reading`).
_Memo = dict[tuple[ReadingFunction, Case], ReadingOutcome | None]
#: Marks a reading function not yet asked (None is an answer: it does not
#: apply); told by identity, so no outcome a function builds is taken for it.
_UNASKED: Final[ReadingOutcome] = (frozenset(), "", "")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reading the diagnosis may pick: a name (request-independent), its
    catalogue ID, its class, and the function that rewrites a case (or
    gives the statuses outright); the function's readings with another
    signature are other candidates."""

    name: str
    reading: str
    kind: str
    function: ReadingFunction
    order: int

    def apply(self, case: Case) -> Case | frozenset[int] | None:
        """What a target with this reading makes of ``case``: the case it
        reads instead, or the statuses outright; None when the reading does
        not apply."""
        return self.outcome(self.function(case))

    def outcome(self, found: ReadingOutcome | None) -> Case | frozenset[int] | None:
        """What :meth:`apply` gives when the function gave ``found``."""
        if found is None or found[2] != self.name:
            return None
        return found[0]

    @property
    def code(self) -> str:
        """The reading's own code, from the function that models it (its
        forms share it): ``_ius_as_well_as_if_match`` gives
        ``IUS-AS-WELL-AS-IF-MATCH``."""
        return self.function.__qualname__.split(".", 1)[0].strip("_").upper().replace("_", "-")

    @property
    def id(self) -> str:
        """The stable ID of the deviation this reading is (see
        :func:`deviation_id`)."""
        return deviation_id(self.name, self.reading, self.kind, self.code)


def deviation_id(name: str, reading: str, kind: str, code: str) -> str:
    """A deviation's stable ID: what it is, ``@`` the field it reads (the
    leftmost field its name says; ``request`` for none). What it is: for a
    reading of the catalogue, ``LENIENT`` when its verdict is lenient (every
    lenient reading of one field is one tolerant parser), else its
    catalogue ID (``LEN-9``, ``AMB-DATE-6``); for any other reading, the
    code of the function that models it. Never made of the prose, which
    may be reworded.

    >>> deviation_id("unquoted entity-tag accepted in If-None-Match", "LEN-3", "lenient", "X")
    'LENIENT@If-None-Match'
    >>> deviation_id("an empty or invalid If-Match read as absent", "LEN-9", "bug", "X")
    'LEN-9@If-Match'
    >>> deviation_id("If-Match not evaluated", "", "unsupported", "NOT-EVALUATED")
    'NOT-EVALUATED@If-Match'
    """
    found = _SUBJECT.search(name)
    subject = found.group() if found else "request"
    if reading and kind == "lenient":
        what = "LENIENT"
    elif reading:
        what = "+".join(part.strip() for part in reading.split(","))
    else:
        what = code
    return f"{what}@{subject}"


# --- this module's readings -------------------------------------------------------------


def _not_evaluated(field: str, label: str) -> ReadingFunction:
    name = f"{label} not evaluated"

    def reading(case: Case) -> tuple[Case, str, str] | None:
        if getattr(case.conditions, field) is None:
            return None
        return case.with_fields(**{field: None}), "", name

    return reading


def _if_none_match_not_compared(case: Case) -> tuple[Case, str, str] | None:
    if case.conditions.if_none_match is None:
        return None
    return case.with_fields(if_none_match="*"), "", "If-None-Match not compared"


def _raw_text(field: str, label: str) -> ReadingFunction:
    name = f"{label} compared as raw text"

    def reading(case: Case) -> tuple[Case, str, str] | None:
        value, current = getattr(case.conditions, field), case.resource.etag
        if value is None or current is None:
            return None
        # A server strips the whitespace around a field value (RFC 9110 §5.5).
        read = str(current) if value.strip(" \t") == str(current) else _NEVER
        return case.with_fields(**{field: read}), "", name

    return reading


def _split_raw_if_none_match(case: Case) -> tuple[Case, str, str] | None:
    """What a naive reader does: ``*`` aside, split on every comma, trim
    each member (of any whitespace) and a ``W/`` prefix, and look for the
    ETag field's text among them."""
    value, current = case.conditions.if_none_match, case.resource.etag
    if value is None or current is None or not value.strip():
        return None
    name = "If-None-Match split on commas and compared as raw text"
    if value.strip() == "*":
        return case.with_fields(if_none_match="*"), "", name
    members = [member.strip().removeprefix("W/") for member in value.split(",")]
    read = str(current) if str(current) in members else _NEVER
    return case.with_fields(if_none_match=read), "", name


def _split_on_every_comma(field: str, label: str) -> ReadingFunction:
    """A list split on every comma (inside quotes too), each member trimmed
    of any whitespace and kept if it is anything between two quotes, and the
    field ignored when none is left."""
    name = f"{label} split on every comma, invalid members dropped"

    def reading(case: Case) -> tuple[Case, str, str] | None:
        value = getattr(case.conditions, field)
        if value is None or value.strip(" \t") == "*":
            return None
        kept = []
        for member in value.split(","):
            member = member.strip()
            if _QUOTED_LOOSELY.fullmatch(member) is None:
                continue
            try:
                parse_entity_tag(member)
            except InvalidEntityTag:
                member = _NEVER  # a tag no RFC 9110 tag can equal
            kept.append(member)
        return case.with_fields(**{field: ", ".join(kept) or None}), "", name

    return reading


def _split_salvage(field: str, label: str) -> ReadingFunction:
    """The lenient half of a list split on every comma: on an invalid
    list, or one with no comma inside a quoted tag, that reader only drops
    the invalid members (a salvage, AMB-ETAG-1) and reads a list left empty
    as absent (AMB-LIST-1), both lenient in If-None-Match; a comma inside a
    tag of a valid list is the deviant half (:func:`_split_into_tags`)."""
    name = f"{label}: invalid members dropped, a list left empty read as absent"
    split = _split_on_every_comma(field, label)

    def reading(case: Case) -> tuple[Case | frozenset[int], str, str] | None:
        value = getattr(case.conditions, field)
        found = split(case)
        if found is None or _cuts_a_tag(value) or not value.strip(" \t,"):
            return None  # an empty list alone is AMB-LIST-1's reading
        return found[0], "AMB-ETAG-1, AMB-LIST-1", name

    return reading


def _cuts_a_tag(value: str) -> bool:
    """Whether splitting ``value`` on every comma cuts a tag of a valid
    list in two (on an invalid list, splitting anywhere is a salvage)."""
    return valid_list(value) and value.split(",") != _members(value)


def _members(value: str) -> list[str]:
    """A list's members, split on the commas outside double quotes."""
    members, start, quoted = [], 0, False
    for match in _QUOTE_OR_COMMA.finditer(value):  # not every character: tags can be long
        at = match.start()
        if match.group() == '"':
            quoted = not quoted
        elif not quoted:
            members.append(value[start:at])
            start = at + 1
    return [*members, value[start:]]


_QUOTE_OR_COMMA: Final = re.compile('[",]')


def _split_into_tags(field: str, label: str) -> ReadingFunction:
    """The deviant half of a list split on every comma: a comma inside a
    quoted tag of a valid list cuts the tag in two."""
    name = f"{label} split on every comma, invalid members dropped"
    split = _split_on_every_comma(field, label)

    def reading(case: Case) -> tuple[Case | frozenset[int], str, str] | None:
        value = getattr(case.conditions, field)
        found = split(case)
        if found is None or not _cuts_a_tag(value):
            return None
        return found[0], "", name

    return reading


def _retrieval_fields_both_evaluated(invalid_is_modified: bool) -> ReadingFunction:
    """If-None-Match and If-Modified-Since both evaluated, as RFC 2616 had
    it (Apache httpd): a 304 only when both say not modified, so a matching
    tag with a date before Last-Modified gets the full answer. An invalid
    date is either ignored (If-None-Match decides) or, with
    ``invalid_is_modified`` (httpd, whose date parser gives 0 for it),
    read as "modified": the full answer."""
    name = "If-None-Match and If-Modified-Since both evaluated (a 304 only when both hold)"
    if invalid_is_modified:
        name += ", an invalid date read as modified"

    def reading(case: Case) -> tuple[Case, str, str] | None:
        c = case.conditions
        if c.if_none_match is None or c.if_modified_since is None:
            return None
        if case.method not in ("GET", "HEAD") or case.resource.last_modified is None:
            return None
        try:
            http_date_to_timestamp(c.if_modified_since.strip(" \t"))
        except InvalidHTTPDate:
            if not invalid_is_modified:
                return None  # an invalid date is not evaluated: If-None-Match decides
            modified = case.with_fields(if_none_match=None, if_modified_since=None)
            return (modified if 304 in _conforming(case) else case), "", name
        by_date = case.with_fields(if_none_match=None)
        if 304 in _conforming(case) and 304 not in _conforming(by_date):
            return by_date, "", name
        return case, "", name

    return reading


def _if_match_overrides_retrieval(case: Case) -> tuple[Case, str, str] | None:
    """If-Match present: If-None-Match and If-Modified-Since not looked at
    (a matching If-Match undoes their 304)."""
    c = case.conditions
    if c.if_match is None or (c.if_none_match is None and c.if_modified_since is None):
        return None
    name = "If-None-Match and If-Modified-Since ignored when If-Match is present"
    return case.with_fields(if_none_match=None, if_modified_since=None), "", name


def _range_before_retrieval(case: Case) -> tuple[Case, str, str] | None:
    """A Range served (or refused with 416) before If-None-Match and
    If-Modified-Since are looked at, as Werkzeug's make_conditional does:
    when the Range decides the answer, they are not evaluated."""
    c = case.conditions
    if c.range is None or (c.if_none_match is None and c.if_modified_since is None):
        return None
    rewritten = case.with_fields(if_none_match=None, if_modified_since=None)
    if not _conforming(rewritten) & {206, 416}:
        return None  # the Range is ignored: the fields are evaluated
    return rewritten, "", "If-None-Match and If-Modified-Since not evaluated when a Range is served"


def _ius_as_well_as_if_match(case: Case) -> tuple[Case | frozenset[int], str, str] | None:
    """If-Unmodified-Since evaluated as well as If-Match (nginx): a false
    one fails the request even when If-Match matches."""
    c = case.conditions
    if c.if_match is None or c.if_unmodified_since is None:
        return None
    name = "If-Unmodified-Since evaluated as well as If-Match"
    if _conforming(case.with_fields(if_match=None)) == {412}:
        return frozenset({412}), "", name
    return case, "", name


def _if_modified_since_exact(case: Case) -> tuple[Case, str, str] | None:
    """If-Modified-Since false only when it equals Last-Modified exactly
    (nginx's ``if_modified_since exact``)."""
    value, modified = case.conditions.if_modified_since, case.resource.last_modified
    if value is None or modified is None:
        return None
    try:
        date = http_date_to_timestamp(value)
    except InvalidHTTPDate:
        return None
    name = "If-Modified-Since compared for equality with Last-Modified"
    return case.with_fields(if_modified_since=None if date != modified else value), "", name


def _not_evaluated_on_head(case: Case) -> tuple[Case, str, str] | None:
    c = case.conditions
    if case.method != "HEAD" or not c.any_present:
        return None
    fields = dict.fromkeys(("if_match", "if_none_match", "if_modified_since"), None)
    fields |= dict.fromkeys(("if_unmodified_since", "if_range"), None)
    return case.with_fields(**fields), "", "preconditions not evaluated on HEAD"


def _if_range_date_not_before(case: Case) -> tuple[Case, str, str] | None:
    """An If-Range date read as "not modified since": any date at or after
    Last-Modified lets the Range through."""
    value, modified = case.conditions.if_range, case.resource.last_modified
    if value is None or modified is None or case.conditions.range is None:
        return None
    try:
        date = http_date_to_timestamp(value.strip(" \t"))
    except InvalidHTTPDate:
        return None
    if date <= modified:
        return None
    name = "If-Range date compared as not modified since (<=), not as equal"
    strong = replace(case.resource, last_modified_is_strong=True)
    return replace(case, resource=strong).with_fields(if_range=format_http_date(modified)), "", name


def _if_unmodified_since_before_1970_ignored(case: Case) -> tuple[Case, str, str] | None:
    """A valid If-Unmodified-Since date before 1970 read as invalid, so
    ignored (a date parser that cannot go below the epoch: Apache httpd's
    apr_date_parse_http)."""
    value = case.conditions.if_unmodified_since
    if value is None:
        return None
    try:
        date = http_date_to_timestamp(value.strip(" \t"))
    except InvalidHTTPDate:
        return None
    if date >= 0:
        return None
    name = "an If-Unmodified-Since date before 1970 ignored"
    return case.with_fields(if_unmodified_since=None), "", name


def _star_prefix_as_star(field: str, label: str) -> ReadingFunction:
    """A value whose first character is ``*`` read as ``*`` (the rest
    never looked at: ``*,`` or ``*x`` matches any current representation)."""
    name = f"an {label} value beginning with * read as *"

    def reading(case: Case) -> tuple[Case, str, str] | None:
        value = getattr(case.conditions, field)
        if value is None:
            return None
        stripped = value.strip(" \t")
        if not stripped.startswith("*") or stripped == "*":
            return None
        return case.with_fields(**{field: "*"}), "", name

    return reading


def _if_match_search_ends_at_weak_member(case: Case) -> tuple[Case, str, str] | None:
    """The strong If-Match search stops at the first member that is not a
    quoted string (a weak tag, or text that is no tag): the members after
    it are never compared; empty ones, RFC 2616 quoted-strings no tag can
    equal, and those with text after the closing quote are passed over
    (Apache httpd's find_list_item)."""
    value = case.conditions.if_match
    if value is None or value.strip(" \t") == "*":
        return None
    kept: list[str] = []
    for member in (member.strip(" \t") for member in split_members(value)):
        if not member:
            continue
        quoted = _QUOTED_STRING.match(member)
        if quoted is None:
            break  # weak, or no quoted string at all
        if quoted.end() == len(member) and valid_list(member):
            kept.append(member)  # an RFC 2616 quoted-string no tag equals is passed over
    name = "the If-Match search stops at its first weak or invalid member"
    return case.with_fields(if_match=", ".join(kept) or _NEVER), "", name


def _if_none_match_as_rfc_2616_list(case: Case) -> tuple[Case, str, str] | None:
    """If-None-Match split as RFC 2616 had it: a backslash inside quotes
    escapes the next character (so ``"a\\"`` opens a tag that runs on
    past the next comma), and members that are no entity-tag, or carry
    text after the closing quote, are passed over (Apache httpd)."""
    value = case.conditions.if_none_match
    if value is None or "\\" not in value or value.strip(" \t").startswith("*"):
        return None
    kept: list[str] = []
    for member in (member.strip(" \t") for member in split_members(value)):
        quoted = _QUOTED_STRING.match(member.removeprefix("W/"))
        if quoted is not None and quoted.end() == len(member.removeprefix("W/")):
            if valid_list(member):
                kept.append(member)
    name = "backslash escapes read inside If-None-Match tags (RFC 2616 quoted-string)"
    return case.with_fields(if_none_match=", ".join(kept) or _NEVER), "", name


def _leading_htab_kept(case: Case) -> tuple[Case, str, str] | None:
    """An HTAB at the start of an If-None-Match or If-Match value kept as
    part of its first member, which then never matches (nginx trims only
    spaces before a field value; ``\t*`` is no ``*`` either)."""
    rewritten: dict[str, str | None] = {}
    for field in ("if_none_match", "if_match"):
        value = getattr(case.conditions, field)
        if value is None or not value.lstrip(" ").startswith("\t"):
            continue
        members = _members(value)
        rewritten[field] = ",".join([_NEVER, *members[1:]])
    if not rewritten:
        return None
    name = (
        "a leading HTAB kept in an If-None-Match or If-Match value (its first member never matches)"
    )
    return case.with_fields(**rewritten), "", name


def _true_ius_cancels_not_modified(case: Case) -> tuple[Case, str, str] | None:
    """A true If-Unmodified-Since cancels the 304 that If-None-Match or
    If-Modified-Since would give: the full answer (Apache httpd's
    ap_meets_conditions sets ``not_modified = 0`` on it)."""
    c, modified = case.conditions, case.resource.last_modified
    if c.if_unmodified_since is None or modified is None:
        return None
    if c.if_none_match is None and c.if_modified_since is None:
        return None
    try:
        date = http_date_to_timestamp(c.if_unmodified_since.strip(" \t"))
    except InvalidHTTPDate:
        return None
    if date < modified:
        return None
    name = "a true If-Unmodified-Since cancels the 304 of If-None-Match or If-Modified-Since"
    return case.with_fields(if_none_match=None, if_modified_since=None), "", name


def _weak_etag_compared_as_strong(case: Case) -> tuple[Case, str, str] | None:
    """A weak current ETag compared as if it were strong in If-Match and
    If-Range (only the opaque-tag looked at; Werkzeug unquotes its ETag
    and drops the ``W/``): ``If-Match: "x"`` passes against ``W/"x"``, an
    If-Range ``W/"x"`` lets the Range through."""
    current, c = case.resource.etag, case.conditions
    if current is None or not current.weak or (c.if_match is None and c.if_range is None):
        return None
    strong = replace(case.resource, etag=parse_entity_tag(str(current).removeprefix("W/")))
    fields: dict[str, str | None] = {}
    if c.if_range is not None and c.if_range.strip(" \t").startswith("W/"):
        fields["if_range"] = c.if_range.strip(" \t").removeprefix("W/")
    name = "a weak current ETag compared as strong in If-Match and If-Range"
    return replace(case, resource=strong).with_fields(**fields), "", name


#: A tag as a regex search finds it: at the start or after whitespace.
_TAG_AFTER_SPACE: Final = re.compile(r'(?:^|\s)((?:W/)?"(?:\\"|.)*?")')


def _if_none_match_tags_searched(case: Case) -> tuple[Case, str, str] | None:
    """If-None-Match's tags found by a regex search that wants the start of
    the value or whitespace before each, and takes a tag wherever it ends:
    text around a tag is passed over, a tag right after a comma is missed
    (WebOb's ETagMatcher.parse)."""
    value = case.conditions.if_none_match
    if value is None or value.strip(" \t") == "*":
        return None
    found = [tag for tag in _TAG_AFTER_SPACE.findall(value) if valid_list(tag)]
    name = "If-None-Match tags searched for after whitespace (a tag right after a comma missed)"
    return case.with_fields(if_none_match=", ".join(found) or _NEVER), "", name


def _evaluated_on_other_status(case: Case) -> tuple[frozenset[int], str, str] | None:
    if 200 <= case.baseline < 300:
        return None
    evaluated = _conforming(replace(case, baseline=200))
    name = "preconditions evaluated on a non-2xx response"
    return frozenset(evaluated | {304, 412}), "", name


#: This module's readings that are readings of the catalogue: their IDs.
_OWN_CATALOGUE_READINGS: Final = {
    "If-None-Match: invalid members dropped, a list left empty read as absent": (
        "AMB-ETAG-1, AMB-LIST-1"
    ),
}


def _own_readings() -> list[tuple[ReadingFunction, str, str]]:
    """(function, name, class) of this module's readings, in pick order."""
    own: list[tuple[ReadingFunction, str, str]] = [
        (_not_evaluated(field, label), f"{label} not evaluated", "unsupported")
        for field, label in _FIELDS
    ]
    own += [
        (
            _if_unmodified_since_before_1970_ignored,
            "an If-Unmodified-Since date before 1970 ignored",
            "bug",
        ),
        (
            _star_prefix_as_star("if_none_match", "If-None-Match"),
            "an If-None-Match value beginning with * read as *",
            "bug",
        ),
        (
            _star_prefix_as_star("if_match", "If-Match"),
            "an If-Match value beginning with * read as *",
            "bug",
        ),
        (
            _if_match_search_ends_at_weak_member,
            "the If-Match search stops at its first weak or invalid member",
            "bug",
        ),
        (
            _if_none_match_as_rfc_2616_list,
            "backslash escapes read inside If-None-Match tags (RFC 2616 quoted-string)",
            "bug",
        ),
        (
            _leading_htab_kept,
            "a leading HTAB kept in an If-None-Match or If-Match value"
            " (its first member never matches)",
            "bug",
        ),
        (
            _true_ius_cancels_not_modified,
            "a true If-Unmodified-Since cancels the 304 of If-None-Match or If-Modified-Since",
            "bug",
        ),
        (
            _weak_etag_compared_as_strong,
            "a weak current ETag compared as strong in If-Match and If-Range",
            "bug",
        ),
        (
            _if_none_match_tags_searched,
            "If-None-Match tags searched for after whitespace (a tag right after a comma missed)",
            "bug",
        ),
        (_if_none_match_not_compared, "If-None-Match not compared", "bug"),
        (_raw_text("if_none_match", "If-None-Match"), "If-None-Match compared as raw text", "bug"),
        (_raw_text("if_match", "If-Match"), "If-Match compared as raw text", "bug"),
        (
            _if_match_overrides_retrieval,
            "If-None-Match and If-Modified-Since ignored when If-Match is present",
            "bug",
        ),
        (
            _range_before_retrieval,
            "If-None-Match and If-Modified-Since not evaluated when a Range is served",
            "bug",
        ),
        (
            _retrieval_fields_both_evaluated(invalid_is_modified=False),
            "If-None-Match and If-Modified-Since both evaluated (a 304 only when both hold)",
            "bug",
        ),
        (
            _retrieval_fields_both_evaluated(invalid_is_modified=True),
            "If-None-Match and If-Modified-Since both evaluated (a 304 only when both hold)"
            ", an invalid date read as modified",
            "bug",
        ),
        (
            _ius_as_well_as_if_match,
            "If-Unmodified-Since evaluated as well as If-Match",
            "bug",
        ),
        (_not_evaluated_on_head, "preconditions not evaluated on HEAD", "bug"),
        (
            _if_modified_since_exact,
            "If-Modified-Since compared for equality with Last-Modified",
            "bug",
        ),
        (
            _if_range_date_not_before,
            "If-Range date compared as not modified since (<=), not as equal",
            "bug",
        ),
        (
            _split_on_every_comma("if_match", "If-Match"),
            "If-Match split on every comma, invalid members dropped",
            "bug",
        ),
        (
            _split_salvage("if_none_match", "If-None-Match"),
            "If-None-Match: invalid members dropped, a list left empty read as absent",
            "lenient",
        ),
        (
            _split_into_tags("if_none_match", "If-None-Match"),
            "If-None-Match split on every comma, invalid members dropped",
            "bug",
        ),
        (
            _split_raw_if_none_match,
            "If-None-Match split on commas and compared as raw text",
            "bug",
        ),
        (_evaluated_on_other_status, "preconditions evaluated on a non-2xx response", "bug"),
    ]
    return own


# --- predicting an answer ---------------------------------------------------------------


# A function of the (frozen, hashable) case alone, as evaluate() is: cached,
# since the cover asks it of the same few thousand cases tens of thousands
# of times in a run.
@functools.lru_cache(maxsize=1 << 14)
def _conforming(case: Case) -> frozenset[int]:
    """What RFC 9110 gives for ``case``, strictly: a 304 for a false
    If-Modified-Since (a SHOULD) is the only answer; a Range may be ignored."""
    if not 200 <= case.baseline < 300:
        return frozenset({case.baseline})
    found: set[int] = set()
    for strong in (False, True):
        resource = replace(case.resource, last_modified_is_strong=strong)
        decision = evaluate(case.method, case.conditions, resource)
        if decision.outcome is Outcome.PRECONDITION_FAILED:
            found.add(412)
        elif decision.outcome is Outcome.NOT_MODIFIED:
            found.add(304)
        elif decision.process_range:
            found.update((416,) if case.unsatisfiable else (206, case.baseline))
        else:
            found.add(case.baseline)
    return frozenset(found)


@dataclass(slots=True)
class _Answer:
    """One distinct (request as the oracle sees it, status) of the run.
    ``read`` and ``memo`` keep what the reading functions gave (see
    :meth:`reading`)."""

    case: Case
    status: int
    rejectable: bool
    exchanges: list[Exchange]
    #: What the reading functions gave for the cases a reading made of an
    #: answer's case (one for all the answers of a run).
    memo: _Memo = dataclasses.field(default_factory=dict)
    #: What the reading functions gave for this answer's own case.
    read: dict[ReadingFunction, ReadingOutcome | None] = dataclasses.field(default_factory=dict)

    def reading(self, function: ReadingFunction, case: Case) -> ReadingOutcome | None:
        """``function(case)`` for this answer's case or one a reading made
        of it, each asked once per run: a reading function depends on the
        case alone (the one that reads the clock, for a case without a
        Date, reads it once), and the cover asks the same questions of
        each answer many times."""
        if case is self.case:
            found = self.read.get(function, _UNASKED)
            if found is _UNASKED:
                found = self.read[function] = function(case)
        else:
            key = (function, case)
            found = self.memo.get(key, _UNASKED)
            if found is _UNASKED:
                found = self.memo[key] = function(case)
        return found

    @property
    def weight(self) -> int:
        return len(self.exchanges)

    def simplest(self) -> Exchange:
        return min(self.exchanges, key=_simplicity)


def _simplicity(exchange: Exchange) -> tuple[int, int, int]:
    """Feature probes first (in the order they were sent, which puts a
    field's main probes before its variants), then fewer fields, then
    shorter ones."""
    request = exchange.request
    if exchange.check == "features":
        return (0, len(request.headers), 0)
    return (1, *_size(request))


def _size(request: ProbeRequest) -> tuple[int, int]:
    """How many fields a request carries, and how much text."""
    return len(request.headers), sum(len(name) + len(value) for name, value in request.headers)


def _predict(members: Sequence[Candidate], answer: _Answer) -> frozenset[int]:
    """The statuses a target with the readings ``members`` may give."""
    current = answer.case
    statuses: frozenset[int] | None = None
    for member in members:
        outcome = member.outcome(answer.reading(member.function, current))
        if outcome is None:
            continue
        if isinstance(outcome, frozenset):
            statuses = outcome
            break
        current = outcome
    if statuses is None:
        statuses = _conforming(current)
    return statuses | {400} if answer.rejectable else statuses


def _reproduces(members: Sequence[Candidate], answer: _Answer) -> bool:
    return answer.status in _predict(members, answer)


def _answers(exchanges: Iterable[Exchange]) -> list[_Answer]:
    found: dict[tuple[Case, int, bool], _Answer] = {}
    memo: _Memo = {}
    for exchange in exchanges:
        status = exchange.response.status
        if exchange.response.error is not None or status >= 500:
            continue  # a broken exchange is a failure of its own, not a reading
        case = case_of(exchange.request, exchange.observed, baseline=exchange.baseline)
        rejectable = may_be_rejected(exchange.request)
        key = (case, status, rejectable)
        if key in found:
            found[key].exchanges.append(exchange)
        else:
            found[key] = _Answer(case, status, rejectable, [exchange], memo)
    return list(found.values())


# --- the set cover ----------------------------------------------------------------------


def _evaluated_fields(features: Sequence[Feature]) -> set[str]:
    """The fields the feature probes found evaluated on every path probed."""
    support: dict[str, set[Support]] = {}
    for feature in features:
        support.setdefault(feature.name, set()).add(feature.support)
    return {name for name, found in support.items() if found == {Support.EVALUATED}}


def _candidates(answers: Sequence[_Answer], features: Sequence[Feature]) -> list[Candidate]:
    """This module's readings, then every reading of conformance.readings
    that applies to an answer RFC 9110 does not give (one candidate per
    signature). A field the feature probes found evaluated is never a
    candidate for "not evaluated" (nor "ignored"): with a Range a server
    may ignore, an ignored If-Range would otherwise explain any answer."""
    evaluated = _evaluated_fields(features)
    dismissed = {f"{field} {word}" for field in evaluated for word in ("not evaluated", "ignored")}
    candidates = [
        Candidate(name, _OWN_CATALOGUE_READINGS.get(name, ""), kind, function, order)
        for order, (function, name, kind) in enumerate(_own_readings())
        if name not in dismissed
    ]
    seen = {candidate.name for candidate in candidates} | dismissed
    unexplained = [answer for answer in answers if not _reproduces((), answer)]
    for function, verdict in reading_functions():
        for answer in unexplained:
            found = answer.reading(function, answer.case)
            if found is None or found[2] in seen:
                continue
            _, reading_id, name = found
            seen.add(name)
            kind = _KIND_OF_VERDICT.get(verdict, "bug")
            candidates.append(Candidate(name, reading_id, kind, function, len(candidates)))
    return candidates


#: The class of a reading of conformance.readings, from its catalogue
#: verdict: a ``pass`` reading is no deviation at all (it only explains
#: answers), a ``should`` one a deviation from a SHOULD (warned, never a bug).
_KIND_OF_VERDICT: Final = {
    "pass": "pass",
    "lenient": "lenient",
    "should": "should",
    "fail": "bug",
}


def _ordered(members: Iterable[Candidate]) -> list[Candidate]:
    """Composition order: the date parses first (a date is read before it
    is compared), then the readings in pick order."""
    return sorted(members, key=lambda member: (member.function not in DATE_PARSES, member.order))


def explain_answers(answers: Sequence[_Answer], candidates: Sequence[Candidate]) -> list[Candidate]:
    """The readings chosen (see the module docstring), in the order they
    are composed (this module's readings first, then lenient, then deviant)."""
    applies = _applies(answers, candidates)
    chosen: list[Candidate] = []
    reproduced = [_reproduces((), answer) for answer in answers]
    banned: set[Candidate] = set()
    while not all(reproduced):
        best, best_gain = None, 0
        for candidate in candidates:
            if candidate in chosen or candidate in banned:
                continue
            indices = applies[candidate]
            if all(reproduced[i] for i in indices):
                continue
            members = _ordered([*chosen, candidate])
            gain = 0
            for i in indices:
                now = _reproduces(members, answers[i])
                if now and not reproduced[i]:
                    gain += answers[i].weight
                elif reproduced[i] and not now:
                    break
            else:
                if gain > best_gain:
                    best, best_gain = candidate, gain
        if best is None:
            break
        members = _ordered([*chosen, best])
        after = [_reproduces(members, answer) for answer in answers]
        if any(before and not now for before, now in zip(reproduced, after, strict=True)):
            banned.add(best)  # it contradicts an answer the others reproduced
            continue
        chosen.append(best)
        reproduced = after
    return _pruned(chosen, answers)


def _applies(
    answers: Sequence[_Answer], candidates: Sequence[Candidate]
) -> dict[Candidate, list[int]]:
    """For each candidate, the indices of the answers it applies to
    (``candidate.apply(answer.case) is not None``). Each function is asked
    once per answer, though several candidates share it (one per name it
    gives): a candidate applies where its function gives its name."""
    named: dict[tuple[ReadingFunction, str], list[int]] = {}
    for function in dict.fromkeys(candidate.function for candidate in candidates):
        for i, answer in enumerate(answers):
            found = answer.reading(function, answer.case)
            if found is not None:
                named.setdefault((function, found[2]), []).append(i)
    return {
        candidate: named.get((candidate.function, candidate.name), []) for candidate in candidates
    }


def _pruned(chosen: list[Candidate], answers: Sequence[_Answer]) -> list[Candidate]:
    """``chosen`` without the readings the others make redundant; the most
    severe are tried first, so among covers as small a lenient reading is
    kept rather than a bug that explains the same answers."""
    kept = list(chosen)
    reproduced = sum(answer.weight for answer in answers if _reproduces(_ordered(kept), answer))
    for candidate in sorted(reversed(chosen), key=_severity):
        rest = _ordered(member for member in kept if member is not candidate)
        if sum(a.weight for a in answers if _reproduces(rest, a)) >= reproduced:
            kept = rest
    return _ordered(kept)


def _severity(candidate: Candidate) -> int:
    """Most severe first: a bug, an unsupported field, ..., then ``pass``."""
    kind = "lenient" if candidate.kind == "pass" else candidate.kind
    rank = SEVERITY.index(kind) if kind in SEVERITY else 0
    return rank + (candidate.kind == "pass")


def _needed(members: Sequence[Candidate], answer: _Answer) -> list[Candidate]:
    """The members an answer RFC 9110 does not give needs: those without
    which it is no longer reproduced; or the first that applies to it."""
    if _reproduces((), answer) or not _reproduces(members, answer):
        return []
    needed = [
        member
        for member in members
        if not _reproduces([m for m in members if m is not member], answer)
    ]
    if needed:
        return needed
    return [
        member
        for member in members
        if member.outcome(answer.reading(member.function, answer.case)) is not None
    ][:1]


def _combination(
    members: Sequence[Candidate], answer: _Answer, manifestations: Sequence[Candidate] = ()
) -> list[Candidate]:
    """For an answer the whole set, composed at once, does not reproduce:
    the fewest readings of the set that do when applied together (one, then
    any two: a lenient If-Match parse with a changed precedence, say), so a
    failure is told by the readings already found before it is called a
    deviation of its own; [] when no such combination gives its status.
    ``manifestations`` are other forms of a catalogue reading of the set
    (the same ID for the same field: one parser), which count as in it."""
    if _reproduces((), answer):
        return []
    pool = [member for member in members if member.kind != "pass"]
    pool += [other for other in manifestations if other not in pool]
    passing = [member for member in members if member.kind == "pass"]
    if _reproduces(_ordered(passing), answer):
        return []  # a permitted reading gives it: no deviation's
    # A reading that does not apply to the request cannot be what tells it.
    pool = [
        member
        for member in pool
        if member.outcome(answer.reading(member.function, answer.case)) is not None
    ]
    for size in (1, 2):
        for combination in itertools.combinations(pool, size):
            if _reproduces(_ordered([*combination, *passing]), answer):
                return list(combination)
    return []


# --- the whole run ----------------------------------------------------------------------


def _text(statuses: Iterable[int]) -> str:
    return " or ".join(str(status) for status in sorted(statuses))


def _decisive(
    candidate: Candidate,
    answers: Sequence[_Answer],
    features: Sequence[Feature],
    target: Target | None,
) -> DecisiveProbe | None:
    """The simplest request of the run on which a conforming target and one
    with only ``candidate`` answer differently, sent again."""
    best: tuple[tuple[int, int, int], _Answer] | None = None
    for answer in answers:
        deviant = _predict([candidate], answer)
        rfc = _predict((), answer)
        if deviant & rfc or answer.status not in deviant:
            continue
        simplest = _simplicity(answer.simplest())
        if best is None or simplest < best[0]:
            best = (simplest, answer)
    if best is None:
        return _probe_of_feature(candidate, features, target) or _telling_answer(
            candidate, answers, target
        )
    answer = best[1]
    exchange = answer.simplest()
    deviant, rfc = _predict([candidate], answer), _predict((), answer)
    response = _sent_again(exchange.request, exchange.response, target)
    confirmed = response.status in deviant and response.status not in rfc
    return DecisiveProbe(exchange.request, response, _text(rfc), _text(deviant), confirmed)


def _sent_again(
    request: ProbeRequest, answered: ProbeResponse, target: Target | None
) -> ProbeResponse:
    response = answered if target is None else target.send(request)
    return replace(response, body=b"") if response.body else response


def _probe_of_feature(
    candidate: Candidate, features: Sequence[Feature], target: Target | None
) -> DecisiveProbe | None:
    """For "<field> not evaluated" (where a server may ignore the Range
    that would tell): the feature probe that decided it."""
    if candidate.kind != "unsupported":
        return None
    field = candidate.name.removesuffix(" not evaluated")
    for feature in features:
        if feature.name != field:
            continue
        for probe in feature.probes:
            if probe.decisive and probe.as_alternative:
                response = _sent_again(probe.request, probe.response, target)
                confirmed = response.status in probe.alternative
                return DecisiveProbe(
                    probe.request,
                    response,
                    _text(probe.rfc),
                    _text(probe.alternative),
                    confirmed,
                )
    return None


def _telling_answer(
    candidate: Candidate, answers: Sequence[_Answer], target: Target | None
) -> DecisiveProbe | None:
    """When no request separates the readings outright: the simplest one
    whose answer only the reading gives."""
    found = [
        answer
        for answer in answers
        if answer.status in _predict([candidate], answer)
        and answer.status not in _predict((), answer)
    ]
    if not found:
        return None
    answer = min(found, key=lambda a: _simplicity(a.simplest()))
    exchange = answer.simplest()
    deviant, rfc = _predict([candidate], answer), _predict((), answer)
    response = _sent_again(exchange.request, exchange.response, target)
    confirmed = response.status == answer.status
    return DecisiveProbe(exchange.request, response, _text(rfc), _text(deviant), confirmed)


def _kind(candidate: Candidate, features: Sequence[Feature]) -> str:
    """``unsupported`` needs the feature probes to agree."""
    if candidate.kind != "unsupported":
        return candidate.kind
    field = candidate.name.removesuffix(" not evaluated")
    if any(f.name == field and f.support is Support.NOT_EVALUATED for f in features):
        return "unsupported"
    return "bug"


def _retold(failure: Failure, needed: Sequence[Candidate], identifiers: tuple[str, ...]) -> Failure:
    """The failure told by the reading(s) it needs (joined by `` + `` when
    it needs several at once)."""
    first = needed[0]
    lenient = first.reading or "lenient" if all(m.kind == "lenient" for m in needed) else ""
    signature = " + ".join(member.name for member in needed)
    explanation = failure.explanation
    if failure.lenient:  # the judge's first reading is not the cause
        explanation = explanation.replace(f" (lenient: {failure.lenient}, {failure.signature})", "")
    if lenient:
        explanation = explanation.replace(" [", f" (lenient: {lenient}, {signature}) [", 1)
    return dataclasses.replace(
        failure,
        signature=signature,
        lenient=lenient,
        explanation=explanation,
        deviations=identifiers,
    )


_ATTENTION: Final = (Status.FAILED, Status.WARNED, Status.LENIENT)
_LABELS: Final = {label.lower(): label for _, label in _FIELDS}


def _fields_never_read(failure: Failure, ignored: Sequence[Candidate]) -> list[Candidate]:
    """For a failure no status judge saw (a write's outcome, say): the
    unsupported fields it carries, when it carries no other precondition
    field (the target that never reads them does what it did)."""
    sent = {_LABELS[name.lower()] for name, _ in failure.request.headers if name.lower() in _LABELS}
    names = {candidate.name.removesuffix(" not evaluated"): candidate for candidate in ignored}
    if not sent or not sent <= set(names) or failure.lenient:
        return []
    return [names[label] for label in sorted(sent)]


def _told_by_the_set(
    failure: Failure,
    chosen: Sequence[Candidate],
    observed_at: dict[str, Observed],
    forms: Sequence[Candidate] = (),
) -> list[Candidate]:
    """For a failure no status judge saw (a HEAD compared with its GET, a
    write and what it changed): the first reading of the set that gives its
    status where RFC 9110 does not. A write that went ahead is taken to
    have succeeded as it would without preconditions."""
    observed = observed_at.get(failure.request.path)
    status = failure.response.status
    if observed is None or failure.lenient or failure.response.error is not None:
        return []
    baseline = None
    if failure.request.method not in ("GET", "HEAD"):
        if not 200 <= status < 300:
            return []
        baseline = status
    case = case_of(failure.request, observed, baseline=baseline)
    answer = _Answer(case, status, may_be_rejected(failure.request), [])
    if _reproduces((), answer):
        return []
    for candidate in chosen:
        if candidate.kind not in ("lenient", "pass") and _reproduces([candidate], answer):
            return [candidate]
    return _combination(chosen, answer, forms)


def _once(failures: Sequence[Failure]) -> list[Failure]:
    """One failure per root cause: the first (a check records a lenient
    finding per reading it meets, which one cause may now tell several times)."""
    seen: set[str] = set()
    kept = []
    for failure in failures:
        if failure.signature not in seen:
            seen.add(failure.signature)
            kept.append(failure)
    return kept


def _status(result: CheckResult, failures: Sequence[Failure]) -> Status:
    """The check's verdict once its failures are retold."""
    if result.status not in (Status.FAILED, Status.WARNED, Status.LENIENT):
        return result.status
    if tuple(failures) == result.failures or "the check itself raised" in result.note:
        return result.status
    if any(not failure.lenient for failure in failures):
        return Status.FAILED if result.check.level is Level.MUST else Status.WARNED
    return Status.LENIENT


def diagnose(
    results: Sequence[CheckResult],
    exchanges: Sequence[Exchange],
    features: Sequence[Feature],
    *,
    target: Target | None = None,
    target_kind: str = "",
) -> tuple[tuple[CheckResult, ...], Diagnosis]:
    """The results with each failure told by the readings it needs, and the
    diagnosis of the run: every reading of the smallest set found (with its
    class, checks and decisive probe), then the causes no reading explains
    (the checks' own signatures). ``target``, if given, is sent each
    decisive probe again."""
    answers = _answers(exchanges)
    candidates = _candidates(answers, features)
    chosen = explain_answers(answers, candidates)
    by_exchange: dict[tuple[str, ProbeRequest, int], _Answer] = {}
    same_fields: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[_Answer]] = {}
    for answer in answers:
        for exchange in answer.exchanges:
            key = (exchange.check, exchange.request, exchange.response.status)
            by_exchange.setdefault(key, answer)
            request = exchange.request
            twins = same_fields.setdefault((exchange.check, request.path, request.headers), [])
            twins.append(answer)
    ignored = [c for c in chosen if c.kind == "unsupported" and _kind(c, features) == "unsupported"]
    forms = _other_forms(chosen, candidates)
    observed_at = {exchange.request.path: exchange.observed for exchange in exchanges}
    needs = {
        id(answer): [member for member in _needed(chosen, answer) if member.kind != "pass"]
        for answer in answers
    }
    # A lenient finding is recorded the first time a check meets it (it is
    # not shrunk): the simplest of the check's answers that need the same
    # readings tells it instead (an answer whose status the check judged: a
    # HEAD it sent to compare with GET tells nothing of its rule).
    simplest: dict[tuple[str, tuple[Candidate, ...]], Exchange] = {}
    for answer in answers:
        if needs[id(answer)]:
            for exchange in answer.exchanges:
                if not exchange.judged:
                    continue
                told_by = (exchange.check, tuple(needs[id(answer)]))
                kept = simplest.get(told_by)
                if kept is None or _size(exchange.request) < _size(kept.request):
                    simplest[told_by] = exchange

    told: list[CheckResult] = []
    unconfirmed: set[str] = set()
    checks_of: dict[str, list[CheckResult]] = {}
    for result in results:
        failures = []
        causes: list[str] = []
        for failure in result.failures:
            key = (result.check.id, failure.request, failure.response.status)
            found = by_exchange.get(key)
            if found is None:
                needed = _fields_never_read(failure, ignored) or _told_by_the_set(
                    failure, chosen, observed_at, forms
                )
            else:
                needed = needs[id(found)] or _combination(chosen, found, forms)
            if not needed and not failure.lenient:
                # A check that compares two answers (HEAD with GET) records
                # one of them: the other, with the same fields, may tell.
                request = failure.request
                twins = same_fields.get((result.check.id, request.path, request.headers), [])
                needed = next((needs[id(t)] for t in twins if needs[id(t)]), [])
            if needed:
                identifiers = tuple(
                    dict.fromkeys(
                        deviation_id(m.name, m.reading, _kind(m, features), m.code) for m in needed
                    )
                )
                simpler = simplest.get((result.check.id, tuple(needed)))
                if failure.lenient and simpler is not None:
                    if _size(simpler.request) < _size(failure.request):
                        failure = _failure_of(simpler, result.check, target)
                failures.append(_retold(failure, needed, identifiers))
            elif found is not None and not failure.lenient and not _reproduces(chosen, found):
                unconfirmed.add(failure.signature)  # its reading: another answer contradicts it
                failures.append(failure)
            else:
                failures.append(failure)
            causes += [member.name for member in needed] or [failures[-1].signature]
        if failures != list(result.failures):
            failures = _once(failures)
        status = _status(result, failures)
        new = dataclasses.replace(result, status=status, failures=tuple(failures))
        told.append(new)
        if status in (Status.FAILED, Status.WARNED, Status.LENIENT):
            for cause in dict.fromkeys(causes):
                checks_of.setdefault(cause, []).append(new)

    # A reading is also charged to the failing checks whose other answers
    # (not the one failure a check records) need it.
    attention = {r.check.id: r for r in told if r.status in _ATTENTION}
    deviations: list[Deviation] = []
    # Another form of a reading of the set that a failure needed is told
    # with it (grouped below), as the set's own readings are.
    used_forms = [form for form in forms if form.name in checks_of]
    # What a check's other answers show of a deviation its failures do not
    # carry: (check, deviation ID) -> the reading and the simplest exchange
    # that needs it (the forms of one deviation share an ID: one failure).
    shown: dict[tuple[str, str], tuple[Candidate, Exchange]] = {}
    for candidate in (c for c in [*chosen, *used_forms] if c.kind != "pass"):
        weight = sum(a.weight for a in answers if candidate in needs[id(a)])
        met = checks_of.pop(candidate.name, [])
        identifier = deviation_id(
            candidate.name, candidate.reading, _kind(candidate, features), candidate.code
        )
        for answer in answers:
            if candidate in needs[id(answer)]:
                for exchange in answer.exchanges:
                    failing = attention.get(exchange.check)
                    if failing is None:
                        continue
                    if failing not in met:
                        met.append(failing)
                    if exchange.judged and all(
                        identifier not in f.deviations for f in failing.failures
                    ):
                        pair = (exchange.check, identifier)
                        before = shown.get(pair)
                        if before is None or _simplicity(exchange) < _simplicity(before[1]):
                            shown[pair] = (candidate, exchange)
        met.sort(key=lambda r: told.index(r))
        deviations.append(
            Deviation(
                candidate.name,
                _kind(candidate, features),
                candidate.reading,
                tuple(r.check.id for r in met),
                tuple(r.check.id for r in met if r.check.level is Level.MUST),
                weight,
                _decisive(candidate, answers, features, target),
                id=identifier,
            )
        )
    told = _shown_by_other_answers(told, shown, target)
    named = {candidate.name: candidate for candidate in candidates}
    for signature, met in checks_of.items():
        deviations.append(
            _unexplained(
                signature,
                met,
                target_kind,
                explained=signature not in unconfirmed,
                known=named.get(signature),
            )
        )
    told = _with_deviation_ids(told, {d.name: d.id for d in deviations})
    deviations = _grouped(deviations)
    deviations.sort(key=lambda d: (d.kind == "lenient", not d.explained))
    unexplained = sum(
        a.weight for a in answers if not _reproduces(chosen, a) and not _reproduces((), a)
    )
    return tuple(told), Diagnosis(tuple(deviations), sum(a.weight for a in answers), unexplained)


def _failure_of(exchange: Exchange, check: CheckInfo, target: Target | None) -> Failure:
    """A failure of ``check`` shown by a judged exchange of the transcript,
    worded as a status judge words it, with the answer sent again (the
    transcript keeps no content) when ``target`` is given and it answers
    the same status."""
    request, response = exchange.request, exchange.response
    if target is not None:
        again = target.send(request)
        response = again if again.status == response.status else response
    expectation = expect(request, exchange.observed, baseline=exchange.baseline)
    explanation = status_explanation(request, exchange.observed, expectation, response.status)
    return Failure(
        request,
        response,
        expectation.describe(),
        f"{explanation} [{check.id}: {check.rule}]",
        target.reproduce(request) if target is not None else "",
    )


def _shown_by_other_answers(
    told: Sequence[CheckResult],
    shown: dict[tuple[str, str], tuple[Candidate, Exchange]],
    target: Target | None,
) -> list[CheckResult]:
    """The results with a failure for each deviation of the set that a
    check's own judged answers need but none of its failures carries (its
    search passed over them once another deviation was known): the
    simplest of those answers, told by its reading. Only answers whose
    status the check judged count: a HEAD that METH-HEAD-1 sends to compare
    with GET is not its failure, whatever its status. A check's failures
    then show every deviation the diagnosis charges it with, so its class
    follows from the whole run, not from which requests its search happened
    to record."""
    checks = {result.check.id: result.check for result in told}
    added: dict[str, list[Failure]] = {}
    for (check, identifier), (candidate, exchange) in shown.items():
        failure = _failure_of(exchange, checks[check], target)
        added.setdefault(check, []).append(_retold(failure, [candidate], (identifier,)))
    results = []
    for result in told:
        more = added.get(result.check.id)
        if more:
            failures = (*result.failures, *more)
            result = replace(result, status=_status(result, failures), failures=failures)
        results.append(result)
    return results


def _with_deviation_ids(
    results: Sequence[CheckResult], ids_of: dict[str, str]
) -> list[CheckResult]:
    """The results with every failure that carries no deviation ID yet
    (one the set's readings do not tell) given its cause's ID."""
    told = []
    for result in results:
        failures = tuple(
            failure
            if failure.deviations or failure.signature not in ids_of
            else dataclasses.replace(failure, deviations=(ids_of[failure.signature],))
            for failure in result.failures
        )
        told.append(result if failures == result.failures else replace(result, failures=failures))
    return told


def _unexplained(
    signature: str,
    met: Sequence[CheckResult],
    target_kind: str,
    *,
    explained: bool,
    known: Candidate | None = None,
) -> Deviation:
    """A cause no reading of the set explains: the checks' own signature
    (the reading that predicts its one answer, or its check's words), shown
    by the failure itself; not ``explained`` (nor confirmed) when other
    answers of the run contradict that reading and no combination of the
    set's readings reproduces the failure. A signature that is a catalogue
    reading takes that reading's ID and the class of its verdict; one that
    only checks below MUST met (a 416 without Content-Range) is ``should``."""
    failure = next(f for r in met for f in r.failures if f.signature == signature)
    checks = tuple(r.check.id for r in met)
    reading = failure.lenient
    if known is not None and known.reading and known.kind != "pass":
        kind, reading = known.kind, known.reading
    elif failure.lenient:
        kind = "lenient"
    elif target_kind in IN_PROCESS_KINDS and set(checks) <= SERVER_DUTY_CHECKS:
        kind = "server-duty"
    elif all(r.check.level is not Level.MUST for r in met):
        kind = "should"  # only its checks tell it, and none is a MUST
    else:
        kind = "bug"
    probe = DecisiveProbe(
        failure.request,
        failure.response,
        failure.expected,
        describe_answer(failure.response),
        explained,
    )
    must = tuple(r.check.id for r in met if r.check.level is Level.MUST)
    if known is not None and known.reading and known.kind != "pass":
        identifier = known.id
    elif kind == "lenient":
        identifier = deviation_id(signature, reading, kind, "")
    else:
        # A cause only its check tells (a 416's fields, a HEAD's body): the
        # check's ID; one no reading explains is marked as such.
        identifier = checks[0] if explained else f"UNEXPLAINED@{checks[0]}"
    return Deviation(
        signature, kind, reading, checks, must, 1, probe, explained=explained, id=identifier
    )


def _other_forms(chosen: Sequence[Candidate], candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that are another form of a catalogue reading of
    ``chosen``: the same deviation ID (see :func:`_grouped`)."""
    held = {member.id for member in chosen if member.reading}
    return [
        candidate
        for candidate in candidates
        if candidate.reading and candidate not in chosen and candidate.id in held
    ]


#: What a reading's name says it reads, the leftmost found.
_SUBJECT: Final = re.compile(
    r"If-None-Match|If-Match|If-Modified-Since|If-Unmodified-Since|If-Range|HTTP-date|Range"
)


def _grouped(deviations: Sequence[Deviation]) -> list[Deviation]:
    """One deviation per ID (:func:`deviation_id`): a target's parser is
    one reading however many forms it tolerates (an unquoted tag, ``w/``, a
    space after ``W/`` in If-Match are LEN-9 three times, one parser; every
    lenient reading of If-None-Match is one tolerant parser), so the
    deviations that share an ID are told once, their forms listed as
    manifestations, with the simplest confirmed probe among theirs. The
    ID holds the verdict, so a group is never of mixed classes: it takes
    the most severe of its members' (they agree but for a field the
    feature probes found partly evaluated)."""
    groups: dict[str, list[Deviation]] = {}
    for deviation in deviations:
        groups.setdefault(deviation.id or deviation.name, []).append(deviation)
    return [_merged(members) for members in groups.values()]


def _merged(members: Sequence[Deviation]) -> Deviation:
    first = members[0]
    if len(members) == 1:
        return first
    forms = tuple(
        dict.fromkeys(
            form
            for member in members
            for form in (member.manifestations or tuple(member.name.split("; ")))
        )
    )
    kind = next(k for k in SEVERITY if any(m.kind == k for m in members))
    readings = ", ".join(
        dict.fromkeys(
            part.strip() for member in members for part in member.reading.split(",") if part
        )
    )
    subject = first.id.rpartition("@")[2] or "a request field"
    if len(forms) == 1:
        name = first.name
    elif kind == "lenient":
        name = f"{subject} parsed leniently ({readings}): {'; '.join(forms)}"
    elif readings:
        name = f"{subject} parsed too leniently ({readings}): {'; '.join(forms)}"
    else:
        name = "; ".join(forms)
    probes = [member.probe for member in members if member.probe is not None]
    probe = min(probes, key=_probe_simplicity, default=None)
    return Deviation(
        name,
        kind,
        readings,
        tuple(dict.fromkeys(check for member in members for check in member.checks)),
        tuple(dict.fromkeys(check for member in members for check in member.must)),
        sum(member.answers for member in members),
        probe,
        forms if len(forms) > 1 else (),
        any(member.explained for member in members),
        first.id,
    )


def _probe_simplicity(probe: DecisiveProbe) -> tuple[bool, int, int]:
    """Confirmed first, then fewer fields, then shorter ones."""
    headers = probe.request.headers
    return (not probe.confirmed, len(headers), sum(len(n) + len(v) for n, v in headers))


def describe_answer(response: ProbeResponse) -> str:
    """``"304"``, or what broke."""
    return response.error or str(response.status)
