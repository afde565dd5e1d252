"""``flask backup FILE``: a consistent copy of the SQLite database while the site runs, and
the README's restore steps."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, insert, make_url, select

from app import create_app
from app.backup import not_sqlite_message
from app.extensions import db
from app.models import Comment, Post, User
from app.seed import seed_demo
from tests.support.database import sessions_on_the_engine


def on_database(url: str) -> Flask:
    return create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": url})


@pytest.fixture
def real_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions on each app's own engine, not on the test's rolled-back connection."""
    sessions_on_the_engine(monkeypatch)


@pytest.fixture
def site(tmp_path: Path, real_sessions: None) -> Iterator[Flask]:
    """The app on a SQLite file (WAL mode, as in production) with 5 demo posts."""
    site = on_database(f"sqlite:///{tmp_path / 'blog.sqlite'}")
    with site.app_context():
        db.create_all()
        seed_demo(posts=5)
        db.session.remove()
    yield site
    with site.app_context():
        db.engine.dispose()


def database_of(app: Flask) -> Path:
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    assert database, "a SQLite file"
    return Path(database)


def backup(app: Flask, *args: str | Path) -> Result:
    # The session's test app has its context pushed: the command would run on it otherwise.
    with app.app_context():
        return app.test_cli_runner().invoke(args=["backup", *map(str, args)])


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        verdict: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict


def rows(app: Flask) -> dict[str, Any]:
    """What the app reads from its database."""
    with app.app_context():
        try:
            return {
                "posts": sorted(db.session.scalars(select(Post.title))),
                "users": sorted(db.session.scalars(select(User.username))),
                "comments": db.session.scalar(select(func.count()).select_from(Comment)),
            }
        finally:
            db.session.remove()
            db.engine.dispose()


def test_backup_writes_a_complete_database_the_app_can_open(site, tmp_path):
    target = tmp_path / "copy.sqlite"
    result = backup(site, target)

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up {database_of(site)} to {target}: ")
    assert f"{target.stat().st_size:,} bytes" in result.output
    assert "5 posts" in result.output
    assert "3 users" in result.output
    assert integrity(target) == "ok"
    # It holds every password hash: only its owner may read it.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir() if "copy" in path.name] == ["copy.sqlite"]
    copy = rows(on_database(f"sqlite:///{target}"))
    assert copy == rows(site)
    assert copy["posts"] == ["Post 1", "Post 2", "Post 3", "Post 4", "Post 5"]
    assert copy["users"] == ["admin", "poster", "reader"]


def test_backup_while_the_site_writes_holds_every_write_before_some_point_and_none_after(
    site, tmp_path
):
    """A writer commits numbered comments one by one during the backup: the copy is sound
    and holds exactly the first k of them, and the writer is never held up."""
    with site.app_context():
        engine = db.engine
        post_id = db.session.scalar(select(Post.id).limit(1))
        # A few megabytes, so that the copy takes a while and the writes land during it.
        db.session.execute(
            insert(Comment),
            [{"name": "filler", "text": "x" * 2000, "post_id": post_id} for _ in range(2000)],
        )
        db.session.commit()
        db.session.remove()
    committed: list[int] = []
    errors: list[BaseException] = []
    started, stop = threading.Event(), threading.Event()

    def write_comments() -> None:
        try:
            for number in range(1, 5001):
                with engine.begin() as conn:
                    conn.execute(
                        insert(Comment).values(
                            name="writer", text=str(number), post_id=post_id, date=datetime.now(UTC)
                        )
                    )
                committed.append(number)
                if number == 5:
                    started.set()
                if stop.is_set() and len(committed) >= after + 5:
                    return
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            started.set()

    after = 10**9
    writer = threading.Thread(target=write_comments)
    writer.start()
    try:
        assert started.wait(timeout=10)
        target = tmp_path / "copy.sqlite"
        result = backup(site, target)
        after = len(committed)
        stop.set()
    finally:
        stop.set()
        writer.join(timeout=30)

    assert errors == []
    assert result.exit_code == 0, result.output
    assert integrity(target) == "ok"
    with closing(sqlite3.connect(target)) as conn:
        copied = sorted(
            int(text) for (text,) in conn.execute("SELECT text FROM comment WHERE name = 'writer'")
        )
        fillers = conn.execute("SELECT count(*) FROM comment WHERE name = 'filler'").fetchone()
    assert fillers == (2000,)
    assert len(copied) >= 5
    assert copied == list(range(1, len(copied) + 1))
    assert len(copied) < len(committed)


def test_backup_refuses_an_existing_file_and_force_overwrites_it(site, tmp_path):
    target = tmp_path / "old.sqlite"
    target.write_text("last week's backup")

    refused = backup(site, target)
    assert refused.exit_code == 1
    assert refused.output == f"Error: {target} already exists; use --force to overwrite it.\n"
    assert target.read_text() == "last week's backup"

    forced = backup(site, target, "--force")
    assert forced.exit_code == 0, forced.output
    assert integrity(target) == "ok"
    assert rows(on_database(f"sqlite:///{target}"))["posts"][0] == "Post 1"


def test_backup_refuses_to_write_over_the_database_itself(site):
    database = database_of(site)
    result = backup(site, database, "--force")
    assert result.exit_code == 1
    assert result.output == f"Error: {database} is the database itself; choose another file.\n"
    assert len(rows(site)["posts"]) == 5


def test_backup_refuses_a_folder_that_does_not_exist(site, tmp_path):
    target = tmp_path / "no" / "such" / "copy.sqlite"
    result = backup(site, target)
    assert result.exit_code == 1
    assert result.output == f"Error: The folder {target.parent} does not exist.\n"
    assert not (tmp_path / "no").exists()


def test_backup_refuses_a_folder_as_file(site, tmp_path):
    result = backup(site, tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.output
    assert "Traceback" not in result.output


def test_backup_refuses_a_database_file_that_does_not_exist(tmp_path):
    missing = tmp_path / "never-created.sqlite"
    result = backup(on_database(f"sqlite:///{missing}"), tmp_path / "copy.sqlite")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The database file {missing} does not exist; nothing to back up.\n"
    )
    assert sorted(tmp_path.iterdir()) == []


def test_backup_refuses_an_in_memory_database(tmp_path):
    result = backup(on_database("sqlite://"), tmp_path / "copy.sqlite")
    assert result.exit_code == 1
    assert result.output == "Error: The database is in memory (sqlite://); nothing to back up.\n"
    assert sorted(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_fails_the_backup_and_leaves_nothing(tmp_path):
    database = tmp_path / "blog.sqlite"
    database.write_text("not a database, just text " * 100)
    target = tmp_path / "copies" / "copy.sqlite"
    target.parent.mkdir()

    result = backup(on_database(f"sqlite:///{database}"), target)

    assert result.exit_code == 1
    assert result.output == "Error: The backup failed: file is not a database\n"
    assert sorted(target.parent.iterdir()) == []


def test_the_summary_counts_only_the_blog_tables_the_database_has(tmp_path):
    database = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("CREATE TABLE notes (x)")
    target = tmp_path / "copy.sqlite"
    result = backup(on_database(f"sqlite:///{database}"), target)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Backed up {database} to {target}: {target.stat().st_size:,} bytes.\n"
    )


def test_backup_of_postgresql_points_to_pg_dump_without_the_password(tmp_path):
    url = "postgresql+psycopg://blog:s3cret@db.example:5433/blog?sslmode=require"
    target = tmp_path / "blog.dump"
    result = backup(on_database(url), target)
    assert result.exit_code == 1
    assert result.output == (
        "Error: The database is PostgreSQL, not SQLite: back it up with pg_dump, e.g. "
        f"pg_dump -Fc -d 'postgresql://blog@db.example:5433/blog?sslmode=require' -f {target}\n"
    )
    assert not target.exists()


def test_other_databases_are_sent_to_their_own_tools():
    message = not_sqlite_message(make_url("mysql://blog:s3cret@localhost/blog"), Path("x"))
    assert message == "The database is mysql, not SQLite: back it up with its own tools."


def test_the_readme_restore_steps_bring_back_the_backup_despite_a_stale_wal(site, tmp_path):
    """Restore: stop the server, copy the backup over the database file, remove the -wal and
    -shm files next to it, start again. A -wal file left by a killed server would otherwise
    be replayed onto the restored file (here: deleting every comment again)."""
    saved = tmp_path / "saved.sqlite"
    assert backup(site, saved).exit_code == 0
    before = rows(site)
    database = database_of(site)
    wal, shm = (Path(f"{database}{suffix}") for suffix in ("-wal", "-shm"))
    # The site goes on after the backup, then is killed before it checkpoints its WAL.
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("DELETE FROM comment")
        conn.commit()
        shutil.copyfile(wal, tmp_path / "stale-wal")
        shutil.copyfile(shm, tmp_path / "stale-shm")
    shutil.copyfile(tmp_path / "stale-wal", wal)
    shutil.copyfile(tmp_path / "stale-shm", shm)
    assert before["comments"] > 0

    # The README's steps.
    shutil.copyfile(saved, database)
    wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)

    assert rows(on_database(f"sqlite:///{database}")) == before
    assert integrity(database) == "ok"


def test_a_backup_leaves_no_file_open(site, tmp_path):
    """The command runs in long-lived processes too (a shell, a test run): each backup must
    close what it opened, the partial file's descriptor included."""
    backup(site, tmp_path / "warm-up.sqlite")
    open_before = len(list(Path("/proc/self/fd").iterdir()))
    for number in range(3):
        assert backup(site, tmp_path / f"copy-{number}.sqlite").exit_code == 0
    assert len(list(Path("/proc/self/fd").iterdir())) == open_before
