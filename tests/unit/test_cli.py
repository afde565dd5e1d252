"""The command line: init-db, seed, users create, users grant."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, Post, Role, Tag, User
from app.seed import DEMO_ACCOUNTS
from tests.factories import UserFactory
from tests.support.database import row_count


def flask_cli(database, *args, input=None):
    """Run ``flask --app app ARGS`` as a user would, on the given SQLite file."""
    env = {**os.environ, "APP_CONFIG": "test", "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_init_db_seed_and_users_on_a_new_database(tmp_path):
    database = tmp_path / "blog.sqlite"
    init = flask_cli(database, "init-db")
    assert init.returncode == 0, init.stderr
    assert "roles admin, poster, default" in init.stdout

    seeded = flask_cli(database, "seed", "--posts", "12")
    assert seeded.returncode == 0, seeded.stderr
    assert "admin / admin-password / admin" in seeded.stdout

    created = flask_cli(
        database, "users", "create", "Dana", "--role", "poster", input="pw-12345678\npw-12345678\n"
    )
    assert created.returncode == 0, created.stderr

    again = flask_cli(database, "init-db")
    assert again.returncode == 0, again.stderr

    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT name FROM role ORDER BY name").fetchall() == [
            ("admin",),
            ("default",),
            ("poster",),
        ]
        assert conn.execute("SELECT count(*) FROM post").fetchone() == (12,)
        assert conn.execute("SELECT count(*) FROM user").fetchone() == (4,)


def test_seed_fills_an_empty_database_with_the_books_demo_data(app):
    result = app.test_cli_runner().invoke(args=["seed", "--posts", "30"])
    assert result.exit_code == 0, result.output
    assert row_count(Post) == 30
    assert row_count(Comment) >= 30
    assert row_count(Tag) >= 4
    assert {u.username for u in db.session.scalars(select(User))} == {
        a.username for a in DEMO_ACCOUNTS
    }
    admin = User.by_username("admin")
    assert admin.has_role("admin")
    assert admin.check_password("admin-password")


def test_seed_refuses_a_database_with_users_and_writes_nothing(app):
    UserFactory()
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 1
    assert "seed only runs on an empty database" in result.output
    assert row_count(Post) == 0
    assert row_count(User) == 1


def test_seed_if_empty_skips_a_database_with_users_and_succeeds(app):
    UserFactory()
    result = app.test_cli_runner().invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0
    assert "already has users; not seeding" in result.output
    assert row_count(Post) == 0


@pytest.mark.parametrize("posts", ["-1", "many"])
def test_seed_rejects_a_bad_number_of_posts(app, posts):
    result = app.test_cli_runner().invoke(args=["seed", "--posts", posts])
    assert result.exit_code == 2
    assert "Invalid value for '--posts'" in result.output
    assert row_count(User) == 0


def test_seed_with_no_posts_still_makes_the_accounts(app):
    from app.seed import SeedError, seed_demo

    seed_demo(posts=0)
    assert row_count(User) == len(DEMO_ACCOUNTS)
    # The Selenium flows start from this state; unused demo tags would show in the sidebar.
    assert row_count(Tag) == 0
    with pytest.raises(SeedError, match="cannot be negative"):
        seed_demo(posts=-1)


def test_users_create_makes_an_account_with_the_role(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "erin", "--role", "poster", "--password", "long enough"]
    )
    assert result.exit_code == 0, result.output
    assert "Created user 'erin' with role 'poster'." in result.output
    user = User.by_username("erin")
    assert user.has_role("poster")
    assert user.check_password("long enough")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["users", "create", "x", "--role", "king", "--password", "long enough"],
            "'king' is not one of",
        ),
        (["users", "create", "   ", "--password", "long enough"], "must be 1 to 64 characters"),
        (["users", "create", "y" * 65, "--password", "long enough"], "must be 1 to 64 characters"),
        (["users", "create", "shorty", "--password", "short"], "at least 8 characters"),
        (["users", "create", "longy", "--password", "p" * 129], "at most 128"),
    ],
)
def test_users_create_rejects_bad_arguments_and_writes_nothing(app, args, message):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert message in result.output
    assert row_count(User) == 0
    assert row_count(Role) == 0


def test_users_create_refuses_a_taken_name_ignoring_case(app):
    UserFactory(username="Frank")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "FRANK", "--password", "long enough"]
    )
    assert result.exit_code == 1
    assert "User 'FRANK' already exists" in result.output
    assert row_count(User) == 1


def test_users_grant_adds_a_role(app):
    user = UserFactory(username="gina")
    result = app.test_cli_runner().invoke(args=["users", "grant", "GINA", "admin"])
    assert result.exit_code == 0, result.output
    assert "Granted role 'admin' to 'gina'." in result.output
    assert [role.name for role in user.roles] == ["default", "admin"]


def test_users_grant_twice_is_harmless(app):
    UserFactory(username="hal")
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "grant", "hal", "poster"])
    result = runner.invoke(args=["users", "grant", "hal", "poster"])
    assert result.exit_code == 0
    assert "'hal' already has role 'poster'." in result.output
    assert [role.name for role in User.by_username("hal").roles] == ["default", "poster"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["users", "grant", "nobody", "admin"], 1, "No user named 'nobody'"),
        (["users", "grant", "ivy", "emperor"], 2, "'emperor' is not one of"),
    ],
)
def test_users_grant_rejects_bad_arguments(app, args, code, message):
    UserFactory(username="ivy")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == code
    assert message in result.output
    assert [role.name for role in User.by_username("ivy").roles] == ["default"]


def test_create_user_refuses_an_unknown_role():
    from app.accounts.users import AccountError, create_user

    with pytest.raises(
        AccountError, match="The role 'king' is unknown; choose one of: admin, poster"
    ):
        create_user("kim", "long enough", "king")
