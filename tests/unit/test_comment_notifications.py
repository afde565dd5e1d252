"""A post's author gets a mail when a comment arrives on their post, through the page or the
API (tasks run inline here: no broker), unless they turned it off, have no address, or
wrote the comment themselves."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Comment
from app.notifications.comments import NOTIFY
from tests.factories import CommentFactory, PosterFactory, PostFactory, UserFactory
from tests.support.database import row_count

# Each mail's key (a unique row) on each database.
pytestmark = pytest.mark.postgresql


@pytest.fixture
def post():
    author = PosterFactory(username="ann", email="ann@example.org")
    return PostFactory(user=author, title="Celery at last")


def comment_on(client, post, name="Bob", text="Well put."):
    """Comment as a browser does (the test client returns once the task has run)."""
    response = client.post(f"/blog/post/{post.id}", data={"name": name, "text": text})
    assert response.status_code == 302
    return response


def test_the_author_gets_the_comment_with_a_link_to_it_and_an_unsubscribe_link(
    client, mailbox, post
):
    comment_on(client, post, text="Well put, and queued.")
    [received] = mailbox.wait_for(1)
    assert received.rcpt_tos == ["ann@example.org"]
    assert received.message["Subject"] == "New comment on “Celery at last”"
    assert "Bob commented on your post “Celery at last”" in received.body
    assert "Well put, and queued." in received.body
    assert f"http://localhost/blog/post/{post.id}#comments" in received.body
    unsubscribe = str(received.message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://localhost/unsubscribe/")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop them: {unsubscribe.strip('<>')}" in received.body


def test_a_comment_through_the_api_notifies_the_author_too(client, mailbox, post, api_headers):
    commenter = UserFactory(username="carol")
    response = client.post(
        f"/api/post/{post.id}/comments",
        json={"name": "Carol", "text": "Via the API."},
        headers=api_headers("default", commenter),
    )
    assert response.status_code == 201
    [received] = mailbox.wait_for(1)
    assert "Via the API." in received.body


def test_another_logged_in_user_commenting_notifies_the_author(client, mailbox, post, log_in_as):
    log_in_as("default", username="dave")
    comment_on(client, post, name="dave")
    assert [m.rcpt_tos for m in mailbox.wait_for(1)] == [["ann@example.org"]]


def test_the_author_commenting_on_their_own_post_gets_no_mail(client, mailbox, post, log_in_as):
    log_in_as(post.user)
    comment_on(client, post, name="ann")
    assert row_count(Comment) == 1
    assert mailbox.messages == []


def test_the_author_commenting_through_the_api_gets_no_mail(client, mailbox, post, api_headers):
    response = client.post(
        f"/api/post/{post.id}/comments",
        json={"name": "ann", "text": "Mine."},
        headers=api_headers("author", post),
    )
    assert response.status_code == 201
    assert mailbox.messages == []


@pytest.mark.parametrize(
    "author_fields",
    [{"email": "ann@example.org", "notify_comments": False}, {"email": None}],
    ids=["turned-off", "no-address"],
)
def test_no_mail_to_an_author_who_turned_it_off_or_has_no_address(client, mailbox, author_fields):
    post = PostFactory(user=PosterFactory(**author_fields))
    comment_on(client, post)
    assert row_count(Comment) == 1
    assert mailbox.messages == []


def test_the_note_is_sent_once_however_often_its_task_runs(app, mailbox, post):
    comment = CommentFactory(post=post)
    task = app.extensions["celery"].tasks[NOTIFY]
    results = [task.apply((comment.id, None, "https://blog.example.org")).get() for _ in "ab"]
    assert results == [True, True]
    [received] = mailbox.messages
    assert f"https://blog.example.org/blog/post/{post.id}#comments" in received.body


def test_a_comment_deleted_before_its_task_runs_mails_nobody(app, mailbox, post):
    comment = CommentFactory(post=post)
    comment_id = comment.id
    db.session.delete(comment)
    db.session.commit()
    assert app.extensions["celery"].tasks[NOTIFY].apply((comment_id, None, "x")).get() is False
    assert mailbox.messages == []


def test_a_task_that_fails_inline_is_logged_and_the_comment_stands(
    client, mailbox, post, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("template gone")

    monkeypatch.setattr("app.notifications.comments.render_template", broken)
    comment_on(client, post)
    assert row_count(Comment) == 1
    assert f"The task {NOTIFY} failed" in caplog.text
    assert mailbox.messages == []
