"""What a visitor sees and keeps around logging out, registering and changing a password:
the flash message on the next page, and nothing of the old session left in the browser."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.sessions import csrf_token_from, submit_login


def log_in(client, username: str, remember: bool = False) -> None:
    assert submit_login(client, username, remember=remember).status_code == 302


def test_logging_out_says_so_on_the_blog(client):
    UserFactory(username="alice")
    log_in(client, "alice")
    page = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "You have been logged out." in page


def test_logging_out_deletes_the_remember_me_cookie_from_the_browser(client):
    UserFactory(username="alice")
    log_in(client, "alice", remember=True)
    assert client.get_cookie("remember_token") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token") is None


def test_logging_out_leaves_no_user_in_the_session_cookie(client):
    UserFactory(username="alice")
    log_in(client, "alice")
    client.post("/logout")
    with client.session_transaction() as session:
        assert "_user_id" not in session


@pytest.mark.usefixtures("csrf_on")
def test_a_form_token_from_before_logging_out_is_refused_after_it(client):
    """Logging out starts a fresh session: nothing of the old one, its CSRF token included,
    is accepted afterwards."""
    UserFactory(username="alice")
    data = {"username": "alice", "password": DEFAULT_PASSWORD}
    login_token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={**data, "csrf_token": login_token}).status_code == 302
    token = csrf_token_from(client.get("/change-password").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.post("/login", data={**data, "csrf_token": token}).status_code == 400


def test_registering_says_the_account_is_ready_on_the_login_page(client):
    password = "a fine long passphrase"
    response = client.post(
        "/register",
        data={"username": "newbie", "password": password, "confirm": password},
        follow_redirects=True,
    )
    assert response.request.path == "/login"
    assert "Your account is ready; please log in." in response.get_data(as_text=True)


def test_changing_the_password_says_so(client):
    UserFactory(username="alice")
    log_in(client, "alice")
    new = "another fine long passphrase"
    response = client.post(
        "/change-password",
        data={"current_password": DEFAULT_PASSWORD, "password": new, "confirm": new},
        follow_redirects=True,
    )
    assert "Your password has been changed." in response.get_data(as_text=True)
