"""Small WSGI origins whose true diagnosis is known, written down here
before the harness ever ran on them.

Each app serves one read-only document at ``/`` (20 bytes, a strong ETag
``"v1"``, Last-Modified Fri, 03 Nov 2023 08:26:40 GMT, a Date that is
fixed one day later) and implements some of RFC 9110's conditional
requests, the way a framework does that only ever wrote part of them.
Each docstring says which fields the app evaluates (the feature table the
harness must find), and the true diagnosis: the deviations (with their
class) that together explain every answer it can give. Everything not
listed there is conforming: a target that does not support Range answers
200 to a Range (RFC 9110 §14.2 allows that), and If-Range is then moot.

The entity-tag parsing and comparison here are the zoo's (tests/zoo.py),
which is written independently of etagspec.

>>> status(any_if_none_match_app, if_none_match='"nope"')
304
>>> status(bottle_like_app, if_match='"nope"')
200
>>> status(bottle_like_app, if_none_match='W/"v1"')
304
>>> status(file_response_like_app, if_match='"nope"')
412
>>> status(file_response_like_app, range="bytes=0-0")
206
>>> status(raw_string_app, if_none_match='W/"v1"'), status(raw_string_app, if_none_match='"v1"')
(200, 304)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from zoo import ANY, Tag, parse_tag_list, strong_match, weak_match

from etagspec.dates import format_http_date, http_date_to_timestamp
from etagspec.errors import InvalidHTTPDate

__all__ = [
    "TRUE_DIAGNOSES",
    "TRUE_IDS",
    "any_if_none_match_app",
    "both_retrieval_fields_app",
    "bottle_like_app",
    "dropping_if_none_match_app",
    "file_response_like_app",
    "future_if_modified_since_ignored_app",
    "raw_string_app",
    "salvaging_if_none_match_app",
    "status",
    "tolerant_if_match_app",
]

BODY: Final = b"0123456789abcdefghij"
ETAG: Final = Tag("v1")
LAST_MODIFIED: Final = 1_699_000_000
DATE: Final = LAST_MODIFIED + 86_400

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _date(environ: dict[str, Any], key: str) -> int | None:
    text = environ.get(key)
    if text is None:
        return None
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        return None


def _answer(
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    status: int,
    *,
    ranged: bool = False,
) -> Iterable[bytes]:
    headers = [
        ("ETag", str(ETAG)),
        ("Last-Modified", format_http_date(LAST_MODIFIED)),
        ("Date", format_http_date(DATE)),
        ("Cache-Control", "max-age=60"),
    ]
    body = BODY
    reason = {200: "OK", 206: "Partial Content", 304: "Not Modified", 412: "Precondition Failed"}
    if status == 206:
        body = BODY[:1]
        headers.append(("Content-Range", f"bytes 0-0/{len(BODY)}"))
    if status in (304, 412):
        body = b""
        if status == 412:
            headers = [h for h in headers if h[0] == "Date"]
    if status != 304:
        headers.append(("Content-Type", "text/plain"))
        headers.append(("Content-Length", str(len(body))))
    if status == 200 and ranged:
        headers.append(("Accept-Ranges", "bytes"))
    start_response(f"{status} {reason[status]}", headers)
    if environ["REQUEST_METHOD"] == "HEAD":
        return [b""]
    return [body]


def _refuse(start_response: Callable[..., Any], environ: dict[str, Any]) -> Iterable[bytes] | None:
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
        return [b""]
    if environ.get("PATH_INFO", "/") != "/":
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    return None


def _if_none_match_holds(value: str) -> bool:
    """RFC 9110 §13.1.2: false when ``*`` or a weakly matching tag, else true
    (an invalid field included)."""
    parsed = parse_tag_list(value)
    if parsed == ANY:
        return False
    if isinstance(parsed, list):
        return not any(weak_match(tag, ETAG) for tag in parsed)
    return True


def _if_match_holds(value: str) -> bool:
    """RFC 9110 §13.1.1: true for ``*`` or a strongly matching tag, else false."""
    parsed = parse_tag_list(value)
    if parsed == ANY:
        return True
    return isinstance(parsed, list) and any(strong_match(tag, ETAG) for tag in parsed)


def any_if_none_match_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Answers 304 to a GET or HEAD carrying If-None-Match, whatever its
    value (even another tag, an invalid one or an empty one); implements
    nothing else (no If-Match, no dates, no Range).

    Features: If-None-Match evaluated, but only partly (its value is never
    compared: another tag gets 304 too); If-Match, If-Modified-Since and
    If-Unmodified-Since not evaluated; Range not supported.

    True diagnosis, 4 deviations, no lenient reading:
    - If-None-Match not compared (any value read as a match): bug;
    - If-Match not evaluated: unsupported;
    - If-Modified-Since not evaluated: unsupported;
    - If-Unmodified-Since not evaluated: unsupported.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if "HTTP_IF_NONE_MATCH" in environ:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


def bottle_like_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Evaluates If-None-Match (weak comparison, ``*``, an invalid field
    read as true) and If-Modified-Since (ignored when If-None-Match is
    present) exactly as RFC 9110 says; never reads If-Match or
    If-Unmodified-Since; no Range.

    Features: If-None-Match, its weak comparison and ``*``, and
    If-Modified-Since evaluated; If-Match and If-Unmodified-Since not
    evaluated.

    True diagnosis, 2 deviations, both unsupported, no lenient reading:
    - If-Match not evaluated: unsupported;
    - If-Unmodified-Since not evaluated: unsupported.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        return _answer(environ, start_response, 200 if _if_none_match_holds(inm) else 304)
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if since is not None and since >= LAST_MODIFIED:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


def file_response_like_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Evaluates If-Match and If-Unmodified-Since exactly as RFC 9110 says,
    and serves ``Range: bytes=0-0`` (and only that range) with If-Range
    compared strongly against the ETag; never reads If-None-Match or
    If-Modified-Since.

    Features: If-Match (strong comparison, ``*``), If-Unmodified-Since,
    If-Range and Range evaluated (Range partly: only the first byte);
    If-None-Match and If-Modified-Since not evaluated.

    True diagnosis, 2 deviations, both unsupported, no lenient reading:
    - If-None-Match not evaluated: unsupported;
    - If-Modified-Since not evaluated: unsupported.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if not _if_match_holds(if_match):
            return _answer(environ, start_response, 412)
    else:
        since = _date(environ, "HTTP_IF_UNMODIFIED_SINCE")
        if since is not None and since < LAST_MODIFIED:
            return _answer(environ, start_response, 412)
    if environ["REQUEST_METHOD"] == "GET" and environ.get("HTTP_RANGE") == "bytes=0-0":
        if_range = environ.get("HTTP_IF_RANGE")
        tag = None if if_range is None else parse_tag_list(if_range, wildcard=False)
        if if_range is None or (
            isinstance(tag, list) and len(tag) == 1 and strong_match(tag[0], ETAG)
        ):
            return _answer(environ, start_response, 206)
    return _answer(environ, start_response, 200, ranged=True)


def raw_string_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Like WhiteNoise: 304 when the If-None-Match field, as raw text, equals
    the ETag field exactly; If-Modified-Since evaluated correctly (ignored
    when If-None-Match is present); nothing else.

    Features: If-None-Match evaluated partly (the current tag gets 304,
    another tag 200, but ``W/"v1"``, ``*`` and lists holding the tag get
    200); If-Modified-Since evaluated; If-Match and If-Unmodified-Since not
    evaluated.

    True diagnosis, 3 deviations, no lenient reading:
    - If-None-Match compared as raw text (one deviation, not three: it is
      what fails weak comparison, ``*`` and lists): bug;
    - If-Match not evaluated: unsupported;
    - If-Unmodified-Since not evaluated: unsupported.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        return _answer(environ, start_response, 304 if inm == str(ETAG) else 200)
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if since is not None and since >= LAST_MODIFIED:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


def _tolerant_tags(value: str) -> list[Tag]:
    """A Werkzeug-style forgiving If-Match reader: split at every comma,
    each member trimmed of spaces and tabs, a ``W/`` or ``w/`` prefix taken
    with any spaces after it, then a quoted tag (no quote inside) or a bare
    token of visible characters; any other member is dropped."""
    tags = []
    for raw in value.split(","):
        member, weak = raw.strip(" \t"), False
        if member[:2] in ("W/", "w/"):
            member, weak = member[2:].lstrip(" "), True
        if len(member) >= 2 and member[0] == member[-1] == '"' and '"' not in member[1:-1]:
            tags.append(Tag(member[1:-1], weak=weak))
        elif member and all(" " < c != "\x7f" and c not in '",' for c in member):
            tags.append(Tag(member, weak=weak))
    return tags


def tolerant_if_match_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Like Werkzeug: If-None-Match (weak comparison, ``*``) and
    If-Modified-Since (ignored when If-None-Match is present) exactly as
    RFC 9110 says; If-Match read by a forgiving parser (:func:`_tolerant_tags`:
    unquoted tags, lowercase ``w/``, a space after ``W/``, the valid
    members of an invalid list), ``*`` true, compared strongly, and false
    when no member is left; If-Unmodified-Since never read; no Range.

    Features: If-None-Match, its weak comparison and ``*``,
    If-Modified-Since, If-Match (strong comparison, ``*``) evaluated;
    If-Unmodified-Since not evaluated.

    True diagnosis, exactly 2 deviations, no lenient reading:
    - If-Match parsed leniently (LEN-9: one parser, however many forms it
      forgives, each letting a false precondition pass): bug;
    - If-Unmodified-Since not evaluated: unsupported.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if if_match.strip(" \t") != "*" and not any(
            strong_match(tag, ETAG) for tag in _tolerant_tags(if_match)
        ):
            return _answer(environ, start_response, 412)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        return _answer(environ, start_response, 200 if _if_none_match_holds(inm) else 304)
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if since is not None and since >= LAST_MODIFIED:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


def future_if_modified_since_ignored_app(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Any:
    """Evaluates If-Match, If-Unmodified-Since, If-None-Match and
    If-Modified-Since exactly as RFC 9110 says, in its order, except that
    an If-Modified-Since later than the app's own Date is ignored, as
    RFC 2616 §14.25 had it (RFC 9110 §13.1.3 only says SHOULD); no Range.

    Features: If-None-Match, If-Match, If-Modified-Since,
    If-Unmodified-Since evaluated.

    True diagnosis, exactly 1 deviation:
    - If-Modified-Since in the future ignored (AMB-DATE-6, whose verdict in
      the catalogue is ``should``): a SHOULD deviation, never a bug.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if not _if_match_holds(if_match):
            return _answer(environ, start_response, 412)
    else:
        since = _date(environ, "HTTP_IF_UNMODIFIED_SINCE")
        if since is not None and since < LAST_MODIFIED:
            return _answer(environ, start_response, 412)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        return _answer(environ, start_response, 200 if _if_none_match_holds(inm) else 304)
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if since is not None and LAST_MODIFIED <= since <= DATE:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


def salvaging_if_none_match_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Like Werkzeug's If-None-Match: the field read by the forgiving
    parser of :func:`_tolerant_tags` (unquoted tags, lowercase ``w/``, a
    space after ``W/``, the valid members of an invalid list), ``*`` false,
    compared weakly, and true when no member matches (so If-Modified-Since
    is still silenced); If-Match, If-Unmodified-Since and If-Modified-Since
    exactly as RFC 9110 says; no Range.

    Features: If-None-Match (weak comparison, ``*``), If-Match,
    If-Modified-Since, If-Unmodified-Since evaluated.

    True diagnosis, exactly 1 deviation, lenient: If-None-Match parsed
    leniently (LEN-3, LEN-6, LEN-7, AMB-ETAG-1: one parser whose every
    form the catalogue calls lenient in If-None-Match). No check is a bug.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    failed = _preconditions_failed(environ)
    if failed:
        return _answer(environ, start_response, 412)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        if inm.strip(" \t") == "*":
            return _answer(environ, start_response, 304)
        matched = any(weak_match(tag, ETAG) for tag in _tolerant_tags(inm))
        return _answer(environ, start_response, 304 if matched else 200)
    return _by_if_modified_since(environ, start_response)


def _preconditions_failed(environ: dict[str, Any]) -> bool:
    """RFC 9110 §13.2.2 steps 1 and 2."""
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        return not _if_match_holds(if_match)
    since = _date(environ, "HTTP_IF_UNMODIFIED_SINCE")
    return since is not None and since < LAST_MODIFIED


def _by_if_modified_since(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """RFC 9110 §13.2.2 step 4, then the full answer."""
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if since is not None and since >= LAST_MODIFIED:
        return _answer(environ, start_response, 304)
    return _answer(environ, start_response, 200)


_LOOSELY_QUOTED: Final = re.compile(r'(W/)?"([^"]*)"')


def dropping_if_none_match_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Like Django's parse_etags, but splitting only at the commas outside
    quotes: If-None-Match ``*`` false; otherwise each member trimmed and
    kept only if it is ``W/``-or-not followed by anything between two
    quotes, the others dropped; a list left empty is read as if the field
    were absent (If-Modified-Since then decides); the members kept compared
    weakly. If-Match, If-Unmodified-Since, If-Modified-Since exactly as
    RFC 9110 says; no Range.

    Features: all four fields evaluated (If-None-Match's weak comparison
    and ``*`` too).

    True diagnosis, exactly 1 deviation, lenient: the invalid members of an
    If-None-Match list dropped (AMB-ETAG-1) and a list left empty read as
    absent (AMB-LIST-1), both lenient in If-None-Match. (Django also
    splits inside quotes, which cuts a tag holding a comma: a bug this app
    leaves out.)
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if _preconditions_failed(environ):
        return _answer(environ, start_response, 412)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        if inm.strip(" \t") == "*":
            return _answer(environ, start_response, 304)
        kept = []
        for member in _outside_quotes(inm):
            found = _LOOSELY_QUOTED.fullmatch(member.strip())
            if found is not None:
                kept.append(Tag(found.group(2), weak=bool(found.group(1))))
        if kept:
            matched = any(weak_match(tag, ETAG) for tag in kept)
            return _answer(environ, start_response, 304 if matched else 200)
    return _by_if_modified_since(environ, start_response)


def _outside_quotes(value: str) -> list[str]:
    members, start, quoted = [], 0, False
    for at, char in enumerate(value):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            members.append(value[start:at])
            start = at + 1
    return [*members, value[start:]]


def both_retrieval_fields_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """Like Apache httpd's ap_meets_conditions: If-Match and
    If-Unmodified-Since as RFC 9110 says; then If-None-Match and a valid
    If-Modified-Since are *both* evaluated, as RFC 2616 had it: a 304 only
    when every one present says "not modified" (a matching tag with a date
    before Last-Modified gets the full answer); no Range.

    Features: all four fields evaluated.

    True diagnosis, exactly 1 deviation, a bug (RFC 9110 §13.1.3: a
    recipient MUST ignore If-Modified-Since when If-None-Match is present):
    If-None-Match and If-Modified-Since both evaluated.
    """
    refused = _refuse(start_response, environ)
    if refused is not None:
        return refused
    if _preconditions_failed(environ):
        return _answer(environ, start_response, 412)
    inm = environ.get("HTTP_IF_NONE_MATCH")
    since = _date(environ, "HTTP_IF_MODIFIED_SINCE")
    if inm is None and since is None:
        return _answer(environ, start_response, 200)
    not_modified = inm is None or not _if_none_match_holds(inm)
    if since is not None:
        not_modified = not_modified and since >= LAST_MODIFIED
    return _answer(environ, start_response, 304 if not_modified else 200)


#: The true diagnosis of the apps whose deviations are told by ID:
#: deviation ID -> class (see the docstrings).
TRUE_IDS: Final[dict[str, dict[str, str]]] = {
    "salvaging_if_none_match_app": {"LENIENT@If-None-Match": "lenient"},
    "dropping_if_none_match_app": {"LENIENT@If-None-Match": "lenient"},
    "both_retrieval_fields_app": {
        "RETRIEVAL-FIELDS-BOTH-EVALUATED@If-None-Match": "bug",
    },
    "future_if_modified_since_ignored_app": {"AMB-DATE-6@If-Modified-Since": "should"},
    "tolerant_if_match_app": {
        "LEN-9@If-Match": "bug",
        "NOT-EVALUATED@If-Unmodified-Since": "unsupported",
    },
}


#: Each app's true diagnosis: deviation name -> class (see the docstrings).
TRUE_DIAGNOSES: Final[dict[str, dict[str, str]]] = {
    "any_if_none_match_app": {
        "If-None-Match not compared": "bug",
        "If-Match not evaluated": "unsupported",
        "If-Modified-Since not evaluated": "unsupported",
        "If-Unmodified-Since not evaluated": "unsupported",
    },
    "bottle_like_app": {
        "If-Match not evaluated": "unsupported",
        "If-Unmodified-Since not evaluated": "unsupported",
    },
    "file_response_like_app": {
        "If-None-Match not evaluated": "unsupported",
        "If-Modified-Since not evaluated": "unsupported",
    },
    "future_if_modified_since_ignored_app": {
        "If-Modified-Since in the future ignored (RFC 2616)": "should",
    },
    "raw_string_app": {
        "If-None-Match compared as raw text": "bug",
        "If-Match not evaluated": "unsupported",
        "If-Unmodified-Since not evaluated": "unsupported",
    },
}


def status(app: App, method: str = "GET", **fields: str) -> int:
    """The status ``app`` answers to a request with ``fields`` (snake_case
    names) on ``/``."""
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": "/"}
    for name, value in fields.items():
        environ["HTTP_" + name.upper()] = value
    seen: list[str] = []
    app(environ, lambda line, headers, exc_info=None: seen.append(line))
    return int(seen[0].split()[0])
