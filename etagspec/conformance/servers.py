"""Real HTTP servers for the campaign: nginx and Apache httpd, started in
the foreground on 127.0.0.1 and always stopped again.

:func:`running_server` copies the static documents and a filled-in config
template (``conformance/servers/<name>.conf``) into a fresh temporary
prefix directory, starts the server there on a free port, waits (bounded)
until the port answers, yields a :class:`RunningServer`, and on the way
out (also on an exception or Ctrl-C) stops the server's whole process
group and deletes the prefix. Anything that keeps the server from
answering raises :class:`ServerUnavailable` with the cause, including the
tail of the server's own error output.

Templates use ``@NAME@`` placeholders (nginx's own ``$variables`` stay
untouched, and comment lines are left as they are): ``@PORT@``,
``@PREFIX@``, ``@DOCROOT@``, ``@MODULES@`` and ``@USER@``.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .targets import TargetError

__all__ = [
    "SERVERS",
    "RunningServer",
    "ServerKind",
    "ServerUnavailable",
    "find_binary",
    "free_port",
    "running_server",
    "server_version",
]

#: Where Debian keeps server binaries that are not on a normal user's PATH.
_SYSTEM_DIRS = ("/usr/sbin", "/sbin", "/usr/local/sbin")
#: Where Debian keeps Apache's shared modules.
_APACHE_MODULES = "/usr/lib/apache2/modules"
_UNPRIVILEGED_USER = "nobody"


class ServerUnavailable(TargetError):
    """A server could not be started (missing binary, bad config, no answer)."""


@dataclass(frozen=True, slots=True)
class ServerKind:
    """How to run one server product."""

    product: str
    binary: str
    #: The directives that make the workers run as this account.
    user_lines: Callable[[pwd.struct_passwd], str]
    command: Callable[[str, Path, Path], list[str]]
    version_pattern: str


def _nginx_user(account: pwd.struct_passwd) -> str:
    return f"user {account.pw_name} {grp.getgrgid(account.pw_gid).gr_name};"


def _apache_user(account: pwd.struct_passwd) -> str:
    return f"User #{account.pw_uid}\nGroup #{account.pw_gid}"  # Apache takes ids as #N


def _nginx_command(binary: str, prefix: Path, config: Path) -> list[str]:
    return [
        binary,
        "-p",
        f"{prefix}/",
        "-c",
        str(config),
        "-e",
        str(prefix / "error.log"),
        "-g",
        "daemon off;",
    ]


def _apache_command(binary: str, prefix: Path, config: Path) -> list[str]:
    return [binary, "-d", str(prefix), "-f", str(config), "-DFOREGROUND"]


SERVERS: dict[str, ServerKind] = {
    "nginx": ServerKind(
        product="nginx",
        binary="nginx",
        user_lines=_nginx_user,
        command=_nginx_command,
        version_pattern=r"nginx/(\S+)",
    ),
    "apache": ServerKind(
        product="Apache httpd",
        binary="apache2",
        user_lines=_apache_user,
        command=_apache_command,
        version_pattern=r"Apache/(\S+(?: \([^)]*\))?)",
    ),
}


@dataclass(frozen=True, slots=True)
class RunningServer:
    """A server that answers on ``base_url`` (``http://127.0.0.1:PORT``)."""

    name: str
    product: str
    base_url: str
    port: int
    version: str
    prefix: Path


def find_binary(binary: str) -> str:
    """The full path of ``binary`` (a name looked up on ``PATH`` and in the
    system ``sbin`` directories, or a path), or raise :class:`ServerUnavailable`.

    >>> find_binary("/nonexistent/nginx")
    Traceback (most recent call last):
    ...
    etagspec.conformance.servers.ServerUnavailable: '/nonexistent/nginx' not found ...
    """
    search = os.pathsep.join([os.environ.get("PATH", ""), *_SYSTEM_DIRS])
    found = shutil.which(binary, path=search)
    if found is None:
        searched = ", ".join(_SYSTEM_DIRS)
        raise ServerUnavailable(f"{binary!r} not found (searched PATH and {searched})")
    return found


def server_version(name: str, binary: str | None = None) -> str:
    """What the server says its version is (``nginx -v``, ``apache2 -v``),
    e.g. ``"1.22.1"`` or ``"2.4.71 (Debian)"``; raises :class:`ServerUnavailable` if it cannot
    be run."""
    kind = _kind(name)
    path = find_binary(binary or kind.binary)
    try:
        completed = subprocess.run(
            [path, "-v"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ServerUnavailable(f"{path} -v failed: {error}") from error
    output = completed.stdout + completed.stderr
    match = re.search(kind.version_pattern, output)
    if match is None:
        raise ServerUnavailable(f"{path} -v said {output.strip()[:200]!r}, not a version")
    return match.group(1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    >>> 1024 <= free_port() <= 65535
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _kind(name: str) -> ServerKind:
    try:
        return SERVERS[name]
    except KeyError:
        known = ", ".join(sorted(SERVERS))
        raise ServerUnavailable(f"no server named {name!r} (known: {known})") from None


def _user_lines(kind: ServerKind) -> str:
    """Directives that make the workers drop root, or nothing when not root."""
    if os.geteuid() != 0:
        return ""
    return kind.user_lines(pwd.getpwnam(_UNPRIVILEGED_USER))


def _fill(template: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ServerUnavailable(f"the config template has an unknown placeholder @{key}@")
        return values[key]

    return "".join(
        line if line.lstrip().startswith("#") else re.sub(r"@([A-Z]+)@", replace, line)
        for line in template.splitlines(keepends=True)
    )


def _prepare(kind: ServerKind, prefix: Path, docroot: Path, template: Path, port: int) -> Path:
    """Copy the documents (keeping their mtimes) and write the config."""
    prefix.chmod(0o755)  # the unprivileged workers must reach the documents
    served = prefix / "htdocs"
    shutil.copytree(docroot, served)
    for path in [served, *served.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (prefix / "mime.types").write_text("", encoding="ascii")
    try:
        text = template.read_text(encoding="utf-8")
    except OSError as error:
        raise ServerUnavailable(f"cannot read the config template {template}: {error}") from error
    config = prefix / template.name
    config.write_text(
        _fill(
            text,
            {
                "PORT": str(port),
                "PREFIX": str(prefix),
                "DOCROOT": str(served),
                "MODULES": _APACHE_MODULES,
                "USER": _user_lines(kind),
            },
        ),
        encoding="utf-8",
    )
    return config


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def _tail(*paths: Path, limit: int = 600) -> str:
    text = ""
    for path in paths:
        with contextlib.suppress(OSError):
            text += path.read_text(encoding="utf-8", errors="replace")
    text = " ".join(text.split())
    return text[-limit:] if text else "no error output"


def _stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM the server's process group, then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # Workers the master left behind (they share its process group).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running_server(
    name: str,
    *,
    docroot: str | os.PathLike[str],
    templates: str | os.PathLike[str],
    binary: str | None = None,
    startup_timeout: float = 10.0,
) -> Iterator[RunningServer]:
    """Run server ``name`` (a key of :data:`SERVERS`) on a free port of
    127.0.0.1, serving a copy of ``docroot`` with the config template
    ``templates/<name>.conf``; stop it when the block ends.

    ``binary`` replaces the default executable (``nginx``, ``apache2``).
    Raises :class:`ServerUnavailable` when it does not answer within
    ``startup_timeout`` seconds.
    """
    kind = _kind(name)
    path = find_binary(binary or kind.binary)
    version = server_version(name, path)
    prefix = Path(tempfile.mkdtemp(prefix=f"etagspec-{name}-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        port = free_port()
        config = _prepare(kind, prefix, Path(docroot), Path(templates) / f"{name}.conf", port)
        output = prefix / "server-output.log"
        with open(output, "wb") as sink:
            process = subprocess.Popen(
                kind.command(path, prefix, config),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one
            )
        deadline = time.monotonic() + startup_timeout
        while not _answers(port):
            if process.poll() is not None:
                raise ServerUnavailable(
                    f"{name} exited with status {process.returncode}: "
                    + _tail(output, prefix / "error.log")
                )
            if time.monotonic() > deadline:
                raise ServerUnavailable(
                    f"{name} did not answer on 127.0.0.1:{port} within {startup_timeout:g} s: "
                    + _tail(output, prefix / "error.log")
                )
            time.sleep(0.05)
        yield RunningServer(name, kind.product, f"http://127.0.0.1:{port}", port, version, prefix)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(prefix, ignore_errors=True)
