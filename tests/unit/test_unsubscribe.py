"""Unsubscribing by a mail's link: no login; a page with a button (following the link
changes nothing), or RFC 8058's one-click POST without the site's CSRF token; a link that
is not one of the site's is a 400 page."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

from app.models import User
from app.notifications.unsubscribe import NOT_VALID, make_token
from tests.factories import UserFactory
from tests.support.database import fresh_session
from tests.support.html import get_page, one
from tests.support.sessions import csrf_token_from

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def ann():
    return UserFactory(username="ann", email="ann@example.org", weekly_digest=True)


def stored(user: User) -> tuple[bool, bool]:
    with fresh_session() as session:
        row = session.get_one(User, user.id)
        return row.notify_comments, row.weekly_digest


def test_following_the_link_shows_a_button_and_changes_nothing(client, ann):
    page = get_page(client, f"/unsubscribe/{make_token(ann, 'digest')}")
    assert "Stop the weekly digest?" in page.get_text(" ", strip=True)
    assert one(page, "button#submit").get_text() == "Unsubscribe"
    assert stored(ann) == (True, True)


@pytest.mark.parametrize(
    ("list_name", "left"), [("digest", (True, False)), ("comments", (False, True))]
)
def test_the_button_turns_that_list_off(client, ann, csrf_on, list_name, left):
    url = f"/unsubscribe/{make_token(ann, list_name)}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "submit": "Unsubscribe"})
    assert response.status_code == 200
    assert "You will get no more of" in response.get_data(as_text=True)
    assert stored(ann) == left


def test_a_mail_clients_one_click_post_needs_no_csrf_token(client, ann, csrf_on):
    response = client.post(f"/unsubscribe/{make_token(ann, 'digest')}", data=ONE_CLICK)
    assert response.status_code == 200
    assert stored(ann) == (True, False)


def test_any_other_post_without_the_csrf_token_is_refused(client, ann, csrf_on):
    url = f"/unsubscribe/{make_token(ann, 'digest')}"
    response = client.post(url, data={"submit": "Unsubscribe"})
    assert response.status_code == 400
    assert stored(ann) == (True, True)


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJ1aWQiOjEsImxpc3QiOiJkaWdlc3QifQ.forged", "cut"],
)
def test_a_link_that_is_not_the_sites_is_a_400_page(client, ann, token):
    page = get_page(client, f"/unsubscribe/{token}", status=400)
    assert NOT_VALID in page.get_text(" ", strip=True)


def test_a_link_for_an_unknown_list_or_a_deleted_account_is_a_400_page(app, client, ann):
    signer = URLSafeSerializer(app.config["SECRET_KEY"], salt="unsubscribe")
    for payload in ({"uid": ann.id, "list": "spam"}, {"uid": ann.id + 1, "list": "digest"}, [1]):
        page = get_page(client, f"/unsubscribe/{signer.dumps(payload)}", status=400)
        assert NOT_VALID in page.get_text(" ", strip=True)


def test_a_token_signed_for_another_purpose_is_refused(app, client, ann):
    other = URLSafeSerializer(app.config["SECRET_KEY"], salt="password-reset")
    token = other.dumps({"uid": ann.id, "list": "digest"})
    assert client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 400
    assert stored(ann) == (True, True)
