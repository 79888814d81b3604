"""Progress for a log (a CI job, a file, a pipe): plain lines, never ``\\r``.

One line at each check's end, and one at a fixed interval while a check
runs, so that a long run against a slow server shows it is alive::

    etagspec: [ 3/42] COND-INM-4a passed (1.2 s; 4 s elapsed)
    etagspec: [ 4/42] COND-IMS-2 still running (34 s elapsed)

>>> import io
>>> stream = io.StringIO()
>>> with LogProgress(stream, 2, clock=iter([0.0, 0.0, 1.5, 1.5]).__next__) as progress:
...     progress.start("COND-INM-4a")
...     progress.done("COND-INM-4a", Status.PASSED)
>>> print(stream.getvalue(), end="")
etagspec: [1/2] COND-INM-4a passed (1.5 s; 2 s elapsed)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self, TextIO

from etagspec._display import visible
from etagspec.conformance.model import Status

__all__ = ["LOG_INTERVAL", "FinishedOnExit", "LogProgress"]

#: Seconds between two "still running" lines.
LOG_INTERVAL = 30.0


class FinishedOnExit:
    """A progress display as a context manager: leaving the block calls
    its ``finish()``, however the run ended."""

    def finish(self) -> None:
        """Stop showing the progress (the display's own way)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()


class LogProgress(FinishedOnExit):
    """The progress of a run of ``total`` checks as plain lines on
    ``stream``: at each check's end, and every ``interval`` seconds
    (default :data:`LOG_INTERVAL`) while one runs (from a background
    thread, stopped by :meth:`finish`)."""

    def __init__(
        self,
        stream: TextIO,
        total: int,
        *,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.total = total
        self.interval = LOG_INTERVAL if interval is None else interval
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._index = 0
        self._current: str | None = None
        self._began = clock()
        self._check_began = self._began

    def _write(self, text: str) -> None:
        self.stream.write(
            f"etagspec: [{self._index:>{len(str(self.total))}}/{self.total}] {text}\n"
        )
        self.stream.flush()

    def _elapsed(self, now: float) -> str:
        return f"{now - self._began:.0f} s elapsed"

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                if self._current is not None:
                    now = self._clock()
                    self._write(f"{visible(self._current)} still running ({self._elapsed(now)})")

    def start(self, check_id: str) -> None:
        """A check begins (the first one starts the interval lines)."""
        with self._lock:
            self._index += 1
            self._current = check_id
            self._check_began = self._clock()
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._beat, daemon=True)
            self._thread.start()

    def done(self, check_id: str, status: Status | str) -> None:
        """A check ended with ``status``."""
        label = status.value if isinstance(status, Status) else str(status)
        with self._lock:
            if check_id != self._current:  # done() without start()
                self._index += 1
            now = self._clock()
            took = now - self._check_began if check_id == self._current else 0.0
            self._current = None
            self._write(f"{visible(check_id)} {label} ({took:.1f} s; {self._elapsed(now)})")

    def finish(self) -> None:
        """Stop the interval lines."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
