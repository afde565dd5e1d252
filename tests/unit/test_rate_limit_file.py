"""The rate-limit file (app/rate_limit_storage.py) as the workers sharing it see it: the last
try goes to one worker only, reading never waits for a count, old tries leave the file, a
limit of one allows one try, and clearing a key forgets its counter too."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from types import SimpleNamespace
from typing import Any

import pytest

from app import rate_limit_storage
from app.rate_limit_storage import WAIT_SECONDS, SQLiteStorage
from tests.unit.test_rate_limit_storage import Clock


def storage_on(tmp_path, clock=None) -> SQLiteStorage:
    return SQLiteStorage(f"sqlite:///{tmp_path / 'limits.sqlite'}", clock=clock or Clock())


def tries_in(tmp_path) -> int:
    """The tries the file holds, counted or not."""
    with closing(sqlite3.connect(tmp_path / "limits.sqlite")) as connection:
        (count,) = connection.execute("SELECT count(*) FROM hit").fetchone()
    return int(count)


class PausedAfterCounting:
    """The storage's connection, with ``meanwhile`` run once it has counted the tries."""

    def __init__(self, connection: sqlite3.Connection, meanwhile: Any) -> None:
        self.connection, self.meanwhile = connection, meanwhile

    def execute(self, sql: str, *args: Any) -> Any:
        cursor = self.connection.execute(sql, *args)
        if sql.startswith("SELECT count(*)"):
            self.meanwhile()
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)


def test_two_workers_counting_the_last_try_at_once_give_it_to_one(tmp_path, monkeypatch):
    first, second = storage_on(tmp_path), storage_on(tmp_path)
    assert first.acquire_entry("k", 2, 60)
    taken_meanwhile: list[bool] = []
    other = threading.Thread(
        target=lambda: taken_meanwhile.append(second.acquire_entry("k", 2, 60))
    )

    def other_worker_counts_too() -> None:
        other.start()
        # It waits for this count's transaction to end; without one it would take the try now.
        other.join(timeout=0.5)

    connection = first._connection()
    monkeypatch.setattr(
        first, "_connection", lambda: PausedAfterCounting(connection, other_worker_counts_too)
    )
    taken_here = first.acquire_entry("k", 2, 60)
    other.join()
    assert [taken_here, *taken_meanwhile] == [True, False]
    assert tries_in(tmp_path) == 2


def test_the_file_is_in_wal_mode_so_reading_never_waits_for_a_count(tmp_path):
    storage_on(tmp_path).check()
    with closing(sqlite3.connect(tmp_path / "limits.sqlite")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_tries_out_of_every_window_leave_the_file(tmp_path):
    clock = Clock()
    storage = storage_on(tmp_path, clock)
    for key in ("a", "b", "c"):
        storage.acquire_entry(key, 5, 60)
    clock.now += 60
    storage.acquire_entry("d", 5, 60)
    assert tries_in(tmp_path) == 1


def test_a_limit_of_one_allows_one_try(tmp_path):
    storage = storage_on(tmp_path)
    assert [storage.acquire_entry("k", 1, 60) for _ in range(2)] == [True, False]


def test_clearing_a_key_forgets_its_counter_too(tmp_path):
    storage = storage_on(tmp_path)
    storage.incr("k", 60, amount=3)
    storage.incr("other", 60)
    storage.clear("k")
    assert (storage.get("k"), storage.get("other")) == (0, 1)


def test_a_new_file_is_made_ready_before_any_thread_counts(tmp_path):
    """WAL and the tables are set once, as the storage is made: when each of a new worker's
    threads set them on opening the file, one of several at once was refused at once with
    "database is locked" under load (a 500 for its request), whatever the busy timeout."""
    storage_on(tmp_path)
    with closing(sqlite3.connect(tmp_path / "limits.sqlite")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"hit", "counter"} <= tables


def opening_with(monkeypatch: pytest.MonkeyPatch, connect: Callable[..., Any]) -> None:
    """The storage opens its file with ``connect``: sqlite3 as the storage's module sees it,
    not sqlite3 itself, which coverage writes its own data with."""
    module = SimpleNamespace(**{**vars(sqlite3), "connect": connect})
    monkeypatch.setattr(rate_limit_storage, "sqlite3", module)


def refused(message: str) -> Callable[..., Any]:
    def connect(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError(message)

    return connect


def waiting_on_a_clock_of_its_own(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The storage's waits for a file being prepared pass on the clock returned: no real
    wait."""
    clock = Clock()

    def sleep(seconds: float) -> None:
        clock.now += seconds

    monkeypatch.setattr(rate_limit_storage, "time", SimpleNamespace(monotonic=clock, sleep=sleep))
    return clock


def test_a_worker_booting_while_another_prepares_the_file_waits_for_it(tmp_path, monkeypatch):
    """Workers of one machine boot at once: the one refused at once ("database is locked",
    which SQLite answers without waiting where waiting could deadlock) tries again a moment
    later, not held back for as long as a request would notice."""
    refusals = [sqlite3.OperationalError("database is locked")]

    def connect(*args: Any, **kwargs: Any) -> Any:
        if refusals:
            raise refusals.pop()
        return sqlite3.connect(*args, **kwargs)

    opening_with(monkeypatch, connect)
    clock = waiting_on_a_clock_of_its_own(monkeypatch)
    started = clock.now
    assert storage_on(tmp_path).acquire_entry("k", 1, 60)
    assert refusals == []
    assert clock.now - started < 0.1


def test_a_file_that_cannot_be_prepared_is_a_clear_error(tmp_path, monkeypatch):
    """Any other refusal than a lock held meanwhile is not tried again."""
    opening_with(monkeypatch, refused("disk I/O error"))
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        storage_on(tmp_path)


def test_a_file_locked_for_longer_than_the_wait_is_an_error(tmp_path, monkeypatch):
    """A lock that outlasts ``WAIT_SECONDS`` stops the worker's boot with SQLite's message
    instead of a boot that never ends."""
    opening_with(monkeypatch, refused("database is locked"))
    clock = waiting_on_a_clock_of_its_own(monkeypatch)
    started = clock.now
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        storage_on(tmp_path)
    assert WAIT_SECONDS <= clock.now - started < WAIT_SECONDS + 1
