"""How long and how much a target may take: the bounds of one request and
of a whole run, and what happens when a target goes past them.

Every target kind (a server URL, an in-process WSGI or ASGI app, a layer)
gets the same :class:`Bounds`:

* ``timeout``: one request, from connect to the last body byte (not one
  socket read): past it the request is reported unanswered and the target,
  hung, gets no more requests (every later probe fails at once).
* ``max_header_bytes`` / ``max_body_bytes``: the size of a response's
  header section (over the wire: an in-process app's fields are in memory
  before the harness sees them) and body (every kind). A target past a cap is *unusable*: the run
  stops with exit status 2 and says which request went over which cap
  (judging a response on its first bytes would give verdicts about bytes
  nobody saw, and an endless body is a broken target, not a finding).
* ``max_time``: the whole run (``--max-time``); past it the run stops with
  exit status 2 and no verdict.

Nothing beyond a cap is ever kept in memory: bodies are read chunk by
chunk and counted as they come.

>>> Bounds().max_body_bytes == DEFAULT_MAX_BODY_BYTES
True
>>> describe_size(DEFAULT_MAX_BODY_BYTES), describe_size(1500)
('128 MiB', '1500 bytes')
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_HEADER_BYTES",
    "DEFAULT_TIMEOUT",
    "BoundExceeded",
    "Bounds",
    "OverBound",
    "describe_size",
    "out_of_time",
    "request_deadline",
    "run_ends",
    "run_time_limit",
]

#: Seconds one request may take, connect to last byte.
DEFAULT_TIMEOUT = 10.0
#: Bytes of a response's header section (status line and fields).
DEFAULT_MAX_HEADER_BYTES = 1024 * 1024
#: Bytes of a response's body.
DEFAULT_MAX_BODY_BYTES = 128 * 1024 * 1024


def describe_size(size: int) -> str:
    """A byte count for people: whole MiB or KiB when exact, else bytes."""
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


@dataclass(frozen=True, slots=True)
class Bounds:
    """The limits of one request (see the module docstring)."""

    timeout: float | None = DEFAULT_TIMEOUT
    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError(f"the timeout must be a positive number of seconds: {self.timeout!r}")
        if self.max_header_bytes < 1 or self.max_body_bytes < 0:
            raise ValueError("the header cap must be at least 1 byte, the body cap not negative")

    def body_over(self, size: int, what: str) -> OverBound:
        """The stop for ``what`` (a request, described) whose body passed the cap."""
        return OverBound(
            f"{what}: the response body is longer than {describe_size(self.max_body_bytes)} "
            f"(at least {size} bytes; raise --max-body-bytes to check it)"
        )

    def headers_over(self, what: str) -> OverBound:
        """The stop for ``what`` whose header section passed the cap."""
        return OverBound(
            f"{what}: the response header section is longer than "
            f"{describe_size(self.max_header_bytes)} (raise --max-header-bytes to check it)"
        )


class OverBound(BaseException):
    """Raised by a target's ``send`` when the target is past a cap or the
    run is past its time: it stops the run.

    A ``BaseException`` so that neither a check's exploration (Hypothesis
    would shrink it as a failure) nor a check's ``except Exception`` takes
    it for a finding; the runners turn it into :class:`BoundExceeded`.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BoundExceeded(Exception):
    """The run stopped because the target went past a bound (exit status 2):
    its message says which request went over which limit."""


#: When the current run must end (time.monotonic()), or None: no limit.
_RUN_ENDS: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "etagspec_run_ends", default=None
)


def run_ends() -> tuple[float, float] | None:
    """(the monotonic instant the current run must end, its --max-time), or None."""
    return _RUN_ENDS.get()


def request_deadline(timeout: float | None) -> tuple[float | None, bool]:
    """The monotonic deadline of a request that starts now, and whether it
    is the run's end (rather than the request's own ``timeout``); raises
    :class:`OverBound` when the run is already out of time."""
    now = time.monotonic()
    own = None if timeout is None else now + timeout
    ends = _RUN_ENDS.get()
    if ends is None:
        return own, False
    if now >= ends[0]:
        raise out_of_time(ends[1])
    if own is None or ends[0] < own:
        return ends[0], True
    return own, False


def out_of_time(max_time: float | None = None) -> OverBound:
    """The stop of a run past its ``--max-time`` (by default, the current run's)."""
    if max_time is None:
        ends = _RUN_ENDS.get()
        max_time = ends[1] if ends else 0.0
    return OverBound(f"the run took longer than --max-time {max_time:g} s; no verdict")


@contextlib.contextmanager
def run_time_limit(max_time: float | None) -> Iterator[None]:
    """Within the block, every target request ends by ``max_time`` seconds
    from now (None: no limit), and one that would start later raises
    :class:`OverBound`; an :class:`OverBound` (or a ``MemoryError``) from
    the block comes out as :class:`BoundExceeded`.

    >>> with run_time_limit(60):
    ...     run_ends()[1]
    60
    """
    if max_time is not None and not max_time > 0:
        raise ValueError(f"--max-time must be a positive number of seconds: {max_time!r}")
    outer = _RUN_ENDS.get()
    ends = outer if max_time is None else (time.monotonic() + max_time, max_time)
    if outer is not None and ends is not None and outer[0] < ends[0]:
        ends = outer  # a run inside a run ends with the outer one at the latest
    token = _RUN_ENDS.set(ends)
    try:
        yield
    except OverBound as stop:
        raise BoundExceeded(stop.reason) from None
    except MemoryError:  # the harness's memory, not a finding: say so, and how to avoid it
        raise BoundExceeded(
            "the run ran out of memory (lower --max-body-bytes to keep answers smaller)"
        ) from None
    finally:
        _RUN_ENDS.reset(token)
