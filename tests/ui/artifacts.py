"""What a failed flow leaves behind: a screenshot, the page's HTML and the browser console."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.command import Command
from selenium.webdriver.remote.webdriver import WebDriver


def artifact_dir(root: Path, nodeid: str) -> Path:
    """``tests/ui/test_x.py::test_y[a]`` -> ``root/test_x.py__test_y_a``: one safe name."""
    name = nodeid.removeprefix("tests/ui/").replace("::", "__")
    return root / re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def save_artifacts(driver: WebDriver, target: Path) -> list[Path]:
    """Write screenshot.png, page.html and console.log into a fresh ``target``.

    Each part is saved on its own: a dead page may still have a console log worth reading.
    """
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    saved = []
    for name, capture in (
        ("screenshot.png", lambda: driver.get_screenshot_as_png()),
        ("page.html", lambda: f"<!-- {driver.current_url} -->\n{driver.page_source}".encode()),
        ("console.log", lambda: _console_log(driver).encode()),
    ):
        path = target / name
        try:
            path.write_bytes(capture())
        except WebDriverException as error:
            path = path.with_name(name + ".error.txt")
            path.write_text(f"could not capture {name}: {error.msg}\n")
        saved.append(path)
    return saved


def _console_log(driver: WebDriver) -> str:
    # Chrome keeps the console for goog:loggingPrefs (set in browser.py); the command is
    # Chromium's, so it is called directly to work for local and remote drivers alike.
    entries = driver.execute(Command.GET_LOG, {"type": "browser"})["value"]
    return "".join(json.dumps(entry) + "\n" for entry in entries)
