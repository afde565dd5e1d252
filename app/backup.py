"""``flask backup FILE``: a consistent copy of the SQLite database, taken while the site runs.

The copy goes through SQLite's online backup API in one step, that is inside one read
transaction: in WAL mode it sees one snapshot of the database, and the site's writers go on
meanwhile. Restoring is a plain file copy with the server stopped (see the README).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import click
from sqlalchemy.engine import URL

from app.extensions import db

# The tables the summary counts, with the fixed statements that count them.
COUNTED_TABLES = {
    "post": ("posts", "SELECT count(*) FROM post"),
    "comment": ("comments", "SELECT count(*) FROM comment"),
    "user": ("users", "SELECT count(*) FROM user"),
}


def not_sqlite_message(url: URL, target: Path) -> str:
    """Why another database is not backed up here, and what backs it up instead."""
    if url.get_backend_name() != "postgresql":
        return (
            f"The database is {url.get_backend_name()}, not SQLite: back it up with its own tools."
        )
    # libpq takes the URL as it is, minus SQLAlchemy's driver name; the password stays out of
    # the terminal and shell history (pg_dump asks for it, or reads PGPASSWORD or ~/.pgpass).
    # (URL.set ignores password=None; the namedtuple's _replace drops it.)
    libpq_url = url._replace(drivername="postgresql", password=None).render_as_string()
    return (
        "The database is PostgreSQL, not SQLite: back it up with pg_dump, e.g. "
        f"pg_dump -Fc -d {shlex.quote(libpq_url)} -f {shlex.quote(str(target))}"
    )


def database_file(url: URL, target: Path) -> Path:
    """The SQLite file behind ``url``; a ClickException when there is none to back up."""
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(not_sqlite_message(url, target))
    if url.database in (None, "", ":memory:"):
        raise click.ClickException(
            f"The database is in memory ({url.render_as_string()}); nothing to back up."
        )
    source = Path(url.database)
    if not source.is_file():
        raise click.ClickException(
            f"The database file {source} does not exist; nothing to back up."
        )
    return source


def check_target(source: Path, target: Path, force: bool) -> None:
    if not target.parent.is_dir():
        raise click.ClickException(f"The folder {target.parent} does not exist.")
    if target.exists() and target.samefile(source):
        raise click.ClickException(f"{target} is the database itself; choose another file.")
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; use --force to overwrite it.")


def copy_database(source: Path, target: Path) -> list[str]:
    """Copy ``source`` to ``target`` whole or not at all; the row counts of the copy."""
    # Written beside the target and renamed over it: FILE never holds half a copy.
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        # mode=rw: a missing database is an error here, never a new empty file.
        with (
            closing(sqlite3.connect(f"{source.absolute().as_uri()}?mode=rw", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            tables = {name for (name,) in dst.execute("SELECT name FROM sqlite_master")}
            counts = [
                f"{dst.execute(query).fetchone()[0]} {label}"
                for table, (label, query) in COUNTED_TABLES.items()
                if table in tables
            ]
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise click.ClickException(f"The backup failed: {error}") from None
    finally:
        Path(partial).unlink(missing_ok=True)
    return counts


@click.command("backup")
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def backup_command(target: Path, force: bool) -> None:
    """Copy the SQLite database to FILE, safely while the site is running."""
    source = database_file(db.engine.url, target)
    check_target(source, target, force)
    counts = copy_database(source, target)
    summary = ", ".join([f"{target.stat().st_size:,} bytes", *counts])
    click.echo(f"Backed up {source} to {target}: {summary}.")
