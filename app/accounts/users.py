"""Accounts made, changed and deleted: one way for the register form, ``flask users`` and
the seed. Each function changes the session only; the caller commits."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.passwords import hash_password, new_password_problem
from app.database import begin_write_transaction_if_deferred
from app.extensions import db
from app.models import ROLE_NAMES, USERNAME_MAX, Comment, Post, User, ensure_roles


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


class UnknownUser(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(f"No user named {username!r}")


def existing_user(username: str, *, lock: bool = False) -> User:
    """The user named ``username`` (in any letter case); ``lock``: its row, till the commit."""
    user = User.by_username(username)
    if user is None:
        raise UnknownUser(username)
    if lock:
        db.session.refresh(user, with_for_update=True)
    return user


def _check_new_password(password: str) -> None:
    problem = new_password_problem(password)
    if problem:
        raise BadValue("password", problem)


def create_user(
    username: str, password: str, role: str = "default", email: str | None = None
) -> User:
    """Add a user with one role to the session (the caller commits); raise AccountError.

    The password is hashed before anything is written: a view marked reads_before_locking
    takes the write lock only after the hash (app.database).
    """
    if not 1 <= len(username) <= USERNAME_MAX:
        raise BadValue("username", f"must be 1 to {USERNAME_MAX} characters")
    _check_new_password(password)
    if role not in ROLE_NAMES:
        raise BadValue("role", f"{role!r} is unknown; choose one of: {', '.join(ROLE_NAMES)}")
    password_hash = hash_password(password)
    begin_write_transaction_if_deferred()
    if User.by_username(username) is not None:
        raise UsernameTaken(username)
    user = User(
        username=username,
        email=email,
        password_hash=password_hash,
        roles=[ensure_roles()[role]],
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(username: str, password: str) -> User:
    """Give the user a new password (the register form's rules) and a new session token,
    which ends every session and API token they had. Hashed before the write lock, as in
    create_user."""
    _check_new_password(password)
    password_hash = hash_password(password)
    begin_write_transaction_if_deferred()
    user = existing_user(username)
    user.password_hash = password_hash
    user.rotate_session_token()
    db.session.flush()
    return user


def posts_and_comments(user: User) -> tuple[int, int]:
    """How many posts the user has, and how many comments those posts have."""
    of_user = Post.user_id == user.id
    posts = db.session.scalar(select(func.count()).select_from(Post).where(of_user))
    comments = db.session.scalar(
        select(func.count()).select_from(Comment).join(Post).where(of_user)
    )
    return posts or 0, comments or 0


def delete_user(user: User) -> None:
    """Delete the user with their posts and the comments on those (call it with the user's
    row locked: existing_user(lock=True), so that no post of theirs is added meanwhile).

    The posts go through the session, locked and with their tags read under the lock, so
    that each tag's post_count goes down with them (app.models); the database's ON DELETE
    CASCADE takes their comments and tag rows, and the user's role rows.
    """
    posts = db.session.scalars(
        select(Post)
        .where(Post.user_id == user.id)
        .with_for_update(of=Post)
        .options(selectinload(Post.tags))
    )
    for post in posts:
        db.session.delete(post)
    db.session.flush()
    db.session.delete(user)
    db.session.flush()
