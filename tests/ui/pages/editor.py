"""Writing, editing and deleting posts."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.ui.pages.base import Page
from tests.ui.pages.blog import PostPage


class PostEditorPage(Page):
    """The form of /blog/new and /blog/edit/<id>."""

    path = "/blog/new"
    ready = (By.ID, "title")

    def open_edit(self, post_id: int) -> PostEditorPage:
        return self.open(f"/blog/edit/{post_id}")

    def write(
        self, title: str | None = None, text: str | None = None, tags: str | None = None
    ) -> PostPage:
        """Fill the given fields (others keep their value), save, and land on the post."""
        for field_id, value in (("title", title), ("text", text), ("tags", tags)):
            if value is not None:
                self.fill(field_id, value)
        self.submit()
        return PostPage(self.driver, self.base_url).loaded()

    def value(self, field_id: str) -> str:
        return self.find((By.ID, field_id)).get_attribute("value") or ""


class ErrorPage(Page):
    """Any of the error pages (403, 404, 405, 500)."""
