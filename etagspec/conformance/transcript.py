"""The run's transcript: every request whose status a check judged, with
its answer and what the harness knew about the path when it sent it.

The diagnosis (:mod:`etagspec.conformance.diagnosis`) reads it to find the
readings that explain *every* answer, not only the failing ones. Bodies
are not kept (only their length matters there), and a run keeps at most
:data:`MAX_EXCHANGES` passing exchanges, every failing one besides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from .model import ProbeRequest, ProbeResponse
from .oracle import Observed

__all__ = ["MAX_EXCHANGES", "Exchange", "Transcript"]

#: Passing exchanges kept per run (failing ones are always kept).
MAX_EXCHANGES: Final = 50_000


@dataclass(frozen=True, slots=True)
class Exchange:
    """One judged request and its answer. ``baseline`` is the status the
    check took for the request without preconditions (None: the plain
    GET's); ``check`` the ID of the check that sent it; ``judged`` whether
    that check judged its status (a HEAD it sent to compare with GET, say,
    is kept for the oracle's sake, unjudged: its status is not the check's
    business)."""

    request: ProbeRequest
    response: ProbeResponse
    observed: Observed
    baseline: int | None
    check: str
    judged: bool = True


class Transcript:
    """The exchanges of one run, in the order they were judged."""

    def __init__(self, limit: int = MAX_EXCHANGES) -> None:
        self.exchanges: list[Exchange] = []
        self.limit = limit
        self.passing = 0

    def add(
        self,
        request: ProbeRequest,
        response: ProbeResponse,
        observed: Observed,
        *,
        baseline: int | None,
        check: str,
        failing: bool,
        judged: bool = True,
    ) -> None:
        """Keep one exchange (a passing one only while under the limit; the
        same exchange twice in a row, sent and then judged, once, judged)."""
        last = self.exchanges[-1] if self.exchanges else None
        if last is not None and (last.check, last.request) == (check, request):
            if last.response.status == response.status:
                if judged and not last.judged:
                    self.exchanges[-1] = replace(last, judged=True)
                return
        if not failing:
            if self.passing >= self.limit:
                return
            self.passing += 1
        kept = replace(response, body=b"") if response.body else response
        self.exchanges.append(Exchange(request, kept, observed, baseline, check, judged))
