"""The reference implementation obeys the response rules the checks test.

Each conformance check of docs/SPEC.md §7 judges a server's answers. These
unit tests hold etagspec's own WSGI layer (the demo document store, built
only from the public decorators) to the same rules, one test per rule, with
the rule ID in its pytest id: ``pytest -k ST-304-3`` runs the ST-304-3 test.
"""

from __future__ import annotations

import gzip
import re
import time
from typing import Final

import pytest

from etagspec.cache_control import format_cache_control, parse_cache_control
from etagspec.cache_control_lint import lint_cache_control
from etagspec.caching import with_last_modified
from etagspec.dates import format_http_date, http_date_to_timestamp
from etagspec.demo import make_app
from etagspec.digest import digest
from etagspec.environ import ENVIRON_KEYS
from etagspec.etags import parse_entity_tag
from etagspec.request import Request
from etagspec.response import Response
from etagspec.testing import TestApp, TestResponse
from etagspec.wsgi_adapter import to_wsgi

BODY: Final = b"0123456789abcdefghij"
PATH: Final = "/doc"
#: docs/SPEC.md VAL-GEN-SAFE: the characters the reference puts in its tags.
SAFE_OPAQUE: Final = re.compile(r"[A-Za-z0-9\-._~+/=]*")
IMF_FIXDATE: Final = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)
#: Representation metadata a 304 leaves out (ST-304-3).
NOT_ON_304: Final = ("Content-Type", "Content-Encoding", "Content-Language", "Content-Range")
#: Values of each precondition field that are not valid.
GARBAGE: Final = ("garbage", '"unterminated', "*, *", 'w/"x"', "Mon, 32 Foo 2023 99:99:99 GMT")


@pytest.fixture
def client() -> TestApp:
    return TestApp(make_app({PATH: BODY}))


def answers(client: TestApp) -> list[TestResponse]:
    """A spread of the demo's answers: 200, 304, 412, 206, HEAD, PUT."""
    first = client.get(PATH)
    etag = first.header("ETag")
    return [
        first,
        client.head(PATH),
        client.get(PATH, HTTP_IF_NONE_MATCH=etag),
        client.get(PATH, HTTP_IF_MATCH='"other"'),
        client.get(PATH, HTTP_RANGE="bytes=0-3"),
        client.put(PATH, b"new", HTTP_IF_MATCH=etag, CONTENT_TYPE="text/plain"),
    ]


@pytest.mark.parametrize("rule", ["ABNF-ETAG-1"])
def test_every_etag_is_a_valid_entity_tag(client: TestApp, rule: str) -> None:
    tags = [r.header("ETag") for r in answers(client) if r.header("ETag") is not None]
    assert tags
    for text in tags:
        assert text is not None
        tag = parse_entity_tag(text)  # raises for an invalid tag
        assert str(tag) == text
        assert SAFE_OPAQUE.fullmatch(tag.opaque), text  # VAL-GEN-SAFE


@pytest.mark.parametrize("rule", ["DATE-2"])
def test_every_date_is_an_imf_fixdate(client: TestApp, rule: str) -> None:
    dates = [
        value
        for response in answers(client)
        for value in (response.header("Date"), response.header("Last-Modified"))
        if value is not None
    ]
    assert dates
    for value in dates:
        assert IMF_FIXDATE.fullmatch(value), value
        assert format_http_date(http_date_to_timestamp(value)) == value


@pytest.mark.parametrize("rule", ["VAL-LM-4"])
def test_last_modified_is_never_after_date(client: TestApp, rule: str) -> None:
    for response in answers(client):
        modified, date = response.header("Last-Modified"), response.header("Date")
        if modified is not None and date is not None:
            assert http_date_to_timestamp(modified) <= http_date_to_timestamp(date)


@pytest.mark.parametrize("rule", ["VAL-LM-4"])
def test_a_future_modification_time_is_sent_as_now(rule: str) -> None:
    # VAL-LM-5: records that put the change in the future give way to the clock.
    @with_last_modified(lambda request: time.time() + 3600)
    def page(request: Request) -> Response:
        return Response([b"x"])

    response = TestApp(to_wsgi(page)).get("/")
    modified = response.header("Last-Modified")
    assert modified is not None
    assert http_date_to_timestamp(modified) <= time.time() + 1


@pytest.mark.parametrize("rule", ["ST-304-2", "ST-304-3", "ST-304-4", "CL-304"])
def test_a_304_keeps_the_cache_fields_and_drops_the_representation_metadata(
    client: TestApp, rule: str
) -> None:
    full = client.get(PATH)
    not_modified = client.get(PATH, HTTP_IF_NONE_MATCH=full.header("ETag"))
    assert not_modified.status_code == 304
    assert not_modified.body == b""  # ST-304-4
    for name in ("ETag", "Cache-Control"):  # ST-304-2: what the 200 had
        assert not_modified.header(name) == full.header(name)
    for name in NOT_ON_304:  # ST-304-3
        assert not_modified.header(name) is None, name
    length = not_modified.header("Content-Length")  # CL-304: absent, or the 200's
    assert length is None or length == full.header("Content-Length") == str(len(BODY))


@pytest.mark.parametrize("rule", ["CL-HEAD", "METH-HEAD-1"])
def test_head_has_get_s_length_and_no_content(client: TestApp, rule: str) -> None:
    get, head = client.get(PATH), client.head(PATH)
    assert head.body == b""
    assert head.header("Content-Length") in (None, get.header("Content-Length"))
    assert get.header("Content-Length") == str(len(BODY))


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"HTTP_IF_NONE_MATCH": "*"},
        {"HTTP_IF_MATCH": '"other"'},
        {"HTTP_IF_MODIFIED_SINCE": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"HTTP_IF_UNMODIFIED_SINCE": "Thu, 01 Jan 1970 00:00:00 GMT"},
    ],
)
@pytest.mark.parametrize("rule", ["METH-HEAD-2", "METH-GEN-1"])
def test_head_answers_as_get_would(client: TestApp, fields: dict[str, str], rule: str) -> None:
    get, head = client.get(PATH, **fields), client.head(PATH, **fields)
    assert head.status == get.status
    assert head.status_code != 405  # METH-GEN-1: HEAD is supported
    for name in ("ETag", "Last-Modified", "Cache-Control"):
        assert head.header(name) == get.header(name)


@pytest.mark.parametrize(
    "directives",
    [
        {"no_cache": True},
        {"max_age": 60, "must_revalidate": True},
        {"private": ["Set-Cookie"], "max_age": 0},
        {"public": True, "s_maxage": 600, "stale_while_revalidate": 30},
    ],
)
@pytest.mark.parametrize("rule", ["ABNF-CC-1"])
def test_cache_control_written_is_well_formed(directives: dict[str, object], rule: str) -> None:
    text = format_cache_control(**directives)
    assert lint_cache_control(text) == []
    assert format_cache_control(**directives) == text  # one spelling for one meaning
    assert str(parse_cache_control(text)) == text
    assert '="' not in text.replace('private="', "").replace('no-cache="', "")  # CC-RES-2


@pytest.mark.parametrize("rule", ["ABNF-CC-1", "CC-8"])
def test_the_demo_s_cache_control_is_well_formed(client: TestApp, rule: str) -> None:
    value = client.get(PATH).header("Cache-Control")
    assert value is not None
    assert lint_cache_control(value) == []  # nothing contradictory or repeated (CC-8)


@pytest.mark.parametrize("rule", ["DATE-ORIGIN-1"])
def test_every_answer_has_a_date(client: TestApp, rule: str) -> None:
    for response in answers(client):  # 200, HEAD, 304, 412, 206, PUT
        assert response.header("Date") is not None, response.status


@pytest.mark.parametrize("rule", ["VAL-200-1"])
def test_a_200_names_both_validators(client: TestApp, rule: str) -> None:
    for response in (client.get(PATH), client.head(PATH)):
        assert response.status_code == 200
        assert response.header("ETag") is not None
        assert response.header("Last-Modified") is not None


@pytest.mark.parametrize("spec", ["bytes=0-0", "bytes=-1", "bytes=19-", "bytes=5-100"])
@pytest.mark.parametrize("rule", ["ST-416-2"])
def test_a_satisfiable_range_is_never_416(client: TestApp, spec: str, rule: str) -> None:
    assert client.get(PATH, HTTP_RANGE=spec).status_code == 206


@pytest.mark.parametrize("value", GARBAGE)
@pytest.mark.parametrize(
    "field",
    [key for field, key in ENVIRON_KEYS.items() if field not in ("if_range", "range")],
)
@pytest.mark.parametrize("rule", ["COND-GEN-5"])
def test_an_invalid_precondition_is_never_an_error(
    client: TestApp, field: str, value: str, rule: str
) -> None:
    status = client.get(PATH, **{field: value}).status_code
    # If-Match: invalid is false (COND-IM-4c); the others: true or ignored.
    assert status == (412 if field == "HTTP_IF_MATCH" else 200)


@pytest.mark.parametrize("rule", ["COND-IMS-7b"])
def test_if_modified_since_in_the_future_gets_304(client: TestApp, rule: str) -> None:
    # AMB-DATE-6: a valid date after Last-Modified means "not modified since".
    future = format_http_date(time.time() + 86_400)
    assert client.get(PATH, HTTP_IF_MODIFIED_SINCE=future).status_code == 304


@pytest.mark.parametrize("rule", ["VAL-ET-7"])
def test_a_content_derived_tag_tells_codings_apart(rule: str) -> None:
    # A tag computed from the bytes sent differs between the gzip and the
    # identity form of one document, as strong tags per coding must.
    assert digest(gzip.compress(BODY, mtime=0)) != digest(BODY)


@pytest.mark.parametrize("rule", ["METH-PUT-3"])
def test_validators_on_a_put_describe_the_new_representation(client: TestApp, rule: str) -> None:
    before = client.get(PATH)
    put = client.put(PATH, b"new", HTTP_IF_MATCH=before.header("ETag"), CONTENT_TYPE="text/plain")
    after = client.get(PATH)
    assert put.status_code == 204
    assert put.header("ETag") == after.header("ETag") != before.header("ETag")
    assert put.header("Last-Modified") == after.header("Last-Modified")
