"""ETags are equal across processes (whatever the hash seed).

A multi-worker deployment serves a revalidation from whichever worker gets
it, so the ETag that ``with_etag`` computes for a value (and the demo's
tags) must not depend on the process: not on ``PYTHONHASHSEED`` (set and
dict order, ``hash()``), not on object identity. Real subprocesses, started
with different seeds, serve the same values through WSGI and must send the
same ETags.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = ("0", "1", "4242", "random")

# Runs in each child and in this process; prints a JSON object.
PROGRAM = r"""
import dataclasses, datetime, decimal, enum, fractions, json, uuid
from etagspec import to_wsgi
from etagspec.caching import with_etag
from etagspec.demo import make_app
from etagspec.response import Response
from etagspec.testing import TestApp


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class Revision:
    name: str
    tags: frozenset


VALUES = {
    "short str": "r1089",
    "str with space": "whoa nelly!",
    "long str": "x" * 500,
    "int": 7,
    "huge int": 10**80,
    "float": 2.5,
    "bytes": b"\x00\xffbytes",
    "tuple": ("a", 1, None),
    "set of str": {"alpha", "beta", "gamma", "delta", "epsilon"},
    "frozenset mixed": frozenset({1.5, "x", b"y", (1, 2)}),
    "dict": {"b": [1, 2], "a": {"z", "y"}, "c": {"k": "v"}},
    "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "decimal": decimal.Decimal("1.50"),
    "fraction": fractions.Fraction(1, 3),
    "uuid": uuid.UUID(int=12345),
    "enum": Colour.RED,
    "dataclass": Revision("r", frozenset({"p", "q", "r"})),
}


def sent_etag(app, path="/"):
    return dict(TestApp(app, lint=False).get(path).headers)["ETag"]


def etag_of(value, weak):
    handler = with_etag(lambda request: value, weak=weak)(lambda request: Response(["x"]))
    return sent_etag(to_wsgi(handler))


def demo_etags():
    app = make_app()
    return {path: sent_etag(app, path) for path in ("/", "/hello", "/data.json")}


result = {name: [etag_of(v, False), etag_of(v, True)] for name, v in VALUES.items()}
result["demo"] = demo_etags()
result["set order"] = list({"alpha", "beta", "gamma", "delta", "epsilon"})
print(json.dumps(result, sort_keys=True))
"""


def _run(seed: str | None) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_with_etag_and_the_demo_send_the_same_etags_in_every_process() -> None:
    results = {seed: _run(seed) for seed in SEEDS}
    # The seeds really changed hashing: set iteration order differs somewhere.
    assert len({json.dumps(result.pop("set order")) for result in results.values()}) > 1
    first_seed, first = next(iter(results.items()))
    assert len(first) == 18  # every value above, and the demo
    for seed, result in results.items():
        for name, tags in first.items():
            assert result[name] == tags, (
                f"{name}: {tags} under PYTHONHASHSEED={first_seed}, {result[name]} under {seed}"
            )
