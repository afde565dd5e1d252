"""The comment note's task says whether it mailed: False for an author who turned the notes
off, has no address, or wrote the comment, and nothing is sent then."""

from __future__ import annotations

import pytest

from app.notifications.comments import NOTIFY
from tests.factories import CommentFactory, PosterFactory, PostFactory

pytestmark = pytest.mark.postgresql


@pytest.mark.parametrize(
    ("author_fields", "by_the_author"),
    [
        ({"email": "ann@example.org", "notify_comments": False}, False),
        ({"email": None}, False),
        ({"email": "ann@example.org"}, True),
    ],
    ids=["turned-off", "no-address", "own-comment"],
)
def test_the_task_says_it_sent_nothing(app, mailbox, author_fields, by_the_author):
    author = PosterFactory(**author_fields)
    comment = CommentFactory(post=PostFactory(user=author))
    commenter = author.id if by_the_author else None
    task = app.extensions["celery"].tasks[NOTIFY]
    assert task.apply((comment.id, commenter, "https://blog.example.org")).get() is False
    assert mailbox.messages == []
