"""Output that outlives its reader: ``etagspec check ... | head -1``.

When the reader of standard output (or error) goes away, the next write
raises :class:`BrokenPipeError`. The command is not wrong for it: its exit
status is still what the run decided. :class:`PipeSafeStream` drops every
write after the reader has gone, and points the stream's file descriptor at
``/dev/null`` so that the interpreter's own final flush cannot complain
either (no traceback, no "Exception ignored" line).

>>> import io
>>> class Gone(io.StringIO):
...     def write(self, text):
...         raise BrokenPipeError(32, "Broken pipe")
>>> stream = PipeSafeStream(Gone())
>>> stream.write("PASS\\n"), stream.closed_by_reader
(0, True)
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast

__all__ = ["PipeSafeStream", "pipe_safe_streams"]


class PipeSafeStream:
    """``stream``, except that a closed pipe ends its output quietly."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.closed_by_reader = False

    def _reader_gone(self) -> None:
        self.closed_by_reader = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)

    def write(self, text: str) -> int:
        if self.closed_by_reader:
            return 0
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._reader_gone()
            return 0

    def flush(self) -> None:
        if self.closed_by_reader:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._reader_gone()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def pipe_safe_streams() -> Iterator[tuple[TextIO, TextIO]]:
    """``sys.stdout`` and ``sys.stderr`` (argparse's ``--help`` writes there
    too) replaced by :class:`PipeSafeStream` wrappers while the block runs;
    yields them. Whatever is still buffered is flushed at the end."""
    safe = PipeSafeStream(sys.stdout), PipeSafeStream(sys.stderr)
    out, err = cast(TextIO, safe[0]), cast(TextIO, safe[1])
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved
