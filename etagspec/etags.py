"""Entity tags (RFC 9110 §8.8.3): parse, format and compare.

The strict grammar is RFC 9110's; it is what precondition evaluation uses.
The seed's functions (:func:`parse_entity_tags`, :func:`etags_match`,
:func:`quoted_string`, :func:`make_etag`) keep their documented results for
compatibility, and say where they differ from the strict grammar.

>>> tag = parse_entity_tag('W/"xyzzy"')
>>> tag
EntityTag(opaque='xyzzy', weak=True)
>>> str(tag)
'W/"xyzzy"'
>>> parse_entity_tag_list('"a,b", W/"c" ,,')
(EntityTag(opaque='a,b', weak=False), EntityTag(opaque='c', weak=True))
"""

from __future__ import annotations

import enum
import itertools
import operator
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, Literal

from ._abnf import ENTITY_TAG_LIST_RE, ENTITY_TAG_RE, ETAGC, FIELD_VALUE_RE, OWS_CHARS
from ._memo import remember
from .errors import InvalidEntityTag, InvalidHeaderValue
from .limits import MAX_EMPTY_LIST_ELEMENTS

__all__ = [
    "ANY",
    "EntityTag",
    "EntityTagList",
    "Wildcard",
    "etags_match",
    "format_entity_tag_list",
    "make_etag",
    "parse_entity_tag",
    "parse_entity_tag_list",
    "parse_entity_tags",
    "quoted_string",
    "split_entity_tag_list",
    "strong_match",
    "weak_match",
]

# *etagc: what an EntityTag's opaque value may hold.
_OPAQUE_RE: Final = re.compile(f"[{ETAGC}]*")

# The If-Match / If-None-Match grammar one element at a time, for long
# values (a single match of ENTITY_TAG_LIST_RE keeps backtracking state for
# every repetition, which costs memory in proportion to the value's length):
#   OWS [ entity-tag OWS ] ( "," / end )
_STEP_RE: Final = re.compile(f'[ \\t]*(?:(W/)?"([{ETAGC}]*)"[ \\t]*)?(,|\\Z)')
#: Values longer than this are scanned element by element.
_SINGLE_MATCH_LIMIT: Final = 2048

# What a sender should put in a tag it makes (VAL-ET-5: no backslash;
# LEN-4: no obs-text): etagc without "\" and without 0x80-FF.
_MAKEABLE_RE: Final = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]*")

# Parsed entity-tags, by their exact text (an app sends the same ETag again
# and again; see etagspec._memo). None marks an invalid value. Only values
# up to this length are kept.
_CACHEABLE_LENGTH: Final = 1024
_TAG_CACHE: dict[str, EntityTag | None] = {}


# PARSE-LIST-3: only a whole value * is the wildcard, never a tag.
class Wildcard(enum.Enum):
    """The ``*`` member of If-Match / If-None-Match: "any current representation"."""

    ANY = "*"

    # FMT-ETAG-1, FMT-ETAG-2: only etagc between the quotes, W/ exactly when weak.
    def __str__(self) -> str:
        return "*"


#: The ``*`` field value.
ANY: Final = Wildcard.ANY


class EntityTag(tuple[str, bool]):
    """One entity tag: its opaque value (the text between the quotes, raw,
    never unescaped) and whether it is weak.

    An immutable pair ``(opaque, weak)`` with those two names (a tuple, so
    that a parser can build many at C speed); it equals only another
    EntityTag, never a plain tuple.

    >>> EntityTag("v1")
    EntityTag(opaque='v1', weak=False)
    >>> str(EntityTag("v1", weak=True))
    'W/"v1"'
    >>> EntityTag("v1") == ("v1", False)
    False
    >>> EntityTag('a"b')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidEntityTag: 'a"b' cannot be an opaque-tag: ...
    """

    __slots__ = ()
    __match_args__ = ("opaque", "weak")

    def __new__(cls, opaque: str, weak: bool = False) -> EntityTag:
        if not isinstance(opaque, str) or _OPAQUE_RE.fullmatch(opaque) is None:
            raise InvalidEntityTag(
                f"{opaque!r} cannot be an opaque-tag: RFC 9110 allows only "
                "visible characters other than DQUOTE (and octets 0x80-0xFF)",
                opaque,
            )
        return _new_pair(cls, (opaque, bool(weak)))

    if TYPE_CHECKING:

        @property
        def opaque(self) -> str:
            """The text between the quotes."""

        @property
        def weak(self) -> bool:
            """Whether the tag carries the ``W/`` prefix."""

    else:
        opaque = property(operator.itemgetter(0), doc="The text between the quotes.")
        weak = property(operator.itemgetter(1), doc="Whether the tag carries the W/ prefix.")

    def __repr__(self) -> str:
        return f"EntityTag(opaque={self[0]!r}, weak={self[1]!r})"

    def __str__(self) -> str:
        return f'W/"{self[0]}"' if self[1] else f'"{self[0]}"'

    # Not NotImplemented for other types: a plain tuple would then compare
    # itself with the pair.
    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__ and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return other.__class__ is not self.__class__ or tuple.__ne__(self, other)

    __hash__ = tuple.__hash__

    def __getnewargs__(self) -> tuple[str, bool]:
        return (self[0], self[1])

    @classmethod
    def parse(cls, text: str) -> EntityTag:
        """Same as :func:`parse_entity_tag`."""
        return parse_entity_tag(text)

    def strong_match(self, other: EntityTag) -> bool:
        """RFC 9110 §8.8.3.2 strong comparison (CMP-1; If-Match and If-Range
        use it, CMP-USE-1 and CMP-USE-3): neither is weak and the opaque
        values are identical.

        >>> EntityTag("1").strong_match(EntityTag("1"))
        True
        >>> EntityTag("1", weak=True).strong_match(EntityTag("1", weak=True))
        False
        """
        return not self[1] and not other[1] and self[0] == other[0]

    def weak_match(self, other: EntityTag) -> bool:
        """RFC 9110 §8.8.3.2 weak comparison (CMP-2; If-None-Match uses it,
        CMP-USE-2): the opaque values are identical, whatever the ``W/`` flags.

        >>> EntityTag("1", weak=True).weak_match(EntityTag("1"))
        True
        >>> EntityTag("1").weak_match(EntityTag("2"))
        False
        """
        return self[0] == other[0]


# tuple.__new__(EntityTag, (opaque, weak)): an EntityTag made without
# validation, for opaque values the grammar has already checked.
_new_pair: Final = tuple.__new__
# Endless iterators that map() and zip() pair with a list's opaque values,
# so that long lists build their tags in C rather than in a Python loop
# (never exhausted, so one of each serves every call).
_ENTITY_TAG_CLASS_FOREVER: Final = itertools.repeat(EntityTag)
_STRONG_FOREVER: Final = itertools.repeat(False)
_SLASH_FOREVER: Final = itertools.repeat("/")


#: What an If-Match or If-None-Match field value parses to.
EntityTagList = Literal[Wildcard.ANY] | tuple[EntityTag, ...]


# PARSE-CMP-1: both strong, the same opaque value.
def strong_match(a: EntityTag, b: EntityTag) -> bool:
    """Strong comparison of two entity tags (RFC 9110 §8.8.3.2, Table 3).

    >>> strong_match(parse_entity_tag('W/"1"'), parse_entity_tag('"1"'))
    False
    """
    return a.strong_match(b)


# PARSE-CMP-2: the same opaque value, whatever the W/ prefixes.
def weak_match(a: EntityTag, b: EntityTag) -> bool:
    """Weak comparison of two entity tags (RFC 9110 §8.8.3.2, Table 3).

    >>> weak_match(parse_entity_tag('W/"1"'), parse_entity_tag('"1"'))
    True
    """
    return a.weak_match(b)


# PARSE-ETAG-1: [ W/ ] DQUOTE *etagc DQUOTE, the opaque value raw.
def parse_entity_tag(text: str) -> EntityTag:
    """Parse one ``entity-tag`` (ABNF-ETAG-2; for example an ETag response
    field, ABNF-ETAG-1, or the entity-tag form of If-Range). Surrounding
    SP/HTAB is ignored.

    >>> parse_entity_tag('"xyzzy"')
    EntityTag(opaque='xyzzy', weak=False)
    >>> parse_entity_tag(' W/"" ')
    EntityTag(opaque='', weak=True)
    >>> parse_entity_tag('"a\\\\"')  # a backslash is an ordinary etagc
    EntityTag(opaque='a\\\\', weak=False)
    >>> parse_entity_tag('"a b"')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidEntityTag: '"a b"' is not an entity-tag ...
    """
    if text.__class__ is str and len(text) <= _CACHEABLE_LENGTH:
        tag = _TAG_CACHE.get(text, _UNKNOWN)
        if tag is _UNKNOWN:
            tag = remember(_TAG_CACHE, text, _parse_tag_or_none(text))
    else:
        tag = _parse_tag_or_none(text)
    if tag is not None:
        return tag  # type: ignore[return-value]
    raise InvalidEntityTag(
        f'{text!r} is not an entity-tag (expected "opaque" or W/"opaque", '
        "with no spaces, quotes or control characters inside)",
        text,
    )


def _parse_tag_or_none(text: str) -> EntityTag | None:
    match = ENTITY_TAG_RE.fullmatch(text.strip(OWS_CHARS))
    if match is None:
        return None
    weak, opaque = match.groups()
    return _new_pair(EntityTag, (opaque, weak is not None))


#: _TAG_CACHE lookups tell "never seen" from a cached None (an invalid value) with this.
_UNKNOWN: Final = object()


def parse_entity_tag_list(text: str) -> EntityTagList:
    """Parse an If-Match or If-None-Match field value: ``"*" / #entity-tag``.

    Returns :data:`ANY` for ``*``, else a tuple of tags (possibly empty: the
    list form admits zero members, RFC 9110 §5.6.1.2). Empty elements and
    whitespace around commas are skipped; a comma inside quotes belongs to
    the tag. Any member that is not a valid entity-tag (``*`` inside a list
    included) makes the whole value invalid.

    >>> parse_entity_tag_list(" * ")
    <Wildcard.ANY: '*'>
    >>> parse_entity_tag_list(", ,")
    ()
    >>> parse_entity_tag_list('"a", *')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidEntityTag: '"a", *' is not a valid If-Match / If-None-Match value ...
    """
    # No table of parsed lists: a value never seen before is the usual one.
    # What senders write, [W/]"a", [W/]"b", ... in printable ASCII with one
    # ", " between tags, is read by the shortcuts below, each saying why its
    # checks prove the value valid; anything else is checked against the
    # whole grammar.
    new = _new_pair
    lone = _LONE_STRONG_TAG(text)
    if lone:  # "opaque", the commonest field
        return (new(EntityTag, (lone[0], False)),)
    if text[-1:] != '"':  # not the form senders write (nor, often, valid)
        return _parse_list_by_grammar(text)
    if len(text) > 64 and text[0] == '"' and "/" not in text:
        # Several strong tags: split at the '", "' between them. With a
        # DQUOTE at each end, the value is '"' + '", "'.join(opaques) + '"'
        # and its skeleton (see _ETAGC_ASCII) is a DQUOTE pair per tag with
        # one SP between pairs exactly when every opaque value is etagc.
        opaques = text[1:-1].split('", "')
        if text.isascii() and (
            text.encode().translate(None, _ETAGC_ASCII) == b'""' + b' ""' * (len(opaques) - 1)
        ):
            return tuple(
                map(new, _ENTITY_TAG_CLASS_FOREVER, zip(opaques, _STRONG_FOREVER, strict=False))
            )
    parts = text.split('"')
    # parts alternates separator, opaque, separator, ..., opaque, separator;
    # the last separator is empty (the value ends with a DQUOTE).
    count = len(parts)
    if count == 3:  # one tag
        before, opaque, _ = parts
        # Printable ASCII but SP (DQUOTE was split off) is etagc.
        if before == "W/" and opaque.isascii() and opaque.isprintable() and " " not in opaque:
            return (new(EntityTag, (opaque, True)),)
    elif count == 7:  # three tags: the separators are "" or "W/", then ", " or ", W/" twice
        first, second, third = parts[0], parts[2], parts[4]
        if (
            (not first or first == "W/")
            and (second == ", " or second == ", W/")
            and (third == ", " or third == ", W/")
            # the separators hold the value's only two SPs: no opaque has one
            and text.isascii()
            and text.isprintable()
            and text.count(" ") == 2
        ):
            return (
                new(EntityTag, (parts[1], first != "")),
                new(EntityTag, (parts[3], second != ", ")),
                new(EntityTag, (parts[5], third != ", ")),
            )
    elif count == 5:  # two tags
        first, second = parts[0], parts[2]
        if (
            (not first or first == "W/")
            and (second == ", " or second == ", W/")
            and text.isascii()
            and text.isprintable()
            and text.count(" ") == 1
        ):
            return (
                new(EntityTag, (parts[1], first != "")),
                new(EntityTag, (parts[3], second != ", ")),
            )
    elif (
        count & 1
        and text.isascii()
        and text.encode().translate(None, _ETAGC_ASCII) == b'""' + b' ""' * ((count >> 1) - 1)
    ):
        # The skeleton puts one SP in each separator between two tags and
        # none in the first, and no non-etagc character in any opaque value.
        # A separator before a tag is then valid exactly when it is one of
        # _WEAK_AFTER_SEPARATOR's (those with an SP come only between tags),
        # which says whether the tag is weak (zip stops at the last tag, so
        # the empty last separator is never looked up).
        weak_flags = map(_WEAK_AFTER_SEPARATOR.__getitem__, parts[0::2])
        try:  # (not contextlib.suppress: entering it costs more than this parse)
            return tuple(
                map(new, _ENTITY_TAG_CLASS_FOREVER, zip(parts[1::2], weak_flags, strict=False))
            )
        except KeyError:  # another separator: the grammar decides
            pass
    return _parse_list_by_grammar(text, parts)


# A field that is exactly one strong tag, its opaque value as the one match
# (findall builds no match object, so this is the cheapest exact check).
_LONE_STRONG_TAG: Final = re.compile(f'\\A"([{ETAGC}]*+)"\\Z').findall
# etagc in ASCII: what bytes.translate() deletes from a value to leave its
# skeleton, the DQUOTEs, SPs and any character that is not etagc, in order.
_ETAGC_ASCII: Final = bytes([0x21, *range(0x23, 0x7F)])
# The separators of the form senders write, each with whether the tag after
# it is weak: "" or "W/" before the first tag, ", " or ", W/" between two.
_WEAK_AFTER_SEPARATOR: Final = {"": False, "W/": True, ", ": False, ", W/": True}


def _parse_list_by_grammar(text: str, parts: list[str] | None = None) -> EntityTagList:
    """:func:`parse_entity_tag_list` for any value, checked against the
    whole grammar (``parts``: the value split at its quotes, if known)."""
    if len(text) < MAX_EMPTY_LIST_ELEMENTS:  # too short to hold more empty elements than the cap
        valid = _VALID_LIST(text) is not None
    else:
        valid = split_entity_tag_list(text) is not None
    if not valid:
        if text.strip(OWS_CHARS) == "*":
            return ANY
        raise InvalidEntityTag(
            f"{text[:80]!r} is not a valid If-Match / If-None-Match value (expected * "
            'or a comma-separated list of "tag" / W/"tag")',
            text,
        )
    if parts is None:
        parts = text.split('"')
    # parts alternates separator, opaque, separator, ..., opaque, separator:
    # the separator before an opaque ends with "W/" when that tag is weak,
    # and a valid list has no other "/" outside its quotes.
    new = _new_pair
    if "/" not in text:  # all strong
        return tuple(
            map(new, _ENTITY_TAG_CLASS_FOREVER, zip(parts[1::2], _STRONG_FOREVER, strict=False))
        )
    # The separators are the even pieces: the one before each opaque value
    # (there is one more separator than tags; zip stops at the last tag).
    weak_flags = map(operator.contains, parts[0::2], _SLASH_FOREVER)
    return tuple(map(new, _ENTITY_TAG_CLASS_FOREVER, zip(parts[1::2], weak_flags, strict=False)))


_VALID_LIST: Final = ENTITY_TAG_LIST_RE.fullmatch


def split_entity_tag_list(text: str) -> list[str] | None:
    """The value of a valid entity-tag list split at its quotes, or
    None if ``text`` is not one (``*`` included, or more empty elements than
    :data:`~etagspec.limits.MAX_EMPTY_LIST_ELEMENTS`).

    A valid list has no quote outside its tags and none inside an opaque
    value, so the odd items are the opaque values in order and the item
    before each ends with ``W/`` exactly when that tag is weak. This is how
    precondition evaluation compares tags without building any.

    >>> split_entity_tag_list(' "a", W/"b,c"')
    [' ', 'a', ', W/', 'b,c', '']
    >>> split_entity_tag_list('"a" "b"') is None
    True
    """
    if len(text) <= _SINGLE_MATCH_LIMIT:
        if _VALID_LIST(text) is None:
            return None
    elif not _scans_as_list(text):
        return None
    parts = text.split('"')
    if len(text) < MAX_EMPTY_LIST_ELEMENTS:
        return parts  # too short to hold more empty elements than the cap
    # Only the commas between tags (in the even items) delimit elements: a
    # comma is an etagc, so those inside an opaque value belong to the tag.
    empty_elements = "".join(parts[0::2]).count(",") + 1 - len(parts) // 2
    return None if empty_elements > MAX_EMPTY_LIST_ELEMENTS else parts


def _scans_as_list(value: str) -> bool:
    """Whether ``value`` is a valid list, checked one element at a time."""
    position = 0
    match = _STEP_RE.match
    while True:
        step = match(value, position)
        if step is None:
            return False
        if not step.group(3):
            return True
        position = step.end()


def format_entity_tag_list(tags: EntityTagList | Iterable[EntityTag]) -> str:
    """Serialize tags for an If-Match / If-None-Match field (sender form).

    >>> format_entity_tag_list([EntityTag("a"), EntityTag("b", weak=True)])
    '"a", W/"b"'
    >>> format_entity_tag_list(ANY)
    '*'
    """
    if tags is ANY:
        return "*"
    assert not isinstance(tags, Wildcard)
    return ", ".join(str(tag) for tag in tags)


# --- the seed's functions ---------------------------------------------------

# RFC 2616 §2.2 quoted-string, as the seed parsed it: backslash escapes the
# next character. Used only by the legacy parse_entity_tags(), which reads
#   list    = element *( "," element )
#   element = OWS [ [ "W/" / "w/" ] quoted-string OWS ]
# Possessive quantifiers: nothing the content or the OWS consumed could let a
# retry succeed, and without them a failed match (an unterminated quote)
# keeps a backtracking frame per character.
_LEGACY_TAG: Final = r'([Ww]/)?"((?:[^"\\]++|\\.)*+)"'
_LEGACY_ELEMENT: Final = r'(?:[Ww]/)?+"(?:[^"\\]++|\\.)*+"[ \t]*+'
_LEGACY_LIST_RE: Final = re.compile(
    f"[ \t]*+(?:{_LEGACY_ELEMENT})?+(?:,[ \t]*+(?:{_LEGACY_ELEMENT})?+)*+", re.DOTALL
)
# On a valid list, every quote outside a quoted-string opens a tag, so one
# findall reads them all in order.
_LEGACY_TAGS: Final = re.compile(_LEGACY_TAG, re.DOTALL).findall
_LEGACY_UNESCAPE_RE: Final = re.compile(r"\\(.)", re.DOTALL)
_LEGACY_WEAK: Final = ("W/", "w/")


def parse_entity_tags(s: str) -> list[tuple[bool, str]]:
    r"""Parse entity tags the way Pesto did: an RFC 2616 list of quoted
    strings with backslash escapes, as ``(weak, tag)`` pairs.

    Kept for compatibility. It unescapes backslashes, which RFC 9110 no
    longer does (an entity tag is not a quoted-string any more), so
    precondition evaluation uses :func:`parse_entity_tag_list` instead.

    >>> parse_entity_tags(r'"tag a", W/"tag b"')
    [(False, 'tag a'), (True, 'tag b')]
    >>> parse_entity_tags(r'"\"a\"", "b"')
    [(False, '"a"'), (False, 'b')]
    >>> parse_entity_tags(r'"\"a\",\\b", "b"')
    [(False, '"a",\\b'), (False, 'b')]
    >>> parse_entity_tags(r'"\"a\",\\b\\", "b"')
    [(False, '"a",\\b\\'), (False, 'b')]
    >>> parse_entity_tags(r'"some longer \"text\"", "b"')
    [(False, 'some longer "text"'), (False, 'b')]
    >>> parse_entity_tags('*')
    [(False, '*')]
    """
    if s.strip(OWS_CHARS) == "*":
        return [(False, "*")]
    if _LEGACY_LIST_RE.fullmatch(s) is None:
        raise InvalidEntityTag(f"{s[:80]!r} is not a list of quoted entity tags", s)
    if "\\" not in s:
        # No escapes: every quote delimits a tag, as in split_entity_tag_list.
        parts = s.split('"')
        if "/" not in s:  # no weak tag
            return [(False, quoted) for quoted in parts[1::2]]
        return [
            (parts[index - 1].endswith(_LEGACY_WEAK), parts[index])
            for index in range(1, len(parts), 2)
        ]
    unescape = _LEGACY_UNESCAPE_RE.sub
    return [
        (weak != "", unescape(r"\1", quoted) if "\\" in quoted else quoted)
        for weak, quoted in _LEGACY_TAGS(s)
    ]


def etags_match(
    tag: tuple[bool, str], tags: Iterable[tuple[bool, str]], allow_weak: bool = False
) -> bool:
    """Return True if ``tag`` matches any member of ``tags`` (the seed's API).

    Tags are ``(weak, opaque)`` pairs as returned by :func:`parse_entity_tags`.
    With ``allow_weak`` the weak comparison is used, else the strong one. A
    member ``(False, '*')`` matches anything.

    >>> etags_match((False, 'a'), [(False, 'a'), (False, 'b')], allow_weak=False)
    True
    >>> etags_match((False, 'a'), [(True, 'a'), (False, 'b')], allow_weak=False)
    False
    >>> etags_match((False, 'a'), [(True, 'a'), (False, 'b')], allow_weak=True)
    True
    >>> etags_match((True, 'b'), [(True, 'a'), (False, 'b')], allow_weak=True)
    True
    >>> etags_match((False, 'a'), [(False, '*')])
    True
    """
    weak, opaque = tag
    for other_weak, other_opaque in tags:
        if other_opaque == "*" and not other_weak:
            return True
        if opaque == other_opaque and (allow_weak or not (weak or other_weak)):
            return True
    return False


def quoted_string(s: str) -> str:
    r"""Return ``s`` as an RFC 9110 §5.6.4 quoted-string: backslash and DQUOTE
    are escaped with a backslash.

    Characters a quoted-string cannot carry (CR, LF, NUL and the other
    controls except HTAB, or anything above U+00FF) raise
    :class:`~etagspec.errors.InvalidHeaderValue`.

    >>> quoted_string(r'"this" is quoted')
    '"\\"this\\" is quoted"'
    >>> quoted_string(r'this is \"quoted\"') == r'"this is \\\"quoted\\\""'
    True
    >>> quoted_string('two\r\nlines')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHeaderValue: 'two\r\nlines' cannot be put in a quoted-string: ...
    """
    if _QUOTABLE_RE.fullmatch(s) is None:
        raise InvalidHeaderValue(
            f"{s!r} cannot be put in a quoted-string: only HTAB, SP, visible "
            "characters and octets 0x80-0xFF are allowed (no CR, LF, NUL or controls)",
            s,
        )
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# qdtext and quoted-pair together: HTAB / SP / VCHAR / obs-text
_QUOTABLE_RE: Final = FIELD_VALUE_RE


def make_etag(s: str, weak: bool = False) -> str:
    """Return ``s`` formatted as an ETag field value.

    Strict by design (RFC 9110 §8.8.3): ``s`` may only hold visible ASCII
    characters other than DQUOTE and backslash. Anything else (space,
    quote, backslash, control characters, CR/LF, non-ASCII) raises
    :class:`~etagspec.errors.InvalidEntityTag`, so no caller can inject a
    header. To turn arbitrary values into a tag, use
    :func:`etagspec.digest.etag_value` first.

    >>> make_etag('r1089')
    '"r1089"'
    >>> make_etag('r1089', True)
    'W/"r1089"'
    >>> make_etag('bad"tag')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidEntityTag: 'bad"tag' cannot be made into an entity-tag: ...
    """
    if not isinstance(s, str):
        raise TypeError(f"make_etag() needs a str, not {type(s).__name__}: {s!r}")
    if _MAKEABLE_RE.fullmatch(s) is None:
        raise InvalidEntityTag(
            f"{s!r} cannot be made into an entity-tag: use only visible ASCII "
            "characters other than '\"' and '\\' (no spaces, controls or non-ASCII); "
            "etagspec.digest.etag_value() turns any value into a safe tag",
            s,
        )
    return f'W/"{s}"' if weak else f'"{s}"'
