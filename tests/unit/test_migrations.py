"""The Alembic migrations produce exactly the models' schema, can be undone, and never lose
a row on the way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    CheckConstraint,
    Connection,
    MetaData,
    Table,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.migration_safety import BrokenForeignKeys, sqlite_foreign_keys_off
from app.models import COMMENT_TEXT_MAX, POST_TEXT_MAX
from app.rendering import markdown_excerpt, render_markdown

NOW = datetime(2026, 1, 1, tzinfo=UTC)

# SQLite cannot reflect expression indexes (batch mode and the comparison read the tables);
# the case-insensitive one is checked by its SQL.
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


@pytest.fixture(scope="module")
def migrations_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app for the tests' migrations, on a SQLite file that each test starts without."""
    database = tmp_path_factory.mktemp("migrations") / "m.db"
    return create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})


def database_file(app: Flask) -> Path:
    return Path(str(app.config["SQLALCHEMY_DATABASE_URI"]).removeprefix("sqlite:///"))


@pytest.fixture
def migrated_app(migrations_app: Flask) -> Iterator[Flask]:
    """The app on an empty SQLite file, for the migrations to work on."""
    database = database_file(migrations_app)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    with migrations_app.app_context():
        yield migrations_app
        db.engine.dispose()


def model_checks() -> dict[str, set[tuple[str, str]]]:
    """Each table's CHECK constraints as the models declare them: (name, SQL)."""
    return {
        table.name: {
            (str(c.name), " ".join(str(c.sqltext).split()))
            for c in table.constraints
            if isinstance(c, CheckConstraint)
        }
        for table in db.metadata.sorted_tables
    }


def database_checks(conn: Connection) -> dict[str, set[tuple[str | None, str]]]:
    """Each table's CHECK constraints as the database has them (compare_metadata skips
    them)."""
    inspector = inspect(conn)
    return {
        table.name: {
            (check["name"], " ".join(check["sqltext"].split()))
            for check in inspector.get_check_constraints(table.name)
        }
        for table in stored_tables(conn)
    }


def version(conn: Connection) -> str:
    found: str = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    return found


def stored_tables(conn: Connection) -> list[Table]:
    """The models' tables that the database has at its current revision (a later revision
    may add more)."""
    present = set(inspect(conn).get_table_names())
    return [table for table in db.metadata.sorted_tables if table.name in present]


def stored_table(conn: Connection, name: str) -> Table:
    """The table as the database has it at its current revision (the models may have more);
    the tables its foreign keys point to are not read."""
    return Table(name, MetaData(), autoload_with=conn, resolve_fks=False)


def insert(conn: Connection, table: str, **values: Any) -> None:
    conn.execute(stored_table(conn, table).insert().values(**values))


def blog_rows(conn: Connection, comment_text: str = "Nice.", post_text: str = "Text.") -> None:
    """A user with a role, a tagged post and a comment, as revision 0001 stores them."""
    insert(conn, "role", id=1, name="poster", description="")
    insert(conn, "user", id=1, username="ann", password_hash="x", session_token="t", created_at=NOW)
    insert(conn, "roles_users", user_id=1, role_id=1)
    insert(conn, "post", id=1, title="T", text=post_text, publish_date=NOW, user_id=1)
    insert(conn, "tag", id=1, title="flask")
    insert(conn, "post_tags", post_id=1, tag_id=1)
    insert(conn, "comment", id=1, name="Eve", text=comment_text, date=NOW, post_id=1)


def all_rows(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    tables = [stored_table(conn, table.name) for table in stored_tables(conn)]
    return {
        table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
        for table in tables
    }


def indexes(conn: Connection) -> dict[str, set[tuple[str | None, tuple[str, ...]]]]:
    inspector = inspect(conn)
    return {
        table.name: {
            (index["name"], tuple(map(str, index["column_names"])))
            for index in inspector.get_indexes(table.name)
        }
        for table in stored_tables(conn)
    }


def test_upgrade_on_empty_database_yields_the_models_schema_and_downgrade_removes_it(
    migrated_app,
):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        checks = database_checks(conn)
        index_sql = conn.scalar(
            text("SELECT sql FROM sqlite_master WHERE name = 'uq_user_username_lower'")
        )
    assert diff == []
    assert checks == model_checks()
    assert index_sql == "CREATE UNIQUE INDEX uq_user_username_lower ON user (lower(username))"

    downgrade(revision="base")
    with db.engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["alembic_version"]


def test_0002_adds_the_text_length_checks_and_its_downgrade_removes_them(migrated_app):
    upgrade(revision="0001")
    with db.engine.connect() as conn:
        before = database_checks(conn)
    upgrade(revision="0002")
    with db.engine.connect() as conn:
        added = {name: database_checks(conn)[name] - checks for name, checks in before.items()}
    assert added["post"] == {("ck_post_text_length", f"length(text) <= {POST_TEXT_MAX}")}
    assert added["comment"] == {("ck_comment_text_length", f"length(text) <= {COMMENT_TEXT_MAX}")}
    assert not any(added[name] for name in added if name not in ("post", "comment"))

    downgrade(revision="0001")
    with db.engine.connect() as conn:
        assert database_checks(conn) == before
        assert version(conn) == "0001"


def test_0002_and_its_downgrade_keep_every_row_of_every_table(migrated_app):
    """SQLite rebuilds a table to add a CHECK (copy, drop, rename): dropping the post table
    with foreign keys on would delete every comment and tag link with it."""
    upgrade(revision="0001")
    with db.engine.begin() as conn:
        blog_rows(conn)
        rows = all_rows(conn)
    upgrade(revision="0002")
    with db.engine.connect() as conn:
        assert all_rows(conn) == rows
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    downgrade(revision="0001")
    with db.engine.connect() as conn:
        assert all_rows(conn) == rows


def test_0002_stops_with_a_clear_message_when_rows_are_over_the_new_limits(migrated_app):
    """Nothing is cut short or dropped: whoever runs it decides what to do with those rows."""
    upgrade(revision="0001")
    with db.engine.begin() as conn:
        blog_rows(conn, post_text="x" * (POST_TEXT_MAX + 1), comment_text="x" * 5_001)
        insert(conn, "comment", id=7, name="Bob", text="x" * 9_999, date=NOW, post_id=1)
        insert(conn, "comment", id=8, name="Ann", text="x" * COMMENT_TEXT_MAX, date=NOW, post_id=1)
        rows = all_rows(conn)

    result = migrated_app.test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert f"post rows with id 1 have text longer than {POST_TEXT_MAX:,} characters" in message
    assert (
        f"comment rows with id 1, 7 have text longer than {COMMENT_TEXT_MAX:,} characters"
        in message
    )
    with db.engine.connect() as conn:
        assert version(conn) == "0001"
        assert all_rows(conn) == rows


def test_upgrade_can_print_the_sql_instead(migrated_app, capsys):
    upgrade(sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE post" in sql
    assert f"CONSTRAINT ck_post_text_length CHECK (length(text) <= {POST_TEXT_MAX})" in sql
    database = database_file(migrated_app)
    assert not database.exists() or database.stat().st_size == 0


def test_foreign_keys_are_back_on_and_checked_after_a_sqlite_migration(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/fk.db")
    db.metadata.create_all(engine)
    with engine.connect() as conn:
        with (
            pytest.raises(BrokenForeignKeys, match="point nowhere"),
            sqlite_foreign_keys_off(conn),
            conn.begin(),
        ):
            insert(conn, "comment", id=1, name="Eve", text="Orphan", date=NOW, post_id=42)
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_other_databases_migrate_with_their_foreign_keys_as_they_are():
    """PostgreSQL alters tables in place: nothing is sent (this stand-in has no driver)."""
    untouchable = SimpleNamespace(dialect=SimpleNamespace(name="postgresql"))
    with sqlite_foreign_keys_off(cast(Connection, untouchable)):
        pass


MARKDOWN = "# Hello\n\nSome *Markdown* with <script>alert(1)</script> and " + "words " * 80


def test_0003_stores_every_posts_rendering_and_every_tags_count(migrated_app):
    """Existing posts show as before: the app's own Markdown and sanitiser render them once."""
    upgrade(revision="0002")
    with db.engine.begin() as conn:
        blog_rows(conn, post_text=MARKDOWN)
        insert(conn, "post", id=2, title="Empty", text="", publish_date=NOW, user_id=1)
        insert(conn, "tag", id=2, title="unused")
        insert(conn, "tag", id=3, title="python")
        insert(conn, "post_tags", post_id=2, tag_id=1)
        insert(conn, "post_tags", post_id=2, tag_id=3)
        before = all_rows(conn)
    upgrade(revision="0003")
    with db.engine.connect() as conn:
        posts = conn.execute(text("SELECT id, html, excerpt FROM post ORDER BY id")).all()
        counts = conn.execute(text("SELECT title, post_count FROM tag ORDER BY id")).all()
        after = all_rows(conn)
    assert posts == [
        (1, str(render_markdown(MARKDOWN)), markdown_excerpt(MARKDOWN)),
        (2, "", ""),
    ]
    assert "<script" not in posts[0][1]
    assert counts == [("flask", 2), ("unused", 0), ("python", 1)]
    # Nothing else changed: each old row is the start of its new row.
    assert {
        name: [row[: len(old[0])] for row in after[name]] for name, old in before.items() if old
    } == {name: old for name, old in before.items() if old}


def test_0003_renders_every_post_however_many_there_are(migrated_app):
    """They are rendered a batch at a time (500): more than two batches here."""
    upgrade(revision="0002")
    with db.engine.begin() as conn:
        blog_rows(conn)
        rows = [
            {"id": n, "title": "T", "text": f"*{n}*", "publish_date": NOW, "user_id": 1}
            for n in range(2, 1_202)
        ]
        conn.execute(stored_table(conn, "post").insert(), rows)
    upgrade(revision="0003")
    with db.engine.connect() as conn:
        unrendered = conn.scalar(text("SELECT count(*) FROM post WHERE html = ''"))
        last = conn.scalar(text("SELECT html FROM post WHERE id = 1201"))
    assert unrendered == 0
    assert last == "<p><em>1201</em></p>"


def test_0003_replaces_the_one_column_indexes_and_its_downgrade_restores_them(migrated_app):
    upgrade(revision="0002")
    with db.engine.begin() as conn:
        blog_rows(conn)
        before_indexes = indexes(conn)
        before_rows = all_rows(conn)
    upgrade(revision="0003")
    with db.engine.connect() as conn:
        added = {name: found - before_indexes[name] for name, found in indexes(conn).items()}
    assert added["post"] == {
        ("ix_post_publish_date_id", ("publish_date", "id")),
        ("ix_post_user_id_publish_date_id", ("user_id", "publish_date", "id")),
    }
    assert added["comment"] == {("ix_comment_post_id_date_id", ("post_id", "date", "id"))}
    assert added["post_tags"] == {("ix_post_tags_tag_id_post_id", ("tag_id", "post_id"))}
    assert {index[0] for index in added["tag"]} == {"ix_tag_post_count_title"}

    downgrade(revision="0002")
    with db.engine.connect() as conn:
        assert indexes(conn) == before_indexes
        assert all_rows(conn) == before_rows
        assert version(conn) == "0002"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_0003_in_sql_mode_counts_tags_and_says_the_posts_need_the_upgrade_itself(
    migrated_app, capsys
):
    upgrade(sql=True)
    sql = capsys.readouterr().out
    assert "UPDATE tag SET post_count" in sql
    assert "run `flask db upgrade` itself" in sql


def test_0005_adds_the_optional_unique_email_and_its_downgrade_removes_it(migrated_app):
    upgrade(revision="0004")
    with db.engine.begin() as conn:
        blog_rows(conn)
        before = all_rows(conn)
        before_indexes = indexes(conn)
    upgrade(revision="0005")
    with db.engine.begin() as conn:
        assert conn.scalar(text("SELECT email FROM user WHERE id = 1")) is None
        assert indexes(conn)["user"] - before_indexes["user"] == {("uq_user_email", ("email",))}
        insert(conn, "user", id=2, username="bo", password_hash="x", session_token="u",
               created_at=NOW, email="bo@example.org")  # fmt: skip
        insert(conn, "user", id=3, username="cy", password_hash="x", session_token="v",
               created_at=NOW)  # fmt: skip
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        insert(conn, "user", id=4, username="di", password_hash="x", session_token="w",
               created_at=NOW, email="bo@example.org")  # fmt: skip

    downgrade(revision="0004")
    with db.engine.connect() as conn:
        assert "email" not in {column["name"] for column in inspect(conn).get_columns("user")}
        assert indexes(conn) == before_indexes
        assert [row[:2] for row in all_rows(conn)["user"]] == [(1, "ann"), (2, "bo"), (3, "cy")]
        assert {name: rows for name, rows in all_rows(conn).items() if name != "user"} == {
            name: rows for name, rows in before.items() if name != "user"
        }
        assert (
            conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'uq_user_username_lower'"))
            == "CREATE UNIQUE INDEX uq_user_username_lower ON user (lower(username))"
        )


def test_0006_adds_the_mail_choices_and_the_sent_mail_keys_and_its_downgrade_removes_them(
    migrated_app,
):
    upgrade(revision="0005")
    with db.engine.begin() as conn:
        blog_rows(conn)
        before = all_rows(conn)
    upgrade(revision="0006")
    with db.engine.begin() as conn:
        # Existing users keep getting comment mails and get no digest until they ask.
        assert conn.execute(
            text("SELECT notify_comments, weekly_digest FROM user WHERE id = 1")
        ).one() == (1, 0)
        insert(conn, "sent_mail", key="digest:1:2026-W48", sent_at=NOW)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        insert(conn, "sent_mail", key="digest:1:2026-W48", sent_at=NOW)

    downgrade(revision="0005")
    with db.engine.connect() as conn:
        columns = {column["name"] for column in inspect(conn).get_columns("user")}
        assert not columns & {"notify_comments", "weekly_digest"}
        assert "sent_mail" not in inspect(conn).get_table_names()
        assert all_rows(conn) == before
        assert (
            conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'uq_user_username_lower'"))
            == "CREATE UNIQUE INDEX uq_user_username_lower ON user (lower(username))"
        )


def table_sql(conn: Connection, name: str) -> str:
    return str(conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name}))


NEVER_REUSED = ("user", "post", "comment")


def test_0007_gives_users_posts_and_comments_ids_never_reused_and_keeps_every_row(migrated_app):
    """SQLite rebuilds the three tables with AUTOINCREMENT (copy, drop, rename): every row,
    check and index stays, the lower(username) index too, which its reflection cannot see."""
    upgrade(revision="0006")
    with db.engine.begin() as conn:
        blog_rows(conn)
        insert(conn, "comment", id=9, name="Bob", text="Later.", date=NOW, post_id=1)
        rows, checks, stored_indexes = all_rows(conn), database_checks(conn), indexes(conn)
        username_index = table_sql(conn, "uq_user_username_lower")
    upgrade(revision="0007")
    with db.engine.begin() as conn:
        assert all(" AUTOINCREMENT" in table_sql(conn, name) for name in NEVER_REUSED)
        assert " AUTOINCREMENT" not in table_sql(conn, "tag")
        assert all_rows(conn) == rows
        assert (database_checks(conn), indexes(conn)) == (checks, stored_indexes)
        assert table_sql(conn, "uq_user_username_lower") == username_index
        # The newest comment's id is not handed out again once it is deleted.
        for _ in range(2):
            insert(conn, "comment", name="Cy", text="New.", date=NOW, post_id=1)
            newest = conn.scalar(text("SELECT max(id) FROM comment"))
            conn.execute(text("DELETE FROM comment WHERE id = :id"), {"id": newest})
        assert newest == 11

    downgrade(revision="0006")
    with db.engine.connect() as conn:
        assert not any(" AUTOINCREMENT" in table_sql(conn, name) for name in NEVER_REUSED)
        assert all_rows(conn) == rows
        assert (database_checks(conn), indexes(conn)) == (checks, stored_indexes)
        assert table_sql(conn, "uq_user_username_lower") == username_index


def test_0007_changes_nothing_on_other_databases_whose_ids_never_go_back(tmp_path, capsys):
    """PostgreSQL's sequences never go back, so its --sql output has no table rebuilt."""
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": "postgresql://u@127.0.0.1/x"})
    with app.app_context():
        upgrade(revision="0006:0007", sql=True)
    sql = capsys.readouterr().out
    assert "UPDATE alembic_version SET version_num='0007'" in sql
    assert "TABLE" not in sql.partition("0006")[2].replace("alembic_version", "")
    assert "Revision 0007" not in sql
