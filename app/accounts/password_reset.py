"""Resetting a forgotten password with a link sent by mail.

The link carries a signed, dated token (itsdangerous, a salt of its own) naming the user and
a fingerprint of their password hash and email address: it works for PASSWORD_RESET_MAX_AGE
seconds and dies as soon as either changes, so once it has been used. Asking for a link
answers the same, at the same cost, whether or not an account has the address (the mail
goes after the answer); the requests are rate-limited per visitor address and per email
address asked for (app.rate_limits).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from flask_mailman import EmailMessage
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired

from app.accounts.passwords import hash_password
from app.database import begin_write_transaction, lock_rows, reads_before_locking
from app.extensions import db
from app.forms import form_page
from app.mail import absolute_url, make_message, send_mail
from app.main import main
from app.main.forms import new_password_fields, valid_email
from app.models import User, normalise_email

# Keeps reset tokens from ever being accepted as another signed value of the app.
SIGNING_SALT = "password-reset"
SUBJECT = "Reset your password on {site}"
REQUESTED = (
    "If an account has that email address, a link to reset its password is on its way. "
    "It works for {minutes} minutes."
)
NOT_VALID = "This reset link is not valid: it may have been cut short or changed on the way."
EXPIRED = "This reset link has expired: a link works for {minutes} minutes."
USED = (
    "This reset link has already been used, or the account's password or email address has "
    "changed since it was sent."
)


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        "Your account's email address",
        validators=[DataRequired(), valid_email],
        filters=[lambda value: value.strip() if value else value],
    )
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField("Set the new password")


class InvalidResetLink(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SIGNING_SALT)


def _minutes() -> int:
    max_age: int = current_app.config["PASSWORD_RESET_MAX_AGE"]
    return max_age // 60


def _fingerprint(password_hash: str, email: str | None) -> str:
    # A digest, not the hash itself: the token is signed, not encrypted.
    return hashlib.sha256(f"{password_hash}\0{email or ''}".encode()).hexdigest()


def make_token(user: User | None) -> str:
    """A token for ``user``; for None, one that names nobody (made all the same)."""
    if user is None:
        return _serializer().dumps({"uid": 0, "fp": _fingerprint("", None)})
    return _serializer().dumps({"uid": user.id, "fp": _fingerprint(user.password_hash, user.email)})


def user_for_token(token: str, lock: bool = False) -> User:
    """The user the token may reset; raises InvalidResetLink saying why not. ``lock``
    reads the user for change (the write transaction's second look)."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise InvalidResetLink(410, EXPIRED.format(minutes=_minutes())) from None
    except BadSignature:
        raise InvalidResetLink(400, NOT_VALID) from None
    user = db.session.get(User, payload["uid"], with_for_update=lock and lock_rows())
    if user is None or not hmac.compare_digest(
        _fingerprint(user.password_hash, user.email), payload["fp"]
    ):
        raise InvalidResetLink(410, USED)
    return user


def reset_message(address: str, user: User | None, token: str) -> EmailMessage:
    """The mail with the link ``token`` for ``user`` (made for nobody too, then not sent)."""
    link = absolute_url("main.reset_password", token=token)
    body = render_template(
        "main/email/password_reset.txt",
        username=user.username if user else "",
        link=link,
        minutes=_minutes(),
    )
    return make_message(address, SUBJECT.format(site=current_app.config["SITE_NAME"]), body)


@main.route("/forgot-password", methods=["GET", "POST"])
@reads_before_locking
def forgot_password() -> Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        token = make_token(user)
        message = reset_message(form.email.data, user, token)
        if user is not None:
            # One mail per link: the token is dated to the second.
            send_mail(message, f"reset:{user.id}:{hashlib.sha256(token.encode()).hexdigest()}")
        flash(REQUESTED.format(minutes=_minutes()), "info")
        return redirect(url_for("main.login"))
    return form_page("main/forgot_password.html", form)


def requested_email() -> str:
    """The rate limits' key for the address asked for: normalised if it is valid, digested
    so that any input makes a short key."""
    asked = request.form.get("email", "")
    try:
        asked = normalise_email(asked)
    except ValueError:
        asked = asked.strip().lower()
    return "reset-email:" + hashlib.sha256(asked.encode()).hexdigest()


@main.route("/reset-password/<token>", methods=["GET", "POST"])
@reads_before_locking
def reset_password(token: str) -> Response | tuple[str, int]:
    try:
        user_for_token(token)
        form = ResetPasswordForm()
        if not form.validate_on_submit():
            return form_page("main/reset_password.html", form)
        new_hash = hash_password(form.password.data)
        begin_write_transaction()
        # Again under the lock: of two uses of one link, the second finds it dead.
        user = user_for_token(token, lock=True)
    except InvalidResetLink as refused:
        page = render_template("main/reset_link_invalid.html", message=refused.message)
        return page, refused.status
    user.password_hash = new_hash
    # Every session and API token of the account ends; this browser starts a new one.
    user.rotate_session_token()
    db.session.commit()
    session.clear()
    login_user(user)
    flash("Your password has been changed; you are logged in.", "success")
    return redirect(url_for("blog.home"))
