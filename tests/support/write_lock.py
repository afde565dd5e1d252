"""SQLite's write lock as another connection sees it, for the tests of who holds it when, on
a ``race_app`` (a SQLite file of its own) holding alice's account, logged in as her."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.accounts.password_reset import make_token
from app.accounts.users import create_user
from app.extensions import db
from app.models import Post, User
from tests.support.sessions import log_in_session

PASSWORD = "a fine long passphrase"
NEW_PASSWORD = "another fine passphrase"


def sqlite_file_of(app: Flask, what: str = "SQLite's write lock") -> str:
    """The path of the app's SQLite file; the test skips on any other database."""
    path = str(app.config["SQLALCHEMY_DATABASE_URI"]).removeprefix("sqlite:///")
    if path.startswith(("postgresql", "sqlite://")):
        pytest.skip(f"{what}: only on a SQLite file")
    return path


def add_alice(app: Flask, post: str | None = None) -> None:
    """alice, a poster with an address and the password PASSWORD; with a post of that title."""
    with app.app_context():
        alice = create_user("alice", PASSWORD, "poster")
        alice.email = "alice@example.org"
        if post is not None:
            db.session.add(Post(title=post, text="Text", user=alice))
        db.session.commit()
        db.session.remove()


def write_lock_is_free(path: str) -> bool:
    """Whether another connection could start writing at this moment."""
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@contextmanager
def write_lock_free_at_each_flush(path: str) -> Iterator[list[bool]]:
    """For each flush of any session inside the block, whether another connection could
    write at that moment: before the flush hooks, which may write (app.models' counts)."""
    seen: list[bool] = []

    def before_flush(*_args: object) -> None:
        seen.append(write_lock_is_free(path))

    event.listen(Session, "before_flush", before_flush, insert=True)
    try:
        yield seen
    finally:
        event.remove(Session, "before_flush", before_flush)


def logged_in_client(app: Flask, username: str = "alice") -> FlaskClient:
    client = app.test_client()
    with app.app_context():
        user = User.by_username(username)
        assert user is not None
        log_in_session(client, user)
        db.session.remove()
    return client


def reset_password_by_link(app: Flask, password: str, username: str = "alice") -> TestResponse:
    """Follow a fresh reset link of the account and choose ``password``."""
    with app.app_context():
        token = make_token(User.by_username(username))
        db.session.remove()
    data = {"password": password, "confirm": password}
    return app.test_client().post(f"/reset-password/{token}", data=data)
