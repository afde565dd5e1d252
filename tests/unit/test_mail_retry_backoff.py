"""On a worker, a mail the server refused is tried again after MAIL_RETRY_DELAY seconds,
doubled at each try (the countdown asked of Celery; tests/unit/test_celery_worker.py runs
the tries on a real worker), and given up after MAIL_RETRIES: the task then says False."""

from __future__ import annotations

import smtplib

import pytest
from celery.exceptions import Retry
from flask_mailman import EmailMessage

from app.mail import DELIVER


@pytest.fixture
def refusing(monkeypatch):
    def send(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", send)


def try_on_a_worker(app, monkeypatch, retries: int) -> tuple[bool | None, dict[str, object]]:
    """Run the deliver task as a worker's try number ``retries + 1`` does: what it returned
    (None: it asked for a retry) and the retry it asked for."""
    task = app.extensions["celery"].tasks[DELIVER]
    asked: dict[str, object] = {}

    def retry(**options):
        asked.update(options)
        return Retry()

    monkeypatch.setattr(task, "retry", retry)
    task.push_request(retries=retries, is_eager=False)
    fields = {"to": ["ann@example.org"], "subject": "Later", "body": "x", "headers": {}}
    try:
        sent = task.run(f"test:backoff:{retries}", fields)
    except Retry:
        sent = None
    finally:
        task.pop_request()
    return sent, asked


@pytest.mark.usefixtures("refusing")
def test_each_try_waits_twice_as_long_as_the_one_before(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_RETRY_DELAY", 5)
    monkeypatch.setitem(app.config, "MAIL_RETRIES", 3)
    countdowns = [try_on_a_worker(app, monkeypatch, n)[1]["countdown"] for n in range(3)]
    assert countdowns == [5, 10, 20]


@pytest.mark.usefixtures("refusing")
def test_the_last_try_asks_for_no_other_and_says_nothing_was_sent(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_RETRIES", 3)
    assert try_on_a_worker(app, monkeypatch, 3) == (False, {})
    assert "Could not send the mail 'Later' to ann@example.org" in caplog.text
