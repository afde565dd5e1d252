"""POST /api/auth: trade a username and password for a Bearer token."""

from __future__ import annotations

from typing import Any

from flask import abort
from werkzeug.exceptions import TooManyRequests

from app.accounts.login import check_credentials
from app.accounts.throttle import Throttled
from app.api.blueprint import api
from app.api.schemas import CredentialsSchema, TokenSchema
from app.api.tokens import issue_token, token_lifetime
from app.database import reads_before_locking

BAD_CREDENTIALS = "Invalid username or password."
THROTTLED = "Too many failed logins; try again later (see Retry-After)."


@api.post("/auth")
@api.arguments(CredentialsSchema)
@api.response(200, TokenSchema)
@api.alt_response(401, response="UNAUTHORIZED")
@api.alt_response(429, response="TOO_MANY_REQUESTS")
@api.doc(security=[])
@reads_before_locking
def auth(credentials: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Get a token, to send as 'Authorization: Bearer <token>' until it expires."""
    try:
        user = check_credentials(credentials["username"], credentials["password"])
    except Throttled as refused:
        raise TooManyRequests(THROTTLED, retry_after=refused.retry_after) from None
    if user is None:
        abort(401, BAD_CREDENTIALS)
    token = {"token": issue_token(user), "expires_in": token_lifetime()}
    return token, 200, {"Cache-Control": "no-store"}
