"""Per-address rate limits on anonymous comments, registrations and API writes: the request
over the limit gets 429 with Retry-After (a page, or JSON under /api) and saves nothing."""

from __future__ import annotations

import pytest

from app.models import Comment, Post, User
from tests.factories import PostFactory
from tests.support.api import admin_headers, assert_json_error
from tests.support.database import row_count
from tests.support.html import parse, text_of

ADDRESS = {"REMOTE_ADDR": "10.1.1.1"}


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits, so a test reaches them in a few requests."""
    for name in ("COMMENT_RATE_LIMIT", "REGISTER_RATE_LIMIT", "API_WRITE_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, "3 per minute")


def comment(client, post, address=ADDRESS):
    data = {"name": "Visitor", "text": "Hello"}
    return client.post(f"/blog/post/{post.id}", data=data, environ_base=address)


def assert_429_page(response, message: str) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["429 Too Many Requests"]
    assert message in page.get_text()


@pytest.mark.usefixtures("limits")
def test_a_visitors_comment_over_the_limit_is_429_and_not_saved(client):
    post = PostFactory()
    assert [comment(client, post).status_code for _ in range(3)] == [302, 302, 302]
    assert_429_page(comment(client, post), "Too many comments from your address")
    assert row_count(Comment) == 3


@pytest.mark.usefixtures("limits")
def test_the_comment_limit_is_per_address_and_reading_is_never_limited(client):
    post = PostFactory()
    for _ in range(4):
        comment(client, post)
    assert comment(client, post, {"REMOTE_ADDR": "10.1.1.2"}).status_code == 302
    assert client.get(f"/blog/post/{post.id}", environ_base=ADDRESS).status_code == 200


@pytest.mark.usefixtures("limits")
def test_logged_in_users_comments_are_not_limited(client, log_in_as):
    post = PostFactory()
    log_in_as("default")
    assert {comment(client, post).status_code for _ in range(5)} == {302}


@pytest.mark.usefixtures("limits")
def test_registrations_over_the_limit_are_429_and_make_no_account(client):
    def register(name):
        password = "a fine long passphrase"
        data = {"username": name, "password": password, "confirm": password}
        return client.post("/register", data=data, environ_base=ADDRESS)

    assert [register(f"new{n}").status_code for n in range(3)] == [302, 302, 302]
    assert_429_page(register("one-more"), "Too many new accounts from your address")
    assert row_count(User) == 3


@pytest.mark.usefixtures("limits")
def test_api_writes_over_the_limit_are_json_429_and_change_nothing(client):
    headers = admin_headers()
    new = {"title": "T", "text": "x"}
    answers = [
        client.post("/api/post", json=new, headers=headers, environ_base=ADDRESS) for _ in range(3)
    ]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    response = client.post("/api/post", json=new, headers=headers, environ_base=ADDRESS)
    body = assert_json_error(response, 429)
    assert "Too many changes" in body["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert row_count(Post) == 3
    assert client.get("/api/post", environ_base=ADDRESS).status_code == 200


def test_the_default_limits_leave_room_for_a_lively_discussion(app):
    assert app.config["COMMENT_RATE_LIMIT"] == "10 per minute; 100 per day"
    assert app.config["REGISTER_RATE_LIMIT"] == "10 per hour"
    assert app.config["API_WRITE_RATE_LIMIT"] == "60 per minute"
