"""The order each admin list starts in: users and tags by name, A first; posts and comments
newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import AdminFactory, CommentFactory, PostFactory, TagFactory, UserFactory
from tests.factories.models import EPOCH
from tests.support.html import get_page, text_of
from tests.support.sessions import log_in_session


@pytest.fixture
def admin(client):
    log_in_session(client, AdminFactory(username="boss"))


def test_users_and_tags_are_listed_by_name(client, admin):
    for name in ("carl", "abe", "dora"):
        UserFactory(username=name)
        TagFactory(title=name)
    assert text_of(get_page(client, "/admin/users/"), "td.col-username") == [
        "abe",
        "boss",
        "carl",
        "dora",
    ]
    assert text_of(get_page(client, "/admin/tags/"), "td.col-title") == ["abe", "carl", "dora"]


def test_posts_and_comments_are_listed_newest_first(client, admin):
    for days, title in ((2, "Middle"), (1, "Newest"), (3, "Oldest")):
        post = PostFactory(title=title, publish_date=EPOCH + timedelta(days=-days))
        CommentFactory(post=post, name=title, date=EPOCH + timedelta(days=-days))
    assert text_of(get_page(client, "/admin/posts/"), "td.col-title") == [
        "Newest",
        "Middle",
        "Oldest",
    ]
    assert text_of(get_page(client, "/admin/comments/"), "td.col-name") == [
        "Newest",
        "Middle",
        "Oldest",
    ]
