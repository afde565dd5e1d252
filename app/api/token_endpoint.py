"""POST /api/auth: trade a username and password for a Bearer token."""

from __future__ import annotations

from typing import Any

from flask import abort

from app.api.blueprint import api
from app.api.schemas import CredentialsSchema, TokenSchema
from app.api.tokens import issue_token, token_lifetime
from app.models import User

BAD_CREDENTIALS = "Invalid username or password."


@api.post("/auth")
@api.arguments(CredentialsSchema)
@api.response(200, TokenSchema)
@api.alt_response(401, response="UNAUTHORIZED")
@api.doc(security=[])
def auth(credentials: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Get a token, to send as 'Authorization: Bearer <token>' until it expires."""
    user = User.by_username(credentials["username"])
    if user is None or not user.check_password(credentials["password"]):
        abort(401, BAD_CREDENTIALS)
    token = {"token": issue_token(user), "expires_in": token_lifetime()}
    return token, 200, {"Cache-Control": "no-store"}
