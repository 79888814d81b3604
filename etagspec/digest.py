"""Deterministic digests of revision identifiers, for building entity-tags.

The seed library (Pesto) let an application return "an object identifying the
revision" and turned it into an ETag: numbers and short strings as-is, long
strings through MD5, anything else through ``pickle`` and MD5.  Pickle output
depends on the process (set and dict-of-set ordering follows
``PYTHONHASHSEED``) and on the Python version, so every worker of a deployment
computed a different ETag for the same revision and conditional requests never
matched.  This module replaces it with a canonical encoding that is the same
in every process, on every platform, for every supported Python version.

Three functions:

* :func:`canonical_bytes` -- an injective, type-tagged, length-prefixed byte
  encoding of a value;
* :func:`digest` -- a short URL-safe SHA-256 digest of that encoding;
* :func:`etag_value` -- the seed's rules made RFC 9110-safe: numbers and short
  plain strings as-is, everything else digested.

>>> etag_value(7)
'7'
>>> etag_value('r1089')
'r1089'
>>> len(etag_value('whoa nelly!'))
22
>>> digest({'b': {1, 2}, 'a': [1.5, None]}) == digest({'a': (1.5, None), 'b': {2, 1}})
True

Encoding decisions (part of the scheme; changing any of them changes digests
and requires bumping :data:`DIGEST_VERSION`):

* Every value is ``tag byte + 8-byte big-endian payload length + payload``;
  containers concatenate the encodings of their items, so the encoding is
  prefix-free and injective: ``("ab", "c")`` and ``("a", "bc")`` differ.
* Types are tagged, so values that Python considers equal but that have
  different types encode differently: ``1``, ``1.0``, ``True``,
  ``Decimal(1)``, ``Fraction(1)`` and ``"1"`` are six distinct encodings.
  Within one type, equal values encode identically.
* ``list`` and ``tuple`` are both "sequence" and encode the same (named
  tuples too: the field names are not encoded); ``set`` and ``frozenset`` are
  both "set" and encode the same.
* ``dict`` entries are sorted by the encoding of their keys (then of their
  values), set elements by their encoding, so insertion and hash order do not
  matter.  Set elements with the same encoding count once.
* Subclasses of ``str``, ``int``, ``float``, ``bytes``, ``dict``, ``list``...
  encode as the value of their base type; the subclass is not recorded.
  ``bool`` is never encoded as an ``int``, and :class:`enum.Enum` members
  (including ``IntEnum`` and ``StrEnum``) encode as their enum class's
  ``module.qualname`` plus the encoding of their ``value``.
* ``float``: IEEE 754 binary64, big-endian; ``-0.0`` is normalised to
  ``0.0`` (they are equal); every NaN encodes as the same quiet NaN.
* ``Decimal``: sign, digits with trailing zeros stripped, and exponent, so
  ``Decimal('1.0')`` and ``Decimal('1')`` (equal) encode the same and
  ``-0`` is ``0``; infinities keep their sign; every NaN (quiet or
  signalling, any payload or sign) encodes as the same NaN.  The
  normalisation does not use the decimal context, so no digit is lost.
* ``Fraction``: numerator and denominator (already in lowest terms).
* ``str``: UTF-8 with ``surrogatepass``, so lone surrogates do not fail.
* ``bytes``, ``bytearray`` and ``memoryview`` all encode as their bytes.
* ``datetime``: an aware datetime encodes as the instant (microseconds since
  1970-01-01T00:00Z), so the same instant in two time zones is the same
  value, as in Python; a naive datetime (``utcoffset()`` is ``None``) is
  tagged differently and encodes its wall-clock microseconds since
  0001-01-01T00:00.  ``fold`` is ignored, as it is by ``==``.  ``date``:
  proleptic Gregorian ordinal.  ``time``: microseconds since midnight, minus
  the UTC offset for an aware time (tagged differently from a naive one).
  ``timedelta``: total microseconds.
* ``UUID``: its 16 bytes.
* Dataclass instances: the class's ``module.qualname``, then the name and
  value of every field of :func:`dataclasses.fields`, in field order --
  including ``compare=False`` fields, so that no change of a field can leave
  a stale ETag.  Classes defined in ``__main__`` therefore digest differently
  from the same class imported from its module.

Anything else -- plain objects, functions, generators, classes -- raises
:class:`~etagspec.errors.UndigestibleValue`, as do containers that contain
themselves and values nested deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import enum
import fractions
import hashlib
import math
import re
import struct
import uuid
from collections.abc import Callable

from etagspec.errors import UndigestibleValue
from etagspec.etags import EntityTag

__all__ = [
    "DIGEST_LENGTH",
    "DIGEST_VERSION",
    "MAX_AS_IS_LENGTH",
    "MAX_DEPTH",
    "SAFE_OPAQUE",
    "canonical_bytes",
    "digest",
    "etag_value",
]

#: Prefix hashed before the canonical bytes; bump it whenever the encoding
#: changes so that old and new digests can never be confused.
DIGEST_VERSION = b"etagspec.digest/1\n"

#: Number of characters kept from the URL-safe base64 SHA-256 (132 bits).
DIGEST_LENGTH = 22

#: Strings longer than this are digested by :func:`etag_value`.
MAX_AS_IS_LENGTH = 64

#: Deepest nesting of containers accepted by :func:`canonical_bytes`.
MAX_DEPTH = 200

#: The characters :func:`etag_value` lets through as-is (use ``fullmatch``).
#: All of them are valid ``etagc`` characters and none needs escaping in a
#: URL path segment, a header or a log line.
SAFE_OPAQUE = re.compile(r"[A-Za-z0-9._~+/=:-]+")

_WHAT_TO_RETURN = (
    "return a str, bytes, number, date, UUID, tuple, dict or dataclass of those"
    " — for example a version number or an updated_at timestamp"
)

_LENGTH = struct.Struct(">Q")
_FLOAT = struct.Struct(">d")
_CANONICAL_NAN = b"\x7f\xf8\x00\x00\x00\x00\x00\x00"
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_NAIVE_ORIGIN = datetime.datetime(1, 1, 1)

# One-byte type tags.  Never reuse or renumber one: bump DIGEST_VERSION.
_NONE = b"N"
_BOOL = b"B"
_INT = b"i"
_FLOAT_TAG = b"f"
_DECIMAL = b"d"
_FRACTION = b"q"
_STR = b"s"
_BYTES = b"y"
_AWARE_DATETIME = b"T"
_NAIVE_DATETIME = b"t"
_DATE = b"D"
_AWARE_TIME = b"H"
_NAIVE_TIME = b"h"
_TIMEDELTA = b"r"
_UUID = b"u"
_ENUM = b"e"
_DATACLASS = b"c"
_SEQUENCE = b"l"
_MAPPING = b"m"
_SET = b"S"


def _frame(tag: bytes, payload: bytes) -> bytes:
    return tag + _LENGTH.pack(len(payload)) + payload


def _int_payload(value: int) -> bytes:
    return int.to_bytes(value, (int.bit_length(value) + 8) // 8, "big", signed=True)


def _float_payload(value: float) -> bytes:
    if math.isnan(value):
        return _CANONICAL_NAN
    if value == 0.0:
        value = 0.0  # -0.0 == 0.0
    return _FLOAT.pack(value)


def _decimal_payload(value: decimal.Decimal) -> bytes:
    if value.is_nan():
        return b"NaN"
    if value.is_infinite():
        return b"-Inf" if value.is_signed() else b"+Inf"
    sign, digits, exponent = decimal.Decimal.as_tuple(value)
    assert isinstance(exponent, int)
    stripped = "".join(map(str, digits)).lstrip("0")
    if not stripped:
        return b"0"
    trimmed = stripped.rstrip("0")
    exponent += len(stripped) - len(trimmed)
    return f"{'-' if sign else '+'}{trimmed}E{exponent}".encode("ascii")


def _qualified_name(cls: type) -> bytes:
    return f"{cls.__module__}.{cls.__qualname__}".encode("utf-8", "surrogatepass")


def _micros(delta: datetime.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _type_name(value: object) -> str:
    cls = type(value)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def _scalar(value: object) -> bytes | None:
    """The encoding of a value that contains no other value, or ``None``."""
    if value is None:
        return _frame(_NONE, b"")
    if isinstance(value, bool):
        return _frame(_BOOL, b"\x01" if value else b"\x00")
    if isinstance(value, int):
        return _frame(_INT, _int_payload(value))
    if isinstance(value, float):
        return _frame(_FLOAT_TAG, _float_payload(value))
    if isinstance(value, decimal.Decimal):
        return _frame(_DECIMAL, _decimal_payload(value))
    if isinstance(value, fractions.Fraction):
        return _frame(
            _FRACTION,
            _frame(_INT, _int_payload(value.numerator))
            + _frame(_INT, _int_payload(value.denominator)),
        )
    if isinstance(value, str):
        return _frame(_STR, str.encode(value, "utf-8", "surrogatepass"))
    if isinstance(value, bytes | bytearray):
        return _frame(_BYTES, bytes(value))
    if isinstance(value, memoryview):
        return _frame(_BYTES, value.tobytes())
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            return _frame(_NAIVE_DATETIME, _int_payload(_micros(value - _NAIVE_ORIGIN)))
        return _frame(_AWARE_DATETIME, _int_payload(_micros(value - _EPOCH_UTC)))
    if isinstance(value, datetime.date):
        return _frame(_DATE, _int_payload(value.toordinal()))
    if isinstance(value, datetime.time):
        of_day = _micros(
            datetime.timedelta(
                hours=value.hour,
                minutes=value.minute,
                seconds=value.second,
                microseconds=value.microsecond,
            )
        )
        offset = value.utcoffset()
        if offset is None:
            return _frame(_NAIVE_TIME, _int_payload(of_day))
        return _frame(_AWARE_TIME, _int_payload(of_day - _micros(offset)))
    if isinstance(value, datetime.timedelta):
        return _frame(_TIMEDELTA, _int_payload(_micros(value)))
    if isinstance(value, uuid.UUID):
        return _frame(_UUID, value.bytes)
    return None


class _Encoder:
    """Walks a value depth-first, refusing cycles and excessive depth."""

    def __init__(self) -> None:
        self._path: set[int] = set()  # ids of the containers being encoded
        self._depth = 0

    def encode(self, value: object) -> bytes:
        # Enum members first: IntEnum and StrEnum members are also ints/strs.
        if isinstance(value, enum.Enum):
            return self._nested(value, self._enum)
        scalar = _scalar(value)
        if scalar is not None:
            return scalar
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._nested(value, self._dataclass)
        if isinstance(value, EntityTag):  # a named pair, digested as the dataclass it was
            return self._nested(value, self._entity_tag)
        if isinstance(value, list | tuple):
            return self._nested(value, self._sequence)
        if isinstance(value, dict):
            return self._nested(value, self._mapping)
        if isinstance(value, set | frozenset):
            return self._nested(value, self._set)
        raise UndigestibleValue(
            f"cannot digest a value of type {_type_name(value)}: {_WHAT_TO_RETURN}", value
        )

    def _nested(self, value: object, encode: Callable[[object], bytes]) -> bytes:
        key = id(value)
        if key in self._path:
            raise UndigestibleValue(
                f"cannot digest a {_type_name(value)} that contains itself"
                f" (cyclic reference): {_WHAT_TO_RETURN}",
                value,
            )
        if self._depth >= MAX_DEPTH:
            raise UndigestibleValue(
                f"cannot digest a {_type_name(value)} nested more than {MAX_DEPTH} levels"
                f" deep: {_WHAT_TO_RETURN}",
                value,
            )
        self._path.add(key)
        self._depth += 1
        try:
            return encode(value)
        finally:
            self._depth -= 1
            self._path.discard(key)

    def _enum(self, value: object) -> bytes:
        assert isinstance(value, enum.Enum)
        payload = _frame(_STR, _qualified_name(type(value))) + self.encode(value.value)
        return _frame(_ENUM, payload)

    def _dataclass(self, value: object) -> bytes:
        parts = [_frame(_STR, _qualified_name(type(value)))]
        for field in dataclasses.fields(value):  # type: ignore[arg-type]
            parts.append(_frame(_STR, field.name.encode("utf-8", "surrogatepass")))
            parts.append(self.encode(getattr(value, field.name)))
        return _frame(_DATACLASS, b"".join(parts))

    def _entity_tag(self, value: object) -> bytes:
        assert isinstance(value, EntityTag)
        parts = [_frame(_STR, _qualified_name(EntityTag))]
        for name, field in (("opaque", value.opaque), ("weak", value.weak)):
            parts.append(_frame(_STR, name.encode("ascii")))
            parts.append(self.encode(field))
        return _frame(_DATACLASS, b"".join(parts))

    def _sequence(self, value: object) -> bytes:
        assert isinstance(value, list | tuple)
        return _frame(_SEQUENCE, b"".join([self.encode(item) for item in value]))

    def _mapping(self, value: object) -> bytes:
        assert isinstance(value, dict)
        entries = sorted((self.encode(k), self.encode(v)) for k, v in dict.items(value))
        return _frame(_MAPPING, b"".join(k + v for k, v in entries))

    def _set(self, value: object) -> bytes:
        assert isinstance(value, set | frozenset)
        return _frame(_SET, b"".join(sorted({self.encode(item) for item in value})))


def canonical_bytes(value: object) -> bytes:
    """The canonical, type-tagged, length-prefixed encoding of *value*.

    The encoding is the same in every process and on every platform, and two
    values get the same bytes only if they have the same (canonical) type and
    are equal; see the module documentation for the rules.

    >>> canonical_bytes(("ab", "c")) == canonical_bytes(("a", "bc"))
    False
    >>> len({canonical_bytes(v) for v in (1, 1.0, True, "1")})
    4
    >>> canonical_bytes([1, 2]) == canonical_bytes((1, 2))
    True
    >>> canonical_bytes({"x": 1, "y": 2}) == canonical_bytes({"y": 2, "x": 1})
    True
    >>> canonical_bytes(object())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    etagspec.errors.UndigestibleValue: cannot digest a value of type object: return a str, ...

    :raises UndigestibleValue: for a value (or an item of a container) of an
        unsupported type, a container that contains itself, or nesting deeper
        than :data:`MAX_DEPTH`.
    """
    return _Encoder().encode(value)


def digest(value: object) -> str:
    """A 22-character URL-safe digest of *value*, stable across processes.

    It is the SHA-256 of :data:`DIGEST_VERSION` followed by
    :func:`canonical_bytes`, in URL-safe base64 without padding, truncated to
    :data:`DIGEST_LENGTH` characters (132 bits).  Only ``A-Z a-z 0-9 - _``
    occur.

    >>> d = digest({'b': {1, 2}, 'a': [1.5, None]})
    >>> len(d), d == digest({'a': [1.5, None], 'b': {2, 1}})
    (22, True)
    >>> digest(1) == digest(1.0)
    False

    :raises UndigestibleValue: as :func:`canonical_bytes`.
    """
    hashed = hashlib.sha256(DIGEST_VERSION + canonical_bytes(value)).digest()
    return base64.urlsafe_b64encode(hashed).decode("ascii")[:DIGEST_LENGTH]


def _as_is(text: str) -> str | None:
    if len(text) <= MAX_AS_IS_LENGTH and SAFE_OPAQUE.fullmatch(text):
        return text
    return None


def etag_value(value: object) -> str:
    """The opaque part of an entity-tag for a revision identifier *value*.

    * an ``int`` (not a ``bool``, not an enum member) is used as-is:
      ``str(value)``, unless longer than :data:`MAX_AS_IS_LENGTH` characters;
    * a finite ``float`` or ``Decimal`` is used as ``str(value)`` if that
      text is at most :data:`MAX_AS_IS_LENGTH` characters of
      :data:`SAFE_OPAQUE`;
    * a non-empty ``str`` of at most :data:`MAX_AS_IS_LENGTH` characters of
      :data:`SAFE_OPAQUE` (``A-Z a-z 0-9 - . _ ~ + / = :``) is used as-is;
    * anything else (including ``None``, ``bytes``, containers, longer strings
      and strings with spaces, quotes, backslashes, commas or non-ASCII
      characters) is replaced by its :func:`digest`.

    The as-is rules look at the text, so ``etag_value(1.0) == '1.0'`` while
    ``etag_value(1) == '1'``.  The result always fully matches
    :data:`SAFE_OPAQUE` and never needs escaping inside ``"..."``.

    >>> etag_value(7)
    '7'
    >>> etag_value(-2.5)
    '-2.5'
    >>> etag_value('r1089')
    'r1089'
    >>> etag_value('sha256:Zm9v/YmFy+==')
    'sha256:Zm9v/YmFy+=='
    >>> d = etag_value('whoa nelly!')
    >>> len(d), d == digest('whoa nelly!')
    (22, True)
    >>> etag_value(True) == digest(True)
    True

    :raises UndigestibleValue: as :func:`canonical_bytes`.
    """
    if value.__class__ is str and len(value) <= MAX_AS_IS_LENGTH and SAFE_OPAQUE.fullmatch(value):
        return value  # the commonest revision: a short safe str
    text: str | None = None
    if isinstance(value, enum.Enum | bool):
        pass
    elif isinstance(value, int):
        # Avoid building (and str()'s digit limit on) huge decimal strings.
        if int.bit_length(value) <= 4 * MAX_AS_IS_LENGTH:
            text = _as_is(int.__repr__(value))
    elif isinstance(value, float):
        if math.isfinite(value):
            text = _as_is(float.__repr__(value))
    elif isinstance(value, decimal.Decimal):
        if value.is_finite():
            text = _as_is(decimal.Decimal.__str__(value))
    elif isinstance(value, str) and value:
        text = _as_is(str.__str__(value))
    return digest(value) if text is None else text
