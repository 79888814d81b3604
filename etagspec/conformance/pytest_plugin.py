"""The etagspec pytest plugin: the conformance checks as pytest items.

Registered through the ``pytest11`` entry point, so it is loaded in every
pytest run once etagspec is installed; it stays inert (and imports nothing
from the harness) until a target is configured::

    pytest --etagspec-target=demo
    pytest --etagspec-target=myapp.wsgi:application --etagspec-path=/doc -k COND-INM

Each registered check becomes one item named by its ID, with the node ID
``etagspec::<ID>`` (so ``-k COND-INM-4a`` and
``--deselect etagspec::COND-INM-4a`` work), the marker
``etagspec_check(id)``, and a level marker (``etagspec_must``,
``etagspec_should`` or ``etagspec_may``; ``etagspec_unsafe`` for the
checks that need ``--etagspec-unsafe``). A MUST check that fails fails its
item; a SHOULD check that is not met passes with a note (listed in the
terminal summary) unless ``--etagspec-strict``; a check that does not
apply is skipped. The ini option ``etagspec_xfail = ID ...`` marks checks
as expected failures.

``--etagspec-layer=module:attr`` checks a conditional WSGI or ASGI layer
(``wrap(app) -> app``) the same way, one ``etagspec-layer::<ID>`` item per
layer check, and ``--etagspec-parser=MODULE`` a library's entity-tag and
HTTP-date functions through an adapter module, one
``etagspec-parser::<ID>`` item per parser check. Every kind of check is the
same item class (:class:`EtagspecItem`), run with the same settings: the
same budget, seed, strictness, xfail list and markers, and the same
verdicts (a failed check fails its item, a warned or lenient one passes
with a note unless strict, one that does not apply or was not exercised is
skipped).

Every option but ``--etagspec-layer`` and ``--etagspec-parser`` has an ini
equivalent (``etagspec_target``, ``etagspec_path``, ``etagspec_unsafe``,
``etagspec_max_examples``, ``etagspec_seed``, ``etagspec_strict``); a
command-line value replaces the ini value, and both apply to every kind.

This module imports only :mod:`pytest` and the standard library at import
time; the harness is imported when a target is configured.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from .model import CheckInfo, CheckResult, Failure, Report, Status
    from .targets import Target

__all__ = ["EtagspecCollector", "EtagspecItem", "EtagspecSettings", "RunSettings"]

DEMO_SPEC = "etagspec.demo:make_app"
NODE_PREFIX = "etagspec"
LAYER_PREFIX = "etagspec-layer"
PARSER_PREFIX = "etagspec-parser"
_WARNED_PROPERTY = "etagspec_warned"

_LEVEL_MARKERS = {
    "MUST": "etagspec_must",
    "SHOULD": "etagspec_should",
    "MAY": "etagspec_may",
}
_UNSAFE_MARKER = "etagspec_unsafe"
#: pytest 8.4 added the "int" ini type (which TOML configuration needs for a plain integer).
_INT_INI = tuple(int(part) for part in pytest.version_tuple[:2]) >= (8, 4)


@dataclass(frozen=True)
class RunSettings:
    """What every kind of item runs with, from the command line or the ini file."""

    max_examples: int | None
    seed: int | None
    strict: bool
    xfail: tuple[str, ...]

    @property
    def keywords(self) -> dict[str, Any]:
        """The budget, seed and strictness as a run's keywords, defaults filled in."""
        from .model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

        return {
            "max_examples": self.max_examples or DEFAULT_MAX_EXAMPLES,
            "seed": DEFAULT_SEED if self.seed is None else self.seed,
            "strict": self.strict,
        }


@dataclass(frozen=True)
class EtagspecSettings:
    """The plugin's configuration for ``--etagspec-target``, from the
    command line or the ini file."""

    target: str
    paths: tuple[str, ...]
    unsafe_paths: tuple[str, ...]
    max_examples: int | None
    seed: int | None
    strict: bool
    xfail: tuple[str, ...]


class _Session:
    """Per-session state: the settings and the target, loaded once."""

    def __init__(self, settings: EtagspecSettings) -> None:
        self.settings = settings
        self._target: Target | None = None

    @property
    def target(self) -> Target:
        if self._target is None:
            from .targets import TargetError, load_target

            try:
                self._target = load_target(self.settings.target)
            except TargetError as error:
                raise pytest.UsageError(f"--etagspec-target: {error}") from error
        return self._target


_SESSION_KEY = pytest.StashKey["_Session | None"]()


# -- options --------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("etagspec", "etagspec conformance harness (HTTP conditional requests)")
    group.addoption(
        "--etagspec-target",
        action="store",
        default=None,
        metavar="SPEC",
        help="run the conformance checks against this WSGI or ASGI app: "
        "package.module:attr (an app or a zero-argument factory), http://host:port/ of a "
        "running server, or 'demo' for the reference app. "
        "Adds one test item per check, named etagspec::<ID>.",
    )
    group.addoption(
        "--etagspec-layer",
        action="store",
        default=None,
        metavar="SPEC",
        help="run the layer checks against this conditional WSGI or ASGI layer: "
        "package.module:attr naming wrap(app) -> app. Adds one test item per layer check, named "
        "etagspec-layer::<ID>.",
    )
    group.addoption(
        "--etagspec-parser",
        action="store",
        default=None,
        metavar="MODULE",
        help="run the parser checks against this adapter module (package.module or a .py "
        "file) of entity-tag and HTTP-date functions. Adds one test item per parser check, "
        "named etagspec-parser::<ID>.",
    )
    group.addoption(
        "--etagspec-path",
        action="append",
        default=None,
        metavar="PATH",
        help="a path to check (repeatable; default: /)",
    )
    group.addoption(
        "--etagspec-unsafe",
        action="append",
        default=None,
        metavar="PATH",
        help="a writable path on which the PUT/DELETE checks may run (repeatable; "
        "without one those checks are skipped)",
    )
    group.addoption(
        "--etagspec-max-examples",
        action="store",
        default=None,
        metavar="N",
        help="generated requests per check and path (default: 40)",
    )
    group.addoption(
        "--etagspec-seed",
        action="store",
        default=None,
        metavar="N",
        help="random seed (same seed, same results)",
    )
    group.addoption(
        "--etagspec-strict",
        action="store_true",
        default=None,
        help="a SHOULD check that is not met fails its item too",
    )
    parser.addini("etagspec_target", "default for --etagspec-target", type="string", default="")
    parser.addini("etagspec_path", "default for --etagspec-path (space-separated)", type="args")
    parser.addini("etagspec_unsafe", "default for --etagspec-unsafe (space-separated)", type="args")
    for name in ("etagspec_max_examples", "etagspec_seed"):
        text = f"default for --{name.replace('_', '-')} (an integer)"
        if _INT_INI:  # TOML configuration may then give a plain integer
            parser.addini(name, text, type="int", default=None)
        else:
            parser.addini(name, text, type="string", default="")
    parser.addini("etagspec_strict", "default for --etagspec-strict", type="bool", default=False)
    parser.addini(
        "etagspec_xfail",
        "check IDs expected to fail (space-separated): their items are marked xfail",
        type="args",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "etagspec_check(id): an etagspec conformance check item, by check ID"
    )
    for level, name in _LEVEL_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: an etagspec check of level {level}")
    config.addinivalue_line(
        "markers", f"{_UNSAFE_MARKER}: an etagspec check that needs --etagspec-unsafe"
    )


def _option_or_ini(config: pytest.Config, option: str, ini: str) -> Any:
    value = config.getoption(option)
    if value is not None:
        return value
    try:
        return config.getini(ini)
    except (TypeError, ValueError, pytest.UsageError) as error:  # a value of the wrong type
        message = str(error)
        raise pytest.UsageError(message if ini in message else f"{ini}: {message}") from error


def _integer(config: pytest.Config, option: str, ini: str, *, minimum: int | None) -> int | None:
    value = _option_or_ini(config, option, ini)
    if value is None or str(value).strip() == "":
        return None
    name = "--" + option.replace("_", "-")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise pytest.UsageError(f"{name} (or {ini}): {value!r} is not an integer") from None
    if minimum is not None and number < minimum:
        raise pytest.UsageError(f"{name} (or {ini}) must be at least {minimum}, not {number}")
    return number


def _read_run_settings(config: pytest.Config) -> RunSettings:
    """The settings every kind of item shares. Raises
    :class:`pytest.UsageError` for a bad value."""
    return RunSettings(
        max_examples=_integer(config, "etagspec_max_examples", "etagspec_max_examples", minimum=1),
        seed=_integer(config, "etagspec_seed", "etagspec_seed", minimum=None),
        strict=bool(_option_or_ini(config, "etagspec_strict", "etagspec_strict")),
        xfail=tuple(config.getini("etagspec_xfail") or ()),
    )


def _read_settings(config: pytest.Config) -> EtagspecSettings | None:
    """The settings, or None when no target is configured (the plugin is
    then inert). Raises :class:`pytest.UsageError` for a bad value."""
    target = str(_option_or_ini(config, "etagspec_target", "etagspec_target") or "").strip()
    if not target:
        return None
    if target == "demo":
        target = DEMO_SPEC
    paths = tuple(_option_or_ini(config, "etagspec_path", "etagspec_path") or ("/",))
    unsafe = tuple(_option_or_ini(config, "etagspec_unsafe", "etagspec_unsafe") or ())
    for path in (*paths, *unsafe):
        if not path.startswith("/"):
            raise pytest.UsageError(f"etagspec: path {path!r} must start with '/'")
    run = _read_run_settings(config)
    return EtagspecSettings(
        target=target,
        paths=paths,
        unsafe_paths=unsafe,
        max_examples=run.max_examples,
        seed=run.seed,
        strict=run.strict,
        xfail=run.xfail,
    )


def _session(config: pytest.Config) -> _Session | None:
    if _SESSION_KEY not in config.stash:
        settings = _read_settings(config)
        config.stash[_SESSION_KEY] = None if settings is None else _Session(settings)
    return config.stash[_SESSION_KEY]


def pytest_report_header(config: pytest.Config) -> str | None:
    if not config.getoption("etagspec_target") and not config.getini("etagspec_target"):
        return None
    state = _session(config)
    if state is None:
        return None
    settings = state.settings
    text = f"etagspec: target {settings.target}, paths {' '.join(settings.paths)}"
    if settings.unsafe_paths:
        text += f", unsafe {' '.join(settings.unsafe_paths)}"
    return text + (", strict" if settings.strict else "")


# -- collection -----------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Append one item per check of each configured kind, before -k, -m,
    --deselect and conftest hooks see the list (hence ``tryfirst``).

    The items come from an :class:`EtagspecCollector` per kind run through
    the public collection hooks, so that they are counted as collected and
    other plugins see them collected like any item. A harness dependency
    that an install with ``--no-deps`` left out is a usage error naming it."""
    try:
        _collect_kinds(session, config, items)
    except ModuleNotFoundError as error:
        from .._cli_runs import missing_dependency

        problem = missing_dependency(error, "the etagspec pytest plugin")
        if problem is None:
            raise
        raise pytest.UsageError(problem) from error


def _collect_kinds(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    kinds: list[_Kind] = []
    for option in ("etagspec_layer", "etagspec_parser"):
        spec = config.getoption(option)
        if spec:
            kinds.append(_load_kind(option, spec))
    state = _session(config)
    if state is not None:
        state.target  # noqa: B018  (load it now: a bad target is a usage error before any test)
        kinds.insert(0, _ExchangeKind(state))
    if not kinds:
        return
    run = _read_run_settings(config)
    unknown = sorted(set(run.xfail) - set(_every_check_id()))
    if unknown:
        raise pytest.UsageError(f"etagspec_xfail: unknown check ID(s): {', '.join(unknown)}")
    for kind in kinds:
        collector = EtagspecCollector.from_parent(session, name=kind.prefix, nodeid=kind.prefix)
        collector.kind = kind
        _append_collected(collector, items)


def _every_check_id() -> list[str]:
    """The ID of every check of every kind (exchange, layer, parser), so
    that one ``etagspec_xfail`` list may serve every kind of run."""
    from . import catalogue, layers, parsers
    from .registry import CheckKind, registry_of

    assert catalogue and layers and parsers  # the imports are for their registrations
    return [check_id for kind in CheckKind for check_id in registry_of(kind).ids()]


def _append_collected(collector: pytest.Collector, items: list[pytest.Item]) -> None:
    """Run ``collector`` through the public collection hooks and append its
    items, so that they are counted as collected and other plugins see them
    collected like any item."""
    collector.ihook.pytest_collectstart(collector=collector)
    report: pytest.CollectReport = collector.ihook.pytest_make_collect_report(collector=collector)
    if report.passed:
        for node in report.result:
            if isinstance(node, pytest.Item):
                node.ihook.pytest_itemcollected(item=node)
                items.append(node)
    collector.ihook.pytest_collectreport(report=report)


# -- kinds ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcome:
    """What one check did, as an item tells it: its status, whether it
    fails the run, the text of its findings and its note."""

    status: Status
    failed: bool
    text: str
    note: str


class _Kind(Protocol):
    """A kind of check as the items see it: its node prefix, its checks,
    how one runs, and where it is defined."""

    prefix: str

    def checks(self) -> list[CheckInfo]: ...

    def run(self, check_id: str, settings: RunSettings) -> _Outcome: ...

    def source(self, check_id: str) -> Any: ...


def _report_outcome(report: Report) -> _Outcome:
    (result,) = report.results
    text = _render(report, result) if result.failures or result.status.value != "passed" else ""
    return _Outcome(result.status, bool(report.failed()), text, result.note)


class _ExchangeKind:
    """Exchange checks against the session's ``--etagspec-target``."""

    prefix = NODE_PREFIX

    def __init__(self, state: _Session) -> None:
        self.state = state

    def checks(self) -> list[CheckInfo]:
        from .catalogue import registered_checks

        return [check.info for check in registered_checks()]

    def run(self, check_id: str, settings: RunSettings) -> _Outcome:
        from .runner import run_checks

        target = self.state.settings
        report = run_checks(
            self.state.target,
            target.paths,
            unsafe_paths=target.unsafe_paths,
            select=[check_id],
            **settings.keywords,
        )
        outcome = _report_outcome(report)
        note = outcome.note.replace("(--unsafe PATH)", "(--etagspec-unsafe=PATH)")
        return _Outcome(outcome.status, outcome.failed, outcome.text, note)

    def source(self, check_id: str) -> Any:
        from .registry import CHECKS

        return CHECKS[check_id].function


class _LayerKind:
    """Layer checks against ``--etagspec-layer``."""

    prefix = LAYER_PREFIX

    def __init__(self, target: Any) -> None:
        self.target = target

    def checks(self) -> list[CheckInfo]:
        from .layers.checks import layer_checks

        return [check.info for check in layer_checks(self.target.protocol)]

    def run(self, check_id: str, settings: RunSettings) -> _Outcome:
        from .layers.runner import check_layer

        return _report_outcome(check_layer(self.target, select=[check_id], **settings.keywords))

    def source(self, check_id: str) -> Any:
        from .layers.checks import LAYER_CHECKS

        return LAYER_CHECKS[check_id].judge


class _ParserKind:
    """Parser checks against the ``--etagspec-parser`` adapter."""

    prefix = PARSER_PREFIX

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter

    def checks(self) -> list[CheckInfo]:
        from .parsers.checks import parser_checks

        return [check.info for check in parser_checks()]

    def run(self, check_id: str, settings: RunSettings) -> _Outcome:
        from .parsers.report import render_text
        from .parsers.runner import check_parser

        report = check_parser(self.adapter, select=[check_id], **settings.keywords)
        (result,) = report.results
        return _Outcome(result.status, bool(report.failed()), render_text(report), result.note)

    def source(self, check_id: str) -> Any:
        from .parsers.checks import PARSER_CHECKS

        check = PARSER_CHECKS[check_id]
        return check.judge or check.measure


def _load_kind(option: str, spec: str) -> _Kind:
    """The layer (``etagspec_layer``) or the parser adapter
    (``etagspec_parser``) that ``spec`` names; one that cannot be loaded is
    a usage error."""
    from .layers.loading import load_layer, not_a_layer
    from .layers.target import LayerTargetError
    from .parsers.adapter import AdapterError, load_adapter

    name = f"--{option.replace('_', '-')}"
    try:
        if option != "etagspec_layer":
            return _ParserKind(load_adapter(spec))
        layer = load_layer(spec)
    except (LayerTargetError, AdapterError) as error:
        raise pytest.UsageError(f"{name}: {error}") from error
    refusal = not_a_layer(layer)  # as check-layer: said once, not as every item's failure
    if refusal is not None:
        raise pytest.UsageError(f"{name}: {refusal}")
    return _LayerKind(layer)


class EtagspecCollector(pytest.Collector):
    """The node of one kind (``etagspec``, ``etagspec-layer``,
    ``etagspec-parser``): one :class:`EtagspecItem` per check of the kind."""

    kind: _Kind

    def collect(self) -> list[pytest.Item]:
        xfail = set(_read_run_settings(self.config).xfail)
        items: list[pytest.Item] = []
        for info in self.kind.checks():
            item = EtagspecItem.from_parent(self, name=info.id, info=info, kind=self.kind)
            item.add_marker(pytest.mark.etagspec_check(info.id))
            item.add_marker(getattr(pytest.mark, _LEVEL_MARKERS[info.level.value]))
            if info.unsafe:
                item.add_marker(getattr(pytest.mark, _UNSAFE_MARKER))
            if info.id in xfail:
                item.add_marker(pytest.mark.xfail(reason=f"{info.id} is listed in etagspec_xfail"))
            items.append(item)
        return items


# -- items ----------------------------------------------------------------------


class EtagspecCheckFailed(Exception):
    """Raised by an item whose check failed; the message is the rendered
    result."""


class EtagspecItem(pytest.Item):
    """One check of any kind, run against the session's target, layer or adapter."""

    def __init__(self, *, info: CheckInfo, kind: _Kind, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.info = info
        self.kind = kind

    def runtest(self) -> None:
        from .._display import visible
        from .model import Status

        outcome = self.kind.run(self.info.id, _read_run_settings(self.config))
        if outcome.failed:
            raise EtagspecCheckFailed(outcome.text)
        if outcome.status is Status.SKIPPED:
            pytest.skip(visible(outcome.note) or "the check does not apply")
        if outcome.status is not Status.PASSED:  # warned, lenient, a documented difference
            self.user_properties.append((_WARNED_PROPERTY, outcome.text))
            print(outcome.text)
        elif outcome.note:
            print(f"note: {visible(outcome.note)}")

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        if isinstance(excinfo.value, EtagspecCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        function = self.kind.source(self.info.id)
        try:
            path = inspect.getsourcefile(function)
            _, line = inspect.getsourcelines(function)
        except (OSError, TypeError):
            return self.path, None, self.nodeid
        return path or self.path, line - 1, self.nodeid


def _render_failure(index: int, total: int, failure: Failure) -> list[str]:
    from .report._common import failure_text, indent

    text = failure_text(failure)
    return [
        "",
        f"finding {index} of {total}:",
        "  request:",
        indent(text.request),
        "  response:",
        indent(text.response),
        f"  expected:   {text.expected}",
        f"  why:        {text.why}",
        f"  root cause: {text.cause}",
        f"  reproduce ({text.language}), flush left:",
        text.reproduce,
    ]


def _render(report: Report, result: CheckResult) -> str:
    """A failed or warned check as text: the rule, then each failure's
    request, response, expectation, explanation and reproduction."""
    from .model import Status
    from .report._common import visible

    check = result.check
    verdict = f"{check.level.value} not met"
    if result.status is Status.LENIENT:
        verdict = "lenient: a reading the catalogue permits, not a failure"
    if result.status in (Status.WARNED, Status.LENIENT) and report.strict:
        verdict += " (fails under --etagspec-strict)"
    lines = [
        f"{verdict}: {visible(check.title)} ({visible(check.rfc)})",
        f"check: {visible(check.id)}",
        f"rule: {visible(check.rule, multiline=True)}",
        f"target: {visible(report.target.name)}, seed {report.seed}, "
        f"{report.max_examples} examples",
    ]
    if result.note:
        lines.append(f"note: {visible(result.note, multiline=True)}")
    for index, failure in enumerate(result.failures, 1):
        lines += _render_failure(index, len(result.failures), failure)
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report a skipped check at the check's definition (as a skip marker
    would be), not at the line of this plugin that called pytest.skip()."""
    report = yield
    if (
        isinstance(item, EtagspecItem)
        and report.skipped
        and isinstance(report.longrepr, tuple)
        and not hasattr(report, "wasxfail")
    ):
        path, line, _ = item.reportinfo()
        if line is not None:
            report.longrepr = (os.fspath(path), line + 1, report.longrepr[2])
    return report


# -- summary --------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the checks that passed with a warning or a lenient reading."""
    warned = [
        (report.nodeid, value)
        for report in terminalreporter.stats.get("passed", ())
        for key, value in getattr(report, "user_properties", ())
        if key == _WARNED_PROPERTY
    ]
    if not warned:
        return
    terminalreporter.write_sep(
        "=", f"etagspec: {len(warned)} check(s) warned (SHOULD not met) or lenient"
    )
    for nodeid, text in warned:
        first = str(text).splitlines()[0] if text else ""
        terminalreporter.write_line(f"{nodeid}: {first}")
    terminalreporter.write_line(
        "(details in the captured output: -rP; fail on them: --etagspec-strict)"
    )
