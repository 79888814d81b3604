"""Each published parser finding, reproduced without the harness: a direct
call of the library's own function on the finding's minimal input, and an
assertion of what it returns. ``python conformance/parsers/confirm.py``
runs them all (the campaign's packages installed); the matrix
(``reports/parsers/``) joins them with the harness's findings, one per
(parser, check), and counts a confirmation made on another input than the
finding's as no confirmation.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LEAP_SECOND = "Sat, 31 Dec 2016 23:59:60 GMT"
PLUS_ONE_HOUR = "Sun, 06 Nov 1994 08:49:37 +0100"
SEVEN_FORTY_NINE_UTC = 784108177  # 1994-11-06 07:49:37 UTC, the instant PLUS_ONE_HOUR names


@dataclass(frozen=True)
class Confirmation:
    parser: str
    check: str
    input: Any
    says: str
    run: Callable[[], None]


CONFIRMATIONS: list[Confirmation] = []


def confirms(
    parser: str, check: str, input: Any, says: str
) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(run: Callable[[], None]) -> Callable[[], None]:
        CONFIRMATIONS.append(Confirmation(parser, check, input, says, run))
        return run

    return register


def raises(call: Callable[[], object], error: type[BaseException] = ValueError) -> bool:
    try:
        call()
    except error:
        return True
    return False


def django_setup() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure()


# --- Werkzeug 3.1.9 -------------------------------------------------------------------------


@confirms(
    "werkzeug",
    "PARSE-LIST-3",
    '"a", *',
    "parse_etags('\"a\", *') has star_tag False and contains('*')",
)
def _() -> None:
    from werkzeug.http import parse_etags

    etags = parse_etags('"a", *')
    assert not etags.star_tag and etags.contains("*")


@confirms(
    "werkzeug",
    "PARSE-LIST-4",
    '""',
    "parse_etags('\"\"').as_set() == {None}: the empty tag becomes None",
)
def _() -> None:
    from werkzeug.http import parse_etags

    assert parse_etags('""').as_set() == {None}


@confirms("werkzeug", "PARSE-LIST-5", "W/", "parse_etags('W/').contains('W/') is True")
def _() -> None:
    from werkzeug.http import parse_etags

    assert parse_etags("W/").contains("W/")


@confirms("werkzeug", "PARSE-ETAG-1", 'W/ "a"', "unquote_etag('W/ \"a\"') == (' \"a\"', True)")
def _() -> None:
    from werkzeug.http import unquote_etag

    assert unquote_etag('W/ "a"') == (' "a"', True)


@confirms(
    "werkzeug",
    "FMT-ETAG-1",
    ("a\r\nSet-Cookie: x=1", False),
    "quote_etag('a\\r\\nSet-Cookie: x=1') returns the CR LF inside the quotes",
)
def _() -> None:
    from werkzeug.http import quote_etag

    assert quote_etag("a\r\nSet-Cookie: x=1") == '"a\r\nSet-Cookie: x=1"'


@confirms(
    "werkzeug",
    "FMT-ETAG-2",
    '""',
    "quote_etag('') == '\"\"', and parse_etags('\"\"').as_set() == {None}",
)
def _() -> None:
    from werkzeug.http import parse_etags, quote_etag

    assert quote_etag("") == '""' and parse_etags('""').as_set() == {None}


@confirms("werkzeug", "PARSE-DATE-1", LEAP_SECOND, f"parse_date({LEAP_SECOND!r}) is None")
def _() -> None:
    from werkzeug.http import parse_date

    assert parse_date(LEAP_SECOND) is None


@confirms(
    "werkzeug", "PARSE-DATE-2", PLUS_ONE_HOUR, f"parse_date({PLUS_ONE_HOUR!r}) is 07:49:37 UTC"
)
def _() -> None:
    from werkzeug.http import parse_date

    parsed = parse_date(PLUS_ONE_HOUR)
    assert parsed is not None and parsed.timestamp() == SEVEN_FORTY_NINE_UTC


# --- Django 5.2.19 --------------------------------------------------------------------------


@confirms("django", "PARSE-LIST-1", '"a,b"', "parse_etags('\"a,b\"') == []")
def _() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('"a,b"') == []


@confirms(
    "django",
    "PARSE-LIST-3",
    '"a", *',
    "parse_etags('\"a\", *') == ['\"a\"'] (the * member dropped)",
)
def _() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('"a", *') == ['"a"']


@confirms("django", "PARSE-LIST-4", '"a,b"', "parse_etags('\"a,b\"') == []")
def _() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('"a,b"') == []


@confirms(
    "django",
    "PARSE-LIST-5",
    'x,"","a,b"',
    'parse_etags(\'x,"","a,b"\') == [\'""\'] (the tag "a,b" split in two and dropped)',
)
def _() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('x,"","a,b"') == ['""']


@confirms("django", "FMT-ETAG-1", ('a"b', False), "quote_etag('a\"b') == '\"a\"b\"'")
def _() -> None:
    django_setup()
    from django.utils.http import quote_etag

    assert quote_etag('a"b') == '"a"b"'


@confirms(
    "django", "FMT-ETAG-2", '"a,b"', "quote_etag('a,b') == '\"a,b\"', and parse_etags of it == []"
)
def _() -> None:
    django_setup()
    from django.utils.http import parse_etags, quote_etag

    assert quote_etag("a,b") == '"a,b"' and parse_etags('"a,b"') == []


@confirms(
    "django", "PARSE-DATE-1", LEAP_SECOND, f"parse_http_date({LEAP_SECOND!r}) raises ValueError"
)
def _() -> None:
    django_setup()
    from django.utils.http import parse_http_date

    assert raises(lambda: parse_http_date(LEAP_SECOND))


@confirms(
    "django",
    "PARSE-DATE-2",
    "Sun, 06 Nov 0000 08:49:37 GMT",
    "parse_http_date('Sun, 06 Nov 0000 08:49:37 GMT') is 2000-11-06 08:49:37 UTC",
)
def _() -> None:
    django_setup()
    from django.utils.http import parse_http_date

    assert parse_http_date("Sun, 06 Nov 0000 08:49:37 GMT") == 973500577


# --- WebOb 1.8.11 ----------------------------------------------------------------------------


@confirms(
    "webob",
    "PARSE-LIST-1",
    '"a,a","a"',
    "ETagMatcher.parse('\"a,a\",\"a\"', strong=False).etags == ['a,a'] "
    "(a tag after a comma without a space is lost)",
)
def _() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('"a,a","a"', strong=False).etags == ["a,a"]


@confirms(
    "webob",
    "PARSE-LIST-2",
    '"a\\", "b"',
    'ETagMatcher.parse(\'"a\\\\", "b"\', strong=False).etags == [\'a\\\\", \']',
)
def _() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('"a\\", "b"', strong=False).etags == ['a\\", ']


@confirms("webob", "PARSE-LIST-3", "*, *", "ETagMatcher.parse('*, *').etags == ['*, *']")
def _() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse("*, *").etags == ["*, *"]


@confirms("webob", "PARSE-LIST-4", ",", "ETagMatcher.parse(',').etags == [',']")
def _() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse(",").etags == [","]


@confirms("webob", "PARSE-LIST-5", 'w/"a"', "ETagMatcher.parse('w/\"a\"').etags == ['w/\"a\"']")
def _() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('w/"a"').etags == ['w/"a"']


@confirms(
    "webob",
    "PARSE-ETAG-1",
    'w/"a"',
    "parse_etag_response('w/\"a\"') == 'w/\"a\"' (an invalid tag returned whole)",
)
def _() -> None:
    from webob.descriptors import parse_etag_response

    assert parse_etag_response('w/"a"') == 'w/"a"'


@confirms(
    "webob",
    "FMT-ETAG-1",
    ('a"b', False),
    "serialize_etag_response(('a\"b', True)) == '\"a\\\\\"b\"'",
)
def _() -> None:
    from webob.descriptors import serialize_etag_response

    assert serialize_etag_response(('a"b', True)) == '"a\\"b"'


@confirms("webob", "PARSE-DATE-2", PLUS_ONE_HOUR, f"parse_date({PLUS_ONE_HOUR!r}) is 07:49:37 UTC")
def _() -> None:
    from webob.datetime_utils import parse_date

    assert parse_date(PLUS_ONE_HOUR).timestamp() == SEVEN_FORTY_NINE_UTC


# --- the etag library 1.0.0 ---------------------------------------------------------------


@confirms("etag", "PARSE-LIST-3", "*,", "etag.is_wildcard('*,') is True")
def _() -> None:
    import etag

    assert etag.is_wildcard("*,")


@confirms(
    "etag", "PARSE-LIST-4", "", "etag.parse('') raises ValueError (so does etag.parse(', ,'))"
)
def _() -> None:
    import etag

    assert raises(lambda: etag.parse("")) and raises(lambda: etag.parse(", ,"))


# --- email.utils -----------------------------------------------------------------------------


@confirms(
    "email-utils",
    "PARSE-DATE-1",
    LEAP_SECOND,
    f"parsedate_to_datetime({LEAP_SECOND!r}) raises ValueError",
)
def _() -> None:
    from email.utils import parsedate_to_datetime

    assert raises(lambda: parsedate_to_datetime(LEAP_SECOND))


@confirms(
    "email-utils",
    "PARSE-DATE-2",
    PLUS_ONE_HOUR,
    f"parsedate_to_datetime({PLUS_ONE_HOUR!r}) is 07:49:37 UTC",
)
def _() -> None:
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(PLUS_ONE_HOUR).timestamp() == SEVEN_FORTY_NINE_UTC


# --- etagspec's seed API ------------------------------------------------------------------------


@confirms(
    "seed-api", "PARSE-LIST-2", '"a\\"', "parse_entity_tags('\"a\\\\\"') raises InvalidEntityTag"
)
def _() -> None:
    from etagspec.errors import InvalidEntityTag
    from etagspec.etags import parse_entity_tags

    assert raises(lambda: parse_entity_tags('"a\\"'), InvalidEntityTag)


@confirms(
    "seed-api",
    "PARSE-LIST-3",
    "*",
    "parse_entity_tags('*') == parse_entity_tags('\"*\"') == [(False, '*')]",
)
def _() -> None:
    from etagspec.etags import parse_entity_tags

    assert parse_entity_tags("*") == parse_entity_tags('"*"') == [(False, "*")]


@confirms("seed-api", "PARSE-LIST-4", "*", "parse_entity_tags('*') == [(False, '*')]")
def _() -> None:
    from etagspec.etags import parse_entity_tags

    assert parse_entity_tags("*") == [(False, "*")]


@confirms("seed-api", "PARSE-LIST-5", 'w/"a"', "parse_entity_tags('w/\"a\"') == [(True, 'a')]")
def _() -> None:
    from etagspec.etags import parse_entity_tags

    assert parse_entity_tags('w/"a"') == [(True, "a")]


def main() -> int:
    failed = 0
    for confirmation in CONFIRMATIONS:
        try:
            confirmation.run()
        except Exception as error:
            failed += 1
            print(f"NOT CONFIRMED {confirmation.parser} {confirmation.check}: {error!r}")
        else:
            print(f"confirmed {confirmation.parser} {confirmation.check}: {confirmation.says}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
