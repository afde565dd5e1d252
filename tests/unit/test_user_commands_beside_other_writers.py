"""`flask users` on a site in use: other connections write meanwhile. On SQLite, a
transaction that read before another connection's write cannot write after it ("database is
locked", at once), so `set-password` asks for the password outside any transaction, and
`delete --yes` takes the write lock before it reads what goes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import click

from app.extensions import db
from app.models import Post, User
from tests.support.database import row_count
from tests.support.write_lock import (
    NEW_PASSWORD,
    add_alice,
    sqlite_file_of,
    write_lock_free_at_each_flush,
)


def users_command(app, *args, input=None):
    """``flask users ARGS`` in the app's own context, as the program runs it."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["users", *args], input=input)
        db.session.remove()
    return result


def test_the_new_password_saves_though_someone_wrote_while_it_was_typed(race_app, monkeypatch):
    path = sqlite_file_of(race_app, "A snapshot outdated by another connection's write")
    add_alice(race_app)
    prompt = click.prompt

    def typed_while_someone_writes(*args: Any, **kwargs: Any) -> Any:
        with closing(sqlite3.connect(path)) as other, other:
            other.execute("UPDATE user SET weekly_digest = 1 WHERE username = 'alice'")
        return prompt(*args, **kwargs)

    monkeypatch.setattr(click, "prompt", typed_while_someone_writes)
    result = users_command(race_app, "set-password", "alice", input=f"{NEW_PASSWORD}\n" * 2)

    assert result.exit_code == 0, result.output
    with race_app.app_context():
        alice = User.by_username("alice")
        assert alice is not None
        assert alice.check_password(NEW_PASSWORD)
        assert alice.weekly_digest
        db.session.remove()


def test_delete_holds_the_write_lock_when_it_deletes(race_app):
    path = sqlite_file_of(race_app)
    add_alice(race_app, post="Going")

    with write_lock_free_at_each_flush(path) as lock_free:
        result = users_command(race_app, "delete", "alice", "--yes")

    assert result.exit_code == 0, result.output
    assert lock_free
    assert not any(lock_free)
    with race_app.app_context():
        assert (row_count(User), row_count(Post)) == (0, 0)
        db.session.remove()
