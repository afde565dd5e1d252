"""On SQLite, a request that writes holds the database's write lock when it saves: from its
first statement on in a plain write view, and from the end of its slow work on in a view that
hashes first (app.database). Another connection cannot write in between, so the request
never finds its snapshot outdated ("database is locked" at once) when it saves. Reading
requests never take the lock, so they go on while someone else writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.test import TestResponse as Response

from tests.support.write_lock import (
    NEW_PASSWORD,
    PASSWORD,
    add_alice,
    logged_in_client,
    reset_password_by_link,
    sqlite_file_of,
    write_lock_free_at_each_flush,
)


@pytest.fixture
def database_file(race_app: Flask) -> str:
    """The path of race_app's SQLite file, holding alice, a poster, with a post."""
    path = sqlite_file_of(race_app)
    add_alice(race_app, post="Open")
    return path


@pytest.fixture
def lock_free_when_saving(database_file: str) -> Iterator[list[bool]]:
    """For each flush of a request, whether another connection could write at that moment."""
    with write_lock_free_at_each_flush(database_file) as seen:
        yield seen


def test_a_comment_saves_holding_the_write_lock(race_app, lock_free_when_saving):
    response = race_app.test_client().post("/blog/post/1", data={"name": "Ann", "text": "Hi"})
    assert response.status_code == 302
    assert lock_free_when_saving
    assert not any(lock_free_when_saving)


def test_a_password_change_saves_holding_the_write_lock(race_app, lock_free_when_saving):
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = logged_in_client(race_app).post("/change-password", data=data)
    assert response.status_code == 302
    assert lock_free_when_saving
    assert not any(lock_free_when_saving)


def test_a_registration_saves_holding_the_write_lock(race_app, lock_free_when_saving):
    data = {"username": "bob", "password": PASSWORD, "confirm": PASSWORD}
    assert race_app.test_client().post("/register", data=data).status_code == 302
    assert lock_free_when_saving
    assert not any(lock_free_when_saving)


def test_a_password_reset_saves_holding_the_write_lock(race_app, lock_free_when_saving):
    assert reset_password_by_link(race_app, NEW_PASSWORD).status_code == 302
    assert lock_free_when_saving
    assert not any(lock_free_when_saving)


def while_another_connection_writes(path: str, request: Callable[[], Response]) -> Response:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        return request()
    finally:
        other.rollback()
        other.close()


def test_pages_are_read_while_another_connection_holds_the_write_lock(race_app, database_file):
    client = race_app.test_client()
    response = while_another_connection_writes(database_file, lambda: client.get("/blog/post/1"))
    assert response.status_code == 200
    assert "Open" in response.get_data(as_text=True)


def test_asking_for_a_reset_link_only_reads_so_it_answers_while_another_connection_writes(
    race_app, database_file
):
    """Nothing is saved for an address without an account: the request never waits for the
    write lock (the mail's key is saved after the answer, for an account's address)."""
    client = race_app.test_client()
    ask = lambda: client.post("/forgot-password", data={"email": "nobody@example.org"})  # noqa: E731
    response = while_another_connection_writes(database_file, ask)
    assert response.status_code == 302
