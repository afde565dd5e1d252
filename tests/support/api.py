"""Shared by the API tests: Bearer headers for every auth state, and error-body checks."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

from flask import current_app
from itsdangerous import TimestampSigner

from app.api.tokens import issue_token
from app.models import User
from tests.factories import AdminFactory, PosterFactory, UserFactory

# none: no header; bad: a header with a forged token; expired: an admin's outdated token;
# default/poster/admin: a fresh user with that role; author: the author of the resource.
AUTH_STATES = ("none", "bad", "expired", "default", "poster", "author", "admin")
UNAUTHENTICATED = ("none", "bad", "expired")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_for(user: User) -> str:
    return issue_token(user)


def expired_token_for(user: User) -> str:
    """A token issued one second longer ago than the configured lifetime."""
    issued = int(time.time()) - current_app.config["API_TOKEN_LIFETIME"] - 1
    with mock.patch.object(TimestampSigner, "get_timestamp", return_value=issued):
        return issue_token(user)


def headers_for(state: str, author: User | None = None) -> dict[str, str]:
    """The request headers a client in ``state`` sends; ``author`` owns the resource."""
    if state == "none":
        return {}
    if state == "bad":
        return bearer("not-a-token")
    if state == "expired":
        return bearer(expired_token_for(AdminFactory()))
    if state == "author":
        return bearer(token_for(author or PosterFactory()))
    factory = {"default": UserFactory, "poster": PosterFactory, "admin": AdminFactory}[state]
    return bearer(token_for(factory()))


def admin_headers() -> dict[str, str]:
    return bearer(token_for(AdminFactory()))


def read_status(state: str) -> int:
    """Reads are public, but a token that is sent must be valid."""
    return 401 if state in ("bad", "expired") else 200


def write_status(state: str, allowed: tuple[str, ...], success: int) -> int:
    """The status of a write in ``state`` when the states in ``allowed`` may make it."""
    if state in UNAUTHENTICATED:
        return 401
    return success if state in allowed else 403


def assert_json_error(response: Any, code: int) -> dict[str, Any]:
    """The response is the API's JSON error body for ``code``; return that body."""
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["status"], str)
    assert body["status"]
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)
    return body
