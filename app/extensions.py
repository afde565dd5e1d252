"""The extension objects, made once here and bound to an app in ``create_app``."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        mode = "IMMEDIATE" if conn.get_execution_options().get("sqlite_immediate") else ""
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def begin_write_transaction() -> None:
    """End the session's transaction and start one that may write whatever others do.

    SQLite refuses (\"database is locked\") a write from a transaction that read before
    another writer committed; ``BEGIN IMMEDIATE`` takes the write lock first and waits its
    turn instead. PostgreSQL needs nothing: its unique indexes settle races on their own.
    """
    db.session.rollback()
    db.session.connection(execution_options={"sqlite_immediate": True})
