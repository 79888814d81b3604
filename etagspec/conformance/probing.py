"""How checks draw and send requests: the request builders over compact
Hypothesis tapes, the field sets, and the preconditions a check needs
from the path before it can probe (a 2xx, an ETag, a Last-Modified).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from typing import Final, TypeAlias

from hypothesis import strategies as st

from .. import strategies as gen
from ..cache_control_lint import lint_cache_control
from ..dates import FIRST_HTTP_DATE, LAST_HTTP_DATE, format_http_date, http_date_to_timestamp
from ..errors import InvalidHTTPDate
from ..ranges import InvalidRange, parse_range, resolve_ranges
from .context import MAX_DEVIATIONS, CheckContext, Finding, Judge, deviation_key, unexplained
from .corpus import YEAR_2100, Selection, corpus_values
from .judging import describe, server_error, status_judge
from .model import ProbeRequest, ProbeResponse
from .oracle import Expectation, Observed, expect, may_be_rejected

RETRIEVAL: Final = ("GET", "HEAD")
SIX_304_FIELDS: Final = ("Content-Location", "Date", "ETag", "Vary", "Cache-Control", "Expires")
METADATA_NOT_ON_304: Final = (
    "Content-Type",
    "Content-Encoding",
    "Content-Language",
    "Content-Range",
)
MISSING_PATH: Final = "/.etagspec-missing-resource"
#: Which duties an in-process app leaves to the server, as measured with an
#: app that sends no Date and a 20-byte body to HEAD and in a 304, served on
#: 127.0.0.1 by wsgiref (CPython 3.11), waitress 3.0.2 and gunicorn 27.0.1:
#: all three add Date; only gunicorn drops the HEAD body (waitress drops a
#: 304's body, wsgiref sends both). So DATE-ORIGIN-1 relies on the server
#: in-process, and METH-HEAD-1 and ST-304-4 hold the app to its own answer,
#: in-process and over the wire alike.
SERVER_ADDS_DATE: Final = (
    "relies on the server: an in-process app; wsgiref, waitress and gunicorn each add "
    "Date to an answer that has none (checked over the wire)"
)
APP_STRIPS_HEAD_BODY: Final = (
    " (the app's own duty: wsgiref and waitress send a HEAD body as the app gives it)"
)
#: ``*`` with optional whitespace around it (RFC 9110 §5.5: not part of the value).
STAR_WITH_OWS: Final = st.builds(
    lambda before, after: f"{before}*{after}",
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["", " "]),
)

#: Where a field's value comes from: a strategy of etagspec.strategies, a
#: fixed value, or a choice among several of these.
FieldValues: TypeAlias = "st.SearchStrategy[str] | str | tuple[st.SearchStrategy[str] | str, ...]"
Field: TypeAlias = tuple[str, FieldValues]
#: Bytes of decisions behind each generated request (see
#: etagspec.strategies.compact): a method and a field set take a byte each,
#: nine If-Match lists in ten under 100, dates and If-Range values under 10
#: (decisions past the end take their simplest option). Fewer bytes are
#: cheaper for Hypothesis to draw.
REQUEST_TAPE: Final = 128
DATE_REQUEST_TAPE: Final = 32
#: Generated requests per Hypothesis example in :func:`explore_requests`
#: (see CheckContext.explore): a Hypothesis example costs about as much as
#: sending three requests to an in-process app, whatever it draws, and a
#: batch of eight costs little more than one.
REQUESTS_PER_EXAMPLE: Final = 8


def field_value(draw: st.DrawFn, values: FieldValues) -> str:
    """One value for a field, drawn inside a compact() builder."""
    if isinstance(values, tuple):
        values = gen.choose(draw, values)
    return values if isinstance(values, str) else draw(values)


def request_builder(
    context: CheckContext, methods: Sequence[str], field_sets: Sequence[Sequence[Field]]
) -> Callable[[st.DrawFn], ProbeRequest]:
    """How a request to this path is drawn: a method, one of ``field_sets``,
    and a value for each of its fields (each choice shrinking towards the
    first method, the first field set and the simplest values)."""

    def build(draw: st.DrawFn) -> ProbeRequest:
        method = gen.choose(draw, methods)
        fields = gen.choose(draw, field_sets)
        headers = tuple((name, field_value(draw, values)) for name, values in fields)
        return ProbeRequest(method, context.path, headers)

    return build


#: At most this many corpus requests per exploration (the corpus comes
#: before the Hypothesis examples, which it does not count against).
MAX_CORPUS_REQUESTS: Final = 48


def corpus_requests(
    context: CheckContext,
    methods: Sequence[str],
    field_sets: Sequence[Sequence[Field]],
    which: Selection,
) -> list[ProbeRequest]:
    """The explicit requests of an exploration: each field of each field
    set takes the tricky values of :mod:`etagspec.conformance.corpus`
    (``which`` of them: valid, invalid or all) in turn; a field given one
    fixed value keeps it. Field sets take turns, and methods too, up to
    :data:`MAX_CORPUS_REQUESTS`."""
    if which == "none":
        return []
    observed = context.observed
    last_modified = near(observed.last_modified)
    per_set: list[list[ProbeRequest]] = []
    for fields in field_sets:
        choices: list[tuple[str, tuple[str | tuple[str, ...], ...]]] = []
        for name, values in fields:
            if isinstance(values, str):
                choices.append((name, (values,)))
                continue
            chosen = corpus_values(name, etag=observed.etag, last_modified=last_modified).select(
                which
            )
            if not chosen:
                fixed = (
                    [v for v in values if isinstance(v, str)] if isinstance(values, tuple) else []
                )
                chosen = tuple(fixed[:1])
            if not chosen:
                break
            choices.append((name, chosen))
        else:
            variants = max((len(chosen) for _, chosen in choices), default=0)
            if all(len(chosen) == 1 for _, chosen in choices):
                variants = 0  # nothing from the corpus: the generation covers it
            requests = []
            for index in range(variants):
                headers: list[tuple[str, str]] = []
                for name, chosen in choices:
                    value = chosen[index % len(chosen)]
                    lines = value if isinstance(value, tuple) else (value,)
                    headers += [(name, line) for line in lines]
                method = methods[index % len(methods)]
                requests.append(ProbeRequest(method, context.path, tuple(headers)))
            per_set.append(requests)
    interleaved = [r for group in itertools.zip_longest(*per_set) for r in group if r is not None]
    return list(dict.fromkeys(interleaved))[:MAX_CORPUS_REQUESTS]


def explore_requests(
    context: CheckContext,
    methods: Sequence[str],
    field_sets: Sequence[Sequence[Field]],
    judge: Judge,
    *,
    tape: int = REQUEST_TAPE,
    corpus: Selection = "all",
) -> None:
    """Send the corpus requests (see :func:`corpus_requests`), then explore
    generated ones (see request_builder), judging each.

    Generated requests are drawn compact, one Hypothesis choice each
    (etagspec.strategies.compact), :data:`REQUESTS_PER_EXAMPLE` to a
    Hypothesis example; a failure is shrunk again with the same requests
    drawn decision by decision, one to an example, which shrinks them as
    far as Hypothesis can. Each distinct deviation is recorded once: the
    shrunk generated request, or else the first corpus request that showed
    it."""
    build = request_builder(context, methods, field_sets)

    @st.composite
    def decision_by_decision(draw: st.DrawFn) -> ProbeRequest:
        return build(draw)

    explore_with_examples(
        context,
        corpus_requests(context, methods, field_sets, corpus),
        gen.compact(build, size=tape),
        judge,
        shrink_with=decision_by_decision(),
        batch=REQUESTS_PER_EXAMPLE,
    )


def explore_with_examples(
    context: CheckContext,
    examples: Sequence[ProbeRequest],
    requests: st.SearchStrategy[ProbeRequest],
    judge: Judge,
    *,
    shrink_with: st.SearchStrategy[ProbeRequest] | None = None,
    batch: int = 1,
) -> None:
    """Send ``examples`` (the corpus's requests), then explore ``requests``
    (see CheckContext.explore, which takes ``shrink_with`` and ``batch``).
    Each distinct deviation is recorded once (:data:`MAX_DEVIATIONS` at
    most): as Hypothesis shrinks it, or else as the first example that
    showed it."""
    shown: dict[str, tuple[ProbeRequest, ProbeResponse, Finding]] = {}
    for request in examples:
        response = context.send(request)
        finding = context.judge_exchange(judge, request, response)
        if finding is not None:
            shown.setdefault(deviation_key(finding), (request, response, finding))
    recorded = len(context.failures)
    context.explore(requests, judge, shrink_with=shrink_with, batch=batch)
    explored = {deviation_key(failure) for failure in context.failures[recorded:]}
    for key, failure in shown.items():
        if key in explored or failure[2].explained_by & explored:
            continue  # a deviation already recorded explains it
        if len(explored) < MAX_DEVIATIONS:
            context.record(*failure)
            explored.add(key)


def obsolete_date_examples(context: CheckContext, names: Sequence[str]) -> list[ProbeRequest]:
    """GET requests with each date field of ``names`` set to a corpus date
    written in an obsolete form (rfc850, asctime) around Last-Modified."""
    observed = context.observed
    dates = corpus_values(names[0], etag=None, last_modified=near(observed.last_modified))
    obsolete = [
        text
        for text in dates.valid
        if isinstance(text, str) and format_http_date(http_date_to_timestamp(text)) != text
    ]
    return [context.request("GET", (name, text)) for text in obsolete for name in names]


def explore_field(
    context: CheckContext,
    name: str,
    values: st.SearchStrategy[str],
    *,
    methods: Sequence[str] = RETRIEVAL,
    deviations: bool = False,
    tape: int = REQUEST_TAPE,
    corpus: Selection = "all",
    decisive: Callable[[Expectation], bool] | None = None,
) -> None:
    """Explore one request field's values (the corpus's ``corpus`` ones
    first) and judge the statuses by the oracle (``decisive``: see
    status_judge)."""
    explore_requests(
        context,
        methods,
        [[(name, values)]],
        status_judge(context, deviations=deviations, decisive=decisive),
        tape=tape,
        corpus=corpus,
    )


def explore_star(context: CheckContext, name: str) -> None:
    """Explore ``*`` with OWS around it in one field: few enough requests
    for Hypothesis to send each once."""
    requests = st.builds(
        lambda method, star: context.request(method, (name, star)),
        st.sampled_from(RETRIEVAL),
        STAR_WITH_OWS,
    )
    context.explore(requests, status_judge(context))


#: POSIX seconds of the first and last instants an HTTP-date can name
#: (0001-01-01 and 9999-12-31), kept a day clear so that generated dates
#: around a Last-Modified stay representable.
FIRST_DATE: Final = FIRST_HTTP_DATE + 86400
LAST_DATE: Final = LAST_HTTP_DATE - 86400


def near(last_modified: int | None) -> int | None:
    """The instant to generate dates around: Last-Modified, kept inside the
    range of representable HTTP-dates."""
    if last_modified is None:
        return None
    return min(max(last_modified, FIRST_DATE), LAST_DATE)


def require_2xx(context: CheckContext) -> None:
    status = context.observed.baseline
    if not 200 <= status < 300:
        context.skip(f"a plain GET answered {status}, not 2xx")


def require_etag(context: CheckContext) -> None:
    require_2xx(context)
    if context.observed.etag is None:
        context.skip("the path sends no (valid) ETag")


def require_last_modified(context: CheckContext) -> None:
    require_2xx(context)
    if context.observed.last_modified is None:
        context.skip("the path sends no (valid) Last-Modified")


def not_a_304(context: CheckContext, response: ProbeResponse) -> Finding | None:
    """For the checks of what a 304 carries: an answer that is not a 304 is
    not their decisive situation (no finding)."""
    context.decisive_situation("a 304 to the request that asks for one")
    return context.not_decisive() if response.status != 304 else None


def conditional_304(context: CheckContext) -> ProbeRequest:
    """A request that must get 304: If-None-Match with the current tag, or
    If-Modified-Since with Last-Modified."""
    etag = context.observed.response.header("ETag")
    if context.observed.etag is not None and etag is not None:
        return context.request("GET", ("If-None-Match", etag))
    if context.observed.last_modified is not None:
        date = format_http_date(context.observed.last_modified)
        return context.request("GET", ("If-Modified-Since", date))
    context.skip("the path has no validator, so no 304 can be asked for")
    raise AssertionError("unreachable")


def is_satisfiable(value: str, length: int) -> bool:
    """Whether the Range field ``value`` is a valid bytes range with a
    part inside a representation of ``length`` bytes (RFC 9110 §14.1.2).

    >>> is_satisfiable("bytes=0-0", 20), is_satisfiable("bytes=20-", 20), is_satisfiable("x", 20)
    (True, False, False)
    """
    try:
        return bool(resolve_ranges(parse_range(value), length))
    except InvalidRange:
        return False


def content_coding(response: ProbeResponse) -> str:
    """The response's content-coding, ``identity`` when it names none.

    >>> content_coding(ProbeResponse(200, (("Content-Encoding", " GZIP"),)))
    'gzip'
    """
    return (response.header("Content-Encoding") or "identity").strip(" \t").lower() or "identity"


def future_instant(observed: Observed) -> int:
    """A day after the later of Last-Modified and the response's Date (the
    server's clock), or the year 2100 when the response has no valid Date.
    """
    try:
        now = http_date_to_timestamp(observed.response.header("Date") or "")
    except InvalidHTTPDate:
        return YEAR_2100
    return min(max(now, observed.last_modified or now) + 86_400, LAST_DATE)


# --- judges and preconditions of the individual checks -------------------------------


def explore_invalid_dates(context: CheckContext, name: str, offset: int) -> None:
    """Invalid dates in ``name``, and one request in four the revealing case
    (AMB-DATE-2): Last-Modified + ``offset`` in lower or upper case, a
    date that changes the answer only if the target accepts it anyway."""
    modified = near(context.observed.last_modified)
    assert modified is not None  # require_last_modified
    dates = gen.invalid_http_dates(around=modified)
    text = format_http_date(modified + offset)
    values = (dates, dates, dates, dates, dates, dates, text.lower(), text.upper())
    explore_requests(
        context,
        RETRIEVAL,
        [[(name, values)]],
        status_judge(context),
        tape=DATE_REQUEST_TAPE,
        corpus="invalid",
    )


def length_judge(
    context: CheckContext, when: Callable[[ProbeRequest, ProbeResponse], bool], what: str
) -> Judge:
    """Content-Length, when ``when`` holds for an exchange, is absent or the
    200's content length (``what`` names the answer in the finding)."""
    expected = context.observed.length

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        if not when(request, response):
            context.decisive_situation(what)
            return context.not_decisive()
        declared = response.header_values("Content-Length")
        if declared and any(value.strip() != str(expected) for value in declared):
            return Finding(
                f"no Content-Length, or {expected}",
                f"{what} has Content-Length: {', '.join(declared)} but the 200 is {expected} bytes",
            )
        return None

    return judge


def require_range(context: CheckContext) -> None:
    """The path handles Range: it answered ``bytes=0-0`` with 206, or with
    416 although its representation is not empty (range handling too, a
    wrong one, which the range checks then report)."""
    require_2xx(context)
    if context.observed.supports_range:
        return
    if context.observed.length > 0:
        probe = context.send(context.request("GET", ("Range", "bytes=0-0")))
        if probe.status == 416:
            context.observed = dataclasses.replace(context.observed, supports_range=True)
            return
    context.skip("the path ignores Range (a plain 200 to Range: bytes=0-0, not 206 or 416)")


SYNTAX_CODES: Final = frozenset(
    {
        "syntax",
        "quoted-delta-seconds",
        "bad-argument",
        "unexpected-argument",
        "unquoted-field-names",
        "wrong-direction",
    }
)


def cache_control_judge(codes: Callable[[str], bool], context: CheckContext | None = None) -> Judge:
    """No lint problem in Cache-Control among those whose code ``codes``
    accepts (an answer without Cache-Control is not the decisive situation
    of ``context``'s check)."""

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        values = response.header_values("Cache-Control")
        if not values:
            if context is not None:
                context.decisive_situation("a response with Cache-Control")
                return context.not_decisive()
            return None
        value = ", ".join(values)
        problems = [p for p in lint_cache_control(value) if codes(p.code)]
        if problems:
            return Finding(
                "a well-formed, consistent Cache-Control",
                f"Cache-Control: {value}: " + "; ".join(p.message for p in problems),
            )
        return None

    return judge


#: Besides 412: a target that does not support the method at all answers
#: 405 or 501 and must then ignore the preconditions (RFC 9110 §13.2.1).
#: Either way the resource must stay as it was.
METHOD_NOT_SUPPORTED: Final = frozenset({405, 501})


def unchanged_judge(context: CheckContext) -> Judge:
    """412 (or 405/501) and the resource as it was right before the request.

    Each request is judged against the state the GET after the previous
    request saw (``context.observed``), so one real lost update is reported
    once, and a shrunk request is judged on the state it was sent to."""

    def judge(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        broken = server_error(response)
        if broken is not None:
            return broken
        before = context.observed.response
        before_etag = before.header("ETag")
        after = context.relearn().response
        if after.header("ETag") != before_etag or after.body != before.body:
            return Finding(
                "412, and the resource unchanged",
                f"{describe(request)} got {response.status} and the resource changed "
                f"(ETag {before_etag} -> {after.header('ETag')}): a lost update",
            )
        rejected = response.status == 400 and may_be_rejected(request)
        if response.status != 412 and response.status not in METHOD_NOT_SUPPORTED and not rejected:
            return Finding(
                "412, and the resource unchanged",
                f"{describe(request)} (current ETag {before_etag}) got {response.status}",
            )
        return None

    return judge


def require_writable(context: CheckContext) -> Observed:
    """GET the writable path afresh; it must exist for the write checks."""
    current = context.relearn()
    if not 200 <= current.baseline < 300:
        context.skip(f"GET {context.path} answered {current.baseline}; create it first")
    return current


def unsafe_explore(
    context: CheckContext,
    fields: Callable[[CheckContext], st.SearchStrategy[tuple[str, str]]],
    corpus_field: str | None = None,
) -> None:
    """PUT/DELETE with a false precondition. ``fields(context)`` is called
    for every request, so its values describe the state right before it.
    First, PUTs with each corpus value of ``corpus_field`` that makes the
    precondition false (412 is the only answer the oracle allows)."""
    current = require_writable(context)
    content_type = current.response.header("Content-Type") or "application/octet-stream"

    @st.composite
    def requests(draw: st.DrawFn) -> ProbeRequest:
        method = draw(st.sampled_from(["PUT", "DELETE"]))
        field = draw(fields(context))
        n = draw(st.integers(0, 9))
        return ProbeRequest(
            method,
            context.path,
            (field, ("Content-Type", content_type)),
            b"etagspec probe %d\n" % n if method != "DELETE" else b"",
        )

    examples: list[ProbeRequest] = []
    if corpus_field is not None:
        corpus = corpus_values(
            corpus_field, etag=current.etag, last_modified=near(current.last_modified)
        )
        for value in corpus.select("all"):
            lines = value if isinstance(value, tuple) else (value,)
            headers = (*((corpus_field, line) for line in lines), ("Content-Type", content_type))
            probe = ProbeRequest("PUT", context.path, headers, b"etagspec corpus probe\n")
            if expect(probe, current).allowed <= {412, 400}:
                examples.append(probe)
    explore_with_examples(context, examples, requests(), unchanged_judge(context))


# --- the range checks: each coding's 200, and what a 206 must be ------------------

#: Range values every range check sends first: one byte, a prefix, a
#: suffix, the rest; several ranges, disjoint, overlapping, out of order; and
#: unsatisfiable ones (past the end, a zero-length suffix).
SATISFIABLE_RANGES: Final = ("bytes=0-0", "bytes=0-1", "bytes=-1", "bytes=1-")
SEVERAL_RANGES: Final = ("bytes=0-0,-1", "bytes=0-1,3-4", "bytes=-1,0-0", "bytes=0-3,2-5")
UNSATISFIABLE_RANGES: Final = ("bytes=-0", "bytes=99999999-")
#: The Accept-Encoding variants the range checks probe: none (identity) and
#: gzip, since a server with precompressed files (WhiteNoise, nginx
#: gzip_static) answers a range of each coding from its own bytes.
GZIP: Final = ("Accept-Encoding", "gzip")


@dataclasses.dataclass(frozen=True, slots=True)
class Representation:
    """One coding of the path: the fields that ask for it and its 200."""

    fields: tuple[tuple[str, str], ...]
    full: ProbeResponse

    @property
    def length(self) -> int:
        """The content length of its 200."""
        return len(self.full.body)

    def label(self) -> str:
        return f"the {content_coding(self.full)} representation"


def representations(context: CheckContext) -> list[Representation]:
    """The identity 200 (the one the harness learned), and the gzip one
    when a GET with ``Accept-Encoding: gzip`` gets another coding, the same
    bytes twice: the range checks probe each, with the same fields."""
    found = [Representation((), context.observed.response)]
    gzipped = context.send(context.request("GET", GZIP))
    if gzipped.error is None and 200 <= gzipped.status < 300 and gzipped.body:
        if content_coding(gzipped) != content_coding(context.observed.response):
            # Bytes compressed afresh for each answer (a time stamp in the
            # gzip header) are no representation a range can be cut from.
            again = context.send(context.request("GET", GZIP))
            if again.body == gzipped.body:
                found.append(Representation((GZIP,), gzipped))
            else:
                context.notes.append("the gzip answer differs from one GET to the next")
    return found


def ranged_request(
    context: CheckContext, representation: Representation, *fields: tuple[str, str]
) -> ProbeRequest:
    """A GET for this path with ``fields`` and the representation's own."""
    return context.request("GET", *fields, *representation.fields)


def range_specs(length: int) -> st.SearchStrategy[str]:
    """``bytes=`` values of one to three range-specs around a
    representation of ``length`` bytes (satisfiable or not, overlapping or
    not, in any order).

    >>> from hypothesis import find
    >>> value = find(range_specs(20), lambda value: "," in value)
    >>> value.startswith("bytes=0-"), value.count(",")
    (True, 1)
    """
    position = st.integers(0, length + 2)
    spec = st.one_of(
        st.tuples(position, st.integers(0, length + 2)).map(
            lambda pair: f"{min(pair)}-{max(pair)}"
        ),
        position.map(lambda first: f"{first}-"),
        st.integers(0, length + 2).map(lambda suffix: f"-{suffix}"),
    )
    return st.lists(spec, min_size=1, max_size=3).map(lambda specs: "bytes=" + ",".join(specs))


def explore_ranges(
    context: CheckContext,
    fixed: Sequence[str],
    judge_for: Callable[[Representation], Judge],
    *,
    generated: Callable[[int], st.SearchStrategy[str]] = range_specs,
) -> None:
    """For each representation, GET with each of the ``fixed`` Range values,
    then with generated ones (``generated(length)``, by default
    :func:`range_specs`), each judged by the representation's judge.
    Skipped where the path handles no Range. A deviation the identity
    representation showed is not reported again for the gzip one."""
    require_range(context)
    for representation in representations(context):
        known = {deviation_key(failure) for failure in context.failures}

        def build(value: str, representation: Representation = representation) -> ProbeRequest:
            return ranged_request(context, representation, ("Range", value))

        examples = [build(value) for value in fixed]
        requests = generated(representation.length).map(build)
        judge = unexplained(judge_for(representation), known)
        explore_with_examples(context, examples, requests, judge)


def unsatisfiable_ranges(length: int) -> st.SearchStrategy[str]:
    """``bytes=`` values no representation of ``length`` bytes satisfies:
    zero-length suffixes, and first positions at or past the end."""
    return st.one_of(
        st.sampled_from(["bytes=-0", "bytes=-00", "bytes=-0,-0"]),
        st.integers(length, length + 10**6).map(lambda first: f"bytes={first}-"),
    )
