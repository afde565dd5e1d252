"""A broker that cannot be reached loses nothing and fails no request: the task queued by
the request runs inline in the web process once the answer is out, and a warning is logged."""

from __future__ import annotations

from app import create_app
from conftest import FreshGlobalsClient, database_overrides
from tests.factories import PosterFactory, PostFactory
from tests.support.smtp_server import free_port, mail_settings


def test_a_comment_still_succeeds_and_its_mail_is_sent_inline(mailbox, caplog):
    closed = f"redis://127.0.0.1:{free_port('127.0.0.1')}/0"
    app = create_app(
        "test",
        overrides={
            **database_overrides(None),
            **mail_settings(mailbox),
            "CELERY_BROKER_URL": closed,
        },
    )
    app.test_client_class = FreshGlobalsClient
    assert app.extensions["celery"].conf.task_always_eager is False
    post = PostFactory(user=PosterFactory(email="ann@example.org"), title="Down")
    response = app.test_client().post(
        f"/blog/post/{post.id}", data={"name": "Bob", "text": "Still here."}
    )
    assert response.status_code == 302
    [received] = mailbox.wait_for(1)
    assert received.rcpt_tos == ["ann@example.org"]
    assert "Still here." in received.body
    assert "The broker is down: running app.notifications.comments.notify_post_author here" in (
        caplog.text
    )
