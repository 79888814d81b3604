"""docs/SPEC.md is the catalogue every rule ID in the repository refers to.

* Every registered check is in the catalogue, in its table of checks (§7),
  and every layer check in its table of harness rules (§8); each has a
  mutant that it catches and at least one unit test whose pytest id
  carries its ID, so that ``pytest -k <ID>`` runs it; the reference
  implementation names it where it obeys it (a short allow-list of gaps
  aside, which only shrinks).
* Every rule ID written in code, tests or the conformance suite is defined
  in the catalogue.
* Nothing in the repository points outside it (``../shared``) or at issue
  numbers a reader cannot see.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import asgi_layer_zoo
import layer_zoo
import parser_zoo
import pytest
import zoo

from etagspec.conformance import registered_checks
from etagspec.conformance.layers import layer_checks
from etagspec.conformance.parsers import parser_checks

REPO: Final = Path(__file__).resolve().parent.parent
CATALOGUE: Final = REPO / "docs" / "SPEC.md"

#: A rule ID: a prefix, dash-separated parts, a number and maybe a letter
#: (COND-INM-4a, AMB-DATE-2, LEN-9), or a worked vector (T01..T106). A
#: dash-joined prefix is not a separate ID: DATE-1 inside ABNF-DATE-1 counts
#: once, as the whole.
RULE_ID: Final = re.compile(
    r"(?<![A-Za-z0-9])(?<![A-Z]-)"
    r"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+[a-z]?|T[0-9]{2,3})"
    r"(?![A-Za-z0-9]|-[A-Za-z0-9*])"  # DIFF-2616-* names a family, not an ID
)
#: The IDs without a number (FLD-TRIM, CL-HEAD, VAL-GEN-SAFE) come from a
#: few families; a capitalised dash-joined word of those families is an ID.
WORD_ID: Final = re.compile(r"(?<![A-Za-z0-9-])((?:FLD|CL|VAL)(?:-[A-Z]+)+)(?![A-Za-z0-9-])")
#: A definition: an ID in backquotes (a table row, a grammar heading), or a
#: worked vector in the first column of §5.5.
DEFINED: Final = re.compile(r"`([A-Z][A-Za-z0-9-]*)`|^\| (T[0-9]{2,3}) \|", re.MULTILINE)
#: Tokens that look like rule IDs and are not.
NOT_RULE_IDS: Final = frozenset(
    {
        "SHA-256",
        "UTF-8",
        "ISO-8859-1",
        "LM-1",  # "LM-1 / LM / LM+1": a second before Last-Modified
    }
)
#: Made-up IDs that tests use to show how unknown or retired IDs are handled.
FICTIONAL_IDS: Final = frozenset({"X-1", "X-2", "NOPE-1", "OLD-1", "COND-XX-9", "CACHE-ETAG-2"})
#: Where rule IDs in code are looked for, and which files count as code.
CODE_DIRS: Final = ("etagspec", "tests", "conformance", "benchmarks", "fuzz", "examples")
CODE_SUFFIXES: Final = frozenset({".py", ".toml"})
#: The mutant tables and this file name every check without testing it.
NOT_UNIT_TESTS: Final = frozenset(
    {
        "zoo.py",
        "test_mutants.py",
        "layer_zoo.py",
        "asgi_layer_zoo.py",
        "test_catalogue.py",
        "parser_zoo.py",
        "test_parser_mutants.py",
    }
)
#: Never scanned for references: tooling state and generated reports.
SKIPPED_DIRS: Final = frozenset(
    {
        ".git",
        ".venv",
        "reports",
        "etagspec-report",
        ".hypothesis",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "__pycache__",
    }
)
#: An ID cut short after the first: COND-IR-2/7a, AMB-DATE-1, -2, ABNF-QS-1/2.
ABBREVIATED_ID: Final = re.compile(
    r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+[a-z]?(?:/[0-9]+[a-z]?\b|, ?-[0-9]+[a-z]?\b)"
)
OUTSIDE_REFERENCE: Final = re.compile(r"\.\./shared|/work/shared")
ISSUE_REFERENCE: Final = re.compile(r"\bissues? #?[0-9]+\b|\bissue #[0-9]+", re.IGNORECASE)


def catalogue_text() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


def defined_ids(text: str) -> set[str]:
    """Every ID the catalogue defines."""
    return {backquoted or vector for backquoted, vector in DEFINED.findall(text)}


def table_ids(text: str, heading: str) -> set[str]:
    """The IDs of the table rows in the section under ``heading``."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE))


def checks_table(text: str) -> set[str]:
    """The IDs of the rows of §7, the table of conformance checks."""
    return table_ids(text, "## 7. The conformance checks")


def harness_rules_table(text: str) -> set[str]:
    """The IDs of the rows of §8, the table of harness rules."""
    return table_ids(text, "## 8. Harness rules")


def parser_checks_table(text: str) -> set[str]:
    """The IDs of the rows of §9, the table of parser checks."""
    return table_ids(text, "## 9. Parser checks")


#: A worked vector's pytest id: the vector and the rule it pins.
VECTOR_AND_RULE: Final = re.compile(r"(T[0-9]{2,3})-(.+)")


def rule_ids(text: str) -> set[str]:
    """Every rule ID in ``text``; ``T48-COND-EVAL-2`` is T48 and COND-EVAL-2."""
    found = set(WORD_ID.findall(text))
    for token in RULE_ID.findall(text):
        vector_and_rule = VECTOR_AND_RULE.fullmatch(token)
        found.update(vector_and_rule.groups() if vector_and_rule else (token,))
    return found - NOT_RULE_IDS - FICTIONAL_IDS


def repository_files() -> Iterator[Path]:
    """Every text file of the repository outside tooling state and reports."""
    for directory, subdirectories, files in os.walk(REPO):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if name not in SKIPPED_DIRS and not name.endswith(".egg-info")
        )
        for name in sorted(files):
            path = Path(directory) / name
            try:
                path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            yield path


def code_files() -> Iterator[Path]:
    """The code to scan for rule IDs (not this file: its examples are made up)."""
    for directory in CODE_DIRS:
        for path in sorted((REPO / directory).rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                if path != Path(__file__).resolve():
                    yield path


# --- the finders themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("# COND-INM-4a: the wildcard", {"COND-INM-4a"}),
        ("ABNF-DATE-1 and DATE-1", {"ABNF-DATE-1", "DATE-1"}),
        ("id=T48-COND-EVAL-2", {"T48", "COND-EVAL-2"}),
        ("vectors T01..T106", {"T01", "T106"}),
        ("AMB-DATE-2 (lenient), LEN-9.", {"AMB-DATE-2", "LEN-9"}),
        ("UTF-8 text hashed with SHA-256", set()),
        ("CC-RES-7a and CL-304", {"CC-RES-7a", "CL-304"}),
        ("the DIFF-2616-* rows", set()),
        ("(FLD-TRIM), VAL-GEN-SAFE and CL-HEAD", {"FLD-TRIM", "VAL-GEN-SAFE", "CL-HEAD"}),
        ("pytest -k COND-INM", set()),
    ],
)
def test_rule_ids_are_found(text: str, found: set[str]) -> None:
    assert rule_ids(text) == found


def test_definitions_are_found() -> None:
    text = (
        "| `COND-IM-4a` | §13.1.1 | DEF |\n| T48 | DELETE |\n"
        "see COND-IM-4c\n`ABNF-ETAG-1` is `ETag`"
    )
    assert defined_ids(text) >= {"COND-IM-4a", "T48", "ABNF-ETAG-1"}
    assert "COND-IM-4c" not in defined_ids(text)


@pytest.mark.parametrize(
    ("text", "abbreviated"),
    [
        ("COND-IR-2, -7a, -7b", True),
        ("CC-REQ-2/4/6", True),
        ("COND-IR-2, COND-IR-7a", False),
        ("COND-IMS-3/COND-IUS-3", False),
        ("Content-Range: bytes 0-9/100", False),
    ],
)
def test_abbreviated_ids_are_found(text: str, abbreviated: bool) -> None:
    assert bool(ABBREVIATED_ID.search(text)) is abbreviated


def test_issue_references_are_found() -> None:
    assert ISSUE_REFERENCE.search("see issue 5")
    assert ISSUE_REFERENCE.search("(issues 4 and 6)")
    assert ISSUE_REFERENCE.search("Issue #12")
    assert not ISSUE_REFERENCE.search("an issue with the parser")


# --- the catalogue ---------------------------------------------------------------------


def test_every_check_is_in_the_catalogue_and_its_checks_table() -> None:
    text = catalogue_text()
    defined, table = defined_ids(text), checks_table(text)
    ids = [check.info.id for check in registered_checks()]
    assert sorted(set(ids) - defined) == [], "checks missing from docs/SPEC.md"
    assert sorted(set(ids) - table) == [], "checks missing from docs/SPEC.md §7"
    assert sorted(table - set(ids)) == [], "§7 lists checks that are not registered"


def test_every_layer_check_is_in_the_harness_rules_table() -> None:
    ids = {check.info.id for check in layer_checks()}
    assert sorted(ids - harness_rules_table(catalogue_text())) == []


def test_every_parser_check_is_in_the_parser_checks_table() -> None:
    ids = {check.info.id for check in parser_checks()}
    table = parser_checks_table(catalogue_text())
    assert sorted(ids - table) == [], "parser checks missing from docs/SPEC.md §9"
    assert sorted(table - ids) == [], "§9 lists parser checks that are not registered"


def test_every_rule_id_in_code_is_in_the_catalogue() -> None:
    defined = defined_ids(catalogue_text())
    missing: dict[str, list[str]] = {}
    for path in code_files():
        for rule in sorted(rule_ids(path.read_text(encoding="utf-8")) - defined):
            missing.setdefault(rule, []).append(str(path.relative_to(REPO)))
    assert missing == {}, "IDs used in code but not defined in docs/SPEC.md"


def test_every_worked_vector_is_in_the_catalogue() -> None:
    defined = defined_ids(catalogue_text())
    vectors = {f"T{n:02d}" for n in range(1, 107)} & defined
    assert len(vectors) == 74  # T01..T106 with the gaps of the numbering


def test_rule_ids_are_written_in_full() -> None:
    # "COND-IR-2, -7a" hides COND-IR-7a from a grep for it.
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in code_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ABBREVIATED_ID.search(line)
    ]
    assert found == []


# --- one grep from a check to its unit tests and its mutant ------------------------------


def mutants_of(check_id: str) -> list[str]:
    """The broken apps (tests/zoo.py), layers (tests/layer_zoo.py) and
    parser adapters (tests/parser_zoo.py) it must catch."""
    apps = [flag for flag, ids in zoo.MUTANTS.items() if check_id in ids]
    layers = [layer.__name__ for layer, id_ in layer_zoo.MUTANTS.items() if id_ == check_id]
    layers += [layer.__name__ for layer, id_ in asgi_layer_zoo.MUTANTS.items() if id_ == check_id]
    parsers = [name for name, id_ in parser_zoo.MUTANTS.items() if id_ == check_id]
    return sorted(apps + layers + parsers)


#: Collect quietly: no cache written, no coverage measured.
COLLECT_OPTIONS: Final = ("-p", "no:cacheprovider", "--no-cov", "tests")


@pytest.fixture(scope="module")
def unit_test_ids() -> list[str]:
    """The pytest node IDs of the unit tests, slow ones included, as
    ``pytest --collect-only`` lists them (the mutant tables and their tests
    excluded: they name every check without testing it)."""
    collected = subprocess.run(
        [*(sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", ""), *COLLECT_OPTIONS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    ids = [line for line in collected.stdout.splitlines() if "::" in line]
    assert collected.returncode == 0 and ids, collected.stdout[-2000:] + collected.stderr[-2000:]
    return [node for node in ids if Path(node.split("::")[0]).name not in NOT_UNIT_TESTS]


def carrying(check_id: str, texts: list[str]) -> list[str]:
    """The texts (pytest node IDs, sources) that carry ``check_id`` whole
    (``COND-IM-1`` is not in ``COND-IM-10`` nor in ``LAYER-COND-IM-1``)."""
    whole = re.compile(rf"(?<![A-Za-z0-9])(?<![A-Z]-){re.escape(check_id)}(?![A-Za-z0-9])")
    return [text for text in texts if whole.search(text)]


def test_carrying_finds_whole_ids_only() -> None:
    nodes = [
        "t.py::test_a[T50-COND-IM-4c]",
        "t.py::test_b[COND-IM-40]",
        "t.py::test_c[X-COND-IM-4c]",
    ]
    assert carrying("COND-IM-4c", nodes) == ["t.py::test_a[T50-COND-IM-4c]"]
    assert carrying("COND-IM-4", nodes) == []


ALL_CHECK_IDS: Final = [
    *(check.info.id for check in registered_checks()),
    *(check.info.id for check in layer_checks()),
    *(check.info.id for check in parser_checks()),
]


@pytest.mark.parametrize("check_id", ALL_CHECK_IDS)
def test_every_check_has_a_unit_test_and_a_mutant(check_id: str, unit_test_ids: list[str]) -> None:
    zoo_file = "tests/layer_zoo.py" if check_id.startswith("LAYER-") else "tests/zoo.py"
    if check_id in {check.info.id for check in parser_checks()}:
        zoo_file = "tests/parser_zoo.py"
    assert mutants_of(check_id), f"{check_id}: no mutant in MUTANTS of {zoo_file}"
    assert carrying(check_id, unit_test_ids), f"{check_id}: no unit test's pytest id carries it"


#: The modules of the reference implementation: etagspec/*.py but the
#: command-line front ends (the harness lives in its subpackages).
FRONT_ENDS: Final = frozenset({"__main__.py", "cli.py", "layer_cli.py", "_cli_runs.py"})
#: The reference's one subpackage (the seed's caching module).
REFERENCE_PACKAGE: Final = REPO / "etagspec" / "caching"
#: Checks whose rule the reference obeys without naming it yet. This list
#: only shrinks: name the ID where the code obeys the rule, then take it out.
#: ST-416-2: ranges.resolve_ranges (a range starting before the end is
#: satisfiable); VAL-ET-7: demo's tags, a digest of the bytes sent; the
#: LAYER-* rules: caching.etag_middleware.
UNNAMED_IN_IMPLEMENTATION: Final = frozenset(
    {
        "ST-416-2",
        "VAL-ET-7",
        "LAYER-COND-1",
        "LAYER-LAZY-1",
        "LAYER-LAZYSR-1",
        "LAYER-CLOSE-1",
        "LAYER-EXC-1",
        "LAYER-WRITE-1",
        "LAYER-PASS-1",
        "LAYER-PASS-2",
        "LAYER-304-1",
        "LAYER-304-2",
    }
)


def test_one_grep_finds_where_the_reference_obeys_each_check() -> None:
    # With the catalogue entry, the registered check, its mutant and its unit
    # tests (above), the implementation is the fifth place a grep for a
    # check ID must find.
    sources = [
        path.read_text(encoding="utf-8")
        for path in sorted([*(REPO / "etagspec").glob("*.py"), *REFERENCE_PACKAGE.glob("*.py")])
        if path.name not in FRONT_ENDS
    ]
    unnamed = {check_id for check_id in ALL_CHECK_IDS if not carrying(check_id, sources)}
    assert sorted(unnamed - UNNAMED_IN_IMPLEMENTATION) == [], "name these IDs in the code"
    assert sorted(UNNAMED_IN_IMPLEMENTATION - unnamed) == [], "named now: take them out"


# --- the repository explains itself ------------------------------------------------------


def test_nothing_points_outside_the_repository_or_at_issue_numbers() -> None:
    found = []
    for path in repository_files():
        if path == Path(__file__).resolve():
            continue  # the patterns above
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE_REFERENCE.search(line) or ISSUE_REFERENCE.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == []
