"""What a refused request must leave alone: every row of every table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db


def database_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as the database has them now."""
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }
