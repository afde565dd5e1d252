"""An email address (for password resets) given at registration or on the account page:
optional, valid, one account each; the API never shows it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.main.forms import AccountForm, RegisterForm
from app.models import User
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.database import fresh_session, row_count
from tests.support.html import get_page, one
from tests.support.sessions import log_in_session

pytestmark = pytest.mark.postgresql

PASSWORD = "a fine long passphrase"
EMAIL_TAKEN = "That email address is already in use."


def register(client, **changes):
    data = {"username": "newbie", "password": PASSWORD, "confirm": PASSWORD, **changes}
    return client.post("/register", data=data)


def stored_email(username: str) -> str | None:
    with fresh_session() as session:
        return session.scalars(select(User.email).where(User.username == username)).one()


def user_count() -> int:
    return row_count(User)


# --- registration -------------------------------------------------------------------------


def test_register_page_asks_for_an_optional_email_address(client):
    page = get_page(client, "/register")
    field = page.select_one("input#email")
    assert field is not None
    assert "optional" in one(page, "label[for=email]").get_text().lower()


def test_registering_with_an_address_stores_it_normalised(client):
    assert register(client, email="  Newbie@Example.ORG ").status_code == 302
    assert stored_email("newbie") == "newbie@example.org"


def test_registering_without_an_address_stores_none(client):
    assert register(client, email="").status_code == 302
    assert stored_email("newbie") is None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("newbie", "An email address must have an @-sign."),
        ("newbie@", "There must be something after the @-sign."),
        ("new bie@example.org", "invalid character"),
        ("x" * 250 + "@example.org", "too long"),
    ],
)
def test_registering_with_an_invalid_address_is_explained_and_creates_nobody(
    client, email, message
):
    response = register(client, email=email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user_count() == 0


def test_registering_with_an_address_in_use_in_any_case_is_refused(client):
    UserFactory(email="ann@example.org")
    response = register(client, email="ANN@example.org")
    assert response.status_code == 422
    assert EMAIL_TAKEN in response.get_data(as_text=True)
    assert user_count() == 1


def test_losing_a_race_for_an_address_is_a_form_error_on_it_not_a_500(client, monkeypatch):
    UserFactory(email="ann@example.org")
    monkeypatch.setattr(RegisterForm, "validate_email", lambda form, field: None)
    response = register(client, email="ann@example.org")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert EMAIL_TAKEN in page
    assert "That username is already taken." not in page
    assert user_count() == 1


# --- the account page ---------------------------------------------------------------------


def save(client, email, password=DEFAULT_PASSWORD):
    return client.post("/account", data={"email": email, "current_password": password})


def test_account_page_shows_the_address_and_links_to_the_password_change(client):
    log_in_session(client, UserFactory(email="ann@example.org"))
    page = get_page(client, "/account")
    assert one(page, "input#email")["value"] == "ann@example.org"
    assert page.select_one("input#current_password") is not None
    assert page.select('a[href="/change-password"]')
    assert get_page(client, "/change-password").select('a[href="/account"]')


def test_anonymous_visitor_is_sent_to_login_from_the_account_page(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"


def test_the_address_is_changed_with_the_current_password(client):
    user = UserFactory(username="ann", email="old@example.org")
    log_in_session(client, user)
    response = save(client, "New@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert stored_email("ann") == "new@example.org"
    flashes = get_page(client, "/account").select(".alert")
    assert "Your email address has been saved." in flashes[0].get_text()


def test_the_address_can_be_removed(client):
    log_in_session(client, UserFactory(username="ann", email="old@example.org"))
    assert save(client, "").status_code == 302
    assert stored_email("ann") is None


def test_saving_ones_own_address_again_is_fine(client):
    log_in_session(client, UserFactory(username="ann", email="ann@example.org"))
    assert save(client, "ANN@example.org").status_code == 302
    assert stored_email("ann") == "ann@example.org"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("new@example.org", "wrong password", "Your current password is not right."),
        ("new@example.org", "", "This field is required."),
        ("not an address", DEFAULT_PASSWORD, "An email address must have an @-sign."),
        ("bob@example.org", DEFAULT_PASSWORD, EMAIL_TAKEN),
    ],
)
def test_bad_input_on_the_account_page_is_explained_and_changes_nothing(
    client, email, password, message
):
    UserFactory(email="bob@example.org")
    log_in_session(client, UserFactory(username="ann", email="ann@example.org"))
    response = save(client, email, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_email("ann") == "ann@example.org"


def test_losing_a_race_for_an_address_on_the_account_page_is_a_form_error(client, monkeypatch):
    UserFactory(email="bob@example.org")
    log_in_session(client, UserFactory(username="ann", email="ann@example.org"))
    monkeypatch.setattr(AccountForm, "validate_email", lambda form, field: None)
    response = save(client, "bob@example.org")
    assert response.status_code == 422
    assert EMAIL_TAKEN in response.get_data(as_text=True)
    assert stored_email("ann") == "ann@example.org"


# --- the API ------------------------------------------------------------------------------


def test_the_api_never_shows_an_address(client):
    author = UserFactory(username="ann", email="ann.secret@example.org")
    post = PostFactory(user=author)
    CommentFactory(post=post)
    bodies = [
        client.get(url).get_data(as_text=True)
        for url in (
            "/api/post",
            f"/api/post/{post.id}",
            f"/api/post/{post.id}/comments",
            "/api/post?user=ann",
            "/api/openapi.json",
        )
    ]
    for body in bodies:
        json.loads(body)
        assert "ann.secret" not in body
        assert "email" not in body.lower()
