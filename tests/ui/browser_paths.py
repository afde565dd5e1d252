"""Where the flows' browser and its driver are: CHROME_BIN and CHROMEDRIVER, else the first
known name on PATH. Standard library only, so that noxfile.py can ask before any virtualenv
exists."""

from __future__ import annotations

import shutil
from collections.abc import Mapping

CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# The same Blink without the browser's windows, tabs and services (the old headless mode,
# Debian's chromium-headless-shell): a page load costs it a third of the CPU. Headless runs
# take it when it is installed.
HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")


def browser_paths(
    environ: Mapping[str, str], headed: bool = False
) -> tuple[str | None, str | None]:
    """(Chrome or Chromium, chromedriver); None for either one not found."""

    def on_path(names: tuple[str, ...]) -> str | None:
        return next(filter(None, (shutil.which(n, path=environ.get("PATH")) for n in names)), None)

    names = CHROME_NAMES if headed else HEADLESS_SHELL_NAMES + CHROME_NAMES
    chrome = environ.get("CHROME_BIN") or on_path(names)
    return chrome, environ.get("CHROMEDRIVER") or on_path(("chromedriver",))


def is_headless_shell(chrome: str | None) -> bool:
    return any(chrome is not None and chrome.endswith(name) for name in HEADLESS_SHELL_NAMES)
