"""Each tag's post_count equals its number of post_tags rows after every change of a post's
tags, however it is made; the sidebar shows the most used tags from those counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.blog.sidebar import Sidebar
from app.extensions import db
from app.models import Post, Tag, tags_posts
from tests.factories import PosterFactory, PostFactory, TagFactory
from tests.support.api import bearer, token_for
from tests.support.database import fresh_session
from tests.support.html import parse
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql


def counts() -> dict[str, tuple[int, int]]:
    """Each tag's (stored count, rows in post_tags), as the database has them."""
    rows = (
        select(func.count())
        .select_from(tags_posts)
        .where(tags_posts.c.tag_id == Tag.id)
        .scalar_subquery()
    )
    with fresh_session() as session:
        found = session.execute(select(Tag.title, Tag.post_count, rows)).all()
    return {title: (stored, real) for title, stored, real in found}


def assert_counts_match() -> dict[str, int]:
    found = counts()
    assert all(stored == real for stored, real in found.values()), found
    return {title: stored for title, (stored, _) in found.items()}


def test_factory_posts_count_their_tags():
    a, b = TagFactory(title="a"), TagFactory(title="b")
    PostFactory(tags=[a, b])
    PostFactory(tags=[a])
    assert assert_counts_match() == {"a": 2, "b": 1}


def test_a_new_tag_made_with_its_post_starts_at_one():
    db.session.add(Post(title="T", text="", user=PosterFactory(), tags=[Tag(title="fresh")]))
    db.session.commit()
    assert assert_counts_match() == {"fresh": 1}


def test_counts_read_later_in_the_same_transaction_are_the_databases():
    """The sidebar or a view may read a count after the flush that changed it, before the
    commit: the loaded number must not be the old one."""
    tag, author = TagFactory(title="a"), PosterFactory()
    assert (tag.post_count, author.post_count) == (0, 0)
    db.session.add(Post(title="T", text="", user=author, tags=[tag]))
    db.session.flush()
    assert (tag.post_count, author.post_count) == (1, 1)


def test_deleting_a_post_counts_its_tags_down_even_when_they_were_not_loaded():
    post = PostFactory(tags=[TagFactory(title="a"), TagFactory(title="b")])
    post_id = post.id
    db.session.expunge_all()
    db.session.delete(db.session.get(Post, post_id))
    db.session.commit()
    assert assert_counts_match() == {"a": 0, "b": 0}


def test_deleting_a_post_whose_tags_were_just_changed_counts_what_was_stored():
    a, b, c = (TagFactory(title=t) for t in "abc")
    post = PostFactory(tags=[a, b])
    post.tags = [c]
    db.session.delete(post)
    db.session.commit()
    assert assert_counts_match() == {"a": 0, "b": 0, "c": 0}


def test_api_and_editor_creates_edits_and_deletes_keep_every_count(client):
    poster = PosterFactory()
    headers = bearer(token_for(poster))
    first = client.post("/api/post", json={"title": "1", "tags": ["a", "b"]}, headers=headers)
    first_id = first.get_json()["id"]
    second = client.post("/api/post", json={"title": "2", "tags": ["b", "c"]}, headers=headers)
    assert assert_counts_match() == {"a": 1, "b": 2, "c": 1}

    client.put(f"/api/post/{first_id}", json={"tags": ["c", "d"]}, headers=headers)
    client.put(f"/api/post/{first_id}", json={"title": "same tags"}, headers=headers)
    assert assert_counts_match() == {"a": 0, "b": 1, "c": 2, "d": 1}

    log_in_session(client, poster)
    created = client.post("/blog/new", data={"title": "3", "text": "x", "tags": "a, d"})
    assert created.status_code == 302, created.get_data(as_text=True)[-2000:]
    third_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert assert_counts_match() == {"a": 1, "b": 1, "c": 2, "d": 2}
    client.post(f"/blog/edit/{third_id}", data={"title": "3", "text": "x", "tags": "b"})
    assert assert_counts_match() == {"a": 0, "b": 2, "c": 2, "d": 1}

    client.post(f"/blog/delete/{third_id}")
    client.delete(f"/api/post/{second.get_json()['id']}", headers=headers)
    client.delete(f"/api/post/{first_id}", headers=headers)
    assert assert_counts_match() == {"a": 0, "b": 0, "c": 0, "d": 0}


TITLES = st.sampled_from(["a", "b", "c", "d"])
STEPS = st.lists(
    st.tuples(st.sampled_from(["create", "retag", "delete"]), st.lists(TITLES), st.integers(0, 9)),
    max_size=12,
)


@given(steps=STEPS)
def test_any_sequence_of_creates_retags_and_deletes_keeps_every_count(isolated_example, steps):
    with isolated_example():
        tags = {title: TagFactory(title=title) for title in "abcd"}
        author = PosterFactory()
        posts: list[int] = []
        for action, titles, pick in steps:
            chosen = [tags[title] for title in dict.fromkeys(titles)]
            if action == "create" or not posts:
                post = Post(title="T", text="", user=author, tags=chosen)
                db.session.add(post)
                db.session.commit()
                posts.append(post.id)
                continue
            post = db.session.get_one(Post, posts[pick % len(posts)])
            if action == "retag":
                post.tags = chosen
            else:
                db.session.delete(post)
                posts.remove(post.id)
            db.session.commit()
        assert_counts_match()


def test_the_sidebar_shows_the_most_used_tags_and_never_an_unused_one(client):
    used = [TagFactory(title=title) for title in ("beta", "alpha", "gamma")]
    TagFactory(title="unused")
    PostFactory(tags=used)
    PostFactory(tags=used[:2])
    dropped = PostFactory(tags=[TagFactory(title="dropped")])
    db.session.delete(dropped)
    db.session.commit()

    assert [tuple(row) for row in Sidebar().top_tags] == [("alpha", 2), ("beta", 2), ("gamma", 1)]
    page = parse(client.get("/blog/").get_data(as_text=True))
    shown = [link.get_text() for link in page.select(".top-tags a.tag")]
    assert shown == ["alpha", "beta", "gamma"]


def test_moving_a_tag_from_one_post_to_another_in_one_commit_leaves_its_count():
    moved = TagFactory(title="moved")
    first, second = PostFactory(tags=[moved]), PostFactory()
    with db.session.no_autoflush:  # one flush for both changes
        first.tags = []
        second.tags = [moved]
    db.session.commit()
    assert assert_counts_match() == {"moved": 1}
