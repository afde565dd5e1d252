"""Logging in: one generic error, remember-me, safe ``next``, session renewal, rehashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters

from app.config import CHEAP_ARGON2
from app.extensions import db
from app.models import Comment, User
from tests.factories import PostFactory, UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.database import row_count
from tests.support.html import form_controls, get_page, text_of
from tests.support.sessions import csrf_token_from, session_data, submit_login

pytestmark = pytest.mark.postgresql

GENERIC_ERROR = "Invalid username or password"


def test_login_page_shows_the_form_fields(client):
    assert form_controls(get_page(client, "/login")) == {
        "username": "Username",
        "password": "Password",
        "remember": "Remember me",
        "submit": "Log in",
    }


def test_right_password_logs_in_and_goes_to_the_blog(client):
    user = UserFactory(username="alice")
    response = submit_login(client, "alice")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
    assert session_data(client)["_user_id"] == user.session_token


def test_the_page_after_login_says_you_have_been_logged_in_once(client):
    """The book's message, on the page the login redirects to, and not on the next one."""
    UserFactory(username="alice")
    response = submit_login(client, "alice", query="?next=/blog/user/alice")
    landed = get_page(client, response.headers["Location"])
    assert text_of(landed, "main .alert") == ["You have been logged in."]
    assert text_of(get_page(client, "/blog/"), "main .alert") == []


def test_username_is_matched_ignoring_case(client):
    UserFactory(username="Alice")
    assert submit_login(client, "aLICE").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_generic_message(client):
    UserFactory(username="alice")
    wrong_password = submit_login(client, "alice", "not the password")
    unknown_user = submit_login(client, "nobody", "not the password")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert GENERIC_ERROR in page
        assert "_user_id" not in session_data(client)
    # Apart from the name typed in, nothing tells an existing account from a missing one.
    assert wrong_password.get_data(as_text=True).replace("alice", "nobody") == (
        unknown_user.get_data(as_text=True)
    )


def test_missing_fields_are_reported_and_nobody_is_logged_in(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_a_username_with_control_characters_is_refused_before_any_lookup(client):
    """PostgreSQL refuses a NUL in a query: such a name is a form error, never a 500."""
    UserFactory(username="alice")
    response = submit_login(client, "ali\x00ce")
    assert response.status_code == 422
    assert "remove the control characters" in response.get_data(as_text=True)
    assert "_user_id" not in session_data(client)


def test_failed_login_does_not_log_in(client):
    UserFactory(username="alice")
    submit_login(client, "alice", "wrong password")
    assert "_user_id" not in session_data(client)


def test_without_remember_me_no_remember_cookie_is_set(client):
    UserFactory(username="alice")
    assert submit_login(client, "alice").status_code == 302
    assert client.get_cookie("remember_token") is None


def test_remember_me_keeps_the_user_logged_in_after_the_session_cookie_is_gone(client):
    UserFactory(username="alice")
    submit_login(client, "alice", remember=True)
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    assert client.get("/change-password").status_code == 200


def test_session_is_renewed_at_login(client):
    """Whatever a visitor's session held before login (a fixation attempt) is dropped."""
    UserFactory(username="alice")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    old_cookie = client.get_cookie("session").value
    submit_login(client, "alice")
    assert "planted" not in session_data(client)
    assert client.get_cookie("session").value != old_cookie


@pytest.mark.usefixtures("csrf_on")
def test_a_form_token_from_before_login_is_refused_after_it(client):
    """Renewal drops the CSRF secret too: a token a visitor (or an attacker who planted the
    session) held before login cannot post a form as the logged-in user."""
    UserFactory(username="alice")
    post = PostFactory()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    credentials = {"username": "alice", "password": DEFAULT_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=credentials).status_code == 302
    comment = {"csrf_token": token, "name": "Alice", "text": "with an old token"}
    refused = client.post(f"/blog/post/{post.id}", data=comment)
    assert refused.status_code == 400
    assert "This form has expired" in refused.get_data(as_text=True)
    assert row_count(Comment) == 0


def test_login_rehashes_a_password_hashed_with_old_parameters(client):
    old_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash("old-params-pw")
    user = UserFactory(username="alice", password_hash=old_hash)
    assert submit_login(client, "alice", "old-params-pw").status_code == 302
    db.session.expire_all()
    new_hash = db.session.get_one(User, user.id).password_hash
    params = extract_parameters(new_hash)
    assert new_hash != old_hash
    assert (params.time_cost, params.memory_cost) == (
        CHEAP_ARGON2["time_cost"],
        CHEAP_ARGON2["memory_cost"],
    )
    assert db.session.get_one(User, user.id).check_password("old-params-pw")


def test_login_keeps_a_current_hash(client):
    user = UserFactory(username="alice")
    old_hash = user.password_hash
    assert submit_login(client, "alice").status_code == 302
    db.session.expire_all()
    assert db.session.get_one(User, user.id).password_hash == old_hash


def test_logged_in_user_visiting_login_goes_to_the_blog(client, log_in_as):
    log_in_as("default")
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
