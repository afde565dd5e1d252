"""A real gunicorn server on a database of its own, as production runs the blog.

The server runs ``gunicorn -c gunicorn.conf.py`` from the repository root in a process group
of its own under ``APP_CONFIG=prod``, so a test can stop it gracefully or kill every one of
its processes at once, as a crash would.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Generous: on a busy 2-core machine four workers importing the app take a while.
READY_WITHIN = 60.0
STOP_WITHIN = 15.0
# Loud enough that only the locking under test can refuse a write, never a rate limit.
UNLIMITED = "100000 per minute"
# The server's variables that would change what is measured if inherited from the shell:
# the failed-login throttle must stay at the app's defaults (5 per 15 minutes).
NOT_INHERITED = (
    "LOGIN_THROTTLE_LIMIT",
    "LOGIN_THROTTLE_ADDRESS_LIMIT",
    "RATELIMIT_STORAGE_URI",
    "TEST_DATABASE_URL",
)


@dataclass(frozen=True)
class Shape:
    """How many processes and threads gunicorn serves with."""

    name: str
    workers: int
    threads: int

    @property
    def id(self) -> str:
        return self.name.replace(" ", "-")


SHAPES = (Shape("4 sync workers", 4, 1), Shape("1 worker x 8 threads", 1, 8))


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str


def make_accounts() -> dict[str, Account]:
    """The accounts every load server starts with, with fresh strong passwords."""
    roles = {"poster": "poster", "poster2": "poster", "admin": "admin", "reader": "default"}
    return {
        name: Account(f"load-{name}", secrets.token_urlsafe(18), role)
        for name, role in roles.items()
    }


# The posts the scenarios write to, one each, so that every scenario counts its own rows.
POSTS = ("api-comments", "form-comments", "put-title-tags", "put-tags", "crash-comments")


def gunicorn_missing() -> str | None:
    """Why gunicorn cannot run here, or None when it can."""
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return (
            "gunicorn is not installed in this environment: run the load tests through "
            "`nox -s load`, or `pip install -e '.[test,server,postgres]'`."
        )
    return None


def free_port() -> int:
    """A port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def database_kind(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


@contextmanager
def fresh_database(folder: Path, admin_url: str | None) -> Iterator[str]:
    """The URL of an empty database, removed afterwards.

    SQLite (``admin_url`` None): a new file in ``folder``, which every worker opens. On
    PostgreSQL (the session's ``test_database_url``: ``--database postgresql`` or
    ``TEST_DATABASE_URL``, a database there that may create databases): a database of the
    run's own, created and dropped through that URL.
    """
    if not admin_url:
        yield f"sqlite:///{folder / 'blog.sqlite'}"
        return
    import psycopg
    from psycopg import sql

    name = f"load_{secrets.token_hex(6)}"
    admin = make_url(admin_url).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    # CREATE/DROP DATABASE refuse to run inside a transaction, hence autocommit.
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class StoredRows:
    """Reads what the server stored through a connection of the test's own, opened afresh
    for every query, so that nothing the app caches or holds can colour the answer."""

    def __init__(self, url: str) -> None:
        if url.startswith(("postgres://", "postgresql://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self.engine = create_engine(url, poolclass=NullPool)

    def rows(self, query: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query), params)]

    def column(self, query: str, **params: Any) -> list[Any]:
        return [row[0] for row in self.rows(query, **params)]

    def scalar(self, query: str, **params: Any) -> Any:
        (value,) = self.column(query, **params)
        return value

    def close(self) -> None:
        self.engine.dispose()


def server_environment(database_url: str, shape: Shape, port: int, folder: Path) -> dict[str, str]:
    """The production configuration, on this database, with rate limits out of the way.

    On SQLite the app keeps its rate-limit counts beside the database file by default. On
    PostgreSQL the default is a file in the instance folder, one per machine, which would
    carry one server's throttled 127.0.0.1 into the next: each server is a site of its own.
    """
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    if database_kind(database_url) == "postgresql":
        env["RATELIMIT_STORAGE_URI"] = f"sqlite:///{folder / 'rate-limits.sqlite'}"
    env.update(
        APP_CONFIG="prod",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_WORKERS=str(shape.workers),
        GUNICORN_THREADS=str(shape.threads),
        COMMENT_RATE_LIMIT=UNLIMITED,
        REGISTER_RATE_LIMIT=UNLIMITED,
        API_WRITE_RATE_LIMIT=UNLIMITED,
        # Log lines reach the file as they happen, not when a killed process would flush.
        PYTHONUNBUFFERED="1",
    )
    return env


def run_checked(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    """Run a command of the app's in the repository; its output, or a failure that shows it."""
    done = subprocess.run(
        args, cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def prepare_database(env: dict[str, str], accounts: dict[str, Account]) -> dict[str, int]:
    """Create the schema with the app's own CLI, then the accounts and the posts (written by
    the poster); return the posts' ids by name."""
    run_checked([sys.executable, "-m", "flask", "--app", "app", "init-db"], env)
    spec = {
        "accounts": [vars(account) for account in accounts.values()],
        "posts": dict.fromkeys(POSTS, accounts["poster"].username),
    }
    out = run_checked([sys.executable, "-m", "tests.load.seeding"], env, stdin=json.dumps(spec))
    counts: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return counts


class GunicornServer:
    """gunicorn under ``gunicorn.conf.py`` with this environment; its output goes to
    ``log_path``, which a failing test prints."""

    def __init__(self, shape: Shape, env: dict[str, str], log_path: Path) -> None:
        self.shape = shape
        self.env = env
        self.log_path = log_path
        self.base_url = f"http://{env['GUNICORN_BIND']}"
        self.process: subprocess.Popen[bytes] | None = None
        self.posts: dict[str, int] = {}

    def start(self) -> None:
        """Start the server and return once it answers; fail with its log otherwise."""
        with self.log_path.open("ab") as log:
            log.write(f"--- starting gunicorn ({self.shape.name}) ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py")],
                cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode} before answering:\n"
                    + self.log_tail()
                )
            with suppress(requests.RequestException):
                answer = requests.get(f"{self.base_url}/api/post?per_page=1", timeout=2)
                if answer.status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer within {READY_WITHIN:.0f} s:\n" + self.log_tail()
        )

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once, as a crash or an OOM kill does."""
        assert self.process is not None
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_WITHIN)

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL to the group if it lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_WITHIN)
        # Also ends workers that outlived their master.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_WITHIN)

    def log_tail(self, lines: int = 120) -> str:
        try:
            text_lines = self.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text_lines[-lines:])
