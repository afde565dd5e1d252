from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.accounts.login import check_credentials
from app.accounts.next_url import is_safe_next
from app.accounts.passwords import hash_password
from app.accounts.throttle import Throttled
from app.accounts.users import UsernameTaken, create_user
from app.database import begin_write_transaction, reads_before_locking
from app.extensions import db
from app.forms import form_page
from app.main import main
from app.main.forms import (
    EMAIL_TAKEN,
    TAKEN,
    AccountForm,
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
)
from app.models import User

INVALID_LOGIN = "Invalid username or password"


def _home() -> Response:
    return redirect(url_for("blog.home"))


@main.get("/")
def index() -> Response:
    return _home()


@main.route("/login", methods=["GET", "POST"])
@reads_before_locking
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return _home()
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = check_credentials(form.username.data, form.password.data)
        except Throttled as refused:
            wait = refused.retry_after
            page = render_template("main/throttled.html", minutes=-(-wait // 60))
            return Response(page, status=429, headers={"Retry-After": str(wait)})
        if user is not None:
            _log_in(user, form.password.data, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target) if is_safe_next(target) else _home()
        error = INVALID_LOGIN
    return form_page("main/login.html", form, error=error)


def _log_in(user: User, password: str, remember: bool) -> None:
    if user.password_needs_rehash():
        new_hash = hash_password(password)
        begin_write_transaction()
        user.password_hash = new_hash
        db.session.commit()
    # A fresh session at login: nothing a visitor (or an attacker) put in it carries over.
    session.clear()
    login_user(user, remember=remember)
    flash("You have been logged in.", "success")


@main.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        # The single way to end sessions: every cookie naming the old token stops working.
        current_user.rotate_session_token()
        db.session.commit()
        session.clear()
        # After the clear: logout_user leaves the note in the session that tells the
        # browser to delete its remember-me cookie.
        logout_user()
        flash("You have been logged out.", "info")
    return _home()


@main.route("/register", methods=["GET", "POST"])
@reads_before_locking
def register() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return _home()
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            create_user(form.username.data, form.password.data, email=form.email.data)
            db.session.commit()
        except (UsernameTaken, IntegrityError):
            # Another registration took the name or address since the form's check: under
            # the write lock, or (PostgreSQL) by the unique indexes.
            db.session.rollback()
            if form.email.data and User.by_email(form.email.data) is not None:
                form.email.errors = [EMAIL_TAKEN]
            else:
                form.username.errors = [TAKEN]
        else:
            flash("Your account is ready; please log in.", "success")
            return redirect(url_for("main.login"))
    return form_page("main/register.html", form)


@main.route("/change-password", methods=["GET", "POST"])
@reads_before_locking
@login_required
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current_password.data):
            new_hash = hash_password(form.password.data)
            begin_write_transaction()
            user: User = current_user._get_current_object()
            user.password_hash = new_hash
            user.rotate_session_token()
            db.session.commit()
            # This browser goes on under the new token; every other session is over.
            remembered = (
                current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            )
            login_user(user, remember=remembered)
            flash("Your password has been changed.", "success")
            return _home()
        form.current_password.errors = ["Your current password is not right."]
    return form_page("main/change_password.html", form)


@main.route("/account", methods=["GET", "POST"])
@reads_before_locking
@login_required
def account() -> Response | tuple[str, int]:
    user: User = current_user._get_current_object()
    form = AccountForm(data={"email": user.email} if request.method == "GET" else None)
    if form.validate_on_submit():
        if user.check_password(form.current_password.data):
            begin_write_transaction()
            user.email = form.email.data
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.email.errors = [EMAIL_TAKEN]
            else:
                flash("Your email address has been saved.", "success")
                return redirect(url_for("main.account"))
        else:
            form.current_password.errors = ["Your current password is not right."]
    return form_page("main/account.html", form)
