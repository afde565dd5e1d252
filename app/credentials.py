"""Checking a username and password, for the login form and the API alike.

Tries count toward the login throttle, so neither door is a faster way to guess
passwords, and an unknown name costs a hash as a real one does, so the answer's timing does
not tell which accounts exist.
"""

from __future__ import annotations

from flask import request

from app.login_throttle import login_throttle
from app.models import User
from app.passwords import hash_password


def check_credentials(username: str, password: str) -> User | None:
    """The user these credentials name, or None when they name nobody; raises Throttled."""
    address = request.remote_addr or "unknown"
    throttle = login_throttle()
    throttle.attempt(username, address)
    user = User.by_username(username)
    if user is None:
        hash_password(password)
    elif user.check_password(password):
        throttle.succeeded(username, address)
        return user
    throttle.failed(address)
    return None
