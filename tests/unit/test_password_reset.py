"""A forgotten password: the login page links to a form that mails a signed link to the
account's address; the link works for 30 minutes, once, and logs its user in with a new
password, ending every other session and API token."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import update

import app.accounts.password_reset as password_reset
from app.api.tokens import issue_token
from app.extensions import db
from app.models import User
from tests.factories import PosterFactory, UserFactory
from tests.factories.models import DEFAULT_PASSWORD
from tests.support.html import get_page, parse, text_of
from tests.support.sessions import session_data, submit_login
from tests.support.smtp_server import free_port
from tests.support.tasks import tasks_finished

NEW = "a brand new passphrase"
REQUESTED = "If an account has that email address, a link to reset its password is on its way."
NEW_POST = {"title": "Hello", "text": "Text"}


def ask(client, email: str, address: str = "127.0.0.1"):
    """Ask for a link as a browser would (the mail goes on a thread once the answer is
    made: ``mailbox.wait_for`` waits for it)."""
    return client.post(
        "/forgot-password", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def link_in(mailbox) -> str:
    [received] = mailbox.wait_for(1)
    found = re.search(r"http://\S+", received.body)
    assert found is not None, received.body
    return found.group(0)


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost")


def reset(client, link: str, password: str = NEW, confirm: str = NEW):
    return client.post(path_of(link), data={"password": password, "confirm": confirm})


def stored(user: User) -> User:
    db.session.expire_all()
    return db.session.get_one(User, user.id)


@pytest.fixture
def ann():
    return UserFactory(username="ann", email="ann@example.org")


# --- asking for a link --------------------------------------------------------------------


def test_the_login_page_links_to_the_forgot_password_form(client):
    page = get_page(client, "/login")
    assert [a.get_text() for a in page.select('a[href="/forgot-password"]')] == ["Forgot password?"]
    form = get_page(client, "/forgot-password")
    assert form.select_one("input#email") is not None


def test_asking_with_an_accounts_address_mails_it_a_link(client, mailbox, ann, app):
    response = ask(client, "ANN@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"

    [received] = mailbox.wait_for(1)
    assert received.rcpt_tos == ["ann@example.org"]
    assert received.message["To"] == "ann@example.org"
    assert received.message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received.message["Subject"] == "Reset your password on Mastering Flask Blog"
    assert "Hello ann," in received.body
    assert "within 30 minutes" in received.body
    assert re.search(r"^http://localhost/reset-password/\S+$", received.body, re.MULTILINE)


def test_the_answer_is_the_same_whether_or_not_an_account_has_the_address(client, mailbox, ann):
    answers = []
    for email in ("ann@example.org", "nobody@example.org"):
        response = ask(client, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append(
            (response.status_code, response.headers["Location"], text_of(parse(page), ".alert"))
        )
    assert answers[0] == answers[1]
    assert REQUESTED in answers[0][2][0]
    tasks_finished()
    assert [m.rcpt_tos for m in mailbox.messages] == [["ann@example.org"]]


def test_an_unknown_address_costs_the_same_signing_and_rendering(client, mailbox, monkeypatch, ann):
    made = []
    real = password_reset.reset_message

    def counted(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(password_reset, "reset_message", counted)
    ask(client, "nobody@example.org")
    ask(client, "ann@example.org")
    assert made == ["nobody@example.org", "ann@example.org"]


def test_links_point_at_site_url_when_it_is_set(client, mailbox, ann, app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://blog.example.org")
    ask(client, "ann@example.org", address="10.0.0.9")
    [received] = mailbox.wait_for(1)
    assert "https://blog.example.org/reset-password/" in received.body
    assert "localhost" not in received.body


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "This field is required."), ("ann", "An email address must have an @-sign.")],
)
def test_a_missing_or_invalid_address_is_explained_and_mails_nothing(
    client, mailbox, email, message
):
    response = ask(client, email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_a_failing_mail_server_changes_nothing_in_the_answer(client, ann, app, monkeypatch, caplog):
    monkeypatch.setattr(app.extensions["mailman"], "port", free_port("127.0.0.1"))
    response = ask(client, "ann@example.org")
    assert response.status_code == 302
    tasks_finished()
    assert "Could not send the mail" in caplog.text


def test_requests_for_one_address_are_limited_from_everywhere(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_REQUEST_EMAIL_RATE_LIMIT", "2 per hour")
    assert ask(client, "ann@example.org", address="10.0.0.1").status_code == 302
    assert ask(client, "ANN@example.org", address="10.0.0.2").status_code == 302
    refused = ask(client, "ann@example.org", address="10.0.0.3")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert ask(client, "bob@example.org", address="10.0.0.3").status_code == 302


def test_requests_from_one_address_are_limited_whatever_they_ask_for(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_REQUEST_RATE_LIMIT", "2 per hour")
    assert ask(client, "a@example.org").status_code == 302
    assert ask(client, "b@example.org").status_code == 302
    assert ask(client, "c@example.org").status_code == 429
    assert ask(client, "c@example.org", address="10.0.0.4").status_code == 302


# --- following the link -------------------------------------------------------------------


def test_the_link_shows_a_form_for_the_new_password(client, mailbox, ann):
    ask(client, "ann@example.org")
    page = get_page(client, path_of(link_in(mailbox)))
    assert page.select_one("input#password") is not None
    assert page.select_one("input#confirm") is not None


def test_a_new_password_is_set_and_its_user_logged_in(client, mailbox, ann):
    ask(client, "ann@example.org")
    response = reset(client, link_in(mailbox))
    assert response.status_code == 302
    assert response.headers["Location"] == "/blog/"
    assert stored(ann).check_password(NEW)
    assert not stored(ann).check_password(DEFAULT_PASSWORD)
    home = client.get("/blog/").get_data(as_text=True)
    assert "Your password has been changed; you are logged in." in home
    assert client.get("/account").status_code == 200


def test_a_reset_renews_the_session(client, mailbox, ann):
    """Whatever the browser's session held before the reset (a fixation attempt) is dropped:
    the reset logs its user in as a login does."""
    ask(client, "ann@example.org")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    assert reset(client, link_in(mailbox)).status_code == 302
    assert "planted" not in session_data(client)
    assert session_data(client)["_user_id"] == stored(ann).session_token


def test_the_old_password_no_longer_logs_in_and_the_new_one_does(app, mailbox, ann):
    client = app.test_client()
    ask(client, "ann@example.org")
    reset(client, link_in(mailbox))
    assert submit_login(app.test_client(), "ann", DEFAULT_PASSWORD).status_code == 422
    assert submit_login(app.test_client(), "ann", NEW).status_code == 302


def test_a_reset_ends_every_other_session_and_api_token(app, mailbox):
    poster = PosterFactory(username="ann", email="ann@example.org")
    token = issue_token(poster)
    elsewhere = app.test_client()
    submit_login(elsewhere, "ann", remember=True)
    assert elsewhere.get("/account").status_code == 200

    client = app.test_client()
    ask(client, "ann@example.org")
    reset(client, link_in(mailbox))

    assert elsewhere.get("/account").status_code == 302
    elsewhere.delete_cookie("session")
    assert elsewhere.get("/account").status_code == 302
    refused = client.post("/api/post", json=NEW_POST, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("password1", "password1", "too common"),
        ("short", "short", "between 8 and 128 characters"),
        (NEW, "something else", "The passwords do not match."),
    ],
)
def test_the_new_password_follows_the_register_rules(
    client, mailbox, ann, password, confirm, message
):
    token = ann.session_token
    ask(client, "ann@example.org")
    response = reset(client, link_in(mailbox), password, confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(ann).check_password(DEFAULT_PASSWORD)
    assert stored(ann).session_token == token


# --- links that do not work ---------------------------------------------------------------


def refused_link(client, path: str, status: int, message: str) -> None:
    for response in (client.get(path), client.post(path, data={"password": NEW, "confirm": NEW})):
        assert response.status_code == status
        page = parse(response.get_data(as_text=True))
        assert message in " ".join(text_of(page, "main"))
        assert page.select('main a[href="/forgot-password"]'), "a link to ask again"


def test_a_link_works_once(client, mailbox, ann):
    ask(client, "ann@example.org")
    link = link_in(mailbox)
    reset(client, link)
    refused_link(client, path_of(link), 410, "has already been used")
    assert stored(ann).check_password(NEW)


def test_a_link_dies_when_the_password_or_the_address_changes(client, mailbox, ann):
    ask(client, "ann@example.org")
    link = link_in(mailbox)
    stored(ann).set_password("changed another way")
    db.session.commit()
    refused_link(client, path_of(link), 410, "has already been used")

    mailbox.clear()
    ask(client, "ann@example.org")
    link = link_in(mailbox)
    stored(ann).email = "ann@elsewhere.example"
    db.session.commit()
    refused_link(client, path_of(link), 410, "has already been used")


def test_a_link_works_for_30_minutes(client, mailbox, ann, monkeypatch):
    signed_at = int(time.time())
    with monkeypatch.context() as signed:
        signed.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at - 29 * 60)
        ask(client, "ann@example.org")
        fresh_enough = link_in(mailbox)
        mailbox.clear()
        signed.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at - 31 * 60)
        ask(client, "ann@example.org")
        too_old = link_in(mailbox)

    refused_link(client, path_of(too_old), 410, "has expired")
    assert client.get(path_of(fresh_enough)).status_code == 200


def test_the_mail_and_the_answer_give_the_links_lifetime_as_set(
    client, mailbox, ann, app, monkeypatch
):
    """PASSWORD_RESET_MAX_AGE of an hour reads 60 minutes, in the mail and on the page."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", 3600)
    response = ask(client, "ann@example.org")
    [received] = mailbox.wait_for(1)
    assert "within 60 minutes" in received.body
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "It works for 60 minutes." in page


@pytest.mark.parametrize("path", ["/reset-password/garbage", "/reset-password/a.b.c"])
def test_a_made_up_link_is_a_400_page(client, path):
    refused_link(client, path, 400, "is not valid")


def test_a_changed_link_is_a_400_page(client, mailbox, ann):
    ask(client, "ann@example.org")
    link = path_of(link_in(mailbox))
    refused_link(
        client, link[:-2] + ("AA" if not link.endswith("AA") else "BB"), 400, "is not valid"
    )


def test_a_link_of_a_deleted_account_is_gone(client, mailbox, ann):
    ask(client, "ann@example.org")
    link = link_in(mailbox)
    db.session.delete(stored(ann))
    db.session.commit()
    refused_link(client, path_of(link), 410, "has already been used")


def test_a_password_changed_while_the_new_one_was_hashed_wins(client, mailbox, ann, monkeypatch):
    """Checked again under the write lock: two uses of one link cannot both succeed."""
    ask(client, "ann@example.org")
    link = link_in(mailbox)
    real_hash = password_reset.hash_password

    def hash_while_another_reset_commits(password: str) -> str:
        db.session.execute(
            update(User).where(User.id == ann.id).values(password_hash=real_hash("the other one"))
        )
        db.session.commit()
        return real_hash(password)

    monkeypatch.setattr(password_reset, "hash_password", hash_while_another_reset_commits)
    response = reset(client, link)
    assert response.status_code == 410
    assert stored(ann).check_password("the other one")
