"""Where the flows' browser and its driver are: CHROME_BIN and CHROMEDRIVER, else the first
known name on PATH. Standard library only, so that noxfile.py can ask before any virtualenv
exists."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
# The same Blink without the browser's windows, tabs and services (the old headless mode,
# Debian's chromium-headless-shell): a page load costs it a third of the CPU. Headless runs
# take it when it is installed.
HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
# Searched before PATH for it: Debian's /usr/bin/chromium-headless-shell is a shell script that
# runs the browser without exec, so chromedriver's quit stopped the script and left the
# browser running; the browser itself is in this folder.
HEADLESS_SHELL_DIRS = ("/usr/lib/chromium",)


def browser_paths(
    environ: Mapping[str, str], headed: bool = False
) -> tuple[str | None, str | None]:
    """(Chrome or Chromium, chromedriver); None for either one not found."""
    path = environ.get("PATH", os.defpath)
    shell_path = os.pathsep.join((*HEADLESS_SHELL_DIRS, path))
    chrome = (
        environ.get("CHROME_BIN")
        or (None if headed else _which(HEADLESS_SHELL_NAMES, shell_path))
        or _which(CHROME_NAMES, path)
    )
    return chrome, environ.get("CHROMEDRIVER") or _which(("chromedriver",), path)


def _which(names: tuple[str, ...], path: str) -> str | None:
    return next(filter(None, (shutil.which(name, path=path) for name in names)), None)


def is_headless_shell(chrome: str | None) -> bool:
    return chrome is not None and chrome.endswith(HEADLESS_SHELL_NAMES)
