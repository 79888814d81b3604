"""How the parser checks name what a library did (docs/SPEC.md §9): one
small function per way of getting a rule wrong, judged on one input, and
the adapter contract's edges (what a function may return, how a module is
loaded)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from etagspec.conformance.parsers import PARSER_CHECKS, AdapterError, ParserAdapter, load_adapter
from etagspec.conformance.parsers import reference as ref


def adapter_of(**functions: Callable[..., Any]) -> ParserAdapter:
    return ParserAdapter("t", {**vars_of_reference(), **functions}, "import t as a")


def vars_of_reference() -> dict[str, Callable[..., Any]]:
    return {name: getattr(ref, name) for name in ref.__all__}


def constant(value: object) -> Callable[..., object]:
    return lambda *args: value


def refuse(*args: object) -> object:
    raise ValueError("refused")


#: (check, function, its replacement, input, the words of the root cause, lenient?)
CASES: list[tuple[str, str, Callable[..., Any], object, str, bool]] = [
    ("PARSE-LIST-4", "parse_etags", constant(5), '"a"', "something other than", False),
    ("PARSE-LIST-4", "parse_etags", constant([("a", "b")]), '"a"', "something other", False),
    ("PARSE-LIST-4", "parse_etags", constant([1]), '"a"', "something other", False),
    ("PARSE-LIST-4", "parse_etags", constant("nope"), '"a"', "something other", False),
    ("PARSE-LIST-4", "parse_etags", constant([(False, None)]), '""', "as None", False),
    ("PARSE-LIST-4", "parse_etags", constant(None), "*", "lone * as the wildcard", False),
    ("PARSE-LIST-4", "parse_etags", constant("*"), '"*"', 'the tag "*" as the wildcard', False),
    ("PARSE-LIST-4", "parse_etags", constant([(False, "a")]), '"a", "b"', "drops tags", False),
    ("PARSE-LIST-4", "parse_etags", constant([(False, "a")]), '"a", ""', "drops the empty", False),
    ("PARSE-LIST-4", "parse_etags", constant([(True, "a")]), '"a"', "W/ prefix", False),
    ("PARSE-LIST-4", "parse_etags", constant([(False, "x")]), '"a"', "as other tags", False),
    ("PARSE-LIST-4", "parse_etags", refuse, '"a"', "rejects a valid list", False),
    (
        "PARSE-LIST-1",
        "parse_etags",
        constant([(False, "a"), (False, "b")]),
        '"a,b"',
        "splits",
        False,
    ),
    ("PARSE-LIST-2", "parse_etags", refuse, '"a\\"', "backslash", False),
    ("PARSE-LIST-2", "parse_etags", constant([(False, 'a", ')]), '"a\\", "b"', "escape", False),
    ("PARSE-LIST-5", "parse_etags", constant("*"), '"a", *', "as the wildcard", False),
    ("PARSE-LIST-5", "parse_etags", constant(3), 'w/"a"', "something other", False),
    ("PARSE-LIST-5", "parse_etags", constant([(True, "a")]), 'W/ "a"', "space after W/", True),
    ("PARSE-LIST-5", "parse_etags", constant(()), '"a" "b"', "", False),
    ("PARSE-LIST-5", "parse_etags", constant([(False, "a")]), '"a"', "", False),
    ("FMT-ETAG-1", "format_etag", constant(5), ("a", False), "other than a str", False),
    ("FMT-ETAG-1", "format_etag", constant('W/"a"'), ("a", False), "W/ prefix", False),
    ("FMT-ETAG-1", "format_etag", constant('"a b"'), ("a b", False), "not one entity-tag", False),
    ("FMT-ETAG-2", "format_etag", refuse, ("abc", False), "refuses a tag", False),
    ("FMT-ETAG-2", "format_etag", refuse, ("a\\", False), "", False),
    ("FMT-ETAG-2", "format_etag", constant('"b"'), ("a", False), "another tag", False),
    ("PARSE-CMP-1", "strong_match", refuse, ((False, "1"), (False, "1")), "raises", False),
    ("PARSE-CMP-1", "strong_match", constant("yes"), ((False, "1"), (False, "1")), "bool", False),
    ("PARSE-CMP-1", "strong_match", constant(True), ((False, "1"), (False, "2")), "differ", False),
    ("PARSE-CMP-1", "strong_match", constant(False), ((False, "1"), (False, "1")), "misses", False),
    (
        "PARSE-DATE-1",
        "parse_date",
        constant("x"),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        "POSIX",
        False,
    ),
    (
        "PARSE-DATE-1",
        "parse_date",
        constant(math.nan),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        "POSIX",
        False,
    ),
    (
        "PARSE-DATE-1",
        "parse_date",
        constant(1),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        "another instant",
        False,
    ),
    (
        "PARSE-DATE-1",
        "parse_date",
        constant(784111777 + 100 * 365 * 86400),
        (784111777, "Sunday, 06-Nov-94 08:49:37 GMT"),
        "century",
        False,
    ),
    (
        "PARSE-DATE-2",
        "parse_date",
        constant(0),
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "list of dates",
        False,
    ),
    ("PARSE-DATE-2", "parse_date", constant("x"), "Sun, 06 Nov 1994 08:49:37 EST", "POSIX", False),
    (
        "PARSE-DATE-2",
        "parse_date",
        constant(0),
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "year 0000",
        False,
    ),
    (
        "PARSE-DATE-2",
        "parse_date",
        constant(0),
        "Sun, 06 Nov 1994 08:49:37 EST",
        "as an instant",
        False,
    ),
    (
        "PARSE-DATE-2",
        "parse_date",
        constant(784111777),
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "UTC",
        True,
    ),
    ("FMT-DATE-1", "format_date", refuse, 0, "refuses", False),
    (
        "FMT-DATE-1",
        "format_date",
        constant("Thu, 01 Jan 1970 00:00:01 GMT"),
        0,
        "another instant",
        False,
    ),
    ("FMT-DATE-1", "parse_date", constant(5), 0, "does not read back", False),
]


@pytest.mark.parametrize(
    ("check_id", "function", "replacement", "example", "cause", "lenient"),
    [pytest.param(*case, id=f"{case[0]}-{index}") for index, case in enumerate(CASES)],
)
def test_root_cause(
    check_id: str,
    function: str,
    replacement: Callable[..., Any],
    example: object,
    cause: str,
    lenient: bool,
) -> None:
    judge = PARSER_CHECKS[check_id].judge
    assert judge is not None
    finding = judge(adapter_of(**{function: replacement}), example)
    if not cause:
        assert finding is None
        return
    assert finding is not None and cause in finding.signature, finding
    assert bool(finding.lenient) is lenient


def test_a_module_and_its_declarations_are_loaded(tmp_path: Path) -> None:
    module = tmp_path / "declared.py"
    module.write_text(
        "NAME = 'mine'\nDOCUMENTED_DIFFERENCES = {'PARSE-LIST-3': 'so'}\n"
        "def format_date(seconds):\n    return 'x'\n"
    )
    loaded = load_adapter(str(module))
    assert (loaded.name, loaded.documented, list(loaded.functions)) == (
        "mine",
        {"PARSE-LIST-3": "so"},
        ["format_date"],
    )
    assert load_adapter(ref).importer == "import etagspec.conformance.parsers.reference as a"


@pytest.mark.parametrize(
    ("source", "problem"),
    [(None, "no such adapter file"), ("raise RuntimeError('no')", "RuntimeError: no")],
)
def test_a_module_that_cannot_load_is_refused(
    source: str | None, problem: str, tmp_path: Path
) -> None:
    module = tmp_path / "broken.py"
    if source is not None:
        module.write_text(source)
    with pytest.raises(AdapterError, match=problem):
        load_adapter(str(module))
