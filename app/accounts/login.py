"""Logging in: Flask-Login's wiring, and checking a username and password.

Sessions identify a user by their rotating session token. The credential check serves the
login form and the API alike: tries count toward the login throttle, so neither door is a
faster way to guess passwords, and an unknown name costs a hash as a real one does, so the
answer's timing does not tell which accounts exist.
"""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy import select

from app.accounts.passwords import hash_password
from app.accounts.throttle import login_throttle
from app.extensions import db, login_manager
from app.models import User


def load_user(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token))


def check_credentials(username: str, password: str) -> User | None:
    """The user these credentials name, or None when they name nobody; raises Throttled."""
    attempt = login_throttle().attempt(username, request.remote_addr or "unknown")
    user = User.by_username(username)
    if user is None:
        hash_password(password)
    elif user.check_password(password):
        attempt.succeeded()
        return user
    attempt.failed()
    return None


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "main.login"
    login_manager.login_message_category = "warning"
