"""What the admin pages show: the site's layout, no secret of a user, every user-supplied
value escaped, and nothing the Content-Security-Policy would block."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.extensions import db
from tests.factories import AdminFactory, CommentFactory, PostFactory, TagFactory, UserFactory
from tests.support.html import get_page, one, text_of
from tests.support.sessions import log_in_session
from tests.unit.test_pages_csp import assert_no_inline_code

PAYLOAD = "<script>alert('xss')</script>"
PAGES = [
    "/admin/",
    "/admin/users/",
    "/admin/users/edit/?id={user}",
    "/admin/posts/",
    "/admin/posts/edit/?id={post}",
    "/admin/comments/",
    "/admin/tags/",
    "/admin/tags/new/",
    "/admin/tags/edit/?id={tag}",
    "/admin/users/?search=a",
]


@pytest.fixture
def site(client):
    """An admin logged in, and a user, post, tag and comment made of the payload."""
    log_in_session(client, AdminFactory(username="boss"))
    user = UserFactory(username=PAYLOAD)
    tag = TagFactory(title=PAYLOAD)
    post = PostFactory(title=PAYLOAD, user=user, tags=[tag])
    CommentFactory(post=post, name=PAYLOAD, text=PAYLOAD)
    return {"user": user.id, "post": post.id, "tag": tag.id, "secrets": user}


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_are_in_the_site_layout_with_no_inline_code(client, site, url):
    page = get_page(client, url.format(**site))
    assert_no_inline_code(page)
    assert text_of(page, ".navbar-brand") == ["Mastering Flask Blog"]
    assert text_of(page, ".navbar .username") == ["boss"]
    stylesheets = [str(link["href"]) for link in page.select("link[rel=stylesheet]")]
    assert any("/static/css/blog.css" in href for href in stylesheets)
    assert all(href.startswith("/") for href in stylesheets)
    assert all(str(script["src"]).startswith("/") for script in page.select("script"))


@pytest.mark.parametrize("url", PAGES)
def test_no_admin_page_shows_a_password_hash_or_session_token(client, site, url):
    user = site["secrets"]
    html = client.get(url.format(**site)).get_data(as_text=True)
    assert user.password_hash not in html
    assert user.session_token not in html
    assert "password_hash" not in html
    assert "session_token" not in html


@pytest.mark.parametrize(
    ("url", "cells"),
    [
        ("/admin/users/", "td.col-username"),
        ("/admin/posts/", "td.col-title"),
        ("/admin/posts/", "td.col-user"),
        ("/admin/posts/", "td.col-tags"),
        ("/admin/comments/", "td.col-name"),
        ("/admin/comments/", "td.col-text"),
        ("/admin/comments/", "td.col-post"),
        ("/admin/tags/", "td.col-title"),
    ],
)
def test_user_supplied_values_show_as_text_in_the_lists(client, site, url, cells):
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert PAYLOAD not in html
    assert "&lt;script&gt;" in html
    assert PAYLOAD in text_of(get_page(client, url), cells)


def test_the_comments_list_links_each_comment_to_its_post(client, site):
    page = get_page(client, "/admin/comments/")
    assert [a["href"] for a in page.select("td.col-post a")] == [
        f"/blog/post/{site['post']}#comments"
    ]


def test_the_users_list_shows_names_roles_and_counts(client):
    log_in_session(client, AdminFactory(username="boss"))
    PostFactory(user__username="writer")
    page = get_page(client, "/admin/users/")
    assert text_of(page, "td.col-username") == ["boss", "writer"]
    assert text_of(page, "td.col-roles") == ["admin", "poster"]
    assert text_of(page, "td.col-post_count") == ["0", "1"]
    assert page.select("a[href^='/admin/users/new/']") == []


def test_a_long_list_has_a_pager_with_plain_links(client):
    log_in_session(client, AdminFactory())
    TagFactory.create_batch(25)
    first = get_page(client, "/admin/tags/")
    assert text_of(first, ".pagination .page-item") == ["Page 1 of 2", "Next »"]
    second = get_page(client, str(one(first, ".pagination a")["href"]))
    assert text_of(second, ".pagination .page-item") == ["« Previous", "Page 2 of 2"]
    assert len(second.select("td.col-title")) == 5


def test_search_finds_rows_by_their_text(client):
    log_in_session(client, AdminFactory())
    TagFactory(title="flask")
    TagFactory(title="django")
    page = get_page(client, "/admin/tags/?search=fla")
    assert text_of(page, "td.col-title") == ["flask"]
    assert one(page, "input[name=search]")["value"] == "fla"


def test_an_unknown_or_impossible_id_is_a_message_not_an_error(client):
    log_in_session(client, AdminFactory())
    for bad in ("999", "abc", "0", str(2**31), "1e3"):
        response = client.get("/admin/tags/edit/", query_string={"id": bad})
        assert response.status_code == 302
        assert "does not exist" in client.get("/admin/tags/").get_data(as_text=True)
    db.session.expire_all()


def test_dates_show_to_the_minute_in_utc(client):
    log_in_session(client, AdminFactory())
    CommentFactory(date=datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC))
    page = get_page(client, "/admin/comments/")
    assert text_of(page, "td.col-date") == ["2026-03-04 05:06 UTC"]


def test_the_admin_home_lists_the_sections(client):
    log_in_session(client, AdminFactory())
    page = get_page(client, "/admin/")
    assert text_of(page, "main ul:not(.nav) a") == ["Users", "Posts", "Comments", "Tags"]
    assert text_of(page, ".admin-site .nav-link.active") == ["Admin"]
