"""Every limit at its edge, on SQLite and on PostgreSQL (``nox -s tests-postgres``), whose
32-bit integers and refusal of NUL SQLite does not share: ids and page numbers at 2^31-1
(a number no row has yet) and 2^31 (no row can have), names, titles and tags at their
maximum length and one more, passwords at theirs, and NUL in a path, a body or a password.
An edge inside the limits is taken; one past it is a 4xx with a clear message, never a 500,
and leaves the database as it was."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.accounts.passwords import PASSWORD_MAX
from app.models import (
    COMMENT_NAME_MAX,
    INT_MAX,
    TAG_MAX,
    TITLE_MAX,
    USERNAME_MAX,
    Comment,
    Post,
    Tag,
    User,
)
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.api import admin_headers, assert_json_error
from tests.support.database import database_rows, row_count, rows_for_the_module
from tests.support.html import parse, text_of
from tests.support.sessions import session_data, submit_login

pytestmark = pytest.mark.postgresql

EDGES = [INT_MAX, INT_MAX + 1]
# A password refused by no rule but its length: no common password is this long.
LONGEST_PASSWORD = ("a long passphrase, " * 8)[:PASSWORD_MAX]


def assert_404_page(response) -> None:
    assert response.status_code == 404
    assert text_of(parse(response.get_data(as_text=True)), "h1") == ["404 Not Found"]


def make_blog() -> int:
    """Two pages of posts by "writer", tagged "common", the first with a comment: its id."""
    writer = PosterFactory(username="writer")
    common = TagFactory(title="common")
    posts: list[Post] = PostFactory.create_batch(11, user=writer, tags=[common])
    CommentFactory(post=posts[0])
    return posts[0].id


@pytest.fixture(scope="module")
def blog(app: Flask) -> Iterator[int]:
    """The blog every test here starts from (its changes rolled back), made once."""
    yield from rows_for_the_module(app, make_blog)


# --- ids and page numbers ------------------------------------------------------------------


@pytest.mark.parametrize("number", EDGES)
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/blog/post/{}"),
        ("POST", "/blog/post/{}"),
        ("GET", "/blog/edit/{}"),
        ("POST", "/blog/edit/{}"),
        ("POST", "/blog/delete/{}"),
    ],
)
def test_a_post_id_at_the_edge_of_32_bits_is_a_404_page(
    client, log_in_as, blog, method, url, number
):
    log_in_as("admin")
    before = database_rows()
    data = {"name": "Eve", "text": "hi", "title": "t", "tags": ""} if method == "POST" else None
    assert_404_page(client.open(url.format(number), method=method, data=data))
    assert database_rows() == before


COMMENT = {"name": "Eve", "text": "hi"}


@pytest.mark.parametrize("number", EDGES)
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/api/post/{}", None),
        ("PUT", "/api/post/{}", {"title": "t"}),
        ("DELETE", "/api/post/{}", None),
        ("GET", "/api/post/{}/comments", None),
        ("POST", "/api/post/{}/comments", COMMENT),
        ("GET", "/api/comments/{}", None),
        ("PUT", "/api/comments/{}", COMMENT),
        ("DELETE", "/api/comments/{}", None),
    ],
)
def test_an_api_id_at_the_edge_of_32_bits_is_a_json_404(client, blog, method, url, body, number):
    headers = admin_headers()
    before = database_rows()
    response = client.open(url.format(number), method=method, json=body, headers=headers)
    assert_json_error(response, 404)
    assert database_rows() == before


@pytest.mark.parametrize("number", EDGES)
@pytest.mark.parametrize(
    "url", ["/blog/{}", "/blog/tag/common?page={}", "/blog/user/writer?page={}"]
)
def test_a_page_number_at_the_edge_of_32_bits_is_a_404_page(client, blog, url, number):
    assert_404_page(client.get(url.format(number)))


@pytest.mark.parametrize("url", ["/api/post?page={}", "/api/post/{post}/comments?page={}"])
def test_the_api_pages_up_to_2_31_minus_1_and_refuses_2_31_naming_the_limit(client, blog, url):
    last = client.get(url.format(INT_MAX, post=blog))
    assert last.status_code == 200
    assert last.get_json()["items"] == []
    body = assert_json_error(client.get(url.format(INT_MAX + 1, post=blog)), 422)
    assert body["errors"]["query"]["page"] == [f"Must be a page number, from 1 to {INT_MAX}."]


# --- lengths -------------------------------------------------------------------------------


def test_a_username_at_the_maximum_length_registers_and_one_more_is_refused(client):
    longest = "u" * USERNAME_MAX
    form = {"password": LONGEST_PASSWORD, "confirm": LONGEST_PASSWORD}
    users = row_count(User)
    refused = client.post("/register", data={**form, "username": longest + "u"})
    assert refused.status_code == 422
    assert f"between 1 and {USERNAME_MAX} characters" in refused.get_data(as_text=True)
    assert row_count(User) == users
    assert client.post("/register", data={**form, "username": longest}).status_code == 302
    assert row_count(User, User.username == longest) == 1


def test_a_password_at_the_maximum_length_logs_in_and_one_more_is_refused(client):
    too_long = LONGEST_PASSWORD + "a"
    refused = client.post(
        "/register", data={"username": "max", "password": too_long, "confirm": too_long}
    )
    assert refused.status_code == 422
    assert f"between 8 and {PASSWORD_MAX} characters" in refused.get_data(as_text=True)
    form = {"username": "max", "password": LONGEST_PASSWORD, "confirm": LONGEST_PASSWORD}
    assert client.post("/register", data=form).status_code == 302
    client.post("/logout")
    assert submit_login(client, "max", LONGEST_PASSWORD).status_code == 302
    assert session_data(client).get("_user_id")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "t" * (TITLE_MAX + 1)}, f"between 1 and {TITLE_MAX} characters"),
        ({"tags": "fine, " + "t" * (TAG_MAX + 1)}, f"at most {TAG_MAX} characters"),
    ],
    ids=["title", "tag"],
)
def test_a_post_title_or_tag_one_character_too_long_is_refused_and_nothing_saved(
    client, log_in_as, fields, message
):
    log_in_as("poster")
    before = database_rows()
    response = client.post("/blog/new", data={"title": "A title", "text": "Text."} | fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert database_rows() == before


def test_a_post_title_and_tag_at_the_maximum_length_are_saved(client, log_in_as):
    log_in_as("poster")
    title, tag = "t" * TITLE_MAX, "g" * TAG_MAX
    response = client.post("/blog/new", data={"title": title, "text": "Text.", "tags": tag})
    assert response.status_code == 302
    assert row_count(Post, Post.title == title) == 1
    assert row_count(Tag, Tag.title == tag) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "t" * (TITLE_MAX + 1)}, "title"),
        ({"title": "t", "tags": ["g" * (TAG_MAX + 1)]}, "tags"),
    ],
    ids=["title", "tag"],
)
def test_the_api_refuses_a_title_or_tag_one_character_too_long_naming_the_field(
    client, body, field
):
    headers = admin_headers()
    before = database_rows()
    response = client.post("/api/post", json=body, headers=headers)
    assert field in assert_json_error(response, 422)["errors"]["json"]
    assert database_rows() == before


def test_the_api_saves_a_title_and_tag_at_the_maximum_length(client):
    title, tag = "t" * TITLE_MAX, "g" * TAG_MAX
    body = {"title": title, "tags": [tag]}
    response = client.post("/api/post", json=body, headers=admin_headers())
    assert response.status_code == 201
    assert response.get_json()["title"] == title
    assert row_count(Tag, Tag.title == tag) == 1


@pytest.mark.parametrize("length", [COMMENT_NAME_MAX, COMMENT_NAME_MAX + 1])
def test_a_comment_name_is_taken_at_the_maximum_length_and_refused_one_more(client, blog, length):
    name = "n" * length
    form = client.post(f"/blog/post/{blog}", data={"name": name, "text": "hi"})
    api = client.post(
        f"/api/post/{blog}/comments", json={"name": name, "text": "hi"}, headers=admin_headers()
    )
    if length == COMMENT_NAME_MAX:
        assert (form.status_code, api.status_code) == (302, 201)
        assert row_count(Comment, Comment.name == name) == 2
    else:
        assert form.status_code == 422
        assert f"at most {COMMENT_NAME_MAX} characters" in form.get_data(as_text=True)
        assert "name" in assert_json_error(api, 422)["errors"]["json"]
        assert row_count(Comment, Comment.name == name) == 0


# --- NUL -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/blog/tag/a%00b", "/blog/user/a%00b", "/blog/feed/tag/a%00b.atom", "/blog/post/1%00"],
)
def test_a_nul_in_a_path_is_a_404_page(client, blog, url):
    assert_404_page(client.get(url))


def test_a_nul_in_a_comment_is_refused_by_the_form_and_the_api(client, blog):
    headers = admin_headers()
    before = database_rows()
    form = client.post(f"/blog/post/{blog}", data={"name": "Eve", "text": "a\x00b"})
    assert form.status_code == 422
    assert "control characters" in form.get_data(as_text=True)
    api = client.post(
        f"/api/post/{blog}/comments", json={"name": "Eve", "text": "a\x00b"}, headers=headers
    )
    assert "text" in assert_json_error(api, 422)["errors"]["json"]
    assert database_rows() == before


def test_a_nul_in_a_post_text_is_refused_by_the_editor_and_the_api(client, log_in_as):
    log_in_as("poster")
    posts = row_count(Post)
    editor = client.post("/blog/new", data={"title": "T", "text": "a\x00b", "tags": ""})
    assert editor.status_code == 422
    api = client.post("/api/post", json={"title": "T", "text": "a\x00b"}, headers=admin_headers())
    assert "text" in assert_json_error(api, 422)["errors"]["json"]
    assert row_count(Post) == posts


@pytest.mark.parametrize("password", [DEFAULT_PASSWORD + "\x00", "\x00" + DEFAULT_PASSWORD])
def test_a_nul_in_a_password_is_a_failed_login_not_an_error(client, password):
    PosterFactory(username="alice")
    assert submit_login(client, "alice", password).status_code == 422
    assert "_user_id" not in session_data(client)
    api = client.post("/api/auth", json={"username": "alice", "password": password})
    assert_json_error(api, 401)
