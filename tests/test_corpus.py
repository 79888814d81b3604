"""The corpus of known-tricky values (etagspec.conformance.corpus): each
value classed as the strict grammar classes it, sent first by every
exploring check, and a failure there recorded when generation misses it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
import zoo

from etagspec.conformance import Status, check_app
from etagspec.conformance.corpus import LEAP_SECOND, CorpusValue, corpus_values
from etagspec.dates import http_date_to_timestamp
from etagspec.etags import EntityTag, parse_entity_tag, parse_entity_tag_list
from etagspec.ranges import parse_range

CURRENT = EntityTag("v1")
LAST_MODIFIED = zoo.BASE_LAST_MODIFIED


def joined(value: CorpusValue) -> str:
    """Repeated field lines as a server hands them on: joined by commas."""
    return ", ".join(value) if isinstance(value, tuple) else value


def parses(parse: Callable[[str], object], value: CorpusValue) -> bool:
    try:
        parse(joined(value))
    except ValueError:
        return False
    return True


def if_range(value: str) -> object:
    try:
        return parse_entity_tag(value)
    except ValueError:
        return http_date_to_timestamp(value)


def tag_list(value: str) -> object:
    return "*" if value.strip(" \t") == "*" else parse_entity_tag_list(value)


@pytest.mark.parametrize(
    ("field", "parse"),
    [
        ("If-None-Match", tag_list),
        ("If-Match", tag_list),
        ("If-Modified-Since", http_date_to_timestamp),
        ("If-Unmodified-Since", http_date_to_timestamp),
        ("If-Range", if_range),
        ("Range", parse_range),
    ],
)
def test_each_value_is_classed_as_the_strict_grammar_classes_it(
    field: str, parse: Callable[[str], object]
) -> None:
    corpus = corpus_values(field, etag=CURRENT, last_modified=LAST_MODIFIED)

    assert corpus.valid and corpus.invalid
    assert [v for v in corpus.valid if not parses(parse, v)] == []
    assert [v for v in corpus.invalid if parses(parse, v)] == []


def test_the_corpus_holds_the_tricky_cases() -> None:
    tags = corpus_values("If-None-Match", etag=CURRENT, last_modified=None)
    dates = corpus_values("If-Modified-Since", etag=None, last_modified=LAST_MODIFIED)
    every_tag = {joined(v) for v in tags.valid + tags.invalid}
    every_date = {joined(v) for v in dates.valid + dates.invalid}

    assert {'"a,b", "v1"', '"a\\", "v1"', 'w/"v1"', '*, "v1"', ""} <= every_tag
    assert any(isinstance(v, tuple) for v in tags.valid)  # repeated field lines
    assert {
        "fri, 03 nov 2023 08:26:40 gmt",
        "FRI, 03 NOV 2023 08:26:40 GMT",
        "Sat, 03 Nov 2023 08:26:40 GMT",  # the wrong day-name
        "Fri, 03 Nov 2023 08:26:40 UTC",
        "Fri, 03 Nov 2023 08:26:40 +0000",
        "Fri, 01 Jan 1960 00:00:00 GMT",
        "Tue, 19 Jan 2038 03:14:08 GMT",
        LEAP_SECOND,
        "",
    } <= every_date


def crashes_on(marker: str, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """``app``, but a 500 whenever a request field holds ``marker``."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if any(isinstance(v, str) and marker in v for k, v in environ.items() if k[:5] == "HTTP_"):
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return wrapped


@pytest.mark.parametrize(
    ("check_id", "marker"),
    [("COND-IMS-6", "23:59:60"), ("CMP-USE-2", '"a,b"'), ("COND-IMS-3", " +0000")],
)
def test_a_value_only_the_corpus_sends_is_caught(check_id: str, marker: str) -> None:
    # One generated example: only the corpus can send the marker.
    app = crashes_on(marker, zoo.make_app())
    report = check_app(app, paths=["/"], max_examples=1, select=[check_id])
    (result,) = report.results

    assert result.status in (Status.FAILED, Status.WARNED)  # COND-IMS-6 is a SHOULD
    (failure,) = result.failures
    assert any(marker in value for _, value in failure.request.headers)
    assert failure.response.status == 500


def test_the_correct_app_passes_every_corpus_value() -> None:
    # Only the corpus: no generated example can hide a corpus failure.
    report = check_app(zoo.make_app(), paths=["/"], max_examples=1)

    assert report.failed() == [], [r.check.id for r in report.failed()]


def test_repeated_lines_reach_the_app_as_one_joined_field() -> None:
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(environ.get("HTTP_IF_NONE_MATCH", ""))
        return zoo.make_app()(environ, start_response)

    check_app(app, paths=["/"], max_examples=1, select=["CMP-USE-2"])

    assert f'"etagspec-no-such-tag", {CURRENT}' in seen


def test_a_write_let_through_by_a_lenient_if_match_is_caught() -> None:
    # Reading w/"v1" as "v1" turns "unknown" into "matches" for If-Match
    # (LEN-9): the corpus's PUT with that value overwrites the document.
    correct = zoo.make_app()

    def lenient(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        value = environ.get("HTTP_IF_MATCH")
        if value is not None:
            environ["HTTP_IF_MATCH"] = value.replace("w/", "")
        return correct(environ, start_response)

    report = check_app(
        lenient, paths=[], unsafe_paths=["/doc"], max_examples=1, select=["COND-IM-5"]
    )
    (result,) = report.results

    assert result.status is Status.FAILED
    (failure,) = result.failures
    assert failure.request.method == "PUT"
    assert "w/" in (failure.request.header("If-Match") or "")
