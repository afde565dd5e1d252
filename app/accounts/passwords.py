"""Passwords: Argon2id hashing with the parameters of the current app's config, and the rules
a new password must follow (its length, not one of the most common)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn.frequency_lists import FREQUENCY_LISTS

PASSWORD_MIN = 8
PASSWORD_MAX = 128
TOO_COMMON = "is too common; choose one that is harder to guess"


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["ARGON2_PARAMS"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the config's."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords of public leaks, all lower case.
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """True for passwords that attackers try first, whatever their letter case."""
    return password.lower() in _common_passwords()


def new_password_problem(password: str) -> str | None:
    """Why ``password`` may not become an account's password (to follow "The password"), or
    None: the register form's rules, for the accounts the command line makes and changes."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return f"must be at least {PASSWORD_MIN} characters and at most {PASSWORD_MAX}"
    if is_common_password(password):
        return TOO_COMMON
    return None
