"""The campaign's two files: ``targets.toml`` (what to check) and
``findings.toml`` (what each framework does instead, where it fails).

Both are read with :mod:`tomllib` and validated completely before anything
runs; a mistake raises :class:`InvalidCampaign` naming the file, the entry
and the key. The schema is documented in the header of
``conformance/targets.toml``; in short::

    [campaign]                 # all optional
    seed = 20221
    max_examples = 40
    apps = "apps"              # put on sys.path before loading wsgi/asgi apps
    static = "static"          # the documents the real servers serve
    servers = "servers"        # the servers' config templates
    layers = "layers"          # put on sys.path before loading layers
    findings = "findings.toml" # or a list of such files

    [[target]]
    name = "webob"             # lowercase letters, digits, '-': a directory name
    title = "WebOb Response(conditional_response=True)"
    kind = "wsgi"              # "wsgi" | "asgi" (need app) | "server" (needs server)
    app = "webob_app:app"      #   | "layer" (needs wrap)
    paths = ["/hello.txt"]
    unsafe = []                # writable paths for the PUT/DELETE checks
    packages = ["WebOb"]       # distributions whose versions the reports name

    [[target]]
    name = "webob-conditional-response"
    title = "WebOb Response(app_iter=...) with conditional_response = True"
    kind = "layer"             # a conditional layer, checked with the layer checks
    wrap = "webob_layer:conditional_response_layer"   # module:attr of wrap(app) -> app
    protocol = "wsgi"          # "wsgi" | "asgi": what the layer wraps (default wsgi)
    packages = ["WebOb"]

    [[target]]
    name = "werkzeug"
    title = "werkzeug.http.parse_etags, quote_etag, parse_date, http_date"
    kind = "parser"            # a library's parsers, checked with the parser checks
    adapter = "parsers/werkzeug_parsers.py"   # a .py file here, or a module name
    packages = ["Werkzeug"]

A layer or a parser takes no paths: their checks draw their own inputs. A
layer's reports and matrix go under the output's ``layers/`` directory
(:data:`LAYER_FOLDER`), a parser's under ``parsers/``
(:data:`PARSER_FOLDER`), the rest at the top; a name is unique within its
folder (a layer or a parser may share an app's name, and a finding tells
them apart by its check). ``[campaign]`` ``confirm`` names the script of
direct calls confirming each parser finding, ``parser_notes`` lines for the
parser matrix's page.

Relative directories are relative to the TOML file's directory.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EtagspecError

__all__ = [
    "FINDING_CLASSES",
    "KINDS",
    "LAYER_FOLDER",
    "PARSER_FOLDER",
    "PROTOCOLS",
    "Campaign",
    "Deviation",
    "InvalidCampaign",
    "TargetEntry",
    "load_campaign",
    "load_campaign_findings",
    "load_findings",
]

#: The kinds of target a campaign can run.
KINDS = ("wsgi", "asgi", "server", "layer", "parser")
#: What a layer target wraps: a WSGI app or an ASGI app.
PROTOCOLS = ("wsgi", "asgi")
#: Where, under the output directory, the layer targets' reports and matrix go.
LAYER_FOLDER = "layers"
#: Where, under the output directory, the parser targets' reports and matrix go.
PARSER_FOLDER = "parsers"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_CAMPAIGN_KEYS = {
    "seed",
    "max_examples",
    "apps",
    "layers",
    "static",
    "servers",
    "findings",
    "confirm",
    "parser_notes",
}
_TARGET_KEYS = {
    "name",
    "title",
    "kind",
    "app",
    "server",
    "binary",
    "wrap",
    "protocol",
    "adapter",
    "paths",
    "unsafe",
    "packages",
}
_FINDING_KEYS = {"target", "check", "does", "evidence", "class", "deviation"}


class InvalidCampaign(EtagspecError, ValueError):
    """A ``targets.toml`` or ``findings.toml`` that cannot be used as it is."""


@dataclass(frozen=True, slots=True)
class TargetEntry:
    """One ``[[target]]`` of ``targets.toml``."""

    name: str
    title: str
    kind: str
    paths: tuple[str, ...]
    unsafe: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    app: str | None = None
    server: str | None = None
    binary: str | None = None
    #: A layer's ``module:attr`` of ``wrap(app) -> app``.
    wrap: str | None = None
    #: A layer's protocol (:data:`PROTOCOLS`); None for the other kinds.
    protocol: str | None = None
    #: A parser's adapter: a ``.py`` file (resolved) or a module name.
    adapter: str | None = None

    @property
    def folder(self) -> str:
        """The directory under the output where the target's reports and
        its matrix go: ``layers`` for a layer, ``parsers`` for a parser,
        the output itself ("") else."""
        return {"layer": LAYER_FOLDER, "parser": PARSER_FOLDER}.get(self.kind, "")


@dataclass(frozen=True, slots=True)
class Campaign:
    """A whole ``targets.toml``, with its directories resolved."""

    source: Path
    seed: int
    max_examples: int
    apps: Path
    static: Path
    servers: Path
    findings: tuple[Path, ...]
    targets: tuple[TargetEntry, ...]
    layers: Path = Path("layers")
    #: The script of direct calls confirming each parser finding (None: none).
    confirm: Path | None = None
    #: Lines for the parser matrix's page.
    parser_notes: tuple[str, ...] = ()

    def target(self, name: str) -> TargetEntry:
        """The entry called ``name`` (``KeyError`` if there is none)."""
        for entry in self.targets:
            if entry.name == name:
                return entry
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [entry.name for entry in self.targets]

    def in_folder(self, folder: str) -> list[TargetEntry]:
        """The targets whose reports go to ``folder`` (see
        :attr:`TargetEntry.folder`), in the campaign's order."""
        return [entry for entry in self.targets if entry.folder == folder]

    @property
    def folders(self) -> list[str]:
        """Every output folder the targets use, the top one ("") first."""
        return sorted({entry.folder for entry in self.targets})


@dataclass(frozen=True, slots=True)
class Deviation:
    """One ``[[finding]]`` of ``findings.toml``: what ``target`` does instead
    of what ``check`` requires, in one line, the evidence for it, and its
    class (``kind``, the TOML key ``class``): one of :data:`FINDING_CLASSES`.
    ``deviation`` (optional) is the stable ID of the diagnosis's deviation
    the note is about (``LEN-9@If-Match``): its class is then that
    deviation's, and a note whose deviation no longer appears is stale."""

    target: str
    check: str
    does: str
    evidence: str
    kind: str = "bug"
    deviation: str = ""


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as file:
            data: dict[str, Any] = tomllib.load(file)
            return data
    except OSError as error:
        raise InvalidCampaign(f"cannot read {path}: {error.strerror}", str(path)) from error
    except tomllib.TOMLDecodeError as error:
        raise InvalidCampaign(f"{path} is not valid TOML: {error}", str(path)) from error


class _Entry:
    """Typed access to one TOML table, with errors that say where."""

    def __init__(self, table: Any, where: str, allowed: Collection[str]) -> None:
        if not isinstance(table, Mapping):
            raise InvalidCampaign(f"{where} must be a table, not {type(table).__name__}", table)
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise InvalidCampaign(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown))} "
                f"(allowed: {', '.join(sorted(allowed))})",
                unknown,
            )
        self.table = table
        self.where = where

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problem = "is missing" if key not in self.table else "must be a non-empty string"
            raise InvalidCampaign(f"{self.where}: {key!r} {problem}", value)
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def integer(self, key: str, default: int, minimum: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidCampaign(
                f"{self.where}: {key!r} must be an integer >= {minimum}, not {value!r}", value
            )
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InvalidCampaign(f"{self.where}: {key!r} must be a list of strings", value)
        if required and not value:
            raise InvalidCampaign(f"{self.where}: {key!r} must name at least one path", value)
        return tuple(value)

    def paths(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        values = self.texts(key, required=required)
        for path in values:
            if not path.startswith("/") or any(c.isspace() for c in path):
                raise InvalidCampaign(
                    f"{self.where}: {key!r} has {path!r}; a path starts with '/' and has no spaces",
                    path,
                )
        return values


def _target(table: Any, index: int) -> TargetEntry:
    label = table.get("name") if isinstance(table, Mapping) else None
    where = f"[[target]] #{index}" + (f" ({label!r})" if isinstance(label, str) else "")
    entry = _Entry(table, where, _TARGET_KEYS)
    name = entry.text("name")
    if not _NAME.match(name):
        raise InvalidCampaign(
            f"{where}: name {name!r} must be lowercase letters, digits and '-' "
            "(it names a directory)",
            name,
        )
    kind = entry.text("kind")
    if kind not in KINDS:
        raise InvalidCampaign(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}", kind)
    needed = _NEEDS[kind]
    for other in sorted(set(_NEEDS.values()) - {needed}):
        if other in table:
            raise InvalidCampaign(
                f"{where}: a {kind!r} target takes {needed!r}, not {other!r}", other
            )
    for key, only in (("binary", "server"), ("protocol", "layer")):
        if key in table and kind != only:
            raise InvalidCampaign(f"{where}: {key!r} is only for kind {only!r}", kind)
    protocol = entry.text("protocol", "wsgi") if kind == "layer" else None
    if protocol is not None and protocol not in PROTOCOLS:
        raise InvalidCampaign(
            f"{where}: protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}", protocol
        )
    drawn = kind in ("layer", "parser")  # the checks draw their own inputs
    for key in ("paths", "unsafe"):
        if drawn and key in table:
            raise InvalidCampaign(
                f"{where}: a {kind!r} target takes no {key!r} (its checks draw the inputs)", key
            )
    return TargetEntry(
        name=name,
        title=entry.text("title"),
        kind=kind,
        paths=() if drawn else entry.paths("paths", required=True),
        unsafe=entry.paths("unsafe"),
        packages=entry.texts("packages"),
        app=entry.text("app") if needed == "app" else None,
        server=entry.text("server") if needed == "server" else None,
        binary=entry.optional_text("binary"),
        wrap=entry.text("wrap") if needed == "wrap" else None,
        protocol=protocol,
        adapter=entry.text("adapter") if needed == "adapter" else None,
    )


#: The key each kind of target names what it checks with.
_NEEDS = {"wsgi": "app", "asgi": "app", "server": "server", "layer": "wrap", "parser": "adapter"}


def load_campaign(path: str | Path) -> Campaign:
    """Read and validate ``targets.toml``.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "targets.toml")
    ...     _ = path.write_text(
    ...         '[[target]]\\nname = "demo"\\ntitle = "The demo"\\nkind = "wsgi"\\n'
    ...         'app = "etagspec.demo:make_app"\\npaths = ["/hello"]\\n', encoding="utf-8")
    ...     campaign = load_campaign(path)
    >>> campaign.target("demo").paths, campaign.apps.name, campaign.max_examples
    (('/hello',), 'apps', 40)
    """
    source = Path(path)
    data = _read(source)
    unknown = sorted(set(data) - {"campaign", "target"})
    if unknown:
        tables = ", ".join(map(repr, unknown))
        raise InvalidCampaign(f"{source}: unknown table(s) {tables}", unknown)
    settings = _Entry(data.get("campaign", {}), f"{source}: [campaign]", _CAMPAIGN_KEYS)
    tables = data.get("target", [])
    if not isinstance(tables, list) or not tables:
        raise InvalidCampaign(f"{source}: no [[target]] entries", tables)
    base = source.parent
    targets = tuple(
        _with_adapter_path(_target(table, index), base) for index, table in enumerate(tables, 1)
    )
    seen: set[tuple[str, str]] = set()
    for target in targets:  # a name is a directory of the target's folder
        if (target.folder, target.name) in seen:
            raise InvalidCampaign(f"{source}: two targets are named {target.name!r}", target.name)
        seen.add((target.folder, target.name))
    findings = settings.table.get("findings", "findings.toml")
    if isinstance(findings, str):
        findings = [findings]
    if not isinstance(findings, list) or not all(isinstance(f, str) and f for f in findings):
        raise InvalidCampaign(
            f"{source}: [campaign]: 'findings' must be a file name or a list of them", findings
        )
    return Campaign(
        source=source,
        seed=settings.integer("seed", 20221, 0),
        max_examples=settings.integer("max_examples", 40, 1),
        apps=base / settings.text("apps", "apps"),
        static=base / settings.text("static", "static"),
        servers=base / settings.text("servers", "servers"),
        findings=tuple(base / name for name in findings),
        targets=targets,
        layers=base / settings.text("layers", "layers"),
        confirm=base / settings.text("confirm") if "confirm" in settings.table else None,
        parser_notes=settings.texts("parser_notes"),
    )


def _with_adapter_path(entry: TargetEntry, base: Path) -> TargetEntry:
    """A parser whose adapter is a ``.py`` file, that file under ``base``."""
    if entry.adapter is None or not entry.adapter.endswith(".py"):
        return entry
    return dataclasses.replace(entry, adapter=str(base / entry.adapter))


#: The classes of a finding: a bug of the framework; a lenient reading the
#: catalogue permits; a handling the framework does not offer at all (the
#: test app's own code is not the framework's); a duty of the server in front.
FINDING_CLASSES = ("bug", "lenient", "unsupported", "should", "server-duty")


def load_findings(
    path: str | Path, targets: Collection[str], checks: Collection[str]
) -> tuple[Deviation, ...]:
    """Read and validate ``findings.toml`` (no file: no findings). Each
    finding must name a known target and check, once, and say what the
    target does in one line.

    >>> load_findings("no-such-findings.toml", ["webob"], ["COND-IM-4a"])
    ()
    """
    source = Path(path)
    if not source.exists():
        return ()
    data = _read(source)
    unknown = sorted(set(data) - {"finding"})
    if unknown:
        tables = ", ".join(map(repr, unknown))
        raise InvalidCampaign(f"{source}: unknown table(s) {tables}", unknown)
    tables = data.get("finding", [])
    if not isinstance(tables, list):
        raise InvalidCampaign(f"{source}: 'finding' must be an array of tables", tables)
    found: list[Deviation] = []
    seen: set[tuple[str, str]] = set()
    for index, table in enumerate(tables, 1):
        where = f"{source}: [[finding]] #{index}"
        entry = _Entry(table, where, _FINDING_KEYS)
        deviation = Deviation(
            target=entry.text("target"),
            check=entry.text("check"),
            does=entry.text("does"),
            evidence=entry.text("evidence"),
            kind=entry.text("class", "bug"),
            deviation=entry.optional_text("deviation") or "",
        )
        where += f" ({deviation.target} {deviation.check})"
        if deviation.target not in targets:
            raise InvalidCampaign(f"{where}: no target named {deviation.target!r}", deviation)
        if deviation.check not in checks:
            raise InvalidCampaign(f"{where}: no check with ID {deviation.check!r}", deviation)
        if deviation.kind not in FINDING_CLASSES:
            raise InvalidCampaign(
                f"{where}: 'class' must be one of {', '.join(FINDING_CLASSES)}", deviation.kind
            )
        if "\n" in deviation.does.strip():
            raise InvalidCampaign(f"{where}: 'does' must be one line", deviation.does)
        key = (deviation.target, deviation.check)
        if key in seen:
            raise InvalidCampaign(f"{where}: a second finding for the same check", key)
        seen.add(key)
        found.append(deviation)
    return tuple(found)


def load_campaign_findings(campaign: Campaign, checks: Collection[str]) -> tuple[Deviation, ...]:
    """Every finding of the campaign's findings files (:func:`load_findings`
    on each, in order), a (target, check) named in one file only."""
    found: list[Deviation] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in campaign.findings:
        for deviation in load_findings(path, campaign.names, checks):
            key = (deviation.target, deviation.check)
            if key in seen:
                raise InvalidCampaign(
                    f"{path}: {deviation.target} {deviation.check} has a finding in {seen[key]}",
                    key,
                )
            seen[key] = path
            found.append(deviation)
    return tuple(found)
