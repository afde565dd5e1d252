"""Role: three named roles, unique names."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Role
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.postgresql


def test_role_names_are_unique():
    db.session.add(Role(name="poster"))
    db.session.commit()
    db.session.add(Role(name="poster"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_role_lists_its_users():
    role = RoleFactory(name="admin")
    user = UserFactory(roles=[role])
    assert role.users == [user]
    assert repr(role) == "<Role admin>"
