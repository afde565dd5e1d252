"""create_user, the one way accounts are made (register form, ``flask users``, seed): names
and passwords at their exact limits, as a caller sees them and as the database keeps them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.users import BadValue, create_user
from app.extensions import db
from app.models import User
from tests.support.database import fresh_session

pytestmark = pytest.mark.postgresql

PASSWORD = "a fine long passphrase"


def stored_names() -> list[str]:
    with fresh_session() as session:
        return list(session.scalars(select(User.username).order_by(User.username)))


@pytest.mark.parametrize("username", ["a", "n" * 64])
def test_names_of_1_and_of_64_characters_are_taken(username):
    create_user(username, PASSWORD)
    db.session.commit()
    assert stored_names() == [username]


@pytest.mark.parametrize("username", ["", "n" * 65])
def test_an_empty_name_or_one_of_65_characters_is_refused_naming_the_limits(username):
    with pytest.raises(BadValue) as refused:
        create_user(username, PASSWORD)
    assert (refused.value.field, str(refused.value)) == (
        "username",
        "The username must be 1 to 64 characters",
    )
    assert stored_names() == []


@pytest.mark.parametrize("password", ["8 chars!", "p" * 127 + "!"])
def test_passwords_of_8_and_of_128_characters_are_taken(password):
    user = create_user("pat", password)
    db.session.commit()
    assert user.check_password(password)
    assert stored_names() == ["pat"]


@pytest.mark.parametrize("password", ["7 chars", "p" * 128 + "!"])
def test_passwords_of_7_or_of_129_characters_are_refused_naming_the_limits(password):
    with pytest.raises(BadValue) as refused:
        create_user("pat", password)
    assert str(refused.value) == "The password must be at least 8 characters and at most 128"
    assert stored_names() == []
