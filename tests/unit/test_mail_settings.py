"""The mail settings page (/account/mail): a logged-in user turns the comment mails and the
weekly digest on and off; linked from their account page."""

from __future__ import annotations

from app.models import User
from app.notifications.preferences import SAVED
from tests.support.database import fresh_session
from tests.support.html import get_page, hrefs, one, parse, text_of
from tests.support.sessions import csrf_token_from


def stored(user: User) -> tuple[bool, bool]:
    with fresh_session() as session:
        row = session.get_one(User, user.id)
        return row.notify_comments, row.weekly_digest


def test_the_page_needs_a_login(client):
    response = client.get("/account/mail")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount%2Fmail"


def test_the_account_page_links_to_it(client, log_in_as):
    log_in_as("default", email="ann@example.org")
    assert "/account/mail" in hrefs(get_page(client, "/account"), "a")


def test_the_page_shows_the_current_choices(client, log_in_as):
    log_in_as("default", email="ann@example.org")
    page = get_page(client, "/account/mail")
    assert one(page, "input#notify_comments").has_attr("checked")
    assert not one(page, "input#weekly_digest").has_attr("checked")
    assert "has no email address" not in page.get_text()


def test_saving_turns_the_digest_on_and_the_comment_mails_off(client, log_in_as):
    user = log_in_as("default", email="ann@example.org")
    response = client.post(
        "/account/mail", data={"weekly_digest": "y", "submit": "Save"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert SAVED in text_of(parse(response.get_data(as_text=True)), ".alert")[0]
    assert stored(user) == (False, True)


def test_a_user_without_an_address_is_told_the_site_mails_them_nothing(client, log_in_as):
    log_in_as("default")
    page = get_page(client, "/account/mail")
    assert "Your account has no email address, so the site mails you nothing" in page.get_text(
        " ", strip=True
    )


def test_saving_needs_the_forms_csrf_token(client, log_in_as, csrf_on):
    user = log_in_as("default", email="ann@example.org")
    refused = client.post("/account/mail", data={"weekly_digest": "y"})
    assert refused.status_code == 400
    assert stored(user) == (True, False)
    token = csrf_token_from(client.get("/account/mail").get_data(as_text=True))
    client.post("/account/mail", data={"weekly_digest": "y", "csrf_token": token})
    assert stored(user) == (False, True)
