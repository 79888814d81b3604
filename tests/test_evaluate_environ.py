"""The WSGI layer's shortcuts give exactly the decision of ``evaluate``.

``environ.evaluate_environ`` reads the fields straight from an environ
and answers two common cases (no field at all; If-None-Match deciding
alone, ``_fast_paths.decision_without_conditions``) without building
Conditions or calling ``evaluate``;
``has_preconditions`` stands for ``conditions_from_environ(...).any_present``.
Both must agree with the one ordered evaluator on every input.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec import preconditions
from etagspec.environ import (
    ENVIRON_KEYS,
    conditions_from_environ,
    evaluate_environ,
    has_preconditions,
)
from etagspec.etags import EntityTag
from etagspec.preconditions import Conditions, Resource, evaluate
from etagspec.strategies import conditions, resources

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get")
# What a broken server or middleware might leave in an environ instead of a str.
NOT_TEXT = (b'"v1"', 0, ["*"], object())


@st.composite
def environs(draw: st.DrawFn, resource: Resource) -> dict[str, object]:
    """An environ holding some of the fields of a drawn Conditions (most
    dropped, so that a lone If-None-Match is common), now and then a value
    that is not a str, and an unrelated key."""
    fields = draw(conditions(resource=resource))
    environ: dict[str, object] = {"REQUEST_METHOD": "GET", "HTTP_HOST": "example.org"}
    for field in dataclasses.fields(Conditions):
        value = getattr(fields, field.name)
        fate = draw(st.sampled_from(("keep", "drop", "drop", "not text")))
        if fate == "keep" and value is not None:
            environ[ENVIRON_KEYS[field.name]] = value
        elif fate == "not text":
            environ[ENVIRON_KEYS[field.name]] = draw(st.sampled_from(NOT_TEXT))
    return environ


@given(st.data())
def test_evaluate_environ_gives_the_decision_of_evaluate(data: st.DataObject) -> None:
    resource = data.draw(resources(), label="resource")
    environ = data.draw(environs(resource), label="environ")
    method = data.draw(st.sampled_from(METHODS), label="method")
    expected = evaluate(method, conditions_from_environ(environ), resource)
    assert evaluate_environ(method, environ, resource) == expected


@given(st.data())
def test_has_preconditions_is_any_present(data: st.DataObject) -> None:
    environ = data.draw(environs(data.draw(resources())))
    assert has_preconditions(environ) is conditions_from_environ(environ).any_present


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"HTTP_IF_NONE_MATCH": '"v1"'},
        {"HTTP_IF_NONE_MATCH": '"v0", W/"v1"', "HTTP_IF_MODIFIED_SINCE": "junk"},
        {"HTTP_IF_NONE_MATCH": "*", "HTTP_IF_RANGE": '"v1"'},
        {"HTTP_IF_NONE_MATCH": '"v0"', "HTTP_RANGE": "bytes=0-0"},  # no range support
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_shortcuts_do_not_call_evaluate(
    environ: dict[str, object], method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cases the shortcuts exist for really take them (so the agreement
    test above compares two different code paths)."""
    resource = Resource(etag=EntityTag("v1"), last_modified=1_600_000_000)
    expected = evaluate(method, conditions_from_environ(environ), resource)

    def not_called(*args: object) -> None:
        raise AssertionError("evaluate() was called")

    monkeypatch.setattr(preconditions, "evaluate", not_called)
    assert evaluate_environ(method, environ, resource) == expected


def test_other_requests_go_to_evaluate(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = preconditions.evaluate

    def counted(method: str, fields: Conditions, resource: Resource) -> object:
        calls.append(method)
        return original(method, fields, resource)

    monkeypatch.setattr(preconditions, "evaluate", counted)
    resource = Resource(etag=EntityTag("v1"), supports_range=True)
    evaluate_environ("PUT", {"HTTP_IF_NONE_MATCH": '"v1"'}, resource)
    evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v0"', "HTTP_IF_MATCH": '"v1"'}, resource)
    evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v0"', "HTTP_RANGE": "bytes=0-0"}, resource)
    evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": b'"v1"'}, resource)
    assert calls == ["PUT", "GET", "GET", "GET"]
