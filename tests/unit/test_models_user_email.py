"""A user's email address: optional, valid, stored normalised (lower case), unique."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User, normalise_email
from tests.factories import UserFactory

pytestmark = pytest.mark.postgresql


def test_an_address_is_stored_in_lower_case_and_found_in_any_case():
    user = UserFactory(email="Ann.Lee@Example.ORG")
    db.session.expire_all()
    assert db.session.get_one(User, user.id).email == "ann.lee@example.org"
    assert User.by_email("ANN.LEE@example.org") == user
    assert User.by_email("  ann.lee@example.org ") == user


def test_non_ascii_addresses_are_lowered_the_same_way_everywhere():
    user = UserFactory(email="ZOË@Example.org")
    assert user.email == "zoë@example.org"
    assert User.by_email("Zoë@EXAMPLE.org") == user


def test_two_users_cannot_share_an_address_whatever_its_case():
    UserFactory(email="ann@example.org")
    with pytest.raises(IntegrityError):
        UserFactory(email="ANN@example.org")
    db.session.rollback()


def test_many_users_may_have_no_address():
    first, second = UserFactory(email=None), UserFactory(email="")
    assert (first.email, second.email) == (None, None)
    assert User.by_email("") is None


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("no-at-sign", "must have an @-sign"),
        ("ann@", "There must be something after the @-sign"),
        ("ann@localhost", "not valid"),
        ("a" * 250 + "@example.org", "too long"),
    ],
)
def test_an_invalid_address_is_refused_with_the_reason(address, message):
    with pytest.raises(ValueError, match=message):
        normalise_email(address)
    with pytest.raises(ValueError, match=message):
        User(username="ann", email=address)


def test_an_unknown_or_invalid_address_finds_nobody():
    UserFactory(email="ann@example.org")
    assert User.by_email("bob@example.org") is None
    assert User.by_email("not an address") is None
