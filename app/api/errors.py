"""JSON error bodies {code, status, message, errors} for everything under /api."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, HTTPException
from werkzeug.wrappers import Response

from app.extensions import db

API_PREFIX = "/api"
VALIDATION_MESSAGE = "The request has invalid fields; see errors."


class ErrorSchema(ma.Schema):
    """The body of every API error (documentation only; :func:`json_error` builds it)."""

    code = ma.fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    status = ma.fields.String(required=True, metadata={"description": "The HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    errors = ma.fields.Dict(
        required=True,
        metadata={"description": "Messages per request location and field; may be empty"},
    )


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _string_keys(value: Any) -> Any:
    # marshmallow keys list-item errors by index; JSON objects need string keys.
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value


def json_error(error: HTTPException) -> Response:
    """The JSON response for an HTTP error, keeping its headers (Allow, WWW-Authenticate)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = _string_keys(data.get("messages", {}))
    message = VALIDATION_MESSAGE if errors and status == 422 else error.description
    response = jsonify(code=status, status=error.name, message=message or error.name, errors=errors)
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.headers.update(data.get("headers") or {})
    return response


def handle_integrity_error(error: IntegrityError) -> Response:
    db.session.rollback()
    return json_error(
        Conflict("The change conflicts with the current data (it may have just changed).")
    )
