"""Post: title limits, required author, tags, comments deleted with the post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DataError, IntegrityError

from app.extensions import db
from app.models import Comment, Post
from tests.factories import CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.postgresql


def test_post_belongs_to_its_author():
    author = UserFactory()
    post = PostFactory(user=author)
    assert post.user is author
    assert author.posts == [post]
    assert repr(post) == f"<Post {post.title!r}>"


def test_post_needs_an_author():
    db.session.add(Post(title="orphan", text=""))
    with pytest.raises(IntegrityError):
        db.session.commit()


@pytest.mark.parametrize("title", ["", "t" * 256])
def test_title_must_be_1_to_255_characters(title):
    with pytest.raises((IntegrityError, DataError)):
        PostFactory(title=title)


def test_title_of_255_characters_is_kept():
    assert len(PostFactory(title="t" * 255).title) == 255


def test_deleting_a_post_deletes_its_comments():
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    other = CommentFactory()
    db.session.delete(post)
    db.session.commit()
    assert db.session.scalars(select(Comment)).all() == [other]


def test_database_deletes_comments_with_the_post_too():
    post = CommentFactory().post
    db.session.execute(delete(Post).where(Post.id == post.id))
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_comments_come_newest_first():
    post = PostFactory()
    older = CommentFactory(post=post, date=datetime(2020, 1, 1, tzinfo=UTC))
    newer = CommentFactory(post=post, date=datetime(2021, 1, 1, tzinfo=UTC))
    db.session.expire(post)
    assert post.comments == [newer, older]


def test_tags_come_in_title_order():
    post = PostFactory(tags=[TagFactory(title="zeta"), TagFactory(title="alpha")])
    db.session.expire(post)
    assert [tag.title for tag in post.tags] == ["alpha", "zeta"]


def test_publish_date_must_be_aware():
    with pytest.raises(Exception, match="naive datetime"):
        PostFactory(publish_date=datetime(2020, 1, 1))
    db.session.rollback()


def test_comment_count_is_the_number_of_the_posts_own_comments():
    busy, quiet, silent = PostFactory(), PostFactory(), PostFactory()
    CommentFactory.create_batch(3, post=busy)
    CommentFactory(post=quiet)
    db.session.expire_all()
    counts = {post.id: post.comment_count for post in (busy, quiet, silent)}
    assert counts == {busy.id: 3, quiet.id: 1, silent.id: 0}
