"""Unsubscribing from a list of mails (comment notes, the digest) by the link they carry.

The link holds a signed token (itsdangerous, a salt of its own, no expiry) naming the user
and the list; it needs no login. Following it shows a page with a button, so a link scanner
that fetches it unsubscribes nobody; the button, and a mail client's RFC 8058 one-click POST
(``List-Unsubscribe=One-Click``, sent without the site's CSRF token), turn the list off.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import SubmitField

from app.database import lock_rows
from app.extensions import csrf, db
from app.mail import absolute_url
from app.models import User
from app.notifications import notifications

SIGNING_SALT = "unsubscribe"
# Each list: the User column that turns it on, and what the pages call it.
LISTS = {
    "comments": ("notify_comments", "mails about comments on your posts"),
    "digest": ("weekly_digest", "the weekly digest"),
}
NOT_VALID = "This unsubscribe link is not valid: it may have been cut short or changed on the way."
ONE_CLICK = "One-Click"


class UnsubscribeForm(FlaskForm):
    submit = SubmitField("Unsubscribe")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SIGNING_SALT)


def make_token(user: User, list_name: str) -> str:
    return _serializer().dumps({"uid": user.id, "list": list_name})


def unsubscribe_headers(user: User, list_name: str, base_url: str | None = None) -> dict[str, str]:
    """The headers of a mail of the list (RFC 2369, RFC 8058's one-click POST)."""
    token = make_token(user, list_name)
    link = absolute_url("notifications.unsubscribe", _base=base_url, token=token)
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": f"List-Unsubscribe={ONE_CLICK}",
    }


def unsubscribe_link(headers: dict[str, str]) -> str:
    return headers["List-Unsubscribe"].strip("<>")


def _subscription(token: str) -> tuple[User, str]:
    """The user and list the token names; a 400 page when it names none."""
    try:
        payload = _serializer().loads(token)
        list_name = str(payload["list"])
        user = db.session.get(User, int(payload["uid"]), with_for_update=lock_rows())
    except (BadSignature, KeyError, TypeError, ValueError):
        abort(400, description=NOT_VALID)
    if list_name not in LISTS or user is None:
        abort(400, description=NOT_VALID)
    return user, list_name


@notifications.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the one-click POST carries no CSRF token; the button's form is checked below
def unsubscribe(token: str) -> tuple[str, int]:
    user, list_name = _subscription(token)
    column, description = LISTS[list_name]
    form = UnsubscribeForm()
    one_click = request.form.get("List-Unsubscribe") == ONE_CLICK
    if request.method == "GET" or not (one_click or form.validate_on_submit()):
        status = 200 if request.method == "GET" else 400
        page = render_template("notifications/unsubscribe.html", form=form, what=description)
        return page, status
    setattr(user, column, False)
    db.session.commit()
    return render_template("notifications/unsubscribed.html", what=description), 200
