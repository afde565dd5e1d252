"""The admin site's pages: a list of rows (users, posts, comments, tags) and a row's form."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from tests.ui.pages.base import Page


class AdminListPage(Page):
    """``/admin/<part>/``: one table row per record, with its Edit and Delete buttons."""

    ready = (By.CSS_SELECTOR, "table.model-list")

    def open_part(self, part: str) -> AdminListPage:
        return self.open(f"/admin/{part}/")

    def rows(self) -> list[WebElement]:
        return self.find_all((By.CSS_SELECTOR, "table.model-list tr:has(td.list-buttons-column)"))

    def column(self, name: str) -> list[str]:
        return [cell.text for cell in self.find_all((By.CSS_SELECTOR, f"td.col-{name}"))]

    def row_with(self, text: str) -> WebElement:
        return next(row for row in self.rows() if text in row.text)

    def delete_row_with(self, text: str) -> AdminListPage:
        """Press the Delete button of the row that shows ``text``; wait for the list again."""
        self.click_away(self.row_with(text).find_element(By.CSS_SELECTOR, "button.admin-delete"))
        return self.loaded()

    def edit_row_with(self, text: str) -> AdminFormPage:
        self.click_away(self.row_with(text).find_element(By.LINK_TEXT, "Edit"))
        return AdminFormPage(self.driver, self.base_url).loaded()

    def search(self, words: str) -> AdminListPage:
        self.fill_named("search", words)
        self.click_away(self.find((By.CSS_SELECTOR, "form[role=search] button")))
        return self.loaded()

    def fill_named(self, name: str, value: str) -> None:
        field = self.find((By.NAME, name))
        field.clear()
        field.send_keys(value)


class AdminFormPage(Page):
    """A record's create or edit form."""

    ready = (By.CSS_SELECTOR, "form.admin-form")

    def choose(self, field_id: str, *labels: str) -> None:
        """Select exactly these options of a (multiple) select."""
        select = Select(self.find((By.ID, field_id)))
        select.deselect_all()
        for label in labels:
            select.select_by_visible_text(label)

    def save(self) -> AdminListPage:
        """Press Save; wait for the list it returns to."""
        self.click_away(self.find((By.CSS_SELECTOR, "form.admin-form input.btn-primary")))
        return AdminListPage(self.driver, self.base_url).loaded()
