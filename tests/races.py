"""Requests that truly run side by side: an app on a database of its own, one thread each."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models import ensure_roles


@contextlib.contextmanager
def separate_database() -> Iterator[dict[str, Any]]:
    """App settings for a database of the race's own, dropped afterwards.

    On SQLite a file in a temporary folder; with ``TEST_DATABASE_URL`` (PostgreSQL) a schema
    of its own in that database, so the race runs on the database the suite tests.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/race.sqlite"}
        return
    url = normalise_database_url(url)
    schema = f"race_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def race_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on its own database with a real session per thread (not the test's
    rolled-back connection), so that concurrent requests each have their own transaction."""
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=FlaskSession, db=db)))
    with separate_database() as settings:
        app = create_app("test", overrides=settings)
        with app.app_context():
            db.create_all()
            ensure_roles()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread at once; their results, in order."""
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def meeting_point(parties: int = 2, patience: float = 1.0) -> Callable[[], None]:
    """A wait for the other threads that gives up after ``patience`` seconds.

    Where the code serialises the threads (a lock held by the first), the others cannot
    arrive: the first then goes on alone instead of deadlocking the test.
    """
    barrier = threading.Barrier(parties)

    def wait() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=patience)

    return wait
