"""A name or an address already taken is refused by the register form itself: before the
password is hashed (slow on purpose) and before any write, not by the database afterwards."""

from __future__ import annotations

import pytest

from app.main.forms import EMAIL_TAKEN, TAKEN
from app.models import User
from tests.factories import UserFactory
from tests.support.database import row_count
from tests.support.hashing import call_before_hashing
from tests.unit.test_register import register


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    done: list[None] = []
    call_before_hashing(monkeypatch, lambda: done.append(None))
    return done


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"username": "Alice"}, TAKEN), ({"email": "alice@example.org"}, EMAIL_TAKEN)],
    ids=["name", "address"],
)
def test_a_taken_name_or_address_costs_no_hash(client, hashes, changes, message):
    UserFactory(username="alice", email="alice@example.org")
    hashes.clear()  # alice's own
    response = register(client, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert hashes == []
    assert row_count(User) == 1
