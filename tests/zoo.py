"""A zoo of WSGI apps for the conformance harness: one correct, many broken.

``make_app()`` is a small, hand-written origin server that gets conditional
requests right (docs/SPEC.md §5.2, §5.4). It is written independently of
etagspec's ``preconditions`` and ``caching`` modules, with its own
entity-tag parser; it only borrows :mod:`etagspec.dates` to read and write
HTTP-dates. It serves one text document at ``/`` (read-only) and another at
``/doc`` (PUT and DELETE allowed), each with a strong ETag ``"v1"`` and a
Last-Modified of Fri, 03 Nov 2023 08:26:40 GMT; every successful write makes
a new version (``"v2"``, ``"v3"``... each one second later). A plain GET that
accepts gzip gets the gzip representation, with its own strong ETag
(``"v1-gzip"``), and a range of it is cut from its own bytes; several
ranges get a multipart/byteranges answer (overlapping ones merged).

``make_app(flag=True)`` is the same server with exactly one plausible bug,
a *mutant*. :data:`MUTANTS` maps each flag to the check IDs that must catch
it; ``tests/test_mutants.py`` holds the harness to that.

>>> app = make_app()
>>> call(app, "GET", "/", if_none_match='W/"v1"')[::2]
(304, b'')
>>> call(app, "GET", "/", range="bytes=-3")[::2]
(206, b'hij')
>>> call(app, "GET", "/", range="bytes=20-")[0]
416
>>> call(app, "GET", "/", range="bytes=0-0,-1")[2].count(b"Content-Range")
2
>>> call(make_app(weak_if_match=True), "GET", "/", if_match='W/"v1"')[0]
200
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import io
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any, Final, Literal

from etagspec._abnf import DAY_NAMES, LONG_DAY_NAMES
from etagspec.dates import format_http_date, http_date_to_timestamp
from etagspec.environ import ENVIRON_KEYS
from etagspec.errors import InvalidHTTPDate

__all__ = [
    "BASE_LAST_MODIFIED",
    "DEFAULT_BODY",
    "MUTANTS",
    "Bugs",
    "ZooApp",
    "call",
    "make_app",
    "mutants",
]

DEFAULT_BODY: Final = b"0123456789abcdefghij"
#: Fri, 03 Nov 2023 08:26:40 GMT, the Last-Modified of version 1.
BASE_LAST_MODIFIED: Final = 1_699_000_000
READ_ONLY_PATHS: Final = ("/",)
WRITABLE_PATHS: Final = ("/doc",)
RETRIEVAL: Final = frozenset({"GET", "HEAD"})
WRITES: Final = frozenset({"PUT", "DELETE"})
#: Request fields that take part in conditional requests, by WSGI environ key.
CONDITIONAL_FIELDS: Final = {field.replace("_", "-"): key for field, key in ENVIRON_KEYS.items()}
REASONS: Final = {
    200: "OK",
    201: "Created",
    204: "No Content",
    206: "Partial Content",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    412: "Precondition Failed",
    416: "Range Not Satisfiable",
    500: "Internal Server Error",
}


@dataclass(frozen=True)
class Bugs:
    """One flag per mutation; all False is the correct app."""

    # If-None-Match
    ignore_if_none_match: bool = False
    strong_if_none_match: bool = False
    if_none_match_forgets_star: bool = False
    lenient_if_none_match: bool = False
    crash_on_invalid_if_none_match: bool = False
    # If-Match
    weak_if_match: bool = False
    if_match_forgets_star: bool = False
    invalid_if_match_ignored: bool = False
    # dates
    ignore_if_modified_since: bool = False
    crash_on_invalid_if_modified_since: bool = False
    ignore_if_unmodified_since: bool = False
    invalid_if_unmodified_since_fails: bool = False
    imf_fixdate_only: bool = False
    # order of evaluation
    if_modified_since_beats_if_none_match: bool = False
    if_unmodified_since_despite_if_match: bool = False
    if_none_match_before_if_match: bool = False
    # what a 304 and a HEAD look like
    body_on_304: bool = False
    body_on_head: bool = False
    no_etag_on_304: bool = False
    no_cache_control_on_304: bool = False
    content_type_on_304: bool = False
    zero_length_on_304: bool = False
    zero_length_on_head: bool = False
    head_ignores_preconditions: bool = False
    head_not_supported: bool = False
    # when preconditions do not apply
    options_evaluates_if_match: bool = False
    preconditions_before_404: bool = False
    # Range and If-Range
    head_honours_range: bool = False
    weak_if_range: bool = False
    if_range_without_range_fails: bool = False
    one_byte_range_gets_416: bool = False
    invalid_if_none_match_gets_400: bool = False
    future_if_modified_since_ignored: bool = False
    gzip_shares_the_strong_etag: bool = False
    no_content_range_on_416: bool = False
    no_etag_on_206: bool = False
    range_one_byte_short: bool = False
    drops_later_ranges: bool = False
    zero_suffix_gets_everything: bool = False
    range_before_if_none_match: bool = False
    false_if_range_honours_range: bool = False
    # response fields
    unquoted_etag: bool = False
    rfc850_last_modified: bool = False
    last_modified_after_date: bool = False
    no_validators: bool = False
    quoted_max_age: bool = False
    no_store_with_max_age: bool = False
    no_date_on_304_and_412: bool = False
    # writes
    write_ignores_if_match: bool = False
    write_ignores_if_unmodified_since: bool = False
    write_if_none_match_gets_304: bool = False
    write_ignores_if_none_match: bool = False
    put_answers_with_the_old_etag: bool = False


#: Each mutant (a Bugs flag) and the check IDs that must catch it.
MUTANTS: Final[dict[str, tuple[str, ...]]] = {
    "ignore_if_none_match": ("COND-INM-4a", "CMP-USE-2"),
    "strong_if_none_match": ("CMP-USE-2",),
    "if_none_match_forgets_star": ("COND-INM-4a",),
    "lenient_if_none_match": ("COND-INM-4c",),
    "crash_on_invalid_if_none_match": ("COND-INM-4c",),
    "weak_if_match": ("CMP-USE-1",),
    "if_match_forgets_star": ("COND-IM-4a",),
    "invalid_if_match_ignored": ("COND-IM-4c",),
    "ignore_if_modified_since": ("COND-IMS-6",),
    "crash_on_invalid_if_modified_since": ("COND-IMS-3",),
    "ignore_if_unmodified_since": ("COND-IUS-6",),
    "invalid_if_unmodified_since_fails": ("COND-IUS-3",),
    "imf_fixdate_only": ("DATE-1",),
    "if_modified_since_beats_if_none_match": ("COND-IMS-2",),
    "if_unmodified_since_despite_if_match": ("COND-IUS-2",),
    "if_none_match_before_if_match": ("COND-PREC-0",),
    "body_on_304": ("ST-304-4",),
    "body_on_head": ("METH-HEAD-1",),
    "no_etag_on_304": ("ST-304-2",),
    "no_cache_control_on_304": ("ST-304-2",),
    "content_type_on_304": ("ST-304-3",),
    "zero_length_on_304": ("CL-304",),
    "zero_length_on_head": ("CL-HEAD",),
    "head_ignores_preconditions": ("METH-HEAD-2",),
    "head_not_supported": ("METH-GEN-1",),
    "options_evaluates_if_match": ("COND-EVAL-4",),
    "preconditions_before_404": ("COND-EVAL-2",),
    "head_honours_range": ("RNG-3",),
    "weak_if_range": ("COND-IR-8",),
    "if_range_without_range_fails": ("COND-IR-3b",),
    "one_byte_range_gets_416": ("ST-416-2", "COND-IR-8"),
    "invalid_if_none_match_gets_400": ("COND-GEN-5", "COND-INM-4c"),
    "future_if_modified_since_ignored": ("COND-IMS-7b",),
    "gzip_shares_the_strong_etag": ("VAL-ET-7",),
    "no_content_range_on_416": ("ST-416-1",),
    "no_etag_on_206": ("ST-206-1",),
    "range_one_byte_short": ("ST-206-3",),
    "drops_later_ranges": ("ST-206-11",),
    "zero_suffix_gets_everything": ("RNG-13",),
    "range_before_if_none_match": ("RNG-7",),
    "false_if_range_honours_range": ("COND-IR-9a", "COND-IR-8"),
    "unquoted_etag": ("ABNF-ETAG-1",),
    "rfc850_last_modified": ("DATE-2",),
    "last_modified_after_date": ("VAL-LM-4",),
    "no_validators": ("VAL-200-1",),
    "quoted_max_age": ("ABNF-CC-1",),
    "no_store_with_max_age": ("CC-8",),
    "no_date_on_304_and_412": ("DATE-ORIGIN-1",),
    "write_ignores_if_match": ("COND-IM-5",),
    "write_ignores_if_unmodified_since": ("COND-IUS-7",),
    "write_if_none_match_gets_304": ("COND-INM-5b",),
    "write_ignores_if_none_match": ("COND-INM-5b",),
    "put_answers_with_the_old_etag": ("METH-PUT-3",),
}


class BadRequest(Exception):
    """What a framework answers with 400."""


# --- entity tags (RFC 9110 §8.8.3), parsed by hand --------------------------------

# etagc = %x21 / %x23-7E / obs-text
ETAGC: Final = frozenset(chr(c) for c in (0x21, *range(0x23, 0x7F), *range(0x80, 0x100)))
OWS: Final = " \t"
ANY: Final = "*"


@dataclass(frozen=True)
class Tag:
    opaque: str
    weak: bool = False

    def __str__(self) -> str:
        return f'W/"{self.opaque}"' if self.weak else f'"{self.opaque}"'


def strong_match(a: Tag, b: Tag) -> bool:
    return not a.weak and not b.weak and a.opaque == b.opaque


def weak_match(a: Tag, b: Tag) -> bool:
    return a.opaque == b.opaque


def read_tag(text: str, start: int) -> tuple[Tag, int] | None:
    """The entity-tag at ``text[start:]`` and where it ends, or None."""
    weak = text.startswith("W/", start)
    at = start + 2 if weak else start
    if text[at : at + 1] != '"':
        return None
    end = at + 1
    while end < len(text) and text[end] in ETAGC:
        end += 1
    if text[end : end + 1] != '"':
        return None
    return Tag(text[at + 1 : end], weak), end + 1


def skip_ows(text: str, at: int) -> int:
    while at < len(text) and text[at] in OWS:
        at += 1
    return at


def parse_tag_list(value: str, *, wildcard: bool = True) -> Literal["*"] | list[Tag] | None:
    """``*`` (ANY), a list of tags (maybe empty), or None when invalid.
    With ``wildcard=False`` the parser forgets about ``*`` (a bug)."""
    text = value.strip(OWS)
    if wildcard and text == ANY:
        return ANY
    tags: list[Tag] = []
    at = 0
    while True:
        at = skip_ows(text, at)
        if at == len(text):
            return tags
        if text[at] == ",":  # an empty list element
            at += 1
            continue
        found = read_tag(text, at)
        if found is None:
            return None
        tag, at = found
        tags.append(tag)
        at = skip_ows(text, at)
        if at < len(text):
            if text[at] != ",":
                return None
            at += 1


def salvage_tag_list(value: str) -> Literal["*"] | list[Tag]:
    """What a forgiving parser makes of anything: split on commas, drop
    quotes of any kind and a ``W/`` or ``w/`` prefix (a bug)."""
    if value.strip(OWS) == ANY:
        return ANY
    tags = []
    for piece in value.split(","):
        piece = piece.strip(OWS)
        weak = piece[:2] in ("W/", "w/")
        if weak:
            piece = piece[2:].lstrip(OWS)
        if piece:
            tags.append(Tag(piece.strip("\"'\u201c\u201d"), weak))
    return tags


def parse_single_tag(value: str) -> Tag | None:
    text = value.strip(OWS)
    found = read_tag(text, 0)
    if found is None or found[1] != len(text):
        return None
    return found[0]


# --- the document ----------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One stored version of a document."""

    number: int
    body: bytes
    base_last_modified: int = BASE_LAST_MODIFIED

    @property
    def etag(self) -> Tag:
        return Tag(f"v{self.number}")

    @property
    def last_modified(self) -> int:
        """Each version is one second later than the one before."""
        return self.base_last_modified + self.number - 1


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    fields: dict[str, str]
    body: bytes
    accepts_gzip: bool = False

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        present = {name: environ[key] for name, key in CONDITIONAL_FIELDS.items() if key in environ}
        length = environ.get("CONTENT_LENGTH") or "0"
        body = environ["wsgi.input"].read(int(length)) if length.isdigit() else b""
        codings = environ.get("HTTP_ACCEPT_ENCODING", "").lower().replace(" ", "").split(",")
        gzip = "gzip" in codings
        return cls(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), present, body, gzip)

    def field(self, name: str) -> str | None:
        return self.fields.get(name)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> str:
        return next(v for k, v in self.headers if k.lower() == name.lower())

    def without(self, *names: str) -> None:
        lower = {name.lower() for name in names}
        self.headers = [(k, v) for k, v in self.headers if k.lower() not in lower]

    def replace(self, name: str, value: str) -> None:
        self.without(name)
        self.headers.append((name, value))


class ZooApp:
    """The WSGI app: one instance keeps its own documents."""

    def __init__(
        self, body: bytes, last_modified: int, bugs: Bugs, clock: Callable[[], float]
    ) -> None:
        self.bugs = bugs
        self.clock = clock
        self.base_last_modified = last_modified
        self.versions = 1
        self.documents: dict[str, Version | None] = {
            path: Version(1, body, last_modified) for path in (*READ_ONLY_PATHS, *WRITABLE_PATHS)
        }

    # -- WSGI ----------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        try:
            if request.method == "HEAD" and self.bugs.head_not_supported:
                response = self.error(405, allow=self.allowed(request.path))
            else:
                response = self.handle(request)
        except BadRequest:
            response = self.error(400)
        except Exception:  # what a framework does with an uncaught error
            response = self.error(500)
        if request.method == "HEAD":
            self.finish_head(response)
        start_response(f"{response.status} {REASONS[response.status]}", response.headers)
        return [response.body]

    def finish_head(self, response: Response) -> None:
        """HEAD: the GET response without its content (same Content-Length)."""
        if not self.bugs.body_on_head:
            response.body = b""
        if self.bugs.zero_length_on_head and 200 <= response.status < 300:
            response.replace("Content-Length", "0")

    def handle(self, request: Request) -> Response:
        if request.path not in self.documents:
            return self.missing_path(request)
        if request.method == "OPTIONS":
            return self.options(request)
        if request.method in RETRIEVAL:
            return self.retrieve(request)
        if request.method in WRITES and request.path in WRITABLE_PATHS:
            return self.write(request)
        return self.error(405, allow=self.allowed(request.path))

    def missing_path(self, request: Request) -> Response:
        if self.bugs.preconditions_before_404:
            status = self.evaluate(request, None)
            if status == 412:
                return self.error(412)
        return self.error(404)

    def options(self, request: Request) -> Response:
        document = self.documents[request.path]
        if_match = request.field("if-match")
        if self.bugs.options_evaluates_if_match and if_match is not None:
            if not self.if_match_is_true(if_match, document):
                return self.error(412)
        allow = ("Allow", self.allowed(request.path))
        return Response(200, [*self.common(), allow, ("Content-Length", "0")])

    # -- reading ---------------------------------------------------------------

    def retrieve(self, request: Request) -> Response:
        document = self.documents[request.path]
        if document is None:
            return self.error(404)
        if self.bugs.range_before_if_none_match and request.field("range") is not None:
            if request.method == "GET" and self.evaluate(request, document) == 304:
                request = dataclasses.replace(request, fields=without_validators(request.fields))
        status = self.evaluate(request, document)
        if status == 412:
            return self.error(412)
        if status == 304:
            return self.not_modified(document)
        if request.field("range") is None:
            if_range = request.field("if-range")
            if self.bugs.if_range_without_range_fails and if_range is not None:
                if not self.if_range_is_true(if_range, document):
                    return self.error(412)
            if request.accepts_gzip and request.method == "GET":
                return self.gzipped(document)
            return self.full(document)
        return self.ranged(request, document)

    def gzipped(self, document: Version) -> Response:
        """The gzip representation: other data, so another strong ETag."""
        response = self.full(document)
        response.body = gzip.compress(document.body, mtime=0)
        response.replace("Content-Length", str(len(response.body)))
        response.headers.append(("Content-Encoding", "gzip"))
        if not self.bugs.gzip_shares_the_strong_etag:
            response.replace("ETag", str(Tag(f"{document.etag.opaque}-gzip")))
        return response

    def full(self, document: Version) -> Response:
        headers = [
            *self.common(),
            *self.validators(document),
            *self.caching(),
            ("Content-Type", "text/plain"),
            ("Content-Length", str(len(document.body))),
        ]
        return Response(200, headers, document.body)

    def not_modified(self, document: Version) -> Response:
        response = self.full(document)
        response.status = 304
        if not self.bugs.body_on_304:
            response.body = b""
        if not self.bugs.content_type_on_304:
            response.without("Content-Type")
        if self.bugs.no_etag_on_304:
            response.without("ETag")
        if self.bugs.no_cache_control_on_304:
            response.without("Cache-Control")
        if self.bugs.zero_length_on_304:
            response.replace("Content-Length", "0")
        if self.bugs.no_date_on_304_and_412:
            response.without("Date")
        return response

    # -- Range and If-Range (RFC 9110 §13.1.5, §14) ---------------------------------

    def ranged(self, request: Request, document: Version) -> Response:
        """GET with Range (HEAD ignores Range: RNG-3), of the representation
        the request asks for (identity or gzip, each with its own bytes)."""
        gzipped = request.accepts_gzip and request.method == "GET"
        full = self.gzipped(document) if gzipped else self.full(document)
        if request.method == "HEAD" and not self.bugs.head_honours_range:
            return full
        if_range = request.field("if-range")
        if if_range is not None and not self.if_range_is_true(if_range, document):
            if not self.bugs.false_if_range_honours_range:
                return full
        content = full.body
        spans = byte_ranges(request.field("range") or "", len(content))
        if spans is None:
            return full
        if self.bugs.zero_suffix_gets_everything and spans == "unsatisfiable":
            if re.fullmatch("bytes=-0+", (request.field("range") or "").strip(OWS)):
                spans = [(0, len(content) - 1)]
        if spans == "unsatisfiable" or (
            self.bugs.one_byte_range_gets_416 and any(a == b for a, b in spans)
        ):
            response = self.error(416)
            if not self.bugs.no_content_range_on_416:
                response.headers.append(("Content-Range", f"bytes */{len(content)}"))
            return response
        if self.bugs.drops_later_ranges:
            spans = spans[:1]
        full.status = 206
        if self.bugs.no_etag_on_206:
            full.without("ETag")
        short = 1 if self.bugs.range_one_byte_short else 0
        if len(spans) == 1:
            first, last = spans[0]
            full.body = content[first : last + 1 - short]
            full.headers.append(("Content-Range", f"bytes {first}-{last}/{len(content)}"))
        else:
            content_type = full.header("Content-Type")
            full.body = multipart(spans, content, content_type, short)
            full.replace("Content-Type", f"multipart/byteranges; boundary={BOUNDARY}")
        full.replace("Content-Length", str(len(full.body)))
        return full

    def if_range_is_true(self, value: str, document: Version) -> bool:
        text = value.strip(OWS)
        if text[:1] == '"' or text[2:3] == '"':
            tag = parse_single_tag(text)
            if tag is None:
                return False
            if self.bugs.weak_if_range:
                return weak_match(tag, document.etag)
            return strong_match(tag, document.etag)
        # A date: only an exact match with a strong Last-Modified (each
        # version is at least a second after the last, so ours is strong).
        return self.parse_date(text) == document.last_modified

    # -- preconditions (RFC 9110 §13.2.2) -------------------------------------------

    def considered(self, request: Request) -> dict[str, str]:
        """The precondition fields this server looks at (the bugs that
        ignore a field drop it here)."""
        ignored: set[str] = set()
        bugs, method = self.bugs, request.method
        if bugs.ignore_if_none_match:
            ignored.add("if-none-match")
        if bugs.ignore_if_modified_since:
            ignored.add("if-modified-since")
        if bugs.ignore_if_unmodified_since:
            ignored.add("if-unmodified-since")
        if method == "HEAD" and bugs.head_ignores_preconditions:
            ignored.update(CONDITIONAL_FIELDS)
        if method in WRITES:
            if bugs.write_ignores_if_match:
                ignored.add("if-match")
            if bugs.write_ignores_if_unmodified_since:
                ignored.add("if-unmodified-since")
            if bugs.write_ignores_if_none_match:
                ignored.add("if-none-match")
        return {name: value for name, value in request.fields.items() if name not in ignored}

    def evaluate(self, request: Request, document: Version | None) -> int | None:
        """412, 304, or None to go on (steps 1 to 4 of §13.2.2)."""
        given = self.considered(request)
        steps = [self.step_if_match, self.step_if_none_match]
        if self.bugs.if_modified_since_beats_if_none_match:
            steps.insert(1, self.step_if_modified_since)
        if self.bugs.if_none_match_before_if_match:
            steps.reverse()
        for step in steps:
            status = step(request.method, given, document)
            if status is not None:
                return status
        return None

    def step_if_match(
        self, method: str, given: dict[str, str], document: Version | None
    ) -> int | None:
        """Steps 1 and 2: If-Match, else If-Unmodified-Since; 412 if false."""
        if_match = given.get("if-match")
        if_unmodified_since = given.get("if-unmodified-since")
        if if_match is not None and not self.if_match_is_true(if_match, document):
            return 412
        if if_match is not None and not self.bugs.if_unmodified_since_despite_if_match:
            return None
        if if_unmodified_since is not None:
            if self.if_unmodified_since_is_true(if_unmodified_since, document) is False:
                return 412
        return None

    def step_if_none_match(
        self, method: str, given: dict[str, str], document: Version | None
    ) -> int | None:
        """Step 3: If-None-Match (304 for GET/HEAD, else 412 if false), else step 4."""
        if_none_match = given.get("if-none-match")
        if if_none_match is not None:
            if self.if_none_match_is_true(if_none_match, document):
                return None
            if method in RETRIEVAL or self.bugs.write_if_none_match_gets_304:
                return 304
            return 412
        return self.step_if_modified_since(method, given, document)

    def step_if_modified_since(
        self, method: str, given: dict[str, str], document: Version | None
    ) -> int | None:
        """Step 4: If-Modified-Since, GET/HEAD only; 304 if false."""
        if_modified_since = given.get("if-modified-since")
        if method not in RETRIEVAL or if_modified_since is None:
            return None
        if self.if_modified_since_is_true(if_modified_since, document) is False:
            return 304
        return None

    # -- the truth of each field (docs/SPEC.md §5.2) ---------------------------------------

    def if_match_is_true(self, value: str, document: Version | None) -> bool:
        tags = parse_tag_list(value, wildcard=not self.bugs.if_match_forgets_star)
        if tags is None:
            return self.bugs.invalid_if_match_ignored
        if tags == ANY:
            return document is not None
        if document is None:
            return False
        match = weak_match if self.bugs.weak_if_match else strong_match
        return any(match(tag, document.etag) for tag in tags)

    def if_none_match_is_true(self, value: str, document: Version | None) -> bool:
        bugs = self.bugs
        if bugs.lenient_if_none_match:
            tags: Literal["*"] | list[Tag] | None = salvage_tag_list(value)
        else:
            tags = parse_tag_list(value, wildcard=not bugs.if_none_match_forgets_star)
        if tags is None:
            if bugs.crash_on_invalid_if_none_match:
                raise ValueError(f"bad If-None-Match: {value!r}")
            if bugs.invalid_if_none_match_gets_400:
                raise BadRequest(f"bad If-None-Match: {value!r}")
            return True
        if tags == ANY:
            return document is None
        if document is None:
            return True
        match = strong_match if bugs.strong_if_none_match else weak_match
        return not any(match(tag, document.etag) for tag in tags)

    def if_unmodified_since_is_true(self, value: str, document: Version | None) -> bool | None:
        """None: ignored (invalid date, or nothing to compare with)."""
        date = self.parse_date(value)
        if date is None:
            return False if self.bugs.invalid_if_unmodified_since_fails else None
        if document is None:
            return None
        return document.last_modified <= date

    def if_modified_since_is_true(self, value: str, document: Version | None) -> bool | None:
        date = self.parse_date(value)
        if date is None:
            if self.bugs.crash_on_invalid_if_modified_since:
                raise ValueError(f"bad If-Modified-Since: {value!r}")
            return None
        if document is None:
            return None
        if self.bugs.future_if_modified_since_ignored and date > self.clock():
            return None  # RFC 2616: a date later than the server's time is invalid
        return document.last_modified > date

    def parse_date(self, value: str) -> int | None:
        try:
            instant = http_date_to_timestamp(value)
        except InvalidHTTPDate:
            return None
        if self.bugs.imf_fixdate_only and format_http_date(instant) != value.strip(OWS):
            return None
        return instant

    # -- writing -----------------------------------------------------------------

    def write(self, request: Request) -> Response:
        document = self.documents[request.path]
        status = self.evaluate(request, document)
        if status is not None:
            return self.error(status)
        if request.method == "DELETE":
            if document is None:
                return self.error(404)
            self.documents[request.path] = None
            return Response(204, self.common())
        self.versions += 1
        stored = Version(self.versions, request.body, self.base_last_modified)
        self.documents[request.path] = stored
        answered = document if self.bugs.put_answers_with_the_old_etag and document else stored
        return Response(
            201 if document is None else 204, [*self.common(), *self.validators(answered)]
        )

    # -- response fields ---------------------------------------------------------------

    def common(self) -> list[tuple[str, str]]:
        return [("Date", format_http_date(self.clock()))]

    def validators(self, document: Version) -> list[tuple[str, str]]:
        if self.bugs.no_validators:
            return []
        etag = document.etag
        etag_text = etag.opaque if self.bugs.unquoted_etag else str(etag)
        modified = document.last_modified
        if self.bugs.last_modified_after_date:
            modified = int(self.clock()) + 3600  # local time (UTC+1) sent as GMT
        modified_text = format_http_date(modified)
        if self.bugs.rfc850_last_modified:
            modified_text = rfc850(modified)
        return [("ETag", etag_text), ("Last-Modified", modified_text)]

    def caching(self) -> list[tuple[str, str]]:
        cache_control = "max-age=60"
        if self.bugs.quoted_max_age:
            cache_control = 'max-age="60"'
        if self.bugs.no_store_with_max_age:
            cache_control = "no-store, max-age=60"
        return [("Cache-Control", cache_control), ("Vary", "Accept-Encoding")]

    def allowed(self, path: str) -> str:
        if path in WRITABLE_PATHS:
            return "GET, HEAD, PUT, DELETE, OPTIONS"
        return "GET, HEAD, OPTIONS"

    def error(self, status: int, *, allow: str | None = None) -> Response:
        body = f"{status} {REASONS[status]}\n".encode()
        dated = not (self.bugs.no_date_on_304_and_412 and status == 412)
        headers = [
            *(self.common() if dated else []),
            ("Content-Type", "text/plain"),
            ("Content-Length", str(len(body))),
        ]
        if allow is not None:
            headers.append(("Allow", allow))
        return Response(status, headers, body)


def byte_ranges(value: str, length: int) -> list[tuple[int, int]] | Literal["unsatisfiable"] | None:
    """The satisfiable ``bytes=`` ranges as (first, last) spans, in the order
    asked, overlapping ones merged; "unsatisfiable"; or None to ignore the
    field (another unit, invalid, an empty body)."""
    unit, equals, specs = value.strip(OWS).partition("=")
    if not equals or unit.lower() != "bytes" or length == 0:
        return None
    spans: list[tuple[int, int]] = []
    for spec in specs.split(","):
        match = re.fullmatch("([0-9]*)-([0-9]*)", spec.strip(OWS), flags=re.ASCII)
        if match is None or match.group(1) == match.group(2) == "":
            return None
        first_text, last_text = match.groups()
        if first_text == "":  # bytes=-N: the last N bytes
            suffix = int(last_text)
            if suffix:
                spans.append((max(0, length - suffix), length - 1))
            continue
        first = int(first_text)
        if last_text and int(last_text) < first:
            return None
        if first < length:
            spans.append((first, min(int(last_text), length - 1) if last_text else length - 1))
    if not spans:
        return "unsatisfiable"
    merged: list[tuple[int, int]] = []
    for first, last in spans:  # merge a span into an earlier one it overlaps
        for index, (start, end) in enumerate(merged):
            if first <= end + 1 and start <= last + 1:
                merged[index] = (min(start, first), max(end, last))
                break
        else:
            merged.append((first, last))
    return merged


BOUNDARY: Final = "zoo-byteranges"


def multipart(
    spans: list[tuple[int, int]], content: bytes, content_type: str, short: int = 0
) -> bytes:
    """multipart/byteranges content (RFC 9110 §14.6): one body part per span."""
    body = b""
    for first, last in spans:
        head = (
            f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\n"
            f"Content-Range: bytes {first}-{last}/{len(content)}\r\n\r\n"
        )
        body += head.encode() + content[first : last + 1 - short] + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def without_validators(fields: dict[str, str]) -> dict[str, str]:
    """What a server that serves Range before its validators sees."""
    return {k: v for k, v in fields.items() if k not in ("if-none-match", "if-modified-since")}


def rfc850(instant: int) -> str:
    """The obsolete date form, for the mutant that sends it."""
    imf = format_http_date(instant)  # "Fri, 03 Nov 2023 08:26:40 GMT"
    day_name, day, month, year, clock, _ = imf.replace(",", "").split(" ")
    long_names = dict(zip(DAY_NAMES, LONG_DAY_NAMES, strict=True))
    return f"{long_names[day_name]}, {day}-{month}-{year[2:]} {clock} GMT"


def make_app(
    *,
    body: bytes = DEFAULT_BODY,
    last_modified: int = BASE_LAST_MODIFIED,
    clock: Callable[[], float] = time.time,
    **bugs: bool,
) -> ZooApp:
    """A fresh app with its own documents. ``make_app()`` is correct; each
    keyword flag from :class:`Bugs` introduces one bug. ``last_modified``
    (POSIX seconds) is version 1's Last-Modified; ``clock`` gives Date."""
    unknown = set(bugs) - {f.name for f in fields(Bugs)}
    if unknown:
        raise TypeError(f"unknown bug flags: {sorted(unknown)}")
    return ZooApp(body, last_modified, Bugs(**bugs), clock)


#: A zero-argument factory per mutant, so that a mutant can be named by a
#: ``module:attribute`` spec (``zoo:mutants.weak_if_match``) like any target.
mutants = types.SimpleNamespace(
    **{flag: functools.partial(make_app, **dict[str, Any]({flag: True})) for flag in MUTANTS}
)


def call(
    app: Callable[..., Iterable[bytes]], method: str, path: str, body: bytes = b"", **headers: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send one request to a WSGI app in-process: ``if_none_match='"v1"'``
    becomes ``If-None-Match: "v1"``. Returns (status, headers, body)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    started: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        started[:] = [status, response_headers]

    chunks: Iterator[bytes] = iter(app(environ, start_response))
    content = b"".join(chunks)
    return int(started[0].split(" ")[0]), started[1], content
