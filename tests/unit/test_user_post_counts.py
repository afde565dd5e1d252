"""Each user's post_count equals their number of posts after every write, however it is
made; the home and user pages count their posts from it, at the same cost at any size."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Post, User
from tests.factories import PosterFactory, PostFactory
from tests.support.api import bearer, token_for
from tests.support.database import fresh_session
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql


def counts() -> dict[str, tuple[int, int]]:
    """Each user's (stored count, posts), as the database has them."""
    rows = select(func.count()).select_from(Post).where(Post.user_id == User.id).scalar_subquery()
    with fresh_session() as session:
        found = session.execute(select(User.username, User.post_count, rows)).all()
    return {name: (stored, real) for name, stored, real in found}


def assert_counts_match() -> dict[str, int]:
    found = counts()
    assert all(stored == real for stored, real in found.values()), found
    return {name: stored for name, (stored, _) in found.items()}


def test_factory_posts_count_for_their_author_even_one_made_with_them():
    writer = PosterFactory(username="writer")
    PostFactory.create_batch(2, user=writer)
    PostFactory(user__username="newcomer")
    assert assert_counts_match() == {"writer": 2, "newcomer": 1}


def test_deleting_posts_counts_down_even_when_the_author_was_not_loaded():
    posts = PostFactory.create_batch(3, user=PosterFactory(username="writer"))
    post_id = posts[0].id
    db.session.expunge_all()
    db.session.delete(db.session.get(Post, post_id))
    db.session.commit()
    assert assert_counts_match() == {"writer": 2}


def test_the_editor_and_the_api_keep_the_counts(client):
    writer = PosterFactory(username="writer")
    log_in_session(client, writer)
    assert client.post("/blog/new", data={"title": "One", "text": "x"}).status_code == 302
    headers = bearer(token_for(writer))
    created = client.post("/api/post", json={"title": "Two", "text": "y"}, headers=headers)
    assert created.status_code == 201
    assert assert_counts_match() == {"writer": 2}
    assert (
        client.delete(f"/api/post/{created.get_json()['id']}", headers=headers).status_code == 204
    )
    post_id = db.session.scalar(select(Post.id))
    assert client.post(f"/blog/delete/{post_id}").status_code == 302
    assert assert_counts_match() == {"writer": 0}


@given(st.lists(st.tuples(st.sampled_from("ab"), st.booleans()), max_size=8))
def test_any_sequence_of_posts_and_deletions_keeps_every_count(isolated_example, steps):
    with isolated_example():
        authors = {name: PosterFactory(username=name) for name in "ab"}
        for name, delete in steps:
            post = PostFactory(user=authors[name])
            if delete:
                db.session.delete(post)
                db.session.commit()
        assert_counts_match()
