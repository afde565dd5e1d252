"""A `limits` storage in a SQLite file: rate-limit counts shared by every worker process of
one machine, with no server to run.

``sqlite:///path/to/file`` as ``RATELIMIT_STORAGE_URI`` selects it (the `limits` package
finds storages by their URI scheme). The counts live in a file of their own, not in the
blog's database: they are short-lived, need no backup, and their writes then never wait
for the blog's write lock (or the other way round) within one request.

Each check-and-count runs in one ``BEGIN IMMEDIATE`` transaction, so concurrent workers
cannot both take the last allowed try.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from urllib.parse import urlparse

from limits.storage import MovingWindowSupport, Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS hit (key TEXT NOT NULL, at REAL NOT NULL, expires REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hit_key_at ON hit (key, at);
CREATE INDEX IF NOT EXISTS hit_expires ON hit (expires);
CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL,
                                    expires REAL NOT NULL);
"""
# How long a count waits for another's, and a booting worker for another preparing the file.
WAIT_SECONDS = 5


class SQLiteStorage(Storage, MovingWindowSupport):
    """Moving-window and fixed-window counts in a SQLite file."""

    # limits registers the class under these schemes; its base declares no ClassVar.
    STORAGE_SCHEME = ["sqlite"]  # noqa: RUF012

    def __init__(
        self,
        uri: str,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        **options: float | str | bool,
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = urlparse(uri).path.removeprefix("/")
        if not self.path:
            raise ValueError(f"{uri!r} names no file, e.g. sqlite:////var/lib/blog/limits.sqlite")
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):
            raise ValueError(f"The folder of the rate-limit file {self.path!r} does not exist")
        self.clock = clock
        self._local = threading.local()
        self._prepare_file()

    def _prepare_file(self) -> None:
        """WAL and the tables, once, before any thread counts. SQLite refuses a connection
        at once, without waiting, where waiting could deadlock ("database is locked"): a
        change of journal mode among connections opened together (the workers of a machine
        booting at once) is tried again until ``WAIT_SECONDS`` have passed."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                with closing(self._open()) as connection:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.executescript(SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=WAIT_SECONDS, isolation_level=None)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread and per process: a connection must not cross a fork.
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = self._open()
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = self.clock()
        with self._transaction() as db:
            db.execute("DELETE FROM hit WHERE expires <= ?", (now,))
            (count,) = db.execute(
                "SELECT count(*) FROM hit WHERE key = ? AND at > ?", (key, now - expiry)
            ).fetchone()
            if count + amount > limit:
                return False
            db.executemany(
                "INSERT INTO hit (key, at, expires) VALUES (?, ?, ?)",
                [(key, now, now + expiry)] * amount,
            )
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """The time of the oldest try in the window and the number of tries in it."""
        now = self.clock()
        oldest, count = (
            self._connection()
            .execute(
                "SELECT min(at), count(*) FROM hit WHERE key = ? AND at > ?", (key, now - expiry)
            )
            .fetchone()
        )
        return (now if oldest is None else oldest), count

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        with self._transaction() as db:
            db.execute("DELETE FROM counter WHERE key = ? AND expires <= ?", (key, now))
            db.execute(
                "INSERT INTO counter (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            (value,) = db.execute("SELECT value FROM counter WHERE key = ?", (key,)).fetchone()
            return int(value)

    def _counter(self, key: str) -> tuple[int, float]:
        row = (
            self._connection()
            .execute(
                "SELECT value, expires FROM counter WHERE key = ? AND expires > ?",
                (key, self.clock()),
            )
            .fetchone()
        )
        return (0, self.clock()) if row is None else (int(row[0]), float(row[1]))

    def get(self, key: str) -> int:
        return self._counter(key)[0]

    def get_expiry(self, key: str) -> float:
        return self._counter(key)[1]

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._transaction() as db:
            removed = db.execute("DELETE FROM hit").rowcount
            return removed + db.execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM hit WHERE key = ?", (key,))
            db.execute("DELETE FROM counter WHERE key = ?", (key,))
