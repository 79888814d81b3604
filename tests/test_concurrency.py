"""No lost update under concurrency, on a real server.

The reference demo runs under waitress (8 worker threads, 127.0.0.1, an
ephemeral port, started and stopped here). Eight client threads hammer one
document holding a counter: each round reads it (GET) and writes the counter
plus one (PUT) conditional on what it read, with ``If-Match`` or with
``If-Unmodified-Since``. Then:

* every PUT got 204 or 412 (no 5xx), every GET 200;
* the counter rose by exactly the number of successful PUTs (no write lost,
  none applied twice), which is also the number of versions the store made;
* each version served as the base of at most one successful PUT, and every
  successful PUT made a new version (the If-Match chain has no fork).

The demo writes a path at most once per second (so that If-Unmodified-Since
is as safe as If-Match), so successful writes run at about one a second; the
test prints its throughput and counts (``pytest -s``). The default run keeps
to a few rounds; ``-m slow`` runs a longer campaign.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

waitress = pytest.importorskip("waitress")

from etagspec.demo import DocumentStore, make_app  # noqa: E402

CLIENTS = 8
PATH = "/counter"


@dataclass
class Tally:
    """What the clients saw, merged under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: list[tuple[str, int]] = field(default_factory=list)
    # (validator the PUT was based on, ETag of the version it made)
    successes: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def served() -> Iterator[tuple[int, DocumentStore]]:
    """The demo under waitress: its port, and the store behind it."""
    app = make_app({PATH: b"0"})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=CLIENTS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port, app.store  # type: ignore[attr-defined]
    finally:
        # Closed from its own loop thread: closing its sockets from here
        # races with the select() that thread is in (EBADF in the thread).
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


def _client(port: int, header: str, rounds: int, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for _ in range(rounds):
            connection.request("GET", PATH)
            read = connection.getresponse()
            value = int(read.read())
            etag = read.getheader("ETag", "")
            validator = etag if header == "If-Match" else read.getheader("Last-Modified", "")
            connection.request(
                "PUT",
                PATH,
                body=str(value + 1).encode(),
                headers={header: validator, "Content-Type": "text/plain"},
            )
            written = connection.getresponse()
            written.read()
            with tally.lock:
                tally.statuses += [("GET", read.status), ("PUT", written.status)]
                if written.status == 204:
                    tally.successes.append((etag, written.getheader("ETag", "")))
    except Exception as error:  # reported by the test, with the others
        with tally.lock:
            tally.errors.append(repr(error))
    finally:
        connection.close()


def hammer(port: int, store: DocumentStore, header: str, rounds: int) -> Tally:
    first = store.get(PATH)
    assert first is not None
    tally = Tally()
    clients = [
        threading.Thread(target=_client, args=(port, header, rounds, tally)) for _ in range(CLIENTS)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=300)
    seconds = time.perf_counter() - started
    last = store.get(PATH)
    assert last is not None

    assert not tally.errors, tally.errors
    assert all(status == 200 for method, status in tally.statuses if method == "GET")
    puts = [status for method, status in tally.statuses if method == "PUT"]
    assert len(puts) == CLIENTS * rounds
    assert set(puts) <= {204, 412}, sorted(set(puts))
    wins = len(tally.successes)
    # No lost update and no double write: the counter counts the successes...
    assert int(last.body) - int(first.body) == wins
    # ... and so do the versions the store made of this document.
    assert last.revision - first.revision == wins
    bases = [base for base, _ in tally.successes]
    made = [new for _, new in tally.successes]
    if header == "If-Match":
        assert len(set(bases)) == wins  # each version was the base of one write
        assert set(bases) | {str(last.etag)} == set(made) | {str(first.etag)}
    assert len(set(made)) == wins
    print(
        f"\n{header}: {CLIENTS} clients x {rounds} rounds, {2 * len(puts)} requests "
        f"in {seconds:.1f} s ({2 * len(puts) / seconds:.0f} requests/s); "
        f"{wins} PUTs succeeded, {len(puts) - wins} got 412; "
        f"{last.revision - first.revision} new versions; counter {first.body!r} -> {last.body!r}"
    )
    return tally


@pytest.mark.parametrize("header", ["If-Match", "If-Unmodified-Since"])
def test_no_lost_update_under_a_threaded_server(
    served: tuple[int, DocumentStore], header: str
) -> None:
    port, store = served
    tally = hammer(port, store, header, rounds=2)
    assert tally.successes  # the test exercised at least one write


@pytest.mark.slow
@pytest.mark.parametrize("header", ["If-Match", "If-Unmodified-Since"])
def test_no_lost_update_over_a_long_campaign(
    served: tuple[int, DocumentStore], header: str
) -> None:
    port, store = served
    tally = hammer(port, store, header, rounds=40)
    assert len(tally.successes) >= 10
