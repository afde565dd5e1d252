"""What the commands do when an option is left out, and the range they take, as their --help
says: `seed` makes 100 posts and takes 0 to 10,000; `users create` gives the role "default"."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Post, Role, User
from tests.support.database import fresh_session, row_count


def command(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_seed_help_gives_the_number_of_posts_by_default_and_the_range_it_takes(app):
    result = command(app, "seed", "--help")
    assert "--posts INTEGER RANGE  [default: 100; 0<=x<=10000]" in result.output


def test_seed_refuses_more_posts_than_its_range_and_writes_nothing(app):
    result = command(app, "seed", "--posts", "10001")
    assert result.exit_code == 2
    assert "'--posts': 10001 is not in the range 0<=x<=10000" in result.output
    assert row_count(User) == 0


def test_users_create_help_gives_the_role_by_default(app):
    result = command(app, "users", "create", "--help")
    assert "--role [admin|poster|default]  [default: default]" in result.output


def test_users_create_without_a_role_gives_the_role_default(app):
    result = command(app, "users", "create", "uma", "--password", "long enough")
    assert result.exit_code == 0, result.output
    assert "Created user 'uma' with role 'default'." in result.output
    with fresh_session() as session:
        roles = session.scalars(select(Role.name).join(Role.users).where(User.username == "uma"))
        assert roles.all() == ["default"]


def test_seed_without_posts_makes_100_and_says_so(app):
    result = command(app, "seed")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Seeded 100 posts.\nAccounts (username / password / role):\n")
    assert row_count(Post) == 100
