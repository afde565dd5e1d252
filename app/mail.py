"""Sending mail, with Flask-Mailman: SMTP as the environment configures it (MAIL_SERVER,
MAIL_PORT, MAIL_USE_TLS or MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER),
or the console under the dev config.

Every mail of the app goes out through :func:`send_mail`, which queues the :func:`deliver`
task (app.jobs: on a worker, or inline with no broker) once the request's answer is made.
Each mail has a key (``comment:<id>:author``, ``digest:<user id>:<ISO week>``, ...) recorded
in the sent_mail table when it goes: a retry, or a task run twice, never sends it twice.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from flask import Flask, current_app, has_request_context, request, url_for
from flask_mailman import EmailMessage
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.extensions import db, mail
from app.jobs import queue
from app.models import SentMail

DELIVER = "app.mail.deliver"
# Where links in mails point when neither SITE_URL nor a request says (a worker, a command).
DEFAULT_SITE_URL = "http://localhost:5000"


def init_app(app: Flask) -> None:
    mail.init_app(app)


def make_message(
    to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> EmailMessage:
    """A plain-text mail to one address, from MAIL_DEFAULT_SENDER."""
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers or {})


def send_mail(message: EmailMessage, key: str) -> None:
    """Send ``message`` once under ``key``: queued once this request's answer has gone out
    (now, outside a request), so the answer never waits on the mail server."""
    fields = {
        "to": list(message.to),
        "subject": message.subject,
        "body": message.body,
        "headers": dict(message.extra_headers),
    }
    queue(DELIVER, key, fields)


@shared_task(name=DELIVER, bind=True)
def deliver(task: Task[Any, Any], key: str, fields: dict[str, Any]) -> bool:
    """Send the mail unless its key says it went already; retry on the mail server's
    refusal or absence, MAIL_RETRIES times, MAIL_RETRY_DELAY seconds doubled each time.
    Inline (no broker) it tries once. True when this call sent it."""
    if not claim(key):
        return False
    try:
        EmailMessage(**fields).send()
    except OSError as error:  # smtplib's SMTPException included
        release(key)
        config = current_app.config
        if not task.request.is_eager and task.request.retries < config["MAIL_RETRIES"]:
            delay = config["MAIL_RETRY_DELAY"] * 2**task.request.retries
            raise task.retry(exc=error, countdown=delay) from None
        current_app.logger.error(
            "Could not send the mail %r to %s: %s",
            fields["subject"],
            ", ".join(fields["to"]),
            error,
        )
        return False
    return True


def claim(key: str) -> bool:
    """Record ``key`` as sent, before sending (a mail is never sent twice: at worst, a worker
    that dies mid-send loses it); False when it is recorded already."""
    db.session.add(SentMail(key=key))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def release(key: str) -> None:
    """The mail did not go: its key may be sent again."""
    db.session.execute(delete(SentMail).where(SentMail.key == key))
    db.session.commit()


def site_url() -> str:
    """SITE_URL, else the address this request came to, else DEFAULT_SITE_URL."""
    if current_app.config["SITE_URL"]:
        return str(current_app.config["SITE_URL"])
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEFAULT_SITE_URL


def absolute_url(endpoint: str, _base: str | None = None, **values: Any) -> str:
    """The full URL of a page, for a link in a mail, under ``_base`` (a request's
    :func:`site_url`, for a task) or :func:`site_url`; made in a request, a worker's task
    or a command alike."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (_base or site_url()) + path
