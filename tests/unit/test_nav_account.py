"""The navbar's new-post and change-password links, and the post page's edit and delete
controls: each offered only to those allowed to use it."""

from __future__ import annotations

import pytest

from tests.factories import AdminFactory, PosterFactory, PostFactory, UserFactory
from tests.support.html import get_page, hrefs
from tests.support.sessions import log_in_session


def test_a_logged_in_users_name_links_to_change_password(client, log_in_as):
    log_in_as("default", username="alice")
    page = get_page(client, "/blog/")
    assert hrefs(page, "nav.navbar .nav-account a.username") == ["/change-password"]


@pytest.mark.parametrize(
    ("factory", "offered"),
    [(None, False), (UserFactory, False), (PosterFactory, True), (AdminFactory, True)],
)
def test_new_post_link_is_offered_to_those_who_may_write(client, factory, offered):
    if factory:
        log_in_session(client, factory())
    assert ("/blog/new" in hrefs(get_page(client, "/blog/"), "nav.navbar a")) is offered


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("anonymous", False),
        ("reader", False),
        ("other poster", False),
        ("author", True),
        ("admin", True),
    ],
)
def test_edit_and_delete_are_offered_on_the_post_page_to_those_who_may(client, who, offered):
    post = PostFactory()
    users = {"reader": UserFactory, "other poster": PosterFactory, "admin": AdminFactory}
    if who == "author":
        log_in_session(client, post.user)
    elif who != "anonymous":
        log_in_session(client, users[who]())
    page = get_page(client, f"/blog/post/{post.id}")
    edit = page.select(f'a#edit[href="/blog/edit/{post.id}"]')
    delete = page.select(f'form[method=post][action="/blog/delete/{post.id}"] button#delete')
    assert (bool(edit), bool(delete)) == (offered, offered)
