"""Adapter for the standard library's ``email.utils`` as an HTTP-date
parser and formatter: ``parsedate_to_datetime`` (a date without zone, or
with ``-0000``, comes back naive and is taken as UTC) and
``formatdate(seconds, usegmt=True)``, the form HTTP asks for (without
``usegmt`` it writes ``-0000``).

    etagspec check-parser conformance/parsers/email_utils_dates.py
"""

from __future__ import annotations

import datetime
from email.utils import formatdate, parsedate_to_datetime

NAME = "email.utils (Python standard library)"


def parse_date(text: str) -> float:
    parsed = parsedate_to_datetime(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.timestamp()


def format_date(seconds: int) -> str:
    return formatdate(seconds, usegmt=True)
