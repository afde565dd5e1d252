"""POST /api/auth: trade a username and password for a Bearer token.

Failed tries count toward the same throttle as the login form, so the API is no faster way
to guess passwords.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from werkzeug.exceptions import TooManyRequests

from app.api.blueprint import api
from app.api.schemas import CredentialsSchema, TokenSchema
from app.api.tokens import issue_token, token_lifetime
from app.login_throttle import login_throttle
from app.models import User
from app.passwords import hash_password

BAD_CREDENTIALS = "Invalid username or password."
THROTTLED = "Too many failed logins; try again later (see Retry-After)."


@api.post("/auth")
@api.arguments(CredentialsSchema)
@api.response(200, TokenSchema)
@api.alt_response(401, response="UNAUTHORIZED")
@api.alt_response(429, response="TOO_MANY_REQUESTS")
@api.doc(security=[])
def auth(credentials: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Get a token, to send as 'Authorization: Bearer <token>' until it expires."""
    username, password = credentials["username"], credentials["password"]
    address = request.remote_addr or "unknown"
    throttle = login_throttle()
    if not throttle.allows(username, address):
        raise TooManyRequests(THROTTLED, retry_after=throttle.retry_after(username, address))
    user = User.by_username(username)
    if user is None:
        # Hash anyway, so the answer takes as long as for a real account.
        hash_password(password)
    elif user.check_password(password):
        token = {"token": issue_token(user), "expires_in": token_lifetime()}
        return token, 200, {"Cache-Control": "no-store"}
    throttle.record_failure(username, address)
    abort(401, BAD_CREDENTIALS)
