"""Requests that truly run side by side: an app on a database of its own (``app_of_its_own``,
the ``race_app`` fixture in conftest.py), one thread each."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from app.models import ensure_roles
from tests.support.tasks import tasks_finished


@contextlib.contextmanager
def separate_database(url: str | None, lock_timeout: str | None = None) -> Iterator[dict[str, Any]]:
    """App settings for a database of the race's own, dropped afterwards.

    On SQLite (``url`` None) a file in a temporary folder; on PostgreSQL (the suite's
    ``test_database_url``) a schema of its own in that database, so the race runs on the database
    the suite tests; ``lock_timeout`` ("300ms") bounds each of its connections' lock waits
    there, so that a test of who waits for whom ends either way.
    """
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/race.sqlite"}
        return
    schema = f"race_{uuid.uuid4().hex[:12]}"
    options = f"-csearch_path={schema}"
    if lock_timeout:
        options += f" -clock_timeout={lock_timeout}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": options}},
        }
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


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


class MeetingPoint:
    """Threads that wait for one another (``meet()`` for ``meet = MeetingPoint()``), each at
    most ``patience`` seconds.

    Where the code serialises the threads (a lock held by the first), the others cannot
    arrive: the first then goes on alone after ``patience`` instead of deadlocking the test,
    unless the others say they are there without waiting (``arrive()``), e.g. as they ask for
    the lock it holds, and it goes on at once.
    """

    def __init__(self, parties: int = 2, patience: float = 1.0) -> None:
        self.parties = parties
        self.patience = patience
        self._arrived: set[int] = set()
        self._change = threading.Condition()

    def arrive(self) -> None:
        with self._change:
            self._arrived.add(threading.get_ident())
            self._change.notify_all()

    def __call__(self) -> None:
        self.arrive()
        with self._change:
            self._change.wait_for(lambda: len(self._arrived) >= self.parties, self.patience)


@contextlib.contextmanager
def app_of_its_own(
    url: str | None, lock_timeout: str | None = None, **overrides: Any
) -> Iterator[Flask]:
    """An app under TestConfig with ``overrides`` on a :func:`separate_database` holding the
    schema and the roles, its connections closed afterwards. The caller gives ``db`` a session
    per thread first (``sessions_on_the_engine`` in tests/support/database.py)."""
    with separate_database(url, lock_timeout) as database:
        app = create_app("test", overrides={**database, **overrides})
        with app.app_context():
            db.create_all()
            ensure_roles()
            db.session.commit()
            db.session.remove()
        yield app
        # The tasks its requests started (comment mails) use its database too.
        tasks_finished()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
