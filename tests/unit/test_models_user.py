"""User: unique names ignoring case, hashed passwords, roles, the rotating session token."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from app.extensions import db
from app.models import User
from tests.factories import AdminFactory, PosterFactory, UserFactory

pytestmark = pytest.mark.postgresql


def test_user_keeps_a_hash_never_the_password():
    user = UserFactory(password="open sesame 123")
    assert "open sesame" not in user.password_hash
    assert user.check_password("open sesame 123") is True
    assert user.check_password("open sesame 124") is False


def test_set_password_replaces_the_hash():
    user = UserFactory(password="first password")
    user.set_password("second password")
    assert user.check_password("second password") is True
    assert user.check_password("first password") is False


def test_usernames_are_unique_ignoring_case_in_the_database():
    UserFactory(username="Alice")
    with pytest.raises(IntegrityError):
        UserFactory(username="aLICE")
    db.session.rollback()
    assert db.session.scalars(select(User.username)).all() == ["Alice"]


@pytest.mark.parametrize("username", ["", "x" * 65])
def test_username_length_is_checked_by_the_database(username):
    with pytest.raises((IntegrityError, DataError)):
        UserFactory(username=username)


def test_by_username_ignores_case():
    user = UserFactory(username="Bob")
    assert User.by_username("bOB") == user
    assert User.by_username("bobby") is None


def test_roles_are_checked_by_name():
    assert UserFactory().has_role("default") is True
    assert PosterFactory().has_role("admin", "poster") is True
    assert AdminFactory().has_role("poster") is False


def test_session_token_identifies_the_user_and_rotates():
    user = UserFactory()
    first = user.get_id()
    user.rotate_session_token()
    assert user.get_id() != first
    assert len(user.get_id()) >= 32


def test_created_at_is_aware_utc_after_a_round_trip():
    user = UserFactory()
    db.session.expire(user)
    assert user.created_at.tzinfo is UTC


def test_password_needs_rehash_when_parameters_change(app):
    user = UserFactory()
    assert user.password_needs_rehash() is False
    app.config["ARGON2_PARAMS"] = {**app.config["ARGON2_PARAMS"], "time_cost": 2}
    try:
        assert user.password_needs_rehash() is True
    finally:
        app.config["ARGON2_PARAMS"] = {**app.config["ARGON2_PARAMS"], "time_cost": 1}


def test_repr_names_the_user():
    assert repr(UserFactory(username="carol")) == "<User carol>"
