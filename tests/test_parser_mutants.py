"""Every parser check catches its flawed adapter (tests/parser_zoo.py
``MUTANTS``), passes the reference, and never fails the lenient adapter."""

from __future__ import annotations

import pytest
from parser_zoo import MUTANTS, adapter

from etagspec.conformance.model import Status
from etagspec.conformance.parsers import check_parser, parser_checks


@pytest.mark.parametrize(("name", "check_id"), sorted(MUTANTS.items()))
def test_each_check_catches_its_mutant(name: str, check_id: str) -> None:
    report = check_parser(adapter(name), max_examples=30, select=[check_id])
    (result,) = report.results
    assert result.status in (Status.FAILED, Status.WARNED), result
    assert result.finding is not None and result.finding.reproduce


#: Timed once, in tests/test_parser_checks.py, rather than in every run here.
UNTIMED = [check.info.id for check in parser_checks() if check.info.id != "PARSE-TIME-1"]


@pytest.mark.parametrize("name", ["CORRECT", "LENIENT"])
def test_correct_and_lenient_adapters_never_fail(name: str) -> None:
    report = check_parser(adapter(name), max_examples=30, select=UNTIMED)
    bad = [r.check.id for r in report.results if r.status in (Status.FAILED, Status.WARNED)]
    assert bad == []
    assert len(report.results) == len(parser_checks()) - 1
    if name == "LENIENT":
        assert {r.check.id for r in report.results if r.status is Status.LENIENT} >= {
            "PARSE-LIST-5",
            "PARSE-DATE-2",
        }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["CORRECT", "LENIENT"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_and_lenient_adapters_never_fail_on_a_large_budget(name: str, seed: int) -> None:
    report = check_parser(adapter(name), max_examples=400, seed=seed, select=UNTIMED)
    bad = [r.check.id for r in report.results if r.status in (Status.FAILED, Status.WARNED)]
    assert bad == []
