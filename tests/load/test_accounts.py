"""Accounts under concurrency: one name registered eight times at once makes one account,
and wrong passwords spread over every worker are throttled after five."""

from __future__ import annotations

import itertools
import secrets
import threading

import requests

from tests.load.clients import (
    TIMEOUT,
    Answer,
    assert_no_server_error,
    describe,
    form_client,
    record,
    run_clients,
    statuses,
)
from tests.load.conftest import LoadServer

LOGIN_TRIES = 30
# The app's default LOGIN_THROTTLE_LIMIT, which the load server keeps.
FAILED_LOGINS_ALLOWED = 5


def test_one_name_registered_at_once(load_server: LoadServer) -> None:
    """8 visitors register the same name at the same moment: one account, one redirect to
    the login page, and seven forms refused with 422 (the name is taken), no 5xx."""
    server = load_server
    name = f"newcomer-{secrets.token_hex(4)}"
    url = f"{server.base_url}/register"

    prepare = form_client(url)

    def act(client: int, state: tuple[requests.Session, str]) -> list[Answer]:
        session, token = state
        password = secrets.token_urlsafe(18)
        sent = {"username": name, "password": password, "confirm": password, "csrf_token": token}
        response = session.post(url, data=sent, allow_redirects=False, timeout=TIMEOUT)
        session.close()
        return [Answer.of(client, response, sent)]

    burst = run_clients(prepare, act)
    accounts = server.stored.scalar(
        'SELECT count(*) FROM "user" WHERE lower(username) = lower(:name)', name=name
    )
    record("e. one name registered 8 times", server, burst, f"{accounts} account(s)")

    assert_no_server_error(burst)
    assert accounts == 1
    assert statuses(burst.answers) == {302: 1, 422: 7}, describe(burst.answers)


def test_failed_logins_throttled_across_workers(load_server: LoadServer) -> None:
    """30 wrong passwords for one account from 8 clients, spread over every worker and
    thread: at most 5 are checked, every other answer is 429 with a Retry-After."""
    server = load_server
    account = server.accounts["poster2"]
    url = f"{server.base_url}/login"
    tries = itertools.count()
    lock = threading.Lock()

    prepare = form_client(url)

    def take_a_try() -> bool:
        with lock:
            return next(tries) < LOGIN_TRIES

    def act(client: int, state: tuple[requests.Session, str]) -> list[Answer]:
        session, token = state
        answers = []
        while take_a_try():
            sent = {
                "username": account.username,
                "password": f"wrong-{secrets.token_hex(8)}",
                "csrf_token": token,
            }
            response = session.post(url, data=sent, allow_redirects=False, timeout=TIMEOUT)
            answers.append(Answer.of(client, response, sent))
        session.close()
        return answers

    burst = run_clients(prepare, act)
    let_through = [a for a in burst.answers if a.status != 429]
    record("f. 30 wrong passwords, 1 account", server, burst, f"{len(let_through)} checked (max 5)")

    assert_no_server_error(burst)
    assert len(burst.answers) == LOGIN_TRIES
    assert len(let_through) <= FAILED_LOGINS_ALLOWED, (
        f"{len(let_through)} wrong passwords were checked, not at most "
        f"{FAILED_LOGINS_ALLOWED}: {dict(statuses(burst.answers))}"
    )
    throttled = [a for a in burst.answers if a.status == 429]
    without_wait = [a for a in throttled if not a.headers.get("Retry-After", "").isdigit()]
    assert not without_wait, f"{len(without_wait)} answers 429 without a Retry-After in seconds"
