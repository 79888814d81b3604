"""The seed's examples, run as they are documented."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from etagspec.testing import TestApp

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"etagspec_example_{name}", EXAMPLES / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_bad_handler_calculates_even_on_304() -> None:
    expensive = load("expensive")
    expensive.calls.clear()
    client = TestApp(expensive.bad_app)
    assert client.get("/", HTTP_IF_NONE_MATCH='"foo"').status_code == 304
    assert expensive.calls == ["Calculating!"]


def test_good_handler_calculates_once_on_200_and_never_on_304() -> None:
    expensive = load("expensive")
    expensive.calls.clear()
    client = TestApp(expensive.good_app)
    for _ in range(3):
        assert client.get("/", HTTP_IF_NONE_MATCH='"foo"').status_code == 304
    assert expensive.calls == []
    response = client.get("/")
    assert response.body == b"The answer is 42"
    assert expensive.calls == ["Calculating!"]


def test_hit_counter_is_cached_for_seven_hits_and_never_draws_on_304() -> None:
    pytest.importorskip("PIL")
    hitcounter = load("hitcounter")
    counter = hitcounter.HitCounter()
    client = TestApp(hitcounter.make_app(counter))

    first = client.get("/")
    assert first.status_code == 200
    assert first.header("ETag") == 'W/"0"'
    assert first.header("Content-Type") == "image/png"
    assert first.body.startswith(b"\x89PNG")
    assert counter.images_drawn == 1

    statuses = [client.get("/", HTTP_IF_NONE_MATCH='W/"0"').status_code for _ in range(6)]
    assert statuses == [304] * 6
    assert counter.images_drawn == 1  # no image drawn for a 304

    # The count passes 7: the tag changes and the image is drawn again.
    later = client.get("/", HTTP_IF_NONE_MATCH='W/"0"')
    assert later.status_code == 200
    assert later.header("ETag") == 'W/"1"'
    assert counter.images_drawn == 2
