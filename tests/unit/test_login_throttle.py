"""Failed logins are limited per account and per address: the 6th bad try in the window
answers 429 with a clear message, and other people are not affected."""

from __future__ import annotations

import pytest

from app import create_app
from app.login_throttle import LoginThrottle
from tests.factories import UserFactory
from tests.sessions import submit_login

THROTTLED = "Too many failed login attempts"


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        assert submit_login(client, username, "wrong guess", address=address).status_code == 422


def test_sixth_bad_try_on_an_account_is_refused_with_429_and_a_message(client):
    UserFactory(username="alice")
    fail(client, "alice", 5)
    response = submit_login(client, "alice", "wrong guess", address="10.0.0.1")
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_a_throttled_account_refuses_even_the_right_password(client):
    UserFactory(username="alice")
    fail(client, "alice", 5)
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 429


def test_the_account_limit_holds_across_addresses_and_ignores_case(client):
    UserFactory(username="alice")
    for number in range(5):
        fail(client, "ALICE" if number % 2 else "alice", 1, address=f"10.0.1.{number}")
    assert submit_login(client, "Alice", address="10.0.1.99").status_code == 429


def test_the_address_limit_holds_across_accounts(client):
    UserFactory(username="carol")
    fail(client, "someone", 3, address="10.0.0.7")
    fail(client, "nobody", 2, address="10.0.0.7")
    assert submit_login(client, "carol", address="10.0.0.7").status_code == 429


def test_other_users_at_other_addresses_are_unaffected(client):
    UserFactory(username="alice")
    UserFactory(username="bob")
    fail(client, "alice", 6 - 1, address="10.0.0.1")
    assert submit_login(client, "bob", address="10.0.0.2").status_code == 302


def test_five_bad_tries_still_allow_the_right_password(client):
    UserFactory(username="alice")
    fail(client, "alice", 5 - 1)
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 302


def test_successful_logins_do_not_count(client):
    UserFactory(username="alice")
    for _ in range(6):
        assert submit_login(client, "alice", address="10.0.0.1").status_code == 302
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 302


def test_the_login_page_itself_is_not_throttled(client):
    fail(client, "alice", 5)
    assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def test_the_window_is_configurable_and_ends(app, monkeypatch):
    throttle = LoginThrottle("2 per 1 second", "memory://")
    assert throttle.allows("alice", "10.0.0.1")
    throttle.record_failure("alice", "10.0.0.1")
    throttle.record_failure("alice", "10.0.0.1")
    assert not throttle.allows("alice", "10.0.0.1")
    assert 0 < throttle.retry_after("alice", "10.0.0.1") <= 1
    throttle.reset()
    assert throttle.allows("alice", "10.0.0.1")


def test_storage_and_limit_come_from_the_environment():
    app = create_app(
        "test",
        environ={"LOGIN_THROTTLE_STORAGE_URI": "memory://", "LOGIN_THROTTLE_LIMIT": "3/minute"},
    )
    assert app.config["LOGIN_THROTTLE_STORAGE_URI"] == "memory://"
    assert str(app.extensions["login_throttle"].limit) == "3 per 1 minute"


def test_an_unknown_storage_is_a_clear_error_at_startup():
    with pytest.raises(ValueError, match="storage"):
        create_app("test", environ={"LOGIN_THROTTLE_STORAGE_URI": "nosuch://x"})
