"""Failed logins are limited per account at an address, and per address: the 6th bad try on
one account from one address answers 429 with a clear message, while the same account from
another address, and other people, are not affected (an attacker cannot lock a user out)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from app import create_app
from app.accounts.throttle import LoginThrottle, Throttled
from app.config import ConfigError
from app.rate_limit_storage import SQLiteStorage
from tests.factories import UserFactory
from tests.factories.models import EPOCH
from tests.support.sessions import submit_login

THROTTLED = "Too many failed login attempts"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """A clock that stands still until the test moves it on (``clock.shift(seconds)``)."""
    with time_machine.travel(EPOCH, tick=False) as traveller:
        yield traveller


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        assert submit_login(client, username, "wrong guess", address=address).status_code == 422


def test_sixth_bad_try_on_an_account_is_refused_with_429_and_a_message(client):
    UserFactory(username="alice")
    fail(client, "alice", 5)
    response = submit_login(client, "alice", "wrong guess", address="10.0.0.1")
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_a_throttled_account_refuses_even_the_right_password_from_that_address(client):
    UserFactory(username="alice")
    fail(client, "alice", 5)
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 429


def test_failures_from_one_address_never_lock_the_account_at_another(client):
    UserFactory(username="alice")
    fail(client, "alice", 5, address="10.6.6.6")
    assert submit_login(client, "alice", "wrong guess", address="10.6.6.6").status_code == 429
    assert submit_login(client, "alice", address="10.0.0.2").status_code == 302


def test_the_account_key_ignores_letter_case(client):
    UserFactory(username="alice")
    for number in range(5):
        fail(client, "ALICE" if number % 2 else "alice", 1)
    assert submit_login(client, "Alice", address="10.0.0.1").status_code == 429


def test_the_address_limit_holds_across_accounts(client, app):
    UserFactory(username="carol")
    limit = int(app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"].split()[0])
    for number in range(limit):
        fail(client, f"someone-{number % 4}", 1, address="10.0.0.7")
    assert submit_login(client, "carol", address="10.0.0.7").status_code == 429
    assert submit_login(client, "carol", address="10.0.0.8").status_code == 302


def test_other_users_at_other_addresses_are_unaffected(client):
    UserFactory(username="alice")
    UserFactory(username="bob")
    fail(client, "alice", 5, address="10.0.0.1")
    assert submit_login(client, "bob", address="10.0.0.2").status_code == 302


def test_four_bad_tries_still_allow_the_right_password(client):
    UserFactory(username="alice")
    fail(client, "alice", 4)
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 302


def test_successful_logins_do_not_count(client):
    UserFactory(username="alice")
    for _ in range(7):
        assert submit_login(client, "alice", address="10.0.0.1").status_code == 302


def test_a_successful_login_forgets_the_failures_before_it(client, app):
    UserFactory(username="alice")
    fail(client, "alice", 4)
    assert submit_login(app.test_client(), "alice", address="10.0.0.1").status_code == 302
    fail(client, "alice", 5)
    assert submit_login(client, "alice", "wrong guess", address="10.0.0.1").status_code == 429


def test_the_login_page_itself_is_not_throttled(client):
    fail(client, "alice", 5)
    assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def test_workers_on_one_storage_file_share_their_counts(tmp_path):
    """Two apps stand for two server processes: failures at one count at the other."""
    environ = {"RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}"}
    workers = [create_app("test", environ=environ) for _ in range(2)]
    throttles = [worker.extensions["login_throttle"] for worker in workers]
    for number in range(5):
        throttles[number % 2].attempt("alice", "10.0.0.1")
    with pytest.raises(Throttled):
        throttles[1].attempt("alice", "10.0.0.1")


def test_the_window_is_configurable_and_ends_on_the_clock(clock, tmp_path):
    storage = SQLiteStorage(f"sqlite:///{tmp_path / 'limits.sqlite'}")
    throttle = LoginThrottle(storage, "2 per 1 minute", "10 per 1 minute")
    throttle.attempt("alice", "10.0.0.1")
    clock.shift(20)
    throttle.attempt("alice", "10.0.0.1")
    with pytest.raises(Throttled) as refused:
        throttle.attempt("alice", "10.0.0.1")
    assert refused.value.retry_after == 40
    clock.shift(39)
    with pytest.raises(Throttled) as refused:
        throttle.attempt("alice", "10.0.0.1")
    assert refused.value.retry_after == 1
    clock.shift(1)
    throttle.attempt("alice", "10.0.0.1")  # the first try has left the window


def test_a_refusal_never_says_retry_after_0_when_the_window_ends_during_the_lookup(
    clock, tmp_path, monkeypatch
):
    """Retry-After: 0 would invite an immediate retry; the clock may pass the window's end
    between the refusal and the reading of when it ends (a slow storage, a busy worker)."""
    storage = SQLiteStorage(f"sqlite:///{tmp_path / 'limits.sqlite'}")
    throttle = LoginThrottle(storage, "1 per 1 minute", "10 per 1 minute")
    throttle.attempt("alice", "10.0.0.1")
    clock.shift(59.5)
    read_stats = throttle.limiter.get_window_stats

    def slow_read(*args):
        stats = read_stats(*args)
        clock.shift(1)
        return stats

    monkeypatch.setattr(throttle.limiter, "get_window_stats", slow_read)
    with pytest.raises(Throttled) as refused:
        throttle.attempt("alice", "10.0.0.1")
    assert refused.value.retry_after == 1


def test_a_throttled_account_logs_in_once_its_fifteen_minutes_are_over(client, clock):
    UserFactory(username="alice")
    fail(client, "alice", 5)
    clock.shift(60)
    refused = submit_login(client, "alice", address="10.0.0.1")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(15 * 60 - 60)
    clock.shift(15 * 60 - 60 - 1)
    last_second = submit_login(client, "alice", address="10.0.0.1")
    assert (last_second.status_code, last_second.headers["Retry-After"]) == (429, "1")
    clock.shift(2)
    assert submit_login(client, "alice", address="10.0.0.1").status_code == 302


def test_storage_and_limits_come_from_the_environment(tmp_path):
    environ = {
        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
        "LOGIN_THROTTLE_LIMIT": "3/minute",
        "LOGIN_THROTTLE_ADDRESS_LIMIT": "7/minute",
    }
    throttle = create_app("test", environ=environ).extensions["login_throttle"]
    assert (str(throttle.account_limit), str(throttle.address_limit)) == (
        "3 per 1 minute",
        "7 per 1 minute",
    )


@pytest.mark.parametrize(
    ("database_url", "counts"),
    [
        ("sqlite:///{tmp}/blog.sqlite", "sqlite:///{tmp}/blog-rate-limits.sqlite"),
        ("sqlite://", "memory://"),
        ("postgresql://blog@db/blog", "sqlite:///{instance}/rate-limits.sqlite"),
    ],
)
def test_by_default_the_counts_live_beside_a_sqlite_database_else_in_the_instance_folder(
    database_url, counts, tmp_path
):
    app = create_app("dev", environ={"DATABASE_URL": database_url.format(tmp=tmp_path)})
    expected = counts.format(instance=app.instance_path, tmp=tmp_path)
    assert app.config["RATELIMIT_STORAGE_URI"] == expected


@pytest.mark.parametrize("uri", ["nosuch://x", "sqlite:////no/such/folder/limits.sqlite"])
def test_an_unusable_storage_is_a_clear_error_at_startup(uri):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app("test", environ={"RATELIMIT_STORAGE_URI": uri})


def test_a_username_no_account_can_have_is_refused_without_a_lookup_or_a_count(client, app):
    """Such a form is refused before the throttle: it cannot fill the count of anyone."""
    UserFactory(username="alice")
    too_long = "a" * 65
    limit = int(app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"].split()[0])
    for _ in range(limit + 1):
        assert submit_login(client, too_long, "a guess", address="10.0.0.3").status_code == 422
    assert submit_login(client, "alice", address="10.0.0.3").status_code == 302
