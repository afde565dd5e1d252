"""``next`` after login is followed only when it is a path on this site."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from app.accounts.next_url import is_safe_next
from tests.factories import UserFactory
from tests.support.sessions import submit_login

SAFE = ["/blog/", "/blog/new", "/blog/edit/3?x=1", "/blog/tag/Caf%C3%A9", "/change-password"]
UNSAFE = [
    "",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "http://evil.example",
    "https://evil.example/blog/",
    "HTTP://evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/search%20results",
    "/x%00y",
    "%2F%5Cevil.example",
    "/%252F%252Fevil.example",
    "blog/",
    "evil.example",
    "/\u3002evil.example",
]


def test_a_path_may_use_every_printable_character_but_backslash_and_space():
    every = "".join(chr(code) for code in range(33, 127) if chr(code) not in "/\\")
    assert is_safe_next("/" + every)


@pytest.mark.parametrize("target", SAFE)
def test_local_paths_are_safe(target):
    assert is_safe_next(target) is True


@pytest.mark.parametrize("target", UNSAFE)
def test_other_sites_schemes_and_encoded_tricks_are_unsafe(target):
    assert is_safe_next(target) is False


def test_none_is_unsafe():
    assert is_safe_next(None) is False


def test_login_follows_a_safe_next(client):
    UserFactory(username="alice")
    response = submit_login(client, "alice", query="?next=" + quote("/blog/new", safe=""))
    assert response.headers["Location"] == "/blog/new"


@pytest.mark.parametrize("target", UNSAFE)
def test_login_ignores_an_unsafe_next_and_goes_to_the_blog(client, target):
    UserFactory(username="alice")
    response = submit_login(client, "alice", query="?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
