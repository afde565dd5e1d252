"""/api/post: list, read, create, update and delete posts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, Post, Tag
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
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

NEW_POST = {"title": "Via the API", "text": "Some *Markdown*.", "tags": ["Flask", "API"]}


# --- who may do what: every endpoint x every auth state ---------------------------------


@pytest.mark.parametrize("state", AUTH_STATES)
def test_list_posts_by_auth_state(client, state, api_headers):
    post = PostFactory()
    response = client.get("/api/post", headers=api_headers(state, post))
    assert response.status_code == read_status(state)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_read_post_by_auth_state(client, state, api_headers):
    post = PostFactory()
    response = client.get(f"/api/post/{post.id}", headers=api_headers(state, post))
    assert response.status_code == read_status(state)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_create_post_by_auth_state(client, state, api_headers):
    author = PosterFactory()
    response = client.post("/api/post", json=NEW_POST, headers=api_headers(state, author))
    status = write_status(state, ("poster", "author", "admin"), 201)
    assert response.status_code == status
    assert row_count(Post) == (1 if status == 201 else 0)


@pytest.mark.parametrize("state", AUTH_STATES)
def test_update_post_by_auth_state(client, state, api_headers):
    post = PostFactory(title="Before")
    response = client.put(
        f"/api/post/{post.id}", json={"title": "After"}, headers=api_headers(state, post)
    )
    status = write_status(state, ("author", "admin"), 200)
    assert response.status_code == status
    with fresh_session() as session:
        assert session.get_one(Post, post.id).title == ("After" if status == 200 else "Before")


@pytest.mark.parametrize("state", AUTH_STATES)
def test_delete_post_by_auth_state(client, state, api_headers):
    post = PostFactory()
    response = client.delete(f"/api/post/{post.id}", headers=api_headers(state, post))
    status = write_status(state, ("author", "admin"), 204)
    assert response.status_code == status
    assert row_count(Post) == (0 if status == 204 else 1)


def test_create_by_a_reader_is_403_naming_the_roles_needed(client, api_headers):
    response = client.post("/api/post", json=NEW_POST, headers=api_headers("default"))
    body = assert_json_error(response, 403)
    assert "poster" in body["message"]
    assert "admin" in body["message"]


# --- listing ----------------------------------------------------------------------------


def test_list_is_newest_first_with_pagination_meta_and_links(client):
    posts = [PostFactory() for _ in range(5)]
    body = client.get("/api/post?page=2&per_page=2").get_json()
    assert [item["id"] for item in body["items"]] == [posts[2].id, posts[1].id]
    assert body["meta"] == {"page": 2, "per_page": 2, "total": 5, "pages": 3}
    links = body["links"]
    assert links["self"] == "/api/post?page=2&per_page=2"
    assert links["first"] == "/api/post?page=1&per_page=2"
    assert links["prev"] == "/api/post?page=1&per_page=2"
    assert links["next"] == "/api/post?page=3&per_page=2"
    assert links["last"] == "/api/post?page=3&per_page=2"


def test_list_first_and_last_pages_have_no_prev_or_next(client):
    PostFactory()
    body = client.get("/api/post").get_json()
    assert body["meta"] == {"page": 1, "per_page": 10, "total": 1, "pages": 1}
    assert body["links"]["prev"] is None
    assert body["links"]["next"] is None


def test_list_of_an_empty_blog_is_one_empty_page(client):
    body = client.get("/api/post").get_json()
    assert body["items"] == []
    assert body["meta"] == {"page": 1, "per_page": 10, "total": 0, "pages": 0}
    # Its one page is both the first and the last.
    assert body["links"]["first"] == body["links"]["last"] == "/api/post?page=1&per_page=10"


def test_list_per_page_is_capped_at_100(client):
    body = client.get("/api/post?per_page=1000").get_json()
    assert body["meta"]["per_page"] == 100


@pytest.mark.parametrize(
    "query", ["page=0", "page=02", "page=+2", "per_page=0", "page=x", "per_page=-1"]
)
def test_list_with_bad_paging_is_422(client, query):
    assert_json_error(client.get(f"/api/post?{query}"), 422)


def test_list_filters_by_author_username(client):
    mine = PostFactory(user=PosterFactory(username="Alice"))
    PostFactory()
    body = client.get("/api/post?user=alice").get_json()
    assert [item["id"] for item in body["items"]] == [mine.id]
    assert body["links"]["self"] == "/api/post?page=1&per_page=10&user=alice"


def test_list_of_unknown_user_is_empty(client):
    PostFactory()
    assert client.get("/api/post?user=nobody").get_json()["items"] == []


# --- reading ----------------------------------------------------------------------------


def test_post_shows_public_fields_markdown_and_sanitised_html(client):
    post = PostFactory(
        title="Hello",
        text="**bold** <script>alert(1)</script>",
        user=PosterFactory(username="writer"),
        tags=[TagFactory(title="b"), TagFactory(title="a")],
    )
    CommentFactory(post=post)
    body = client.get(f"/api/post/{post.id}").get_json()
    assert body == {
        "id": post.id,
        "title": "Hello",
        "text": "**bold** <script>alert(1)</script>",
        "html": body["html"],
        "publish_date": post.publish_date.isoformat(),
        "author": {"username": "writer"},
        "tags": ["a", "b"],
        "comment_count": 1,
        "links": {"self": f"/api/post/{post.id}", "comments": f"/api/post/{post.id}/comments"},
    }
    assert "<strong>bold</strong>" in body["html"]
    assert "<script>" not in body["html"]


def test_no_secret_ever_appears_in_post_output(client):
    post = PostFactory()
    text = json.dumps(client.get("/api/post").get_json()) + client.get(
        f"/api/post/{post.id}"
    ).get_data(as_text=True)
    for secret in (post.user.password_hash, post.user.session_token):
        assert secret not in text
    assert "password" not in text
    assert "session" not in text


# --- creating ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_saves_author_and_tags(client):
    poster = PosterFactory(username="writer")
    response = client.post("/api/post", json=NEW_POST, headers=bearer(token_for(poster)))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/post/{body['id']}"
    post = db.session.get_one(Post, body["id"])
    assert (post.title, post.text, post.user) == (NEW_POST["title"], NEW_POST["text"], poster)
    assert [tag.title for tag in post.tags] == ["API", "Flask"]
    assert body["author"] == {"username": "writer"}
    assert client.get(response.headers["Location"]).get_json() == body


def test_create_reuses_existing_tags_and_drops_blank_ones(client):
    TagFactory(title="Flask")
    token = token_for(PosterFactory())
    response = client.post(
        "/api/post",
        json={"title": "t", "text": "x", "tags": ["Flask", "  ", "Flask", " new  tag "]},
        headers=bearer(token),
    )
    assert response.get_json()["tags"] == ["Flask", "new tag"]
    assert row_count(Tag) == 2


def test_create_text_and_tags_are_optional(client):
    response = client.post("/api/post", json={"title": "Only a title"}, headers=admin_headers())
    assert response.status_code == 201
    assert response.get_json()["text"] == ""
    assert response.get_json()["tags"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "no title"}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   \n\t"}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "nul\x00"}, "title"),
        ({"title": 5}, "title"),
        ({"title": "t", "text": ["list"]}, "text"),
        ({"title": "t", "tags": "Flask"}, "tags"),
        ({"title": "t", "tags": ["x" * 65]}, "tags"),
        ({"title": "t", "tags": ["t"] * 31}, "tags"),
        ({"title": "t", "id": 5}, "id"),
        ({"title": "t", "user_id": 1}, "user_id"),
        ({"title": "t", "publish_date": "2020-01-01T00:00:00Z"}, "publish_date"),
    ],
)
def test_create_with_invalid_body_is_422_and_saves_nothing(client, body, field):
    response = client.post("/api/post", json=body, headers=admin_headers())
    assert field in assert_json_error(response, 422)["errors"]["json"]
    assert row_count(Post) == 0
    assert row_count(Tag) == 0


def test_create_with_unpaired_surrogate_is_422(client):
    response = client.post(
        "/api/post",
        data='{"title": "bad \\ud800 text"}',
        content_type="application/json",
        headers=admin_headers(),
    )
    assert "title" in assert_json_error(response, 422)["errors"]["json"]
    assert row_count(Post) == 0


def test_create_with_non_object_body_is_422(client):
    assert_json_error(client.post("/api/post", json=["title"], headers=admin_headers()), 422)
    assert row_count(Post) == 0


# --- updating ---------------------------------------------------------------------------


def test_update_is_partial(client):
    post = PostFactory(title="Old", text="Kept", tags=[TagFactory(title="kept")])
    response = client.put(
        f"/api/post/{post.id}", json={"title": "New"}, headers=bearer(token_for(post.user))
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["text"], body["tags"]) == ("New", "Kept", ["kept"])


def test_update_replaces_tags_and_keeps_author_and_date(client):
    post = PostFactory(tags=[TagFactory(title="old")])
    author, date = post.user, post.publish_date
    response = client.put(f"/api/post/{post.id}", json={"tags": ["new"]}, headers=admin_headers())
    assert response.get_json()["tags"] == ["new"]
    with fresh_session() as session:
        stored = session.get_one(Post, post.id)
        assert (stored.user_id, stored.publish_date, [t.title for t in stored.tags]) == (
            author.id,
            date,
            ["new"],
        )


def test_update_with_invalid_body_is_422_and_changes_nothing(client):
    post = PostFactory(title="Old")
    response = client.put(
        f"/api/post/{post.id}", json={"title": "", "text": "new"}, headers=admin_headers()
    )
    assert_json_error(response, 422)
    with fresh_session() as session:
        stored = session.get_one(Post, post.id)
        assert (stored.title, stored.text) == ("Old", post.text)


def test_update_unknown_post_is_404(client):
    assert_json_error(
        client.put("/api/post/999", json={"title": "x"}, headers=admin_headers()), 404
    )


# --- deleting ---------------------------------------------------------------------------


def test_delete_removes_the_post_and_its_comments(client):
    post = PostFactory()
    CommentFactory(post=post)
    other = CommentFactory()
    response = client.delete(f"/api/post/{post.id}", headers=admin_headers())
    assert response.status_code == 204
    assert response.get_data() == b""
    assert row_count(Post) == 1
    with fresh_session() as session:
        assert session.scalars(select(Comment.id)).all() == [other.id]


def test_delete_unknown_post_is_404(client):
    assert_json_error(client.delete("/api/post/999", headers=admin_headers()), 404)
