"""Changing one's password needs the current one and ends every other session."""

from __future__ import annotations

import pytest

from app.models import User
from tests.factories import UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.database import fresh_session
from tests.support.html import form_controls, get_page
from tests.support.sessions import log_in_session, submit_login

NEW = "a brand new passphrase"


def change(client, current=DEFAULT_PASSWORD, password=NEW, confirm=NEW):
    return client.post(
        "/change-password",
        data={"current_password": current, "password": password, "confirm": confirm},
    )


def stored(user: User) -> User:
    """The user's row as stored (detached: its columns only)."""
    with fresh_session() as session:
        return session.get_one(User, user.id)


def test_page_shows_the_form_fields(client, log_in_as):
    log_in_as("default")
    assert form_controls(get_page(client, "/change-password")) == {
        "current_password": "Current password",
        "password": "Password",
        "confirm": "Repeat the password",
        "submit": "Change password",
    }


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/change-password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fchange-password"


def test_changing_the_password_sets_the_new_one_and_keeps_this_session(client):
    user = UserFactory()
    log_in_session(client, user)
    response = change(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
    assert stored(user).check_password(NEW)
    assert client.get("/change-password").status_code == 200


def test_changing_the_password_ends_other_sessions(app):
    UserFactory(username="alice")
    here, elsewhere = app.test_client(), app.test_client()
    submit_login(here, "alice")
    submit_login(elsewhere, "alice", remember=True)
    change(here)
    assert here.get("/change-password").status_code == 200
    assert elsewhere.get("/change-password").status_code == 302
    elsewhere.delete_cookie("session")
    assert elsewhere.get("/change-password").status_code == 302


def test_remembered_browser_stays_remembered_after_its_own_change(client):
    UserFactory(username="alice")
    submit_login(client, "alice", remember=True)
    change(client)
    client.delete_cookie("session")
    assert client.get("/change-password").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current": "wrong password"}, "Your current password is not right."),
        ({"confirm": "does not match"}, "The passwords do not match."),
        ({"password": "password1", "confirm": "password1"}, "too common"),
        ({"password": "short", "confirm": "short"}, "between 8 and 128 characters"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, data, message):
    user = UserFactory()
    token = user.session_token
    log_in_session(client, user)
    response = change(client, **data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(user).check_password(DEFAULT_PASSWORD)
    assert stored(user).session_token == token
