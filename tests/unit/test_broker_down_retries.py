"""A broker that is down costs a request's task two quick tries, not kombu's default waits:
the publish is not retried, the connection is tried once more at once, and then the task
runs inline (tests/unit/test_broker_down.py has the mail that still goes)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from app import create_app
from conftest import FreshGlobalsClient, database_overrides
from tests.factories import PosterFactory, PostFactory
from tests.support.smtp_server import mail_settings


@pytest.fixture
def broken_broker() -> Iterator[tuple[int, list[float]]]:
    """A port that takes each connection and closes it at once (a broker that is down, or
    restarting): its number, and when each connection came."""
    listener = socket.create_server(("127.0.0.1", 0))
    arrivals: list[float] = []

    def take() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            arrivals.append(time.monotonic())
            connection.close()

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], arrivals
    finally:
        # Closing alone would leave accept() waiting: shutting down wakes it at once.
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(timeout=5)


def test_the_broker_is_tried_twice_at_once_and_then_the_task_runs_here(broken_broker, mailbox):
    port, arrivals = broken_broker
    broker = f"redis://127.0.0.1:{port}/0"
    app = create_app(
        "test",
        overrides={
            **database_overrides(None),
            **mail_settings(mailbox),
            "CELERY_BROKER_URL": broker,
        },
    )
    app.test_client_class = FreshGlobalsClient
    post = PostFactory(user=PosterFactory(email="ann@example.org"))
    response = app.test_client().post(f"/blog/post/{post.id}", data={"name": "Bob", "text": "Hi"})
    assert response.status_code == 302
    assert len(mailbox.wait_for(1)) == 1
    # Two tries (a try may open two connections), with no wait between them.
    assert 2 < len(arrivals) <= 4
    assert arrivals[-1] - arrivals[0] < 0.9


def test_a_silent_broker_is_given_up_after_2_s_and_a_worker_started_first_waits_for_it():
    """Cases too slow to stage here (a broker whose port never answers; a worker started
    before its broker), so the settings Celery acts on are checked."""
    app = create_app("test", environ={"CELERY_BROKER_URL": "redis://queue.example.org:6379/2"})
    settings = app.extensions["celery"].conf
    assert settings.broker_connection_timeout == 2
    assert settings.broker_connection_retry_on_startup is True
