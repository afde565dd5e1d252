"""Hostile request shapes get a clear 4xx and change nothing: a file part in a form (the site
takes no uploads), a body over MAX_CONTENT_LENGTH, a form field over MAX_FORM_MEMORY_SIZE."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from werkzeug.test import encode_multipart

from app.models import Post, User
from tests.factories import CommentFactory, PosterFactory, UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.api import admin_headers, assert_json_error
from tests.support.database import database_rows
from tests.support.html import parse, text_of
from tests.support.sessions import csrf_token_from, log_in_session, session_data, submit_login

NEW_PASSWORD = "a fine long passphrase"
NO_FILES = "This form takes no files"


@dataclass(frozen=True)
class Form:
    """A form of the site as a visitor who may submit it sees it: where it posts, what
    valid fields it sends, and who must be logged in first."""

    url: str
    fields: dict[str, str]
    log_in: Callable[[FlaskClient, Post], None] | None = None


def as_author(client: FlaskClient, post: Post) -> None:
    log_in_session(client, post.user)


def as_someone(client: FlaskClient, post: Post) -> None:
    someone = User.by_username("someone")
    assert someone is not None
    log_in_session(client, someone)


FORMS = {
    "login": Form("/login", {"username": "someone", "password": DEFAULT_PASSWORD}),
    "register": Form(
        "/register", {"username": "newbie", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    ),
    "change password": Form(
        "/change-password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        as_someone,
    ),
    "comment": Form("/blog/post/{post}", {"name": "Eve", "text": "Nice post."}),
    "new post": Form(
        "/blog/new", {"title": "A title", "text": "Some text.", "tags": "a, b"}, as_author
    ),
    "edit post": Form(
        "/blog/edit/{post}", {"title": "New title", "text": "New text.", "tags": "c"}, as_author
    ),
    # Logout and delete are forms of one button: the file comes as a part of its own.
    "logout": Form("/logout", {"upload": ""}, as_someone),
    "delete post": Form("/blog/delete/{post}", {"upload": ""}, as_author),
}
CASES = [(name, field) for name, form in FORMS.items() for field in form.fields]


@pytest.fixture
def site(client: FlaskClient) -> Post:
    """A post with a comment by a poster, and the account ``someone``."""
    UserFactory(username="someone")
    return CommentFactory(post__user=PosterFactory()).post


def as_file(value: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(value.encode()), "field.txt"


@pytest.mark.parametrize(("form_name", "field"), CASES, ids=[" / ".join(c) for c in CASES])
def test_a_file_part_in_any_field_of_any_form_is_400_and_changes_nothing(
    client, site, form_name, field
):
    form = FORMS[form_name]
    if form.log_in:
        form.log_in(client, site)
    signed_in = session_data(client).get("_user_id")
    before = database_rows()

    data: dict[str, object] = dict(form.fields)
    data[field] = as_file(form.fields[field])
    response = client.post(form.url.format(post=site.id), data=data)

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["400 Bad Request"]
    assert NO_FILES in page.get_text()
    assert database_rows() == before
    assert session_data(client).get("_user_id") == signed_in


@pytest.mark.usefixtures("csrf_on")
def test_a_file_part_with_a_valid_csrf_token_is_still_refused(client, site):
    token = csrf_token_from(client.get(f"/blog/post/{site.id}").get_data(as_text=True))
    before = database_rows()
    response = client.post(
        f"/blog/post/{site.id}",
        data={"csrf_token": token, "name": "Eve", "text": as_file("hello")},
    )
    assert response.status_code == 400
    assert NO_FILES in response.get_data(as_text=True)
    assert database_rows() == before


def test_an_empty_file_input_is_refused_too(client, site):
    """What a browser sends for a file input left empty: a part with an empty filename."""
    response = client.post(
        f"/blog/post/{site.id}",
        data={"name": "Eve", "text": "hi", "attachment": (io.BytesIO(b""), "")},
    )
    assert response.status_code == 400


def test_a_multipart_form_without_files_is_accepted(client, site):
    response = client.post(
        f"/blog/post/{site.id}",
        data={"name": "Eve", "text": "Posted as multipart."},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_the_api_answers_a_multipart_body_with_its_own_json_415(client):
    response = client.post("/api/post", data={"title": as_file("t")}, headers=admin_headers())
    assert_json_error(response, 415)


# --- body size ---------------------------------------------------------------------------


def test_a_body_over_max_content_length_is_a_413_page_naming_the_limit(client, site, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = database_rows()
    response = client.post(f"/blog/post/{site.id}", data={"name": "Eve", "text": "x" * limit})
    assert response.status_code == 413
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["413 Request Entity Too Large"]
    assert text_of(page, "nav .navbar-brand") == ["Mastering Flask Blog"]
    assert "this site takes at most 2 MiB" in page.get_text()
    assert database_rows() == before


@pytest.mark.usefixtures("csrf_on")
def test_the_413_names_the_limit_before_the_csrf_check_reads_the_form(client, site, app):
    response = client.post(
        f"/blog/post/{site.id}",
        data={"name": "Eve", "text": "x" * app.config["MAX_CONTENT_LENGTH"]},
    )
    assert response.status_code == 413
    assert "this site takes at most 2 MiB" in response.get_data(as_text=True)


def test_a_twenty_megabyte_comment_is_refused_and_the_post_page_stays_small(client, site):
    response = client.post(f"/blog/post/{site.id}", data={"name": "Eve", "text": "x" * 20_000_000})
    assert response.status_code == 413
    assert len(client.get(f"/blog/post/{site.id}").get_data()) < 100_000


def test_a_body_of_unknown_length_over_the_limit_is_a_413(client, site, app):
    """A chunked body has no Content-Length: the limit applies as it is read."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"name=Eve&text=" + b"x" * limit
    response = client.post(
        f"/blog/post/{site.id}",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert "at most" in response.get_data(as_text=True)


def test_a_multipart_field_over_max_form_memory_size_is_a_413_page_naming_the_limit(
    client, site, app
):
    before = database_rows()
    text = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    # Encoded here, in memory: the test client would spool a body this size to a temporary
    # file that it never closes.
    boundary, body = encode_multipart({"name": "Eve", "text": text})
    response = client.post(
        f"/blog/post/{site.id}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["413 Request Entity Too Large"]
    assert "at most 512 KiB in one field" in page.get_text()
    assert database_rows() == before


def test_a_body_within_the_limits_is_read_as_usual(client, site):
    response = client.post(f"/blog/post/{site.id}", data={"name": "Eve", "text": "Short."})
    assert response.status_code == 302


def test_too_large_logins_are_413_and_not_counted_as_failed_logins(client, app):
    """Otherwise anyone could lock an account out with oversized posts of its name."""
    UserFactory(username="alice")
    padding = "x" * app.config["MAX_CONTENT_LENGTH"]
    for _ in range(6):  # one more than LOGIN_THROTTLE_LIMIT allows failures
        assert submit_login(client, "alice", padding).status_code == 413
    assert submit_login(client, "alice").status_code == 302


def test_the_api_still_answers_a_body_over_its_limit_with_a_json_413(client, app):
    text = "x" * app.config["API_MAX_CONTENT_LENGTH"]
    response = client.post("/api/post", json={"title": "t", "text": text}, headers=admin_headers())
    assert_json_error(response, 413)
