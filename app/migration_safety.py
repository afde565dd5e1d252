"""What the Alembic environment (app/migrations/env.py) needs to alter SQLite tables safely."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection


class BrokenForeignKeys(RuntimeError):
    """A migration left rows that reference rows that do not exist."""


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite alters a table in batch mode by copying it, dropping it and renaming the copy;
    with foreign keys on, the DROP deletes every row that references the table (ON DELETE
    CASCADE). The pragma is ignored inside a transaction, so it goes to the driver before
    one begins; a foreign_key_check afterwards makes sure the copies still fit together.
    Other databases alter tables in place and need nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None  # only a closed connection has none
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise BrokenForeignKeys(
                f"The migration left rows whose foreign keys point nowhere: {broken[:10]}"
            )
    finally:
        driver.execute("PRAGMA foreign_keys=ON")
