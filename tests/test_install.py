"""What each install brings, and what works without the rest.

* ``pip install --no-deps etagspec``: the reference (``etagspec.caching``,
  the sans-IO core, ``etagspec.asgi``) imports and serves with the standard
  library alone. Proved twice: in a fresh venv holding nothing but the built
  wheel (a wheel build and a venv: 1 to 2 s), and in a subprocess whose
  import system refuses every harness dependency (which also shows that
  nothing even tries to import one).
* ``pip install etagspec`` (no extra): ``etagspec check`` runs on a WSGI app
  and on a URL without ever importing httpx (the ``asgi`` extra); an ASGI
  target without it is one error line that names the extra, exit 2.

The subprocesses get a meta-path finder that answers "No module named ..."
for the blocked packages, as Python does for a package that is not
installed, and records every attempt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
import venv
from pathlib import Path
from typing import Final

import pytest
from live_servers import waitress_server

from etagspec.demo import make_app

REPO: Final = Path(__file__).resolve().parent.parent

#: The default dependencies and everything they pull in (WebTest brings
#: WebOb, waitress and Beautiful Soup; Hypothesis brings sortedcontainers).
HARNESS_PACKAGES: Final = (
    "hypothesis",
    "sortedcontainers",
    "webtest",
    "webob",
    "waitress",
    "bs4",
    "soupsieve",
)
#: The ``asgi`` extra and what httpx pulls in.
ASGI_EXTRA_PACKAGES: Final = ("httpx", "httpcore", "sniffio", "anyio", "h11", "certifi", "idna")

#: Installs the blocking finder; BLOCKED and ATTEMPTS are globals of the script.
_BLOCKER: Final = """
import sys

BLOCKED = set(sys.argv[1].split(","))
ATTEMPTS = []


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            ATTEMPTS.append(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
del sys.argv[1]
"""

#: Imports every module of the reference, then serves ``with_etag``,
#: ``no_cache`` and ``etag_middleware`` with wsgiref on 127.0.0.1 and asks
#: with http.client; prints what it saw as JSON.
_SERVE_THE_REFERENCE: Final = """
import http.client
import importlib
import importlib.util
import json
import pkgutil
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import etagspec

# The harness: the only parts of etagspec that may need the dependencies.
HARNESS = ("conformance", "strategies", "testing", "__main__", "cli", "layer_cli",
           "parser_cli", "_cli_runs")


def reference_modules(package, prefix):
    for info in pkgutil.iter_modules(package.__path__, prefix):
        if info.name.removeprefix("etagspec.").split(".")[0] in HARNESS:
            continue
        module = importlib.import_module(info.name)
        yield info.name
        if info.ispkg:
            yield from reference_modules(module, info.name + ".")


imported = list(reference_modules(etagspec, "etagspec."))

from etagspec import to_wsgi
from etagspec.caching import etag_middleware, no_cache, with_etag
from etagspec.response import Response

work = []


def page_body():
    work.append("page")  # the expensive part: never run for a 304 or a 412
    yield b"hello"


@with_etag(lambda request: "r1")
def page(request):
    return Response(page_body(), content_type="text/plain")


@no_cache
def fresh(request):
    return Response([b"now"], content_type="text/plain")


def legacy(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"v1"')])
    yield b""
    work.append("legacy")  # the expensive part: never run for a 304
    yield b"legacy body"


routes = {"/page": to_wsgi(page), "/fresh": to_wsgi(fresh), "/legacy": etag_middleware(legacy)}


def app(environ, start_response):
    return routes[environ["PATH_INFO"]](environ, start_response)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
thread.start()
answers = []
try:
    for path, headers in [
        ("/page", {}),
        ("/page", {"If-None-Match": '"r1"'}),
        ("/page", {"If-Match": '"r0"'}),
        ("/fresh", {}),
        ("/legacy", {}),
        ("/legacy", {"If-None-Match": 'W/"v1"'}),
        ("/legacy", {"If-Match": '"v0"'}),
    ]:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        answers.append([path, response.status, response.getheader("ETag"),
                        response.getheader("Cache-Control"), response.read().decode()])
        connection.close()
finally:
    server.shutdown()
    thread.join()


def absent(name):
    try:
        return importlib.util.find_spec(name) is None
    except ModuleNotFoundError:  # refused by a blocking finder
        return True


missing = [name for name in DEPENDENCIES if absent(name)]
print(json.dumps({"imported": imported, "answers": answers, "work": work, "missing": missing}))
""".replace("DEPENDENCIES", repr(HARNESS_PACKAGES + ASGI_EXTRA_PACKAGES))


def _blocked(code: str, blocked: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where ``blocked`` cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", _BLOCKER + code, ",".join(blocked), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def _check_served(output: str) -> list[str]:
    """The answers of _SERVE_THE_REFERENCE, asserted; returns the modules it imported."""
    seen = json.loads(output)
    answers = [answer if answer[1] != 412 else answer[:4] for answer in seen["answers"]]
    assert answers == [  # a 412's body is the reference's prose: not pinned here
        ["/page", 200, '"r1"', None, "hello"],
        ["/page", 304, '"r1"', None, ""],
        ["/page", 412, None, None],
        ["/fresh", 200, None, "no-cache, no-store, must-revalidate", "now"],
        ["/legacy", 200, '"v1"', None, "legacy body"],
        ["/legacy", 304, '"v1"', None, ""],
        ["/legacy", 412, None, None],
    ]
    assert seen["work"] == ["page", "legacy"]  # once each: a 304 or 412 never ran it
    assert sorted(seen["missing"]) == sorted(HARNESS_PACKAGES + ASGI_EXTRA_PACKAGES)
    imported: list[str] = seen["imported"]
    return imported


def test_the_reference_serves_without_any_harness_dependency() -> None:
    """The --no-deps venv below, simulated: the same script, every
    dependency refused by the import system instead of absent."""
    done = _blocked(
        _SERVE_THE_REFERENCE + "\nprint(json.dumps(ATTEMPTS))",
        HARNESS_PACKAGES + ASGI_EXTRA_PACKAGES,
    )
    assert done.returncode == 0, done.stderr
    served, attempts = done.stdout.splitlines()
    imported = _check_served(served)
    for module in ("etagspec.caching", "etagspec.preconditions", "etagspec.etags", "etagspec.asgi"):
        assert module in imported
    assert not any(name.startswith("etagspec.conformance") for name in imported)
    # find_spec("hypothesis") above is one attempt per package; nothing else tried.
    assert sorted(json.loads(attempts)) == sorted(HARNESS_PACKAGES + ASGI_EXTRA_PACKAGES)


def test_the_blocker_does_block() -> None:
    """The finder above makes a blocked package look absent (else the test
    above could pass with the harness importable)."""
    done = _blocked("import etagspec.strategies", ("hypothesis",))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "ModuleNotFoundError: No module named 'hypothesis'"


def test_etagspec_testing_without_webtest_names_it() -> None:
    done = _blocked("import etagspec.testing", ("webtest",))
    assert done.stderr.splitlines()[-1] == (
        "ModuleNotFoundError: etagspec.testing needs WebTest (a dependency of etagspec "
        "that --no-deps left out): pip install WebTest"
    )


_CLI: Final = """
import runpy

try:
    runpy.run_module("etagspec", run_name="__main__", alter_sys=True)
finally:
    print(sorted(set(ATTEMPTS)))
"""

#: An ASGI app, importable as ``asgi_app:app``.
_ASGI_APP: Final = """
import types


async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


sys.modules["asgi_app"] = types.SimpleNamespace(app=app)
"""

MISSING_ASGI: Final = (
    "etagspec: error: ASGI targets need the 'asgi' extra: pip install 'etagspec[asgi]'"
)


@pytest.mark.parametrize("forced", [False, True], ids=["detected", "--asgi"])
def test_an_asgi_target_without_the_asgi_extra_is_one_line(forced: bool) -> None:
    target = ["--asgi", "asgi_app:app"] if forced else ["asgi_app:app"]
    done = _blocked(_ASGI_APP + _CLI, ASGI_EXTRA_PACKAGES, "check", *target, "--path", "/")
    assert done.returncode == 2
    assert done.stderr == MISSING_ASGI + "\n"
    assert done.stdout == "['httpx']\n"


def test_the_python_api_raises_a_target_error_naming_the_extra() -> None:
    code = _ASGI_APP + textwrap.dedent(
        """
        from etagspec.conformance import TargetError, load_target

        try:
            load_target(app)
        except TargetError as error:
            print(error)
        """
    )
    done = _blocked(code, ASGI_EXTRA_PACKAGES)
    assert done.stdout == MISSING_ASGI.removeprefix("etagspec: error: ") + "\n", done.stderr


def test_the_pytest_plugin_loads_without_the_asgi_extra() -> None:
    """pytest loads it in every session of a project where etagspec is installed."""
    code = "import etagspec.conformance.pytest_plugin, etagspec.testing\nprint(ATTEMPTS)"
    done = _blocked(code, ASGI_EXTRA_PACKAGES)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


@pytest.mark.parametrize("kind", ["wsgi", "url"])
def test_etagspec_check_runs_without_the_asgi_extra(kind: str) -> None:
    """A plain ``pip install etagspec``: a WSGI app and a URL are checked,
    and nothing tries to import httpx or its dependencies."""
    with waitress_server(make_app()) as url:
        target = "etagspec.demo:make_app" if kind == "wsgi" else url + "/"
        done = _blocked(
            _CLI, ASGI_EXTRA_PACKAGES, "check", target, "--path", "/hello",
            "--max-examples", "3",
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert re.search(r"^[1-9][0-9]* passed, 0 failed", done.stdout, re.MULTILINE)
    assert done.stdout.splitlines()[-1] == "[]"  # no attempt to import a blocked package


@pytest.mark.parametrize(
    ("argv", "missing"),
    [
        (["check", "--max-examples", "3"], "hypothesis"),
        (["check", "--list-checks"], "hypothesis"),
        (["check-layer", "etagspec.caching:etag_middleware"], "hypothesis"),
        (["check-parser", "etagspec.conformance.parsers.reference"], "hypothesis"),
        (["demo", "0"], "waitress"),
    ],
    ids=["check", "list-checks", "check-layer", "check-parser", "demo"],
)
def test_a_command_without_the_harness_dependencies_is_one_line(
    argv: list[str], missing: str
) -> None:
    """``pip install --no-deps etagspec`` installs the command too: each
    subcommand names the dependency it lacks, exit 2, no traceback."""
    done = _blocked(_CLI, HARNESS_PACKAGES, *argv)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"etagspec: error: etagspec {argv[0]} needs {missing} ")
    assert done.stderr.count("\n") == 1
    assert done.stderr.endswith("left out): pip install etagspec, without --no-deps\n")


def test_the_pytest_plugin_without_the_harness_dependencies_is_a_usage_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    code = "import pytest\nsys.exit(pytest.main(sys.argv[1:]))"
    done = _blocked(
        code, HARNESS_PACKAGES, "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
        "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
        "--etagspec-target=demo", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert done.stderr.startswith("ERROR: the etagspec pytest plugin needs ")
    assert done.stderr.strip().endswith(
        " (a dependency of etagspec that --no-deps left out): pip install etagspec, "
        "without --no-deps"
    )


def test_a_missing_module_of_the_target_itself_is_not_taken_for_a_dependency() -> None:
    done = _blocked(_CLI, ("no_such_package",), "check", "no_such_package:app")
    assert done.returncode == 2
    assert done.stderr == (
        "etagspec: error: cannot import 'no_such_package': No module named 'no_such_package'\n"
    )


def test_a_no_deps_install_in_a_fresh_venv_serves_the_reference(tmp_path: Path) -> None:
    """Builds the wheel through the PEP 517 hook of the backend that
    pyproject.toml names (hatchling, from the test extra: no network), as
    ``pip wheel`` would but without pip's start-up, installs it with pip
    --no-deps into a venv that has nothing else (no pip either), and serves
    the reference there: 1 to 2 s."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    backend = project["build-system"]["build-backend"]
    build = f"import sys, {backend}; {backend}.build_wheel(sys.argv[1])"
    subprocess.run(
        [sys.executable, "-c", build, str(tmp_path)],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("etagspec-*.whl")
    home = tmp_path / "venv"
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=600,
    )
    done = subprocess.run(
        [str(python), "-c", _SERVE_THE_REFERENCE],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # not the repository: the installed wheel, not the source tree
        env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
    )
    assert done.returncode == 0, done.stderr
    imported = _check_served(done.stdout)
    assert "etagspec.caching" in imported
    location = subprocess.run(
        [str(python), "-c", "import etagspec; print(etagspec.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert Path(location.strip()).is_relative_to(home)
