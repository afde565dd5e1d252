"""Password hashing with a test's hook: ``before()`` runs before each hash or check of a
password, the slow moment of a login, a registration or a password change, during which
other requests' writes must go on (app.database's reads_before_locking)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import app.accounts.passwords


def call_before_hashing(monkeypatch: pytest.MonkeyPatch, before: Callable[[], None]) -> None:
    real_hasher = app.accounts.passwords._hasher

    class HookedHasher:
        def __init__(self) -> None:
            self.real = real_hasher()

        def hash(self, password: str) -> str:
            before()
            return self.real.hash(password)

        def verify(self, password_hash: str, password: str) -> bool:
            before()
            return self.real.verify(password_hash, password)

        def check_needs_rehash(self, password_hash: str) -> bool:
            return self.real.check_needs_rehash(password_hash)

    monkeypatch.setattr(app.accounts.passwords, "_hasher", HookedHasher)
