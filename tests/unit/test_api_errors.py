"""Every error under /api is the JSON body {code, status, message, errors}, never HTML."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.factories import AdminFactory, PosterFactory, PostFactory
from tests.support.api import admin_headers, assert_json_error, bearer, token_for

pytestmark = pytest.mark.postgresql


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/post/1/nope", "/api/", "/api"])
def test_unknown_api_url_is_json_404(client, path):
    body = assert_json_error(client.get(path), 404)
    assert body["status"] == "Not Found"


def test_unknown_post_is_json_404_naming_it(client):
    body = assert_json_error(client.get("/api/post/4242"), 404)
    assert "4242" in body["message"]


def test_wrong_method_is_json_405_with_allow_header(client):
    response = client.patch("/api/post")
    assert_json_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_wrong_method_on_unknown_api_url_is_json_too(client):
    assert_json_error(client.delete("/api/auth"), 405)


def test_errors_outside_the_api_stay_html(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_malformed_json_is_400(client):
    token = token_for(AdminFactory())
    response = client.post(
        "/api/post",
        data="{not json",
        content_type="application/json",
        headers=bearer(token),
    )
    body = assert_json_error(response, 400)
    assert body["errors"] == {"json": ["Invalid JSON body."]}


def test_validation_error_is_422_with_field_messages(client):
    token = token_for(AdminFactory())
    response = client.post("/api/post", json={"title": "", "tags": [1]}, headers=bearer(token))
    body = assert_json_error(response, 422)
    assert set(body["errors"]["json"]) == {"title", "tags"}
    assert body["errors"]["json"]["tags"] == {"0": ["Not a valid string."]}


def test_forbidden_is_json_403(client):
    post = PostFactory()
    token = token_for(PosterFactory())
    body = assert_json_error(client.delete(f"/api/post/{post.id}", headers=bearer(token)), 403)
    assert "author" in body["message"]


def test_body_over_the_limit_is_json_413(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_MAX_CONTENT_LENGTH", 100)
    token = token_for(AdminFactory())
    response = client.post(
        "/api/post", json={"title": "t", "text": "x" * 200}, headers=bearer(token)
    )
    assert_json_error(response, 413)


def test_database_conflict_is_json_409_and_rolled_back(client, monkeypatch):
    token = token_for(AdminFactory())

    def conflict() -> None:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(db.session, "commit", conflict)
    response = client.post("/api/post", json={"title": "t", "text": "x"}, headers=bearer(token))
    body = assert_json_error(response, 409)
    assert "conflict" in body["message"].lower()


def test_unexpected_failure_is_json_500_without_details(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    post = PostFactory()
    monkeypatch.setattr("app.api.posts.post_or_404", _broken)
    response = client.get(f"/api/post/{post.id}")
    body = assert_json_error(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert body["errors"] == {}


@pytest.mark.parametrize(
    "path",
    ["/api/post/99999999999999999999", "/api/comments/2147483648", "/api/post/2147483648/comments"],
)
def test_ids_beyond_the_database_integer_range_are_json_404(client, path):
    assert_json_error(client.get(path), 404)


def test_page_beyond_the_integer_range_is_422(client):
    body = assert_json_error(client.get("/api/post?page=99999999999999999999"), 422)
    assert "page" in body["errors"]["query"]


def test_user_filter_with_nul_is_422(client):
    """PostgreSQL cannot compare with a NUL character; the filter is refused before it."""
    body = assert_json_error(client.get("/api/post?user=a%00b"), 422)
    assert "user" in body["errors"]["query"]


def test_json_500_rolls_the_session_back(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    rolled_back = []
    monkeypatch.setattr(db.session, "rollback", lambda: rolled_back.append(True))
    monkeypatch.setattr("app.api.posts.post_or_404", _broken)
    assert_json_error(client.get(f"/api/post/{PostFactory().id}"), 500)
    assert rolled_back == [True]


def _broken(post_id: int) -> str:
    raise RuntimeError("secret internals")


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", '{"title": "Changed"}'),
        ("application/x-www-form-urlencoded", "title=Changed"),
    ],
)
def test_a_body_that_is_not_json_is_415_and_changes_nothing(client, content_type, data):
    """Not silently read as an empty change (a 200 that changed nothing)."""
    post = PostFactory(title="Kept")
    response = client.put(
        f"/api/post/{post.id}", data=data, content_type=content_type, headers=admin_headers()
    )
    assert "JSON" in assert_json_error(response, 415)["message"]
    db.session.expire_all()
    assert post.title == "Kept"


def test_a_write_without_any_body_is_still_a_validation_error(client):
    response = client.post("/api/post", headers=admin_headers())
    assert "title" in assert_json_error(response, 422)["errors"]["json"]


def test_reads_ignore_the_content_type_since_they_take_no_body(client):
    post = PostFactory()
    assert client.get(f"/api/post/{post.id}", content_type="text/plain").status_code == 200


def test_a_row_deleted_by_another_request_meanwhile_is_a_json_404(client, monkeypatch):
    """Races hit this now and then (a comment on a post deleted a moment later): pinned here."""
    from sqlalchemy import inspect
    from sqlalchemy.orm.exc import ObjectDeletedError

    post = PostFactory()

    def deleted(post_id: int) -> None:
        raise ObjectDeletedError(inspect(post))

    monkeypatch.setattr("app.api.posts.post_or_404", deleted)
    assert_json_error(client.get(f"/api/post/{post.id}"), 404)
