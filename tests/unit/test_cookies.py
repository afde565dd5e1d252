"""Cookies as a browser receives them: HttpOnly and SameSite=Lax always; under ProdConfig
also Secure, and remember-me lasts 14 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest

from app import create_app
from app.config import CHEAP_ARGON2
from tests.factories import UserFactory
from tests.support.sessions import csrf_token_from, submit_login

STRONG_KEY = "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"


def set_cookies(response) -> dict[str, dict[str, str | bool]]:
    cookies: dict[str, dict[str, str | bool]] = {}
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            cookies[name] = {key: morsel[key] for key in morsel if morsel[key]}
    return cookies


@pytest.fixture
def prod_app():
    """An app under ProdConfig. conftest binds ``db.session`` to the test's connection for
    every app, so it sees the users the factories make."""
    return create_app(
        "prod",
        environ={"SECRET_KEY": STRONG_KEY},
        overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://", "ARGON2_PARAMS": CHEAP_ARGON2},
    )


def prod_login(prod_app):
    UserFactory(username="alice", password="a long prod password")
    client = prod_app.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = csrf_token_from(page)
    return client.post(
        "/login",
        base_url="https://localhost",
        # Flask-WTF checks the Referer of HTTPS posts, as a browser sends it.
        headers={"Referer": "https://localhost/login"},
        data={
            "csrf_token": token,
            "username": "alice",
            "password": "a long prod password",
            "remember": "y",
        },
    )


def test_prod_cookies_are_secure_httponly_and_samesite_lax(prod_app):
    response = prod_login(prod_app)
    assert response.status_code == 302
    cookies = set_cookies(response)
    assert set(cookies) == {"session", "remember_token"}
    for attributes in cookies.values():
        assert attributes["secure"] is True
        assert attributes["httponly"] is True
        assert attributes["samesite"] == "Lax"


def test_prod_remember_cookie_lasts_fourteen_days(prod_app):
    expires = parsedate_to_datetime(
        str(set_cookies(prod_login(prod_app))["remember_token"]["expires"])
    )
    assert abs(expires - (datetime.now(UTC) + timedelta(days=14))) < timedelta(minutes=1)


def test_test_config_cookies_are_httponly_and_samesite_lax_too(client):
    UserFactory(username="alice")
    cookies = set_cookies(submit_login(client, "alice", remember=True))
    assert set(cookies) == {"session", "remember_token"}
    for attributes in cookies.values():
        assert attributes["httponly"] is True
        assert attributes["samesite"] == "Lax"
        assert "secure" not in attributes
