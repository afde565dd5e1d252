"""Signed, expiring API tokens that die with the user's session token.

The token carries the user's id and a digest of their session token, so
``User.rotate_session_token()`` (logout everywhere, password change) revokes every API
token too, without a token table.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

# Keeps API tokens from ever being accepted as another signed value of the app (cookies).
SIGNING_SALT = "api-token"


class TokenError(ValueError):
    """The token cannot authenticate anyone; the message says why."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNING_SALT)


def _session_digest(user: User) -> str:
    # A digest, not the session token itself: the API token is signed, not encrypted.
    return hashlib.sha256(user.session_token.encode()).hexdigest()


def token_lifetime() -> int:
    return int(current_app.config["API_TOKEN_LIFETIME"])


def issue_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "sd": _session_digest(user)})


def user_for_token(token: str) -> User:
    """The user the token authenticates; raise TokenError when it is expired or invalid."""
    try:
        payload = _serializer().loads(token, max_age=token_lifetime())
    except SignatureExpired:
        raise TokenError("The token has expired; get a new one from POST /api/auth.") from None
    except BadSignature:
        raise TokenError("The token is invalid.") from None
    user = db.session.get(User, payload["uid"])
    if user is None or not hmac.compare_digest(_session_digest(user), payload["sd"]):
        raise TokenError("The token is invalid: it has been revoked.")
    return user
