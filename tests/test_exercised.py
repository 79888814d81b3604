"""No vacuous verdict: a check whose decisive situation never occurred is
"not exercised" (skipped, with the reason), never passed; and layer mode
learns the validators a layer itself emits, so that it meets that
situation when the layer can.

Each test app's true diagnosis is written in its docstring, before the
harness was run on it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from etagspec.cli import main
from etagspec.conformance import check_app
from etagspec.conformance.layers import LayerTarget, LayerTargetError, check_layer, layer_checks
from etagspec.conformance.layers.runner import canonical_examples
from etagspec.conformance.model import Status
from etagspec.conformance.report.terminal import render_terminal

WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
THE_304_CHECKS = ("LAYER-LAZY-1", "LAYER-304-1", "LAYER-304-2")


class BodyHashingMiddleware:
    """``wrap(app)``: buffers the app's whole body, hashes it into a strong
    ETag (replacing the app's), and answers 304 when If-None-Match is
    exactly that ETag; everything else passes through.

    True diagnosis: every 304 it sends comes after the app computed its
    whole content (LAYER-LAZY-1 fails); its 304 keeps the 200's caching
    fields and drops Content-Type, unless ``keep_content_type``, when
    Content-Type stays on the 304 (LAYER-304-2, a SHOULD, warns).
    """

    keep_content_type = False

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return lambda data: None

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = started
        if not status.startswith("200") or environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            start_response(status, headers)
            return [body]
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = [(n, v) for n, v in headers if n.lower() != "etag"] + [("ETag", tag)]
        if environ.get("HTTP_IF_NONE_MATCH", "").strip() == tag:
            dropped = {"content-length"} | (set() if self.keep_content_type else {"content-type"})
            start_response("304 Not Modified", [h for h in headers if h[0].lower() not in dropped])
            return []
        start_response(status, headers)
        return [body]


class BodyHashingKeepingContentType(BodyHashingMiddleware):
    """:class:`BodyHashingMiddleware` whose 304 keeps Content-Type."""

    keep_content_type = True


def identity_layer(app: WSGIApp) -> WSGIApp:
    """True diagnosis: a layer that does nothing, so it never answers 304
    or 412; every check of a 304 has nothing to judge."""
    return app


class ASGIStyleMiddleware:
    """An ASGI middleware that passes everything through. True diagnosis:
    an ASGI layer (detected as one) that never answers 304 or 412."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


class RaisesOnEveryCall:
    """A WSGI layer whose app raises TypeError on every call. True
    diagnosis: nothing can be checked through it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: Any, start_response: Any) -> Any:
        raise TypeError("not today")


def _results(report: Any) -> dict[str, Any]:
    return {result.check.id: result for result in report.results}


def test_the_body_hashing_middleware_fails_layer_lazy_1() -> None:
    report = check_layer(BodyHashingMiddleware, max_examples=20, select=THE_304_CHECKS)
    results = _results(report)
    assert results["LAYER-LAZY-1"].status is Status.FAILED, results["LAYER-LAZY-1"].note
    assert "made the app compute" in results["LAYER-LAZY-1"].failures[0].explanation
    assert results["LAYER-304-2"].status is Status.PASSED
    assert results["LAYER-304-2"].exercised > 0
    assert results["LAYER-304-1"].exercised > 0


def test_the_body_hashing_middleware_keeping_content_type_warns_layer_304_2() -> None:
    select = ("LAYER-304-2",)
    report = check_layer(BodyHashingKeepingContentType, max_examples=20, select=select)
    (result,) = report.results
    assert result.status is Status.WARNED
    assert "Content-Type" in result.failures[0].explanation


def test_layer_mode_asks_for_the_etag_the_layer_itself_makes() -> None:
    target = LayerTarget(BodyHashingMiddleware)
    lazy = next(check for check in layer_checks() if check.info.id == "LAYER-LAZY-1")
    examples = canonical_examples(lazy, target)
    made = {target.plain(behaviour).outer.response.header("ETag") for behaviour, _ in examples}
    asked = {request.header("If-None-Match") for _, request in examples}
    assert made and made <= asked
    assert '"v1"' not in made  # the app's own tag is replaced


def test_a_layer_that_never_answers_304_is_not_exercised_never_passed() -> None:
    report = check_layer(identity_layer, max_examples=10, select=THE_304_CHECKS)
    for result in report.results:
        assert result.status is Status.SKIPPED, result.check.id
        assert result.exercised == 0
        assert "not exercised" in result.note and "304" in result.note
    assert report.exit_code == 2  # nothing was checked


def test_a_layer_that_raises_on_every_call_is_a_usage_error() -> None:
    with pytest.raises(LayerTargetError, match="answered no plain GET"):
        check_layer(RaisesOnEveryCall, max_examples=5)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-layer", "tests.test_exercised:RaisesOnEveryCall"], out, err)
    assert code == 2
    assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("etagspec: error:")


def test_an_asgi_middleware_is_checked_as_an_asgi_layer() -> None:
    # Once called as WSGI (every call a TypeError, five checks "passed"):
    # now detected as ASGI, and a pass-through fails LAYER-COND-1 (at its
    # first conditional request: a few examples per check are enough).
    out, err = io.StringIO(), io.StringIO()
    argv = ["check-layer", "tests.test_exercised:ASGIStyleMiddleware", "-q", "--max-examples", "5"]
    code = main(argv, out, err)
    assert code == 1, out.getvalue() + err.getvalue()
    assert "LAYER-COND-1" in out.getvalue()


# --- app checks ---------------------------------------------------------------------------


def never_304(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """True diagnosis: sends an ETag and Cache-Control but evaluates no
    precondition at all: it never answers 304, so the checks of a 304's
    fields have nothing to judge."""
    headers = [("ETag", '"v1"'), ("Cache-Control", "max-age=60"), ("Content-Length", "2")]
    start_response("200 OK", headers)
    return [b"hi"]


def test_the_checks_of_a_304_are_not_exercised_on_an_app_that_never_sends_one() -> None:
    select = ("ST-304-4", "ST-304-2", "ST-304-3", "CL-304", "CMP-USE-2", "ABNF-CC-1")
    report = check_app(never_304, paths=["/"], max_examples=10, select=select)
    results = _results(report)
    for check_id in ("ST-304-4", "ST-304-2", "ST-304-3", "CL-304"):
        assert results[check_id].status is Status.SKIPPED, check_id
        assert "not exercised" in results[check_id].note, check_id
        assert results[check_id].exercised == 0
    # Where the situation occurred, the count says how often.
    assert results["CMP-USE-2"].status is Status.FAILED and results["CMP-USE-2"].exercised > 0
    assert results["ABNF-CC-1"].status is Status.PASSED and results["ABNF-CC-1"].exercised > 0
    checks = json.loads(json.dumps(report.to_json()))["checks"]
    assert {entry["id"]: entry["exercised"] for entry in checks}["ST-304-2"] == 0
    lines = render_terminal(report).splitlines()
    counted = f"({results['ABNF-CC-1'].exercised} decisive"
    assert any(line.startswith("PASS  ABNF-CC-1") and counted in line for line in lines)
    assert any(line.startswith("SKIP  ST-304-2") and "not exercised" in line for line in lines)


def test_a_wsgi_layer_named_as_asgi_is_refused_in_one_plain_sentence() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-layer", "etagspec.caching:etag_middleware", "--asgi"], out, err)
    assert code == 2
    assert "is it an ASGI middleware factory, wrap(app) -> app?" in err.getvalue()
