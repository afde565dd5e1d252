"""When the database cannot serve a request (its lock wait ran out, the disk is full, the
file is read-only, the server refuses connections) the visitor gets a 503 with Retry-After
and a plain message, as a page or, under /api, as JSON; nothing is half saved, and the app
recovers by itself once the database does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.accounts.users import create_user
from app.api.tokens import issue_token
from app.extensions import db
from app.models import Comment, Post
from tests.support.api import assert_json_error, bearer
from tests.support.database import row_count
from tests.support.html import parse, text_of

pytestmark = pytest.mark.postgresql

UNAVAILABLE = "The blog's database is busy or unavailable"


@pytest.fixture
def file_app(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on a SQLite file of its own that gives up waiting for a lock after 0.1 s,
    with one post by a poster who has an API token."""
    from flask_sqlalchemy.session import Session

    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=Session, db=db)))
    app = create_app(
        "test",
        overrides={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'blog.sqlite'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 0.1}},
            "PROPAGATE_EXCEPTIONS": False,
        },
    )
    with app.app_context():
        db.create_all()
        poster = create_user("poster", "a fine long passphrase", "poster")
        db.session.add(Post(title="Open", text="Text", user=poster))
        db.session.commit()
        app.config["TOKEN"] = issue_token(poster)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def comment_count(app: Flask) -> int:
    with app.app_context():
        return row_count(Comment)


def post_comment_form(app: Flask):
    return app.test_client().post("/blog/post/1", data={"name": "Ann", "text": "Hi"})


def post_comment_json(app: Flask):
    return app.test_client().post(
        "/api/post/1/comments",
        json={"name": "Ann", "text": "Hi"},
        headers=bearer(app.config["TOKEN"]),
    )


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["503 Service Unavailable"]
    assert UNAVAILABLE in page.get_text()
    assert "OperationalError" not in page.get_text()


def assert_unavailable_json(response) -> None:
    body = assert_json_error(response, 503)
    assert int(response.headers["Retry-After"]) > 0
    assert UNAVAILABLE in body["message"]


@pytest.fixture
def write_lock_held_elsewhere(file_app: Flask) -> Iterator[None]:
    path = file_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield
    other.rollback()
    other.close()


@pytest.mark.usefixtures("write_lock_held_elsewhere")
def test_a_comment_while_another_writer_holds_the_lock_too_long_is_a_503_page(file_app):
    assert_unavailable_page(post_comment_form(file_app))


@pytest.mark.usefixtures("write_lock_held_elsewhere")
def test_an_api_comment_while_the_lock_is_held_too_long_is_a_json_503(file_app):
    assert_unavailable_json(post_comment_json(file_app))


def test_after_the_lock_is_released_the_same_comment_is_saved_once(file_app):
    path = file_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    assert post_comment_form(file_app).status_code == 503
    other.rollback()
    other.close()
    assert comment_count(file_app) == 0
    assert post_comment_form(file_app).status_code == 302
    assert comment_count(file_app) == 1


@pytest.fixture
def read_only_database(file_app: Flask) -> dict[str, bool]:
    """While ``state["read_only"]``, new connections cannot write (as when the file's
    permissions or the mount turned read-only); the connections keep that for their life."""
    state = {"read_only": False}
    with file_app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def open_read_only(dbapi_connection, _record) -> None:
        if state["read_only"]:
            dbapi_connection.execute("PRAGMA query_only=ON")

    engine.dispose()
    return state


def test_a_read_only_database_answers_503_and_writes_work_again_once_it_is_writable(
    file_app, read_only_database
):
    read_only_database["read_only"] = True
    assert file_app.test_client().get("/blog/post/1").status_code == 200
    assert_unavailable_page(post_comment_form(file_app))
    assert_unavailable_json(post_comment_json(file_app))
    read_only_database["read_only"] = False
    assert post_comment_form(file_app).status_code == 302
    assert post_comment_json(file_app).status_code == 201
    assert comment_count(file_app) == 2


def test_a_full_disk_answers_503_and_saves_nothing(file_app):
    with file_app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def no_room_to_grow(dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()
    response = file_app.test_client().post(
        "/blog/post/1", data={"name": "Ann", "text": "x" * 5_000}
    )
    assert_unavailable_page(response)
    event.remove(engine, "connect", no_room_to_grow)
    engine.dispose()
    assert comment_count(file_app) == 0


@pytest.fixture(scope="module")
def app_on_port_1() -> Flask:
    """An app on PostgreSQL that refuses connections (nothing listens on port 1)."""
    return create_app(
        "test",
        overrides={
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://blog@127.0.0.1:1/blog",
            "PROPAGATE_EXCEPTIONS": False,
        },
    )


@pytest.fixture
def app_without_a_database_server(app_on_port_1: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """That app, with sessions on its own engine."""
    from flask_sqlalchemy.session import Session

    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=Session, db=db)))
    return app_on_port_1


@pytest.mark.parametrize("path", ["/blog/", "/blog/post/1", "/login"])
def test_pages_are_503_when_the_database_server_refuses_connections(
    app_without_a_database_server, path
):
    client = app_without_a_database_server.test_client()
    login = {"username": "ann", "password": "a guess"}
    assert_unavailable_page(client.post(path, data=login) if path == "/login" else client.get(path))


def test_the_api_is_json_503_when_the_database_server_refuses_connections(
    app_without_a_database_server,
):
    assert_unavailable_json(app_without_a_database_server.test_client().get("/api/post"))


def test_connections_are_checked_before_use_so_a_restarted_server_is_no_error(app_on_port_1):
    assert app_on_port_1.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
