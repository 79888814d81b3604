"""ASGI layers as one more target kind of the layer harness: detection, the
ASGI behaviour apps, the checking ASGI server, the ASGI layer checks and
their mutants (tests/asgi_layer_zoo.py), the command and the pytest items."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import asgi_layer_zoo
import pytest
from hypothesis import given

from etagspec.asgi import etag_middleware
from etagspec.caching import etag_middleware as wsgi_etag_middleware
from etagspec.cli import main
from etagspec.conformance.campaign import InvalidCampaign, load_campaign
from etagspec.conformance.layers import check_layer, layer_checks, load_layer
from etagspec.conformance.layers.asgi_serving import serve_asgi
from etagspec.conformance.layers.asgi_target import ASGILayerTarget, wraps_asgi
from etagspec.conformance.layers.checks import LAYER_CHECKS
from etagspec.conformance.layers.target import LayerTarget
from etagspec.conformance.model import ProbeRequest, Status
from etagspec.strategies import HandlerBehaviour, asgi_handler_behaviours

pytest_plugins = ["pytester"]

WSGI_CHECKS = [
    "LAYER-COND-1",
    "LAYER-LAZY-1",
    "LAYER-CLOSE-1",
    "LAYER-EXC-1",
    "LAYER-WRITE-1",
    "LAYER-PASS-1",
    "LAYER-UNSAFE-1",
    "LAYER-UNSAFE-2",
    "LAYER-PASS-2",
    "LAYER-304-1",
    "LAYER-304-2",
    "LAYER-LAZYSR-1",
]
ASGI_ONLY = ["LAYER-ASGI-1", "LAYER-ASGI-2", "LAYER-ASGI-3", "LAYER-ASGI-4"]


def _wrap(layer: type[asgi_layer_zoo.ConditionalASGILayer]) -> Any:
    def wrap(app: Any) -> Any:
        return layer(app)

    wrap.__qualname__ = layer.__name__
    return wrap


# --- detection --------------------------------------------------------------------


def test_an_asgi_factory_is_detected_and_a_wsgi_one_is_not() -> None:
    assert wraps_asgi(etag_middleware) and not wraps_asgi(wsgi_etag_middleware)
    assert isinstance(load_layer("etagspec.asgi:etag_middleware"), ASGILayerTarget)
    wsgi = load_layer("etagspec.caching:etag_middleware")
    assert type(wsgi) is LayerTarget and wsgi.protocol == "wsgi"


def test_asgi_can_be_forced_where_it_cannot_be_seen() -> None:
    def wrap(app: Any) -> Any:  # a plain function that returns the app's coroutine
        return lambda scope, receive, send: app(scope, receive, send)

    assert load_layer(wrap).protocol == "wsgi"
    forced = load_layer(wrap, asgi=True)
    assert forced.protocol == "asgi"
    assert check_layer(forced, max_examples=5, select=["LAYER-PASS-2"]).exit_code == 0


def test_a_wsgi_layer_runs_exactly_the_wsgi_checks() -> None:
    assert [check.info.id for check in layer_checks("wsgi")] == [
        check_id for check_id in LAYER_CHECKS if check_id not in ASGI_ONLY
    ]
    assert sorted(c.info.id for c in layer_checks("wsgi")) == sorted(WSGI_CHECKS)
    report = check_layer(wsgi_etag_middleware, max_examples=3)
    assert sorted(result.check.id for result in report.results) == sorted(WSGI_CHECKS)
    assert report.exit_code == 0


# --- the ASGI behaviour apps and the checking server -----------------------------


@given(asgi_handler_behaviours())
def test_a_behaviour_app_speaks_asgi_and_keeps_its_ledger(behaviour: HandlerBehaviour) -> None:
    app = behaviour.as_asgi_app()
    served = serve_asgi(app, "POST" if behaviour.reads_body else "GET")
    assert app.ledger.calls == 1
    if app.ledger.raised and behaviour.fails != "error_page":
        assert served.raised is app.ledger.raised[0]
        return
    assert served.protocol_errors == ()
    assert served.response.body == behaviour.output().body
    kinds = [message.kind for message in served.sent]
    assert kinds[0] == "start" and kinds.count("start") == 1
    assert not served.sent[-1].more_body
    if behaviour.fails == "none":
        assert app.ledger.computed == list(range(len(behaviour.chunks)))


def test_the_checking_server_records_asgi_order_errors() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.body", "body": b"early"})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})
        await send({"type": "http.response.body", "body": b"late"})

    served = serve_asgi(app)
    assert served.protocol_errors == (
        "'http.response.body' sent before 'http.response.start'",
        "'http.response.start' sent after the final body message",
        "'http.response.body' sent after the final body message",
        "'http.response.body' sent after the final body message",
    )


def test_receive_says_disconnect_once_the_response_is_complete() -> None:
    told: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        told.append((await receive())["type"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        told.append((await asyncio.wait_for(receive(), 1))["type"])

    serve_asgi(app)
    assert told == ["http.request", "http.disconnect"]


def test_the_reference_stops_a_streaming_app_at_once() -> None:
    target = load_layer(etag_middleware)  # type: ignore[arg-type]  # an ASGI middleware
    behaviour = HandlerBehaviour(
        headers=(("ETag", '"v1"'),),
        chunks=(b"a", b"b"),
        content="generator",
        watches_disconnect=True,
        reads_body=True,
    )
    exchange = target.exchange(behaviour, ProbeRequest("GET", "/", (("If-None-Match", '"v1"'),)))
    assert exchange.outer.response.status == 304
    assert exchange.ledger.computed == []
    assert "serve_asgi(wrap(app), 'GET'" in target.reproduce(behaviour, exchange.request)


# --- the ASGI layer checks: the correct layer passes, each mutant is caught ---------

#: Examples per check, as for the WSGI layers (tests/test_layers.py): each
#: mutant is caught well within them.
EXAMPLES = 15


def test_the_correct_asgi_layer_passes_every_asgi_layer_check() -> None:
    report = check_layer(_wrap(asgi_layer_zoo.ConditionalASGILayer), max_examples=EXAMPLES)
    assert {result.check.id: result.status for result in report.results} == {
        check.info.id: Status.PASSED for check in layer_checks("asgi")
    }


def test_a_lenient_asgi_layer_fails_no_check() -> None:
    report = check_layer(_wrap(asgi_layer_zoo.ReadsEmptyFieldsAsAbsentASGI), max_examples=EXAMPLES)
    assert report.exit_code == 0
    assert {r.status for r in report.results} <= {Status.PASSED, Status.LENIENT}


@pytest.mark.parametrize(
    ("check_id", "mutant"),
    [
        pytest.param(check_id, mutant, id=f"{check_id}-{mutant.__name__}")
        for mutant, check_id in asgi_layer_zoo.MUTANTS.items()
    ],
)
def test_each_asgi_mutant_is_caught(
    check_id: str, mutant: type[asgi_layer_zoo.ConditionalASGILayer]
) -> None:
    report = check_layer(_wrap(mutant), max_examples=EXAMPLES, select=[check_id])
    (result,) = report.results
    assert result.status is Status.FAILED, result
    assert result.failures[0].reproduce.startswith("from etagspec.conformance.layers import")


def test_a_pass_through_asgi_layer_fails_cond_1_and_no_check_errors() -> None:
    report = check_layer(_wrap(asgi_layer_zoo.PassesThrough), max_examples=EXAMPLES)
    statuses = {result.check.id: result.status for result in report.results}
    assert statuses["LAYER-COND-1"] is Status.FAILED
    assert report.exit_code == 1
    assert not [r.note for r in report.results if "raised" in r.note or "ended with" in r.note]


# --- the command and the pytest items ---------------------------------------------


def test_check_layer_passes_the_reference_asgi_middleware() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-layer", "etagspec.asgi:etag_middleware", "--max-examples", "10"], out, err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "LAYER-ASGI-4" in out.getvalue() and "LAYER-CLOSE-1" not in out.getvalue()
    assert "[ 1/13]" in err.getvalue()


def test_check_layer_exits_1_for_an_asgi_mutant() -> None:
    out, err = io.StringIO(), io.StringIO()
    spec = "tests.asgi_layer_zoo:SendsAfterFinal"
    argv = ["check-layer", spec, "--asgi", "--max-examples", "10", "--select", "LAYER-ASGI", "-q"]
    assert main(argv, out, err) == 1
    assert "LAYER-ASGI-3" in out.getvalue()


def test_the_pytest_plugin_runs_the_asgi_layer_checks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        mutant="from tests.asgi_layer_zoo import SendsBodyInPieces\n"
        "def wrap(app):\n    return SendsBodyInPieces(app)\n"
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--etagspec-layer=mutant:wrap", "--etagspec-max-examples=10"
    )
    result.assert_outcomes(passed=len(layer_checks("asgi")) - 1, failed=1)
    result.stdout.fnmatch_lines(["*etagspec-layer::LAYER-ASGI-1*"])


def test_every_asgi_only_check_has_an_asgi_mutant() -> None:
    only = {check.info.id for check in layer_checks("asgi")} - {
        check.info.id for check in layer_checks("wsgi")
    }
    assert only == set(ASGI_ONLY) <= set(asgi_layer_zoo.MUTANTS.values())


def test_the_layer_campaign_has_four_asgi_layers_and_refuses_an_unknown_kind(
    tmp_path: Path,
) -> None:
    campaign = load_campaign(Path(__file__).parents[1] / "conformance" / "targets.toml")
    asgi = [entry.name for entry in campaign.in_folder("layers") if entry.protocol == "asgi"]
    assert len(asgi) >= 4 and "asgi-etag-middleware" in asgi
    bad = tmp_path / "targets.toml"
    bad.write_text(
        '[[target]]\nname = "x"\ntitle = "x"\nkind = "layer"\nwrap = "m:w"\nprotocol = "rsgi"\n',
        "utf-8",
    )
    with pytest.raises(InvalidCampaign, match="protocol 'rsgi' is not one of wsgi, asgi"):
        load_campaign(bad)
