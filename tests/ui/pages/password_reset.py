"""Asking for a password reset link and choosing a new password with it."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.ui.pages.auth import LoginPage
from tests.ui.pages.base import Page

FORGOT_LINK = (By.LINK_TEXT, "Forgot password?")


class ForgotPasswordPage(Page):
    path = "/forgot-password"
    ready = (By.CSS_SELECTOR, "form input#email")

    @classmethod
    def from_login(cls, login: LoginPage) -> ForgotPasswordPage:
        login.click_away(login.find(FORGOT_LINK))
        return cls(login.driver, login.base_url).loaded()

    def ask_for_a_link(self, email: str) -> None:
        self.fill("email", email)
        self.submit()


class ResetPasswordPage(Page):
    ready = (By.ID, "confirm")

    def open_link(self, link: str) -> ResetPasswordPage:
        self.driver.get(link)
        return self.loaded()

    def set_password(self, password: str) -> None:
        self.fill("password", password)
        self.fill("confirm", password)
        self.submit()
