"""Cache-Control (RFC 9111 §5.2, RFC 8246, RFC 5861), sans-IO.

The grammar (ABNF-CC-1) is a comma-separated list of directives, each a
token with an optional argument written as a token or a quoted-string::

    Cache-Control   = #cache-directive
    cache-directive = token [ "=" ( token / quoted-string ) ]

:func:`parse_cache_control` follows the recipient form of the list (empty
elements and OWS around commas are allowed, FLD-LIST-2) and is strict about
everything else. Directive names are case-insensitive (CC-2) and are stored
in lower case; arguments are stored unquoted (FLD-QP-1). :class:`CacheControl`
gives typed access to the directives RFC 9111, RFC 8246 and RFC 5861 define
and keeps unknown extensions, in order, with their arguments.

>>> cc = parse_cache_control('max-age="60", No-Cache="Set-Cookie", community="UCI"')
>>> cc.max_age, cc.no_cache, cc.get("community")
(60, ('Set-Cookie',), Directive(name='community', argument='UCI'))
>>> str(cc)
'max-age=60, no-cache="Set-Cookie", community=UCI'
>>> format_cache_control(max_age=3600, public=True, immutable=True)
'max-age=3600, public, immutable'

The SHOULD-level checks on a value a sender wrote are
:mod:`etagspec.cache_control_lint`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from etagspec._abnf import (
    DELTA_SECONDS_RE,
    FIELD_VALUE_RE,
    FIELD_VCHAR,
    OWS_RE,
    PLAIN_QUOTED_STRING,
    TOKEN,
    TOKEN_RE,
)
from etagspec._display import shown
from etagspec._memo import remember
from etagspec.errors import InvalidCacheControl

__all__ = [
    "DELTA_SECONDS_DIRECTIVES",
    "FIELD_NAME_LIST_DIRECTIVES",
    "KNOWN_DIRECTIVES",
    "NO_ARGUMENT_DIRECTIVES",
    "REQUEST_ONLY_DIRECTIVES",
    "RESPONSE_ONLY_DIRECTIVES",
    "CacheControl",
    "Directive",
    "format_cache_control",
    "parse_cache_control",
]

# RFC 9111 §1.2.2 (CC-9): larger delta-seconds are read as 2^31.
_DELTA_SECONDS_LIMIT: Final = 2**31
_DELTA_SECONDS_LIMIT_DIGITS: Final = len(str(_DELTA_SECONDS_LIMIT))

# The directives RFC 9111 §5.2 defines (and RFC 8246's immutable, RFC 5861's
# stale-while-revalidate and stale-if-error), by the argument they take and
# the direction they go in. The one table of them in etagspec.

#: Directives whose argument is delta-seconds.
DELTA_SECONDS_DIRECTIVES: Final = frozenset(
    {"max-age", "max-stale", "min-fresh", "s-maxage", "stale-while-revalidate", "stale-if-error"}
)
#: Delta-seconds directives that need their argument (max-stale alone may
#: appear without it, RFC 9111 §5.2.1.2).
ARGUMENT_REQUIRED_DIRECTIVES: Final = DELTA_SECONDS_DIRECTIVES - {"max-stale"}
#: Directives whose optional argument is a quoted list of field names.
FIELD_NAME_LIST_DIRECTIVES: Final = frozenset({"no-cache", "private"})
#: Directives that take no argument.
NO_ARGUMENT_DIRECTIVES: Final = frozenset(
    {
        "immutable",
        "must-revalidate",
        "must-understand",
        "no-store",
        "no-transform",
        "only-if-cached",
        "proxy-revalidate",
        "public",
    }
)
#: Directives defined for requests only.
REQUEST_ONLY_DIRECTIVES: Final = frozenset({"max-stale", "min-fresh", "only-if-cached"})
#: Directives defined for responses only.
RESPONSE_ONLY_DIRECTIVES: Final = frozenset(
    {
        "immutable",
        "must-revalidate",
        "must-understand",
        "private",
        "proxy-revalidate",
        "public",
        "s-maxage",
        "stale-while-revalidate",
    }
)

#: Every directive with a meaning of its own (others are extensions).
KNOWN_DIRECTIVES: Final = (
    DELTA_SECONDS_DIRECTIVES | FIELD_NAME_LIST_DIRECTIVES | NO_ARGUMENT_DIRECTIVES
)

_EXAMPLE: Final = "'max-age=3600, public'"

# The grammar pieces (tchar, token, quoted-string, OWS, delta-seconds) are
# etagspec._abnf's. PLAIN_QUOTED_STRING is only DQUOTE *qdtext DQUOTE: a
# quoted-string with a backslash is delimited by _closing_quote() and
# checked with _UNSENDABLE_RE instead.
# #cache-directive, recipient form: [ element ] *( OWS "," OWS [ element ] )
# What follows an element: OWS, then "," with any further OWS and empty
# elements, or the end of the value.
_AFTER_ELEMENT: Final = r"[ \t]*(?:,[ \t,]*|\Z)"
_AFTER_ELEMENT_RE: Final = re.compile(_AFTER_ELEMENT)
# cache-directive = token [ "=" ( token / quoted-string ) ], then _AFTER_ELEMENT
_ELEMENT_RE: Final = re.compile(
    f"({TOKEN})(?:=(?:({TOKEN})|{PLAIN_QUOTED_STRING}))?{_AFTER_ELEMENT}"
)
# token "=" DQUOTE: the start of a cache-directive with a quoted-string argument
_QUOTED_ARGUMENT_START_RE: Final = re.compile(f'({TOKEN})="')
# The OWS and empty elements before the first element.
_LEADING_SEPARATORS_RE: Final = re.compile(r"[ \t,]*")
# a character that is not HTAB / SP / VCHAR / obs-text
_UNSENDABLE_RE: Final = re.compile(f"[^\\t\\x20{FIELD_VCHAR}]")


@dataclass(frozen=True)
class Directive:
    """One cache-directive: a lower-cased name and its unquoted argument.

    The name must be a token; the argument, if any, must be sendable as a
    token or quoted-string, so CR, LF, NUL, other controls except HTAB, and
    characters above U+00FF raise InvalidCacheControl.

    >>> Directive("Max-Age", "60")
    Directive(name='max-age', argument='60')
    >>> str(Directive("community", "UCI Irvine"))
    'community="UCI Irvine"'
    >>> Directive("x-evil", "1\\r\\nSet-Cookie: a=b")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidCacheControl: '1\\r\\nSet-Cookie: a=b' cannot be ...
    """

    name: str
    argument: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"a directive name must be a str, not {type(self.name).__name__}")
        if TOKEN_RE.fullmatch(self.name) is None:
            raise InvalidCacheControl(
                f"{shown(self.name)} is not a valid directive name: "
                "it must be a token such as 'max-age' or 'no-store'",
                self.name,
            )
        object.__setattr__(self, "name", self.name.lower())
        if self.argument is None:
            return
        if not isinstance(self.argument, str):
            raise TypeError(
                f"a directive argument must be a str or None, not {type(self.argument).__name__}"
            )
        if FIELD_VALUE_RE.fullmatch(self.argument) is None:
            raise InvalidCacheControl(
                f"{shown(self.argument)} cannot be the argument of {self.name}: "
                "only HTAB, SP, visible ASCII and U+0080-U+00FF can be sent",
                self.argument,
            )

    def __str__(self) -> str:
        """The directive as a sender writes it (see :meth:`CacheControl.__str__`)."""
        if self.argument is None:
            return self.name
        if self.name in FIELD_NAME_LIST_DIRECTIVES or TOKEN_RE.fullmatch(self.argument) is None:
            return f"{self.name}={_quote(self.argument)}"
        return f"{self.name}={self.argument}"


class CacheControl:
    """An immutable, hashable sequence of cache directives.

    Equality compares the directives in order. Typed accessors read the
    first occurrence of a directive (AMB-CC-3) and return None when it is
    absent or its argument is not valid for it (AMB-CC-2, AMB-CC-5). An
    argument on a directive that takes none is ignored (AMB-CC-1).

    >>> cc = CacheControl([Directive("max-age", "3600"), Directive("private")])
    >>> cc.max_age, cc.private, cc.public, "Max-Age" in cc, len(cc)
    (3600, True, False, True, 2)
    >>> cc == parse_cache_control("max-age=3600, private")
    True
    >>> parse_cache_control("max-age=99999999999").max_age
    2147483648
    """

    __slots__ = ("_directives", "_first")

    _directives: tuple[Directive, ...]
    _first: dict[str, Directive]

    def __init__(self, directives: Iterable[Directive] = ()) -> None:
        items = tuple(directives)
        first: dict[str, Directive] = {}
        for item in items:
            if not isinstance(item, Directive):
                raise TypeError(f"expected Directive objects, got {type(item).__name__}")
            first.setdefault(item.name, item)
        object.__setattr__(self, "_directives", items)
        object.__setattr__(self, "_first", first)

    @classmethod
    def from_kwargs(cls, **directives: object) -> CacheControl:
        """Build directives from Python keyword arguments.

        See :func:`format_cache_control` for the accepted values.

        >>> CacheControl.from_kwargs(max_age=0, no_cache=["Set-Cookie"]).no_cache
        ('Set-Cookie',)
        """
        built: dict[str, Directive] = {}
        for python_name, value in directives.items():
            directive = _directive_from_keyword(python_name, value)
            if directive is None:
                continue
            if directive.name in built:
                raise InvalidCacheControl(
                    f"{python_name!r} repeats the directive {directive.name}; give it once",
                    python_name,
                )
            built[directive.name] = directive
        return cls(built.values())

    # -- the sequence ------------------------------------------------------

    @property
    def directives(self) -> tuple[Directive, ...]:
        """All directives, in order, duplicates included."""
        return self._directives

    def __iter__(self) -> Iterator[Directive]:
        return iter(self._directives)

    def __len__(self) -> int:
        return len(self._directives)

    def __contains__(self, name: object) -> bool:
        """Whether a directive of that name is present (case-insensitive)."""
        return isinstance(name, str) and name.lower() in self._first

    def get(self, name: str) -> Directive | None:
        """The first directive called ``name`` (case-insensitive), or None."""
        return self._first.get(name.lower())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CacheControl):
            return NotImplemented
        return self._directives == other._directives

    def __hash__(self) -> int:
        return hash(self._directives)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("CacheControl is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("CacheControl is immutable")

    def __reduce__(self) -> tuple[type[CacheControl], tuple[tuple[Directive, ...]]]:
        return (type(self), (self._directives,))

    def __repr__(self) -> str:
        return f"CacheControl({list(self._directives)!r})"

    def __str__(self) -> str:
        """The field value a sender writes: directives joined by ``", "``.

        delta-seconds and other token arguments are written as tokens;
        no-cache and private field-name lists always as a quoted-string
        (CC-RES-10, CC-RES-16); any other argument as a quoted-string that
        escapes only DQUOTE and backslash (FLD-QP-2).

        >>> str(CacheControl([Directive("private", "Set-Cookie"), Directive("x", 'a "b"')]))
        'private="Set-Cookie", x="a \\\\"b\\\\""'
        """
        return ", ".join(str(directive) for directive in self._directives)

    # -- delta-seconds -----------------------------------------------------

    @property
    def max_age(self) -> int | None:
        """``max-age`` in seconds (request and response)."""
        return self._delta_seconds("max-age")

    @property
    def s_maxage(self) -> int | None:
        """``s-maxage`` in seconds (response)."""
        return self._delta_seconds("s-maxage")

    @property
    def min_fresh(self) -> int | None:
        """``min-fresh`` in seconds (request)."""
        return self._delta_seconds("min-fresh")

    @property
    def stale_while_revalidate(self) -> int | None:
        """``stale-while-revalidate`` in seconds (RFC 5861, response)."""
        return self._delta_seconds("stale-while-revalidate")

    @property
    def stale_if_error(self) -> int | None:
        """``stale-if-error`` in seconds (RFC 5861, request and response)."""
        return self._delta_seconds("stale-if-error")

    @property
    def max_stale(self) -> int | bool | None:
        """``max-stale`` (request): seconds, True when given without an
        argument (any staleness), None when absent or invalid."""
        directive = self._first.get("max-stale")
        if directive is None:
            return None
        if directive.argument is None:
            return True
        return _delta_seconds(directive.argument)

    def _delta_seconds(self, name: str) -> int | None:
        directive = self._first.get(name)
        return None if directive is None else _delta_seconds(directive.argument)

    # -- field-name lists --------------------------------------------------

    @property
    def no_cache(self) -> bool | tuple[str, ...]:
        """False when absent; the field names of a qualified ``no-cache``;
        True otherwise (bare, ``=""`` per AMB-CC-4, or an invalid list)."""
        return self._field_names("no-cache")

    @property
    def private(self) -> bool | tuple[str, ...]:
        """Like :attr:`no_cache`, for ``private``."""
        return self._field_names("private")

    def _field_names(self, name: str) -> bool | tuple[str, ...]:
        directive = self._first.get(name)
        if directive is None:
            return False
        if directive.argument is None:
            return True
        names = field_name_list(directive.argument)
        return names or True

    # -- flags -------------------------------------------------------------

    @property
    def no_store(self) -> bool:
        """``no-store`` is present."""
        return "no-store" in self._first

    @property
    def no_transform(self) -> bool:
        """``no-transform`` is present."""
        return "no-transform" in self._first

    @property
    def only_if_cached(self) -> bool:
        """``only-if-cached`` is present (request)."""
        return "only-if-cached" in self._first

    @property
    def must_revalidate(self) -> bool:
        """``must-revalidate`` is present (response)."""
        return "must-revalidate" in self._first

    @property
    def must_understand(self) -> bool:
        """``must-understand`` is present (response)."""
        return "must-understand" in self._first

    @property
    def proxy_revalidate(self) -> bool:
        """``proxy-revalidate`` is present (response)."""
        return "proxy-revalidate" in self._first

    @property
    def public(self) -> bool:
        """``public`` is present (response)."""
        return "public" in self._first

    @property
    def immutable(self) -> bool:
        """``immutable`` is present (RFC 8246, response)."""
        return "immutable" in self._first


def parse_cache_control(text: str) -> CacheControl:
    """Parse a Cache-Control field value (recipient list form).

    Runs in time linear in ``len(text)``. Raises InvalidCacheControl when
    ``text`` is not a list of cache-directives.

    >>> parse_cache_control(" , ,MAX-AGE=5,  public ,").directives
    (Directive(name='max-age', argument='5'), Directive(name='public', argument=None))
    >>> parse_cache_control('no-cache="Set-Cookie, X-\\\\Foo"').get("no-cache").argument
    'Set-Cookie, X-Foo'
    >>> parse_cache_control("max-age=5 6")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidCacheControl: 'max-age=5 6' is not a valid Cache-Control value: ...
    """
    if text.__class__ is str and len(text) <= _CACHEABLE_LENGTH:
        cached = _PARSED.get(text)
        if cached is None:
            cached = remember(_PARSED, text, _parse_uncached(text))
        return cached
    return _parse_uncached(text)


# Valid values already parsed, by their exact text (a server sends a handful
# of distinct Cache-Control values; see etagspec._memo). CacheControl is
# immutable, so parses can be shared. Only short values are kept.
_CACHEABLE_LENGTH: Final = 1024
_PARSED: dict[str, CacheControl] = {}


def _parse_uncached(text: str) -> CacheControl:
    """:func:`parse_cache_control` without the cache."""
    return CacheControl(directive for directive, _ in scan_directives(text))


def format_cache_control(**directives: object) -> str:
    """Write a Cache-Control value from Python keyword arguments.

    ``_`` in a name becomes ``-``. ``True`` sends the bare directive;
    ``False`` and ``None`` leave it out. delta-seconds directives (max-age,
    s-maxage, min-fresh, max-stale, stale-while-revalidate, stale-if-error)
    take an int >= 0 (max-stale also True). no-cache and private take True,
    a field name or a sequence of field names (an empty sequence means the
    bare directive). Directives without arguments (no-store, public,
    immutable, ...) take only a bool. Extension directives take True, a str
    or an int >= 0. Anything else, a name that is not a token, a directive
    given twice, or a value containing characters that cannot be sent
    (CR, LF, NUL, ...) raises InvalidCacheControl.

    >>> format_cache_control(max_age=3600, no_cache=True, immutable=True)
    'max-age=3600, no-cache, immutable'
    >>> format_cache_control(private=["Set-Cookie", "X-Foo"], stale_while_revalidate=60)
    'private="Set-Cookie, X-Foo", stale-while-revalidate=60'
    >>> format_cache_control(max_age=-1)
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidCacheControl: max-age needs delta-seconds (an int >= 0), not -1
    """
    return str(CacheControl.from_kwargs(**directives))


# ---- parsing ------------------------------------------------------------------


def scan_directives(text: str) -> list[tuple[Directive, bool]]:
    """Each directive with whether its argument was a quoted-string."""
    if not isinstance(text, str):
        raise TypeError(f"a Cache-Control value must be a str, not {type(text).__name__}")
    end = len(text)
    leading = _LEADING_SEPARATORS_RE.match(text)
    position = 0 if leading is None else leading.end()
    scanned: list[tuple[Directive, bool]] = []
    while position < end:
        match = _ELEMENT_RE.match(text, position)
        if match is None:
            position = _scan_escaped_element(text, position, scanned)
            continue
        name, token_argument, quoted_argument = match.groups()
        if quoted_argument is None:
            scanned.append((_parsed_directive(name, token_argument), False))
        else:
            scanned.append((_parsed_directive(name, quoted_argument), True))
        position = match.end()
    return scanned


def _scan_escaped_element(text: str, position: int, scanned: list[tuple[Directive, bool]]) -> int:
    """Scan an element whose quoted-string argument has a quoted-pair (or an
    invalid element, which raises); return where the next element starts."""
    start = _QUOTED_ARGUMENT_START_RE.match(text, position)
    if start is None:
        raise _syntax_error_at(text, position)
    closing = _closing_quote(text, start.end())
    if closing < 0:
        raise _syntax_error(text, start.end() - 1, "the quoted-string is never closed")
    content = text[start.end() : closing]
    unsendable = _UNSENDABLE_RE.search(content)
    if unsendable is not None:
        raise _syntax_error(
            text,
            start.end() + unsendable.start(),
            f"a quoted-string cannot contain {unsendable.group()!r}",
        )
    after = _AFTER_ELEMENT_RE.match(text, closing + 1)
    if after is None:
        raise _syntax_error(text, _skip_ows(text, closing + 1), _unexpected(text, closing + 1))
    scanned.append((_parsed_directive(start.group(1), _unquote(content)), True))
    return after.end()


def _closing_quote(text: str, content_start: int) -> int:
    """Index of the DQUOTE that ends a quoted-string, or -1.

    That is the first DQUOTE after an even number of backslashes: in a run of
    backslashes each pair is one quoted-pair, and an odd one out escapes the
    DQUOTE. Each character is looked at a bounded number of times.
    """
    segment_start = content_start
    while True:
        quote = text.find('"', segment_start)
        if quote < 0:
            return -1
        segment = text[segment_start:quote]
        backslashes = len(segment) - len(segment.rstrip("\\"))
        if backslashes % 2 == 0:
            return quote
        segment_start = quote + 1


def _parsed_directive(name: str, argument: str | None) -> Directive:
    """A Directive from text the grammar has already checked.

    Skips the checks in ``Directive.__post_init__``, which the grammar implies:
    a token name, and an argument of HTAB, SP, VCHAR and obs-text only.
    """
    directive = object.__new__(Directive)
    object.__setattr__(directive, "name", name.lower())
    object.__setattr__(directive, "argument", argument)
    return directive


def _syntax_error_at(text: str, position: int) -> InvalidCacheControl:
    """Explain why no element starts at ``position``."""
    name = TOKEN_RE.match(text, position)
    if name is None:
        return _syntax_error(text, position, "expected a directive name (a token)")
    directive_end = name.end()
    if text.startswith("=", directive_end):
        argument = TOKEN_RE.match(text, directive_end + 1)
        if argument is None:
            return _syntax_error(text, directive_end, _unexpected(text, directive_end))
        directive_end = argument.end()
    return _syntax_error(text, _skip_ows(text, directive_end), _unexpected(text, directive_end))


def _skip_ows(text: str, position: int) -> int:
    ows = OWS_RE.match(text, position)
    return position if ows is None else ows.end()


def _unexpected(text: str, position: int) -> str:
    """Why the text after a directive (at ``position``, before OWS) is wrong."""
    at = _skip_ows(text, position)
    found = text[at : at + 1]
    if found == "=":
        return (
            "'=' must be followed directly by a token or a complete quoted-string, "
            "with no spaces around it"
        )
    return f"expected ',' between directives, found {found!r}"


def _unquote(quoted_content: str) -> str:
    """The octets a quoted-string stands for (FLD-QP-1): ``\\X`` becomes ``X``.

    ``quoted_content`` must already be valid, so it holds no NUL: escaped
    backslashes (paired from the left, as the grammar pairs them) are parked
    on NUL while the remaining backslashes, each escaping the next character,
    are dropped.
    """
    if "\\" not in quoted_content:
        return quoted_content
    return quoted_content.replace("\\\\", "\x00").replace("\\", "").replace("\x00", "\\")


def _syntax_error(text: str, position: int, reason: str) -> InvalidCacheControl:
    return InvalidCacheControl(
        f"{shown(text)} is not a valid Cache-Control value: {reason} "
        f"(at position {position}); a valid value looks like {_EXAMPLE}",
        text,
    )


def _delta_seconds(argument: str | None) -> int | None:
    """delta-seconds, clamped to 2^31 (CC-9); None unless ``1*DIGIT``."""
    if argument is None or DELTA_SECONDS_RE.fullmatch(argument) is None:
        return None
    significant = argument.lstrip("0")
    if len(significant) > _DELTA_SECONDS_LIMIT_DIGITS:
        return _DELTA_SECONDS_LIMIT
    return min(int(significant or "0"), _DELTA_SECONDS_LIMIT)


def field_name_list(argument: str) -> tuple[str, ...] | None:
    """The names in ``#field-name`` (recipient form), or None if invalid."""
    names: list[str] = []
    for element in argument.split(","):
        name = element.strip(" \t")
        if not name:
            continue
        if TOKEN_RE.fullmatch(name) is None:
            return None
        names.append(name)
    return tuple(names)


# ---- serializing ----------------------------------------------------------------


def _quote(argument: str) -> str:
    """A quoted-string; quoted-pair only for DQUOTE and backslash (FLD-QP-2)."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _directive_from_keyword(python_name: str, value: object) -> Directive | None:
    name = python_name.replace("_", "-").lower()
    if TOKEN_RE.fullmatch(name) is None:
        raise InvalidCacheControl(
            f"{python_name!r} is not a valid directive name: it must become a token "
            "such as 'max-age' once '_' is replaced by '-'",
            python_name,
        )
    if value is None or value is False:
        return None
    if value is True:
        if name in ARGUMENT_REQUIRED_DIRECTIVES:
            raise _bad_keyword(name, value, "delta-seconds (an int >= 0)")
        return Directive(name)
    if name in NO_ARGUMENT_DIRECTIVES:
        raise _bad_keyword(name, value, "no argument; pass True or False")
    if name in DELTA_SECONDS_DIRECTIVES:
        return Directive(name, _delta_seconds_keyword(name, value))
    if name in FIELD_NAME_LIST_DIRECTIVES:
        return Directive(name, _field_names_keyword(name, value))
    return Directive(name, _extension_keyword(name, value))


def _delta_seconds_keyword(name: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    raise _bad_keyword(name, value, "delta-seconds (an int >= 0)")


def _field_names_keyword(name: str, value: object) -> str | None:
    """The field-name list argument, or None (the bare directive) when empty."""
    if isinstance(value, str):
        names: Sequence[object] = [value]
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        names = value
    else:
        raise _bad_keyword(name, value, "True, a field name or a sequence of field names")
    for field_name in names:
        if not isinstance(field_name, str) or TOKEN_RE.fullmatch(field_name) is None:
            raise _bad_keyword(name, value, "field names that are tokens, such as 'Set-Cookie'")
    return ", ".join(str(field_name) for field_name in names) or None


def _extension_keyword(name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    raise _bad_keyword(name, value, "True, a str or an int >= 0")


def _bad_keyword(name: str, value: object, expected: str) -> InvalidCacheControl:
    return InvalidCacheControl(f"{name} needs {expected}, not {value!r}", value)
