"""A conditional WSGI layer written from RFC 9110 and PEP 3333 alone (it
imports nothing from etagspec), and mutants of it with exactly one flaw
each, for the layer checks (``etagspec check-layer``).

:class:`ConditionalLayer` is ``wrap(app) -> app``: it answers 304 / 412 to a
conditional GET or HEAD from the ETag and Last-Modified the wrapped app
sends, reads the app's content only until the app has called
``start_response``, closes the app's iterable once on every path, lets
exceptions through, and leaves everything else alone.
"""

from __future__ import annotations

import email.utils
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

StartResponse = Callable[..., Callable[[bytes], object]]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Captured = tuple[str, list[tuple[str, str]], Any]

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3)
_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
_LIST_ITEM = re.compile(r'[ \t]*((?:W/)?"[\x21\x23-\x7e\x80-\xff]*")?[ \t]*(,|$)')
_PRECONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
_KEPT_ON_304 = (
    "cache-control",
    "content-location",
    "date",
    "etag",
    "expires",
    "vary",
    "last-modified",
)


def _tags(value: str) -> list[tuple[bool, str]] | None:
    """(weak, opaque) of each member of an entity-tag list, or None if invalid."""
    tags: list[tuple[bool, str]] = []
    position = 0
    while position < len(value):
        match = _LIST_ITEM.match(value, position)
        if match is None or match.end() == position:
            return None
        if match.group(1):
            tag = _TAG.fullmatch(match.group(1))
            assert tag is not None
            tags.append((bool(tag.group(1)), tag.group(2)))
        position = match.end()
    return tags


def _seconds(value: str | None) -> float | None:
    """An HTTP-date as POSIX seconds, or None (absent or invalid)."""
    if value is None or not value.endswith("GMT"):
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class _Resumed:
    """The app's content: the chunks already read (and write() output),
    then the rest; closes the app's iterable when closed."""

    def __init__(self, layer: ConditionalLayer, prefix: list[bytes], rest: Any, inner: Any) -> None:
        self._layer = layer
        self._prefix = prefix
        self._rest = rest
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        yield from self._prefix
        if self._rest is not None:
            yield from self._rest

    def close(self) -> None:
        self._layer.close_inner(self._inner)


class ConditionalLayer:
    """The correct layer. Each method is one decision a mutant may get wrong."""

    def __init__(self, app: App) -> None:
        self.app = app

    # -- what is judged --------------------------------------------------------

    def judged(self, environ: dict[str, Any]) -> bool:
        """Only GET and HEAD with a precondition field (RFC 9110 §13.1)."""
        method = environ["REQUEST_METHOD"]
        return method in ("GET", "HEAD") and any(key in environ for key in _PRECONDITIONS)

    def judges_status(self, status: str) -> bool:
        """Only 2xx answers (RFC 9110 §13.2.1)."""
        return status[:1] == "2"

    # -- RFC 9110 §13.2.2 --------------------------------------------------------

    def decide(self, environ: dict[str, Any], headers: list[tuple[str, str]]) -> int | None:
        etag_text = _header(headers, "etag")
        etag_match = _TAG.fullmatch(etag_text) if etag_text is not None else None
        etag = (bool(etag_match.group(1)), etag_match.group(2)) if etag_match else None
        modified = _seconds(_header(headers, "last-modified"))
        if_match = environ.get("HTTP_IF_MATCH")
        if if_match is not None:
            if not self.if_match_passes(if_match, etag):
                return 412
        elif modified is not None:
            since = _seconds(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
            if since is not None and modified > since:
                return 412
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if self.if_none_match_matches(if_none_match, etag):
                return 304
            return self.after_unmatched_if_none_match(environ, modified)
        if modified is not None:
            since = _seconds(environ.get("HTTP_IF_MODIFIED_SINCE"))
            if since is not None and modified <= since:
                return 304
        return None

    def after_unmatched_if_none_match(
        self, environ: dict[str, Any], modified: float | None
    ) -> int | None:
        """If-Modified-Since is not evaluated when If-None-Match is present."""
        return None

    def if_match_passes(self, value: str, etag: tuple[bool, str] | None) -> bool:
        if value.strip(" \t") == "*":
            return True
        tags = _tags(value)
        if tags is None or etag is None or etag[0]:
            return False
        return any(not weak and opaque == etag[1] for weak, opaque in tags)

    def if_none_match_matches(self, value: str, etag: tuple[bool, str] | None) -> bool:
        if value.strip(" \t") == "*":
            return True
        tags = _tags(value)
        if tags is None or etag is None:
            return False
        return any(opaque == etag[1] for _, opaque in tags)  # weak comparison

    # -- answers -----------------------------------------------------------------

    def not_modified_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, value) for name, value in headers if name.lower() in _KEPT_ON_304]

    def close_inner(self, inner: Any) -> None:
        close = getattr(inner, "close", None)
        if close is not None:
            close()

    def read_until_started(
        self, inner: Iterable[bytes], captured: list[Captured]
    ) -> tuple[list[bytes], Iterator[bytes] | None]:
        """Chunks read before the app called start_response, and the iterator."""
        if captured:
            return [], None
        iterator = iter(inner)
        chunks: list[bytes] = []
        for chunk in iterator:
            chunks.append(chunk)
            if captured:
                break
        return chunks, iterator

    def passed_through(self, written: list[bytes], read: list[bytes]) -> list[bytes]:
        return written + read

    def pass_plain(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self.judged(environ):
            return self.pass_plain(environ, start_response)
        captured: list[Captured] = []
        written: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.append((status, headers, exc_info))
            return written.append

        inner = self.call_app(environ, capture)
        try:
            read, iterator = self.read_until_started(inner, captured)
            if not captured:
                raise RuntimeError("the app never called start_response")
        except BaseException:
            self.close_inner(inner)
            raise
        status, headers, exc_info = captured[-1]
        decision = self.decide(environ, headers) if self.judges_status(status) else None
        if decision is not None:
            self.close_inner(inner)
            return self.answer(decision, environ, headers, start_response)
        start_response(status, headers, exc_info)
        return self.resume(written, read, iterator or inner, inner)

    def resume(self, written: list[bytes], read: list[bytes], rest: Any, inner: Any) -> _Resumed:
        """The full answer's content: write() output, what was read, the rest."""
        return _Resumed(self, self.passed_through(written, read), rest, inner)

    def call_app(self, environ: dict[str, Any], capture: StartResponse) -> Iterable[bytes]:
        return self.app(environ, capture)

    def answer(
        self,
        decision: int,
        environ: dict[str, Any],
        headers: list[tuple[str, str]],
        start_response: StartResponse,
    ) -> list[bytes]:
        if decision == 304:
            start_response("304 Not Modified", self.not_modified_headers(headers))
            return []
        body = b"" if environ["REQUEST_METHOD"] == "HEAD" else b"precondition failed"
        start_response(
            "412 Precondition Failed",
            [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
        )
        return [body]


# ---- mutants: exactly one flaw each -------------------------------------------------


class ComputesBodyFirst(ConditionalLayer):
    """Reads all of the app's content before deciding."""

    def read_until_started(
        self, inner: Iterable[bytes], captured: list[Captured]
    ) -> tuple[list[bytes], Iterator[bytes] | None]:
        chunks = list(inner)
        return chunks, iter(())


class NeverCloses(ConditionalLayer):
    """Never closes the app's iterable."""

    def close_inner(self, inner: Any) -> None:
        pass


class ClosesTwice(ConditionalLayer):
    """Closes the app's iterable twice."""

    def close_inner(self, inner: Any) -> None:
        super().close_inner(inner)
        super().close_inner(inner)


class SwallowsExceptions(ConditionalLayer):
    """Turns an exception of the app into an empty 200."""

    def call_app(self, environ: dict[str, Any], capture: StartResponse) -> Iterable[bytes]:
        try:
            return list(super().call_app(environ, capture))
        except Exception:
            capture("200 OK", [])
            return []


class JudgesAnyStatus(ConditionalLayer):
    """Answers 304 to a 404 (or any answer) that carries a matching ETag."""

    def judges_status(self, status: str) -> bool:
        return True


class ComparesIfNoneMatchStrongly(ConditionalLayer):
    """Uses the strong comparison for If-None-Match."""

    def if_none_match_matches(self, value: str, etag: tuple[bool, str] | None) -> bool:
        return self.if_match_passes(value, etag)  # If-Match's strong comparison


class KeepsContentTypeOn304(ConditionalLayer):
    """Sends the 200's Content-Type on a 304 (a SHOULD NOT)."""

    def not_modified_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        kept = super().not_modified_headers(headers)
        return kept + [(n, v) for n, v in headers if n.lower() == "content-type"]


class DropsETagOn304(ConditionalLayer):
    """Leaves ETag out of a 304."""

    def not_modified_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(n, v) for n, v in super().not_modified_headers(headers) if n.lower() != "etag"]


class JudgesUnsafeMethods(ConditionalLayer):
    """Judges POST, PUT and DELETE too, after the app has run them: a failed
    If-Match, or a matching If-None-Match, becomes a 412 when the write has
    already happened (the CherryPy style: ``tools.etags`` validates the
    handler's answer)."""

    def judged(self, environ: dict[str, Any]) -> bool:
        return any(key in environ for key in _PRECONDITIONS)

    def answer(
        self,
        decision: int,
        environ: dict[str, Any],
        headers: list[tuple[str, str]],
        start_response: StartResponse,
    ) -> list[bytes]:
        unsafe = environ["REQUEST_METHOD"] not in ("GET", "HEAD")
        return super().answer(412 if unsafe else decision, environ, headers, start_response)


class RefusesUnsafeIfNoneMatch(ConditionalLayer):
    """Answers 412 to any POST, PUT or DELETE with If-None-Match without
    calling the app, so ``If-None-Match: *`` can never create a resource
    (the Pesto style)."""

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_IF_NONE_MATCH" in environ and environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            start_response("412 Precondition Failed", [("Content-Length", "0")])
            return []
        return super().__call__(environ, start_response)


class WithholdsPreconditions(ConditionalLayer):
    """Passes a POST, PUT or DELETE on without its precondition fields, so
    the app runs it unconditionally."""

    def pass_plain(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        kept = {k: v for k, v in environ.items() if k not in _PRECONDITIONS}
        return self.app(kept, start_response)


class LosesWrites(ConditionalLayer):
    """Drops what the app sent through write()."""

    def passed_through(self, written: list[bytes], read: list[bytes]) -> list[bytes]:
        return read


class PutsWritesLast(ConditionalLayer):
    """Sends what the app sent through write() after the content it
    returned (the Pesto style: ``Response.from_wsgi`` chains it last)."""

    def resume(self, written: list[bytes], read: list[bytes], rest: Any, inner: Any) -> _Resumed:
        return _Resumed(self, read, itertools.chain(rest, written), inner)


class IgnoresLazyStart(ConditionalLayer):
    """Passes an app through unjudged when it has not called start_response
    by the time it returns."""

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self.judged(environ):
            return self.app(environ, start_response)
        captured: list[Captured] = []
        written: list[bytes] = []
        forward: list[bool] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if forward:
                return start_response(status, headers, exc_info)
            captured.append((status, headers, exc_info))
            return written.append

        inner = self.app(environ, capture)
        if not captured:
            forward.append(True)
            return inner
        status, headers, exc_info = captured[-1]
        decision = self.decide(environ, headers) if self.judges_status(status) else None
        if decision is not None:
            self.close_inner(inner)
            return self.answer(decision, environ, headers, start_response)
        start_response(status, headers, exc_info)
        return _Resumed(self, written, inner, inner)


class EvaluatesIfModifiedSinceAfterIfNoneMatch(ConditionalLayer):
    """Lets If-Modified-Since decide when If-None-Match did not match."""

    def after_unmatched_if_none_match(
        self, environ: dict[str, Any], modified: float | None
    ) -> int | None:
        since = _seconds(environ.get("HTTP_IF_MODIFIED_SINCE"))
        if modified is not None and since is not None and modified <= since:
            return 304
        return None


class DropsContentLength(ConditionalLayer):
    """Strips Content-Length from every answer it lets through, even a
    request without preconditions."""

    def pass_plain(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def strip(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(n, v) for n, v in headers if n.lower() != "content-length"]
            return start_response(status, kept, exc_info)

        return self.app(environ, strip)


def correct_layer(app: App) -> App:
    """``wrap(app) -> app`` for the correct layer."""
    return ConditionalLayer(app)


#: Each mutant, and the layer check that must catch it (SHOULD checks under --strict).
MUTANTS: dict[type[ConditionalLayer], str] = {
    ComputesBodyFirst: "LAYER-LAZY-1",
    NeverCloses: "LAYER-CLOSE-1",
    ClosesTwice: "LAYER-CLOSE-1",
    SwallowsExceptions: "LAYER-EXC-1",
    JudgesAnyStatus: "LAYER-PASS-1",
    ComparesIfNoneMatchStrongly: "LAYER-COND-1",
    KeepsContentTypeOn304: "LAYER-304-2",
    DropsETagOn304: "LAYER-304-1",
    JudgesUnsafeMethods: "LAYER-UNSAFE-2",
    WithholdsPreconditions: "LAYER-UNSAFE-2",
    RefusesUnsafeIfNoneMatch: "LAYER-UNSAFE-1",
    LosesWrites: "LAYER-WRITE-1",
    PutsWritesLast: "LAYER-WRITE-1",
    IgnoresLazyStart: "LAYER-LAZYSR-1",
    EvaluatesIfModifiedSinceAfterIfNoneMatch: "LAYER-COND-1",
    DropsContentLength: "LAYER-PASS-2",
}


class ReadsEmptyFieldsAsAbsent(ConditionalLayer):
    """Correct, but lenient: an empty precondition field other than If-Match
    is read as absent (AMB-LIST-1), so an empty If-None-Match lets
    If-Modified-Since decide. (An empty If-Match read as absent would let
    the request through where it is false: LEN-9, a failure.)"""

    def decide(self, environ: dict[str, Any], headers: list[tuple[str, str]]) -> int | None:
        present = {
            k: v
            for k, v in environ.items()
            if k not in _PRECONDITIONS or k == "HTTP_IF_MATCH" or v.strip(" \t")
        }
        return super().decide(present, headers)


class AsksFirst(ConditionalLayer):
    """Correct, and stricter: judges a POST, PUT or DELETE before running it,
    on the validators of a GET without preconditions it sends the app first
    (412 without the write, else the request passed on as it came)."""

    def pass_plain(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not any(key in environ for key in _PRECONDITIONS):
            return self.app(environ, start_response)
        safe = {k: v for k, v in environ.items() if k not in _PRECONDITIONS}
        safe["REQUEST_METHOD"] = "GET"
        captured: list[Captured] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.append((status, headers, exc_info))
            return lambda data: None

        inner = self.app(safe, capture)
        self.read_until_started(inner, captured)
        self.close_inner(inner)
        status, headers, _ = captured[-1]
        etag_text = _header(headers, "etag") if self.judges_status(status) else None
        etag_match = _TAG.fullmatch(etag_text) if etag_text is not None else None
        etag = (bool(etag_match.group(1)), etag_match.group(2)) if etag_match else None
        if self.refuses(environ, status, etag, _seconds(_header(headers, "last-modified"))):
            return self.answer(412, environ, headers, start_response)
        return self.app(environ, start_response)

    def refuses(
        self,
        environ: dict[str, Any],
        status: str,
        etag: tuple[bool, str] | None,
        modified: float | None,
    ) -> bool:
        """RFC 9110 §13.2.2 for an unsafe method (the resource exists iff 2xx)."""
        exists = self.judges_status(status)
        if_match = environ.get("HTTP_IF_MATCH")
        if if_match is not None:
            if not (exists and self.if_match_passes(if_match, etag)):
                return True
        elif exists and modified is not None:
            since = _seconds(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
            if since is not None and modified > since:
                return True
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        return (
            if_none_match is not None
            and exists
            and (self.if_none_match_matches(if_none_match, etag))
        )
