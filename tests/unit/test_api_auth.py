"""POST /api/auth and the Bearer-token rules every API endpoint follows."""

from __future__ import annotations

import pytest

from app.api.tokens import TokenError, issue_token, user_for_token
from app.extensions import db
from app.models import Post
from tests.factories import AdminFactory, PosterFactory, UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.api import (
    AUTH_STATES,
    assert_json_error,
    bearer,
    expired_token_for,
    headers_for,
)
from tests.support.database import row_count
from tests.support.sessions import log_in_session, submit_login

pytestmark = pytest.mark.postgresql

NEW_POST = {"title": "Via the API", "text": "Some *Markdown*."}


def test_auth_with_right_password_gives_a_working_token(client):
    PosterFactory(username="writer", password="s3cret-enough")
    response = client.post("/api/auth", json={"username": "writer", "password": "s3cret-enough"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_in"}
    assert body["expires_in"] == 600
    assert response.headers["Cache-Control"] == "no-store"
    created = client.post("/api/post", json=NEW_POST, headers=bearer(body["token"]))
    assert created.status_code == 201


def test_auth_username_is_case_insensitive(client):
    UserFactory(username="Writer", password="s3cret-enough")
    response = client.post("/api/auth", json={"username": "wRITER", "password": "s3cret-enough"})
    assert response.status_code == 200


def test_auth_lifetime_comes_from_config(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_LIFETIME", 42)
    UserFactory(username="writer", password="s3cret-enough")
    response = client.post("/api/auth", json={"username": "writer", "password": "s3cret-enough"})
    assert response.get_json()["expires_in"] == 42


@pytest.mark.parametrize(
    ("username", "password"),
    [("writer", "wrong password"), ("nobody", "s3cret-enough")],
    ids=["wrong-password", "unknown-user"],
)
def test_auth_with_bad_credentials_is_401_and_does_not_say_which(client, username, password):
    UserFactory(username="writer", password="s3cret-enough")
    response = client.post("/api/auth", json={"username": username, "password": password})
    body = assert_json_error(response, 401)
    assert body["message"] == "Invalid username or password."
    assert "token" not in body


@pytest.mark.parametrize("state", AUTH_STATES)
def test_auth_answers_on_the_credentials_alone_in_every_auth_state(client, state):
    """Whatever Authorization header comes along (none, forged, expired, any role's),
    the password decides, so a client can always renew its token."""
    UserFactory(username="writer", password="s3cret-enough")
    headers = headers_for(state)
    right = client.post(
        "/api/auth", json={"username": "writer", "password": "s3cret-enough"}, headers=headers
    )
    assert right.status_code == 200
    wrong = client.post("/api/auth", json={"username": "writer", "password": "no"}, headers=headers)
    assert_json_error(wrong, 401)


def test_auth_without_fields_is_422_naming_them(client):
    body = assert_json_error(client.post("/api/auth", json={}), 422)
    assert set(body["errors"]["json"]) == {"username", "password"}


def test_auth_ignores_a_stale_bearer_header_so_clients_can_renew(client):
    user = UserFactory(username="writer", password="s3cret-enough")
    stale = expired_token_for(user)
    response = client.post(
        "/api/auth",
        json={"username": "writer", "password": "s3cret-enough"},
        headers=bearer(stale),
    )
    assert response.status_code == 200


def test_write_without_token_is_401_with_bearer_challenge(client):
    response = client.post("/api/post", json=NEW_POST)
    body = assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["message"]
    assert row_count(Post) == 0


@pytest.mark.parametrize(
    "authorization",
    ["Basic d3JpdGVyOnMzY3JldA==", "Bearer", "Bearer ", "Token abc", "bearer"],
)
def test_malformed_authorization_header_is_401(client, authorization):
    response = client.post("/api/post", json=NEW_POST, headers={"Authorization": authorization})
    assert_json_error(response, 401)
    assert row_count(Post) == 0


def test_expired_token_is_401_saying_it_expired(client):
    token = expired_token_for(AdminFactory())
    body = assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(token)), 401)
    assert "expired" in body["message"]
    challenge = client.post("/api/post", headers=bearer(token)).headers["WWW-Authenticate"]
    assert "invalid_token" in challenge


def test_token_stops_working_when_the_users_session_token_is_rotated(client):
    admin = AdminFactory()
    token = issue_token(admin)
    admin.rotate_session_token()
    db.session.commit()
    assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(token)), 401)


def test_token_of_a_deleted_user_is_401(client):
    admin = AdminFactory()
    token = issue_token(admin)
    db.session.delete(admin)
    db.session.commit()
    assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(token)), 401)


def test_token_signed_with_another_key_is_401(client, app, monkeypatch):
    admin = AdminFactory()
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key")
    forged = issue_token(admin)
    monkeypatch.setitem(app.config, "SECRET_KEY", "test-secret-key")
    assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(forged)), 401)


def test_session_cookie_alone_does_not_authenticate_the_api(client):
    admin = AdminFactory()
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
        session["_fresh"] = True
    assert_json_error(client.post("/api/post", json=NEW_POST), 401)
    assert row_count(Post) == 0


def test_token_in_the_query_string_is_refused(client):
    token = issue_token(AdminFactory())
    response = client.post(f"/api/post?token={token}", json=NEW_POST)
    body = assert_json_error(response, 400)
    assert "Authorization" in body["message"]
    assert row_count(Post) == 0
    assert_json_error(client.get(f"/api/post?token={token}"), 400)


def test_api_writes_need_no_csrf_token_because_cookies_never_authenticate(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = issue_token(AdminFactory())
    assert client.post("/api/post", json=NEW_POST, headers=bearer(token)).status_code == 201


def test_user_for_token_explains_what_is_wrong(app):
    user = UserFactory()
    assert user_for_token(issue_token(user)) is user
    with pytest.raises(TokenError, match="expired"):
        user_for_token(expired_token_for(user))
    with pytest.raises(TokenError, match="invalid"):
        user_for_token("garbage")
    with pytest.raises(TokenError, match="invalid"):
        user_for_token(issue_token(user) + "x")


def test_auth_with_a_password_that_is_not_valid_unicode_is_422(client):
    UserFactory(username="writer", password="s3cret-enough")
    response = client.post(
        "/api/auth",
        data='{"username": "writer", "password": "\\ud800"}',
        content_type="application/json",
    )
    assert "password" in assert_json_error(response, 422)["errors"]["json"]


def _api_login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/api/auth",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_auth_after_too_many_failures_is_429_even_with_the_right_password(client):
    """The API is no way around the login form's throttle on guessing passwords."""
    UserFactory(username="writer", password="s3cret-enough")
    for _ in range(5):
        assert _api_login(client, "writer", "a guess").status_code == 401
    response = _api_login(client, "writer", "s3cret-enough")
    body = assert_json_error(response, 429)
    assert "try again" in body["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_auth_counts_failed_logins_of_the_form_too(client):
    UserFactory(username="writer", password="s3cret-enough")
    for _ in range(5):
        submit_login(client, "writer", "a guess", address="10.0.0.1")
    assert_json_error(_api_login(client, "writer", "s3cret-enough"), 429)


def test_auth_throttles_an_address_guessing_many_accounts(client, app):
    limit = int(app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"].split()[0])
    for number in range(limit):
        _api_login(client, f"nobody{number}", "a guess")
    assert_json_error(_api_login(client, "someone-else", "a guess"), 429)
    assert _api_login(client, "someone-else", "a guess", address="10.0.0.2").status_code == 401


def test_auth_for_an_unknown_user_still_hashes_the_password(client, monkeypatch):
    """So the answer takes as long as for a real account and does not tell which exist."""
    hashed: list[str] = []
    monkeypatch.setattr("app.accounts.login.hash_password", hashed.append)
    assert_json_error(_api_login(client, "nobody", "a guess"), 401)
    assert hashed == ["a guess"]


def test_logging_out_of_the_site_ends_the_users_api_tokens(client):
    """Logout ends every session of the account, and its API tokens with them."""
    poster = PosterFactory()
    token = issue_token(poster)
    log_in_session(client, poster)
    assert client.post("/logout").status_code == 302
    assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(token)), 401)
    assert row_count(Post) == 0


def test_changing_the_password_ends_the_users_api_tokens(client):
    poster = PosterFactory()
    token = issue_token(poster)
    log_in_session(client, poster)
    new = "an entirely different passphrase 2026"
    response = client.post(
        "/change-password",
        data={"current_password": DEFAULT_PASSWORD, "password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert_json_error(client.post("/api/post", json=NEW_POST, headers=bearer(token)), 401)
    fresh = client.post("/api/auth", json={"username": poster.username, "password": new})
    assert (
        client.post(
            "/api/post", json=NEW_POST, headers=bearer(fresh.get_json()["token"])
        ).status_code
        == 201
    )
