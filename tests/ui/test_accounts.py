"""Flows of accounts: a wrong password."""

from __future__ import annotations

from tests.ui.pages import LoginPage, is_logged_in


def test_wrong_password_shows_the_message_and_stays_on_the_login_page(browser, base_url, accounts):
    login = LoginPage(browser, base_url).open()
    login.log_in(accounts["poster"].username, "not the password")
    login.loaded()
    assert login.path_now.startswith("/login")
    assert "Invalid username or password" in login.error()
    assert not is_logged_in(login)
