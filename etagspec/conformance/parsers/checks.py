"""The parser checks (docs/SPEC.md §9): what anyone's entity-tag and
HTTP-date parsers, formatters and comparison functions owe RFC 9110.

Each check names the adapter functions it needs (it is skipped without
them), a corpus of known-tricky inputs tried first, a Hypothesis strategy of
further inputs, and a judge that compares one call of the user's function
with the reference (:mod:`etagspec.etags`, :mod:`etagspec.dates`). Invalid
input is judged with the lenient/failed principle of the request checks: a
reading that :mod:`etagspec.conformance.readings` lists as lenient (RFC 2616
tags, ``w/``, case-blind or ``+0000`` dates, ...) is *lenient*; any other
reading of an invalid value, and any misreading of a valid one, fails.
"""

from __future__ import annotations

# The catalogue's order is the order of these imports (each registers its checks).
from . import list_checks

# isort: split
from . import format_checks

# isort: split
from . import date_checks

# isort: split
from .finding import ParserFinding
from .registry import PARSER_CHECKS, ParserCheck, parser_checks, reference_list, shown_list

__all__ = [
    "PARSER_CHECKS",
    "ParserCheck",
    "ParserFinding",
    "parser_checks",
    "reference_list",
    "shown_list",
]

# Imported for their registrations, in the catalogue's order.
assert list_checks and format_checks and date_checks
