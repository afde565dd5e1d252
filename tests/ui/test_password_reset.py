"""The forgotten password flow: ask for a link, receive it by mail, choose a new password."""

from __future__ import annotations

import re

import pytest

from tests.factories import UserFactory
from tests.ui.pages import (
    ForgotPasswordPage,
    HomePage,
    LoginPage,
    ResetPasswordPage,
    is_logged_in,
    log_out,
)

OLD = "the password I forgot"
NEW = "a password I will remember"


@pytest.mark.needs_db(
    "its account is made with the factories, and it reads the reset mail, which only the live "
    "server thread sends to this run's SMTP server"
)
def test_a_user_who_forgot_the_password_resets_it_by_mail_and_is_logged_in(
    browser, base_url, mailbox
):
    UserFactory(username="forgetful", email="forgetful@example.org", password=OLD)

    login = LoginPage(browser, base_url).open()
    ForgotPasswordPage.from_login(login).ask_for_a_link("Forgetful@example.org")
    login = LoginPage(browser, base_url).loaded()
    assert any("a link to reset its password is on its way" in m for m in login.flashes())

    [received] = mailbox.wait_for(1)
    assert received.rcpt_tos == ["forgetful@example.org"]
    found = re.search(r"http://\S+", received.body)
    assert found is not None, received.body
    link = found.group(0)
    assert link.startswith(base_url + "/reset-password/")

    ResetPasswordPage(browser, base_url).open_link(link).set_password(NEW)
    home = HomePage(browser, base_url).loaded()
    assert is_logged_in(home)
    assert any("you are logged in" in message for message in home.flashes())

    log_out(home)
    login = LoginPage(browser, base_url).open()
    login.log_in("forgetful", OLD)
    login.loaded()
    assert "Invalid username or password" in login.error()
    login.log_in("forgetful", NEW)
    assert is_logged_in(HomePage(browser, base_url).loaded())
