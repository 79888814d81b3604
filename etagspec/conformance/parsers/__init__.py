"""The parser harness: check anyone's entity-tag and HTTP-date parsers,
formatters and comparison functions against RFC 9110 and the reference
(docs/SPEC.md §9).

* :func:`check_parser` runs the parser checks (:func:`parser_checks`)
  against an adapter module (:mod:`.adapter` documents the contract) and
  returns a :class:`ParserReport`; ``etagspec check-parser MODULE`` is its
  command, ``pytest --etagspec-parser=MODULE`` its pytest form.
* :mod:`.reference` is the adapter for etagspec's own functions.
* :mod:`.matrix` writes the page of the campaign's parser matrix (``reports/parsers/``).
"""

from __future__ import annotations

from .adapter import FUNCTIONS, AdapterError, ParserAdapter, load_adapter
from .checks import PARSER_CHECKS, ParserCheck, ParserFinding, parser_checks
from .report import ParserReport, ParserResult, render_markdown, render_text
from .runner import check_parser, run_parser_check

__all__ = [
    "FUNCTIONS",
    "PARSER_CHECKS",
    "AdapterError",
    "ParserAdapter",
    "ParserCheck",
    "ParserFinding",
    "ParserReport",
    "ParserResult",
    "check_parser",
    "load_adapter",
    "parser_checks",
    "render_markdown",
    "render_text",
    "run_parser_check",
]
