"""Reading what the database holds after a request, the way the next request would.

Each read goes through a fresh session of its own, not the test's ``db.session`` (which is
the session the test client's requests used): objects that session still holds, or changes
it flushed and never committed, would otherwise look saved. The test client ends every
request as production does (the uncommitted work rolled back, see ``conftest.py``), so a
view that forgets to commit fails the test that reads its rows here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, func, select
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
