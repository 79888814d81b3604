"""The adapter contract: how ``etagspec check-parser`` reaches anyone's
entity-tag and HTTP-date functions.

An adapter is a small Python module that defines any subset of these names
(docs/SPEC.md §9, conformance/README.md has a worked example for Werkzeug):

``parse_etags(text) -> [(weak, opaque), ...] | "*" | None``
    An If-Match / If-None-Match field value read as a list of
    ``(weak: bool, opaque: str)`` pairs, in order; the string ``"*"`` for
    the wildcard; ``None`` (or any exception) for an invalid value.
``parse_etag(text) -> (weak, opaque) | None``
    One entity-tag (an ETag field value) read as a ``(weak, opaque)`` pair;
    ``None`` (or any exception) when invalid.
``format_etag(opaque, weak) -> str``
    One entity-tag as a field value. It may refuse (raise) a value it will
    not write.
``parse_date(text) -> int | float | None``
    An HTTP-date read as POSIX seconds; ``None`` (or any exception) when
    invalid.
``format_date(seconds) -> str``
    POSIX seconds (an int) written as an HTTP-date.
``strong_match(a, b) -> bool`` and ``weak_match(a, b) -> bool``
    The two comparison functions of RFC 9110 §8.8.3.2, on ``(weak, opaque)``
    pairs.

Optional: ``NAME`` (what reports call it) and ``DOCUMENTED_DIFFERENCES``, a
mapping of check IDs to the sentence of the library's own documentation that
announces the difference; a finding under such a check is reported as
documented and does not fail the run.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from ...errors import EtagspecError

__all__ = [
    "FUNCTIONS",
    "INVALID",
    "WILDCARD",
    "AdapterError",
    "Outcome",
    "ParserAdapter",
    "load_adapter",
]

#: The functions an adapter may define, in the order reports list them.
FUNCTIONS: Final = (
    "parse_etags",
    "parse_etag",
    "format_etag",
    "parse_date",
    "format_date",
    "strong_match",
    "weak_match",
)
#: What a parser's answer is normalised to for an invalid value.
INVALID: Final = "invalid"
#: ... and for the wildcard.
WILDCARD: Final = "*"

#: A normalised answer: INVALID, WILDCARD, a tuple of (weak, opaque) pairs,
#: an int (seconds), a str (formatted text) or a bool (a comparison).
Outcome = Any


class AdapterError(EtagspecError, ValueError):
    """An adapter module that cannot be loaded or defines none of the functions."""


@dataclass(frozen=True)
class Call:
    """One call of an adapter function: what it returned (normalised), how
    to show that, and a one-line reproduction."""

    outcome: Outcome
    shown: str
    reproduce: str
    raised: str = ""


@dataclass(frozen=True)
class ParserAdapter:
    """The user's functions, loaded from an adapter module."""

    name: str
    functions: Mapping[str, Callable[..., Any]]
    #: How a reproduction imports the module: a Python expression.
    importer: str
    documented: Mapping[str, str] = field(default_factory=dict)

    def has(self, *names: str) -> bool:
        return all(name in self.functions for name in names)

    def reproduction(self, function: str, *args: object) -> str:
        arguments = ", ".join(repr(arg) for arg in args)
        return (
            f"python -c {_shell_quote(f'{self.importer}; print(repr(a.{function}({arguments})))')}"
        )

    def call(self, function: str, *args: object) -> Call:
        """Call ``function`` and normalise what it did."""
        reproduce = self.reproduction(function, *args)
        try:
            value = self.functions[function](*args)
        except Exception as error:  # an exception is the function's answer
            raised = f"{type(error).__name__}: {error}"[:200]
            return Call(INVALID, f"raised {raised}", reproduce, raised)
        return Call(_normalise(function, value), repr(value)[:300], reproduce)


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _normalise(function: str, value: object) -> Outcome:
    if function == "parse_etags":
        return _tag_list(value)
    if function == "parse_etag":
        tags = _tag_list(None if value is None else [value])
        return tags[0] if isinstance(tags, tuple) else tags
    if function == "parse_date":
        return _seconds(value)
    if function in ("format_etag", "format_date"):
        return value if isinstance(value, str) else f"<not a str: {type(value).__name__}>"
    return value if isinstance(value, bool) else f"<not a bool: {value!r}>"


def _tag_list(value: object) -> Outcome:
    if value is None:
        return INVALID
    if isinstance(value, str):
        return WILDCARD if value == WILDCARD else f"<a str that is not '*': {value!r}>"
    if str(value) == WILDCARD and not isinstance(value, (list, tuple)):
        return WILDCARD  # a wildcard object, such as etagspec.etags.ANY
    if not isinstance(value, Iterable):
        return f"<not a list: {value!r}>"
    try:
        pairs = tuple(value)
    except TypeError:
        return f"<not a list: {value!r}>"
    tags = []
    for pair in pairs:
        try:
            weak, opaque = pair
        except (TypeError, ValueError):
            return f"<not a (weak, opaque) pair: {pair!r}>"
        if not isinstance(weak, bool) or not isinstance(opaque, str):
            return f"<not a (weak: bool, opaque: str) pair: {pair!r}>"
        tags.append((weak, opaque))
    return tuple(tags)


def _seconds(value: object) -> Outcome:
    if value is None:
        return INVALID
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"<not a number of seconds: {value!r}>"
    if isinstance(value, float) and not math.isfinite(value):
        return f"<not a finite number: {value!r}>"
    return math.floor(value)


def load_adapter(spec: str | ModuleType) -> ParserAdapter:
    """Load an adapter: an imported module, a module name
    (``conformance.parsers.werkzeug_parsers``) or the path of a ``.py`` file.

    >>> adapter = load_adapter("etagspec.conformance.parsers.reference")
    >>> adapter.name, sorted(adapter.functions)[:2]
    ('etagspec', ['format_date', 'format_etag'])
    >>> load_adapter("no.such.module")
    Traceback (most recent call last):
    ...
    etagspec.conformance.parsers.adapter.AdapterError: cannot import no.such.module: ...
    """
    if isinstance(spec, ModuleType):
        module, importer = spec, f"import {spec.__name__} as a"
    elif spec.endswith(".py") or Path(spec).is_file():
        path = Path(spec)
        if not path.is_file():
            raise AdapterError(f"no such adapter file: {spec}")
        loader = importlib.util.spec_from_file_location(path.stem, path)
        if loader is None or loader.loader is None:
            raise AdapterError(f"cannot load {spec} as a Python module")
        module = importlib.util.module_from_spec(loader)
        try:
            loader.loader.exec_module(module)
        except Exception as error:
            raise AdapterError(f"cannot load {spec}: {type(error).__name__}: {error}") from error
        run_path = f"__import__('runpy').run_path({str(path)!r})"
        importer = f"import types; a = types.SimpleNamespace(**{run_path})"
    else:
        try:
            module = importlib.import_module(spec)
        except Exception as error:
            raise AdapterError(f"cannot import {spec}: {type(error).__name__}: {error}") from error
        importer = f"import {spec} as a"
    functions = {
        name: getattr(module, name) for name in FUNCTIONS if callable(getattr(module, name, None))
    }
    if not functions:
        raise AdapterError(
            f"{getattr(module, '__name__', spec)} defines none of {', '.join(FUNCTIONS)}"
        )
    name = str(getattr(module, "NAME", module.__name__))
    documented = dict(getattr(module, "DOCUMENTED_DIFFERENCES", {}) or {})
    return ParserAdapter(name, functions, importer, documented)
