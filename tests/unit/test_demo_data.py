"""The book's demo data that `flask seed` and run_test_server.py make: what a visitor of a
freshly seeded site reads."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.models import Post
from app.seed import DEMO_TAGS, seed_demo
from tests.support.database import fresh_session

POSTS = 30


def seeded_posts() -> list[Post]:
    with fresh_session() as session:
        posts = session.scalars(
            select(Post).options(
                selectinload(Post.tags), selectinload(Post.comments), selectinload(Post.user)
            )
        ).all()
        session.expunge_all()
    return sorted(posts, key=lambda post: int(re.sub(r"\D", "", post.title)))


def test_the_demo_posts_come_an_hour_apart_up_to_now(app):
    before = datetime.now(UTC)
    seed_demo(posts=POSTS)
    posts = seeded_posts()
    assert [post.title for post in posts] == [f"Post {n}" for n in range(1, POSTS + 1)]
    newest = posts[-1].publish_date
    assert before - timedelta(seconds=1) <= newest <= datetime.now(UTC)
    assert [newest - post.publish_date for post in posts] == [
        timedelta(hours=POSTS - n) for n in range(1, POSTS + 1)
    ]


def test_the_demo_posts_are_written_by_the_admin_and_the_poster_only(app):
    seed_demo(posts=POSTS)
    assert {post.user.username for post in seeded_posts()} == {"admin", "poster"}


def test_each_demo_post_has_one_to_three_of_the_demo_tags(app):
    seed_demo(posts=POSTS)
    posts = seeded_posts()
    assert {len(post.tags) for post in posts} == {1, 2, 3}
    assert {tag.title for post in posts for tag in post.tags} <= set(DEMO_TAGS)


def test_each_demo_post_has_one_to_three_readers_comments_after_it(app):
    seed_demo(posts=POSTS)
    posts = seeded_posts()
    assert {len(post.comments) for post in posts} == {1, 2, 3}
    for post in posts:
        comments = sorted(post.comments, key=lambda comment: comment.date)
        assert [(c.name, c.date - post.publish_date) for c in comments] == [
            (f"Reader {n}", timedelta(minutes=n)) for n in range(1, len(comments) + 1)
        ]
