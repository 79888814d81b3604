"""etagspec: HTTP validators and conditional requests, executable.

A reference implementation of RFC 9110 entity tags, Last-Modified and
conditional requests (with RFC 9111 Cache-Control), keeping the API of the
caching module of Pesto, and a conformance harness that checks any WSGI app.

>>> from etagspec import make_etag, parse_entity_tag
>>> parse_entity_tag(make_etag("r1089", weak=True))
EntityTag(opaque='r1089', weak=True)
"""

from __future__ import annotations

from .cache_control import CacheControl, format_cache_control, parse_cache_control
from .caching import (
    cache_control,
    conditional,
    etag_middleware,
    no_cache,
    with_etag,
    with_last_modified,
)
from .dates import format_http_date, parse_http_date
from .digest import digest, etag_value
from .errors import (
    EtagspecError,
    InvalidCacheControl,
    InvalidEntityTag,
    InvalidHeaderValue,
    InvalidHTTPDate,
    InvalidRange,
    UndigestibleValue,
)
from .etags import (
    ANY,
    EntityTag,
    etags_match,
    make_etag,
    parse_entity_tag,
    parse_entity_tag_list,
    parse_entity_tags,
    quoted_string,
)
from .preconditions import Conditions, Decision, Outcome, Resource, evaluate
from .request import Request
from .response import Response
from .wsgi_adapter import to_wsgi

__version__ = "0.1.0"

__all__ = [
    "ANY",
    "CacheControl",
    "Conditions",
    "Decision",
    "EntityTag",
    "EtagspecError",
    "InvalidCacheControl",
    "InvalidEntityTag",
    "InvalidHTTPDate",
    "InvalidHeaderValue",
    "InvalidRange",
    "Outcome",
    "Request",
    "Resource",
    "Response",
    "UndigestibleValue",
    "__version__",
    "cache_control",
    "conditional",
    "digest",
    "etag_middleware",
    "etag_value",
    "etags_match",
    "evaluate",
    "format_cache_control",
    "format_http_date",
    "make_etag",
    "no_cache",
    "parse_cache_control",
    "parse_entity_tag",
    "parse_entity_tag_list",
    "parse_entity_tags",
    "parse_http_date",
    "quoted_string",
    "to_wsgi",
    "with_etag",
    "with_last_modified",
]
