"""Who may write, edit and delete posts: every role against every editing endpoint.

Anonymous visitors are sent to log in (with ``next`` pointing back); logged-in users without
the right get the 403 page; and a refused request leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, Post, Tag, User, roles_users, tags_posts
from tests.factories import (
    AdminFactory,
    CommentFactory,
    PosterFactory,
    PostFactory,
    RoleFactory,
    TagFactory,
    UserFactory,
)
from tests.support.sessions import log_in_session

LOGIN = "login"  # a redirect to /login?next=...
ENDPOINTS = {
    "new-form": ("GET", "/blog/new"),
    "new-save": ("POST", "/blog/new"),
    "edit-form": ("GET", "/blog/edit/{id}"),
    "edit-save": ("POST", "/blog/edit/{id}"),
    "delete": ("POST", "/blog/delete/{id}"),
}
# Where an anonymous visitor returns after logging in: the page, or for a delete the post.
NEXT = {
    "new-form": "/blog/new",
    "new-save": "/blog/new",
    "edit-form": "/blog/edit/{id}",
    "edit-save": "/blog/edit/{id}",
    "delete": "/blog/post/{id}",
}
# role -> status per endpoint, in the order of ENDPOINTS. "author" is the poster who wrote
# the post; "former author" wrote it but has since lost the poster role.
MATRIX = {
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "default": (403, 403, 403, 403, 403),
    "poster": (200, 302, 403, 403, 403),
    "author": (200, 302, 200, 302, 302),
    "former author": (403, 403, 200, 302, 302),
    "admin": (200, 302, 200, 302, 302),
}
CASES = [
    pytest.param(role, endpoint, expected, id=f"{role}-{endpoint}")
    for role, statuses in MATRIX.items()
    for endpoint, expected in zip(ENDPOINTS, statuses, strict=True)
]
FORM = {"title": "Changed title", "text": "Changed text", "tags": "brand-new"}


def database_state() -> dict[str, list[tuple]]:
    """Every row that a post-editing request could touch."""
    tables = {
        "post": select(Post.id, Post.title, Post.text, Post.user_id, Post.publish_date),
        "comment": select(Comment.id, Comment.post_id, Comment.text),
        "tag": select(Tag.id, Tag.title),
        "post_tags": select(tags_posts),
        "roles_users": select(roles_users),
    }
    db.session.expire_all()
    return {name: sorted(db.session.execute(query).all()) for name, query in tables.items()}


@pytest.fixture
def post():
    author = PosterFactory(username="author")
    post = PostFactory(user=author, title="Original", tags=[TagFactory(title="old")])
    CommentFactory(post=post)
    return post


def log_in_as(client, role: str, post: Post) -> None:
    users: dict[str, Callable[[], User | None]] = {
        "anonymous": lambda: None,
        "default": UserFactory,
        "poster": PosterFactory,
        "author": lambda: post.user,
        "admin": AdminFactory,
    }
    user: User | None
    if role == "former author":
        post.user.roles = [RoleFactory(name="default")]
        db.session.commit()
        user = post.user
    else:
        user = users[role]()
    if user is not None:
        log_in_session(client, user)


@pytest.mark.parametrize(("role", "endpoint", "expected"), CASES)
def test_permission_matrix(client, post, role, endpoint, expected):
    log_in_as(client, role, post)
    method, url = ENDPOINTS[endpoint]
    before = database_state()
    response = client.open(url.format(id=post.id), method=method, data=FORM)
    after = database_state()

    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [NEXT[endpoint].format(id=post.id)]
    else:
        assert response.status_code == expected
    if expected == 403:
        assert "403" in response.get_data(as_text=True)
    if expected in (LOGIN, 403) or method == "GET":
        assert after == before
    else:
        assert after != before
