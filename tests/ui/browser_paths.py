"""Where the flows' browser and its driver are: CHROME_BIN and CHROMEDRIVER, else the first
known name on PATH. Standard library only, so that noxfile.py can ask before any virtualenv
exists."""

from __future__ import annotations

import shutil
from collections.abc import Mapping

CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def browser_paths(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(Chrome or Chromium, chromedriver); None for either one not found."""
    chrome = environ.get("CHROME_BIN") or next(filter(None, map(shutil.which, CHROME_NAMES)), None)
    return chrome, environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
