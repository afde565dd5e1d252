"""Alembic environment: migrates the database of the current Flask app."""

from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.migration_safety import sqlite_foreign_keys_off

config = context.config
assert config.config_file_name is not None  # Flask-Migrate always runs it from alembic.ini
fileConfig(config.config_file_name, disable_existing_loggers=False)

migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata
engine = migrate_ext.db.engine


def run_migrations_offline() -> None:
    """Print the SQL (``flask db upgrade --sql``) instead of touching a database."""
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        **migrate_ext.configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with engine.connect() as connection, sqlite_foreign_keys_off(connection):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **migrate_ext.configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
