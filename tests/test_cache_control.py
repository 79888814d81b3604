"""Tests for etagspec.cache_control (RFC 9111 §5.2, RFC 8246, RFC 5861; CC-*, AMB-CC-*)."""

from __future__ import annotations

import contextlib
import copy
import gc
import pickle
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec.cache_control import (
    KNOWN_DIRECTIVES,
    CacheControl,
    Directive,
    format_cache_control,
    parse_cache_control,
)
from etagspec.cache_control_lint import LINT_CODES, Problem, lint_cache_control
from etagspec.errors import InvalidCacheControl

TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VCHARS = "".join(chr(code) for code in range(0x21, 0x7F))
OBS_TEXT = "".join(chr(code) for code in range(0x80, 0x100))
SENDABLE = "\t " + VCHARS + OBS_TEXT
QDTEXT = "".join(char for char in SENDABLE if char not in '"\\')
KNOWN_NAMES = [
    "max-age",
    "max-stale",
    "min-fresh",
    "no-cache",
    "no-store",
    "no-transform",
    "only-if-cached",
    "stale-if-error",
    "must-revalidate",
    "must-understand",
    "private",
    "proxy-revalidate",
    "public",
    "s-maxage",
    "immutable",
    "stale-while-revalidate",
]
FORBIDDEN_CONTROLS = ["\r", "\n", "\r\n", "\x00", "\x01", "\x0b", "\x1f", "\x7f"]

tokens = st.text(alphabet=TCHARS, min_size=1, max_size=12)
names = st.one_of(st.sampled_from(KNOWN_NAMES), tokens)
arguments = st.one_of(
    st.none(),
    tokens,
    st.text(alphabet=SENDABLE, max_size=12),
    st.integers(min_value=0, max_value=10**12).map(str),
)
directives = st.builds(Directive, names, arguments)
cache_controls = st.lists(directives, max_size=6).map(CacheControl)

ows = st.text(alphabet=" \t", max_size=2)
quoted_strings = st.lists(
    st.one_of(st.sampled_from(QDTEXT), st.sampled_from(SENDABLE).map(lambda char: "\\" + char)),
    max_size=8,
).map(lambda parts: '"' + "".join(parts) + '"')
element_texts = st.one_of(
    tokens,
    st.tuples(tokens, tokens).map("=".join),
    st.tuples(tokens, quoted_strings).map("=".join),
)
separators = st.tuples(ows, st.text(alphabet=", \t", max_size=3), ows).map(
    lambda parts: parts[0] + "," + parts[1] + parts[2]
)


@st.composite
def cache_control_texts(draw: st.DrawFn) -> str:
    """Valid Cache-Control values in the recipient list form."""
    text = draw(st.text(alphabet=", \t", max_size=3))
    for index, element in enumerate(draw(st.lists(element_texts, max_size=5))):
        if index:
            text += draw(separators)
        text += element
    return text + draw(st.text(alphabet=", \t", max_size=3))


def codes(text: str, *, response: bool = True) -> list[str]:
    return [problem.code for problem in lint_cache_control(text, response=response)]


# ---- parsing known directives --------------------------------------------------


def test_the_directive_table_is_the_rfcs() -> None:
    # RFC 9111 §5.2, RFC 8246 (immutable), RFC 5861: the names etagspec
    # reads with a meaning of their own (etagspec.cache_control's one table).
    assert set(KNOWN_NAMES) == KNOWN_DIRECTIVES


@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    [
        ("max-age=60", "max_age", 60),
        ("s-maxage=0", "s_maxage", 0),
        ("min-fresh=30", "min_fresh", 30),
        ("stale-while-revalidate=86400", "stale_while_revalidate", 86400),
        ("stale-if-error=600", "stale_if_error", 600),
        ("max-stale=120", "max_stale", 120),
        ("max-stale", "max_stale", True),
        ("no-cache", "no_cache", True),
        ('no-cache="Set-Cookie, X-Foo"', "no_cache", ("Set-Cookie", "X-Foo")),
        ("private", "private", True),
        ('private="Authorization"', "private", ("Authorization",)),
        ("no-store", "no_store", True),
        ("no-transform", "no_transform", True),
        ("only-if-cached", "only_if_cached", True),
        ("must-revalidate", "must_revalidate", True),
        ("must-understand", "must_understand", True),
        ("proxy-revalidate", "proxy_revalidate", True),
        ("public", "public", True),
        ("immutable", "immutable", True),
    ],
)
def test_every_known_directive_parses(text: str, attribute: str, expected: object) -> None:
    assert getattr(parse_cache_control(text), attribute) == expected


@pytest.mark.parametrize(
    ("attribute", "absent"),
    [
        ("max_age", None),
        ("s_maxage", None),
        ("min_fresh", None),
        ("stale_while_revalidate", None),
        ("stale_if_error", None),
        ("max_stale", None),
        ("no_cache", False),
        ("private", False),
        ("no_store", False),
        ("no_transform", False),
        ("only_if_cached", False),
        ("must_revalidate", False),
        ("must_understand", False),
        ("proxy_revalidate", False),
        ("public", False),
        ("immutable", False),
    ],
)
def test_absent_directives(attribute: str, absent: object) -> None:
    assert getattr(parse_cache_control("community=UCI"), attribute) == absent


def test_rfc_examples() -> None:
    cc = parse_cache_control("max-age=31536000, immutable")  # RFC 8246 §2.2
    assert (cc.max_age, cc.immutable) == (31536000, True)
    cc = parse_cache_control('private, community="UCI"')  # RFC 9111 §5.2.3
    assert cc.private is True
    assert cc.get("community") == Directive("community", "UCI")
    cc = parse_cache_control("max-age=600, stale-while-revalidate=30")  # RFC 5861 §3
    assert cc.stale_while_revalidate == 30


def test_names_are_case_insensitive_and_stored_lower_case() -> None:
    cc = parse_cache_control("Max-Age=5, NO-STORE, Private")
    assert [directive.name for directive in cc] == ["max-age", "no-store", "private"]
    assert cc.max_age == 5
    assert cc.no_store
    assert "MAX-AGE" in cc
    assert "max-age" in cc
    assert cc.get("PRIVATE") == Directive("private")


def test_arguments_are_case_preserved() -> None:
    assert parse_cache_control("x=AbC").get("x") == Directive("x", "AbC")


def test_quoted_and_unquoted_arguments() -> None:
    cc = parse_cache_control('max-age="5", s-maxage=7, x="a b", y=c')
    assert cc.max_age == 5  # CC-3
    assert cc.s_maxage == 7
    assert cc.get("x") == Directive("x", "a b")
    assert cc.get("y") == Directive("y", "c")


def test_quoted_pairs_are_unescaped() -> None:
    cc = parse_cache_control(r'x="a\"b\\c\d", y=""')
    assert cc.get("x") == Directive("x", 'a"b\\cd')
    assert cc.get("y") == Directive("y", "")


@pytest.mark.parametrize(
    ("text", "arguments"),
    [
        (r'x="a\\"', ["a\\"]),
        (r'x="a\\\"b"', ['a\\"b']),
        (r'x="\"", y="\\"', ['"', "\\"]),
        (r'x="a\"b" , y="c"', ['a"b', "c"]),
        ('x="\\\t\\\xe9"', ["\t\xe9"]),
    ],
)
def test_quoted_pairs_delimit_quoted_strings(text: str, arguments: list[str]) -> None:
    assert [directive.argument for directive in parse_cache_control(text)] == arguments


def test_quoted_strings_may_hold_commas_htab_and_obs_text() -> None:
    cc = parse_cache_control('x="a, b\tc\xe9", y')
    assert cc.directives == (Directive("x", "a, b\tc\xe9"), Directive("y"))


@pytest.mark.parametrize(
    "text",
    [", ,max-age=5,", "max-age=5", " max-age=5 ", ",,,max-age=5,,,", "\t, max-age=5\t,\t"],
)
def test_empty_elements_and_ows_are_skipped(text: str) -> None:
    assert parse_cache_control(text).directives == (Directive("max-age", "5"),)


@pytest.mark.parametrize("text", ["", " ", ",", ", ,", "\t,\t"])
def test_empty_lists(text: str) -> None:
    cc = parse_cache_control(text)
    assert len(cc) == 0
    assert str(cc) == ""


def test_unknown_extensions_are_preserved_in_order() -> None:
    cc = parse_cache_control('foo, max-age=1, bar="x y", foo=2, baz=q')
    assert cc.directives == (
        Directive("foo"),
        Directive("max-age", "1"),
        Directive("bar", "x y"),
        Directive("foo", "2"),
        Directive("baz", "q"),
    )
    assert str(cc) == 'foo, max-age=1, bar="x y", foo=2, baz=q'


@pytest.mark.parametrize(
    "text",
    [
        "max-age=",
        "=5",
        "max-age=5 6",
        "max-age = 5",
        "max-age =5",
        "max-age= 5",
        'x="abc',
        'x="abc\\"',
        'x="a"b',
        "x=a=b",
        '"max-age"',
        "max age",
        "max-age=5;public",
        "max-age=5, public;",
        "max-age=(5)",
        "x=a\rb",
        "max-age=5\r\n",
        "public\r\nSet-Cookie: a=b",
        "public\nX: y",
        "\x00public",
        "public\x7f",
        'x="a\x00"',
        'x="a\nb"',
        'x="a\x7f"',
        'x="\\\x00"',
        'x="Ā"',
        "été",
        "x=été",
        'x="a\\"b"c',
        'x="a\\"b" c',
        'x="a\\"b',
        'x="a\\\\"b"',
        'x="\\\r"',
        'x="\\\x00"',
        'x="\\"\n"',
        'x="a\\"\u0100"',
        "max-age=5,=6",
        "\xa0public",
        "max-age=٥",
    ],
)
def test_invalid_values_are_rejected(text: str) -> None:
    with pytest.raises(InvalidCacheControl) as caught:
        parse_cache_control(text)
    assert caught.value.value == text
    assert repr(text)[:20] in str(caught.value)
    assert "max-age=3600, public" in str(caught.value)


def test_error_messages_point_at_the_problem() -> None:
    with pytest.raises(InvalidCacheControl, match=r"'=' must be followed directly"):
        parse_cache_control("max-age=")
    with pytest.raises(InvalidCacheControl, match=r"expected ',' between directives, found '6'"):
        parse_cache_control("max-age=5 6")
    with pytest.raises(InvalidCacheControl, match=r"expected a directive name"):
        parse_cache_control("=5")


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_cache_control(b"max-age=5")  # type: ignore[arg-type]


# ---- typed accessors ------------------------------------------------------------


@pytest.mark.parametrize(
    "argument",
    ['""', '"-1"', "-1", "1.5", "0x10", '" 5"', '"5 "', "five", '"\xb2"'],
)
def test_invalid_delta_seconds_read_as_none(argument: str) -> None:  # AMB-CC-2, AMB-CC-5
    cc = parse_cache_control(
        f"max-age={argument}, s-maxage={argument}, min-fresh={argument}, "
        f"stale-while-revalidate={argument}, stale-if-error={argument}, max-stale={argument}"
    )
    assert cc.max_age is None
    assert cc.s_maxage is None
    assert cc.min_fresh is None
    assert cc.stale_while_revalidate is None
    assert cc.stale_if_error is None
    assert cc.max_stale is None


def test_missing_delta_seconds_read_as_none() -> None:
    cc = parse_cache_control("max-age, s-maxage, stale-while-revalidate, stale-if-error")
    assert (cc.max_age, cc.s_maxage, cc.stale_while_revalidate, cc.stale_if_error) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("0", 0),
        ("007", 7),
        ("2147483647", 2147483647),
        ("2147483648", 2147483648),
        ("2147483649", 2147483648),
        ("99999999999", 2147483648),
        ("0" * 50 + "12", 12),
        ("9" * 10_000, 2147483648),  # beyond int()'s default digit limit
    ],
)
def test_large_delta_seconds_are_clamped(argument: str, expected: int) -> None:  # CC-9
    assert parse_cache_control(f"max-age={argument}").max_age == expected
    assert parse_cache_control(f'max-stale="{argument}"').max_stale == expected


def test_the_first_occurrence_wins() -> None:  # AMB-CC-3
    cc = parse_cache_control('max-age=5, max-age=10, private="a", private')
    assert cc.max_age == 5
    assert cc.get("max-age") == Directive("max-age", "5")
    assert cc.private == ("a",)
    assert len(cc) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no-cache", True),
        ('no-cache=""', True),  # AMB-CC-4
        ('no-cache=" , "', True),
        ("no-cache=Set-Cookie", ("Set-Cookie",)),
        ('no-cache="Set-Cookie"', ("Set-Cookie",)),
        ('no-cache=" Set-Cookie ,, X-Foo "', ("Set-Cookie", "X-Foo")),
        ('no-cache="not a list"', True),  # invalid: the stricter reading
    ],
)
def test_field_name_lists(text: str, expected: object) -> None:
    assert parse_cache_control(text).no_cache == expected
    assert parse_cache_control(text.replace("no-cache", "private")).private == expected


def test_arguments_on_flag_directives_are_ignored() -> None:  # AMB-CC-1
    cc = parse_cache_control('no-store=1, public="x", immutable=yes')
    assert (cc.no_store, cc.public, cc.immutable) == (True, True, True)


# ---- the CacheControl object ---------------------------------------------------


def test_sequence_protocol() -> None:
    first, second = Directive("max-age", "5"), Directive("public")
    cc = CacheControl([first, second])
    assert list(cc) == [first, second]
    assert cc.directives == (first, second)
    assert len(cc) == 2
    assert "public" in cc
    assert "private" not in cc
    assert 5 not in cc
    assert cc.get("private") is None


def test_equality_and_hashing() -> None:
    one = parse_cache_control("max-age=5, public")
    same = CacheControl([Directive("MAX-AGE", "5"), Directive("public")])
    assert one == same
    assert hash(one) == hash(same)
    assert len({one, same}) == 1
    assert one != parse_cache_control("public, max-age=5")  # order matters
    assert one != "max-age=5, public"


def test_cache_control_is_immutable() -> None:
    cc = parse_cache_control("max-age=5")
    with pytest.raises(AttributeError):
        cc._directives = ()
    with pytest.raises(AttributeError):
        cc.max_age = 6  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del cc._directives
    with pytest.raises(AttributeError):
        Directive("public").name = "private"  # type: ignore[misc]


def test_pickle_and_copy() -> None:
    cc = parse_cache_control('max-age=5, x="a b"')
    assert pickle.loads(pickle.dumps(cc)) == cc
    assert copy.copy(cc) == cc
    assert copy.deepcopy(cc) == cc


def test_repr_rebuilds_the_object() -> None:
    cc = parse_cache_control('max-age=5, x="a b"')
    assert eval(repr(cc), {"CacheControl": CacheControl, "Directive": Directive}) == cc


def test_constructor_rejects_non_directives() -> None:
    with pytest.raises(TypeError):
        CacheControl(["max-age=5"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        CacheControl("max-age=5")  # type: ignore[arg-type]


# ---- serializing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("directives", "expected"),
    [
        ([Directive("max-age", "5")], "max-age=5"),
        ([Directive("no-cache", "Set-Cookie")], 'no-cache="Set-Cookie"'),  # CC-RES-10
        ([Directive("private", "Set-Cookie, X-Foo")], 'private="Set-Cookie, X-Foo"'),
        ([Directive("x", "token")], "x=token"),
        ([Directive("x", "two words")], 'x="two words"'),
        ([Directive("x", "")], 'x=""'),
        ([Directive("x", 'say "hi"')], r'x="say \"hi\""'),
        ([Directive("x", "back\\slash")], r'x="back\\slash"'),
        ([Directive("x", "a/b;c=d")], 'x="a/b;c=d"'),  # only DQUOTE and \ escaped
        ([Directive("x", "tab\there")], 'x="tab\there"'),
        ([Directive("public"), Directive("max-age", "0")], "public, max-age=0"),
    ],
)
def test_str_serializes_for_a_sender(directives: list[Directive], expected: str) -> None:
    assert str(CacheControl(directives)) == expected


def test_quoted_delta_seconds_are_sent_as_tokens() -> None:  # CC-RES-2
    assert str(parse_cache_control('max-age="5", s-maxage="6"')) == "max-age=5, s-maxage=6"


def test_token_field_lists_are_sent_quoted() -> None:  # CC-RES-10, CC-RES-16
    assert str(parse_cache_control("private=Set-Cookie")) == 'private="Set-Cookie"'


@pytest.mark.parametrize("control", FORBIDDEN_CONTROLS)
def test_directives_cannot_carry_control_characters(control: str) -> None:
    with pytest.raises(InvalidCacheControl):
        Directive("x", f"a{control}b")
    with pytest.raises(InvalidCacheControl):
        Directive(f"x{control}")


@pytest.mark.parametrize("name", ["", "max age", "a=b", '"x"', "été", "a,b"])
def test_directive_names_must_be_tokens(name: str) -> None:
    with pytest.raises(InvalidCacheControl):
        Directive(name)


def test_directive_arguments_must_be_latin1() -> None:
    with pytest.raises(InvalidCacheControl):
        Directive("x", "\u0100")
    assert Directive("x", "\xff").argument == "\xff"


def test_directive_types() -> None:
    with pytest.raises(TypeError):
        Directive(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Directive("max-age", 5)  # type: ignore[arg-type]


# ---- properties -----------------------------------------------------------------


@given(cache_controls)
def test_str_then_parse_round_trips(cc: CacheControl) -> None:
    assert parse_cache_control(str(cc)) == cc


@given(cache_control_texts())
def test_parse_is_idempotent_through_str(text: str) -> None:
    parsed = parse_cache_control(text)
    assert parse_cache_control(str(parsed)) == parsed


@given(
    st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0xFF)), cache_control_texts())
)
def test_parse_only_raises_invalid_cache_control(text: str) -> None:
    try:
        parsed = parse_cache_control(text)
    except InvalidCacheControl:
        assert [problem.code for problem in lint_cache_control(text)] == ["syntax"]
        return
    assert parse_cache_control(str(parsed)) == parsed
    assert "syntax" not in {problem.code for problem in lint_cache_control(text)}


# The grammar written directly as one regex (fine for short inputs): the oracle.
REFERENCE_ELEMENT = (
    r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
    r'(?:=(?:[!#$%&\'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]'
    r'|\\[\t\x20-\x7e\x80-\xff])*"))?'
)
REFERENCE_LIST = re.compile(
    rf"[ \t]*(?:{REFERENCE_ELEMENT})?(?:[ \t]*,[ \t]*(?:{REFERENCE_ELEMENT})?)*[ \t]*"
)


@given(
    st.one_of(
        st.text(alphabet='a=", \t\\\r\xe9', max_size=16),
        cache_control_texts(),
        cache_control_texts().map(lambda text: text[: len(text) // 2]),
    )
)
def test_parse_accepts_exactly_the_grammar(text: str) -> None:
    try:
        parse_cache_control(text)
    except InvalidCacheControl:
        assert REFERENCE_LIST.fullmatch(text) is None
    else:
        assert REFERENCE_LIST.fullmatch(text) is not None


@given(cache_controls, st.booleans())
def test_lint_never_raises_and_uses_known_codes(cc: CacheControl, response: bool) -> None:
    problems = lint_cache_control(cc, response=response)
    assert problems == lint_cache_control(str(cc), response=response)
    assert {problem.code for problem in problems} <= set(LINT_CODES)
    assert "syntax" not in {problem.code for problem in problems}


@given(cache_controls)
def test_serialized_values_are_safe_field_values(cc: CacheControl) -> None:
    text = str(cc)
    assert all(char == "\t" or (0x20 <= ord(char) <= 0xFF and ord(char) != 0x7F) for char in text)


# ---- format_cache_control / from_kwargs -----------------------------------------


def test_format_examples() -> None:
    assert (
        format_cache_control(max_age=3600, no_cache=True, private=["Set-Cookie"], immutable=True)
        == 'max-age=3600, no-cache, private="Set-Cookie", immutable'
    )
    assert format_cache_control(stale_while_revalidate=60) == "stale-while-revalidate=60"
    assert format_cache_control(s_maxage=0, must_revalidate=True) == "s-maxage=0, must-revalidate"
    assert format_cache_control(max_stale=True, min_fresh=5) == "max-stale, min-fresh=5"
    assert format_cache_control(no_cache="Set-Cookie") == 'no-cache="Set-Cookie"'
    assert format_cache_control(private=("A", "B")) == 'private="A, B"'
    assert format_cache_control(private=[]) == "private"
    assert format_cache_control(public=False, no_store=None, max_age=0) == "max-age=0"
    assert format_cache_control() == ""


def test_format_extensions() -> None:
    assert format_cache_control(community="UCI") == "community=UCI"
    assert format_cache_control(community="UC Irvine") == 'community="UC Irvine"'
    assert format_cache_control(x_custom=True) == "x-custom"
    assert format_cache_control(x_level=3) == "x-level=3"
    assert format_cache_control(**{"stale-if-error": 10}) == "stale-if-error=10"


def test_from_kwargs_matches_format() -> None:
    cc = CacheControl.from_kwargs(max_age=10, no_cache=["Set-Cookie"], public=True)
    assert cc == parse_cache_control('max-age=10, no-cache="Set-Cookie", public')
    assert str(cc) == format_cache_control(max_age=10, no_cache=["Set-Cookie"], public=True)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_age": -1},
        {"max_age": "3600"},
        {"max_age": 1.5},
        {"max_age": True},
        {"s_maxage": [5]},
        {"max_stale": -5},
        {"stale_while_revalidate": "60"},
        {"no_store": 1},
        {"no_store": "yes"},
        {"public": 0},
        {"immutable": "true"},
        {"must_revalidate": 1.0},
        {"no_cache": 5},
        {"private": {"Set-Cookie": 1}},
        {"private": "Set-Cookie, X-Foo"},
        {"private": ["Set Cookie"]},
        {"private": [5]},
        {"private": b"Set-Cookie"},
        {"community": 1.5},
        {"community": -1},
        {"community": b"x"},
        {"community": ["a"]},
    ],
)
def test_format_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidCacheControl):
        format_cache_control(**kwargs)
    with pytest.raises(InvalidCacheControl):
        CacheControl.from_kwargs(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"community": "UCI\r\nSet-Cookie: session=evil"},
        {"community": "a\nb"},
        {"community": "a\rb"},
        {"community": "a\x00b"},
        {"community": "a\x1bb"},
        {"community": "\u2028"},
        {"no_cache": ["Set-Cookie\r\nX-Evil: 1"]},
        {"private": "X-Foo\n"},
        {"private": ["A", "B\x00"]},
        {"x\r\ny": True},
        {"max age": 5},
        {"": True},
    ],
)
def test_injection_attempts_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidCacheControl):
        format_cache_control(**kwargs)


def test_format_rejects_the_same_directive_twice() -> None:
    with pytest.raises(InvalidCacheControl):
        format_cache_control(max_age=5, **{"max-age": 6})
    with pytest.raises(InvalidCacheControl):
        format_cache_control(public=True, PUBLIC=True)


def test_format_error_messages_show_the_value() -> None:
    with pytest.raises(InvalidCacheControl, match=r"max-age needs delta-seconds .*'3600'"):
        format_cache_control(max_age="3600")
    with pytest.raises(InvalidCacheControl, match=r"no-store needs no argument.*1"):
        format_cache_control(no_store=1)


@given(
    st.integers(min_value=0, max_value=2**40),
    st.lists(tokens, max_size=3),
    st.booleans(),
)
def test_format_output_parses_back(max_age: int, field_names: list[str], public: bool) -> None:
    text = format_cache_control(max_age=max_age, private=field_names, public=public)
    cc = parse_cache_control(text)
    assert cc.max_age == min(max_age, 2**31)
    assert cc.private == (tuple(field_names) or True)
    assert cc.public is public
    assert codes(text) == (["contradiction"] if public else [])


# ---- lint ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "response", "code"),
    [
        ("max-age=", True, "syntax"),
        ("max-age=5 6", True, "syntax"),
        ('max-age="5"', True, "quoted-delta-seconds"),
        ('s-maxage="5"', True, "quoted-delta-seconds"),
        ('stale-while-revalidate="5"', True, "quoted-delta-seconds"),
        ('min-fresh="5"', False, "quoted-delta-seconds"),
        ('max-stale="5"', False, "quoted-delta-seconds"),
        ("max-age", True, "bad-argument"),
        ("max-age=abc", True, "bad-argument"),
        ('max-age="-1"', True, "bad-argument"),
        ("stale-if-error", False, "bad-argument"),
        ("max-stale=x", False, "bad-argument"),
        ('no-cache="a b"', True, "bad-argument"),
        ('private=""', True, "bad-argument"),
        ("no-store=1", True, "unexpected-argument"),
        ('public="x"', True, "unexpected-argument"),
        ("immutable=1", True, "unexpected-argument"),
        ('no-cache="Set-Cookie"', False, "unexpected-argument"),
        ("only-if-cached=1", False, "unexpected-argument"),
        ("no-cache=Set-Cookie", True, "unquoted-field-names"),
        ("private=Set-Cookie", True, "unquoted-field-names"),
        ("max-age=5, max-age=10", True, "duplicate"),
        ("public, PUBLIC", True, "duplicate"),
        ("no-store, max-age=60", True, "contradiction"),
        ("no-store, s-maxage=60", True, "contradiction"),
        ("no-store, public", True, "contradiction"),
        ("no-store, immutable", True, "contradiction"),
        ("public, private", True, "contradiction"),
        ("no-cache, max-age=60, immutable", True, "contradiction"),
        ("only-if-cached", True, "wrong-direction"),
        ("min-fresh=5", True, "wrong-direction"),
        ("max-stale", True, "wrong-direction"),
        ("public", False, "wrong-direction"),
        ("s-maxage=5", False, "wrong-direction"),
        ("immutable", False, "wrong-direction"),
        ("stale-while-revalidate=5", False, "wrong-direction"),
        ("must-understand", True, "must-understand-without-no-store"),
    ],
)
def test_lint_reports(text: str, response: bool, code: str) -> None:
    assert code in codes(text, response=response)


@pytest.mark.parametrize(
    ("text", "response", "code"),
    [
        ("max-age=5", True, "syntax"),
        (", ,max-age=5,", True, "syntax"),
        ("max-age=5", True, "quoted-delta-seconds"),
        ('x="5"', True, "quoted-delta-seconds"),
        ("max-age=0", True, "bad-argument"),
        ("max-stale", False, "bad-argument"),
        ('no-cache="Set-Cookie, X-Foo"', True, "bad-argument"),
        ("x", True, "bad-argument"),
        ("no-store", True, "unexpected-argument"),
        ('no-cache="Set-Cookie"', True, "unexpected-argument"),
        ("x=1", True, "unexpected-argument"),
        ('no-cache="Set-Cookie"', True, "unquoted-field-names"),
        ("no-cache", True, "unquoted-field-names"),
        ("max-age=5, s-maxage=10", True, "duplicate"),
        ("no-store, max-age=0", True, "contradiction"),
        ("no-store, must-understand", True, "contradiction"),
        ("private, max-age=60", True, "contradiction"),
        ("no-store, max-age=60", False, "contradiction"),
        ("max-age=31536000, immutable", True, "contradiction"),
        ("max-age=5, stale-if-error=5, no-cache", True, "wrong-direction"),
        ("max-age=0, no-cache, no-store, stale-if-error=5", False, "wrong-direction"),
        ("only-if-cached, max-stale", False, "wrong-direction"),
        ("must-understand, no-store", True, "must-understand-without-no-store"),
        ("must-understand", False, "must-understand-without-no-store"),
    ],
)
def test_lint_does_not_report(text: str, response: bool, code: str) -> None:
    assert code not in codes(text, response=response)


@pytest.mark.parametrize(
    "text",
    [
        "max-age=3600, public",
        "max-age=31536000, immutable",
        'private, no-cache="Set-Cookie", max-age=0',
        "no-store, must-understand",
        "s-maxage=60, stale-while-revalidate=30, stale-if-error=600",
        "",
    ],
)
def test_clean_values_have_no_problems(text: str) -> None:
    assert lint_cache_control(text) == []


def test_clean_requests_have_no_problems() -> None:
    assert (
        lint_cache_control("max-age=0, no-cache, max-stale, only-if-cached", response=False) == []
    )


def test_syntax_problems_stop_other_checks() -> None:
    problems = lint_cache_control('max-age="5", max-age=')
    assert [problem.code for problem in problems] == ["syntax"]
    assert "max-age=" in problems[0].message


def test_lint_reports_each_duplicate_once() -> None:
    assert codes("public, public, public, max-age=1, max-age=2") == ["duplicate", "duplicate"]


def test_lint_of_an_object_checks_what_str_would_send() -> None:
    cc = parse_cache_control('max-age="5", private=Set-Cookie')
    assert codes('max-age="5", private=Set-Cookie') == [
        "quoted-delta-seconds",
        "unquoted-field-names",
    ]
    assert lint_cache_control(cc) == []


def test_lint_codes_are_stable() -> None:
    assert LINT_CODES == (
        "syntax",
        "quoted-delta-seconds",
        "bad-argument",
        "unexpected-argument",
        "unquoted-field-names",
        "duplicate",
        "contradiction",
        "wrong-direction",
        "must-understand-without-no-store",
    )
    problem = Problem("duplicate", "x")
    assert (problem.code, problem.message) == ("duplicate", "x")


# ---- linear time -------------------------------------------------------------------

MIB = 1 << 20

# name: (prefix, repeated unit, suffix)
ADVERSARIAL_SHAPES = {
    "commas": ("", ",", ""),
    "spaces": ("", " ", ""),
    "comma-spaces": ("", ", ", ""),
    "spaces-between-tokens": ("a", " ", "b"),
    "spaces-before-equals": ("a", " ", "="),
    "backslashes": ('a="', "\\", ""),
    "backslashes-then-quote": ('a="', "\\", '"'),
    "escaped-quotes": ('a="', '\\"', ""),
    "escaped-quotes-closed": ('a="', '\\"', '"'),
    "quotes": ("", '"', ""),
    "quotes-after-equals": ("a=", '"', ""),
    "unterminated-quoted-string": ('a="', "x", ""),
    "quoted-string": ('a="', "x", '"'),
    "token": ("", "a", ""),
    "token-then-equals": ("", "a", "="),
}


@pytest.mark.parametrize("shape", ADVERSARIAL_SHAPES.values(), ids=ADVERSARIAL_SHAPES.keys())
def test_parsing_is_linear_on_long_adversarial_input(shape: tuple[str, str, str]) -> None:
    prefix, unit, suffix = shape
    small = prefix + unit * (MIB // 8 // len(unit)) + suffix
    large = prefix + unit * (MIB // len(unit)) + suffix
    assert _time_parse(large, repeat=2) < 20 * _time_parse(small, repeat=3) + 0.05


def test_parsing_many_elements_is_linear() -> None:
    small, large = "a=1, " * (1 << 11), "a=1, " * (1 << 14)
    assert _time_parse(large, repeat=3) < 20 * _time_parse(small, repeat=3) + 0.05
    assert len(parse_cache_control(small)) == 1 << 11


def _time_parse(text: str, *, repeat: int) -> float:
    """Best CPU time (this thread's) of ``repeat`` parses, without
    garbage-collection pauses."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.thread_time()
            with contextlib.suppress(InvalidCacheControl):
                parse_cache_control(text)
            best = min(best, time.thread_time() - start)
    finally:
        gc.enable()
    return best
