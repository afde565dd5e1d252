"""Authentication by ``Authorization: Bearer <token>`` only, and the API's role rules.

Cookies never authenticate the API, which is why the blueprint is exempt from CSRF.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import ParamSpec, TypeVar

from flask import abort, g, request
from flask_smorest import Blueprint
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from app.accounts.permissions import may_change_post
from app.api.blueprint import api
from app.api.tokens import TokenError, user_for_token
from app.models import Post, User

P = ParamSpec("P")
R = TypeVar("R")
Security = list[dict[str, list[str]]]

BEARER_SCHEME = "bearerAuth"
REQUIRED: Security = [{BEARER_SCHEME: []}]
# Reads are public, but a token that is sent must be valid.
OPTIONAL: Security = [{}, {BEARER_SCHEME: []}]
NEEDS_BEARER = (
    "This needs a token: send 'Authorization: Bearer <token>' (get one from POST /api/auth)."
)


def _unauthorized(message: str, invalid_token: bool) -> Unauthorized:
    challenge = WWWAuthenticate("Bearer", {"realm": "api"})
    if invalid_token:
        challenge["error"] = "invalid_token"
    return Unauthorized(message, www_authenticate=challenge)


def _user_from_header() -> User | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(NEEDS_BEARER, invalid_token=False)
    try:
        return user_for_token(token.strip())
    except TokenError as error:
        raise _unauthorized(str(error), invalid_token=True) from None


def authenticate(required: bool) -> None:
    """Set ``g.api_user`` from the Authorization header (401 when required and absent)."""
    g.api_user = _user_from_header()
    if required and g.api_user is None:
        raise _unauthorized(NEEDS_BEARER, invalid_token=False)


def current_api_user() -> User:
    user: User = g.api_user
    return user


def _documented(view: Callable[P, R], security: Security, *codes: int) -> Callable[P, R]:
    # flask-smorest's decorators are untyped; they return the view they were given.
    documented: Callable[P, R] = Blueprint.doc(security=security)(view)
    for code in codes:
        documented = api.alt_response(code, response=HTTPStatus(code).name)(documented)
    return documented


def token_optional(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        authenticate(required=False)
        return view(*args, **kwargs)

    return _documented(wrapper, OPTIONAL, 401)


def token_required(
    may: Callable[[User], bool] | None = None, refusal: str = ""
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Demand a valid token and, when ``may`` is given, a user it allows (else 403 saying
    ``refusal``); the rules themselves live in :mod:`app.accounts.permissions`."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            authenticate(required=True)
            if may is not None and not may(current_api_user()):
                abort(403, refusal)
            return view(*args, **kwargs)

        codes = (401, 403) if may else (401,)
        return _documented(wrapper, REQUIRED, *codes)

    return decorator


def require_author_or_admin(post: Post) -> None:
    """Changing a post, or its comments, is for its author or an admin."""
    if not may_change_post(current_api_user(), post):
        abort(403, "Only the post's author or an admin may change this.")
