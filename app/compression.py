"""Compressed responses (the book's chapter 11): zstd, brotli or gzip, as the client asks,
for HTML, CSS, JavaScript and JSON above ``COMPRESS_MIN_SIZE``, with Flask-Compress.

Except a response that carries a CSRF token (any page with a form: every page of a
logged-in user, whose navbar has the log-out form, and a post's comment form): compressing a
secret next to text an attacker can put on the same page (a comment, a URL in an error
message) lets the compressed length reveal the secret one guess at a time (BREACH).
"""

from __future__ import annotations

from flask import Flask, current_app, g
from flask.wrappers import Response

from app.extensions import compress


def init_app(app: Flask) -> None:
    compress.init_app(app)
    app.after_request(compress_unless_secret)


def compress_unless_secret(response: Response) -> Response:
    # Flask-WTF keeps the token it rendered into this response in g under the field's name.
    if current_app.config["WTF_CSRF_FIELD_NAME"] in g:
        return response
    if response.direct_passthrough and response.mimetype in compress.compress_mimetypes_set:
        # A static file, sent as it is read: read whole, it is compressed like any page
        # (with gzip, which Flask-Compress does not stream) and its file closed with it.
        response.direct_passthrough = False
        response.make_sequence()
    return compress.after_request(response)
