"""The SQLite file that keeps rate-limit counts for every worker of a machine."""

from __future__ import annotations

from typing import cast

import pytest
from limits import parse, strategies
from limits.storage import storage_from_string

from app.rate_limit_storage import SQLiteStorage
from tests.support.races import in_parallel


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def uri(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'limits.sqlite'}"


@pytest.fixture
def storage(uri, clock) -> SQLiteStorage:
    return SQLiteStorage(uri, clock=clock)


def test_the_uri_scheme_sqlite_selects_this_storage(uri):
    storage = storage_from_string(uri)
    assert isinstance(storage, SQLiteStorage)
    assert storage.check()


@pytest.mark.parametrize("bad", ["sqlite://", "sqlite:////no/such/folder/limits.sqlite"])
def test_a_uri_without_a_usable_file_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"file|folder"):
        SQLiteStorage(bad)


def test_a_moving_window_allows_the_limit_then_refuses(storage):
    assert [storage.acquire_entry("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert storage.acquire_entry("other", 3, 60)
    assert not storage.acquire_entry("fresh", 3, 60, amount=4)


def test_tries_leave_the_window_when_it_moves_on(storage, clock):
    assert storage.acquire_entry("k", 2, 60)
    clock.now += 30
    assert storage.acquire_entry("k", 2, 60)
    assert not storage.acquire_entry("k", 2, 60)
    assert storage.get_moving_window("k", 2, 60) == (clock.now - 30, 2)
    clock.now += 31
    assert storage.get_moving_window("k", 2, 60) == (clock.now - 31, 1)
    assert storage.acquire_entry("k", 2, 60)


def test_an_empty_window_starts_now(storage, clock):
    assert storage.get_moving_window("nothing", 5, 60) == (clock.now, 0)


def test_two_storages_on_one_file_share_their_counts(uri, clock):
    """As two worker processes do."""
    first, second = SQLiteStorage(uri, clock=clock), SQLiteStorage(uri, clock=clock)
    assert first.acquire_entry("k", 2, 60)
    assert second.acquire_entry("k", 2, 60)
    assert not first.acquire_entry("k", 2, 60)
    second.clear("k")
    assert first.acquire_entry("k", 2, 60)


def test_concurrent_tries_never_exceed_the_limit(uri):
    storage = SQLiteStorage(uri)
    results = in_parallel(*[lambda: storage.acquire_entry("k", 5, 60) for _ in range(12)])
    assert results.count(True) == 5


def test_the_limits_strategy_counts_and_clears_through_it(storage):
    limiter = strategies.MovingWindowRateLimiter(storage)
    limit = parse("2 per minute")
    assert limiter.hit(limit, "account", "alice")
    assert limiter.hit(limit, "account", "alice")
    assert not limiter.test(limit, "account", "alice")
    assert limiter.get_window_stats(limit, "account", "alice").remaining == 0
    limiter.clear(limit, "account", "alice")
    assert limiter.test(limit, "account", "alice")


def test_fixed_window_counters_count_up_and_expire(storage, clock):
    assert storage.incr("c", 60) == 1
    assert storage.incr("c", 60, amount=2) == 3
    assert storage.get("c") == 3
    assert storage.get_expiry("c") == clock.now + 60
    clock.now += 61
    assert storage.get("c") == 0
    assert storage.get_expiry("c") == clock.now
    assert storage.incr("c", 60) == 1


def test_reset_forgets_everything(storage):
    storage.acquire_entry("a", 5, 60)
    storage.incr("b", 60)
    assert storage.reset() == 2
    assert storage.get_moving_window("a", 5, 60)[1] == 0
    assert storage.get("b") == 0


def test_a_failed_count_changes_nothing_and_the_next_one_works(storage):
    import sqlite3

    storage.acquire_entry("k", 5, 60)
    with pytest.raises(sqlite3.IntegrityError):
        storage.acquire_entry(cast(str, None), 5, 60)
    assert storage.acquire_entry("k", 5, 60)
    assert storage.get_moving_window("k", 5, 60)[1] == 2


def test_an_unreadable_file_fails_the_check(storage, monkeypatch):
    import sqlite3

    class Broken:
        def execute(self, *args):
            raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(storage, "_connection", lambda: Broken())
    assert storage.check() is False
    assert storage.base_exceptions is sqlite3.Error


def test_a_forked_worker_opens_its_own_connection(storage, monkeypatch):
    first = storage._connection()
    monkeypatch.setattr("os.getpid", lambda: -1)
    assert storage._connection() is not first
