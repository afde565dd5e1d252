"""The JSON API under /api: Bearer tokens, posts and comments, an OpenAPI 3 document.

flask-smorest validates input with marshmallow and writes the spec from the same schemas.
"""

from __future__ import annotations

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app, request
from flask_smorest import Api
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from app.api import errors
from app.api.bearer import BEARER_SCHEME
from app.api.blueprint import api
from app.extensions import csrf

SETTINGS = {
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    # Room for the longest post sent with JSON escapes: 12 bytes a character at worst
    # (app.models.POST_TEXT_MAX; the site's forms have the same limit, app.config).
    "API_MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
}

BODY_METHODS = {"POST", "PUT", "PATCH"}


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """Spec names: ``PostWrite`` for a new post, ``PostWritePartial`` for its PUT changes."""
    schema_class = schema if isinstance(schema, type) else type(schema)
    name = schema_class.__name__.removesuffix("Schema")
    return name + "Partial" if getattr(schema, "partial", False) else name


class BlogApi(Api):
    ERROR_SCHEMA = errors.ErrorSchema

    def _register_error_handlers(self) -> None:
        """Leave errors to :mod:`app.errors`: flask-smorest's own handler would answer
        every error of the whole site, HTML pages included, in JSON."""


@api.before_request
def _api_request_rules() -> None:
    request.max_content_length = int(current_app.config["API_MAX_CONTENT_LENGTH"])
    if "token" in request.args:
        raise BadRequest(
            "Tokens in URLs leak into logs and histories; "
            "send it as 'Authorization: Bearer <token>'."
        )
    # Otherwise the JSON parser would read another type of body as no fields at all, and a
    # PUT would answer 200 having changed nothing.
    if request.method in BODY_METHODS and request.mimetype and not request.is_json:
        raise UnsupportedMediaType(
            f"Send the body as JSON, with 'Content-Type: application/json' "
            f"(not {request.mimetype!r})."
        )


api.register_error_handler(IntegrityError, errors.handle_integrity_error)

from app.api import comments, posts, token_endpoint  # noqa: E402,F401  (routes attach to api)


def init_app(app: Flask) -> None:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    smorest = BlogApi(
        app,
        spec_kwargs={
            "title": "Mastering Flask blog API",
            "version": "1",
            "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
        },
    )
    smorest.spec.components.security_scheme(BEARER_SCHEME, {"type": "http", "scheme": "bearer"})
    smorest.register_blueprint(api)
    csrf.exempt(api)
