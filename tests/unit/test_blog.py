"""The blog blueprint's home page."""

from __future__ import annotations

from tests.factories import PostFactory


def test_home_lists_posts_newest_first_with_author(client):
    older = PostFactory(title="Older post")
    newer = PostFactory(title="Newer post")
    page = client.get("/blog/").get_data(as_text=True)
    assert page.index(newer.title) < page.index(older.title)
    assert f"by {newer.user.username}" in page


def test_home_without_posts_says_so(client):
    assert "No posts yet." in client.get("/blog/").get_data(as_text=True)
