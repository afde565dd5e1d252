"""Mail: every message goes out through app.mail.send_mail (its Celery task, inline without a
broker), over SMTP as configured from the environment (here to the test SMTP server), or
printed to the console under the dev config."""

from __future__ import annotations

import contextvars
import socket
import struct
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.config import ConfigError
from app.extensions import db
from app.mail import absolute_url, make_message, send_mail
from app.models import SentMail
from conftest import database_overrides
from tests.support.database import row_count
from tests.support.smtp_server import free_port, mail_settings
from tests.support.tasks import tasks_finished

PROD_KEY = "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"


def test_a_message_arrives_at_the_smtp_server_with_its_sender_recipient_and_text(app, mailbox):
    send_mail(make_message("ann@example.org", "Hello", "Some text.\n"), "test:hello")

    [received] = mailbox.messages
    assert received.rcpt_tos == ["ann@example.org"]
    assert received.mail_from == "blog@localhost"
    assert received.message["To"] == "ann@example.org"
    assert received.message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received.message["Subject"] == "Hello"
    assert received.body == "Some text.\n"


def test_non_ascii_text_and_subject_arrive_intact(mailbox):
    send_mail(make_message("zoë@example.org", "Grüße", "Ça marche — 100 %.\n"), "test:zoe")
    [received] = mailbox.messages
    assert received.message["Subject"] == "Grüße"
    assert received.body == "Ça marche — 100 %.\n"


def test_the_dev_config_prints_mail_to_the_console_and_sends_none(capsys, mailbox):
    app = create_app("dev", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"}, environ={})
    with app.app_context():
        db.create_all()
        send_mail(make_message("ann@example.org", "Hello", "Printed, not sent.\n"), "test:dev")
    out = capsys.readouterr().out
    assert "Subject: Hello" in out
    assert "To: ann@example.org" in out
    assert "Printed, not sent." in out
    assert mailbox.messages == []


def test_mail_settings_come_from_the_environment():
    app = create_app(
        "prod",
        environ={
            "SECRET_KEY": PROD_KEY,
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "true",
            "MAIL_USERNAME": "blog",
            "MAIL_PASSWORD": "s3cret",
            "MAIL_DEFAULT_SENDER": "Blog <blog@example.org>",
            "SITE_URL": "https://blog.example.org/",
        },
    )
    state = app.extensions["mailman"]
    assert (state.backend, state.server, state.port) == ("smtp", "smtp.example.org", 587)
    assert (state.use_tls, state.use_ssl) == (True, False)
    assert (state.username, state.password) == ("blog", "s3cret")
    assert state.default_sender == "Blog <blog@example.org>"
    assert app.config["SITE_URL"] == "https://blog.example.org"


def test_prod_sends_over_smtp_and_dev_prints_unless_told_otherwise():
    prod = create_app("prod", environ={"SECRET_KEY": PROD_KEY})
    dev = create_app("dev", environ={})
    dev_smtp = create_app("dev", environ={"MAIL_BACKEND": "smtp", "MAIL_USE_SSL": "1"})
    assert prod.extensions["mailman"].backend == "smtp"
    assert dev.extensions["mailman"].backend == "console"
    assert dev_smtp.extensions["mailman"].backend == "smtp"
    assert dev_smtp.extensions["mailman"].use_ssl is True


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MAIL_PORT": "smtp"}, "MAIL_PORT must be a port number"),
        ({"MAIL_PORT": "70000"}, "MAIL_PORT must be a port number"),
        ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS must be true or false"),
        ({"MAIL_USE_TLS": "yes", "MAIL_USE_SSL": "on"}, "not both"),
        ({"SITE_URL": "blog.example.org"}, "SITE_URL must be"),
    ],
)
def test_bad_mail_settings_stop_the_app_with_one_clear_line(environ, message):
    with pytest.raises(ConfigError, match=message):
        create_app("dev", environ=environ)


def app_with_a_route_that_mails(settings: dict[str, object], arrived: list[int]) -> Flask:
    """An app whose /mail-after sends a mail after its answer; ``arrived`` gets the number
    of mails the test server had when the view returned (from ``count_mails``)."""
    app = create_app("test", overrides={**database_overrides(None), **settings})
    with app.app_context():
        db.create_all()

    @app.get("/mail-after")
    def mail_after() -> str:
        send_mail(make_message("ann@example.org", "Later", "After.\n"), "test:later")
        arrived.append(app.config["COUNT_MAILS"]())
        return "answered"

    return app


def test_a_mail_sent_after_the_response_goes_once_the_answer_is_out(mailbox):
    arrived: list[int] = []
    settings = {**mail_settings(mailbox), "COUNT_MAILS": lambda: len(mailbox.messages)}
    response = app_with_a_route_that_mails(settings, arrived).test_client().get("/mail-after")
    assert response.get_data(as_text=True) == "answered"
    assert arrived == [0]
    assert [m.message["Subject"] for m in mailbox.wait_for(1)] == ["Later"]


@pytest.fixture
def served(mailbox) -> Iterator[tuple[str, int]]:
    """The app whose /mail-after mails, on werkzeug's server (the one of run_test_server.py,
    the Selenium flows and ``flask run``) in a thread: its host and port."""
    app = app_with_a_route_that_mails({**mail_settings(mailbox), "COUNT_MAILS": lambda: 0}, [])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def read_answer_then_reset(host: str, port: int) -> bytes:
    """What a browser sometimes does: read the whole answer, then drop the connection with a
    reset, while bytes it sent are still unread by the server (werkzeug reads them after the
    answer, and a reset then skips the answer's close())."""
    with socket.create_connection((host, port), timeout=10) as client:
        client.sendall(b"GET /mail-after HTTP/1.1\r\nHost: blog\r\n\r\nunread")
        answer = b""
        while b"answered" not in answer:
            chunk = client.recv(4096)
            assert chunk, answer
            answer += chunk
        # Linger on, for 0 seconds: close() sends RST instead of FIN.
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return answer


def test_a_mail_sent_after_the_response_goes_even_when_the_browser_resets_the_connection(
    served, mailbox
):
    answer = read_answer_then_reset(*served)
    assert answer.startswith(b"HTTP/1.1 200")
    assert [m.message["Subject"] for m in mailbox.wait_for(1, timeout=5)] == ["Later"]


def test_a_mail_server_that_cannot_be_reached_is_logged_and_the_answer_stands(caplog):
    closed = {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port("127.0.0.1"),
        "COUNT_MAILS": lambda: 0,
    }
    response = app_with_a_route_that_mails(closed, []).test_client().get("/mail-after")
    assert response.status_code == 200
    tasks_finished()
    assert "Could not send the mail 'Later' to ann@example.org" in caplog.text


def test_a_mail_is_sent_once_under_its_key_however_often_it_is_queued(mailbox):
    for _ in range(2):
        send_mail(make_message("ann@example.org", "Once", "Only once.\n"), "test:once")
    send_mail(make_message("ann@example.org", "Other", "Another key.\n"), "test:other")
    assert [m.message["Subject"] for m in mailbox.messages] == ["Once", "Other"]
    assert row_count(SentMail) == 2


def test_a_mail_that_could_not_go_may_go_on_a_later_try(app, mailbox, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port("127.0.0.1"))
    app.extensions["mailman"].port = app.config["MAIL_PORT"]
    send_mail(make_message("ann@example.org", "Retry", "Later.\n"), "test:retry")
    assert "Could not send the mail 'Retry' to ann@example.org" in caplog.text
    assert row_count(SentMail) == 0
    app.extensions["mailman"].port = mailbox.port
    send_mail(make_message("ann@example.org", "Retry", "Later.\n"), "test:retry")
    assert [m.message["Subject"] for m in mailbox.messages] == ["Retry"]


def outside_any_request(call):
    """``call()`` in a context of its own: no request (as in a worker or a command)."""
    return contextvars.Context().run(call)


def test_links_made_outside_a_request_use_site_url_or_the_default(app):
    def link() -> str:
        with app.app_context():
            return absolute_url("blog.post", post_id=3)

    assert outside_any_request(link) == "http://localhost:5000/blog/post/3"
    app.config["SITE_URL"] = "https://blog.example.org"
    try:
        assert outside_any_request(link) == "https://blog.example.org/blog/post/3"
    finally:
        app.config["SITE_URL"] = None


def test_without_a_broker_tasks_run_inline_and_with_one_they_are_queued():
    inline = create_app("test", environ={}).extensions["celery"].conf
    queued = (
        create_app("test", environ={"CELERY_BROKER_URL": "redis://queue.example.org:6379/2"})
        .extensions["celery"]
        .conf
    )
    assert inline.task_always_eager is True
    assert queued.task_always_eager is False
    assert queued.broker_url == "redis://queue.example.org:6379/2"
    assert queued.result_backend == "redis://queue.example.org:6379/2"
