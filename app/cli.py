"""``flask init-db``, ``flask seed``, ``flask users ...`` and ``flask backup``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select

from app.accounts.users import AccountError, BadValue, create_user
from app.backup import backup_command
from app.extensions import db
from app.models import ROLE_NAMES, User, ensure_roles
from app.seed import DEMO_ACCOUNTS, SeedError, seed_demo

users = AppGroup("users", help="Create accounts and grant roles.")
ROLE_CHOICE = click.Choice(ROLE_NAMES)
# How click names each argument of `users create` in its usage errors.
PARAM_HINTS = {"username": "USERNAME", "password": "'--password'", "role": "'--role'"}


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema and the roles admin, poster and default."""
    upgrade()
    ensure_roles()
    db.session.commit()
    click.echo("Database ready: schema up to date, roles " + ", ".join(ROLE_NAMES) + ".")


@click.command("seed")
@click.option("--posts", type=click.IntRange(min=0, max=10_000), default=100, show_default=True)
@click.option("--if-empty", is_flag=True, help="Succeed without seeding when users exist.")
def seed(posts: int, if_empty: bool) -> None:
    """Fill an empty database with the book's demo data."""
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users; not seeding.")
        return
    try:
        seed_demo(posts=posts)
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Seeded {posts} posts. Accounts (username / password / role):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.username} / {account.password} / {account.role}")


@users.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, default="default", show_default=True)
@click.password_option(help="Prompted for (twice) when not given.")
def create_user_command(username: str, role: str, password: str) -> None:
    """Create the account USERNAME."""
    username = username.strip()
    try:
        create_user(username, password, role)
    except BadValue as error:
        db.session.rollback()
        raise click.BadParameter(error.problem, param_hint=PARAM_HINTS[error.field]) from None
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created user {username!r} with role {role!r}.")


@users.command("grant")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def grant(username: str, role: str) -> None:
    """Give USERNAME the role ROLE."""
    user = User.by_username(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}")
    role_obj = ensure_roles()[role]
    if role_obj in user.roles:
        click.echo(f"{user.username!r} already has role {role!r}.")
        return
    user.roles.append(role_obj)
    db.session.commit()
    click.echo(f"Granted role {role!r} to {user.username!r}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(backup_command)
