"""The Alembic migrations produce exactly the models' schema, and can be undone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db


# SQLite cannot reflect expression indexes; the case-insensitive one is checked by its SQL.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_upgrade_on_empty_database_yields_the_models_schema_and_downgrade_removes_it(tmp_path):
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            index_sql = conn.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'uq_user_username_lower'")
            )
        assert diff == []
        assert index_sql == "CREATE UNIQUE INDEX uq_user_username_lower ON user (lower(username))"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_upgrade_can_print_the_sql_instead(tmp_path, capsys):
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(sql=True)
        db.engine.dispose()
    assert "CREATE TABLE post" in capsys.readouterr().out
    assert not (tmp_path / "m.db").exists() or (tmp_path / "m.db").stat().st_size == 0
