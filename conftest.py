"""Shared fixtures: one app and schema per session, one rolled-back transaction per test.

Every test runs inside an outer transaction on a single connection; the session (and every
request the test client makes) uses savepoints inside it, so commits work as usual and
nothing survives the test. ``TEST_DATABASE_URL`` runs the suite on another database, such
as PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.globals import app_ctx
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import HealthCheck, settings
from sqlalchemy import Connection
from sqlalchemy.orm import scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

from app import create_app
from app.config import normalise_database_url
from app.extensions import cache, db

if TYPE_CHECKING:
    from tests.smtp_server import Mailbox

# The Selenium harness's options and hooks, known whichever tests are collected, and
# fixtures of their own modules (the SMTP server's too), available to every test. (One
# assignment: a second one would silently drop the first.)
pytest_plugins = ("tests.ui.plugin", "tests.races", "tests.smtp_server")

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    max_examples=200,
    derandomize=True,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request gets its own ``flask.g``.

    pytest-flask keeps an app context pushed during each test and Flask reuses it for the
    client's requests; without this, ``g`` (and Flask-Login's cached user in it) would leak
    from one request to the next, which never happens in production.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if not app_ctx:
            return super().open(*args, **kwargs)
        ctx = app_ctx._get_current_object()
        saved = ctx.g
        ctx.g = self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = saved


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the test's connection instead of the engine."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


def database_overrides() -> dict[str, Any]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return {"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)}
    # One in-memory database shared by every connection of this process (xdist: per worker).
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "poolclass": StaticPool,
            "connect_args": {"check_same_thread": False},
        },
    }


@pytest.fixture(scope="session")
def app(smtp_server: Mailbox) -> Iterator[Flask]:
    """The app under TestConfig, with the schema created once for the whole session; its
    mail goes to the session's SMTP server (``mailbox`` shows what arrived)."""
    # Imported here: a plugin module imported by this conftest could not be rewritten.
    from tests.smtp_server import mail_settings

    app = create_app("test", overrides={**database_overrides(), **mail_settings(smtp_server)})
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def db_connection(app: Flask) -> Iterator[Connection]:
    """The connection whose outer transaction is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original_session = db.session
        db.session = scoped_session(
            sessionmaker(
                class_=ConnectionBoundSession,
                db=db,
                bind=connection,
                join_transaction_mode="create_savepoint",
                query_cls=db.Query,
            )
        )
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _isolated_database(db_connection: Connection) -> None:
    """Every test gets an empty database and leaves nothing behind."""


@pytest.fixture(autouse=True)
def _cold_page_cache(app: Flask) -> None:
    """Each test starts with an empty page cache: the rows behind another test's cached
    parts were rolled back, which no commit announced."""
    with app.app_context():
        cache.clear()


def forget_rate_limits(app: Flask) -> None:
    """Forget failed logins and rate-limited requests (they share one storage)."""
    app.extensions["login_throttle"].reset()


@pytest.fixture(autouse=True)
def _fresh_login_throttle(app: Flask) -> None:
    """Failed logins and rate-limited requests of one test never throttle the next one."""
    forget_rate_limits(app)


@pytest.fixture
def csrf_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSRF protection as in production (TestConfig turns it off for brevity)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def isolated_example(
    app: Flask, db_connection: Connection
) -> Callable[[], AbstractContextManager[None]]:
    """``with isolated_example():`` undoes a block's writes, rate-limit counts and the page
    cache included: one hypothesis example each."""

    @contextmanager
    def rolled_back() -> Iterator[None]:
        forget_rate_limits(app)
        cache.clear()
        db.session.close()
        savepoint = db_connection.begin_nested()
        try:
            yield
        finally:
            db.session.close()
            savepoint.rollback()

    return rolled_back
