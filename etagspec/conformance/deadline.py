"""A time limit for calls in the main thread, and the exception that stops
an application under test.

The in-process targets run applications in a worker thread that the
harness stops waiting for at the deadline (:mod:`.targets.worker`), and
raise :class:`DeadlineExceeded` in it then. :func:`arm` is the main-thread
alternative for a caller that wants no thread: a real-time interval timer
(``setitimer``) whose SIGALRM handler raises :class:`DeadlineExceeded` in
whatever Python code is running. Arming and disarming cost two system
calls (about 1 µs).

The timer only works in the main thread of a POSIX process, and only when
no other code is using the real-time timer; elsewhere :func:`arm` says so
by returning False and the call runs without a limit.

>>> import time
>>> armed = arm(0.05)
>>> try:
...     try:
...         time.sleep(5)
...     finally:
...         disarm()
... except DeadlineExceeded:
...     print("stopped")
stopped
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

try:  # the C function: signal.getsignal's enum conversion costs 2 µs a call
    from _signal import getsignal as _handler_of  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python implementation
    _handler_of = signal.getsignal

__all__ = ["DeadlineExceeded", "arm", "disarm"]

_AVAILABLE = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
_MAIN_THREAD = threading.main_thread()


class DeadlineExceeded(BaseException):
    """Raised inside the application when its time is up.

    A ``BaseException``, like ``KeyboardInterrupt``, so that an
    application's own ``except Exception`` does not swallow it. The timer
    keeps firing (at most every second) until it is disarmed, so an
    application that catches it anyway is interrupted again.
    """


class _Clock:
    """The module's state: whether our timer is running, and the SIGALRM
    handler that was installed before ours (called for alarms not ours)."""

    armed = False
    previous: Any = signal.SIG_DFL


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _Clock.armed:
        raise DeadlineExceeded
    if callable(_Clock.previous):
        _Clock.previous(signum, frame)
    # otherwise: a late tick of our own timer, or nobody else's; ignore it


def arm(seconds: float | None) -> bool:
    """Start a timer of ``seconds``; True if it runs (then call
    :func:`disarm` in a ``finally``), False if no limit can be set here
    (``seconds`` is None, not the main thread, no SIGALRM, or another timer
    is running, which is left alone)."""
    if seconds is None or not _AVAILABLE or threading.current_thread() is not _MAIN_THREAD:
        return False
    if _handler_of(signal.SIGALRM) is not _on_alarm:
        _Clock.previous = signal.signal(signal.SIGALRM, _on_alarm)
    _Clock.armed = True
    pending = signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 1.0))
    if pending[0]:  # someone else's timer was running: give it back
        _Clock.armed = False
        signal.setitimer(signal.ITIMER_REAL, *pending)
        return False
    return True


def disarm() -> None:
    """Stop the timer started by :func:`arm` (harmless when it is not running;
    never touches a timer that is not ours)."""
    if _Clock.armed:
        _Clock.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
