"""Tests for etagspec.digest: canonical encoding, digests and ETag values."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import fractions
import itertools
import os
import pathlib
import subprocess
import sys
import uuid
from collections import OrderedDict, namedtuple
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec.digest import (
    DIGEST_LENGTH,
    MAX_AS_IS_LENGTH,
    MAX_DEPTH,
    SAFE_OPAQUE,
    canonical_bytes,
    digest,
    etag_value,
)
from etagspec.errors import EtagspecError, UndigestibleValue

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- #
# Fixture value shared by the golden digests and the cross-process test.  It
# is defined by source text executed in a namespace named "etagspec_fixture",
# so the dataclass and enum get the same qualified name in every process.

FIXTURE_SOURCE = """
import dataclasses, datetime, decimal, enum, fractions, uuid

class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"

@dataclasses.dataclass(frozen=True)
class Revision:
    number: int
    labels: frozenset
    colour: Colour
    parent: object = None

VALUE = {
    "tags": {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"},
    "frozen": frozenset({"x", "y", "z", ("nested", ("tuple", 1))}),
    "by_owner": {"ann": {"r", "w"}, "bob": {"r"}, "cid": set()},
    "nested": (("a", ("b", ("c", ()))), [1, 2.5, None, True]),
    "revision": Revision(
        3, frozenset({"stable", "lts"}), Colour.GREEN, Revision(2, frozenset(), Colour.RED)
    ),
    "updated_at": datetime.datetime(
        2024, 2, 29, 12, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    ),
    "day": datetime.date(2011, 3, 14),
    "price": decimal.Decimal("19.990"),
    "ratio": fractions.Fraction(2, 3),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "blob": b"\\x00\\xffbytes",
    42: "int key",
    ("t", 1): "tuple key",
}
"""

CHILD_SOURCE = """
import sys
from etagspec.digest import digest
ns = {"__name__": "etagspec_fixture"}
exec(sys.argv[1], ns)
print(digest(ns["VALUE"]))
print(",".join(ns["VALUE"]["tags"]))
"""


def _fixture_value() -> object:
    namespace: dict[str, object] = {"__name__": "etagspec_fixture"}
    # dont_inherit: no `from __future__ import annotations` (string annotations
    # would make dataclasses look the module up in sys.modules).
    exec(compile(FIXTURE_SOURCE, "<fixture>", "exec", dont_inherit=True), namespace)
    return namespace["VALUE"]


# Golden digests, computed once.  They pin the encoding scheme: if one of
# these assertions fails, the canonical encoding (or the hashing) changed.
# That invalidates every ETag already handed out, so it must come with a bump
# of etagspec.digest.DIGEST_VERSION, and only then may these be recomputed.
GOLDEN_NONE = "SLzNzsOhrIIrHLDgVyoC26"
GOLDEN_SMALL = "Q_oy1p4IJEf_42nojoYgfo"  # {"b": {1, 2}, "a": [1.5, None]}
GOLDEN_FIXTURE = "HGYGm-s8LArjwDqdhJtMC0"  # _fixture_value()


def test_golden_digests() -> None:
    assert digest(None) == GOLDEN_NONE
    assert digest({"b": {1, 2}, "a": [1.5, None]}) == GOLDEN_SMALL
    assert digest(_fixture_value()) == GOLDEN_FIXTURE


def test_canonical_bytes_layout() -> None:
    # tag, 8-byte big-endian length, payload; containers nest.
    assert canonical_bytes(("ab", 1)) == (
        b"l\x00\x00\x00\x00\x00\x00\x00\x15"
        b"s\x00\x00\x00\x00\x00\x00\x00\x02ab"
        b"i\x00\x00\x00\x00\x00\x00\x00\x01\x01"
    )


def test_same_digest_in_other_processes() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    seeds = ["0", "1", "12345", "random"]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD_SOURCE, FIXTURE_SOURCE],
            env={**env, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in seeds
    ]
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outputs.append(out.split())
    digests = {out[0] for out in outputs}
    assert digests == {digest(_fixture_value())} == {GOLDEN_FIXTURE}
    # The test is only meaningful if set iteration order really differs.
    assert len({out[1] for out in outputs[:3]}) > 1


# --------------------------------------------------------------------------- #
# Strategies


class Suit(enum.Enum):
    HEARTS = 1
    SPADES = "spades"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclasses.dataclass
class Point:
    x: object
    y: object


@dataclasses.dataclass
class Other:
    x: object
    y: object


# Whole-minute offsets: Python compares aware `time`s on minutes only.
timezones = st.builds(
    datetime.timezone,
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda m: datetime.timedelta(minutes=m)
    ),
)

hashable_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**64),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False),
    st.fractions(),
    st.text(),
    st.text(st.characters(categories=["Cs"]), max_size=3),
    st.binary(),
    st.datetimes(),
    st.datetimes(timezones=timezones),
    st.dates(),
    st.times(),
    st.times(timezones=timezones),
    st.timedeltas(),
    st.uuids(),
    st.sampled_from(list(Suit) + list(Level)),
)

scalars = st.one_of(
    hashable_scalars,
    st.binary().map(bytearray),
    st.binary().map(lambda b: memoryview(b)),
)

hashables = st.recursive(
    hashable_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(tuple),
        st.frozensets(inner, max_size=3),
    ),
    max_leaves=6,
)

values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(hashables, inner, max_size=4),
        st.sets(hashables, max_size=4),
        st.frozensets(hashables, max_size=4),
        st.builds(Point, inner, inner),
        st.builds(Other, inner, inner),
    ),
    max_leaves=12,
)

# Values where NaNs (which are unequal to themselves) may appear anywhere.
wild_values = st.one_of(
    values,
    st.floats(),
    st.decimals(),
    st.lists(st.one_of(st.floats(), st.decimals(), scalars), max_size=4),
    st.frozensets(st.floats(), max_size=4),
)


def _key(value: object) -> object:
    """A reference for 'canonically equal': Python equality, made type-aware
    (1, 1.0 and True differ) and treating lists and tuples alike."""
    if isinstance(value, enum.Enum):
        return ("enum", type(value), _key(value.value))
    if dataclasses.is_dataclass(value):
        return (
            "dataclass",
            type(value),
            tuple((f.name, _key(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, list | tuple):
        return ("seq", tuple(_key(item) for item in value))
    if isinstance(value, dict):
        return ("map", frozenset((_key(k), _key(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(_key(item) for item in value))
    if isinstance(value, bytes | bytearray | memoryview):
        return ("bytes", bytes(value))
    if isinstance(value, datetime.datetime):
        return ("naive" if value.utcoffset() is None else "aware", "datetime", value)
    if isinstance(value, datetime.time):
        return ("naive" if value.utcoffset() is None else "aware", "time", value)
    return (type(value), value)


def _scramble(value: object) -> object:
    """An equal value built differently: reversed insertion orders, lists and
    tuples swapped, copies instead of the same objects."""
    if isinstance(value, enum.Enum):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(*(_scramble(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, list):
        return tuple(_scramble(item) for item in value)
    if isinstance(value, tuple):
        return [_scramble(item) for item in value]
    if isinstance(value, dict):
        return {_freeze(_scramble(k)): _scramble(v) for k, v in reversed(value.items())}
    if isinstance(value, set | frozenset):
        return type(value)(_freeze(_scramble(item)) for item in reversed(list(value)))
    if isinstance(value, memoryview):
        return bytearray(value)
    if isinstance(value, bytearray):
        return memoryview(bytes(value))
    return value


def _freeze(value: object) -> object:
    """Back to hashable containers after _scramble (keys must stay hashable)."""
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


# --------------------------------------------------------------------------- #
# Properties


@given(wild_values)
def test_etag_value_is_always_safe(value: object) -> None:
    result = etag_value(value)
    assert SAFE_OPAQUE.fullmatch(result)
    assert 0 < len(result) <= MAX_AS_IS_LENGTH


@given(wild_values)
def test_digest_shape(value: object) -> None:
    result = digest(value)
    assert len(result) == DIGEST_LENGTH
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in result)


@given(values)
def test_equal_values_built_differently_have_equal_digests(value: object) -> None:
    other = _scramble(value)
    assert _key(other) == _key(value)
    assert canonical_bytes(other) == canonical_bytes(value)
    assert digest(other) == digest(value)


@given(st.lists(values, max_size=10))
def test_canonical_bytes_equal_iff_canonically_equal(items: list[object]) -> None:
    encoded = [canonical_bytes(item) for item in items]
    keys = [_key(item) for item in items]
    for i, j in itertools.combinations(range(len(items)), 2):
        assert (encoded[i] == encoded[j]) == (keys[i] == keys[j]), (items[i], items[j])


@given(st.lists(hashables, max_size=8, unique=True))
def test_distinct_keys_make_distinct_containers(items: list[object]) -> None:
    # Splitting the same items differently between two halves must show.
    cuts = range(len(items) + 1)
    splits = {canonical_bytes((items[:cut], items[cut:])) for cut in cuts}
    subsets = {canonical_bytes(frozenset(items[:cut])) for cut in cuts}
    assert len(splits | subsets) == 2 * len(cuts)


@given(st.from_regex(r"[A-Za-z0-9._~+/=:-]{1,64}", fullmatch=True))
def test_safe_short_strings_are_used_as_is(text: str) -> None:
    assert etag_value(text) == text


@given(st.integers(min_value=-(10**62), max_value=10**63))
def test_ints_are_used_as_is(number: int) -> None:
    assert etag_value(number) == str(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_finite_floats_are_used_as_is(number: float) -> None:
    assert etag_value(number) == str(number)


@given(st.text(min_size=1).filter(lambda s: not SAFE_OPAQUE.fullmatch(s)))
def test_unsafe_strings_are_digested(text: str) -> None:
    assert etag_value(text) == digest(text)


# --------------------------------------------------------------------------- #
# Examples and decisions


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, "7"),
        (-12, "-12"),
        (0, "0"),
        (10**63, str(10**63)),
        (1.5, "1.5"),
        (1e100, "1e+100"),
        (-0.0, "-0.0"),
        (decimal.Decimal("19.990"), "19.990"),
        (decimal.Decimal("1E+2"), "1E+2"),
        ("r1089", "r1089"),
        ("v1.2.3-rc.1+build~5", "v1.2.3-rc.1+build~5"),
        ("sha256:Zm9v/YmFy==", "sha256:Zm9v/YmFy=="),
        ("x" * MAX_AS_IS_LENGTH, "x" * MAX_AS_IS_LENGTH),
    ],
)
def test_etag_value_as_is(value: object, expected: str) -> None:
    result = etag_value(value)
    assert result == expected
    assert type(result) is str


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        Level.LOW,
        Suit.HEARTS,
        10**64,
        -(10**64),
        float("inf"),
        float("nan"),
        decimal.Decimal("NaN"),
        decimal.Decimal("sNaN"),
        decimal.Decimal("-Infinity"),
        decimal.Decimal("1." + "0" * 70),
        fractions.Fraction(1, 3),
        "",
        "x" * (MAX_AS_IS_LENGTH + 1),
        "whoa nelly!",
        'say "hi"',
        "back\\slash",
        "a,b",
        "café",
        "line\n",
        "\ud800",
        b"r1089",
        bytearray(b"r1089"),
        ("r1089",),
        {"r": 1089},
        datetime.date(2011, 3, 14),
        uuid.UUID(int=5),
    ],
)
def test_etag_value_digests(value: object) -> None:
    assert etag_value(value) == digest(value)


class MyStr(str):
    def __str__(self) -> str:
        return "overridden"


class MyInt(int):
    def __repr__(self) -> str:
        return "overridden"

    __str__ = __repr__


class MyFloat(float):
    pass


def test_subclasses_encode_as_their_base_type() -> None:
    assert canonical_bytes(MyStr("abc")) == canonical_bytes("abc")
    assert canonical_bytes(MyInt(5)) == canonical_bytes(5)
    assert canonical_bytes(MyFloat(2.5)) == canonical_bytes(2.5)
    assert canonical_bytes(OrderedDict(a=1)) == canonical_bytes({"a": 1})
    pair = namedtuple("pair", "a b")
    assert canonical_bytes(pair(1, 2)) == canonical_bytes((1, 2)) == canonical_bytes([1, 2])
    assert etag_value(MyStr("abc")) == "abc"
    assert type(etag_value(MyStr("abc"))) is str
    assert etag_value(MyInt(5)) == "5"


def test_type_tags_keep_equal_python_values_apart() -> None:
    values = [1, 1.0, True, decimal.Decimal(1), fractions.Fraction(1), "1", b"1", Level.LOW]
    assert len({canonical_bytes(v) for v in values}) == len(values)
    assert canonical_bytes(0) != canonical_bytes(False)
    assert canonical_bytes(("ab", "c")) != canonical_bytes(("a", "bc"))
    assert canonical_bytes([[1], 2]) != canonical_bytes([1, [2]])
    assert canonical_bytes({"a": "b"}) != canonical_bytes(["a", "b"])
    assert canonical_bytes({1, 2}) != canonical_bytes([1, 2])
    assert canonical_bytes(Point(1, 2)) != canonical_bytes(Other(1, 2))
    assert canonical_bytes(Suit.HEARTS) != canonical_bytes(Level.LOW)


def test_normalisations() -> None:
    assert canonical_bytes(-0.0) == canonical_bytes(0.0)
    assert canonical_bytes(float("nan")) == canonical_bytes(-float("nan"))
    assert canonical_bytes(decimal.Decimal("1.0")) == canonical_bytes(decimal.Decimal("1"))
    assert canonical_bytes(decimal.Decimal("100")) == canonical_bytes(decimal.Decimal("1E+2"))
    assert canonical_bytes(decimal.Decimal("-0.00")) == canonical_bytes(decimal.Decimal("0"))
    assert canonical_bytes(decimal.Decimal("NaN")) == canonical_bytes(decimal.Decimal("-sNaN7"))
    assert canonical_bytes(decimal.Decimal("Inf")) != canonical_bytes(decimal.Decimal("-Inf"))
    # No digit is lost to the decimal context's 28-digit precision.
    long = "1." + "0" * 40 + "1"
    assert canonical_bytes(decimal.Decimal(long)) != canonical_bytes(decimal.Decimal(1))
    assert canonical_bytes({1, 2}) == canonical_bytes(frozenset({2, 1}))
    assert canonical_bytes(b"ab") == canonical_bytes(bytearray(b"ab"))
    assert canonical_bytes(b"ab") == canonical_bytes(memoryview(b"ab"))
    assert canonical_bytes("\ud800") != canonical_bytes("\ud800\udc00")
    assert canonical_bytes("\ud800\udc00") != canonical_bytes("\U00010000")


def test_datetimes() -> None:
    utc = datetime.UTC
    plus2 = datetime.timezone(datetime.timedelta(hours=2))
    instant = datetime.datetime(2024, 1, 1, 12, tzinfo=utc)
    assert canonical_bytes(instant) == canonical_bytes(instant.astimezone(plus2))
    assert canonical_bytes(instant) != canonical_bytes(instant.replace(tzinfo=None))
    assert canonical_bytes(instant.replace(tzinfo=None)) != canonical_bytes(
        instant.replace(tzinfo=None, microsecond=1)
    )
    assert canonical_bytes(instant.date()) != canonical_bytes(instant.replace(tzinfo=None))
    assert canonical_bytes(datetime.time(12)) != canonical_bytes(datetime.time(12, tzinfo=utc))
    assert canonical_bytes(datetime.time(12, tzinfo=utc)) == canonical_bytes(
        datetime.time(14, tzinfo=plus2)
    )
    assert canonical_bytes(datetime.timedelta(days=1)) == canonical_bytes(
        datetime.timedelta(hours=24)
    )
    extremes = [
        datetime.datetime.min,
        datetime.datetime.max,
        datetime.datetime.min.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=23))),
        datetime.datetime.max.replace(tzinfo=datetime.timezone(-datetime.timedelta(hours=23))),
        datetime.timedelta.min,
        datetime.timedelta.max,
    ]
    assert len({canonical_bytes(v) for v in extremes}) == len(extremes)


def test_shared_references_are_not_cycles() -> None:
    shared = [1, 2]
    assert canonical_bytes([shared, shared, {"k": shared}]) == canonical_bytes(
        [[1, 2], [1, 2], {"k": [1, 2]}]
    )


def test_depth_limit() -> None:
    nested: object = 0
    for _ in range(MAX_DEPTH):
        nested = [nested]
    canonical_bytes(nested)
    with pytest.raises(UndigestibleValue, match="nested more than"):
        canonical_bytes([nested])
    for _ in range(10 * sys.getrecursionlimit()):
        nested = (nested,)
    with pytest.raises(UndigestibleValue):
        digest(nested)


# --------------------------------------------------------------------------- #
# Errors


def _generator() -> Iterator[int]:
    yield 1


def _cyclic_list() -> list[object]:
    cycle: list[object] = [1]
    cycle.append([cycle])
    return cycle


def _cyclic_dict() -> dict[str, object]:
    cycle: dict[str, object] = {}
    cycle["self"] = cycle
    return cycle


def _cyclic_dataclass() -> Point:
    point = Point(1, None)
    point.y = point
    return point


@pytest.mark.parametrize(
    ("make", "type_name"),
    [
        (object, "object"),
        (lambda: lambda: None, "function"),
        (lambda: _generator(), "generator"),
        (lambda: [1, {"k": object()}], "object"),
        (lambda: {object(): 1}, "object"),
        (lambda: Point, "type"),
        (lambda: 1j, "complex"),
        (_cyclic_list, "list"),
        (_cyclic_dict, "dict"),
        (_cyclic_dataclass, "Point"),
    ],
)
def test_undigestible_values(make: object, type_name: str) -> None:
    assert callable(make)
    value = make()
    for function in (canonical_bytes, digest, etag_value):
        with pytest.raises(UndigestibleValue) as info:
            function(value)
        assert type_name in str(info.value)
        assert "return a str, bytes, number" in str(info.value)
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, EtagspecError)


def test_error_keeps_the_offending_value() -> None:
    bad = object()
    with pytest.raises(UndigestibleValue) as info:
        digest({"k": [bad]})
    assert info.value.value is bad
    assert issubclass(UndigestibleValue, TypeError)
