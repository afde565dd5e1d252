"""Shared fixtures: one app and schema per session, one rolled-back transaction per test.

Every test runs inside an outer transaction on a single connection; the session (and every
request the test client makes) uses savepoints inside it, so commits work as usual and
nothing survives the test. ``--database postgresql`` runs the suite on a throwaway
PostgreSQL server, ``TEST_DATABASE_URL`` on a server of your own (``test_database_url``, in
tests/support/postgres_server.py).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.globals import _cv_app, app_ctx
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Connection
from sqlalchemy.orm import scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

from app import create_app
from app.extensions import cache, db
from app.models import Comment, Post, User
from tests.support.database import sessions_on_the_engine
from tests.support.races import app_of_its_own
from tests.support.tasks import tasks_finished

# Hypothesis runs the hypothesis entry points of every installed package when imported: trio's
# (installed for selenium) took 0.5 s of CPU of every start-up; no test here uses trio.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.support.smtp_server import Mailbox

# The Selenium harness's options and hooks, known whichever tests are collected, the SMTP
# server's fixtures, available to every test (the unit and the UI apps send mail to it), and
# the database the tests run on (--database, TEST_DATABASE_URL).
pytest_plugins = ("tests.ui.plugin", "tests.support.smtp_server", "tests.support.postgres_server")

# The local default stays quick for the test-first loop (no hypothesis test over 2 s); CI's
# profile (nox -s tests) tries ten times as many examples.
settings.register_profile(
    "default",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    max_examples=200,
    derandomize=True,
    print_blob=True,
)
# nox -s tests-postgres: CI's examples were tried on SQLite already; the same first 20 meet
# PostgreSQL's own refusals (NUL, 32-bit integers) at a tenth of the time.
settings.register_profile("ci-postgresql", parent=settings.get_profile("ci"), max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request gets its own ``flask.g`` and ends as in production.

    pytest-flask keeps an app context pushed during each test and Flask reuses it for the
    client's requests, so its teardown never runs between them: without this, ``g`` (and
    Flask-Login's cached user in it) would leak from one request to the next, and what a
    request left uncommitted in ``db.session`` would stay there and look saved. In
    production the teardown rolls it back; so does this client, after every request, once
    the tasks the request started have finished.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if not app_ctx:
            return super().open(*args, **kwargs)
        ctx = _cv_app.get()
        saved = ctx.g
        ctx.g = self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = saved
            # The session itself, not the scoped proxy that tests may spy on.
            db.session().rollback()

    def run_wsgi_app(self, environ: Any, buffered: bool = False) -> Any:
        try:
            return super().run_wsgi_app(environ, buffered=buffered)
        finally:
            # The tasks one request started once answered (mails, on threads with no broker)
            # share this test's connection: they end before the next request (a redirect
            # followed) or the rollback, and the test sees what they did.
            tasks_finished()


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the test's connection instead of the engine."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


class CommandEndingCliRunner(FlaskCliRunner):
    """A CLI runner whose every command ends as the ``flask`` program's does.

    The test's app context stays pushed, so Flask runs a command in it instead of in an app
    context of its own, whose teardown would roll back what the command left uncommitted:
    this runner rolls it back, so a command that forgets to commit fails the test that reads
    its rows (as FreshGlobalsClient does for requests).
    """

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().invoke(*args, **kwargs)
        finally:
            if app_ctx:
                db.session().rollback()


# Python's default is (700, 10, 10): with SQLAlchemy's and Jinja's many short-lived objects
# the youngest generation was collected every few statements.
UNIT_TEST_GC_THRESHOLD = (10_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What start-up made (the imported app and libraries, the collected tests) lives until
    the run ends: the garbage collector's passes leave it out from here on (6-8% less CPU
    for the unit suite, measured side by side)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*UNIT_TEST_GC_THRESHOLD)


def database_overrides(url: str | None) -> dict[str, Any]:
    if url:
        return {"SQLALCHEMY_DATABASE_URI": url}
    # One in-memory database shared by every connection of this process (xdist: per worker).
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "poolclass": StaticPool,
            "connect_args": {"check_same_thread": False},
        },
    }


@pytest.fixture(scope="session")
def app(smtp_server: Mailbox, test_database_url: str | None) -> Iterator[Flask]:
    """The app under TestConfig, with the schema created once for the whole session; its
    mail goes to the session's SMTP server (``mailbox`` shows what arrived)."""
    # Imported here: a plugin module imported by this conftest could not be rewritten.
    from tests.support.smtp_server import mail_settings

    overrides = {**database_overrides(test_database_url), **mail_settings(smtp_server)}
    app = create_app("test", overrides=overrides)
    app.test_client_class = FreshGlobalsClient
    app.test_cli_runner_class = CommandEndingCliRunner
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def db_connection(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Connection]:
    """The connection whose outer transaction is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        session = scoped_session(
            sessionmaker(
                class_=ConnectionBoundSession,
                db=db,
                bind=connection,
                join_transaction_mode="create_savepoint",
                query_cls=db.Query,
            )
        )
        # Through monkeypatch, as the tests that give db a session of their own do: the
        # swaps are undone last first, so db.session ends as the test found it.
        monkeypatch.setattr(db, "session", session)
        try:
            yield connection
        finally:
            session.remove()
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


@pytest.fixture
def log_in_as(client: FlaskClient) -> Callable[..., User]:
    """``log_in_as("poster")``: a new user with that role (``default``, ``poster``,
    ``admin``; factory fields as keywords), or ``log_in_as(user)``, logged in to ``client``
    straight through the session (tests of the login itself use the form). Returns the user."""
    # The factories (factory_boy, faker) are imported by the tests that use them, not by the
    # start-up of every run.
    from tests.factories import AdminFactory, PosterFactory, UserFactory
    from tests.support.sessions import log_in_session

    factories = {"default": UserFactory, "poster": PosterFactory, "admin": AdminFactory}

    def log_in(who: str | User, **fields: Any) -> User:
        user = factories[who](**fields) if isinstance(who, str) else who
        log_in_session(client, user)
        return user

    return log_in


@pytest.fixture
def api_headers() -> Callable[..., dict[str, str]]:
    """``api_headers("author", post)``: the headers an API client in that state sends
    (``none``, ``bad``, ``expired``, ``default``, ``poster``, ``admin``, or ``author`` of the
    post, of the comment's post, or the user given)."""
    from tests.support.api import headers_for  # imports the factories: see log_in_as

    def headers(state: str, owner: User | Post | Comment | None = None) -> dict[str, str]:
        if isinstance(owner, Comment):
            owner = owner.post
        if isinstance(owner, Post):
            owner = owner.user
        return headers_for(state, owner)

    return headers


@pytest.fixture
def race_app(monkeypatch: pytest.MonkeyPatch, test_database_url: str | None) -> Iterator[Flask]:
    """An app on its own database with a real session per thread (not the test's
    rolled-back connection), so that concurrent requests each have their own transaction."""
    sessions_on_the_engine(monkeypatch)
    with app_of_its_own(test_database_url) as app:
        yield app
