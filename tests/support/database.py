"""Reading what the database holds after a request, the way the next request would.

Each read goes through a fresh session of its own, not the test's ``db.session`` (which is
the session the test client's requests used): objects that session still holds, or changes
it flushed and never committed, would otherwise look saved. The test client ends every
request as production does (the uncommitted work rolled back, see ``conftest.py``), so a
view that forgets to commit fails the test that reads its rows here.

``statements_run`` lists the SQL a request runs (its cost in statements, what it reads);
``rows_for_the_module`` makes the rows that every test of a module starts from, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import ColumnElement, event, func, select, text
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from app.extensions import db

if TYPE_CHECKING:
    import pytest


@contextmanager
def fresh_session() -> Iterator[Session]:
    """A session of its own on the database the app uses now (in the unit tests, the
    test's connection, whose outer transaction is rolled back afterwards)."""
    session = Session(bind=db.session.get_bind())
    try:
        yield session
    finally:
        session.close()


def row_count(model: Any, *where: ColumnElement[bool]) -> int:
    """How many rows of ``model`` (a model or a table) match ``where``."""
    with fresh_session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def database_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as the database has them now."""
    with fresh_session() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def sessions_on_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Till the test ends, ``db`` gives each thread a session on the app's own engine, not
    the test's rolled-back connection (races, workers, apps on a database of their own).
    Through ``monkeypatch``, as conftest's ``db_connection`` swaps in the test's session, so
    the swaps are undone last first."""
    monkeypatch.setattr(db, "session", scoped_session(sessionmaker(class_=FlaskSession, db=db)))


T = TypeVar("T")


def rows_for_the_module(app: Flask, make: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture (``yield from``): the rows ``make()`` makes (with the
    factories), committed once for every test of the module instead of made by each, and
    what it returns (ids: the objects themselves outlive their session). Each test still
    runs in its own transaction on top of them, rolled back afterwards, so a test may add
    to them or change them, and the next one finds them as made; a test of the module that
    does not ask for them finds them all the same. Afterwards every table is emptied (on
    SQLite the ids count from 1 again), as the other modules expect.
    """
    with app.app_context():
        made = make()
        db.session.commit()
    try:
        yield made
    finally:
        with app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            if db.engine.dialect.name == "sqlite":
                db.session.execute(text("DELETE FROM sqlite_sequence"))
            db.session.commit()


# Transaction bookkeeping the test fixtures add (savepoints) is not a request's cost.
BOOKKEEPING = ("SAVEPOINT", "RELEASE", "ROLLBACK")


@contextmanager
def statements_run() -> Iterator[list[str]]:
    """The SQL statements this thread runs inside the block (not the tasks a request starts
    on threads of their own), as a list filled as they run."""
    run: list[str] = []
    thread = threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.get_ident() != thread:
            return
        if not statement.lstrip().upper().startswith(BOOKKEEPING):
            run.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield run
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
