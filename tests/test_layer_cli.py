"""``etagspec check-layer``: exit codes, --list-checks and usage errors."""

from __future__ import annotations

import io

import pytest

from etagspec.cli import main
from etagspec.conformance.layers import layer_checks


def test_the_cli_checks_a_layer() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check-layer", "etagspec.caching:etag_middleware", "--max-examples", "5"], out, err
    )
    assert code == 0, err.getvalue()
    assert "LAYER-COND-1" in out.getvalue()


def test_the_cli_fails_on_a_mutant_and_lists_checks() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-layer", "tests.layer_zoo:DropsETagOn304", "--max-examples", "25"], out, err)
    assert code == 1, err.getvalue()
    listing = io.StringIO()
    assert main(["check-layer", "--list-checks"], listing, err) == 0
    assert all(check.info.id in listing.getvalue() for check in layer_checks())


@pytest.mark.parametrize(
    "argv",
    [
        ["check-layer", "etagspec.caching"],
        ["check-layer", "no_such_module_here:wrap"],
        ["check-layer", "etagspec.caching:etag_middleware", "--select", "COND-IM-1"],
        ["check-layer", "etagspec.caching:etag_middleware", "--max-examples", "0"],
    ],
)
def test_the_cli_says_what_is_wrong_with_its_arguments(argv: list[str]) -> None:
    err = io.StringIO()
    assert main(argv, io.StringIO(), err) == 2
    assert err.getvalue().startswith("etagspec: error:")


def test_check_layer_is_exported_by_the_harness() -> None:
    from etagspec.conformance import check_layer

    report = check_layer("etagspec.caching:etag_middleware", max_examples=3, select=["LAYER-304-1"])
    assert report.exit_code == 0
