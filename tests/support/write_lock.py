"""SQLite's write lock as another connection sees it, for the tests of who holds it when, on
a ``race_app`` (a SQLite file of its own), logged in as one of its accounts."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.accounts.password_reset import make_token
from app.extensions import db
from app.models import User
from tests.support.sessions import log_in_session


def sqlite_file_of(app: Flask) -> str:
    """The path of the app's SQLite file; the test skips on any other database."""
    path = str(app.config["SQLALCHEMY_DATABASE_URI"]).removeprefix("sqlite:///")
    if path.startswith(("postgresql", "sqlite://")):
        pytest.skip("SQLite's write lock: only on a SQLite file")
    return path


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
