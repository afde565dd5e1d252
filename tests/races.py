"""Requests that truly run side by side: an app on its own database file, one thread each."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from app.seed import ensure_roles


@pytest.fixture
def race_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on its own SQLite file with a real session per thread (not the test's
    rolled-back connection), so that concurrent requests each have their own transaction."""
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=FlaskSession, db=db)))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/race.sqlite"
        app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            ensure_roles()
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
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
