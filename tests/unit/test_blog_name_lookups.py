"""A tag or user page looks its name up only when a row could hold that name: one at the
maximum length has its page, while one a character longer, or with a NUL (which PostgreSQL
refuses in any query, failing the request), is a 404 without a query."""

from __future__ import annotations

import pytest

from app.models import TAG_MAX, USERNAME_MAX
from tests.factories import PostFactory, TagFactory, UserFactory
from tests.support.database import statements_run
from tests.support.html import get_page, text_of


def test_a_tag_with_the_longest_title_has_its_page(client):
    title = "t" * TAG_MAX
    PostFactory(title="Tagged", tags=[TagFactory(title=title)])
    page = get_page(client, f"/blog/tag/{title}")
    assert "Tagged" in text_of(page, "main")[0]


def test_a_user_with_the_longest_name_has_their_page(client):
    username = "u" * USERNAME_MAX
    PostFactory(title="Theirs", user=UserFactory(username=username))
    page = get_page(client, f"/blog/user/{username}")
    assert "Theirs" in text_of(page, "main")[0]


@pytest.mark.parametrize(
    ("prefix", "table", "name"),
    [
        ("/blog/tag/", "tag", "a%00b"),
        ("/blog/tag/", "tag", "t" * (TAG_MAX + 1)),
        ("/blog/user/", "user", "a%00b"),
        ("/blog/user/", "user", "u" * (USERNAME_MAX + 1)),
    ],
)
def test_a_name_no_row_can_hold_is_a_404_without_looking_it_up(client, prefix, table, name):
    with statements_run() as run:
        get_page(client, prefix + name, status=404)
    assert [s for s in run if f"FROM {table} " in s or f'FROM "{table}" ' in s] == []
