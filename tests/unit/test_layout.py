"""The site's layout around every page: navbar, account links, flash messages, local assets."""

from __future__ import annotations

import pytest

from tests.factories import PostFactory, RoleFactory, UserFactory
from tests.support.html import get_page, hrefs, one, text_of
from tests.support.sessions import log_in_session

PAGES = ["/blog/", "/login", "/no/such/page"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitor_sees_log_in_and_register_links(client, url):
    page = get_page(client, url, status=404 if "no/such" in url else 200)
    assert text_of(page, "nav.navbar .nav-account a") == ["Log in", "Register"]
    assert hrefs(page, "nav.navbar .nav-account a") == ["/login", "/register"]
    assert page.select("#logout") == []


@pytest.mark.parametrize("url", PAGES[:1] + PAGES[2:])
def test_logged_in_user_sees_their_name_and_a_log_out_button(client, url, log_in_as):
    log_in_as("default", username="dora")
    page = get_page(client, url, status=404 if "no/such" in url else 200)
    account = one(page, "nav.navbar .nav-account")
    assert "dora" in text_of(account, ".username")
    form = one(account, "form")
    assert (form["method"], form["action"]) == ("post", "/logout")
    assert text_of(form, "button#logout[type=submit]") == ["Log out"]
    assert account.select("a[href='/login']") == []


def test_log_out_button_carries_the_csrf_token(app, client, monkeypatch, log_in_as):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    log_in_as("default")
    page = get_page(client, "/blog/")
    [token] = page.select("nav.navbar .nav-account form input[name=csrf_token]")
    assert token["value"]


def test_navbar_links_to_the_blog(client):
    page = get_page(client, "/blog/")
    assert hrefs(page, "nav.navbar a.navbar-brand") == ["/blog/"]


def test_bootstrap_is_served_by_the_app_not_a_cdn(client):
    page = get_page(client, "/blog/")
    sources = hrefs(page, "link[rel=stylesheet]") + [
        str(s["src"]) for s in page.select("script[src]")
    ]
    assert sources, "the layout loads its styles and scripts"
    for source in sources:
        assert source.startswith("/static/") or source.startswith("/bootstrap/"), source
        response = client.get(source)
        assert response.status_code == 200, source
        response.close()


FORM_PAGES = [
    ("/login", None, ["Log in"]),
    ("/register", None, ["Register"]),
    ("/change-password", "default", ["Change password"]),
    ("/blog/new", "poster", ["Save", "Preview"]),
    ("/blog/post/{post}", None, ["Post comment"]),
]


@pytest.mark.parametrize(("url", "role", "buttons"), FORM_PAGES)
def test_every_form_is_rendered_the_same_way(client, csrf_on, url, role, buttons):
    """One macro: a POST form that leaves checks to the server (the same message in every
    browser), the CSRF token, and its buttons as <button>s, the first one #submit."""
    post = PostFactory()
    if role:
        log_in_session(client, UserFactory(roles=[RoleFactory(name=role)]))
    page = get_page(client, url.format(post=post.id))
    form = page.select_one("main form[novalidate]")
    assert form is not None
    assert form["method"] == "post"
    assert form.select("input[type=hidden][name=csrf_token]")
    assert text_of(form, "button[type=submit]") == buttons
    assert form.select("button[type=submit]")[0]["id"] == "submit"
    assert form.select("input[type=submit]") == []
