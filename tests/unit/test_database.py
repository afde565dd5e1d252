"""The database layer: SQLite pragmas, and the isolation every test relies on."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.postgresql


def test_sqlite_connections_enforce_foreign_keys_wal_and_busy_timeout(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'blog.sqlite'}")
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA busy_timeout")) == 5000
    engine.dispose()


def test_sqlite_savepoints_roll_back_only_their_part(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'sp.sqlite'}")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.commit()
        with conn.begin():
            conn.execute(text("INSERT INTO t VALUES (1)"))
            savepoint = conn.begin_nested()
            conn.execute(text("INSERT INTO t VALUES (2)"))
            savepoint.rollback()
        assert conn.scalars(text("SELECT x FROM t")).all() == [1]
    engine.dispose()


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_with_an_empty_database(attempt):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    UserFactory(username="only-here")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_isolated_example_undoes_committed_writes(isolated_example):
    with isolated_example():
        UserFactory()
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_request_sees_the_tests_data_and_its_writes_are_undone_too(client):
    user = UserFactory()
    assert client.get("/blog/").status_code == 200
    assert db.session.get(User, user.id) is user


def test_other_databases_get_no_sqlite_pragmas_or_begin():
    from unittest.mock import Mock

    from app.database import _begin_sqlite, _configure_sqlite

    dbapi_connection = Mock()
    _configure_sqlite(dbapi_connection, None)
    dbapi_connection.cursor.assert_not_called()
    connection = Mock(**{"dialect.name": "postgresql"})
    _begin_sqlite(connection)
    connection.exec_driver_sql.assert_not_called()


def test_utc_datetime_passes_none_through():
    from app.models import UTCDateTime

    assert UTCDateTime().process_bind_param(None, None) is None
    assert UTCDateTime().process_result_value(None, None) is None
