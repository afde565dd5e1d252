"""The mail the site sends its users besides the password reset: a note to a post's author
when a comment arrives (``comments``), the weekly digest (``digest``); the page where a user
turns them on and off (``preferences``) and the unsubscribe links they carry
(``unsubscribe``)."""

from flask import Blueprint

notifications = Blueprint("notifications", __name__, template_folder="templates")

from app.notifications import preferences, unsubscribe  # noqa: E402,F401  (their views)
