"""The one error desk: every HTTP error of the app is answered here, as a page in the
site's layout or, under /api, as the API's JSON body.

Unhandled exceptions reach it as ``InternalServerError``, so a 500 gets the same page and
never a traceback. A database that cannot serve the request (its lock wait ran out, the
disk is full, the file is read-only, the server refuses connections) is a 503 with
``Retry-After``: the visitor can simply try again, and nothing was half saved.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException, NotFound, ServiceUnavailable

from app.api.errors import is_api_request, json_error
from app.extensions import db

# Flask-WTF's descriptions ("The CSRF session token is missing.") mean nothing to a visitor
# whose form page simply outlived the session.
CSRF_DESCRIPTION = (
    "This form has expired or did not come from this site. Please reload the page and try again."
)
DATABASE_UNAVAILABLE = (
    "The blog's database is busy or unavailable right now. Please try again in a few seconds."
)
DELETED_MEANWHILE = "What this request was about was deleted by someone else meanwhile."
# Longer than SQLite's busy timeout would make a waiting writer give up, short enough that a
# visitor who simply reloads is served once a burst of writes or a restart is over.
RETRY_AFTER_SECONDS = 5


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    """The error's page or JSON body, with the headers it needs (Allow, Retry-After...)."""
    status = error.code or 500
    if status >= 500:
        # The failure may have left the session mid-transaction; the answer must still
        # render and the next request start clean.
        db.session.rollback()
    if is_api_request():
        return json_error(error)
    description = CSRF_DESCRIPTION if isinstance(error, CSRFError) else error.description
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    page = render_template("errors/error.html", error=error, status=status, description=description)
    return page, status, headers


def handle_database_unavailable(error: OperationalError) -> ResponseReturnValue:
    current_app.logger.warning("Database unavailable: %s", error.orig)
    return handle_http_error(
        ServiceUnavailable(DATABASE_UNAVAILABLE, retry_after=RETRY_AFTER_SECONDS)
    )


def handle_deleted_meanwhile(error: ObjectDeletedError) -> ResponseReturnValue:
    """A row this request wrote or read was deleted by another request since (a comment
    whose post was deleted the moment after it was saved)."""
    return handle_http_error(NotFound(DELETED_MEANWHILE))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(ObjectDeletedError, handle_deleted_meanwhile)
