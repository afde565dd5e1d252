"""``flask init-db``, ``flask seed``, ``flask users ...``, ``flask backup`` and ``flask digest``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.users import (
    AccountError,
    BadValue,
    create_user,
    delete_user,
    existing_user,
    posts_and_comments,
    set_password,
)
from app.backup import backup_command
from app.database import begin_write_transaction
from app.extensions import db
from app.models import ROLE_NAMES, User, ensure_roles, utcnow
from app.notifications.digest import send_digest, weekly_digest
from app.seed import SeedError, account_lines, seed_demo
from app.wording import counted

users = AppGroup("users", help="Create, change, list and delete accounts; grant and revoke roles.")
ROLE_CHOICE = click.Choice(ROLE_NAMES)
# How click names each argument of the `users` commands in its usage errors.
PARAM_HINTS = {"username": "USERNAME", "password": "'--password'", "role": "'--role'"}


@contextmanager
def account_errors() -> Iterator[None]:
    """An AccountError ends the command with one line and a non-zero exit, nothing written:
    the end of a command rolls back what it did not commit (its app context's teardown)."""
    try:
        yield
    except BadValue as error:
        raise click.BadParameter(error.problem, param_hint=PARAM_HINTS[error.field]) from None
    except AccountError as error:
        raise click.ClickException(str(error)) from None


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
    if if_empty and db.session.scalar(select(User.id).exists().select()):
        click.echo("The database already has users; not seeding.")
        return
    try:
        seed_demo(posts=posts)
    except SeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Seeded {posts} posts.")
    click.echo("\n".join(account_lines()))


@users.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, default="default", show_default=True)
@click.password_option(help="Prompted for (twice) when not given.")
def create_user_command(username: str, role: str, password: str) -> None:
    """Create the account USERNAME (the password follows the register form's rules)."""
    username = username.strip()
    with account_errors():
        create_user(username, password, role)
    db.session.commit()
    click.echo(f"Created user {username!r} with role {role!r}.")


@users.command("grant")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def grant(username: str, role: str) -> None:
    """Give USERNAME the role ROLE."""
    with account_errors():
        user = existing_user(username)
    role_obj = ensure_roles()[role]
    if role_obj in user.roles:
        click.echo(f"{user.username!r} already has role {role!r}.")
        return
    user.roles.append(role_obj)
    db.session.commit()
    click.echo(f"Granted role {role!r} to {user.username!r}.")


@users.command("revoke")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def revoke(username: str, role: str) -> None:
    """Take the role ROLE away from USERNAME."""
    with account_errors():
        user = existing_user(username)
    held = {role_obj.name: role_obj for role_obj in user.roles}
    if role not in held:
        raise click.ClickException(f"{user.username!r} does not have role {role!r}")
    user.roles.remove(held[role])
    db.session.commit()
    click.echo(f"Revoked role {role!r} from {user.username!r}.")


@users.command("set-password")
@click.argument("username")
@click.option("--password", help="Prompted for (twice, hidden) when not given.")
def set_password_command(username: str, password: str | None) -> None:
    """Give USERNAME a new password (the register form's rules); every session and API token
    of theirs ends."""
    with account_errors():
        existing_user(username)  # before asking for a password
        # No transaction stays open while someone types.
        db.session.rollback()
        if password is None:
            password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
        user = set_password(username, password)
    db.session.commit()
    click.echo(
        f"Changed the password of {user.username!r}; their sessions and API tokens have ended."
    )


@users.command("delete")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Delete; without it, only say what would go.")
def delete(username: str, yes: bool) -> None:
    """Delete USERNAME together with their posts and the comments on those posts.

    The posts go with the user (the tags stay, counting the posts left). Without --yes
    nothing is deleted: the command says how many posts and comments would go.
    """
    if yes:
        begin_write_transaction()
    with account_errors():
        user = existing_user(username, lock=yes)
    posts, comments = posts_and_comments(user)
    belongings = f"{counted(posts, 'post')} and {counted(comments, 'comment')}"
    if not yes:
        raise click.ClickException(
            f"Not deleted: {user.username!r} goes with {belongings}; add --yes to delete them."
        )
    name = user.username
    delete_user(user)
    db.session.commit()
    click.echo(f"Deleted user {name!r} with {belongings}.")


@users.command("list")
def list_users() -> None:
    """Print each user's name, roles (comma-separated, "-" for none) and creation time (UTC),
    tab-separated, one line each, sorted by name."""
    found = db.session.scalars(
        select(User).options(selectinload(User.roles)).order_by(func.lower(User.username))
    ).all()
    for user in found:
        roles = ",".join(sorted(role.name for role in user.roles)) or "-"
        click.echo(f"{user.username}\t{roles}\t{user.created_at:%Y-%m-%dT%H:%M:%SZ}")
    if not found:
        click.echo("No users.", err=True)


@click.command("digest")
@click.option("--dry-run", is_flag=True, help="Say who would get which posts; send nothing.")
def digest(dry_run: bool) -> None:
    """Send this week's digest now (once per user per week, as beat does)."""
    found = weekly_digest(utcnow())
    if not found.posts:
        click.echo("No posts in the last seven days: no digest to send.")
        return
    titles = "; ".join(post.title for post in found.posts)
    if found.left_out:
        titles += f" (and {found.left_out} more)"
    for user in found.users:
        click.echo(f"{user.username} <{user.email}>: {titles}")
    if dry_run:
        click.echo(f"Dry run: {counted(len(found.users), 'digest')} not sent.")
        return
    send_digest(found)
    click.echo(
        f"Digest of {counted(found.total, 'post')} for {counted(len(found.users), 'user')} "
        f"{'queued' if current_app.config['CELERY_BROKER_URL'] else 'sent'} (week {found.week}; "
        "a user who had this week's already gets none)."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(digest)
    app.cli.add_command(init_db)
    app.cli.add_command(seed)
    app.cli.add_command(users)
    app.cli.add_command(backup_command)
