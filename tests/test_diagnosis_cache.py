"""The diagnosis asks each reading function once per case in a run and
looks a candidate's answers up by the name its function gives: held equal
to the plain computation (every candidate applied to every case, nothing
remembered) on arbitrary transcripts."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from etagspec.conformance.diagnosis import (
    Candidate,
    _answers,
    _applies,
    _candidates,
    _conforming,
    _ordered,
    _predict,
)
from etagspec.conformance.model import ProbeRequest, ProbeResponse
from etagspec.conformance.oracle import Observed
from etagspec.conformance.transcript import Exchange

_LAST_MODIFIED = "Fri, 03 Nov 2023 08:26:40 GMT"
_TAGS = ('"v1"', 'W/"v1"', '"v2"', "v1", 'w/"v1"', "*", '"a", "v1"', '"a,b"', "", '\t"v1"')
_DATES = (
    _LAST_MODIFIED,
    "Fri, 03 Nov 2023 08:26:50 GMT",
    "Fri, 03 Nov 2023 08:26:30 GMT",
    "fri, 03 nov 2023 08:26:40 gmt",
    "Fri, 03 Nov 2023 08:26:40 +0100",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "not a date",
)
_FIELD_TEXT = st.text(alphabet=' \t",*W/v1a\\', max_size=8)
_HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "If-None-Match": st.sampled_from(_TAGS) | _FIELD_TEXT,
        "If-Match": st.sampled_from(_TAGS) | _FIELD_TEXT,
        "If-Modified-Since": st.sampled_from(_DATES),
        "If-Unmodified-Since": st.sampled_from(_DATES),
        "If-Range": st.sampled_from(_TAGS + _DATES),
        "Range": st.sampled_from(("bytes=0-0", "bytes=5-", "bytes=x")),
    },
)
_EXCHANGES = st.lists(
    st.tuples(
        st.sampled_from(("GET", "HEAD", "PUT")),
        _HEADERS,
        st.sampled_from((200, 206, 304, 400, 412, 416)),
    ),
    min_size=1,
    max_size=6,
)


def _answers_of(exchanges: list[tuple[str, dict[str, str], int]], etag: str) -> list[Any]:
    fields = (("ETag", etag), ("Last-Modified", _LAST_MODIFIED))
    observed = Observed.from_response("/", ProbeResponse(200, fields, b"xy"), supports_range=True)
    return _answers(
        Exchange(
            ProbeRequest(method, "/", tuple(headers.items())),
            ProbeResponse(status),
            observed,
            None,
            "t",
        )
        for method, headers, status in exchanges
    )


def _plain_predict(members: list[Candidate], answer: Any) -> frozenset[int]:
    """_predict as it reads without the memo: each reading applied afresh."""
    current = answer.case
    for member in members:
        outcome = member.apply(current)
        if isinstance(outcome, frozenset):
            statuses = outcome
            break
        if outcome is not None:
            current = outcome
    else:
        statuses = _conforming.__wrapped__(current)
    return statuses | {400} if answer.rejectable else statuses


@given(_EXCHANGES, st.sampled_from(('"v1"', 'W/"v1"')))
def test_the_remembered_readings_predict_what_the_plain_ones_do(
    exchanges: list[tuple[str, dict[str, str], int]], etag: str
) -> None:
    answers = _answers_of(exchanges, etag)
    candidates = _candidates(answers, ())
    plain = {
        candidate: [i for i, a in enumerate(answers) if candidate.apply(a.case) is not None]
        for candidate in candidates
    }
    assert _applies(answers, candidates) == plain
    # Each reading alone, then each with the next in composition order;
    # twice, so the second pass is answered from what the first remembered.
    ordered = _ordered(candidates)
    sets = [[], *([c] for c in ordered), *(list(pair) for pair in itertools.pairwise(ordered))]
    for _ in range(2):
        for answer in answers:
            for members in sets:
                assert _predict(members, answer) == _plain_predict(members, answer)
