"""The browser console of one flow, read once and shared by the Content-Security-Policy check
and the failure artifacts.

Chrome hands out each console entry once (``goog:loggingPrefs``, set in browser.py): a
second reader would find the log empty, so whoever reads it keeps what it read here.
"""

from __future__ import annotations

import json
from typing import Any

from selenium.webdriver.remote.command import Command
from selenium.webdriver.remote.webdriver import WebDriver

# How Chromium words a CSP violation in the console: "Executing inline script violates the
# following Content Security Policy directive 'script-src 'self''. ..." (156), "Refused to
# load the image '...' because it violates ..." (older versions and some resource types).
CSP_VIOLATION_MARKERS = ("Content Security Policy", "Refused to")

Entry = dict[str, Any]


class BrowserConsole:
    """What the browser's console showed since this object started reading it."""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver
        self.entries: list[Entry] = []

    @classmethod
    def for_new_flow(cls, driver: WebDriver) -> BrowserConsole:
        """A console that leaves out what earlier flows (and their cleanup) logged."""
        console = cls(driver)
        console.read()
        console.entries.clear()
        return console

    def read(self) -> list[Entry]:
        """Every entry so far: those read before and those the browser logged since."""
        # The command is Chromium's, so it is called directly to work for local and remote
        # drivers alike.
        self.entries.extend(self.driver.execute(Command.GET_LOG, {"type": "browser"})["value"])
        return self.entries

    def text(self) -> str:
        """The entries as JSON lines, as console.log of the failure artifacts holds them."""
        return "".join(json.dumps(entry) + "\n" for entry in self.read())

    def csp_violations(self) -> list[str]:
        return [
            entry["message"]
            for entry in self.read()
            if any(marker in entry.get("message", "") for marker in CSP_VIOLATION_MARKERS)
        ]


def csp_report(violations: list[str]) -> str:
    """The failure message of a flow whose pages broke the Content-Security-Policy."""
    count = len(violations)
    lines = "\n".join(f"  - {violation}" for violation in violations)
    return (
        f"The browser reported {count} Content-Security-Policy violation{'s' * (count != 1)} "
        f"(inline code or another origin the policy of app/security_headers.py blocks):\n"
        f"{lines}"
    )
