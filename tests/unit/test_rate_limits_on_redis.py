"""With RATELIMIT_STORAGE_URI=redis://... (the [redis] extra), the workers of several
machines share one count: a real redis-server, started for these tests on 127.0.0.1."""

from __future__ import annotations

import pytest

from app import create_app
from app.accounts.throttle import Throttled
from tests.support import redis_server


@pytest.fixture(scope="module")
def redis_url(request: pytest.FixtureRequest) -> str:
    return redis_server.redis_url(request)


@pytest.fixture
def two_workers(redis_url):
    workers = [create_app("test", environ={"RATELIMIT_STORAGE_URI": redis_url}) for _ in "ab"]
    yield workers
    workers[0].extensions["login_throttle"].reset()


def test_failed_logins_counted_by_one_worker_throttle_the_other(two_workers):
    throttles = [worker.extensions["login_throttle"] for worker in two_workers]
    attempts = [throttles[number % 2].attempt("alice", "10.0.0.1") for number in range(5)]
    with pytest.raises(Throttled) as refused:
        throttles[1].attempt("alice", "10.0.0.1")
    assert 0 < refused.value.retry_after <= 15 * 60
    attempts[0].succeeded()
    throttles[1].attempt("alice", "10.0.0.1")


def test_api_writes_counted_by_one_worker_are_limited_at_the_other(two_workers):
    for worker in two_workers:
        worker.config["API_WRITE_RATE_LIMIT"] = "2 per minute"
    address = {"REMOTE_ADDR": "10.2.2.2"}
    answers = [
        worker.test_client().post("/api/post", json={}, environ_base=address).status_code
        for worker in (*two_workers, two_workers[0])
    ]
    # The first two are refused for want of a token: they still count, as any write does.
    assert answers == [401, 401, 429]
