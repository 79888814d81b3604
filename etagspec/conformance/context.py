"""What a check works with: :class:`CheckContext` (the target, the path,
what the harness learned about it, and ways to send and explore requests),
:class:`Finding` (what a judge says about one exchange) and
:class:`SkipCheck`.

It sits below the registry, the catalogue and the runner, which all import
it; it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from hypothesis import strategies as st

from .model import CheckInfo, Failure, ProbeRequest, ProbeResponse
from .oracle import Observed
from .search import exploration_settings, search
from .targets import Target
from .transcript import Transcript

__all__ = [
    "MAX_DEVIATIONS",
    "CheckContext",
    "Finding",
    "Judge",
    "SkipCheck",
    "deviation_key",
    "exploration_settings",
    "unexplained",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a judge says about one exchange that breaks the rule.

    ``signature`` names the root cause in request-independent words (one
    cause met by several checks is then told once); ``lenient`` is the
    catalogue ID (AMB-..., LEN-...) of the permitted lenient reading the
    target took, "" when the finding is a deviation. ``explained_by`` holds
    the signatures of every other known deviation that would explain the
    same exchange: a search for a check's further deviations passes over
    it once any of them is known (see :func:`unexplained`).
    """

    expected: str
    explanation: str
    signature: str = ""
    lenient: str = ""
    explained_by: frozenset[str] = frozenset()


Judge = Callable[[ProbeRequest, ProbeResponse], "Finding | None"]


class SkipCheck(Exception):
    """Raised by a check that does not apply to this path."""


#: Most distinct deviations one exploration records (each after the first
#: costs a search of its own).
MAX_DEVIATIONS: Final = 4


def deviation_key(finding: Finding | Failure) -> str:
    """What tells one deviation from another: the finding's signature (a
    root cause in request-independent words), else what it expected.

    >>> deviation_key(Finding("304", "got 200", signature="If-None-Match ignored"))
    'If-None-Match ignored'
    >>> deviation_key(Finding("304", "got 200"))
    'expected 304'
    """
    return finding.signature or f"expected {finding.expected}"


def unexplained(judge: Judge, known: set[str]) -> Judge:
    """``judge``, except that a finding of a deviation already ``known``
    (by :func:`deviation_key`, or among its ``explained_by``) lets the
    request pass: the search then looks for what the known deviations do
    not explain."""
    if not known:
        return judge

    def judge_the_rest(request: ProbeRequest, response: ProbeResponse) -> Finding | None:
        finding = judge(request, response)
        if finding is None or deviation_key(finding) in known or finding.explained_by & known:
            return None
        return finding

    return judge_the_rest


class CheckContext:
    """What a check function gets: the target, the path, what the harness
    learned about it, and ways to send requests and explore with Hypothesis."""

    def __init__(
        self,
        check: CheckInfo,
        target: Target,
        path: str,
        observed: Observed,
        *,
        max_examples: int,
        seed: int,
    ) -> None:
        self.check = check
        self.target = target
        self.path = path
        self.observed = observed
        self.max_examples = max_examples
        self.seed = seed
        self.failures: list[Failure] = []
        self.requests = 0
        self.notes: list[str] = []
        #: Where judged exchanges go, for the diagnosis (set by the runner).
        self.transcript: Transcript | None = None
        #: How many judged exchanges met the check's decisive situation
        #: (every judged exchange, unless its judge said otherwise with
        #: :meth:`not_decisive`); a check that never met it is "not
        #: exercised", never passed.
        self.exercised = 0
        #: The decisive situation in words, for the "not exercised" note.
        self.situation = "an exchange the check could judge"
        self._decisive = True

    # -- sending ---------------------------------------------------------------

    def send(self, request: ProbeRequest) -> ProbeResponse:
        self.requests += 1
        response = self.target.send(request)
        if self.transcript is not None and self._transcribed(request):
            self.transcript.add(
                request,
                response,
                self.observed,
                baseline=None,
                check=self.check.id,
                failing=False,
                judged=False,
            )
        return response

    def _transcribed(self, request: ProbeRequest) -> bool:
        """A HEAD a check sends without judging its status itself (it
        compares it with GET, say) still goes into the transcript: the
        oracle knows its answer (the status judges add the rest)."""
        return (
            request.method == "HEAD"
            and request.path == self.path
            and not self.check.unsafe
            and request.header("Accept-Encoding") is None
        )

    def request(self, method: str, *headers: tuple[str, str], body: bytes = b"") -> ProbeRequest:
        """A probe for this path."""
        return ProbeRequest(method, self.path, tuple(headers), body)

    def relearn(self) -> Observed:
        """GET the path again (after an unsafe request)."""
        self.requests += 1
        self.observed = Observed.from_response(
            self.path, self.target.send(ProbeRequest("GET", self.path))
        )
        return self.observed

    def skip(self, reason: str) -> None:
        raise SkipCheck(reason)

    # -- counting the decisive situation -------------------------------------------

    def decisive_situation(self, situation: str) -> None:
        """Name what an exchange must show for this check to judge
        anything ("a 304", ...), for the note of a check never exercised."""
        self.situation = situation

    def not_decisive(self) -> Finding | None:
        """Called by a judge: the exchange it is judging is not the check's
        decisive situation (a 200 where only a 304's fields are judged), so
        it does not count towards :attr:`exercised`. Returns None (no
        finding), so a judge may ``return context.not_decisive()``."""
        self._decisive = False
        return None

    def judge_exchange(
        self, judge: Judge, request: ProbeRequest, response: ProbeResponse
    ) -> Finding | None:
        """``judge(request, response)``, counting the exchange when it met the
        decisive situation (a finding always does)."""
        self._decisive = True
        finding = judge(request, response)
        if finding is not None or self._decisive:
            self.exercised += 1
        self._decisive = True
        return finding

    # -- judging ----------------------------------------------------------------

    def record(self, request: ProbeRequest, response: ProbeResponse, finding: Finding) -> None:
        self.failures.append(
            Failure(
                request=request,
                response=response,
                expected=finding.expected,
                explanation=f"{finding.explanation} [{self.check.id}: {self.check.rule}]",
                reproduce=self.target.reproduce(request),
                signature=finding.signature,
                lenient=finding.lenient,
            )
        )

    def verify(self, request: ProbeRequest, judge: Judge) -> ProbeResponse:
        """Send one request and judge it."""
        response = self.send(request)
        finding = self.judge_exchange(judge, request, response)
        if finding is not None:
            self.record(request, response, finding)
        return response

    def explore(
        self,
        requests: st.SearchStrategy[ProbeRequest],
        judge: Judge,
        *,
        shrink_with: st.SearchStrategy[ProbeRequest] | None = None,
        batch: int = 1,
    ) -> None:
        """Generate requests, judge each response, and record the minimal
        failing request Hypothesis shrinks to, once per distinct deviation.

        A deviation is told from another by its key (:func:`deviation_key`:
        the finding's signature, else what it expected). After the first
        one is recorded the search starts again with a judge that lets
        every request the known deviations explain pass, so it finds (and
        shrinks) the next deviation a first one would mask, up to
        :data:`MAX_DEVIATIONS`; it stops at the first search that finds
        nothing new. A target with no deviation costs one search, as before.

        Until a failure is found, each search sends ``max_examples``
        generated requests at most (fewer when Hypothesis runs out of
        distinct ones); the first is the simplest request of ``requests``.

        ``shrink_with`` is the same requests drawn decision by decision, for
        ``requests`` made compact (etagspec.strategies.compact: fast to draw,
        but shrunk as one byte string, which cannot always drop a list
        member). Once a failure is known to exist (found in batches, or by
        ``requests`` without shrinking), the search runs with
        ``shrink_with`` and what it shrinks to is recorded; only when that
        finds nothing does ``requests`` search again and shrink to the end,
        so the request recorded is always as simple as Hypothesis can make
        it. The compact failure itself is not shrunk: the diagnosis needs
        no request a shrink happens to send (what a check's answers show
        that its recorded failures do not, it adds itself).

        With ``batch`` above 1, each Hypothesis example draws that many
        requests and sends each (a request drawn twice in one example is
        sent once), which spreads Hypothesis's own cost per example over
        several requests: the speed of a check that passes. A failure found
        that way is not shrunk as a batch (slow: each attempt sends the
        requests before the failing one again); the search runs again one
        request per example (with ``shrink_with`` if given, else as without
        ``batch``). Only when that finds nothing is the batch shrunk, until
        its first failing request is as simple as Hypothesis can make it.
        Either way one request is recorded per deviation.
        Batches suit large spaces of requests: a small one that Hypothesis
        could exhaust is better explored one by one.
        """
        known: set[str] = set()
        for _ in range(MAX_DEVIATIONS):
            found = self._explore_once(
                requests, unexplained(judge, known), shrink_with=shrink_with, batch=batch
            )
            if found is None:
                return
            self.record(*found)
            known.add(deviation_key(found[2]))

    def _explore_once(
        self,
        requests: st.SearchStrategy[ProbeRequest],
        judge: Judge,
        *,
        shrink_with: st.SearchStrategy[ProbeRequest] | None,
        batch: int,
    ) -> tuple[ProbeRequest, ProbeResponse, Finding] | None:
        """One search of :meth:`explore`: the failure to record, or None."""
        if batch > 1:
            in_batches = self._search(requests, judge, batch=batch, shrink=False)
            if in_batches is None:
                return None
        if shrink_with is None:
            found = self._search(requests, judge)
        elif batch > 1 or self._search(requests, judge, shrink=False) is not None:
            found = self._search(shrink_with, judge) or self._search(requests, judge)
        else:
            found = None
        if found is None and batch > 1:
            found = self._search(requests, judge, batch=batch) or in_batches
        return found

    def _search(
        self,
        requests: st.SearchStrategy[ProbeRequest],
        judge: Judge,
        *,
        batch: int = 1,
        shrink: bool = True,
    ) -> tuple[ProbeRequest, ProbeResponse, Finding] | None:
        """The minimal failing exchange Hypothesis finds (the first one found,
        unless ``shrink``), or None; a flaky target gets a note."""
        # Generated requests still to send before a failure is found (the
        # shrinker's replays after it are not generation and always run).
        budget = [self.max_examples]
        failing = [False]

        def exchange(request: ProbeRequest) -> tuple[ProbeRequest, ProbeResponse, Finding] | None:
            response = self.send(request)
            finding = self.judge_exchange(judge, request, response)
            if finding is None:
                return None
            failing[0] = True
            return request, response, finding

        def exchange_batch(
            batch_of_requests: list[ProbeRequest],
        ) -> tuple[ProbeRequest, ProbeResponse, Finding] | None:
            for request in dict.fromkeys(batch_of_requests):
                if not failing[0]:
                    if budget[0] <= 0:
                        return None
                    budget[0] -= 1
                found = exchange(request)
                if found is not None:
                    return found
            return None

        if batch > 1:
            # The first example is the simplest request (a batch of copies
            # of it is sent once), then batches of distinct ones.
            examples = 1 + -(-(self.max_examples - 1) // batch)
            batches = st.lists(requests, min_size=batch, max_size=batch)
            searched = search(
                batches, exchange_batch, max_examples=examples, seed=self.seed, shrink=shrink
            )
        else:
            searched = search(
                requests, exchange, max_examples=self.max_examples, seed=self.seed, shrink=shrink
            )
        if searched.flaky:
            self.notes.append("the target answered the same request differently (flaky)")
        return searched.found
