"""A comment's text and a post's text have a maximum length, the same in the forms, the API
and the database: at the limit they are saved, one character more is refused and nothing
changes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import IntegrityError

from app.config import Config
from app.extensions import db
from app.models import COMMENT_TEXT_MAX, POST_TEXT_MAX, Comment, Post
from tests.factories import CommentFactory, PostFactory
from tests.support.api import admin_headers, assert_json_error
from tests.support.database import database_rows, row_count
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql

# Four bytes in UTF-8, and 12 as a browser's form (%F0%9F%98%80) or a JSON escape pair.
WIDEST = "\N{GRINNING FACE}"


def stored_post(post_id: int) -> Post:
    db.session.expire_all()
    return db.session.get_one(Post, post_id)


# --- forms -------------------------------------------------------------------------------


def test_a_comment_at_the_maximum_length_is_saved(client):
    post = PostFactory()
    response = client.post(
        f"/blog/post/{post.id}", data={"name": "Eve", "text": "x" * COMMENT_TEXT_MAX}
    )
    assert response.status_code == 302
    assert [len(c.text) for c in stored_post(post.id).comments] == [COMMENT_TEXT_MAX]


def test_a_comment_one_character_too_long_is_refused_with_the_limit(client):
    post = PostFactory()
    before = database_rows()
    response = client.post(
        f"/blog/post/{post.id}", data={"name": "Eve", "text": "x" * (COMMENT_TEXT_MAX + 1)}
    )
    assert response.status_code == 422
    assert f"at most {COMMENT_TEXT_MAX:,} characters" in response.get_data(as_text=True)
    assert database_rows() == before


def test_a_comment_is_measured_after_its_line_breaks_are_normalised(client):
    """A browser sends each line break as CRLF; the comment is stored with LF only."""
    post = PostFactory()
    text = "x\r\n" * (COMMENT_TEXT_MAX // 2)
    response = client.post(f"/blog/post/{post.id}", data={"name": "Eve", "text": text})
    assert response.status_code == 302


@pytest.mark.parametrize("encoding", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_new_post_at_the_maximum_length_in_the_widest_characters_is_saved(
    client, encoding, log_in_as
):
    """The body limits leave room for the longest post however the browser encodes it."""
    log_in_as("poster")
    text = WIDEST * POST_TEXT_MAX
    response = client.post(
        "/blog/new", data={"title": "Long", "text": text, "tags": ""}, content_type=encoding
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalars(db.select(Post.text)).one() == text


def test_a_new_post_one_character_too_long_is_refused_with_the_limit(client, log_in_as):
    log_in_as("poster")
    response = client.post(
        "/blog/new", data={"title": "Long", "text": "x" * (POST_TEXT_MAX + 1), "tags": ""}
    )
    assert response.status_code == 422
    assert f"at most {POST_TEXT_MAX:,} characters" in response.get_data(as_text=True)
    assert row_count(Post) == 0


def test_an_edit_one_character_too_long_is_refused_and_the_post_kept(client):
    post = PostFactory(text="Original.")
    log_in_session(client, post.user)
    response = client.post(
        f"/blog/edit/{post.id}",
        data={"title": post.title, "text": "x" * (POST_TEXT_MAX + 1), "tags": ""},
    )
    assert response.status_code == 422
    assert stored_post(post.id).text == "Original."


def test_the_body_limits_leave_room_for_the_longest_post():
    """A field of a multipart form is raw UTF-8 (at most 4 bytes a character); a
    urlencoded form or a JSON body with escapes sends a 4-byte character as 12 bytes."""
    assert Config.MAX_FORM_MEMORY_SIZE >= 4 * POST_TEXT_MAX
    assert Config.MAX_CONTENT_LENGTH >= 12 * POST_TEXT_MAX
    assert Config.MAX_CONTENT_LENGTH >= Config.MAX_FORM_MEMORY_SIZE


# --- API ---------------------------------------------------------------------------------


def test_the_api_saves_a_post_at_the_maximum_length_sent_with_json_escapes(client):
    text = WIDEST * POST_TEXT_MAX
    response = client.post(
        "/api/post",
        data=json.dumps({"title": "Long", "text": text}),  # ensure_ascii: 12 bytes a char
        content_type="application/json",
        headers=admin_headers(),
    )
    assert response.status_code == 201
    assert response.get_json()["text"] == text


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_the_api_refuses_post_text_one_character_too_long_naming_the_field(client, method):
    post = PostFactory(text="Original.")
    url = "/api/post" if method == "POST" else f"/api/post/{post.id}"
    headers = admin_headers()
    before = database_rows()
    response = client.open(
        url,
        method=method,
        json={"title": "Long", "text": "x" * (POST_TEXT_MAX + 1)},
        headers=headers,
    )
    body = assert_json_error(response, 422)
    assert list(body["errors"]["json"]) == ["text"]
    assert str(POST_TEXT_MAX) in body["errors"]["json"]["text"][0]
    assert database_rows() == before


def test_the_api_takes_post_text_at_the_maximum_and_empty_text(client):
    post = PostFactory()
    headers = admin_headers()
    response = client.put(
        f"/api/post/{post.id}", json={"text": "x" * POST_TEXT_MAX}, headers=headers
    )
    assert response.status_code == 200
    assert len(stored_post(post.id).text) == POST_TEXT_MAX
    response = client.put(f"/api/post/{post.id}", json={"text": ""}, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_the_api_takes_comment_text_at_the_maximum_and_refuses_one_more(client, method):
    comment = CommentFactory()
    url = (
        f"/api/post/{comment.post_id}/comments"
        if method == "POST"
        else f"/api/comments/{comment.id}"
    )
    headers = admin_headers()
    before = database_rows()
    too_long = client.open(
        url,
        method=method,
        json={"name": "Eve", "text": "x" * (COMMENT_TEXT_MAX + 1)},
        headers=headers,
    )
    body = assert_json_error(too_long, 422)
    assert list(body["errors"]["json"]) == ["text"]
    assert database_rows() == before

    at_limit = client.open(
        url, method=method, json={"name": "Eve", "text": "x" * COMMENT_TEXT_MAX}, headers=headers
    )
    assert at_limit.status_code in (200, 201)
    assert len(at_limit.get_json()["text"]) == COMMENT_TEXT_MAX


def test_the_openapi_document_states_the_maximum_lengths(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert schemas["PostWrite"]["properties"]["text"]["maxLength"] == POST_TEXT_MAX
    assert schemas["CommentWrite"]["properties"]["text"]["maxLength"] == COMMENT_TEXT_MAX


# --- database ----------------------------------------------------------------------------


def test_the_database_stores_texts_at_the_maximum_length():
    comment = CommentFactory(text="x" * COMMENT_TEXT_MAX, post__text="y" * POST_TEXT_MAX)
    db.session.expire_all()
    assert len(db.session.get_one(Comment, comment.id).text) == COMMENT_TEXT_MAX
    assert len(db.session.get_one(Post, comment.post_id).text) == POST_TEXT_MAX


def test_the_database_refuses_a_post_text_one_character_too_long():
    with pytest.raises(IntegrityError, match="text_length"):
        PostFactory(text="y" * (POST_TEXT_MAX + 1))
    db.session.rollback()
    assert row_count(Post) == 0


def test_the_database_refuses_a_comment_text_one_character_too_long():
    post = PostFactory()
    with pytest.raises(IntegrityError, match="text_length"):
        CommentFactory(post=post, text="x" * (COMMENT_TEXT_MAX + 1))
    db.session.rollback()
    assert row_count(Comment) == 0


def test_the_database_counts_characters_not_bytes():
    comment = CommentFactory(text=WIDEST * COMMENT_TEXT_MAX)
    db.session.expire_all()
    assert db.session.get_one(Comment, comment.id).text == WIDEST * COMMENT_TEXT_MAX
