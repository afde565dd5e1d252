"""A throwaway PostgreSQL server from the machine's own binaries, for the tests.

``pytest --database postgresql`` (``nox -s tests-postgres``, ``nox -s load-postgres``) runs
the tests on one: ``test_database_url`` starts it once per session (per xdist worker, so each
worker has a server of its own), on a free port of 127.0.0.1 with trust authentication,
in a temporary folder, and removes it at the end. Without the binaries every test that
needs the database skips, saying what to install. ``TEST_DATABASE_URL`` names a server
of your own instead.

PostgreSQL refuses to run as root: under root (CI on a fresh Debian machine) the server
runs as Debian's ``postgres`` account (or ``nobody``), which owns the folder. The server is
a child of the test process and gets SIGTERM when that process dies (the parent-death
signal), so even a killed run leaves no server behind. pytest-postgresql would do the
rest, but runs ``pg_ctl`` as the current user, which root cannot be (its issue #455).
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import normalise_database_url

# Debian keeps the server's binaries off PATH, one folder per major version.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
UNPRIVILEGED_ACCOUNTS = ("postgres", "nobody")
HOST = "127.0.0.1"
SUPERUSER = "postgres"
READY_WITHIN = 60.0
STOP_WITHIN = 15.0
# Throwaway data: nothing needs to survive a crash, and every write is quicker.
SPEED_OVER_SAFETY = ("fsync=off", "full_page_writes=off", "synchronous_commit=off")
PR_SET_PDEATHSIG = 1


def binaries_folder(pattern: str = DEBIAN_BINARIES, search_path: str | None = None) -> Path | None:
    """The folder of ``initdb`` and ``postgres``: the newest major version matching
    ``pattern``, else the one on PATH (``search_path``)."""

    def version(folder: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", Path(folder).parent.name))

    candidates = [Path(folder) for folder in sorted(glob.glob(pattern), key=version, reverse=True)]
    initdb = shutil.which("initdb", path=search_path)
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def missing_reason(pattern: str = DEBIAN_BINARIES, search_path: str | None = None) -> str | None:
    """Why no throwaway server can start here, or None when one can."""
    if binaries_folder(pattern, search_path) is None:
        return (
            "PostgreSQL's server binaries (initdb, postgres) are not installed, neither in "
            f"{DEBIAN_BINARIES} nor on PATH (Debian: apt-get install postgresql)"
        )
    return None


def server_account() -> pwd.struct_passwd | None:
    """The unprivileged account the server runs as under root; None: as the current user."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_ACCOUNTS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError(f"PostgreSQL cannot run as root and none of {UNPRIVILEGED_ACCOUNTS} exists")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def die_with_parent() -> None:
    """In the child, after it has become the server's account: SIGTERM when the parent dies
    (set after the change of user, which would clear it)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class PostgresServer:
    """One PostgreSQL server in a temporary folder; ``url`` reaches its ``postgres``
    database as the superuser ``postgres``, without a password."""

    def __init__(self) -> None:
        folder = binaries_folder()
        if folder is None:
            raise RuntimeError(missing_reason())
        self.binaries = folder
        self.account = server_account()
        self.folder = Path(tempfile.mkdtemp(prefix="blog-postgres-"))
        self.port = free_port()
        self.url = f"postgresql://{SUPERUSER}@{HOST}:{self.port}/postgres"
        self.process: subprocess.Popen[bytes] | None = None

    def _as_account(self) -> dict[str, Any]:
        if self.account is None:
            return {}
        return {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """initdb, then the server; returns once it answers, else fails with its log."""
        if self.account is not None:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
        data = self.folder / "data"
        initdb = subprocess.run(
            [str(self.binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
             "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=READY_WITHIN, check=False,
            **self._as_account(),
        )  # fmt: skip
        if initdb.returncode != 0:
            self.stop()
            raise RuntimeError(f"initdb exited {initdb.returncode}:\n{initdb.stderr}")
        settings = [arg for setting in SPEED_OVER_SAFETY for arg in ("-c", setting)]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.binaries / "postgres"), "-D", str(data), "-h", HOST,
                 "-p", str(self.port), "-k", str(self.folder), *settings],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent, **self._as_account(),
            )  # fmt: skip
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        import psycopg

        assert self.process is not None
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                psycopg.connect(self.url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.05)
        log = self.log_path.read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"PostgreSQL did not answer within {READY_WITHIN:.0f} s:\n{log}")

    def stop(self) -> None:
        """A fast shutdown (SIGINT: sessions ended, nothing waited for), SIGKILL if it
        lingers; then the folder goes."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_WITHIN)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_WITHIN)
        shutil.rmtree(self.folder, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the database the tests run on: SQLite in memory (the default), or a throwaway "
        "PostgreSQL server started from the machine's binaries (TEST_DATABASE_URL names a "
        "server of your own instead)",
    )


@pytest.fixture(scope="session")
def test_database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The PostgreSQL database the tests run on (SQLAlchemy's URL), or None for SQLite:
    ``TEST_DATABASE_URL``'s, or with ``--database postgresql`` a throwaway server's."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield normalise_database_url(url)
        return
    if request.config.getoption("database") != "postgresql":
        yield None
        return
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield normalise_database_url(server.url)
