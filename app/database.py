"""How requests use the database: SQLite's settings, the write lock, and broken connections.

The rule for writes: a request that may write (POST, PUT, PATCH, DELETE) takes its locks
before it reads. On SQLite its transaction starts with ``BEGIN IMMEDIATE``: a transaction
that has read cannot write once another writer has committed ("database is locked", at
once, whatever the busy timeout says), while one that holds the write lock from the start
makes the others wait their turn. On PostgreSQL the rows a write request reads for change
are locked (``FOR UPDATE``), so two changes of one post run one after the other instead of
interleaving (which broke a concurrent change of its tags).

Views that do slow work first (hashing a password) are marked :func:`reads_before_locking`:
they read without the lock, do the slow work, then call :func:`begin_write_transaction`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext

from app.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# SQLite errors after which a pooled connection must not be used again: a connection opened
# while the file was read-only stays read-only after the file is writable again.
BROKEN_SQLITE_CONNECTION = ("readonly database", "disk i/o error", "unable to open database")

P = ParamSpec("P")
R = TypeVar("R")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
    # The busy timeout is pysqlite's `timeout` argument (5 s unless connect_args say else).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        immediate = conn.get_execution_options().get("sqlite_immediate") or writes_first()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@event.listens_for(Engine, "handle_error")
def _drop_broken_sqlite_connections(context: ExceptionContext) -> None:
    if isinstance(context.original_exception, sqlite3.OperationalError):
        message = str(context.original_exception).lower()
        if any(sign in message for sign in BROKEN_SQLITE_CONNECTION):
            context.is_disconnect = True


def is_write_request() -> bool:
    return has_request_context() and request.method in WRITE_METHODS


def writes_first() -> bool:
    """Whether this request's transactions take the write lock before their first read."""
    return is_write_request() and not g.get("reads_before_locking", False)


def lock_rows() -> bool:
    """``with_for_update`` for a lookup: rows a write request reads are locked till it ends."""
    return is_write_request()


def reads_before_locking(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view that reads and does slow work before it writes, without the write lock;
    it calls :func:`begin_write_transaction` before it writes."""

    @wraps(view)
    def marked(*args: P.args, **kwargs: P.kwargs) -> R:
        g.reads_before_locking = True
        return view(*args, **kwargs)

    return marked


def begin_write_transaction_if_deferred() -> None:
    """In a view marked :func:`reads_before_locking`, its slow work done: take the write lock
    now. Elsewhere (a request that locked first, the command line) the transaction goes on."""
    if is_write_request() and g.get("reads_before_locking", False):
        begin_write_transaction()


def begin_write_transaction() -> None:
    """End the session's transaction and start one that holds the write lock.

    Objects read before are expired, so they are read again under the lock.
    """
    db.session.rollback()
    db.session.connection(execution_options={"sqlite_immediate": True})
