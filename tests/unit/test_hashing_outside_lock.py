"""Password hashing (slow on purpose) never holds the database's write lock: while a login,
a registration, a password change or reset, or an email change hashes, everyone else's
writes go on."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.hashing import call_before_hashing
from tests.support.write_lock import (
    NEW_PASSWORD,
    PASSWORD,
    add_alice,
    logged_in_client,
    reset_password_by_link,
    sqlite_file_of,
    write_lock_is_free,
)


@pytest.fixture
def lock_free_while_hashing(race_app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each hash or check of a password, whether another connection could write then."""
    path = sqlite_file_of(race_app)
    seen: list[bool] = []

    add_alice(race_app)
    call_before_hashing(monkeypatch, lambda: seen.append(write_lock_is_free(path)))
    return seen


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/login", {"username": "alice", "password": PASSWORD}, 302),
        ("/login", {"username": "alice", "password": "a wrong guess"}, 422),
        ("/login", {"username": "nobody", "password": "a wrong guess"}, 422),
        ("/register", {"username": "bob", "password": PASSWORD, "confirm": PASSWORD}, 302),
    ],
    ids=["right password", "wrong password", "unknown user", "register"],
)
def test_forms_hash_passwords_without_the_write_lock(
    race_app, lock_free_while_hashing, path, data, status
):
    assert race_app.test_client().post(path, data=data).status_code == status
    assert lock_free_while_hashing
    assert all(lock_free_while_hashing)


def test_a_password_change_hashes_without_the_write_lock(race_app, lock_free_while_hashing):
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = logged_in_client(race_app).post("/change-password", data=data)
    assert response.status_code == 302
    assert lock_free_while_hashing == [True, True]


def test_the_api_checks_passwords_without_the_write_lock(race_app, lock_free_while_hashing):
    response = race_app.test_client().post(
        "/api/auth", json={"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert lock_free_while_hashing == [True]


def test_a_password_reset_hashes_without_the_write_lock(race_app, lock_free_while_hashing):
    assert reset_password_by_link(race_app, NEW_PASSWORD).status_code == 302
    assert lock_free_while_hashing == [True]


def test_an_email_change_checks_the_password_without_the_write_lock(
    race_app, lock_free_while_hashing
):
    data = {"email": "alice@example.net", "current_password": PASSWORD}
    response = logged_in_client(race_app).post("/account", data=data)
    assert response.status_code == 302
    assert lock_free_while_hashing == [True]
