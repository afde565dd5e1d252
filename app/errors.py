"""App-wide error pages: one handler renders every HTTP error in the site's layout.

Unhandled exceptions reach it as ``InternalServerError``, so a 500 gets the same page and
never a traceback. Blueprints that answer in another format (the JSON API) branch inside
:func:`handle_http_error` on the request, so there stays one place that decides.
"""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from app.extensions import db

ErrorResponse = tuple[str, int, list[tuple[str, str]]]


def handle_http_error(error: HTTPException) -> ErrorResponse:
    """The error's page, with the status and the headers it needs (a 405's ``Allow``)."""
    status = error.code or 500
    if status >= 500:
        # The failure may have left the session mid-transaction; the page must still render
        # and the next request start clean.
        db.session.rollback()
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    return render_template("errors/error.html", error=error, status=status), status, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
