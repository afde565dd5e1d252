"""The command line: init-db, seed, and users create, set-password, grant, revoke, delete, list."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import create_app
from app.extensions import db
from app.models import Comment, Post, Role, Tag, User, roles_users
from app.seed import DEMO_ACCOUNTS
from tests.factories import (
    CommentFactory,
    PosterFactory,
    PostFactory,
    RoleFactory,
    TagFactory,
    UserFactory,
)
from tests.factories.models import DEFAULT_PASSWORD, EPOCH
from tests.support.api import bearer, token_for
from tests.support.database import (
    database_rows,
    fresh_session,
    row_count,
    sessions_on_the_engine,
)
from tests.support.sessions import log_in_session


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


def roles_and_counts(database):
    """The role names and the numbers of posts and users in the file, read by sqlite3."""
    with closing(sqlite3.connect(database)) as conn:
        roles = [name for (name,) in conn.execute("SELECT name FROM role ORDER BY name")]
        posts, users = conn.execute(
            "SELECT (SELECT count(*) FROM post), count(*) FROM user"
        ).fetchone()
    return roles, posts, users


@pytest.mark.slow
def test_the_flask_command_makes_a_new_database_file_ready(tmp_path):
    """The one real `flask` process of the suite (1.5 s): the program finds the app from
    ``--app app`` and its database from the environment, and init-db commits."""
    database = tmp_path / "blog.sqlite"
    init = flask_cli(database, "init-db")
    assert init.returncode == 0, init.stderr
    assert "roles admin, poster, default" in init.stdout
    assert roles_and_counts(database) == (["admin", "default", "poster"], 0, 0)


@pytest.fixture
def new_database_cli(tmp_path, monkeypatch):
    """``invoke(args, input=...)``: a command of the app `flask --app app` makes for
    APP_CONFIG=test and DATABASE_URL naming a new SQLite file (returned second), run in that
    app's context (the commands would otherwise run in the test's app) with sessions of its
    own (not the test's rolled-back connection)."""
    sessions_on_the_engine(monkeypatch)
    database = tmp_path / "blog.sqlite"
    app = create_app("test", environ={"DATABASE_URL": f"sqlite:///{database}"})

    def invoke(args, input=None):
        with app.app_context():
            return app.test_cli_runner().invoke(args=args, input=input)

    yield invoke, database
    with app.app_context():
        db.engine.dispose()


# SQLAlchemy cannot reflect the lower(username) index that migration 0002 copies (a warning).
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_init_db_seed_and_users_on_a_new_database(new_database_cli):
    """What a new site runs, in order, on one file; init-db again is harmless. (In this
    process: the real program's start is the test above.)"""
    invoke, database = new_database_cli
    init = invoke(["init-db"])
    assert init.exit_code == 0, init.output
    assert "roles admin, poster, default" in init.output

    seeded = invoke(["seed", "--posts", "12"])
    assert seeded.exit_code == 0, seeded.output
    assert "admin / admin-password / admin" in seeded.output

    created = invoke(["users", "create", "Dana", "--role", "poster"], "pw-12345678\npw-12345678\n")
    assert created.exit_code == 0, created.output

    again = invoke(["init-db"])
    assert again.exit_code == 0, again.output

    assert roles_and_counts(database) == (["admin", "default", "poster"], 12, 4)


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
    assert admin is not None
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
    assert user is not None
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
    hal = User.by_username("hal")
    assert hal is not None
    assert [role.name for role in hal.roles] == ["default", "poster"]


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
    ivy = User.by_username("ivy")
    assert ivy is not None
    assert [role.name for role in ivy.roles] == ["default"]


def test_create_user_refuses_an_unknown_role():
    from app.accounts.users import AccountError, create_user

    with pytest.raises(
        AccountError, match="The role 'king' is unknown; choose one of: admin, poster"
    ):
        create_user("kim", "long enough", "king")


# --- set-password, revoke, delete, list (and the password rules of create) ---------------


def stored_user(username):
    """The user and their roles as the database has them now, read through a fresh session."""
    with fresh_session() as session:
        return session.scalar(
            select(User).where(User.username == username).options(selectinload(User.roles))
        )


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["users", *args], input=input)


@pytest.mark.parametrize("password", ["password1", "IloveYou", "QWERTY123"])
def test_users_create_refuses_a_common_password_as_the_register_form_does(app, password):
    result = invoke(app, "create", "erin", "--password", password)
    assert result.exit_code == 2
    assert "Invalid value for '--password': is too common" in result.output
    assert "Traceback" not in result.output
    assert row_count(User) == 0


def test_users_set_password_replaces_the_password(app):
    UserFactory(username="jo")
    result = invoke(app, "set-password", "JO", "--password", "a new long phrase")
    assert result.exit_code == 0, result.output
    assert "Changed the password of 'jo'; their sessions and API tokens have ended." in (
        result.output
    )
    user = stored_user("jo")
    assert user.check_password("a new long phrase")
    assert not user.check_password(DEFAULT_PASSWORD)


def test_users_set_password_prompts_twice_without_echoing(app):
    UserFactory(username="kay")
    result = invoke(app, "set-password", "kay", input="typed phrase 42\ntyped phrase 42\n")
    assert result.exit_code == 0, result.output
    assert "New password: \nRepeat for confirmation: \n" in result.output
    assert "typed phrase 42" not in result.output
    assert stored_user("kay").check_password("typed phrase 42")


def test_users_set_password_ends_every_session_and_api_token(app, client):
    user = PosterFactory(username="lee")
    old_token = user.session_token
    log_in_session(client, user)
    api_token = token_for(user)
    assert client.get("/change-password").status_code == 200

    result = invoke(app, "set-password", "lee", "--password", "a new long phrase")
    assert result.exit_code == 0, result.output

    assert stored_user("lee").session_token != old_token
    assert client.get("/change-password").status_code == 302
    posted = client.post("/api/post", json={"title": "t", "text": "x"}, headers=bearer(api_token))
    assert posted.status_code == 401


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nobody", "--password", "a new long phrase"], 1, "No user named 'nobody'"),
        (["mo", "--password", "short"], 2, "at least 8 characters"),
        (["mo", "--password", "p" * 129], 2, "at most 128"),
        (["mo", "--password", "password1"], 2, "is too common"),
    ],
)
def test_users_set_password_refuses_and_changes_nothing(app, args, code, message):
    UserFactory(username="mo")
    before = database_rows()
    result = invoke(app, "set-password", *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert database_rows() == before


def test_users_set_password_asks_no_password_for_an_unknown_user(app):
    result = invoke(app, "set-password", "nobody", input="")
    assert result.exit_code == 1
    assert "No user named 'nobody'" in result.output
    assert "assword" not in result.output


def test_users_revoke_takes_a_role_away(app):
    UserFactory(username="ned", roles=[RoleFactory(name="default"), RoleFactory(name="admin")])
    result = invoke(app, "revoke", "NED", "admin")
    assert result.exit_code == 0, result.output
    assert "Revoked role 'admin' from 'ned'." in result.output
    assert [role.name for role in stored_user("ned").roles] == ["default"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nobody", "admin"], 1, "No user named 'nobody'"),
        (["olga", "emperor"], 2, "'emperor' is not one of"),
        (["olga", "admin"], 1, "'olga' does not have role 'admin'"),
    ],
)
def test_users_revoke_refuses_and_changes_nothing(app, args, code, message):
    UserFactory(username="olga", roles=[RoleFactory(name="poster")])
    before = database_rows()
    result = invoke(app, "revoke", *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert database_rows() == before


def test_users_delete_removes_the_user_their_posts_and_the_comments_on_them(app):
    shared, own = TagFactory(title="shared"), TagFactory(title="own")
    author = PosterFactory(username="pat")
    for post in (PostFactory(user=author, tags=[shared, own]), PostFactory(user=author)):
        CommentFactory(post=post)
    other = PostFactory(tags=[shared])
    CommentFactory(post=other)
    other_id, other_author_id = other.id, other.user_id

    result = invoke(app, "delete", "PAT", "--yes")

    assert result.exit_code == 0, result.output
    assert "Deleted user 'pat' with 2 posts and 2 comments." in result.output
    assert stored_user("pat") is None
    assert row_count(roles_users) == 1
    with fresh_session() as session:
        assert session.scalars(select(Post.id)).all() == [other_id]
        assert session.scalars(select(Comment.post_id)).all() == [other_id]
        assert dict(session.execute(select(Tag.title, Tag.post_count)).all()) == {
            "shared": 1,
            "own": 0,
        }
        assert session.get_one(User, other_author_id).post_count == 1


def test_users_delete_of_a_user_without_posts(app):
    UserFactory(username="quinn")
    result = invoke(app, "delete", "quinn", "--yes")
    assert result.exit_code == 0, result.output
    assert "Deleted user 'quinn' with 0 posts and 0 comments." in result.output
    assert row_count(User) == 0


def test_users_delete_without_yes_says_what_would_go_and_changes_nothing(app):
    CommentFactory(post=PostFactory(user=PosterFactory(username="rex")))
    before = database_rows()
    result = invoke(app, "delete", "rex")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: Not deleted: 'rex' goes with 1 post and 1 comment; add --yes to delete them."
    ]
    assert database_rows() == before


def test_users_delete_refuses_an_unknown_user(app):
    UserFactory(username="sam")
    before = database_rows()
    result = invoke(app, "delete", "nobody", "--yes")
    assert result.exit_code == 1
    assert "No user named 'nobody'" in result.output
    assert database_rows() == before


def test_users_delete_help_says_the_posts_go_with_the_user(app):
    result = invoke(app, "delete", "--help")
    assert "posts" in result.output
    assert "--yes" in result.output


def test_users_list_prints_name_roles_and_created_one_line_each_sorted_by_name(app):
    UserFactory(username="zoe", created_at=EPOCH)
    UserFactory(
        username="Adam",
        roles=[RoleFactory(name="poster"), RoleFactory(name="admin")],
        created_at=EPOCH + timedelta(days=1, seconds=5),
    )
    UserFactory(username="bea", roles=[], created_at=EPOCH + timedelta(days=2))
    result = invoke(app, "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Adam\tadmin,poster\t2015-01-02T00:00:05Z",
        "bea\t-\t2015-01-03T00:00:00Z",
        "zoe\tdefault\t2015-01-01T00:00:00Z",
    ]


def test_users_list_of_an_empty_database_says_so(app):
    result = invoke(app, "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No users.\n"
