"""Sending mail, with Flask-Mailman: SMTP as the environment configures it (MAIL_SERVER,
MAIL_PORT, MAIL_USE_TLS or MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER),
or the console under the dev config.

Every mail of the app goes out through :func:`send_mail`, the one place to change how mail
is sent (a queue, retries).
"""

from __future__ import annotations

import smtplib
import threading
from typing import Any

from flask import Flask, after_this_request, current_app, request, url_for
from flask_mailman import EmailMessage
from werkzeug.wrappers import Response

from app.extensions import mail

# The name of the threads send_after_response starts (the tests wait for them).
SENDER_THREAD = "send-mail"


def init_app(app: Flask) -> None:
    mail.init_app(app)


def make_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text mail to one address, from MAIL_DEFAULT_SENDER."""
    return EmailMessage(subject=subject, body=body, to=[to])


def send_mail(message: EmailMessage) -> None:
    """Send ``message`` now; raises what the mail server's refusal or absence raises."""
    message.send()


def send_after_response(message: EmailMessage) -> None:
    """Send ``message`` on a thread of its own once this request's answer is made, so the
    answer takes the same time whether or not it sends a mail. A mail server that fails is
    logged, not shown: the visitor already has the answer.

    Not from the response's close(): werkzeug's server (``flask run``, run_test_server.py,
    the Selenium flows) skips close() when the browser resets the connection after reading
    the answer, and the mail was then silently lost."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            try:
                send_mail(message)
            except (OSError, smtplib.SMTPException):
                app.logger.exception(
                    "Could not send the mail %r to %s", message.subject, ", ".join(message.to)
                )

    @after_this_request
    def send_once_answered(response: Response) -> Response:
        # Not a daemon: a server shutting down waits for the mail instead of dropping it.
        threading.Thread(target=send, name=SENDER_THREAD).start()
        return response


def absolute_url(endpoint: str, **values: Any) -> str:
    """The full URL of a page, for a link in a mail: under SITE_URL when it is set, else
    under the address this request came to."""
    base = current_app.config["SITE_URL"] or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)
