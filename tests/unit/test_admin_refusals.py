"""What each section of the admin site refuses, whatever an admin sends: no new users (they
register), no deleted users (their posts would go past the tag counts), no new posts (the
editor writes them), comments only listed and deleted, no details page, no export. A
refused request goes back to the list and changes no row, and the lists offer no link to it."""

from __future__ import annotations

import pytest

from tests.factories import AdminFactory, CommentFactory, TagFactory
from tests.support.database import database_rows
from tests.support.html import get_page, one
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql


@pytest.fixture
def comment(client):
    log_in_session(client, AdminFactory(username="boss"))
    return CommentFactory(name="Dora", text="Hello")


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/users/new/", {"username": "made"}),
        ("/admin/users/delete/", {"id": "{user}"}),
        ("/admin/posts/new/", {"title": "Made", "text": "Here"}),
        ("/admin/comments/new/", {"name": "Made", "text": "Here"}),
        ("/admin/comments/edit/?id={comment}", {"name": "Changed", "text": "Changed"}),
    ],
)
def test_a_refused_write_goes_back_to_the_list_and_changes_no_row(client, comment, url, data):
    ids = {"user": comment.post.user.id, "comment": comment.id}
    section = "/".join(url.split("/")[:3]) + "/"
    before = database_rows()
    response = client.post(url.format(**ids), data={k: v.format(**ids) for k, v in data.items()})
    assert (response.status_code, response.headers["Location"]) == (302, section)
    assert database_rows() == before
    if "delete" not in url:
        form_page = client.get(url.format(**ids))
        assert (form_page.status_code, form_page.headers["Location"]) == (302, section)


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("/admin/users/", ["/admin/users/new/", "/admin/users/delete/"]),
        ("/admin/posts/", ["/admin/posts/new/"]),
        ("/admin/comments/", ["/admin/comments/new/", "/admin/comments/edit/"]),
    ],
)
def test_the_lists_offer_no_refused_action(client, comment, url, refused):
    page = get_page(client, url)
    for action in refused:
        assert page.select(f"a[href^='{action}'], form[action^='{action}']") == []


def test_the_posts_text_box_is_twelve_rows_tall(client, comment):
    page = get_page(client, f"/admin/posts/edit/?id={comment.post.id}")
    assert one(page, "textarea#text")["rows"] == "12"


@pytest.mark.parametrize("section", ["users", "posts", "comments", "tags"])
def test_no_section_has_a_details_page_or_an_export(client, comment, section):
    """Each list shows all there is to see; an export would need a page of its own (and
    would write out every row)."""
    ids = {"users": comment.post.user.id, "posts": comment.post.id, "comments": comment.id}
    ids["tags"] = TagFactory().id
    for url in (
        f"/admin/{section}/details/?id={ids[section]}",
        f"/admin/{section}/export/csv/",
    ):
        response = client.get(url)
        assert (response.status_code, response.headers["Location"]) == (302, f"/admin/{section}/")
    page = get_page(client, f"/admin/{section}/")
    assert page.select(f"a[href*='/admin/{section}/details/'], a[href*='/export/']") == []
