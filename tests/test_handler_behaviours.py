"""etagspec.strategies.handler_behaviours: the apps do what their behaviour
says, and the ledger records what they computed, wrote, raised and how
often their content was closed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from etagspec.conformance.layers import serve
from etagspec.strategies import HandlerBehaviour, HandlerError, handler_behaviours

_TAGGED = (("ETag", '"v1"'), ("Content-Type", "text/plain"))


def _ignored_start(*args: Any) -> Callable[[bytes], object]:
    """A start_response that notes nothing; its write() drops what it gets."""
    return lambda data: None


@settings(database=None)
@given(handler_behaviours())
def test_a_bare_app_answers_as_its_behaviour_says(behaviour: HandlerBehaviour) -> None:
    app = behaviour.as_wsgi_app()
    served = serve(app, "GET")
    assert served.protocol_errors == ()
    if behaviour.fails in ("before_start", "after_start", "during_iteration"):
        assert isinstance(served.raised, HandlerError)
        assert app.ledger.raised == [served.raised]
        return
    output = behaviour.output()
    assert served.raised is None
    assert served.start_calls[-1][0] == output.status
    assert served.response.headers == output.headers
    assert served.response.body == output.body
    assert app.ledger.calls == 1
    if app.ledger.closes is not None:
        assert app.ledger.closes == 1
    assert eval(repr(behaviour), {"HandlerBehaviour": HandlerBehaviour}) == behaviour


def test_a_lazy_start_is_made_while_the_first_chunk_is_produced() -> None:
    behaviour = HandlerBehaviour(
        headers=_TAGGED, chunks=(b"", b"expensive"), content="generator", lazy_start=True
    )
    app = behaviour.as_wsgi_app()
    calls: list[str] = []

    def start(status: str, *args: Any) -> Callable[[bytes], object]:
        calls.append(status)
        return _ignored_start()

    content = app({}, start)
    assert calls == [] and app.ledger.computed == []
    iterator = iter(content)
    assert next(iterator) == b"" and calls == ["200 OK"]
    assert app.ledger.computed_after_start == []  # the chunk during which it started
    assert next(iterator) == b"expensive"
    assert app.ledger.computed_after_start == [1]


def test_an_eager_start_makes_every_non_empty_chunk_count() -> None:
    behaviour = HandlerBehaviour(chunks=(b"", b"a", b"b"), content="closing")
    app = behaviour.as_wsgi_app()
    content = app({}, _ignored_start)
    assert list(content) == [b"", b"a", b"b"]
    assert app.ledger.computed_after_start == [1, 2]
    content.close()  # type: ignore[attr-defined]
    content.close()  # type: ignore[attr-defined]
    assert app.ledger.closes == 2


def test_write_output_comes_first_and_is_counted() -> None:
    behaviour = HandlerBehaviour(chunks=(b"w", b"rest"), written=1)
    app = behaviour.as_wsgi_app()
    served = serve(app)
    assert served.response.body == b"wrest"
    assert app.ledger.writes == 1


def test_a_file_wrapper_is_used_when_the_server_offers_one() -> None:
    behaviour = HandlerBehaviour(chunks=(b"a", b"b"), content="file_wrapper")
    app = behaviour.as_wsgi_app()
    served = serve(app)
    assert served.response.body == b"ab" and app.ledger.closes == 1
    bare = behaviour.as_wsgi_app()
    content = bare({}, _ignored_start)  # no wsgi.file_wrapper: plain iteration
    assert list(content) == [b"a", b"b"]


def test_an_error_page_is_sent_with_exc_info() -> None:
    behaviour = HandlerBehaviour(headers=_TAGGED, chunks=(b"x",), fails="error_page")
    served = serve(behaviour.as_wsgi_app())
    assert [carried for _, carried in served.start_calls] == [False, True]
    assert served.response.status == 500 and served.response.body == b"the handler failed"


def test_an_exception_during_iteration_replaces_the_last_chunk() -> None:
    behaviour = HandlerBehaviour(chunks=(b"a", b"b"), content="generator", fails="during_iteration")
    app = behaviour.as_wsgi_app()
    served = serve(app)
    assert isinstance(served.raised, HandlerError) and app.ledger.computed == [0]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": 299},
        {"content": "socket"},
        {"lazy_start": True},  # a list cannot start lazily
        {"written": 1},  # more chunks written than there are
        {"fails": "during_iteration"},
        {"content": "generator", "lazy_start": True, "fails": "error_page"},
    ],
)
def test_impossible_behaviours_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        HandlerBehaviour(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options",
    [{"statuses": [299]}, {"contents": "list"}, {"starts": []}, {"writes": "yes"}],
)
def test_misuse_of_the_strategy_is_an_invalid_argument(options: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        handler_behaviours(**options).validate()  # type: ignore[arg-type]
