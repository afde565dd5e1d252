"""Logging in, registering and logging out."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.ui.pages.base import Page

# The navbar's log-out button: a POST form, so it carries the CSRF token.
LOGOUT_BUTTON = (By.CSS_SELECTOR, 'form[action$="/logout"] button')


class LoginPage(Page):
    path = "/login"
    ready = (By.ID, "username")

    def log_in(self, username: str, password: str, remember: bool = False) -> None:
        self.fill("username", username)
        self.fill("password", password)
        if remember != self.find((By.ID, "remember")).is_selected():
            self.click((By.ID, "remember"))
        self.submit()

    def error(self) -> str:
        return self.find((By.CSS_SELECTOR, "main .alert")).text


class RegisterPage(Page):
    path = "/register"
    ready = (By.ID, "confirm")

    def register(self, username: str, password: str) -> None:
        self.fill("username", username)
        self.fill("password", password)
        self.fill("confirm", password)
        self.submit()


def is_logged_in(page: Page) -> bool:
    return bool(page.find_all(LOGOUT_BUTTON))


def log_out(page: Page) -> None:
    page.click_away(page.find(LOGOUT_BUTTON))
    page.loaded()
