"""The shapes of request body the site refuses before anything reads it: a file (the site
takes no uploads) and a body or form field over the configured size.

The JSON API keeps its own rules (JSON only, ``API_MAX_CONTENT_LENGTH``; app.api).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from app.api.errors import is_api_request

NO_FILES = "This form takes no files: the site accepts no uploads. Please send text only."


def size(length: int) -> str:
    """A byte count as people read it: 2 MiB, 512 KiB, 19.1 MiB, 1000 KiB."""
    if length >= 1024 * 1024:
        return f"{_digits(length / (1024 * 1024))} MiB"
    return f"{_digits(length / 1024)} KiB"


def _digits(value: float) -> str:
    # Three significant digits, and never an exponent ("1.02e+03") from 999.5 up.
    return f"{value:.3g}" if value < 999.5 else f"{value:.0f}"


def refuse_hostile_bodies() -> None:
    if is_api_request():
        return
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(
            f"This request is {size(request.content_length)}; "
            f"this site takes at most {size(limit)} in one request."
        )
    try:
        files = request.files
    except RequestEntityTooLarge:
        # The body had no Content-Length, or one multipart field or the count of fields
        # was over the limit: werkzeug stopped reading it.
        raise RequestEntityTooLarge(
            f"This form is larger than this site takes: at most "
            f"{size(current_app.config['MAX_FORM_MEMORY_SIZE'])} in one field, "
            f"{size(limit)} in all."
        ) from None
    if files:
        raise BadRequest(NO_FILES)


def init_app(app: Flask) -> None:
    # First of all: CSRFProtect's check reads the form, and a 413 raised there would carry
    # werkzeug's generic words instead of the limits.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_bodies)
