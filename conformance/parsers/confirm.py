"""Each published parser finding, reproduced without the harness: a direct
call of the library's own function and an assertion of what it returns.
``python conformance/parsers/confirm.py`` runs them all (the campaign's
packages installed); the matrix (``reports/parsers/``) joins them with the
harness's findings, one per (parser, check).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Confirmation:
    parser: str
    check: str
    says: str
    run: Callable[[], None]


def raises(call: Callable[[], object], error: type[BaseException] = ValueError) -> bool:
    try:
        call()
    except error:
        return True
    return False


# --- Werkzeug ---------------------------------------------------------------------------


def werkzeug_empty_tag_is_none() -> None:
    from werkzeug.http import parse_etags

    assert parse_etags('"",","').as_set() == {None, ","}
    assert parse_etags('""').as_set() == {None}


def werkzeug_star_in_list() -> None:
    from werkzeug.http import parse_etags

    etags = parse_etags('"a", *')
    assert not etags.star_tag and etags.contains("*")


def werkzeug_reads_bare_prefix() -> None:
    from werkzeug.http import parse_etags

    assert parse_etags("W/").contains("W/")


def werkzeug_quotes_crlf() -> None:
    from werkzeug.http import quote_etag

    assert quote_etag("a\r\nSet-Cookie: x=1") == '"a\r\nSet-Cookie: x=1"'


def werkzeug_space_after_prefix() -> None:
    from werkzeug.http import unquote_etag

    assert unquote_etag('W/ "a"') == (' "a"', True)


def werkzeug_leap_second() -> None:
    from werkzeug.http import parse_date

    assert parse_date("Sat, 31 Dec 2016 23:59:60 GMT") is None


def werkzeug_numeric_zone() -> None:
    from werkzeug.http import parse_date

    parsed = parse_date("Sun, 06 Nov 1994 08:49:37 +0100")
    assert parsed is not None and parsed.timestamp() == 784108177


# --- Django -------------------------------------------------------------------------------


def django_setup() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure()


def django_comma() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('"a,b"') == []
    assert parse_etags('",\\"') == []


def django_salvage() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('"a", *') == ['"a"']


def django_splits_members() -> None:
    django_setup()
    from django.utils.http import parse_etags

    assert parse_etags('x,"",","') == ['""']


def django_quote() -> None:
    django_setup()
    from django.utils.http import quote_etag

    assert quote_etag('a"b') == '"a"b"'


def django_leap_second() -> None:
    django_setup()
    from django.utils.http import parse_http_date

    assert raises(lambda: parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT"))


def django_year_zero() -> None:
    django_setup()
    from django.utils.http import parse_http_date

    assert parse_http_date("Sun, 06 Nov 0000 08:49:37 GMT") == 973500577  # 2000-11-06


# --- WebOb --------------------------------------------------------------------------------


def webob_drops_touching_tag() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('",",""', strong=False).etags == [","]


def webob_backslash() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('"a\\", "b"', strong=False).etags == ['a\\", ']


def webob_star_list() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse("*, *").etags == ["*, *"]


def webob_empty_elements() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse(",").etags == [","]


def webob_lowercase_w() -> None:
    from webob.etag import ETagMatcher

    assert ETagMatcher.parse('w/"a"').etags == ['w/"a"']


def webob_invalid_tag_kept() -> None:
    from webob.descriptors import parse_etag_response

    assert parse_etag_response('w/"a"') == 'w/"a"'


def webob_escapes_quote() -> None:
    from webob.descriptors import serialize_etag_response

    assert serialize_etag_response(('a"b', True)) == '"a\\"b"'


def webob_numeric_zone() -> None:
    from webob.datetime_utils import parse_date

    assert parse_date("Sun, 06 Nov 1994 08:49:37 +0100").timestamp() == 784108177


# --- the etag library -----------------------------------------------------------------------


def etag_star_comma() -> None:
    import etag

    assert etag.is_wildcard("*,")


def etag_empty_list() -> None:
    import etag

    assert raises(lambda: etag.parse(""))
    assert raises(lambda: etag.parse(", ,"))


# --- email.utils ------------------------------------------------------------------------------


def email_leap_second() -> None:
    from email.utils import parsedate_to_datetime

    assert raises(lambda: parsedate_to_datetime("Sat, 31 Dec 2016 23:59:60 GMT"))


def email_numeric_zone() -> None:
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime("Sun, 06 Nov 1994 08:49:37 +0100").timestamp() == 784108177


# --- etagspec's seed API ------------------------------------------------------------------------


def seed_unescapes() -> None:
    from etagspec.errors import InvalidEntityTag
    from etagspec.etags import parse_entity_tags

    assert raises(lambda: parse_entity_tags('"a\\"'), InvalidEntityTag)


def seed_star() -> None:
    from etagspec.etags import parse_entity_tags

    assert parse_entity_tags("*") == parse_entity_tags('"*"') == [(False, "*")]


def seed_lowercase_w() -> None:
    from etagspec.etags import parse_entity_tags

    assert parse_entity_tags('w/"a"') == [(True, "a")]


CONFIRMATIONS = [
    Confirmation(
        "werkzeug",
        "PARSE-LIST-1",
        'parse_etags(\'"",","\').as_set() == {None, ","}: the empty tag becomes None',
        werkzeug_empty_tag_is_none,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-LIST-2",
        "parse_etags('\"\"').as_set() == {None}",
        werkzeug_empty_tag_is_none,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-LIST-4",
        "parse_etags('\"\"').as_set() == {None}",
        werkzeug_empty_tag_is_none,
    ),
    Confirmation(
        "werkzeug",
        "FMT-ETAG-2",
        "parse_etags(quote_etag('')).as_set() == {None}",
        werkzeug_empty_tag_is_none,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-LIST-3",
        "parse_etags('\"a\", *') has star_tag False and contains('*') True",
        werkzeug_star_in_list,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-LIST-5",
        "parse_etags('W/').contains('W/') is True",
        werkzeug_reads_bare_prefix,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-ETAG-1",
        "unquote_etag('W/ \"a\"') == (' \"a\"', True)",
        werkzeug_space_after_prefix,
    ),
    Confirmation(
        "werkzeug",
        "FMT-ETAG-1",
        "quote_etag('a\\r\\nSet-Cookie: x=1') returns the CR LF inside quotes",
        werkzeug_quotes_crlf,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-DATE-1",
        "parse_date('Sat, 31 Dec 2016 23:59:60 GMT') is None",
        werkzeug_leap_second,
    ),
    Confirmation(
        "werkzeug",
        "PARSE-DATE-2",
        "parse_date('Sun, 06 Nov 1994 08:49:37 +0100') is 07:49:37 UTC",
        werkzeug_numeric_zone,
    ),
    Confirmation("django", "PARSE-LIST-1", "parse_etags('\"a,b\"') == []", django_comma),
    Confirmation(
        "django",
        "PARSE-LIST-2",
        "parse_etags('\",\\\\\"') == [] (the tag holds a comma)",
        django_comma,
    ),
    Confirmation("django", "PARSE-LIST-4", "parse_etags('\"a,b\"') == []", django_comma),
    Confirmation("django", "FMT-ETAG-2", "parse_etags(quote_etag('a,b')) == []", django_comma),
    Confirmation(
        "django",
        "PARSE-LIST-3",
        "parse_etags('\"a\", *') == ['\"a\"'] (the * member dropped)",
        django_salvage,
    ),
    Confirmation(
        "django",
        "PARSE-LIST-5",
        'parse_etags(\'x,"",","\') == [\'""\'] '
        '(the tag "," split in two and dropped, the rest kept)',
        django_splits_members,
    ),
    Confirmation("django", "FMT-ETAG-1", "quote_etag('a\"b') == '\"a\"b\"'", django_quote),
    Confirmation(
        "django",
        "PARSE-DATE-1",
        "parse_http_date('Sat, 31 Dec 2016 23:59:60 GMT') raises ValueError",
        django_leap_second,
    ),
    Confirmation(
        "django",
        "PARSE-DATE-2",
        "parse_http_date('Sun, 06 Nov 0000 08:49:37 GMT') is 2000-11-06",
        django_year_zero,
    ),
    Confirmation(
        "webob",
        "PARSE-LIST-1",
        "ETagMatcher.parse('\",\",\"\"', strong=False).etags == [','] "
        "(the tag after a comma without space is lost)",
        webob_drops_touching_tag,
    ),
    Confirmation(
        "webob",
        "PARSE-LIST-2",
        'ETagMatcher.parse(\'"a\\\\", "b"\', strong=False).etags == [\'a\\\\", \']',
        webob_backslash,
    ),
    Confirmation(
        "webob", "PARSE-LIST-3", "ETagMatcher.parse('*, *').etags == ['*, *']", webob_star_list
    ),
    Confirmation(
        "webob", "PARSE-LIST-4", "ETagMatcher.parse(',').etags == [',']", webob_empty_elements
    ),
    Confirmation(
        "webob",
        "PARSE-LIST-5",
        "ETagMatcher.parse('w/\"a\"').etags == ['w/\"a\"']",
        webob_lowercase_w,
    ),
    Confirmation(
        "webob",
        "PARSE-ETAG-1",
        "parse_etag_response('w/\"a\"') == 'w/\"a\"' (an invalid tag returned whole)",
        webob_invalid_tag_kept,
    ),
    Confirmation(
        "webob",
        "FMT-ETAG-1",
        "serialize_etag_response(('a\"b', True)) == '\"a\\\\\"b\"'",
        webob_escapes_quote,
    ),
    Confirmation(
        "webob",
        "PARSE-DATE-2",
        "parse_date('Sun, 06 Nov 1994 08:49:37 +0100') is 07:49:37 UTC",
        webob_numeric_zone,
    ),
    Confirmation("etag", "PARSE-LIST-3", "etag.is_wildcard('*,') is True", etag_star_comma),
    Confirmation(
        "etag",
        "PARSE-LIST-4",
        "etag.parse('') and etag.parse(', ,') raise ValueError",
        etag_empty_list,
    ),
    Confirmation(
        "email-utils",
        "PARSE-DATE-1",
        "parsedate_to_datetime('Sat, 31 Dec 2016 23:59:60 GMT') raises ValueError",
        email_leap_second,
    ),
    Confirmation(
        "email-utils",
        "PARSE-DATE-2",
        "parsedate_to_datetime('Sun, 06 Nov 1994 08:49:37 +0100') is 07:49:37 UTC",
        email_numeric_zone,
    ),
    Confirmation(
        "seed-api",
        "PARSE-LIST-2",
        "parse_entity_tags('\"a\\\\\"') raises InvalidEntityTag",
        seed_unescapes,
    ),
    Confirmation(
        "seed-api",
        "PARSE-LIST-3",
        "parse_entity_tags('*') == parse_entity_tags('\"*\"') == [(False, '*')]",
        seed_star,
    ),
    Confirmation("seed-api", "PARSE-LIST-4", "parse_entity_tags('*') == [(False, '*')]", seed_star),
    Confirmation(
        "seed-api",
        "PARSE-LIST-5",
        "parse_entity_tags('w/\"a\"') == [(True, 'a')]",
        seed_lowercase_w,
    ),
]


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
