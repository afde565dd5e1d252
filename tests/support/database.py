"""Reading what the database holds after a request, the way the next request would.

Each read goes through a fresh session of its own, not the test's ``db.session`` (which is
the session the test client's requests used): objects that session still holds, or changes
it flushed and never committed, would otherwise look saved. The test client ends every
request as production does (the uncommitted work rolled back, see ``conftest.py``), so a
view that forgets to commit fails the test that reads its rows here.

``statements_run`` lists the SQL a request runs (its cost in statements, what it reads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, event, func, select
from sqlalchemy.orm import Session

from app.extensions import db


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
