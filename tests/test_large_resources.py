"""Large representations and long entity-tags are judged by RFC 9110:

* a correct static resource of 1 MB (100 MB in the slow run) passes every
  check that applies, and ST-416-2 judges a 1 GB resource in memory that
  does not grow with its length (its ranges are O(number of ranges));
* a correct server whose ETag is 17,000 characters long passes every check
  that applies, and one whose tags never match fails the checks that send
  the current tag back, however long it is (the oracle does not apply the
  reference's own 16 KiB field cap, :data:`etagspec.limits.MAX_FIELD_LENGTH`).

The resources are :class:`static_resources.StaticResource`: bytes computed
from their offsets, never materialised by the app.
"""

from __future__ import annotations

import tracemalloc
import warnings

import pytest
from static_resources import StaticResource

from etagspec.conformance import run_checks
from etagspec.conformance.catalogue import registered_checks
from etagspec.conformance.checks import satisfiable_range_not_416
from etagspec.conformance.context import CheckContext
from etagspec.conformance.model import ProbeRequest, ProbeResponse, Report, Status
from etagspec.conformance.oracle import Observed
from etagspec.limits import MAX_FIELD_LENGTH

LONG_TAG = "e" * 17_000
#: The checks that send the current tag back and were misjudged past 16 KiB.
TAG_ECHO_CHECKS = ["CMP-USE-1", "CMP-USE-2", "COND-IMS-2", "COND-IUS-2", "COND-PREC-0"]


def _check(app: StaticResource, **options: object) -> Report:
    from etagspec.conformance.targets import WSGITarget

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Hypothesis: "overly large repr" of 17 kB fields
        return run_checks(WSGITarget(app), max_examples=2, **options)  # type: ignore[arg-type]


def _failed(report: Report) -> dict[str, str]:
    return {
        result.check.id: result.note or result.failures[0].explanation
        for result in report.results
        if result.status not in (Status.PASSED, Status.SKIPPED)
    }


@pytest.mark.parametrize(
    "length", [1_000_000, pytest.param(100_000_000, marks=pytest.mark.slow)], ids=str
)
def test_a_correct_large_static_resource_passes_every_check(length: int) -> None:
    report = _check(StaticResource(length, "big"))
    assert _failed(report) == {}
    (ranges,) = [result for result in report.results if result.check.id == "ST-416-2"]
    assert ranges.status is Status.PASSED


class _ArithmeticTarget:
    """A 1 GB resource answered by arithmetic: status and headers of a
    correct server, bodies left out (ST-416-2 judges statuses only), so
    that the memory measured is the check's own."""

    name = kind = "arithmetic"
    length = 1 << 30

    def __init__(self) -> None:
        self.app = StaticResource(self.length, "gigabyte")

    def send(self, request: ProbeRequest) -> ProbeResponse:
        from etagspec.conformance.targets import WSGITarget

        seen: list[tuple[str, list[tuple[str, str]]]] = []
        environ = WSGITarget(self.app).environ(request)
        environ["REQUEST_METHOD"] = "HEAD"  # the same answer, without its body
        self.app(environ, lambda status, headers: seen.append((status, headers)))
        status, headers = seen[0]
        return ProbeResponse(int(status[:3]), tuple(headers))

    def reproduce(self, request: ProbeRequest) -> str:
        return repr(request)


def test_st_416_2_judges_a_gigabyte_resource_in_bounded_memory() -> None:
    target = _ArithmeticTarget()
    observed = Observed.from_response(
        "/", target.send(ProbeRequest("GET", "/")), supports_range=True
    )
    assert observed.length == 1 << 30
    (info,) = [item.info for item in registered_checks() if item.info.id == "ST-416-2"]
    context = CheckContext(info, target, "/", observed, max_examples=20, seed=0)
    tracemalloc.start()
    try:
        satisfiable_range_not_416(context)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert context.failures == []
    assert context.requests > 0
    assert peak < 20 * 1024 * 1024  # set(range(length)) took 40+ GB here


def test_a_correct_server_with_a_17000_character_etag_passes_every_check() -> None:
    assert len(LONG_TAG) + 2 > MAX_FIELD_LENGTH  # past the reference's own cap
    assert _failed(_check(StaticResource(1000, LONG_TAG))) == {}


@pytest.mark.parametrize("tag", ["short", LONG_TAG], ids=["short-tag", "17000-character-tag"])
def test_validators_that_never_match_fail_whatever_the_tag_length(tag: str) -> None:
    report = _check(StaticResource(1000, tag, never_matches=True), select=TAG_ECHO_CHECKS)
    assert sorted(_failed(report)) == sorted(TAG_ECHO_CHECKS)
