"""The check catalogue: one registered function per requirement.

Each check has a stable ID from docs/SPEC.md, the RFC section, a level and a
one-line statement of the rule. Checks that compare statuses ask the
oracle (:mod:`etagspec.conformance.oracle`), which is the reference's own
precondition evaluation; the others inspect response fields directly.
MUST checks fail the run; SHOULD checks warn (fail under ``--strict``).

Generated requests are compact (:func:`etagspec.strategies.compact`): each
is one Hypothesis choice, a byte string the generators read every decision
from, which is what lets the harness check thousands of requests a second.
"""

from __future__ import annotations

import itertools
import time

from hypothesis import strategies as st

from .. import strategies as gen
from ..dates import format_http_date, http_date_to_timestamp
from ..errors import InvalidEntityTag, InvalidHTTPDate
from ..etags import parse_entity_tag
from ..ranges import InvalidRange, parse_range, resolve_ranges
from .context import CheckContext, Finding, Judge, deviation_key, unexplained
from .corpus import NO_SUCH_TAG
from .judging import describe, field_check, server_error, status_judge
from .model import Level, ProbeRequest, ProbeResponse
from .oracle import may_be_rejected
from .partial import BadPartial, covers, read_parts
from .probing import (
    APP_STRIPS_HEAD_BODY,
    DATE_REQUEST_TAPE,
    FIRST_DATE,
    METADATA_NOT_ON_304,
    METHOD_NOT_SUPPORTED,
    MISSING_PATH,
    RETRIEVAL,
    SATISFIABLE_RANGES,
    SERVER_ADDS_DATE,
    SEVERAL_RANGES,
    SIX_304_FIELDS,
    SYNTAX_CODES,
    UNSATISFIABLE_RANGES,
    Field,
    FieldValues,
    Representation,
    cache_control_judge,
    conditional_304,
    content_coding,
    explore_field,
    explore_invalid_dates,
    explore_ranges,
    explore_requests,
    explore_star,
    explore_with_examples,
    future_instant,
    is_satisfiable,
    length_judge,
    near,
    not_a_304,
    obsolete_date_examples,
    require_2xx,
    require_etag,
    require_last_modified,
    require_range,
    require_writable,
    unsafe_explore,
    unsatisfiable_ranges,
)
from .registry import check

MUST, SHOULD = Level.MUST, Level.SHOULD

# --- response syntax ---------------------------------------------------------------


@check(
    id="ABNF-ETAG-1",
    title="ETag is a valid entity-tag",
    rfc="RFC 9110 §8.8.3",
    level=MUST,
    rule="ETag = entity-tag = [ W/ ] DQUOTE *etagc DQUOTE",
)
def etag_syntax(context: CheckContext) -> None:
    require_2xx(context)
    context.decisive_situation("a response with an ETag")

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        def valid(response: ProbeResponse) -> Finding | None:
            if not response.header_values("ETag"):
                context.not_decisive()
            for value in response.header_values("ETag"):
                try:
                    parse_entity_tag(value)
                except InvalidEntityTag:
                    return Finding("an RFC 9110 entity-tag", f"ETag: {value} is not an entity-tag")
            if len(response.header_values("ETag")) > 1:
                return Finding("one ETag", "the response has several ETag fields")
            return None

        return field_check(context, response, valid)

    for method in RETRIEVAL:
        context.verify(context.request(method), judge)
    if context.observed.response.header("ETag") is not None:
        context.verify(context.request("GET", ("If-None-Match", "*")), judge)


@check(
    id="DATE-2",
    title="Last-Modified is an IMF-fixdate",
    rfc="RFC 9110 §5.6.7, §8.8.2",
    level=MUST,
    rule="A sender MUST generate HTTP-dates in the IMF-fixdate format",
)
def last_modified_syntax(context: CheckContext) -> None:
    require_2xx(context)
    sent = context.observed.response
    if not sent.has_header("Last-Modified") and not sent.has_header("Date"):
        context.skip("the path sends neither Last-Modified nor Date")

    context.decisive_situation("a response with Last-Modified or Date")

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        def valid(response: ProbeResponse) -> Finding | None:
            dates = (*response.header_values("Last-Modified"), *response.header_values("Date"))
            if not dates:
                context.not_decisive()
            for text in dates:
                try:
                    instant = http_date_to_timestamp(text)
                except InvalidHTTPDate:
                    return Finding("an IMF-fixdate", f"{text!r} is not a valid HTTP-date")
                if format_http_date(instant) != text.strip(" \t"):
                    return Finding(
                        format_http_date(instant), f"{text!r} is not in IMF-fixdate form"
                    )
            return None

        return field_check(context, response, valid)

    for method in RETRIEVAL:
        context.verify(context.request(method), judge)


@check(
    id="VAL-LM-4",
    title="Last-Modified is not later than Date",
    rfc="RFC 9110 §8.8.2.1",
    level=MUST,
    rule="An origin server with a clock MUST NOT send a Last-Modified date later than the Date",
)
def last_modified_not_after_date(context: CheckContext) -> None:
    # Without Date (an in-process app; the server stamps it when it sends
    # the answer) Last-Modified is compared with the harness's clock.
    require_last_modified(context)

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        def ordered(response: ProbeResponse) -> Finding | None:
            date = response.header("Date")
            try:
                modified = http_date_to_timestamp(response.header("Last-Modified") or "")
                sent = int(time.time()) if date is None else http_date_to_timestamp(date)
            except InvalidHTTPDate:
                context.not_decisive()
                return None
            if modified > sent:
                stamped = "" if date is not None else " (the Date the server would add)"
                return Finding(
                    "Last-Modified <= Date",
                    f"Last-Modified {response.header('Last-Modified')} is later than "
                    f"Date {format_http_date(sent) if date is None else date}{stamped}",
                )
            return None

        return field_check(context, response, ordered)

    context.verify(context.request("GET"), judge)


@check(
    id="DATE-ORIGIN-1",
    title="Every 2xx, 3xx and 4xx response carries Date",
    rfc="RFC 9110 §6.6.1",
    level=MUST,
    rule="An origin server with a clock MUST send Date in every 2xx, 3xx and 4xx "
    "response, 304 and 412 included",
)
def date_on_every_response(context: CheckContext) -> None:
    if context.target.kind != "url":
        context.skip(SERVER_ADDS_DATE)
    require_2xx(context)
    observed = context.observed
    requests = [
        context.request("GET"),
        context.request("HEAD"),
        ProbeRequest("GET", MISSING_PATH),
    ]
    etag = observed.response.header("ETag")
    if observed.etag is not None and etag is not None:
        requests += [
            context.request("GET", ("If-None-Match", etag)),
            context.request("GET", ("If-Match", '"etagspec-stale"')),
        ]
    if observed.last_modified is not None:
        modified = observed.last_modified
        requests += [
            context.request("GET", ("If-Modified-Since", format_http_date(modified))),
            context.request("GET", ("If-Unmodified-Since", format_http_date(modified - 1))),
        ]

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        def dated(response: ProbeResponse) -> Finding | None:
            if not 200 <= response.status < 500:
                context.not_decisive()
                return None  # 1xx and 5xx MAY carry Date (DATE-ORIGIN-2)
            date = response.header("Date")
            if date is None:
                return Finding(
                    "a Date field", f"{describe(request)} got {response.status} with no Date"
                )
            try:
                http_date_to_timestamp(date)
            except InvalidHTTPDate:
                return Finding("a valid HTTP-date in Date", f"Date: {date!r} is not an HTTP-date")
            return None

        return field_check(context, response, dated)

    for request in requests:
        context.verify(request, judge)


@check(
    id="VAL-200-1",
    title="A 200 to GET carries a validator",
    rfc="RFC 9110 §15.3.1, §8.8",
    level=SHOULD,
    rule="A 200 to GET or HEAD SHOULD carry the validators the origin has (ETag, Last-Modified)",
)
def validators_present(context: CheckContext) -> None:
    require_2xx(context)

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        def present(response: ProbeResponse) -> Finding | None:
            if response.header("ETag") is None and response.header("Last-Modified") is None:
                return Finding("ETag and/or Last-Modified", "the 200 has no validator at all")
            return None

        return field_check(context, response, present)

    context.verify(context.request("GET"), judge)


@check(
    id="VAL-ET-7",
    title="A strong ETag is not shared by two content-codings",
    rfc="RFC 9110 §8.8.1, §8.8.3",
    level=MUST,
    rule="A gzip and an identity representation differ in data: a strong ETag shared "
    "by both MUST be marked weak",
)
def strong_etag_per_content_coding(context: CheckContext) -> None:
    require_2xx(context)
    context.decisive_situation("a 2xx in another content-coding than the identity one")
    identity = context.verify(
        context.request("GET", ("Accept-Encoding", "identity")),
        lambda request, response: server_error(response) or context.not_decisive(),
    )
    if identity.error is not None or not 200 <= identity.status < 300:
        if context.failures:
            return  # the 5xx or broken answer is the finding
        context.skip(f"GET with Accept-Encoding: identity answered {identity.status}")
    identity_coding = content_coding(identity)
    identity_etag = identity.header("ETag")

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None or not 200 <= response.status < 300:
            return broken or context.not_decisive()
        coding = content_coding(response)
        etag = response.header("ETag")
        if coding == identity_coding:
            return context.not_decisive()
        if etag is None or etag != identity_etag:
            return None
        try:
            strong = not parse_entity_tag(etag).weak
        except InvalidEntityTag:
            return None  # ABNF-ETAG-1 says what is wrong with it
        if strong:
            return Finding(
                f"an ETag other than {etag}, or W/",
                f"the {coding} and the {identity_coding} representations share the "
                f"strong ETag {etag}",
            )
        return None

    for coding in ("gzip", "br", "deflate"):
        context.verify(context.request("GET", ("Accept-Encoding", coding)), judge)


# --- If-None-Match -----------------------------------------------------------------


@check(
    id="CMP-USE-2",
    title="If-None-Match uses the weak comparison",
    rfc="RFC 9110 §13.1.2, §8.8.3.2",
    level=MUST,
    rule="If-None-Match is false (304 for GET/HEAD) if any member weakly matches the current ETag",
)
def if_none_match_weak(context: CheckContext) -> None:
    require_etag(context)
    context.decisive_situation("an If-None-Match that weakly matches the current ETag")
    values = gen.etag_list_values(current=context.observed.etag, wildcard=False, min_members=1)
    explore_field(
        context,
        "If-None-Match",
        values,
        corpus="valid",
        decisive=lambda expectation: 304 in expectation.allowed,
    )


@check(
    id="COND-INM-4a",
    title="If-None-Match: * matches any current representation",
    rfc="RFC 9110 §13.1.2",
    level=MUST,
    rule="If-None-Match: * is false when a current representation exists: 304 for GET/HEAD",
)
def if_none_match_star(context: CheckContext) -> None:
    require_2xx(context)
    explore_star(context, "If-None-Match")


@check(
    id="COND-INM-4c",
    title="An invalid If-None-Match is true (full response), never an error",
    rfc="RFC 9110 §13.1.2",
    level=MUST,
    rule="If-None-Match that is not '*' or a list of entity-tags evaluates to true",
)
def if_none_match_invalid(context: CheckContext) -> None:
    require_2xx(context)
    values = gen.malformed_etag_list_values(current=context.observed.etag)
    explore_field(context, "If-None-Match", values, corpus="invalid")


# --- If-Match ---------------------------------------------------------------------


@check(
    id="CMP-USE-1",
    title="If-Match uses the strong comparison",
    rfc="RFC 9110 §13.1.1, §8.8.3.2",
    level=MUST,
    rule="If-Match is true only if a member strongly matches the current ETag; else 412",
)
def if_match_strong(context: CheckContext) -> None:
    require_etag(context)
    values = gen.etag_list_values(current=context.observed.etag, wildcard=False, min_members=1)
    explore_field(context, "If-Match", values, corpus="valid")


@check(
    id="COND-IM-4a",
    title="If-Match: * is true for an existing resource",
    rfc="RFC 9110 §13.1.1",
    level=MUST,
    rule="If-Match: * is true when the origin has a current representation",
)
def if_match_star(context: CheckContext) -> None:
    require_2xx(context)
    explore_star(context, "If-Match")


@check(
    id="COND-IM-4c",
    title="An invalid If-Match is false (412), never an error",
    rfc="RFC 9110 §13.1.1",
    level=MUST,
    rule="If-Match that is not '*' or a list of entity-tags evaluates to false: 412",
)
def if_match_invalid(context: CheckContext) -> None:
    require_2xx(context)
    values = gen.malformed_etag_list_values(current=context.observed.etag)
    explore_field(context, "If-Match", values, corpus="invalid")


# --- dates ----------------------------------------------------------------------------


@check(
    id="COND-IMS-6",
    title="If-Modified-Since gets 304 when not modified since",
    rfc="RFC 9110 §13.1.3",
    level=SHOULD,
    rule="If-Modified-Since is false when Last-Modified <= the date; the origin SHOULD send 304",
)
def if_modified_since(context: CheckContext) -> None:
    require_last_modified(context)
    context.decisive_situation("an If-Modified-Since date not before Last-Modified")
    dates = gen.http_dates(around=near(context.observed.last_modified))
    explore_field(
        context,
        "If-Modified-Since",
        dates,
        deviations=True,
        tape=DATE_REQUEST_TAPE,
        corpus="valid",
        decisive=lambda expectation: 304 in expectation.allowed,
    )
    if context.observed.supports_range and context.observed.last_modified is not None:
        # Decided before Range as well (§13.2.2: step 4 before step 5, RNG-7):
        # Last-Modified itself with a Range is 304 too, not 206.
        modified = format_http_date(context.observed.last_modified)
        request = context.request("GET", ("If-Modified-Since", modified), ("Range", "bytes=0-1"))
        known = {deviation_key(failure) for failure in context.failures}
        context.verify(request, unexplained(status_judge(context, deviations=True), known))


@check(
    id="COND-IMS-3",
    title="An invalid or list-valued If-Modified-Since is ignored",
    rfc="RFC 9110 §13.1.3",
    level=MUST,
    rule="If-Modified-Since MUST be ignored if it is not a valid HTTP-date or has several members",
)
def if_modified_since_invalid(context: CheckContext) -> None:
    require_last_modified(context)
    explore_invalid_dates(context, "If-Modified-Since", 0)


@check(
    id="COND-IUS-6",
    title="If-Unmodified-Since gets 412 when modified since",
    rfc="RFC 9110 §13.1.4, §13.2.2",
    level=MUST,
    rule="If-Unmodified-Since is false when Last-Modified > the date: 412",
)
def if_unmodified_since(context: CheckContext) -> None:
    require_last_modified(context)
    context.decisive_situation("an If-Unmodified-Since date before Last-Modified")
    dates = gen.http_dates(around=near(context.observed.last_modified))
    explore_field(
        context,
        "If-Unmodified-Since",
        dates,
        tape=DATE_REQUEST_TAPE,
        corpus="valid",
        decisive=lambda expectation: 412 in expectation.allowed,
    )


@check(
    id="COND-IUS-3",
    title="An invalid or list-valued If-Unmodified-Since is ignored",
    rfc="RFC 9110 §13.1.4",
    level=MUST,
    rule="If-Unmodified-Since MUST be ignored if it is not a valid HTTP-date (or is a list)",
)
def if_unmodified_since_invalid(context: CheckContext) -> None:
    require_last_modified(context)
    explore_invalid_dates(context, "If-Unmodified-Since", -1)


@check(
    id="DATE-1",
    title="The obsolete date formats are understood",
    rfc="RFC 9110 §5.6.7",
    level=MUST,
    rule="A recipient MUST accept all three HTTP-date formats (IMF-fixdate, rfc850, asctime)",
)
def obsolete_date_formats(context: CheckContext) -> None:
    # Judged by comparison, not by the oracle: the same instant written in an
    # obsolete form must get the answer its IMF-fixdate gets (PROP-6).
    # So a target that ignores a date field altogether fails COND-IMS-6 or
    # COND-IUS-6, not this check; one that ignores only the old forms fails here.
    require_last_modified(context)
    dated = gen.dated_http_dates(
        around=near(context.observed.last_modified), formats=("rfc850", "asctime")
    )
    requests = st.builds(
        lambda method, name, pair: context.request(method, (name, pair[1])),
        st.sampled_from(RETRIEVAL),
        st.sampled_from(["If-Unmodified-Since", "If-Modified-Since"]),
        dated,
    )

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        name, text = request.headers[0]
        imf = format_http_date(http_date_to_timestamp(text))
        twin = context.send(context.request(request.method, (name, imf)))
        if server_error(twin) is not None or twin.status == response.status:
            return None
        return Finding(
            f"{twin.status}, as for the same instant in IMF-fixdate",
            f"{describe(request)} got {response.status}, but {name}: {imf} (the same "
            f"instant in IMF-fixdate) got {twin.status}",
            signature="an obsolete date form (rfc850, asctime) not read as its IMF-fixdate",
        )

    examples = obsolete_date_examples(context, ("If-Unmodified-Since", "If-Modified-Since"))
    explore_with_examples(context, examples, requests, judge)


@check(
    id="COND-IMS-7b",
    title="An If-Modified-Since date in the future gets 304",
    rfc="RFC 9110 §13.1.3",
    level=SHOULD,
    rule="If-Modified-Since later than Last-Modified is false, even in the future "
    "(AMB-DATE-6: 304 primary; 200, RFC 2616's reading, ignores a SHOULD)",
)
def if_modified_since_in_the_future(context: CheckContext) -> None:
    require_last_modified(context)
    future = gen.http_dates(around=future_instant(context.observed))
    explore_field(
        context,
        "If-Modified-Since",
        future,
        deviations=True,
        tape=DATE_REQUEST_TAPE,
        corpus="none",
    )


# --- precedence ---------------------------------------------------------------------


@check(
    id="COND-IMS-2",
    title="If-None-Match overrides If-Modified-Since",
    rfc="RFC 9110 §13.1.3, §13.2.2",
    level=MUST,
    rule="A recipient MUST ignore If-Modified-Since if the request has If-None-Match",
)
def if_none_match_over_ims(context: CheckContext) -> None:
    # No valid ETag is needed: a tag that matches nothing must still stop
    # If-Modified-Since from giving a 304.
    require_last_modified(context)
    observed = context.observed
    inm = (
        gen.etag_list_values(current=observed.etag),
        gen.malformed_etag_list_values(current=observed.etag),
        NO_SUCH_TAG,
    )
    ims = gen.http_dates(around=near(observed.last_modified))
    fields: list[Field] = [("If-None-Match", inm), ("If-Modified-Since", ims)]
    explore_requests(context, RETRIEVAL, [fields], status_judge(context))


@check(
    id="COND-IUS-2",
    title="If-Match overrides If-Unmodified-Since",
    rfc="RFC 9110 §13.1.4, §13.2.2",
    level=MUST,
    rule="A recipient MUST ignore If-Unmodified-Since if the request has If-Match",
)
def if_match_over_ius(context: CheckContext) -> None:
    require_last_modified(context)
    observed = context.observed
    # The revealing case is a *true* If-Match with a false IUS: draw the
    # current tag itself often (or, without a valid ETag, "*", which is true
    # for any current representation), as well as other lists and malformed values.
    im = (
        str(observed.etag) if observed.etag is not None else "*",
        gen.etag_list_values(current=observed.etag),
        gen.malformed_etag_list_values(current=observed.etag),
    )
    ius = gen.http_dates(around=near(observed.last_modified))
    fields: list[Field] = [("If-Match", im), ("If-Unmodified-Since", ius)]
    explore_requests(context, RETRIEVAL, [fields], status_judge(context))


@check(
    id="COND-PREC-0",
    title="Preconditions are evaluated in order: 412 before 304",
    rfc="RFC 9110 §13.2.2",
    level=MUST,
    rule="If-Match, then If-Unmodified-Since, then If-None-Match, then If-Modified-Since",
)
def precedence(context: CheckContext) -> None:
    require_2xx(context)
    observed = context.observed
    fields: list[Field] = []
    if observed.etag is not None:
        fields.append(("If-Match", gen.etag_list_values(current=observed.etag)))
        fields.append(("If-None-Match", gen.etag_list_values(current=observed.etag)))
    if observed.last_modified is not None:
        fields.append(("If-Unmodified-Since", gen.http_dates(around=near(observed.last_modified))))
        fields.append(("If-Modified-Since", gen.http_dates(around=near(observed.last_modified))))
    if len(fields) < 2:
        context.skip("needs an ETag or Last-Modified")
    # Every subset of two or more fields, smallest first (what shrinking prefers).
    subsets = [
        subset
        for size in range(2, len(fields) + 1)
        for subset in itertools.combinations(fields, size)
    ]
    explore_requests(context, RETRIEVAL, subsets, status_judge(context))


# --- what a 304 and a HEAD look like ---------------------------------------------


@check(
    id="ST-304-4",
    title="A 304 has no content",
    rfc="RFC 9110 §15.4.5; RFC 9112 §6.3",
    level=MUST,
    rule="A 304 response is terminated by the end of the header section: no content",
)
def not_modified_is_empty(context: CheckContext) -> None:
    require_2xx(context)
    request = conditional_304(context)

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        if response.status == 304 and response.body:
            return Finding("no content", f"the 304 carried {len(response.body)} bytes of content")
        return server_error(response) or not_a_304(context, response)

    context.verify(request, judge)


@check(
    id="METH-HEAD-1",
    title="A response to HEAD has no content",
    rfc="RFC 9110 §9.3.2",
    level=MUST,
    rule="The server MUST NOT send content in the response to HEAD",
)
def head_is_empty(context: CheckContext) -> None:
    # Whatever the status: a HEAD answered 404 or 405 has no content either.
    etag = context.observed.response.header("ETag") or '"x"'
    headers = st.sampled_from([(), (("If-None-Match", etag),), (("If-Match", NO_SUCH_TAG),)])
    requests = st.builds(lambda h: context.request("HEAD", *h), headers)

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        if response.body:
            where = "" if context.target.kind == "url" else APP_STRIPS_HEAD_BODY
            return Finding(
                "no content",
                f"HEAD got a {response.status} with {len(response.body)} bytes{where}",
            )
        return server_error(response)

    context.explore(requests, judge)


@check(
    id="METH-GEN-1",
    title="HEAD is supported wherever GET is",
    rfc="RFC 9110 §9.1, §9.3.2",
    level=MUST,
    rule="All general-purpose servers MUST support GET and HEAD: no 405 or 501 to HEAD "
    "where GET succeeds",
)
def head_supported(context: CheckContext) -> None:
    require_2xx(context)
    get = context.observed.baseline

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        if response.status in METHOD_NOT_SUPPORTED:
            return Finding(
                f"{get}, as GET",
                f"{describe(request)} got {response.status} but GET got {get}: "
                "HEAD is not supported",
            )
        return None

    context.verify(context.request("HEAD"), judge)
    etag = context.observed.response.header("ETag")
    if etag is not None:
        context.verify(context.request("HEAD", ("If-None-Match", NO_SUCH_TAG)), judge)


@check(
    id="ST-304-2",
    title="A 304 keeps ETag, Cache-Control, Content-Location, Date, Expires and Vary",
    rfc="RFC 9110 §15.4.5",
    level=MUST,
    rule="A 304 MUST include each of these fields that a 200 to the same request would have",
)
def not_modified_keeps_fields(context: CheckContext) -> None:
    require_2xx(context)
    request = conditional_304(context)
    full = context.observed.response
    wanted = [name for name in SIX_304_FIELDS if full.has_header(name) and name != "Date"]

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        if response.status != 304:
            return server_error(response) or not_a_304(context, response)
        missing = [name for name in wanted if not response.has_header(name)]
        if full.has_header("Date") and not response.has_header("Date"):
            missing.append("Date")
        if missing:
            return Finding(
                "the 200's " + ", ".join(missing),
                "the 304 lacks " + ", ".join(missing) + " that the 200 had",
            )
        return None

    context.verify(request, judge)


@check(
    id="ST-304-3",
    title="A 304 carries no other representation metadata",
    rfc="RFC 9110 §15.4.5",
    level=SHOULD,
    rule="A 304 SHOULD NOT include Content-Type, Content-Encoding, Content-Language, Content-Range",
)
def not_modified_has_no_metadata(context: CheckContext) -> None:
    require_2xx(context)
    request = conditional_304(context)

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        if response.status != 304:
            return server_error(response) or not_a_304(context, response)
        extra = [name for name in METADATA_NOT_ON_304 if response.has_header(name)]
        if extra:
            return Finding(
                "none of " + ", ".join(METADATA_NOT_ON_304), "the 304 has " + ", ".join(extra)
            )
        return None

    context.verify(request, judge)


@check(
    id="CL-304",
    title="Content-Length on a 304 is the 200's",
    rfc="RFC 9110 §8.6",
    level=MUST,
    rule="A server MUST NOT send Content-Length in a 304 unless it equals the 200's content length",
)
def not_modified_length(context: CheckContext) -> None:
    require_2xx(context)
    request = conditional_304(context)
    context.verify(request, length_judge(context, lambda q, r: r.status == 304, "the 304"))


@check(
    id="CL-HEAD",
    title="Content-Length on HEAD is GET's",
    rfc="RFC 9110 §8.6",
    level=MUST,
    rule="A server MUST NOT send Content-Length in a HEAD response unless it equals GET's",
)
def head_length(context: CheckContext) -> None:
    require_2xx(context)
    context.verify(
        context.request("HEAD"),
        length_judge(context, lambda q, r: 200 <= r.status < 300, "the HEAD response"),
    )


@check(
    id="METH-HEAD-2",
    title="HEAD answers as GET would",
    rfc="RFC 9110 §9.3.2, §13.2.1",
    level=SHOULD,
    rule="HEAD SHOULD get the same status and header fields as GET (preconditions included)",
)
def head_like_get(context: CheckContext) -> None:
    require_2xx(context)
    observed = context.observed
    fields: list[Field] = [
        ("If-None-Match", gen.etag_list_values(current=observed.etag)),
        ("If-Match", gen.etag_list_values(current=observed.etag)),
    ]
    if observed.last_modified is not None:
        fields.append(("If-Modified-Since", gen.http_dates(around=near(observed.last_modified))))
    # No field, one, or two different ones in either order.
    field_sets = [(), *((f,) for f in fields), *itertools.permutations(fields, 2)]

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        head_request = ProbeRequest("HEAD", request.path, request.headers)
        head = context.send(head_request)
        broken = server_error(head)
        if broken is not None:
            return broken
        if head.status != response.status:
            return Finding(
                f"{response.status}, as GET",
                f"{describe(head_request)} got {head.status} but GET got {response.status}",
            )
        for name in ("ETag", "Last-Modified", "Cache-Control"):
            if head.header(name) != response.header(name):
                return Finding(
                    f"{name}: {response.header(name)}",
                    f"HEAD sent {name}: {head.header(name)}, GET {response.header(name)}",
                )
        return None

    explore_requests(context, ("GET",), field_sets, judge)


# --- when preconditions do not apply --------------------------------------------------


@check(
    id="COND-EVAL-4",
    title="OPTIONS ignores preconditions",
    rfc="RFC 9110 §13.2.1",
    level=MUST,
    rule="Conditional fields MUST be ignored for methods that do not select a representation",
)
def options_ignores_preconditions(context: CheckContext) -> None:
    baseline = context.send(context.request("OPTIONS"))
    if baseline.error is not None or baseline.status >= 500:
        context.skip("OPTIONS without preconditions already fails")
    observed = context.observed
    fields: list[Field] = [
        (
            "If-Match",
            (gen.etag_list_values(current=observed.etag), gen.malformed_etag_list_values()),
        ),
        ("If-None-Match", ("*", gen.etag_list_values(current=observed.etag))),
        ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
    ]

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        if response.status != baseline.status:
            return Finding(
                f"{baseline.status}, as without preconditions",
                f"{describe(request)} got {response.status}; "
                f"without preconditions {baseline.status}",
            )
        return None

    explore_requests(context, ("OPTIONS",), [(field,) for field in fields], judge)


@check(
    id="COND-EVAL-2",
    title="Preconditions are ignored when the answer would be an error (404)",
    rfc="RFC 9110 §13.2.1",
    level=MUST,
    rule="Preconditions MUST be ignored if the response without them would not be 2xx or 412",
)
def errors_win(context: CheckContext) -> None:
    missing = context.send(ProbeRequest("GET", MISSING_PATH))
    if missing.error is not None or 200 <= missing.status < 300 or missing.status == 412:
        context.skip(f"{MISSING_PATH} answers {missing.status or missing.error}, not an error")
    fields = st.one_of(
        st.tuples(st.just("If-Match"), st.sampled_from(['"etagspec"', "*", 'W/"x"'])),
        st.tuples(st.just("If-None-Match"), st.sampled_from(['"etagspec"', "*"])),
        st.tuples(st.just("If-Unmodified-Since"), st.just("Thu, 01 Jan 1970 00:00:00 GMT")),
    )
    requests = st.builds(
        lambda method, field: ProbeRequest(method, MISSING_PATH, (field,)),
        st.sampled_from(list(RETRIEVAL)),
        fields,
    )
    context.explore(requests, status_judge(context, baseline=missing.status))


@check(
    id="COND-GEN-5",
    title="An invalid precondition field is never answered with an error",
    rfc="RFC 9110 §13.1, §13.2.1",
    level=MUST,
    rule="An invalid precondition field is ignored or evaluated as false (412), never "
    "answered 4xx or 5xx (400 only for a control character)",
)
def invalid_precondition_not_an_error(context: CheckContext) -> None:
    require_2xx(context)
    observed = context.observed
    lists = gen.malformed_etag_list_values(current=observed.etag)
    dates = gen.invalid_http_dates(around=near(observed.last_modified))
    if_range: FieldValues = ("garbage", "*", 'w/"x"', "x, y")
    field_sets: list[list[Field]] = [
        [("If-None-Match", lists)],
        [("If-Match", lists)],
        [("If-Modified-Since", dates)],
        [("If-Unmodified-Since", dates)],
        [("If-Range", if_range)],
    ]

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        rejected = response.status == 400 and may_be_rejected(request)
        if 400 <= response.status < 500 and response.status != 412 and not rejected:
            return Finding(
                "the answer without the field, or 412",
                f"{describe(request)} got {response.status}: an invalid precondition is "
                "ignored or false, never an error",
            )
        return None

    explore_requests(context, RETRIEVAL, field_sets, judge, corpus="invalid")


# --- Range and If-Range ---------------------------------------------------------------


@check(
    id="RNG-3",
    title="HEAD ignores Range",
    rfc="RFC 9110 §14.2",
    level=MUST,
    rule="A server MUST ignore Range for methods without range handling; only GET has it",
)
def head_ignores_range(context: CheckContext) -> None:
    require_range(context)
    context.verify(context.request("HEAD", ("Range", "bytes=0-0")), status_judge(context))


@check(
    id="COND-IR-8",
    title="If-Range uses the strong comparison (else the full 200)",
    rfc="RFC 9110 §13.1.5, §13.2.2",
    level=MUST,
    rule="If-Range is true only for a strong match; when false, Range MUST be ignored (200)",
)
def if_range(context: CheckContext) -> None:
    require_range(context)
    observed = context.observed
    values = gen.if_range_values(current=observed.etag, last_modified=near(observed.last_modified))
    if_range: FieldValues = values
    if observed.etag is not None:
        # The revealing case is the current tag's weak form (only a weak
        # comparison matches it): one request in four, on top of what the
        # generator draws.
        if_range = (values, values, values, f'W/"{observed.etag.opaque}"')
    fields: list[Field] = [("Range", "bytes=0-0"), ("If-Range", if_range)]
    explore_requests(context, ("GET",), [fields], status_judge(context), tape=DATE_REQUEST_TAPE)


@check(
    id="COND-IR-3b",
    title="If-Range without Range is ignored",
    rfc="RFC 9110 §13.1.5",
    level=MUST,
    rule="A server MUST ignore If-Range when the request has no Range",
)
def if_range_alone(context: CheckContext) -> None:
    require_2xx(context)
    observed = context.observed
    values = gen.if_range_values(current=observed.etag, last_modified=near(observed.last_modified))
    explore_field(context, "If-Range", values, methods=("GET",), tape=DATE_REQUEST_TAPE)


@check(
    id="ST-416-2",
    title="A satisfiable range is never answered 416",
    rfc="RFC 9110 §14.1.2, §15.5.17",
    level=MUST,
    rule="416 means no requested range is satisfiable: a range that starts inside "
    "the representation gets 206 (or the full 200), never 416",
)
def satisfiable_range_not_416(context: CheckContext) -> None:
    require_2xx(context)
    length = context.observed.length
    if length == 0:
        context.skip("the representation is empty: no byte range is satisfiable")

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        if response.status not in (206, 416):
            context.decisive_situation("a Range answered 206 or 416")
            return context.not_decisive()
        if response.status == 416 and is_satisfiable(request.header("Range") or "", length):
            return Finding(
                "206 (or the full 200)",
                f"{describe(request)} got 416, but the range is satisfiable: "
                f"the representation is {length} bytes",
            )
        return None

    # Four positions whatever the length: O(1), never O(length) (a 1 GB file is fine).
    positions = sorted({at for at in (0, 1, length // 2, length - 1) if 0 <= at < length})
    ranges: FieldValues = tuple(
        spec
        for at in positions
        for spec in (f"bytes={at}-{at}", f"bytes={at}-", f"bytes=-{at + 1}", f"bytes=0-{at}")
    )
    explore_requests(context, ("GET",), [[("Range", ranges)]], judge, corpus="valid")


@check(
    id="ST-416-1",
    title="A 416 names the current length: Content-Range: bytes */<length>",
    rfc="RFC 9110 §15.5.17, §14.4",
    level=SHOULD,
    rule="A server generating a 416 to a byte-range request SHOULD send "
    "Content-Range: bytes */<current length>",
)
def unsatisfied_content_range(context: CheckContext) -> None:
    def judge_for(representation: Representation) -> Judge:
        wanted = f"bytes */{representation.length}"

        def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
            broken = server_error(response)
            if broken is not None or response.status != 416:
                return broken
            sent = response.header("Content-Range")
            if sent is None or sent.strip(" \t") != wanted:
                what = "no Content-Range" if sent is None else f"Content-Range: {sent}"
                return Finding(
                    f"Content-Range: {wanted}",
                    f"{describe(request)} got 416 with {what} ({representation.label()} "
                    f"is {representation.length} bytes)",
                    signature="a 416 without Content-Range: bytes */<length>",
                )
            return None

        return judge

    explore_ranges(context, UNSATISFIABLE_RANGES, judge_for)


@check(
    id="ST-206-1",
    title="A 206 carries the Date, Cache-Control, ETag, Expires, Content-Location and Vary "
    "a 200 would",
    rfc="RFC 9110 §15.3.7",
    level=MUST,
    rule="A 206 MUST carry each of Date, Cache-Control, ETag, Expires, Content-Location "
    "and Vary that a 200 to the same request would",
)
def partial_keeps_fields(context: CheckContext) -> None:
    def judge_for(representation: Representation) -> Judge:
        full = representation.full
        wanted = [name for name in SIX_304_FIELDS if full.has_header(name)]

        def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
            broken = server_error(response)
            if broken is not None or response.status != 206:
                return broken
            missing = [name for name in wanted if not response.has_header(name)]
            if missing:
                return Finding(
                    "the 200's " + ", ".join(missing),
                    f"{describe(request)} got a 206 without "
                    + ", ".join(missing)
                    + f" that the 200 of {representation.label()} has",
                    signature="a 206 without the 200's " + ", ".join(missing),
                )
            return None

        return judge

    explore_ranges(context, SATISFIABLE_RANGES, judge_for)


@check(
    id="ST-206-3",
    title="A 206 carries exactly the ranges its Content-Range names, of the 200's content",
    rfc="RFC 9110 §14.4, §15.3.7.1, §15.3.7.2",
    level=MUST,
    rule="Each part of a 206 (the single one, or each multipart/byteranges body part) has "
    "a Content-Range whose complete length is the 200's, and is that slice of the 200's content",
)
def partial_content_is_the_slice(context: CheckContext) -> None:
    def judge_for(representation: Representation) -> Judge:
        content = representation.full.body
        length = representation.length

        def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
            broken = server_error(response)
            if broken is not None or response.status != 206:
                return broken
            try:
                parts = read_parts(response)
            except BadPartial as bad:
                return Finding("a 206 a client can read", f"{describe(request)}: {bad}")
            for number, part in enumerate(parts, 1):
                where = "the 206" if len(parts) == 1 else f"body part {number}"
                named = f"bytes {part.first}-{part.last}/{part.complete}"
                if part.complete is not None and part.complete != length:
                    return Finding(
                        f"a complete length of {length}",
                        f"{describe(request)}: {where} says {named}, but the 200 of "
                        f"{representation.label()} is {length} bytes",
                        signature="a 206 whose Content-Range names another complete length",
                    )
                if part.content != content[part.first : part.last + 1]:
                    return Finding(
                        f"bytes {part.first}-{part.last} of the 200's content",
                        f"{describe(request)}: {where} names {named} but carries "
                        f"{part.content[:40]!r} ({len(part.content)} bytes), not "
                        f"{content[part.first : part.first + 40]!r}",
                        signature="a 206 whose content is not the slice its Content-Range names",
                    )
            declared = response.header("Content-Length")
            if declared is not None and declared.strip(" \t") != str(len(response.body)):
                return Finding(
                    f"Content-Length: {len(response.body)}",
                    f"{describe(request)}: the 206 says Content-Length: {declared} but carries "
                    f"{len(response.body)} bytes",
                    signature="a 206 whose Content-Length is not its content's",
                )
            return None

        return judge

    explore_ranges(context, (*SATISFIABLE_RANGES, *SEVERAL_RANGES), judge_for)


@check(
    id="ST-206-11",
    title="A 206 to several ranges drops none that is satisfiable",
    rfc="RFC 9110 §14.2, §15.3.7.2",
    level=SHOULD,
    rule="A 206 SHOULD contain every satisfiable range requested (merged with others, "
    "or in one part, as the server likes), never silently drop one",
)
def partial_drops_no_range(context: CheckContext) -> None:
    def judge_for(representation: Representation) -> Judge:
        length = representation.length

        def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
            broken = server_error(response)
            if broken is not None or response.status != 206:
                return broken
            try:
                parts = read_parts(response)
                wanted = resolve_ranges(parse_range(request.header("Range") or ""), length)
            except (BadPartial, InvalidRange):
                return None  # ST-206-3 reports an unreadable 206
            dropped = covers(parts, wanted)
            if dropped:
                spans = ", ".join(f"{first}-{last}" for first, last in dropped)
                sent = ", ".join(f"{part.first}-{part.last}" for part in parts)
                return Finding(
                    "every satisfiable range requested",
                    f"{describe(request)} got a 206 of {sent}: bytes {spans} are missing "
                    f"({representation.label()} is {length} bytes)",
                    signature="a satisfiable range of a multi-range request silently dropped",
                )
            return None

        return judge

    explore_ranges(context, SEVERAL_RANGES, judge_for)


@check(
    id="RNG-13",
    title="An unsatisfiable range (bytes=-0, a first position past the end) never gets 206",
    rfc="RFC 9110 §14.1.2, §14.2",
    level=MUST,
    rule="A zero-length suffix or a range starting at or past the end selects nothing: "
    "416 (or the full 200), never a 206",
)
def unsatisfiable_range_not_206(context: CheckContext) -> None:
    # 416 is RNG-9's SHOULD and the full 200 the MAY of ignoring Range: this
    # check asks only that nothing be sent as the part nobody asked for.
    def judge_for(representation: Representation) -> Judge:
        def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
            broken = server_error(response)
            if broken is not None or response.status != 206:
                return broken
            if is_satisfiable(request.header("Range") or "", representation.length):
                return None
            return Finding(
                "416, or the full 200",
                f"{describe(request)} got 206, but no range of it is satisfiable "
                f"({representation.label()} is {representation.length} bytes)",
                signature="an unsatisfiable Range answered 206",
            )

        return judge

    explore_ranges(context, UNSATISFIABLE_RANGES, judge_for, generated=unsatisfiable_ranges)


@check(
    id="RNG-7",
    title="If-None-Match and If-Modified-Since are decided before Range",
    rfc="RFC 9110 §13.2.2, §14.2",
    level=MUST,
    rule="Range applies only where the answer without it would be 200: a matching "
    "If-None-Match (or If-Modified-Since not earlier than Last-Modified) with Range is 304",
)
def validators_before_range(context: CheckContext) -> None:
    require_range(context)
    observed = context.observed
    ranges: FieldValues = ("bytes=0-1", "bytes=0-0", "bytes=-1", "bytes=1-")
    field_sets: list[list[Field]] = []
    etag = observed.response.header("ETag")
    if observed.etag is not None and etag is not None:
        tags = gen.etag_list_values(current=observed.etag)
        inm: FieldValues = (etag, tags, f'W/"{observed.etag.opaque}"', NO_SUCH_TAG)
        field_sets.append([("Range", ranges), ("If-None-Match", inm)])
        field_sets.append([("Range", ranges), ("If-None-Match", inm), ("If-Range", etag)])
    if observed.last_modified is not None:
        modified = format_http_date(observed.last_modified)
        dates = gen.http_dates(around=near(observed.last_modified))
        field_sets.append([("Range", ranges), ("If-Modified-Since", (modified, dates))])
    if not field_sets:
        context.skip("the path has no validator, so no 304 can be asked for")
    explore_requests(
        context, ("GET",), field_sets, status_judge(context), tape=DATE_REQUEST_TAPE, corpus="none"
    )


@check(
    id="COND-IR-9a",
    title="A false If-Range makes any Range ignored: the full 200",
    rfc="RFC 9110 §13.1.5, §13.2.2",
    level=MUST,
    rule="When If-Range is false (another tag, a weak one, another date) the Range MUST "
    "be ignored, whatever it asks for: 200 with the whole representation",
)
def false_if_range_gives_200(context: CheckContext) -> None:
    require_range(context)
    observed = context.observed
    false_values: list[str] = [NO_SUCH_TAG]
    if observed.etag is not None:
        false_values.append(f'W/"{observed.etag.opaque}"')
    if observed.last_modified is not None and observed.last_modified > FIRST_DATE:
        false_values.append(format_http_date(observed.last_modified - 1))
    length = observed.length
    ranges: FieldValues = (
        "bytes=0-1",
        "bytes=0-0",
        "bytes=-1",
        "bytes=-0",
        f"bytes={length}-",
        "bytes=0-0,-1",
        "bytes=1-2,0-0",
    )
    if_range: FieldValues = tuple(false_values)
    fields: list[Field] = [("Range", ranges), ("If-Range", if_range)]
    explore_requests(
        context, ("GET",), [fields], status_judge(context), tape=DATE_REQUEST_TAPE, corpus="none"
    )


# --- Cache-Control ------------------------------------------------------------------


@check(
    id="ABNF-CC-1",
    title="Cache-Control is well-formed",
    rfc="RFC 9111 §5.2",
    level=SHOULD,
    rule="Cache-Control = #cache-directive; delta-seconds unquoted, field-name lists quoted",
)
def cache_control_syntax(context: CheckContext) -> None:
    require_2xx(context)
    judge = cache_control_judge(lambda code: code in SYNTAX_CODES, context)
    context.verify(context.request("GET"), judge)
    if context.observed.etag is not None or context.observed.last_modified is not None:
        context.verify(conditional_304(context), judge)


@check(
    id="CC-8",
    title="Cache-Control has no contradictory or duplicate directives",
    rfc="RFC 9111 §4.2.1, §5.2",
    level=SHOULD,
    rule="Conflicting or repeated directives leave caches guessing; send each directive once",
)
def cache_control_consistent(context: CheckContext) -> None:
    require_2xx(context)
    judge = cache_control_judge(lambda code: code not in SYNTAX_CODES, context)
    context.verify(context.request("GET"), judge)


# --- state-changing methods (only with --unsafe PATH) ----------------------------------


@check(
    id="COND-IM-5",
    title="A PUT or DELETE whose If-Match is false is not performed (412)",
    rfc="RFC 9110 §13.1.1, §13.2.2",
    level=MUST,
    rule="If If-Match is false the origin MUST NOT perform the method: no lost update",
    unsafe=True,
)
def if_match_blocks_writes(context: CheckContext) -> None:
    def fields(context: CheckContext) -> st.SearchStrategy[tuple[str, str]]:
        etag = context.observed.etag
        stale = st.sampled_from(['"etagspec-stale"', 'W/"etagspec-stale"'])
        options = [stale, gen.malformed_etag_list_values(current=etag)]
        if etag is not None:
            options.append(st.just(f'W/"{etag.opaque}"'))
        return st.tuples(st.just("If-Match"), st.one_of(options))

    unsafe_explore(context, fields, "If-Match")


@check(
    id="COND-IUS-7",
    title="A PUT or DELETE whose If-Unmodified-Since is false is not performed (412)",
    rfc="RFC 9110 §13.1.4, §13.2.2",
    level=MUST,
    rule="If If-Unmodified-Since is false the origin MUST NOT perform the method",
    unsafe=True,
)
def if_unmodified_since_blocks_writes(context: CheckContext) -> None:
    learned = require_writable(context).last_modified
    if learned is None:
        context.skip("the path sends no Last-Modified")
        return
    first_modified: int = learned
    if first_modified <= FIRST_DATE:
        context.skip("Last-Modified is at the start of the HTTP-date range: no earlier date")

    def fields(context: CheckContext) -> st.SearchStrategy[tuple[str, str]]:
        # The current Last-Modified; the first one if a write removed it.
        modified = max(context.observed.last_modified or first_modified, first_modified)
        earlier = st.integers(1, min(10**6, modified - FIRST_DATE)).map(
            lambda k: format_http_date(modified - k)
        )
        return st.tuples(st.just("If-Unmodified-Since"), earlier)

    unsafe_explore(context, fields, "If-Unmodified-Since")


@check(
    id="COND-INM-5b",
    title="A PUT or DELETE whose If-None-Match is false gets 412 (not 304)",
    rfc="RFC 9110 §13.1.2, §13.2.2",
    level=MUST,
    rule="If-None-Match false: 304 for GET/HEAD, 412 for every other method; not performed",
    unsafe=True,
)
def if_none_match_blocks_writes(context: CheckContext) -> None:
    def fields(context: CheckContext) -> st.SearchStrategy[tuple[str, str]]:
        etag = context.observed.etag
        options = [st.just("*")]
        if etag is not None:
            options += [st.just(str(etag)), st.just(f'W/"{etag.opaque}"')]
        return st.tuples(st.just("If-None-Match"), st.one_of(options))

    unsafe_explore(context, fields, "If-None-Match")


@check(
    id="METH-PUT-3",
    title="A 2xx to PUT carries no validator of the previous representation",
    rfc="RFC 9110 §9.3.4, §8.8.3",
    level=MUST,
    rule="A successful PUT MUST NOT send a validator unless it is the new "
    "representation's: never the strong ETag the resource had before",
    unsafe=True,
)
def put_sends_no_stale_validator(context: CheckContext) -> None:
    current = require_writable(context)
    if current.etag is None or current.etag.weak:
        context.skip("the path sends no strong ETag (a weak one may survive a change)")
    content_type = current.response.header("Content-Type") or "application/octet-stream"
    context.decisive_situation("a 2xx to PUT")

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        if not 200 <= response.status < 300:
            return context.not_decisive()
        sent = response.header("ETag")
        previous = str(context.observed.etag)
        if 200 <= response.status < 300 and sent is not None and sent.strip() == previous:
            return Finding(
                "the new representation's ETag, or none",
                f"{describe(request)} got {response.status} with ETag {sent}, the "
                "representation it replaced",
            )
        return None

    for number in (1, 2):
        before = context.observed
        body = b"etagspec METH-PUT-3 probe %d\n" % number
        if body == before.response.body:
            body += b"."
        request = ProbeRequest("PUT", context.path, (("Content-Type", content_type),), body)
        response = context.verify(request, judge)
        if not 200 <= response.status < 300:
            break
        after = context.relearn()
        if after.etag is None or after.etag.weak:
            break
