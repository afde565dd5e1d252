"""Tasks on a real Celery worker (celery.contrib.testing, in this process): queued through a
broker by the site, run after the answer, retried with backoff on SMTP errors. The broker is
a real redis-server started for these tests (skipped where Debian's redis-server is not
installed). Not kombu's in-memory transport: its worker takes 4 s to stop."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from flask import Flask
from flask_mailman import EmailMessage
from sqlalchemy import select

from app.extensions import db
from app.mail import make_message, send_mail
from app.models import SentMail
from tests.factories import PosterFactory, PostFactory
from tests.support.database import sessions_on_the_engine
from tests.support.races import app_of_its_own
from tests.support.redis_server import redis_url
from tests.support.smtp_server import Mailbox, mail_settings


@pytest.fixture
def worker_app(
    request: pytest.FixtureRequest,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    test_database_url: str | None,
) -> Iterator[Flask]:
    """An app on a database of its own (the worker's thread has its own session), queueing
    on the session's redis-server, with a worker running its tasks; retries 50 ms apart,
    doubling."""
    sessions_on_the_engine(monkeypatch)
    settings = {
        **mail_settings(mailbox),
        "CELERY_BROKER_URL": redis_url(request),
        "MAIL_RETRY_DELAY": 0.05,
        "MAIL_RETRIES": 3,
    }
    with app_of_its_own(test_database_url, **settings) as app:
        celery = app.extensions["celery"]
        # The worker stops between two polls of the broker: every 0.1 s, not every second.
        celery.conf.broker_transport_options |= {"polling_interval": 0.1}
        with start_worker(celery, perform_ping_check=False, loglevel="WARNING"):
            yield app


def flaky_send(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[str]:
    """Make the mail server refuse the first ``failures`` mails; returns each try's result."""
    tries: list[str] = []
    real_send = EmailMessage.send

    def send(message: EmailMessage, *args: object, **kwargs: object) -> int:
        if len(tries) < failures:
            tries.append("refused")
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        tries.append("sent")
        return int(real_send(message, *args, **kwargs))

    monkeypatch.setattr(EmailMessage, "send", send)
    return tries


def sent_keys(app: Flask) -> list[str]:
    with app.app_context():
        keys = list(db.session.scalars(select(SentMail.key)))
        db.session.remove()
        return keys


def test_a_comment_posted_through_the_site_reaches_the_author_through_the_worker(
    worker_app, mailbox
):
    with worker_app.app_context():
        author = PosterFactory(username="bob", email="bob@example.org")
        post_id = PostFactory(user=author, title="Queues").id
        db.session.remove()
    answer = worker_app.test_client().post(
        f"/blog/post/{post_id}", data={"name": "Carol", "text": "Nice queue."}
    )
    assert answer.status_code == 302
    [received] = mailbox.wait_for(1, timeout=15)
    assert received.rcpt_tos == ["bob@example.org"]
    assert received.message["Subject"] == "New comment on “Queues”"
    assert "Nice queue." in received.body
    assert sent_keys(worker_app) == ["comment:1:author"]


def test_a_mail_refused_twice_is_sent_once_on_the_third_try(worker_app, mailbox, monkeypatch):
    tries = flaky_send(monkeypatch, failures=2)
    with worker_app.app_context():
        send_mail(make_message("ann@example.org", "Third time", "Lucky.\n"), "test:flaky")
    [received] = mailbox.wait_for(1, timeout=15)
    assert received.message["Subject"] == "Third time"
    time.sleep(0.5)
    assert len(mailbox.messages) == 1
    assert tries == ["refused", "refused", "sent"]
    assert sent_keys(worker_app) == ["test:flaky"]


def test_a_mail_refused_every_time_is_given_up_after_mail_retries_and_logged(
    worker_app, mailbox, monkeypatch, caplog
):
    tries = flaky_send(monkeypatch, failures=99)
    with worker_app.app_context():
        send_mail(make_message("ann@example.org", "Never", "Refused.\n"), "test:never")
    deadline = time.monotonic() + 15
    while "Could not send the mail 'Never'" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Could not send the mail 'Never' to ann@example.org" in caplog.text
    # The first try and MAIL_RETRIES more, then its key is free for a later one.
    assert tries == ["refused"] * 4
    assert mailbox.messages == []
    assert sent_keys(worker_app) == []
