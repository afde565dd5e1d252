"""The settings whose defaults the README states have those values, and the README still
states them; the test apps hash passwords with argon2's cheapest profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import extract_parameters

from app import create_app
from app.accounts.passwords import hash_password

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

DOCUMENTED = [
    ("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, "`MAX_CONTENT_LENGTH` (2 MiB)"),
    ("MAX_FORM_MEMORY_SIZE", 512 * 1024, "`MAX_FORM_MEMORY_SIZE` (512 KiB)"),
    ("PASSWORD_RESET_MAX_AGE", 30 * 60, "for 30 minutes (`PASSWORD_RESET_MAX_AGE`, seconds)"),
    ("MAIL_RETRIES", 5, "| `BLOG_MAIL_RETRIES`, `BLOG_MAIL_RETRY_DELAY` | 5, 30 |"),
    ("MAIL_RETRY_DELAY", 30, "| `BLOG_MAIL_RETRIES`, `BLOG_MAIL_RETRY_DELAY` | 5, 30 |"),
    ("CACHE_DEFAULT_TIMEOUT", 300, "`CACHE_DEFAULT_TIMEOUT` (300 s)"),
    ("COMPRESS_MIN_SIZE", 500, "at least 500 bytes (`COMPRESS_MIN_SIZE`)"),
]


@pytest.mark.parametrize(("setting", "value", "said"), DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_a_default_the_readme_states_is_the_apps(setting, value, said):
    assert said in README
    assert create_app("dev", environ={}).config[setting] == value


def test_the_test_apps_hash_with_argon2s_cheapest_profile():
    """t=1, m=8 KiB, p=1, the least argon2 takes: hashing is the slowest thing in the suite."""
    for name in ("test", "ui-test"):
        with create_app(name, environ={}).app_context():
            params = extract_parameters(hash_password("a long enough phrase"))
        assert (params.time_cost, params.memory_cost, params.parallelism) == (1, 8, 1)
