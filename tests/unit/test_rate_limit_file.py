"""The rate-limit file (app/rate_limit_storage.py) as the workers sharing it see it: the last
try goes to one worker only, reading never waits for a count, old tries leave the file, a
limit of one allows one try, and clearing a key forgets its counter too."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from typing import Any

from app.rate_limit_storage import SQLiteStorage
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
