"""The parser checks as pytest items, for the plugin's
``--etagspec-parser=MODULE``: one item per parser check, node ID
``etagspec-parser::<ID>``. A MUST check that fails fails its item; a SHOULD
check that is not met, a lenient reading and a documented difference pass
(the first two fail under ``--etagspec-strict``); a check whose functions
the adapter does not define is skipped. ``--etagspec-max-examples`` and
``--etagspec-seed`` apply as for ``--etagspec-target``."""

from __future__ import annotations

from typing import Any

import pytest

from ..model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, CheckInfo, Status
from .adapter import AdapterError, ParserAdapter, load_adapter
from .checks import parser_checks
from .report import render_text
from .runner import check_parser

__all__ = ["ParserCheckFailed", "ParserCollector", "ParserItem", "parser_collector"]

NODE_PREFIX = "etagspec-parser"
_ADAPTER_KEY = pytest.StashKey[ParserAdapter]()


class ParserCheckFailed(Exception):
    """Raised by a parser item whose check failed; the message is the report."""


def _number(config: pytest.Config, option: str) -> int | None:
    value = config.getoption(option)
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        raise pytest.UsageError(
            f"--{option.replace('_', '-')}: {value!r} is not an integer"
        ) from None


class ParserItem(pytest.Item):
    """One parser check, run against the session's adapter."""

    def __init__(self, *, info: CheckInfo, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.info = info

    def runtest(self) -> None:
        config = self.config
        seed = _number(config, "etagspec_seed")
        report = check_parser(
            config.stash[_ADAPTER_KEY],
            max_examples=_number(config, "etagspec_max_examples") or DEFAULT_MAX_EXAMPLES,
            seed=DEFAULT_SEED if seed is None else seed,
            strict=bool(config.getoption("etagspec_strict")),
            select=[self.info.id],
        )
        (result,) = report.results
        if report.failed():
            raise ParserCheckFailed(render_text(report))
        if result.status is Status.SKIPPED:
            pytest.skip(result.note or "the check does not apply")
        if result.status is not Status.PASSED:
            print(render_text(report))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ParserCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, self.nodeid


class ParserCollector(pytest.Collector):
    """The ``etagspec-parser`` node: one :class:`ParserItem` per parser check."""

    def collect(self) -> list[pytest.Item]:
        items: list[pytest.Item] = []
        for check in parser_checks():
            item = ParserItem.from_parent(self, name=check.info.id, info=check.info)
            item.add_marker(pytest.mark.etagspec_check(check.info.id))
            items.append(item)
        return items


def parser_collector(session: pytest.Session, spec: str) -> ParserCollector:
    """Load the adapter (a bad one is a usage error) and return the node
    that collects its items."""
    try:
        session.config.stash[_ADAPTER_KEY] = load_adapter(spec)
    except AdapterError as error:
        raise pytest.UsageError(f"--etagspec-parser: {error}") from error
    return ParserCollector.from_parent(session, name=NODE_PREFIX, nodeid=NODE_PREFIX)
