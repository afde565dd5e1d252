"""Rate limits per address, with Flask-Limiter, on the storage the login throttle uses.

| what | setting |
|---|---|
| comments posted through the page by visitors who are not logged in | COMMENT_RATE_LIMIT |
| registrations | REGISTER_RATE_LIMIT |
| every write to the JSON API (POST, PUT, PATCH, DELETE) | API_WRITE_RATE_LIMIT |
| password reset requests, per address | RESET_REQUEST_RATE_LIMIT |
| password reset requests for one email address, from any address | RESET_REQUEST_EMAIL_RATE_LIMIT |

A request over a limit gets 429 with Retry-After, as a page or as JSON (app.errors). The
limits are read from the config at each request, so tests and deployments may change them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from app.accounts import throttle
from app.accounts.password_reset import requested_email
from app.config import ConfigError
from app.database import WRITE_METHODS

# Importing the module registers its sqlite:// scheme with `limits`.
from app.rate_limit_storage import SQLiteStorage  # noqa: F401


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _check_storage(uri: str) -> None:
    try:
        storage_from_string(uri)
    except (ConfigurationError, ValueError) as error:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI {uri!r} names no usable storage: {error}"
        ) from None


def init_app(app: Flask) -> None:
    """One Limiter per app: Flask-Limiter keeps its storage on the Limiter object, and each
    app (each test's, each worker's) must count in the storage of its own config."""
    _check_storage(app.config["RATELIMIT_STORAGE_URI"])
    limiter = Limiter(get_remote_address, app=app)
    # Flask types a view as sync or async; every view of this app is sync.
    views = cast(dict[str, Callable[..., ResponseReturnValue]], app.view_functions)
    views["blog.post"] = limiter.limit(
        _setting("COMMENT_RATE_LIMIT"),
        methods=["POST"],
        exempt_when=lambda: current_user.is_authenticated,
        error_message="Too many comments from your address; please wait and try again.",
    )(views["blog.post"])
    views["main.register"] = limiter.limit(
        _setting("REGISTER_RATE_LIMIT"),
        methods=["POST"],
        error_message="Too many new accounts from your address; please try again later.",
    )(views["main.register"])
    reset_requests = limiter.limit(
        _setting("RESET_REQUEST_EMAIL_RATE_LIMIT"),
        key_func=requested_email,
        methods=["POST"],
        error_message="Too many reset links asked for this email address; try again later.",
    )(views["main.forgot_password"])
    views["main.forgot_password"] = limiter.limit(
        _setting("RESET_REQUEST_RATE_LIMIT"),
        methods=["POST"],
        error_message="Too many reset links asked from your address; try again later.",
    )(reset_requests)
    limiter.limit(
        _setting("API_WRITE_RATE_LIMIT"),
        methods=sorted(WRITE_METHODS),
        error_message="Too many changes from your address; wait as Retry-After says.",
    )(cast(Blueprint, app.blueprints["api"]))  # Flask types it as its sans-I/O base class
    throttle.init_app(app, limiter.storage)
