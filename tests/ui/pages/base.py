"""What every page of the blog has: a URL under the server, a navbar, flash messages.

Waits are explicit (WebDriverWait on a condition); a page object never sleeps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from selenium.common.exceptions import (
    NoAlertPresentException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.ui.accessibility import check_accessibility

TIMEOUT = 10
Locator = tuple[str, str]
# chromedriver sometimes answers this instead of "stale element" for an element of the page
# being replaced (SeleniumHQ/selenium#15401), which EC.staleness_of lets through as an error.
DETACHED_NODE = "Node with given id does not belong to the document"


def gone(element: WebElement) -> Callable[[object], bool]:
    """A wait condition: ``element`` is no longer in the page shown (the page was left)."""

    def check(_driver: object) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if DETACHED_NODE in (error.msg or ""):
                return True
            raise
        return False

    return check


class Page:
    path = "/"
    # Present once the page has rendered; subclasses name their own landmark.
    ready: Locator = (By.TAG_NAME, "main")

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def wait(self, timeout: float = TIMEOUT) -> WebDriverWait[WebDriver]:
        return WebDriverWait(self.driver, timeout)

    def open(self, path: str | None = None) -> Self:
        self.driver.get(self.base_url + (self.path if path is None else path))
        return self.loaded()

    def loaded(self) -> Self:
        """Wait until this page is the one shown; the flow's axe-core audit checks it."""
        self.wait().until(EC.presence_of_element_located(self.ready))
        check_accessibility(self.driver)
        return self

    def find(self, locator: Locator) -> WebElement:
        return self.wait().until(EC.visibility_of_element_located(locator))

    def find_all(self, locator: Locator) -> list[WebElement]:
        return self.driver.find_elements(*locator)

    def click(self, locator: Locator) -> None:
        self.wait().until(EC.element_to_be_clickable(locator)).click()

    def fill(self, field_id: str, value: str) -> None:
        field = self.find((By.ID, field_id))
        field.clear()
        field.send_keys(value)

    def submit(self) -> None:
        """Press the form's submit button and wait for the next page to replace this one."""
        self.click_away(self.find((By.ID, "submit")))

    def click_away(self, element: WebElement) -> None:
        """Click a link or button that leaves this page; wait until the page is replaced."""
        element.click()
        self.wait().until(gone(element))

    def alert_is_open(self) -> bool:
        """Whether a JavaScript alert/confirm is showing (the driver leaves them open)."""
        try:
            self.driver.switch_to.alert  # noqa: B018  (raises when there is none)
        except NoAlertPresentException:
            return False
        return True

    @property
    def path_now(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def heading(self) -> str:
        return self.find((By.TAG_NAME, "h1")).text

    def flashes(self) -> list[str]:
        return [alert.text for alert in self.find_all((By.CSS_SELECTOR, "main .alert"))]
