"""The range checks: 416 with Content-Range (ST-416-1), what a 206 carries
(ST-206-1, ST-206-3, ST-206-11), unsatisfiable ranges (RNG-13), validators
before Range (RNG-7) and a false If-Range (COND-IR-9a), each probed for the
identity and the gzip representation.

Each check passes the zoo's correct server, the reference demo and the
lenient server, and catches its mutant (``tests/test_mutants.py`` runs
those generically); here, what each finding says, and the pieces.
"""

from __future__ import annotations

import functools
import gzip
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

import lenient_apps
import pytest
import zoo

from etagspec.conformance import Status, check_app
from etagspec.conformance.model import ProbeResponse
from etagspec.conformance.partial import BadPartial, Part, covers, read_parts
from etagspec.demo import make_app as make_demo_app

NEW_CHECKS: Final = (
    "ST-416-1",
    "ST-206-1",
    "ST-206-3",
    "ST-206-11",
    "RNG-13",
    "RNG-7",
    "COND-IR-9a",
)
MAX_EXAMPLES: Final = 30


def run(app: Any, *checks: str) -> dict[str, Any]:
    report = check_app(app, paths=["/"], max_examples=MAX_EXAMPLES, select=checks)
    return {result.check.id: result for result in report.results}


# The runs several tests read, made once per process: each check of a run is
# searched on its own (its own context, the run's seed), so a run of all the
# checks gives each the result a run of it alone gives; these checks only
# send GET and HEAD, which leave the app as it was.


@functools.cache
def correct_runs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The new checks on the zoo's correct server, the lenient server, and
    the reference demo (at its default budget)."""
    demo = check_app(make_demo_app(), paths=["/", "/hello"], select=NEW_CHECKS)
    return (
        run(zoo.make_app(), *NEW_CHECKS),
        run(lenient_apps.make_app(), *NEW_CHECKS),
        {result.check.id: result for result in demo.results},
    )


@functools.cache
def mutant_run(flag: str, check_id: str) -> dict[str, Any]:
    """The check ``check_id`` on the zoo's mutant ``flag``."""
    bug: dict[str, Any] = {flag: True}
    return run(zoo.make_app(**bug), check_id)


@pytest.mark.parametrize("check_id", NEW_CHECKS)
def test_the_correct_servers_pass(check_id: str) -> None:
    correct, lenient, demo = correct_runs()
    result = correct[check_id]
    assert result.status is Status.PASSED, [f.explanation for f in result.failures]
    # The lenient server reads dates case-blind (AMB-DATE-2): lenient, never failed.
    result = lenient[check_id]
    assert result.status in (Status.PASSED, Status.LENIENT), [
        f.explanation for f in result.failures
    ]
    assert demo[check_id].status in (Status.PASSED, Status.SKIPPED), demo[check_id].note


@pytest.mark.parametrize(
    ("check_id", "flag", "says"),
    [
        pytest.param("ST-416-1", "no_content_range_on_416", "no Content-Range", id="ST-416-1"),
        pytest.param("ST-206-1", "no_etag_on_206", "without ETag", id="ST-206-1"),
        pytest.param("ST-206-3", "range_one_byte_short", "but carries", id="ST-206-3"),
        pytest.param("ST-206-11", "drops_later_ranges", "are missing", id="ST-206-11"),
        pytest.param("RNG-13", "zero_suffix_gets_everything", "no range of it", id="RNG-13"),
        pytest.param("RNG-7", "range_before_if_none_match", "gives 304", id="RNG-7"),
        pytest.param("COND-IR-9a", "false_if_range_honours_range", "got 206", id="COND-IR-9a"),
    ],
)
def test_each_mutant_is_caught_with_a_finding_that_says_why(
    check_id: str, flag: str, says: str
) -> None:
    result = mutant_run(flag, check_id)[check_id]

    assert result.status in (Status.FAILED, Status.WARNED)
    assert any(says in failure.explanation for failure in result.failures), [
        failure.explanation for failure in result.failures
    ]


def test_zero_length_suffix_is_shrunk_to_bytes_minus_0_RNG_13() -> None:
    result = mutant_run("zero_suffix_gets_everything", "RNG-13")["RNG-13"]

    assert result.failures[0].request.header("Range") == "bytes=-0"


def test_a_range_before_a_matching_if_none_match_is_reported_RNG_7() -> None:
    result = mutant_run("range_before_if_none_match", "RNG-7")["RNG-7"]

    answered = {(f.request.header("If-None-Match"), f.response.status) for f in result.failures}
    assert ('"v1"', 206) in answered or any(status == 206 for _, status in answered)


# --- the gzip representation is probed too ----------------------------------------


def gzip_ranges_without_content_range(app: Callable[..., Iterable[bytes]]) -> Any:
    """The zoo, except that a 206 of its gzip representation has no
    Content-Range (broken only where Accept-Encoding: gzip is sent)."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *extra: Any) -> Any:
            if status.startswith("206") and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
                headers = [(k, v) for k, v in headers if k.lower() != "content-range"]
            return start_response(status, headers, *extra)

        return app(environ, start)

    return wrapped


def test_a_206_broken_only_in_gzip_is_found_with_accept_encoding_gzip_ST_206_3() -> None:
    result = run(gzip_ranges_without_content_range(zoo.make_app()), "ST-206-3")["ST-206-3"]

    assert result.status is Status.FAILED
    (failure,) = result.failures
    assert failure.request.header("Accept-Encoding") == "gzip"
    assert "no Content-Range" in failure.explanation


# --- reading a 206 -------------------------------------------------------------------

BODY: Final = b"0123456789"


def multipart_206(*parts: tuple[str, bytes], boundary: str = "b") -> ProbeResponse:
    body = b"".join(
        b"--" + boundary.encode() + b"\r\nContent-Range: " + cr.encode() + b"\r\n\r\n" + c + b"\r\n"
        for cr, c in parts
    )
    body += b"--" + boundary.encode() + b"--\r\n"
    content_type = f"multipart/byteranges; boundary={boundary}"
    return ProbeResponse(206, (("Content-Type", content_type),), body)


def test_multipart_parts_are_read_in_order_ST_206_3() -> None:
    response = multipart_206(("bytes 0-0/10", b"0"), ("bytes 8-9/10", b"89"))

    assert read_parts(response) == [Part(0, 0, 10, b"0"), Part(8, 9, 10, b"89")]


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (ProbeResponse(206, (), b"0"), "no Content-Range"),
        (ProbeResponse(206, (("Content-Range", "bytes 3-1/10"),), b""), "invalid"),
        (ProbeResponse(206, (("Content-Range", "bytes 0-9/5"),), b""), "invalid"),
        (ProbeResponse(206, (("Content-Type", "multipart/byteranges"),), b""), "no boundary"),
        (
            ProbeResponse(206, (("Content-Type", "multipart/byteranges; boundary=b"),), b"x"),
            "no boundary line",
        ),
    ],
    ids=[
        "ST-206-3-none",
        "ST-206-3-backwards",
        "ST-206-3-past-length",
        "ST-206-3-no-boundary",
        "ST-206-3-no-line",
    ],
)
def test_an_unreadable_206_is_told(response: ProbeResponse, message: str) -> None:
    with pytest.raises(BadPartial, match=message):
        read_parts(response)


def test_merged_ranges_cover_what_was_asked_ST_206_11() -> None:
    assert covers([Part(0, 3, 10, b"0123")], [(0, 1), (2, 3)]) == []
    assert covers([Part(0, 0, 10, b"0")], [(0, 0), (9, 9)]) == [(9, 9)]
    assert covers([Part(0, 1, 10, b"01"), Part(2, 3, 10, b"23")], [(1, 2)]) == []


def test_the_precompressed_fixtures_are_smaller_and_up_to_date() -> None:
    # WhiteNoise serves the smallest variant a request accepts: a .gz or .br
    # beside a static file is used only when it is smaller.
    static = CONFIRM.parent / "static"
    plain = (static / "compressible.txt").read_bytes()
    packed = (static / "compressible.txt.gz").read_bytes()
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain)
    assert len((static / "compressible.txt.br").read_bytes()) < len(plain)
    pytest.importorskip("brotli")  # the campaign extra writes the .br
    sys.path.insert(0, str(CONFIRM.parent))
    try:
        import compress_static
    finally:
        sys.path.remove(str(CONFIRM.parent))
    assert compress_static.main(["--check"]) == 0


def test_a_gzip_representation_compressed_afresh_each_time_is_not_cut_ST_206_3() -> None:
    # A server that compresses on the fly with the time in the gzip header:
    # no two answers have the same bytes, so no range of it can be judged.
    app = zoo.make_app()
    counter = iter(range(10**6))

    def fresh(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = b"".join(app(environ, start_response))
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and "HTTP_RANGE" not in environ:
            return [gzip.compress(zoo.DEFAULT_BODY, mtime=next(counter))]
        return [body]

    result = run(fresh, "ST-206-3")["ST-206-3"]

    assert result.status is Status.PASSED
    assert "differs from one GET to the next" in result.note


# --- the campaign's findings, reproduced without the harness -----------------------

CONFIRM: Final = Path(__file__).resolve().parent.parent / "conformance" / "apps"


def confirmations() -> list[Any]:
    sys.path.insert(0, str(CONFIRM))
    try:
        import confirm_ranges
    finally:
        sys.path.remove(str(CONFIRM))
    return list(confirm_ranges.CONFIRMATIONS)


# Bottle and Falcon leave a file open on some error paths (their leak, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("confirmation", confirmations(), ids=lambda f: f.__name__)
def test_each_published_range_finding_is_reproduced_without_the_harness(
    confirmation: Callable[[], Iterable[str]],
) -> None:
    # The frameworks are the pinned campaign extra: skipped where it is not installed.
    sys.path.insert(0, str(CONFIRM))
    try:
        confirmed = list(confirmation())
    except ImportError as missing:
        pytest.skip(f"the campaign extra is not installed ({missing})")
    finally:
        sys.path.remove(str(CONFIRM))
    assert confirmed


def test_if_modified_since_with_a_range_is_still_304_COND_IMS_6() -> None:
    # Range served before If-Modified-Since: a SHOULD of COND-IMS-6 not met
    # (a warning), with the one request that shows it.
    result = run(zoo.make_app(range_before_if_none_match=True), "COND-IMS-6")["COND-IMS-6"]

    assert result.status is Status.WARNED
    (failure,) = result.failures
    assert failure.request.header("Range") == "bytes=0-1"
    assert failure.response.status == 206
