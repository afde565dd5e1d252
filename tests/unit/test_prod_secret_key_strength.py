"""ProdConfig starts only with a strong SECRET_KEY: at least 32 characters, at least 8 of them
different; one less of either stops it with one line saying how to make one."""

from __future__ import annotations

import string

import pytest

from app import create_app
from app.config import ConfigError

REFUSED = "ProdConfig needs a strong SECRET_KEY"


def key(length: int, different: int) -> str:
    """A key of ``length`` characters, ``different`` of them distinct."""
    alphabet = string.ascii_letters[:different]
    return (alphabet * length)[:length]


@pytest.mark.parametrize(("length", "different"), [(32, 8), (32, 32), (64, 8)])
def test_prod_starts_with_32_characters_of_which_8_differ(length, different):
    secret = key(length, different)
    assert create_app("prod", environ={"SECRET_KEY": secret}).config["SECRET_KEY"] == secret


@pytest.mark.parametrize(("length", "different"), [(31, 8), (31, 31), (32, 7), (64, 7)])
def test_prod_refuses_a_key_one_character_short_or_with_one_different_character_less(
    length, different
):
    with pytest.raises(ConfigError, match=f"^{REFUSED} .*secrets.token_urlsafe"):
        create_app("prod", environ={"SECRET_KEY": key(length, different)})
