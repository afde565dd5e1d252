"""Comment: name limits, required post."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError, IntegrityError

from app.extensions import db
from app.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.postgresql


def test_comment_belongs_to_a_post():
    comment = CommentFactory(name="Ann")
    assert comment in comment.post.comments
    assert repr(comment) == f"<Comment 'Ann' on post {comment.post_id}>"


def test_comment_needs_an_existing_post():
    db.session.add(Comment(name="x", text="y", post_id=12345))
    with pytest.raises(IntegrityError):
        db.session.commit()


@pytest.mark.parametrize("name", ["", "n" * 256])
def test_name_must_be_1_to_255_characters(name):
    with pytest.raises((IntegrityError, DataError)):
        CommentFactory(name=name)
