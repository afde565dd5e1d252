"""Creating an account: unique names ignoring case, decent passwords, role default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.main.forms import RegisterForm
from app.models import User
from tests.factories import UserFactory
from tests.support.database import fresh_session, row_count
from tests.support.html import form_controls, get_page, text_of
from tests.support.sessions import session_data, submit_login

pytestmark = pytest.mark.postgresql

GOOD = {
    "username": "newbie",
    "password": "a fine long passphrase",
    "confirm": "a fine long passphrase",
}


def register(client, **changes):
    return client.post("/register", data={**GOOD, **changes})


def test_register_page_shows_the_form_fields(client):
    assert form_controls(get_page(client, "/register")) == {
        "username": "Username",
        "email": "Email address (optional, to reset a forgotten password)",
        "password": "Password",
        "confirm": "Repeat the password",
        "submit": "Register",
    }


def test_registering_creates_a_default_user_and_sends_to_login(client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    with fresh_session() as session:
        user = session.scalars(select(User).where(User.username == "newbie")).one()
        assert [role.name for role in user.roles] == ["default"]
        assert user.check_password("a fine long passphrase")


def test_registered_user_can_log_in_and_is_shown_logged_in(client):
    assert register(client).headers["Location"] == "/login"
    response = submit_login(client, "newbie", "a fine long passphrase")
    assert (response.status_code, response.headers["Location"]) == (302, "/blog/")
    with fresh_session() as session:
        user = session.scalars(select(User).where(User.username == "newbie")).one()
    assert session_data(client)["_user_id"] == user.session_token
    page = get_page(client, "/blog/")
    assert text_of(page, "nav.navbar .nav-account a.username") == ["newbie"]


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice"])
def test_a_name_taken_ignoring_case_is_refused(client, taken):
    UserFactory(username="alice")
    response = register(client, username=taken)
    assert response.status_code == 422
    assert "That username is already taken." in response.get_data(as_text=True)
    assert row_count(User) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "x" * 65}, "Field must be between 1 and 64 characters long."),
        ({"username": "with space"}, "Use only letters, digits, dots, dashes and underscores."),
        ({"username": "sl/ash"}, "Use only letters, digits, dots, dashes and underscores."),
        ({"username": "\u00e9mile"}, "Use only letters, digits, dots, dashes and underscores."),
        # Never looked up: PostgreSQL refuses a NUL in a query outright.
        ({"username": "nul\x00name"}, "Use only letters, digits, dots, dashes and underscores."),
        ({"password": "short7!", "confirm": "short7!"}, "between 8 and 128 characters"),
        ({"password": "p" * 129, "confirm": "p" * 129}, "between 8 and 128 characters"),
        ({"confirm": "something else"}, "The passwords do not match."),
        ({"password": "password1", "confirm": "password1"}, "too common"),
        ({"password": "IloveYou", "confirm": "IloveYou"}, "too common"),
    ],
)
def test_bad_input_is_explained_and_creates_nobody(client, changes, message):
    response = register(client, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert row_count(User) == 0


def test_username_of_exactly_64_characters_is_accepted(client):
    assert register(client, username="x" * 64).status_code == 302
    assert User.by_username("x" * 64) is not None


def test_losing_a_registration_race_is_a_form_error_not_a_500(client, monkeypatch):
    """The other request commits the same name between our check and our insert."""
    UserFactory(username="newbie")
    monkeypatch.setattr(RegisterForm, "validate_username", lambda form, field: None)
    response = register(client, username="NEWBIE")
    assert response.status_code == 422
    assert "That username is already taken." in response.get_data(as_text=True)
    assert row_count(User) == 1


def test_logged_in_user_visiting_register_goes_to_the_blog(client, log_in_as):

    log_in_as("default")
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
