"""Role: three named roles, unique names."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Role, ensure_roles
from tests.factories import RoleFactory, UserFactory
from tests.support.database import fresh_session

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


def test_ensure_roles_saves_the_missing_roles_with_their_descriptions():
    RoleFactory(name="poster", description="kept as it is")
    roles = ensure_roles()
    db.session.commit()
    assert sorted(roles) == ["admin", "default", "poster"]
    with fresh_session() as session:
        assert session.execute(select(Role.name, Role.description).order_by(Role.name)).all() == [
            ("admin", "May edit and delete any post"),
            ("default", "May comment"),
            ("poster", "kept as it is"),
        ]
    assert ensure_roles() == roles
