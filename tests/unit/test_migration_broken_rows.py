"""A SQLite migration that leaves rows pointing nowhere stops with a message naming the first
ten of them: enough to find the cause, short enough to read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine

from app.extensions import db
from app.migration_safety import BrokenForeignKeys, sqlite_foreign_keys_off
from tests.unit.test_migrations import NOW, insert

# As in test_migrations.py: SQLite cannot reflect the index on lower(username).
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


def a_migration_leaving_orphans(conn, orphans: int) -> None:
    with sqlite_foreign_keys_off(conn), conn.begin():
        for number in range(1, orphans + 1):
            insert(conn, "comment", id=number, name="Eve", text="x", date=NOW, post_id=42)


def test_the_message_names_the_first_ten_broken_rows(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/fk.db")
    db.metadata.create_all(engine)
    with engine.connect() as conn, pytest.raises(BrokenForeignKeys) as stopped:
        a_migration_leaving_orphans(conn, 11)
    engine.dispose()
    named = re.findall(r"\('comment', (\d+), 'post', \d+\)", str(stopped.value))
    assert named == [str(number) for number in range(1, 11)]
