"""A throttled login page says how long to wait: the seconds left (``Retry-After``) rounded up
to whole minutes, so nobody who waits as told is refused again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.factories import UserFactory
from tests.factories.models import EPOCH
from tests.support.html import parse, text_of
from tests.support.sessions import submit_login


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """A clock that stands still until the test moves it on."""
    with time_machine.travel(EPOCH, tick=False) as traveller:
        yield traveller


def wait_advice(client) -> tuple[str, str]:
    """The ``Retry-After`` of a refused login and the page's advice."""
    response = submit_login(client, "alice", "wrong guess", address="10.0.0.1")
    assert response.status_code == 429
    [advice] = text_of(parse(response.get_data(as_text=True)), "#throttled")
    return response.headers["Retry-After"], advice.split(". ", 1)[1]


def test_the_wait_is_given_in_minutes_rounded_up(client, clock):
    UserFactory(username="alice")
    for _ in range(5):
        submit_login(client, "alice", "wrong guess", address="10.0.0.1")
    clock.shift(60)
    assert wait_advice(client) == ("840", "Please wait 14 minutes and try again.")
    clock.shift(840 - 61)
    assert wait_advice(client) == ("61", "Please wait 2 minutes and try again.")
    clock.shift(60)
    assert wait_advice(client) == ("1", "Please wait 1 minute and try again.")
