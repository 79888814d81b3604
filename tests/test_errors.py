"""Every error etagspec raises on purpose is an EtagspecError: the
reference's (etagspec.errors) and the harness's, so one ``except`` catches
them all, and each keeps the offending value in ``.value``."""

from __future__ import annotations

import pytest

from etagspec.conformance.campaign import InvalidCampaign
from etagspec.conformance.extra_headers import HeaderOptionError, parse_header_option
from etagspec.conformance.parsers.adapter import AdapterError
from etagspec.conformance.partial import BadPartial
from etagspec.conformance.targets import TargetError
from etagspec.conformance.targets.base import InvalidExchange
from etagspec.errors import EtagspecError, InvalidRange
from etagspec.ranges import parse_range

HARNESS_ERRORS = (InvalidCampaign, HeaderOptionError, AdapterError, BadPartial, TargetError)


@pytest.mark.parametrize("error", [*HARNESS_ERRORS, InvalidExchange], ids=lambda e: e.__name__)
def test_harness_errors_are_rooted_in_etagspec_error(error: type[Exception]) -> None:
    assert issubclass(error, EtagspecError)


@pytest.mark.parametrize("error", [InvalidCampaign, HeaderOptionError, AdapterError, BadPartial])
def test_the_harness_errors_about_bad_input_stay_value_errors(error: type[Exception]) -> None:
    assert issubclass(error, ValueError)


def test_a_bad_header_option_is_caught_as_an_etagspec_error_with_its_value() -> None:
    with pytest.raises(EtagspecError) as raised:
        parse_header_option("no colon here")
    assert raised.value.value == "no colon here"


def test_invalid_range_is_defined_in_errors_and_raised_by_the_range_parser() -> None:
    assert InvalidRange.__module__ == "etagspec.errors"
    with pytest.raises(InvalidRange) as raised:
        parse_range("lines=1-2")
    assert raised.value.value == "lines=1-2"
