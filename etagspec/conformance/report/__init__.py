"""Reporters: turn a :class:`~etagspec.conformance.model.Report` into files
and text for people and for CI. They only read the report.

* :func:`render_json` → ``report.json`` (machine-readable, deterministic
  apart from its ``"run"`` object),
* :func:`render_html` → ``report.html`` (one self-contained page),
* :func:`render_junit` → ``junit.xml`` (CI test viewers),
* :func:`render_markdown` → ``report.md`` (PR comments, job summaries),
* :func:`render_terminal` and :class:`ProgressPrinter` for the console.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from etagspec.conformance.model import Report

from ._common import verdict
from .html import render_html
from .json_report import render_json
from .junit import render_junit
from .markdown import render_markdown
from .terminal import ProgressPrinter, render_terminal

__all__ = [
    "REPORT_FILES",
    "ProgressPrinter",
    "catalogue_href",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_terminal",
    "verdict",
    "write_reports",
]

#: What :func:`write_reports` writes: key → (file name, renderer).
REPORT_FILES: dict[str, tuple[str, Callable[[Report], str]]] = {
    "json": ("report.json", render_json),
    "html": ("report.html", render_html),
    "junit": ("junit.xml", render_junit),
    "markdown": ("report.md", render_markdown),
}


def write_reports(report: Report, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``report.json``, ``report.html``, ``junit.xml`` and
    ``report.md`` into ``directory`` (created if needed; files replaced
    atomically, UTF-8, LF line endings) and return their paths by kind:
    ``{"json": ..., "html": ..., "junit": ..., "markdown": ...}``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for key, (name, render) in REPORT_FILES.items():
        if key == "html":
            text = render_html(report, spec_href=catalogue_href(folder))
        else:
            text = render(report)
        write_atomically(folder / name, text)
        written[key] = folder / name
    return written


def catalogue_href(folder: Path) -> str | None:
    """docs/SPEC.md relative to ``folder``, when ``folder`` lies inside a
    checkout that has it (as ``reports/`` does), else None: a report
    written elsewhere cannot know where the catalogue is.

    >>> catalogue_href(Path("/"))
    """
    start = folder.resolve()
    for parent in (start, *start.parents):
        spec = parent / "docs" / "SPEC.md"
        if spec.is_file():
            return Path(os.path.relpath(spec, start)).as_posix()
    return None


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, LF line endings) in one step:
    written beside it first, then renamed over it, so a reader never sees
    half a file."""
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)
    os.replace(partial, path)
