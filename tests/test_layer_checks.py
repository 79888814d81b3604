"""Each layer check judged on one fixed exchange, without Hypothesis: the
exchange a flawed layer of tests/layer_zoo.py gets wrong is a finding of
the check written for that flaw, and the same exchange through a correct
layer is none. The pytest ids carry the check IDs (``pytest -k LAYER-304-1``).

The exchanges are the ones the harness shrinks each mutant's failure to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import layer_zoo
import pytest

from etagspec.caching import etag_middleware
from etagspec.conformance.layers import LayerTarget, layer_checks, serve
from etagspec.conformance.layers.checks import LAYER_CHECKS
from etagspec.conformance.model import ProbeRequest
from etagspec.strategies import HandlerBehaviour

IMS: Final = ("If-Modified-Since", "Mon, 13 Nov 2023 22:13:20 GMT")
IUS: Final = ("If-Unmodified-Since", "Mon, 13 Nov 2023 22:13:20 GMT")
OTHER_INM: Final = ("If-None-Match", '"other"')
OTHER_IM: Final = ("If-Match", '"other"')
V1: Final = ("ETag", '"v1"')


def case(
    check_id: str,
    mutant: type[layer_zoo.ConditionalLayer],
    behaviour: HandlerBehaviour,
    method: str,
    *headers: tuple[str, str],
) -> object:
    return pytest.param(
        check_id,
        mutant,
        behaviour,
        ProbeRequest(method, "/", headers),
        id=f"{check_id}-{mutant.__name__}",
    )


CASES: Final = [
    case(
        "LAYER-COND-1",
        layer_zoo.ComparesIfNoneMatchStrongly,
        HandlerBehaviour(headers=(("ETag", 'W/"v1"'),)),
        "GET",
        ("If-None-Match", 'W/"v1"'),
        IMS,
    ),
    case(
        "LAYER-COND-1",
        layer_zoo.EvaluatesIfModifiedSinceAfterIfNoneMatch,
        HandlerBehaviour(headers=(("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT"),)),
        "GET",
        OTHER_INM,
        ("If-Modified-Since", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ),
    case(
        "LAYER-LAZY-1",
        layer_zoo.ComputesBodyFirst,
        HandlerBehaviour(chunks=(b"expensive",), content="generator"),
        "GET",
        OTHER_IM,
    ),
    case(
        "LAYER-CLOSE-1",
        layer_zoo.NeverCloses,
        HandlerBehaviour(content="closing"),
        "GET",
        OTHER_INM,
        IMS,
    ),
    case(
        "LAYER-CLOSE-1",
        layer_zoo.ClosesTwice,
        HandlerBehaviour(content="closing"),
        "GET",
        OTHER_INM,
        IMS,
    ),
    case(
        "LAYER-EXC-1",
        layer_zoo.SwallowsExceptions,
        HandlerBehaviour(status=204, fails="before_start"),
        "GET",
        IUS,
    ),
    case(
        "LAYER-WRITE-1",
        layer_zoo.LosesWrites,
        HandlerBehaviour(chunks=(b"expensive",), written=1),
        "GET",
        OTHER_INM,
        IMS,
    ),
    case(
        "LAYER-WRITE-1",
        layer_zoo.PutsWritesLast,
        HandlerBehaviour(chunks=(b"written", b"returned"), written=1),
        "GET",
        OTHER_INM,
    ),
    case(
        "LAYER-PASS-1",
        layer_zoo.JudgesAnyStatus,
        HandlerBehaviour(status=301, headers=(("Location", "/elsewhere"),)),
        "GET",
        OTHER_IM,
    ),
    case(
        "LAYER-UNSAFE-1",
        layer_zoo.RefusesUnsafeIfNoneMatch,
        HandlerBehaviour(status=201),
        "PUT",
        ("If-None-Match", "*"),
    ),
    case(
        "LAYER-UNSAFE-2", layer_zoo.JudgesUnsafeMethods, HandlerBehaviour(), "POST", OTHER_IM, IUS
    ),
    case(
        "LAYER-UNSAFE-2",
        layer_zoo.WithholdsPreconditions,
        HandlerBehaviour(headers=(V1,)),
        "PUT",
        ("If-Match", '"v1"'),
    ),
    case(
        "LAYER-PASS-2",
        layer_zoo.DropsContentLength,
        HandlerBehaviour(headers=(("Content-Length", "0"),)),
        "GET",
    ),
    case(
        "LAYER-304-1",
        layer_zoo.DropsETagOn304,
        HandlerBehaviour(headers=(V1,)),
        "GET",
        ("If-None-Match", '"v1"'),
    ),
    case(
        "LAYER-304-2",
        layer_zoo.KeepsContentTypeOn304,
        HandlerBehaviour(status=204, headers=(V1, ("Content-Type", "text/plain"))),
        "GET",
        ("If-None-Match", '"v1"'),
        IMS,
    ),
    case(
        "LAYER-LAZYSR-1",
        layer_zoo.IgnoresLazyStart,
        HandlerBehaviour(status=204, headers=(V1,), content="generator", lazy_start=True),
        "GET",
        ("If-None-Match", '"v1"'),
        IMS,
    ),
]


@pytest.mark.parametrize(("check_id", "mutant", "behaviour", "request_"), CASES)
def test_the_check_finds_the_flaw_in_one_exchange(
    check_id: str,
    mutant: type[layer_zoo.ConditionalLayer],
    behaviour: HandlerBehaviour,
    request_: ProbeRequest,
) -> None:
    check = LAYER_CHECKS[check_id]
    flawed = LayerTarget(mutant)
    finding = check.judge(flawed, flawed.exchange(behaviour, request_))
    assert finding is not None, f"{check_id} missed {mutant.__name__}"
    assert not finding.lenient
    for wrap in (layer_zoo.correct_layer, layer_zoo.AsksFirst, etag_middleware):
        correct = LayerTarget(wrap)
        assert check.judge(correct, correct.exchange(behaviour, request_)) is None, wrap


def test_every_layer_check_has_a_case() -> None:
    cased = {param.values[0] for param in CASES}  # type: ignore[attr-defined]
    assert cased == {check.info.id for check in layer_checks("wsgi")}


def _refusing(refuse: Callable[[dict[str, Any]], bool]) -> Callable[[object], object]:
    """A layer that answers 412 without calling the app when ``refuse(environ)``."""

    def wrap(app: Any) -> Any:
        def layer(environ: dict[str, Any], start_response: Any) -> Any:
            if refuse(environ):
                start_response("412 Precondition Failed", [])
                return []
            return app(environ, start_response)

        return layer

    return wrap


@pytest.mark.parametrize(
    ("if_match", "refusal_is_right"),
    [('W/"v1"', True), ('W/"a", W/"b"', True), ('"v1"', False), ("*", False), ('"other"', False)],
    ids=[
        "LAYER-UNSAFE-1-weak-tag-never-matches",
        "LAYER-UNSAFE-1-weak-tags-never-match",
        "LAYER-UNSAFE-1-strong-tag-may-match",
        "LAYER-UNSAFE-1-star-may-match",
        "LAYER-UNSAFE-1-other-tag-may-match",
    ],
)
def test_a_refusal_without_validators_is_right_only_when_every_state_fails(
    if_match: str, refusal_is_right: bool
) -> None:
    # If-Match compares strongly: a list of weak tags fails whatever the
    # resource is, so a layer knowing nothing may refuse it; any other list
    # may match some resource, so refusing it blind is a guess.
    target = LayerTarget(_refusing(lambda environ: "HTTP_IF_MATCH" in environ))  # type: ignore[arg-type]
    request = ProbeRequest("PUT", "/", (("If-Match", if_match),))
    for behaviour in (HandlerBehaviour(headers=(("ETag", '"other"'),)), HandlerBehaviour()):
        finding = LAYER_CHECKS["LAYER-UNSAFE-1"].judge(target, target.exchange(behaviour, request))
        assert (finding is None) is refusal_is_right, (behaviour, finding)


def test_the_ledger_records_the_method_and_preconditions_of_each_call() -> None:
    # What LAYER-UNSAFE-1 and LAYER-UNSAFE-2 tell apart: whether the app ran
    # the unsafe method, and with which precondition fields.
    app = HandlerBehaviour(headers=(V1,)).as_wsgi_app()
    served = serve(layer_zoo.AsksFirst(app), "PUT", [("If-Match", '"v1"'), IMS])
    assert served.response.status == 200
    assert app.ledger.methods == ["GET", "PUT"]
    assert app.ledger.preconditions == [
        (),
        (("HTTP_IF_MATCH", '"v1"'), ("HTTP_IF_MODIFIED_SINCE", IMS[1])),
    ]
