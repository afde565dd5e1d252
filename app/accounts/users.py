"""Creating accounts: one way for the register form, ``flask users create`` and the seed."""

from __future__ import annotations

from app.accounts.passwords import PASSWORD_MAX, PASSWORD_MIN, hash_password
from app.database import begin_write_transaction_if_deferred
from app.extensions import db
from app.models import ROLE_NAMES, USERNAME_MAX, User, ensure_roles


class AccountError(ValueError):
    """The account cannot be created; the message says why."""


class BadValue(AccountError):
    """One of the values is not allowed: ``field`` names it, ``problem`` says what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"The {field} {problem}")
        self.field = field
        self.problem = problem


class UsernameTaken(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(f"User {username!r} already exists")


def create_user(username: str, password: str, role: str = "default") -> User:
    """Add a user with one role to the session (the caller commits); raise AccountError.

    The password is hashed before anything is written: a view marked reads_before_locking
    takes the write lock only after the hash (app.database).
    """
    if not 1 <= len(username) <= USERNAME_MAX:
        raise BadValue("username", f"must be 1 to {USERNAME_MAX} characters")
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadValue(
            "password", f"must be at least {PASSWORD_MIN} characters and at most {PASSWORD_MAX}"
        )
    if role not in ROLE_NAMES:
        raise BadValue("role", f"{role!r} is unknown; choose one of: {', '.join(ROLE_NAMES)}")
    password_hash = hash_password(password)
    begin_write_transaction_if_deferred()
    if User.by_username(username) is not None:
        raise UsernameTaken(username)
    user = User(username=username, password_hash=password_hash, roles=[ensure_roles()[role]])
    db.session.add(user)
    db.session.flush()
    return user
