"""App-wide error pages: one handler renders every HTTP error in the site's layout.

Unhandled exceptions reach it as ``InternalServerError``, so a 500 gets the same page and
never a traceback. A part of the site that answers errors in another format (the JSON API)
registers its own app-wide ``HTTPException`` handler after this one and hands the requests
that are not its own to :func:`handle_http_error`, so unknown URLs and wrong methods under
its prefix, which never reach a blueprint, are answered its way too.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

ErrorResponse = tuple[str, int, list[tuple[str, str]]]

# Flask-WTF's descriptions ("The CSRF session token is missing.") mean nothing to a visitor
# whose form page simply outlived the session.
CSRF_DESCRIPTION = (
    "This form has expired or did not come from this site. Please reload the page and try again."
)


def handle_http_error(error: HTTPException) -> ErrorResponse:
    """The error's page, with the status and the headers it needs (a 405's ``Allow``)."""
    status = error.code or 500
    if status >= 500:
        # The failure may have left the session mid-transaction; the page must still render
        # and the next request start clean.
        db.session.rollback()
    description = CSRF_DESCRIPTION if isinstance(error, CSRFError) else error.description
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    page = render_template("errors/error.html", error=error, status=status, description=description)
    return page, status, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
