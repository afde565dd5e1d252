"""PostgreSQL's row locks, as users meet them: a write request locks the rows it changes
(``FOR UPDATE``, app.database) and a read locks nothing.

SQLite has no row locks (its write lock is tested in test_write_lock_when_saving.py), so
these run on PostgreSQL only. Every wait is bounded: the app's connections give up on a
lock after LOCK_WAIT (the request then answers 503), and a meeting point after patience.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, Engine, event, func, select, update
from sqlalchemy.orm import Session

from app.accounts import password_reset
from app.api.tokens import issue_token
from app.extensions import db
from app.models import Post, Tag, User, tags_from_titles, tags_posts
from tests.support.database import row_count, sessions_on_the_engine
from tests.support.hashing import call_before_hashing
from tests.support.races import MeetingPoint, app_of_its_own, in_parallel
from tests.support.write_lock import NEW_PASSWORD, add_alice, reset_password_by_link

pytestmark = pytest.mark.postgresql

LOCK_WAIT = "300ms"


@pytest.fixture
def locking_app(monkeypatch: pytest.MonkeyPatch, test_database_url: str | None) -> Iterator[Flask]:
    """race_app on PostgreSQL, its lock waits bounded by LOCK_WAIT, holding alice (a poster)
    and her post "Open" (id 1)."""
    if not test_database_url:
        pytest.skip("row locks: PostgreSQL only (--database postgresql)")
    sessions_on_the_engine(monkeypatch)
    with app_of_its_own(test_database_url, lock_timeout=LOCK_WAIT) as app:
        add_alice(app, post="Open")
        yield app


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


@contextmanager
def another_transaction(app: Flask) -> Iterator[Connection]:
    """A connection of the app's own in a transaction that is rolled back at the end."""
    with engine_of(app).connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


def test_a_post_is_read_while_another_request_holds_its_row_for_a_change(locking_app):
    client = locking_app.test_client()
    with another_transaction(locking_app) as other:
        other.execute(select(Post).where(Post.id == 1).with_for_update())
        page = client.get("/blog/post/1")
        api = client.get("/api/post/1")
    assert page.status_code == 200
    assert "Open" in page.get_data(as_text=True)
    assert api.status_code == 200
    assert api.get_json()["title"] == "Open"


def tag_counts_that_are_wrong(app: Flask) -> dict[str, tuple[int, int]]:
    """Each tag whose post_count is not its number of posts: title -> (count, posts)."""
    with app.app_context():
        posts = (
            select(func.count())
            .select_from(tags_posts)
            .where(tags_posts.c.tag_id == Tag.id)
            .scalar_subquery()
        )
        wrong = db.session.execute(
            select(Tag.title, Tag.post_count, posts).where(Tag.post_count != posts)
        )
        found = {title: (count, real) for title, count, real in wrong}
        db.session.remove()
    return found


def test_a_post_sent_while_its_author_is_deleted_is_refused_and_counted_nowhere(locking_app):
    """`flask users delete --yes` locks the user's row first, so no post of theirs is added
    meanwhile (it would go with the user by ON DELETE CASCADE, behind the back of the tags'
    post counts, app.models): alice's post sent then waits, and is refused with 503."""
    with locking_app.app_context():
        alice = User.by_username("alice")
        assert alice is not None
        db.session.get_one(Post, 1).tags = tags_from_titles(["kept"])
        db.session.commit()
        headers = {"Authorization": f"Bearer {issue_token(alice)}"}
        db.session.remove()
    body = {"title": "Late", "text": "Text", "tags": ["fresh"]}
    send = lambda: locking_app.test_client().post("/api/post", json=body, headers=headers)  # noqa: E731
    answers: list[Any] = []
    sent = threading.Event()

    def alice_posts_meanwhile(*_args: object) -> None:
        # Once: at the command's first flush, not at the flush of alice's request.
        if not sent.is_set():
            sent.set()
            answers.extend(in_parallel(send))

    # Before app.models' counts, whose UPDATE of the author's post_count locks the row too.
    event.listen(Session, "before_flush", alice_posts_meanwhile, insert=True)
    try:
        with locking_app.app_context():
            result = locking_app.test_cli_runner().invoke(
                args=["users", "delete", "alice", "--yes"]
            )
            db.session.remove()
    finally:
        event.remove(Session, "before_flush", alice_posts_meanwhile)

    assert result.exit_code == 0, result.output
    assert [answer.status_code for answer in answers] == [503]
    with locking_app.app_context():
        assert (row_count(User), row_count(Post)) == (0, 0)
        db.session.remove()
    assert tag_counts_that_are_wrong(locking_app) == {}


def test_two_uses_of_one_reset_link_at_once_set_one_password(locking_app, monkeypatch):
    """The link is read again under the row lock: of two forms sent with one link, the
    second waits for the first and finds the link used."""
    # Both look at once, then each waits for the other's look before it saves: without
    # the lock both would find the link unused. With it, the second look waits for the
    # first save (the first waits out the patience of the meeting after the look).
    both_hashed, both_looked = MeetingPoint(patience=5), MeetingPoint(patience=0.2)
    look = password_reset.user_for_token
    looks = threading.local()

    def look_together(token: str, lock: bool = False) -> User:
        looks.made = getattr(looks, "made", 0) + 1
        if looks.made == 1:  # this request's first look, before the hash
            return look(token, lock)
        both_hashed()
        user = look(token, lock)
        both_looked()
        return user

    monkeypatch.setattr(password_reset, "user_for_token", look_together)
    with locking_app.app_context():
        token = password_reset.make_token(User.by_username("alice"))
        db.session.remove()

    def reset(password: str) -> Callable[[], Any]:
        data = {"password": password, "confirm": password}
        return lambda: locking_app.test_client().post(f"/reset-password/{token}", data=data)

    answers = in_parallel(reset(NEW_PASSWORD), reset("a third fine passphrase"))

    assert sorted(answer.status_code for answer in answers) == [302, 410]
    winner = NEW_PASSWORD if answers[0].status_code == 302 else "a third fine passphrase"
    with locking_app.app_context():
        alice = User.by_username("alice")
        assert alice is not None
        assert alice.check_password(winner)
        db.session.remove()


def test_a_reset_hashes_the_new_password_without_locking_the_account(locking_app, monkeypatch):
    """The slow hash runs before the row lock: the account's other changes (here its
    digest setting, saved by another connection) go on meanwhile."""
    saved: list[bool] = []
    # Not inside the request: an app context of its own would end the request's session.
    engine = engine_of(locking_app)

    def change_the_digest_setting() -> None:
        with engine.begin() as other:
            other.execute(update(User).where(User.username == "alice").values(weekly_digest=True))
        saved.append(True)

    call_before_hashing(monkeypatch, change_the_digest_setting)

    assert reset_password_by_link(locking_app, NEW_PASSWORD).status_code == 302
    assert saved == [True]
    with locking_app.app_context():
        alice = User.by_username("alice")
        assert alice is not None
        assert alice.weekly_digest
        assert alice.check_password(NEW_PASSWORD)
        db.session.remove()
