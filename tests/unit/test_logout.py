"""Logging out is a POST with a CSRF token and really ends the session everywhere."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import User
from tests.factories import UserFactory
from tests.support.html import parse, text_of
from tests.support.sessions import csrf_token_from, log_in_session, session_data, submit_login


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/change-password").status_code == 200


def test_logout_ends_the_session_and_goes_to_the_blog(client):
    UserFactory(username="alice")
    submit_login(client, "alice")
    assert is_logged_in(client)
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
    assert not is_logged_in(client)


def test_the_page_after_logout_says_you_have_been_logged_out(client):
    log_in_session(client, UserFactory())
    landed = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert text_of(parse(landed), "main .alert") == ["You have been logged out."]


def test_logout_rotates_the_session_token(client):
    user = UserFactory()
    old_token = user.session_token
    log_in_session(client, user)
    client.post("/logout")
    db.session.expire_all()
    assert db.session.get_one(User, user.id).session_token != old_token


def test_replaying_the_old_session_cookie_after_logout_gives_no_access(client):
    UserFactory(username="alice")
    submit_login(client, "alice")
    stolen = client.get_cookie("session").value
    client.post("/logout")
    client.set_cookie("session", stolen)
    assert not is_logged_in(client)


def test_replaying_the_old_remember_cookie_after_logout_gives_no_access(client):
    UserFactory(username="alice")
    submit_login(client, "alice", remember=True)
    stolen = client.get_cookie("remember_token").value
    client.post("/logout")
    client.delete_cookie("session")
    client.set_cookie("remember_token", stolen)
    assert not is_logged_in(client)


def test_logout_ends_sessions_in_other_browsers_too(app):
    UserFactory(username="alice")
    laptop, phone = app.test_client(), app.test_client()
    submit_login(laptop, "alice")
    submit_login(phone, "alice")
    assert is_logged_in(phone)
    laptop.post("/logout")
    assert not is_logged_in(phone)


def test_logout_by_get_is_not_allowed(client, log_in_as):
    log_in_as("default")
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_anonymous_logout_just_goes_to_the_blog(client):
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"


@pytest.mark.usefixtures("csrf_on")
def test_logout_without_csrf_token_is_refused_and_keeps_the_session(client, log_in_as):
    log_in_as("default")
    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)


@pytest.mark.usefixtures("csrf_on")
def test_logout_with_the_csrf_token_works(client, log_in_as):
    log_in_as("default")
    token = csrf_token_from(client.get("/change-password").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert "_user_id" not in session_data(client)
