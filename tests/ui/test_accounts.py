"""Flows of accounts: register, log in and out, a wrong password, a role without a right."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.ui.pages import (
    ErrorPage,
    HomePage,
    LoginPage,
    PostEditorPage,
    RegisterPage,
    is_logged_in,
    log_out,
)
from tests.ui.site import unique


def test_new_user_registers_logs_in_logs_out_and_is_then_sent_to_log_in(browser, base_url):
    """The one flow that logs in through the login page; the others get their session from
    the harness (``log_in_as``). The account stays: the site deletes no account."""
    newcomer = unique("newcomer")
    RegisterPage(browser, base_url).open().register(newcomer, "a long enough password")
    login = LoginPage(browser, base_url).loaded()
    assert login.path_now == "/login"
    assert login.flashes() == ["Your account is ready; please log in."]

    login.log_in(newcomer, "a long enough password")
    home = HomePage(browser, base_url).loaded()
    assert is_logged_in(home)
    assert "You have been logged in." in home.flashes()

    log_out(home)
    assert not is_logged_in(home)
    assert "You have been logged out." in home.flashes()
    # The protected page answers with the login page, and comes back after it.
    LoginPage(browser, base_url).open(PostEditorPage.path)
    url = urlsplit(browser.current_url)
    assert (url.path, parse_qs(url.query)["next"]) == ("/login", [PostEditorPage.path])


def test_wrong_password_shows_the_message_and_stays_on_the_login_page(browser, base_url, accounts):
    login = LoginPage(browser, base_url).open()
    login.log_in(accounts["poster"].username, "not the password")
    login.loaded()
    assert login.path_now.startswith("/login")
    assert "Invalid username or password" in login.error()
    assert not is_logged_in(login)


def test_user_without_the_poster_role_gets_the_403_page_at_new_post(browser, base_url, log_in_as):
    log_in_as("default")
    page = ErrorPage(browser, base_url).open(PostEditorPage.path)
    assert "403" in page.heading()
    assert "403" in browser.title
    assert not page.find_all(PostEditorPage.ready)
