"""/api/post/<id>/comments and /api/comments/<id>: read, write, edit and delete comments."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.support.api import (
    AUTH_STATES,
    admin_headers,
    assert_json_error,
    bearer,
    read_status,
    token_for,
    write_status,
)
from tests.support.database import fresh_session, row_count

pytestmark = pytest.mark.postgresql

NEW_COMMENT = {"name": "Reader", "text": "Nice post!"}


# --- who may do what: every endpoint x every auth state ---------------------------------


@pytest.mark.parametrize("state", AUTH_STATES)
def test_list_comments_by_auth_state(client, state, api_headers):
    comment = CommentFactory()
    response = client.get(
        f"/api/post/{comment.post_id}/comments", headers=api_headers(state, comment)
    )
    assert response.status_code == read_status(state)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_read_comment_by_auth_state(client, state, api_headers):
    comment = CommentFactory()
    response = client.get(f"/api/comments/{comment.id}", headers=api_headers(state, comment))
    assert response.status_code == read_status(state)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_add_comment_by_auth_state(client, state, api_headers):
    post = PostFactory()
    response = client.post(
        f"/api/post/{post.id}/comments", json=NEW_COMMENT, headers=api_headers(state, post)
    )
    status = write_status(state, ("default", "poster", "author", "admin"), 201)
    assert response.status_code == status
    assert row_count(Comment) == (1 if status == 201 else 0)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_edit_comment_by_auth_state(client, state, api_headers):
    comment = CommentFactory(text="Before")
    response = client.put(
        f"/api/comments/{comment.id}",
        json={"text": "After"},
        headers=api_headers(state, comment),
    )
    status = write_status(state, ("author", "admin"), 200)
    assert response.status_code == status
    with fresh_session() as session:
        assert session.get_one(Comment, comment.id).text == ("After" if status == 200 else "Before")


@pytest.mark.parametrize("state", AUTH_STATES)
def test_delete_comment_by_auth_state(client, state, api_headers):
    comment = CommentFactory()
    response = client.delete(f"/api/comments/{comment.id}", headers=api_headers(state, comment))
    status = write_status(state, ("author", "admin"), 204)
    assert response.status_code == status
    assert row_count(Comment) == (0 if status == 204 else 1)


# --- behaviour --------------------------------------------------------------------------


def test_list_comments_newest_first_with_pagination(client):
    post = PostFactory()
    comments = [CommentFactory(post=post) for _ in range(3)]
    CommentFactory()
    body = client.get(f"/api/post/{post.id}/comments?per_page=2").get_json()
    assert [item["id"] for item in body["items"]] == [comments[2].id, comments[1].id]
    assert body["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert body["links"]["next"] == f"/api/post/{post.id}/comments?page=2&per_page=2"


def test_comment_shows_public_fields(client):
    comment = CommentFactory(name="Reader", text="Hi")
    assert client.get(f"/api/comments/{comment.id}").get_json() == {
        "id": comment.id,
        "name": "Reader",
        "text": "Hi",
        "date": comment.date.isoformat(),
        "post_id": comment.post_id,
        "links": {"self": f"/api/comments/{comment.id}", "post": f"/api/post/{comment.post_id}"},
    }


def test_add_comment_returns_201_with_location(client):
    post = PostFactory()
    response = client.post(
        f"/api/post/{post.id}/comments", json=NEW_COMMENT, headers=bearer(token_for(UserFactory()))
    )
    body = response.get_json()
    assert response.headers["Location"] == f"/api/comments/{body['id']}"
    comment = db.session.get_one(Comment, body["id"])
    assert (comment.name, comment.text, comment.post) == ("Reader", "Nice post!", post)


@pytest.mark.parametrize(
    "body",
    [{}, {"name": "x"}, {"text": "x"}, {"name": " ", "text": "x"}, {"name": "x", "text": ""},
     {"name": "x" * 256, "text": "x"}, {"name": "x", "text": "x", "post_id": 1}],
)  # fmt: skip
def test_add_invalid_comment_is_422_and_saves_nothing(client, body):
    post = PostFactory()
    response = client.post(f"/api/post/{post.id}/comments", json=body, headers=admin_headers())
    assert_json_error(response, 422)
    assert row_count(Comment) == 0


def test_comments_of_unknown_post_are_404(client):
    assert_json_error(client.get("/api/post/999/comments"), 404)
    assert_json_error(
        client.post("/api/post/999/comments", json=NEW_COMMENT, headers=admin_headers()), 404
    )


def test_edit_comment_is_partial(client):
    comment = CommentFactory(name="Kept", text="Old")
    response = client.put(
        f"/api/comments/{comment.id}", json={"text": "New"}, headers=admin_headers()
    )
    assert (response.get_json()["name"], response.get_json()["text"]) == ("Kept", "New")


def test_unknown_comment_is_404(client):
    assert_json_error(client.get("/api/comments/999"), 404)
    assert_json_error(
        client.put("/api/comments/999", json={"text": "x"}, headers=admin_headers()), 404
    )
    assert_json_error(client.delete("/api/comments/999", headers=admin_headers()), 404)
