"""Feature probes: which request fields a target evaluates at all.

Before any check runs, the runner asks each path a few decisive minimal
pairs: requests on which a target that evaluates a field as RFC 9110 says
and a target that never reads it must answer differently (``If-None-Match``
with the current tag: 304 against 200; with another tag: 200 either way, so
a 304 there shows the value is not compared). Each :class:`Feature` says
``evaluated`` (every probe answered as RFC 9110 gives), ``not evaluated``
(every probe answered as if the field were absent, the feature's
*alternative*), ``partly`` (some other mix) or ``cannot tell`` (no probe
could decide: no ETag, no Last-Modified, no Range support), and keeps the
probes that decided it.

A feature that is *not evaluated* is what the diagnosis
(:mod:`etagspec.conformance.diagnosis`) calls ``unsupported``: one
deviation per feature, whatever the number of checks it fails.

>>> from etagspec.conformance.targets import load_target
>>> from etagspec.conformance.runner import learn
>>> def app(environ, start_response):
...     start_response("200 OK", [("ETag", '"v1"'), ("Content-Length", "1")])
...     return [b"x"]
>>> target = load_target(app)
>>> table = probe_features(target, "/", learn(target, "/"))
>>> [(f.name, f.support.value) for f in table][:2]
[('If-None-Match', 'not evaluated'), ('If-None-Match weak comparison', 'cannot tell')]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ..dates import FIRST_HTTP_DATE, format_http_date
from ..etags import EntityTag
from .model import Feature, FeatureProbe, ProbeRequest, ProbeResponse, Support
from .oracle import Observed, expect
from .targets import Target

__all__ = ["FIELD_FEATURES", "Feature", "FeatureProbe", "Support", "probe_features"]

#: The main features: a request field and whether a target reads it.
FIELD_FEATURES: Final = (
    "If-None-Match",
    "If-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
    "If-Range",
    "Range",
    "HEAD",
)
#: A tag no target issues (the probes' "another tag").
OTHER_TAG: Final = '"etagspec-probe-other"'
_DAY: Final = 86_400


def _verdict(probes: Sequence[FeatureProbe]) -> Support:
    """Evaluated when every probe answered as RFC 9110 gives; not evaluated
    when every probe answered as the alternative and one of them decides;
    otherwise partly; cannot tell when no probe decides and none is odd."""
    decisive = [probe for probe in probes if probe.decisive]
    odd = [probe for probe in probes if not probe.as_rfc and not probe.as_alternative]
    if not decisive and not odd:
        return Support.CANNOT_TELL
    if all(probe.as_rfc for probe in probes):
        return Support.EVALUATED
    if all(probe.as_alternative for probe in probes):
        return Support.NOT_EVALUATED
    return Support.PARTLY


def _statuses(request: ProbeRequest, observed: Observed) -> tuple[int, ...]:
    return tuple(sorted(expect(request, observed).allowed))


def _without(request: ProbeRequest, name: str) -> ProbeRequest:
    headers = tuple((k, v) for k, v in request.headers if k.lower() != name.lower())
    return ProbeRequest(request.method, request.path, headers)


def _replaced(request: ProbeRequest, name: str, value: str) -> ProbeRequest:
    return ProbeRequest(request.method, request.path, ((name, value), *request.headers[1:]))


class _Prober:
    def __init__(self, target: Target, path: str, observed: Observed) -> None:
        self.target = target
        self.path = path
        self.observed = observed
        self.sent: dict[ProbeRequest, ProbeResponse] = {}

    def send(self, request: ProbeRequest) -> ProbeResponse:
        if request not in self.sent:
            self.sent[request] = self.target.send(request)
        return self.sent[request]

    def probe(self, request: ProbeRequest, alternative: ProbeRequest) -> FeatureProbe:
        """``request``, with the answer a target that reads it as
        ``alternative`` would give."""
        return FeatureProbe(
            request,
            self.send(request),
            _statuses(request, self.observed),
            _statuses(alternative, self.observed),
        )

    def field(self, name: str, *values: str, extra: tuple[tuple[str, str], ...] = ()) -> Feature:
        """A field probed with ``values``; its alternative: the field absent."""
        probes = []
        for value in values:
            request = ProbeRequest("GET", self.path, ((name, value), *extra))
            probes.append(self.probe(request, _without(request, name)))
        return self.feature(name, probes)

    def variant(self, name: str, field: str, value: str, read_as: str, parent: Feature) -> Feature:
        """A sub-feature: ``field: value``, whose alternative reads it as
        ``read_as``; only told when the field itself is read at all."""
        request = ProbeRequest("GET", self.path, ((field, value),))
        probe = self.probe(request, _replaced(request, field, read_as))
        if parent.support in (Support.NOT_EVALUATED, Support.CANNOT_TELL):
            note = f"{parent.subject} is {parent.support.value}"
            return Feature(name, self.path, Support.CANNOT_TELL, (probe,), note)
        return self.feature(name, [probe])

    def feature(self, name: str, probes: Sequence[FeatureProbe], note: str = "") -> Feature:
        return Feature(name, self.path, _verdict(probes), tuple(probes), note)


def _weak_twin(tag: EntityTag) -> str:
    """The current tag with the other strength."""
    return f'"{tag.opaque}"' if tag.weak else f'W/"{tag.opaque}"'


def probe_features(target: Target, path: str, observed: Observed) -> tuple[Feature, ...]:
    """Probe which fields ``target`` evaluates on ``path`` (see the module
    docstring), from what a plain GET of it showed (``observed``)."""
    prober = _Prober(target, path, observed)
    tag = observed.etag
    current = str(tag) if tag is not None else '"etagspec-probe-current"'
    features: list[Feature] = []
    no_tag = "" if tag is not None else "no ETag to compare with"

    inm = prober.field("If-None-Match", current, OTHER_TAG)
    features.append(_noted(inm, no_tag))
    if tag is not None:
        features.append(
            prober.variant(
                "If-None-Match weak comparison",
                "If-None-Match",
                _weak_twin(tag),
                OTHER_TAG,
                inm,
            )
        )
    else:
        features.append(
            Feature("If-None-Match weak comparison", path, Support.CANNOT_TELL, (), no_tag)
        )
    features.append(prober.variant("If-None-Match *", "If-None-Match", "*", OTHER_TAG, inm))

    if_match = prober.field("If-Match", OTHER_TAG, current)
    features.append(_noted(if_match, no_tag))
    if tag is not None and not tag.weak:
        features.append(
            prober.variant(
                "If-Match strong comparison", "If-Match", _weak_twin(tag), current, if_match
            )
        )
    else:
        note = no_tag or "the current ETag is weak"
        features.append(Feature("If-Match strong comparison", path, Support.CANNOT_TELL, (), note))
    features.append(prober.variant("If-Match *", "If-Match", "*", '"*"', if_match))

    modified = observed.last_modified
    if modified is not None:
        at = format_http_date(modified)
        earlier = format_http_date(max(modified - _DAY, FIRST_HTTP_DATE))
        features.append(prober.field("If-Modified-Since", at, earlier))
        features.append(prober.field("If-Unmodified-Since", earlier, at))
    else:
        for name in ("If-Modified-Since", "If-Unmodified-Since"):
            features.append(Feature(name, path, Support.CANNOT_TELL, (), "no Last-Modified"))

    features.append(_if_range(prober, current))
    features.append(_range(prober))
    features.append(_head(prober))
    return tuple(features)


def _noted(feature: Feature, note: str) -> Feature:
    if not note or feature.note:
        return feature
    return Feature(feature.name, feature.path, feature.support, feature.probes, note)


def _if_range(prober: _Prober, current: str) -> Feature:
    if not prober.observed.supports_range:
        return Feature("If-Range", prober.path, Support.CANNOT_TELL, (), "no Range support")
    ranged = (("Range", "bytes=0-0"),)
    return prober.field("If-Range", current, OTHER_TAG, extra=ranged)


def _range(prober: _Prober) -> Feature:
    """Range is optional (a server MAY ignore it): a 206 is evaluated, a 200
    is not evaluated, anything else partly."""
    request = ProbeRequest("GET", prober.path, (("Range", "bytes=0-0"),))
    response = prober.send(request)
    probe = FeatureProbe(request, response, (206,), (prober.observed.baseline,))
    return prober.feature("Range", [probe], "optional: a server may ignore Range")


def _head(prober: _Prober) -> Feature:
    """HEAD answered like GET (same status, no content) is evaluated; 405 or
    501 is not; anything else partly."""
    request = ProbeRequest("HEAD", prober.path)
    response = prober.send(request)
    probe = FeatureProbe(request, response, (prober.observed.baseline,), (405, 501))
    feature = prober.feature("HEAD", [probe])
    if feature.support is Support.EVALUATED and response.body:
        return Feature(
            "HEAD", prober.path, Support.PARTLY, (probe,), "content sent in answer to HEAD"
        )
    return feature
