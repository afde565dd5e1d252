"""Argon2id password hashing."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from hypothesis import given
from hypothesis import strategies as st

from app import create_app
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.config import CHEAP_ARGON2, STRONG_ARGON2


def test_hash_is_argon2id_with_the_configured_parameters(app):
    hashed = hash_password("s3cret-password")
    params = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        CHEAP_ARGON2["time_cost"],
        CHEAP_ARGON2["memory_cost"],
        CHEAP_ARGON2["parallelism"],
    )


def test_prod_config_hashes_with_the_strong_profile():
    app = create_app("prod", environ={"SECRET_KEY": "k3J9x-Vb2Qw8Lm4Zp7Rt1Yc6Nd0Hf5Gs9Ua2Ei8Oo"})
    with app.app_context():
        params = extract_parameters(hash_password("s3cret-password"))
    assert params.time_cost == STRONG_ARGON2["time_cost"] == 3
    assert params.memory_cost == STRONG_ARGON2["memory_cost"] == 65536
    assert params.parallelism == STRONG_ARGON2["parallelism"] == 4


def test_wrong_password_and_garbage_hash_do_not_verify(app):
    hashed = hash_password("right password")
    assert verify_password(hashed, "wrong password") is False
    assert verify_password("not-a-hash", "right password") is False


def test_hash_made_with_other_parameters_needs_rehash(app):
    old = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash("pw-pw-pw-pw")
    assert needs_rehash(old) is True
    assert needs_rehash(hash_password("pw-pw-pw-pw")) is False


@given(password=st.text(min_size=1, max_size=128))
def test_any_password_round_trips(app, password):
    hashed = hash_password(password)
    assert verify_password(hashed, password) is True
    assert verify_password(hashed, password + "x") is False
