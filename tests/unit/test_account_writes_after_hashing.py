"""A registration, a password change, an email change and a login that rehashes take the
write lock once the slow hashing is done, and read the user again under it: a change another
request saved while they hashed neither fails them nor is lost."""

from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import User
from tests.support.hashing import call_before_hashing
from tests.support.write_lock import (
    NEW_PASSWORD,
    PASSWORD,
    add_alice,
    logged_in_client,
    sqlite_file_of,
)


@pytest.fixture
def written_while_hashing(race_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alice's account; before each hash or check of a password, another connection saves
    a new post count for her (a column none of these views writes)."""
    path = sqlite_file_of(race_app, "SQLite's snapshot of a deferred transaction")

    def write_elsewhere() -> None:
        other = sqlite3.connect(path, timeout=5)
        with other:
            other.execute("UPDATE user SET post_count = post_count + 7 WHERE username = 'alice'")
        other.close()

    add_alice(race_app)
    call_before_hashing(monkeypatch, write_elsewhere)


def alice(race_app: Flask) -> User:
    with race_app.app_context():
        found = User.by_username("alice")
        assert found is not None
        db.session.expunge(found)
        db.session.remove()
        return found


def test_a_password_change_saves_after_a_write_made_while_it_hashed(
    race_app, written_while_hashing
):
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = logged_in_client(race_app).post("/change-password", data=data)
    assert response.status_code == 302
    saved = alice(race_app)
    assert saved.post_count == 14
    assert PasswordHasher().verify(saved.password_hash, NEW_PASSWORD)


def test_an_email_change_saves_after_a_write_made_while_it_checked_the_password(
    race_app, written_while_hashing
):
    data = {"email": "alice@example.net", "current_password": PASSWORD}
    response = logged_in_client(race_app).post("/account", data=data)
    assert response.status_code == 302
    assert (alice(race_app).email, alice(race_app).post_count) == ("alice@example.net", 7)


def test_a_login_saves_its_rehash_after_a_write_made_while_it_hashed(
    race_app, written_while_hashing
):
    old_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    with race_app.app_context():
        db.session.execute(update(User).values(password_hash=old_hash))
        db.session.commit()
        db.session.remove()
    data = {"username": "alice", "password": PASSWORD}
    assert race_app.test_client().post("/login", data=data).status_code == 302
    saved = alice(race_app)
    assert (saved.password_hash != old_hash, saved.post_count) == (True, 14)


def test_a_registration_saves_after_a_write_made_while_it_hashed(race_app, written_while_hashing):
    data = {"username": "bob", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert race_app.test_client().post("/register", data=data).status_code == 302
    with race_app.app_context():
        assert User.by_username("bob") is not None
        db.session.remove()
    assert alice(race_app).post_count == 7
