"""Flask-Login's user loader: sessions name a user by their current session token."""

from __future__ import annotations

from app.accounts.login import load_user
from tests.factories import UserFactory


def test_session_token_loads_its_user():
    user = UserFactory()
    assert load_user(user.get_id()) is user


def test_rotated_or_unknown_token_loads_nobody():
    user = UserFactory()
    old = user.get_id()
    user.rotate_session_token()
    assert load_user(old) is None
    assert load_user("no-such-token") is None
