"""What a new account starts with, as the next request reads it from the database."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import User
from tests.support.database import fresh_session

pytestmark = pytest.mark.postgresql


@pytest.fixture
def registered(client) -> User:
    """The account the register form made, read through a session of its own."""
    password = "a fine long passphrase"
    response = client.post(
        "/register", data={"username": "newbie", "password": password, "confirm": password}
    )
    assert response.status_code == 302
    with fresh_session() as session:
        session.expire_on_commit = False
        user = session.scalars(select(User).where(User.username == "newbie")).one()
        session.expunge(user)
    return user


def test_a_new_account_gets_comment_mails_but_no_weekly_digest_until_it_asks(registered):
    assert registered.notify_comments is True
    assert registered.weekly_digest is False


def test_a_new_account_has_written_no_posts(registered):
    assert registered.post_count == 0


def test_a_new_accounts_session_token_carries_256_random_bits(registered):
    """32 random bytes, URL-safe base64 without padding: 43 characters."""
    token = registered.session_token
    assert len(token) == 43
    assert set(token) <= set(string.ascii_letters + string.digits + "-_")


def test_a_new_account_is_dated_now_in_utc(registered):
    assert registered.created_at.tzinfo is UTC
    assert datetime.now(UTC) - registered.created_at < timedelta(minutes=1)
