"""No page carries code the Content-Security-Policy would block: no inline ``<script>`` or
``<style>``, no ``style=`` attribute, no ``on*=`` handler and no ``javascript:`` URL. The
browser would silently drop them, so the page would look or work differently than it was
written to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from app.accounts.password_reset import make_token
from app.models import Post
from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory, UserFactory
from tests.support.html import get_page, parse
from tests.support.sessions import log_in_session, submit_login

URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


def assert_no_inline_code(page: BeautifulSoup) -> None:
    for script in page.find_all("script"):
        assert script.get("src"), f"inline script: {script}"
        assert not script.get_text(strip=True), f"script with a body: {script}"
    assert page.find_all("style") == [], "inline <style> element"
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert name.lower() != "style", f"style attribute: {element}"
            assert not name.lower().startswith("on"), f"event handler: {element}"
            if name.lower() in URL_ATTRIBUTES:
                assert not str(value).strip().lower().startswith("javascript:"), element


def _a_post() -> Post:
    post = PostFactory(
        title="Styled?", text="Some *Markdown* and a [link](https://example.org).",
        tags=[TagFactory(title="Flask")], user=PosterFactory(username="writer"),
    )  # fmt: skip
    CommentFactory(post=post, name="Dora", text="Nice")
    return post


def _page_of_a_post(url: str, as_author: bool = False) -> Callable[[FlaskClient], BeautifulSoup]:
    """The page at ``url`` (formatted with the post's ``id``) with a post and a comment on
    the site, seen by a visitor or by the post's author."""

    def page(client: FlaskClient) -> BeautifulSoup:
        post = _a_post()
        if as_author:
            log_in_session(client, post.user)
        return get_page(client, url.format(id=post.id))

    return page


def _wrong_password(client: FlaskClient) -> BeautifulSoup:
    UserFactory(username="alice")
    response = submit_login(client, "alice", "wrong guess")
    assert response.status_code == 422
    return parse(response.get_data(as_text=True))


def _throttled(client: FlaskClient) -> BeautifulSoup:
    UserFactory(username="alice")
    for _ in range(5):
        submit_login(client, "alice", "wrong guess")
    response = submit_login(client, "alice", "wrong guess")
    assert response.status_code == 429
    return parse(response.get_data(as_text=True))


def _commented(client: FlaskClient) -> BeautifulSoup:
    """The post page with its flash message (a dismissible alert with a close button)."""
    post = _a_post()
    response = client.post(
        f"/blog/post/{post.id}", data={"name": "Eve", "text": "hi"}, follow_redirects=True
    )
    page = parse(response.get_data(as_text=True))
    assert page.select(".alert-dismissible button.btn-close")
    return page


def _invalid_registration(client: FlaskClient) -> BeautifulSoup:
    response = client.post("/register", data={"username": "", "password": "x", "confirm": "y"})
    assert response.status_code == 422
    return parse(response.get_data(as_text=True))


def _forbidden_editor(client: FlaskClient) -> BeautifulSoup:
    log_in_session(client, UserFactory(username="reader"))
    return get_page(client, "/blog/new", status=403)


def _reset_form(client: FlaskClient) -> BeautifulSoup:
    token = make_token(UserFactory(email="ann@example.org"))
    return get_page(client, f"/reset-password/{token}")


PAGES: dict[str, Callable[[FlaskClient], BeautifulSoup]] = {
    "home": _page_of_a_post("/blog/"),
    "home as an author": _page_of_a_post("/blog/", as_author=True),
    "post with comments": _page_of_a_post("/blog/post/{id}"),
    "post as its author": _page_of_a_post("/blog/post/{id}", as_author=True),
    "post with a flash message": _commented,
    "tag": _page_of_a_post("/blog/tag/Flask"),
    "author": _page_of_a_post("/blog/user/writer"),
    "new post editor": _page_of_a_post("/blog/new", as_author=True),
    "post editor": _page_of_a_post("/blog/edit/{id}", as_author=True),
    "change password": _page_of_a_post("/change-password", as_author=True),
    "account": _page_of_a_post("/account", as_author=True),
    "forgot password": lambda client: get_page(client, "/forgot-password"),
    "reset password": _reset_form,
    "reset link not valid": lambda client: get_page(client, "/reset-password/x", status=400),
    "login": lambda client: get_page(client, "/login"),
    "login with an error": _wrong_password,
    "login throttled": _throttled,
    "register": lambda client: get_page(client, "/register"),
    "register with field errors": _invalid_registration,
    "not found": lambda client: get_page(client, "/no/such/page", status=404),
    "forbidden": _forbidden_editor,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_inline_script_style_or_handler(client, name):
    assert_no_inline_code(PAGES[name](client))
